//! Runs a pipeline: the stage graph, freshness (a stage whose inputs, parameters and program
//! version are unchanged is skipped), the manifest, the output folder's lock, and progress.
//! Stages themselves are plain functions in their own modules; this module only moves their
//! tables between files.

pub mod config;
pub mod manifest;

use crate::error::{Error, Result};
use crate::ingest::{Ingested, Kind};
use crate::io;
use crate::reference::Boundary;
use crate::table;
use config::{Pipeline, source_name};
use manifest::{FileHash, Manifest, StageEntry};
use polars::prelude::DataFrame;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The stages, in order.
pub const STAGES: [&str; 7] = [
    "ingest",
    "validate",
    "panel",
    "indicators",
    "models",
    "flags",
    "report",
];

/// Which earlier stages' outputs each stage reads.
fn upstream(stage: &str) -> &'static [&'static str] {
    match stage {
        "validate" => &["ingest"],
        "panel" | "indicators" => &["validate"],
        "models" => &["panel"],
        "flags" => &["indicators", "models"],
        "report" => &["validate", "panel", "indicators", "models", "flags"],
        _ => &[],
    }
}

pub const PROGRAM_VERSION: &str = env!("CARGO_PKG_VERSION");

#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// The pipeline file.
    pub pipeline: PathBuf,
    /// Output folder; default `out/<name>/`.
    pub out: Option<PathBuf>,
    /// Rerun every stage.
    pub force: bool,
    /// Report language, overriding the pipeline file.
    pub lang: Option<String>,
    /// Show a spinner per stage (on a terminal).
    pub progress: bool,
}

/// What happened to one stage in a run.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Ran {
        seconds: f64,
        rows_out: u64,
        rejected: u64,
    },
    Skipped,
}

#[derive(Debug, Clone)]
pub struct RunSummary {
    pub out_dir: PathBuf,
    pub stages: Vec<(String, Outcome)>,
}

/// What a stage produced.
#[derive(Default)]
struct StageOutput {
    outputs: Vec<PathBuf>,
    rows_in: u64,
    rows_out: u64,
    rejected: u64,
    details: serde_json::Value,
}

/// The output folder of a pipeline run.
pub fn out_dir_for(pipeline: &Pipeline, out: Option<&Path>) -> PathBuf {
    out.map(Path::to_path_buf)
        .unwrap_or_else(|| Path::new("out").join(&pipeline.file.name))
}

/// Holds the output folder's lock for the life of a run.
pub struct RunLock {
    _file: std::fs::File,
}

impl RunLock {
    pub fn acquire(out_dir: &Path) -> Result<RunLock> {
        std::fs::create_dir_all(out_dir).map_err(|e| Error::io(out_dir, e))?;
        let path = out_dir.join(".lock");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => Ok(RunLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(Error::Locked { path }),
            Err(std::fs::TryLockError::Error(e)) => Err(Error::io(&path, e)),
        }
    }
}

struct Runner<'a> {
    pipeline: &'a Pipeline,
    out: PathBuf,
    lang: String,
    manifest: Manifest,
}

fn rel(out: &Path, p: &Path) -> String {
    p.strip_prefix(out)
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl Runner<'_> {
    fn params(&self, stage: &str) -> serde_json::Value {
        let f = &self.pipeline.file;
        match stage {
            "ingest" => serde_json::json!({ "sources": f.sources }),
            "validate" => serde_json::json!({ "max_rejected_share": f.max_rejected_share }),
            "panel" => serde_json::json!({
                "panel": f.panel, "boundary": f.boundary, "years": f.years, "pilot": f.pilot }),
            "indicators" => serde_json::json!({
                "indicators": f.indicators, "boundary": f.boundary, "years": f.years }),
            "models" => serde_json::json!({ "models": f.models, "pilot": f.pilot,
                // The province effects use the flags' windows and lag.
                "flag_windows": f.flags.windows, "lag_years": f.flags.lag_years,
                "phases": f.indicators.phases, "rolling_years": f.indicators.rolling_years }),
            "flags" => serde_json::json!({ "flags": f.flags }),
            "report" => serde_json::json!({
                "lang": self.lang, "synthetic": f.synthetic, "name": f.name,
                "small_grant_mvnd": f.indicators.small_grant_mvnd, "pilot": f.pilot }),
            _ => serde_json::Value::Null,
        }
    }

    fn inputs(&self, stage: &str) -> Vec<PathBuf> {
        if stage == "ingest" {
            return self
                .pipeline
                .file
                .sources
                .iter()
                .map(|s| s.path.clone())
                .collect();
        }
        upstream(stage)
            .iter()
            .filter_map(|u| self.manifest.stage(u))
            .flat_map(|e| e.outputs.iter().map(|o| self.out.join(&o.path)))
            .collect()
    }

    fn hashes(&self, paths: &[PathBuf]) -> Result<Vec<FileHash>> {
        paths
            .iter()
            .map(|p| {
                let sha256 = io::file_hash(p).map_err(|e| match e {
                    Error::Io { path, source } if source.kind() == std::io::ErrorKind::NotFound => {
                        Error::data(
                            path,
                            None,
                            "input file not found; check the path in the pipeline file",
                        )
                    }
                    e => e,
                })?;
                Ok(FileHash {
                    path: rel(&self.out, p),
                    sha256,
                })
            })
            .collect()
    }

    fn fingerprint(&self, stage: &str, params: &serde_json::Value, inputs: &[FileHash]) -> String {
        let mut text = format!("{PROGRAM_VERSION}\n{stage}\n{params}\n");
        for i in inputs {
            text.push_str(&i.sha256);
            text.push('\n');
        }
        io::bytes_hash(text.as_bytes())
    }

    fn is_fresh(&self, stage: &str, fingerprint: &str) -> bool {
        let Some(e) = self.manifest.stage(stage) else {
            return false;
        };
        e.status == "ok"
            && e.fingerprint == fingerprint
            && e.outputs
                .iter()
                .all(|o| io::file_hash(&self.out.join(&o.path)).is_ok_and(|h| h == o.sha256))
    }

    fn run_stage(&mut self, stage: &str) -> Result<StageOutput> {
        match stage {
            "ingest" => self.ingest(),
            "validate" => self.validate(),
            "panel" => self.panel(),
            "indicators" => self.indicators(),
            "models" => self.models(),
            "flags" => self.flags(),
            "report" => self.report(),
            _ => unreachable!("unknown stage {stage}"),
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.out.join(rel)
    }

    fn write(&self, df: &mut DataFrame, rel: &str, outputs: &mut Vec<PathBuf>) -> Result<()> {
        let p = self.path(rel);
        io::write_parquet(df, &p)?;
        outputs.push(p);
        Ok(())
    }

    fn ingest(&mut self) -> Result<StageOutput> {
        let mut out = StageOutput::default();
        let mut details = Vec::new();
        for spec in &self.pipeline.file.sources {
            let name = source_name(spec);
            tracing::info!(source = %spec.path.display(), "ingesting");
            let mut ing = crate::ingest::ingest_file(spec)?;
            out.rows_in += ing.rows_in as u64;
            out.rows_out += ing.table.height() as u64;
            out.rejected += ing.rejected.height() as u64;
            self.write(
                &mut ing.table,
                &format!("staging/{name}.parquet"),
                &mut out.outputs,
            )?;
            self.write(
                &mut ing.rejected,
                &format!("staging/{name}.rejected.parquet"),
                &mut out.outputs,
            )?;
            details.push(serde_json::json!({
                "source": name, "file": spec.path.file_name().map(|f| f.to_string_lossy().into_owned()),
                "kind": spec.kind, "rows_in": ing.rows_in, "rows": ing.table.height(),
                "rejected": ing.rejected.height(), "skipped": ing.skipped,
                "boundary": ing.boundary, "notes": ing.notes, "headers": ing.headers,
                "checks": ing.checks.iter().map(|c| serde_json::json!({
                    "line": c.line, "column": c.column, "expected": c.expected,
                })).collect::<Vec<_>>(),
            }));
        }
        out.details = serde_json::Value::Array(details);
        Ok(out)
    }

    fn validate(&mut self) -> Result<StageOutput> {
        let ingest_details = self
            .manifest
            .stage("ingest")
            .map(|e| e.details.clone())
            .unwrap_or_default();
        let mut out = StageOutput::default();
        let mut funding = Vec::new();
        let mut output = Vec::new();
        let mut details = Vec::new();
        let mut failures = Vec::new();
        for (i, spec) in self.pipeline.file.sources.iter().enumerate() {
            let name = source_name(spec);
            let d = &ingest_details[i];
            let ingested = Ingested {
                spec: spec.clone(),
                table: io::read_parquet(&self.path(&format!("staging/{name}.parquet")))?,
                rejected: io::read_parquet(
                    &self.path(&format!("staging/{name}.rejected.parquet")),
                )?,
                rows_in: d["rows_in"].as_u64().unwrap_or(0) as usize,
                skipped: d["skipped"].as_u64().unwrap_or(0) as usize,
                boundary: serde_json::from_value(d["boundary"].clone()).unwrap_or(Boundary::B2008),
                notes: serde_json::from_value(d["notes"].clone()).unwrap_or_default(),
                checks: d["checks"]
                    .as_array()
                    .map(|cs| {
                        cs.iter()
                            .map(|c| crate::ingest::TotalCheck {
                                line: c["line"].as_u64().unwrap_or(0) as usize,
                                column: c["column"].as_str().unwrap_or("").to_string(),
                                expected: c["expected"].as_f64().unwrap_or(f64::NAN),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                headers: serde_json::from_value(d["headers"].clone()).unwrap_or_default(),
            };
            let mut v = crate::validate::validate(ingested)?;
            out.rows_in += v.rows_in as u64;
            out.rejected += v.rejected.height() as u64;
            out.rows_out += v.clean.height() as u64;
            self.write(
                &mut v.rejected,
                &format!("rejected/{name}.parquet"),
                &mut out.outputs,
            )?;
            if let Err(e) = crate::validate::check_rejected_share(
                &v,
                &spec.path,
                self.pipeline.file.max_rejected_share,
            ) {
                failures.push(e);
            }
            details.push(serde_json::json!({
                "source": name, "rows_in": v.rows_in, "clean": v.clean.height(),
                "rejected": v.rejected.height(), "skipped": v.skipped, "notes": v.notes,
            }));
            match spec.kind {
                Kind::Funding => funding.push(v.clean),
                Kind::Output => output.push(v.clean),
            }
        }
        if let Some(e) = failures.into_iter().next() {
            return Err(e);
        }
        if funding.is_empty() || output.is_empty() {
            return Err(Error::config(
                &self.pipeline.path,
                "a pipeline needs at least one source of kind \"funding\" and one of kind \"output\"",
            ));
        }
        self.write(
            &mut table::concat_aligned(&funding)?,
            "clean/funding.parquet",
            &mut out.outputs,
        )?;
        self.write(
            &mut table::concat_aligned(&output)?,
            "clean/output.parquet",
            &mut out.outputs,
        )?;
        out.details = serde_json::Value::Array(details);
        Ok(out)
    }

    fn clean(&self) -> Result<(DataFrame, DataFrame)> {
        Ok((
            io::read_parquet(&self.path("clean/funding.parquet"))?,
            io::read_parquet(&self.path("clean/output.parquet"))?,
        ))
    }

    fn boundary(&self, funding: &DataFrame, output: &DataFrame) -> Result<Boundary> {
        match self.pipeline.file.boundary {
            Some(b) => Ok(b),
            None => crate::panel::default_boundary(funding, output),
        }
    }

    fn panel(&mut self) -> Result<StageOutput> {
        let (funding, output) = self.clean()?;
        let boundary = self.boundary(&funding, &output)?;
        let f = &self.pipeline.file;
        let mut panel = crate::panel::build(
            &funding,
            &output,
            boundary,
            &f.panel,
            f.years,
            f.pilot.as_ref(),
        )?;
        let missing = table::bools(&panel, "missing_output")?
            .into_iter()
            .filter(|m| *m == Some(true))
            .count();
        let mut out = StageOutput {
            rows_in: (funding.height() + output.height()) as u64,
            rows_out: panel.height() as u64,
            details: serde_json::json!({ "boundary": boundary, "missing_output_cells": missing }),
            ..Default::default()
        };
        self.write(&mut panel, "panel/panel.parquet", &mut out.outputs)?;
        self.manifest.boundary = Some(boundary.as_str().to_string());
        Ok(out)
    }

    fn target_boundary(&self) -> Boundary {
        self.manifest
            .boundary
            .as_deref()
            .and_then(Boundary::parse)
            .unwrap_or(Boundary::B2008)
    }

    fn indicators(&mut self) -> Result<StageOutput> {
        let (funding, output) = self.clean()?;
        let boundary = self.boundary(&funding, &output)?;
        let years = self.pipeline.file.years;
        let in_years = |y: i32| years.is_none_or(|[a, b]| y >= a && y <= b);
        let grants: Vec<_> = crate::panel::grants_on(&funding, boundary)?
            .into_iter()
            .filter(|g| in_years(g.year))
            .collect();
        let mut outputs = crate::panel::output_on(&output, boundary)?;
        outputs.retain(|(y, _, _), _| in_years(*y));
        let mut ind =
            crate::indicators::compute(&grants, &outputs, &self.pipeline.file.indicators)?;
        let mut out = StageOutput {
            rows_in: grants.len() as u64,
            ..Default::default()
        };
        for (df, name) in [
            (&mut ind.spending_by_year, "spending_by_year"),
            (&mut ind.growth, "growth"),
            (&mut ind.growth_cagr, "growth_cagr"),
            (&mut ind.intensity, "intensity"),
            (&mut ind.achievement, "achievement"),
            (&mut ind.concentration, "concentration"),
        ] {
            out.rows_out += df.height() as u64;
            self.write(df, &format!("indicators/{name}.parquet"), &mut out.outputs)?;
        }
        Ok(out)
    }

    fn models(&mut self) -> Result<StageOutput> {
        let panel = io::read_parquet(&self.path("panel/panel.parquet"))?;
        let f = &self.pipeline.file;
        let flag_windows = crate::flags::evaluation_windows(&panel, &f.indicators, &f.flags)?;
        let outputs = crate::models::stage::run(
            &panel,
            &f.models,
            f.pilot.as_ref(),
            &flag_windows,
            &self.out.join("models"),
        )?;
        // Province effects for the flags: the same windows of support years as the
        // concentration, growth `lag_years` later.
        let mut outputs = outputs;
        let mut effects =
            crate::models::province::province_effects(&panel, &flag_windows, f.flags.lag_years)?;
        let p = self.out.join("models/province_effects.parquet");
        io::write_parquet(&mut effects, &p)?;
        outputs.push(p);
        Ok(StageOutput {
            rows_in: panel.height() as u64,
            rows_out: outputs.len() as u64,
            outputs,
            ..Default::default()
        })
    }

    fn flags(&mut self) -> Result<StageOutput> {
        let conc = io::read_parquet(&self.path("indicators/concentration.parquet"))?;
        let effects = io::read_parquet(&self.path("models/province_effects.parquet"))?;
        let mut df = crate::flags::run(
            &conc,
            &effects,
            &self.pipeline.file.flags,
            self.target_boundary(),
        )?;
        let flagged = table::bools(&df, "flagged")?
            .into_iter()
            .filter(|f| *f == Some(true))
            .count();
        let mut out = StageOutput {
            rows_in: effects.height() as u64,
            rows_out: df.height() as u64,
            details: serde_json::json!({ "flagged_rows": flagged }),
            ..Default::default()
        };
        self.write(&mut df, "flags/flags.parquet", &mut out.outputs)?;
        Ok(out)
    }

    fn report(&mut self) -> Result<StageOutput> {
        use crate::report::{Lang, ReportContext};
        let f = &self.pipeline.file;
        let lang: Lang = self
            .lang
            .parse()
            .map_err(|_| Error::Usage(format!("--lang {}: use vi or en", self.lang)))?;
        let ctx = ReportContext {
            pipeline_name: f.name.clone(),
            boundary: self.target_boundary(),
            synthetic: f.synthetic,
            lang,
            sources: f
                .sources
                .iter()
                .filter_map(|s| s.path.file_name().map(|n| n.to_string_lossy().into_owned()))
                .collect(),
            pilot_provinces: f
                .pilot
                .as_ref()
                .map(|p| p.provinces.clone())
                .unwrap_or_default(),
            pilot_start: f.pilot.as_ref().map(|p| p.start_year),
            small_grant_mvnd: f.indicators.small_grant_mvnd,
        };
        let summary = crate::report::build_report(&self.out, &ctx)?;
        Ok(StageOutput {
            rows_out: summary.files.len() as u64,
            outputs: summary.files,
            ..Default::default()
        })
    }
}

/// Removes temporary files a killed run left behind (their names start with "." and end with
/// ".tmp"; see `crate::io`). Only called while holding the lock, so no live write is touched.
fn remove_leftover_temp_files(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            remove_leftover_temp_files(&path);
        } else if name.starts_with('.') && name.ends_with(".tmp") {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// Runs every stage of a pipeline that is not fresh.
pub fn run(opts: &RunOptions) -> Result<RunSummary> {
    let pipeline = Pipeline::load(&opts.pipeline)?;
    let out = out_dir_for(&pipeline, opts.out.as_deref());
    let _lock = RunLock::acquire(&out)?;
    remove_leftover_temp_files(&out);
    let manifest_path = out.join("manifest.json");
    let mut manifest = Manifest::load(&manifest_path)?.unwrap_or_default();
    manifest.program = "khuyencong".into();
    manifest.program_version = PROGRAM_VERSION.into();
    manifest.pipeline = pipeline.file.name.clone();
    manifest.synthetic = pipeline.file.synthetic;
    let lang = opts
        .lang
        .clone()
        .or_else(|| pipeline.file.lang.clone())
        .unwrap_or_else(|| "vi".into());
    let mut runner = Runner {
        pipeline: &pipeline,
        out: out.clone(),
        lang,
        manifest,
    };
    let mut stages = Vec::new();
    for stage in STAGES {
        let params = runner.params(stage);
        let input_paths = runner.inputs(stage);
        let inputs = runner.hashes(&input_paths)?;
        let fingerprint = runner.fingerprint(stage, &params, &inputs);
        if !opts.force && runner.is_fresh(stage, &fingerprint) {
            tracing::info!(stage, "skipped: inputs and parameters unchanged");
            stages.push((stage.to_string(), Outcome::Skipped));
            continue;
        }
        let spinner = opts.progress.then(|| {
            let pb = indicatif::ProgressBar::new_spinner();
            pb.set_message(format!("{stage} …"));
            pb.enable_steady_tick(std::time::Duration::from_millis(120));
            pb
        });
        let started = Instant::now();
        let result = runner.run_stage(stage);
        if let Some(pb) = spinner {
            pb.finish_and_clear();
        }
        let seconds = started.elapsed().as_secs_f64();
        let mut entry = StageEntry {
            name: stage.to_string(),
            fingerprint,
            inputs,
            parameters: params,
            seconds,
            finished_at: now_secs(),
            ..Default::default()
        };
        match result {
            Ok(done) => {
                entry.status = "ok".into();
                entry.outputs = runner.hashes(&done.outputs)?;
                entry.rows_in = done.rows_in;
                entry.rows_out = done.rows_out;
                entry.rejected = done.rejected;
                entry.details = done.details;
                stages.push((
                    stage.to_string(),
                    Outcome::Ran {
                        seconds,
                        rows_out: done.rows_out,
                        rejected: done.rejected,
                    },
                ));
                runner.manifest.put(entry);
                runner.manifest.save(&manifest_path)?;
            }
            Err(e) => {
                entry.status = "failed".into();
                entry.error = Some(e.to_string());
                runner.manifest.put(entry);
                runner.manifest.save(&manifest_path)?;
                return Err(e);
            }
        }
    }
    runner.manifest.save(&manifest_path)?;
    Ok(RunSummary {
        out_dir: out,
        stages,
    })
}

/// State of one stage as `status` shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum StageState {
    Fresh,
    Stale(String),
    Failed(String),
    NeverRun,
}

/// Reads the manifest and tells, for each stage, whether a run would skip it.
pub fn status(pipeline_path: &Path, out: Option<&Path>) -> Result<Vec<(String, StageState)>> {
    let pipeline = Pipeline::load(pipeline_path)?;
    let out = out_dir_for(&pipeline, out);
    let manifest = Manifest::load(&out.join("manifest.json"))?.unwrap_or_default();
    // The report is judged in the language it was last written in (`run --lang` may differ
    // from the pipeline file).
    let lang = manifest
        .stage("report")
        .and_then(|e| e.parameters["lang"].as_str().map(str::to_string))
        .or_else(|| pipeline.file.lang.clone())
        .unwrap_or_else(|| "vi".into());
    let runner = Runner {
        pipeline: &pipeline,
        out: out.clone(),
        lang,
        manifest,
    };
    let mut states = Vec::new();
    let mut upstream_stale = false;
    for stage in STAGES {
        let state = match runner.manifest.stage(stage) {
            None => StageState::NeverRun,
            Some(e) if e.status != "ok" => {
                StageState::Failed(e.error.clone().unwrap_or_else(|| "failed".into()))
            }
            Some(_) if upstream_stale => StageState::Stale("an earlier stage is not fresh".into()),
            Some(_) => {
                let params = runner.params(stage);
                match runner.hashes(&runner.inputs(stage)) {
                    Err(e) => StageState::Stale(format!("input unavailable: {e}")),
                    Ok(inputs) => {
                        let fp = runner.fingerprint(stage, &params, &inputs);
                        if runner.is_fresh(stage, &fp) {
                            StageState::Fresh
                        } else {
                            StageState::Stale("inputs, parameters or outputs changed".into())
                        }
                    }
                }
            }
        };
        upstream_stale |= state != StageState::Fresh;
        states.push((stage.to_string(), state));
    }
    Ok(states)
}
