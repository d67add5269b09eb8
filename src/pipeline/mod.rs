//! Runs a pipeline: the stage graph, freshness (a stage whose inputs, parameters and program
//! version are unchanged is skipped), the manifest, the output folder's lock, and progress.
//! Stages themselves are plain functions in their own modules; this module only moves their
//! tables between files.

pub mod config;
pub mod glob;
pub mod manifest;
mod real;
pub mod runs;
mod status;

pub use status::{StageStatus, StatusReport, status_report};

use crate::contract::vocab::Lang;
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
    pub lang: Option<Lang>,
    /// Show a spinner per stage (on a terminal).
    pub progress: bool,
    /// How long to wait for another run's lock before giving up (exit code 4); `None`: not at all.
    pub wait: Option<std::time::Duration>,
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
    /// The stage needs data the pipeline does not have (a run on real data without province
    /// spending); recorded as such in the manifest, not a failure.
    NotApplicable {
        reason: String,
    },
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
    /// Takes the lock or fails at once with [`Error::Locked`].
    pub fn acquire(out_dir: &Path) -> Result<RunLock> {
        Self::acquire_waiting(out_dir, None)
    }

    /// Takes the lock, waiting up to `wait` for a run that holds it to finish. The operating
    /// system releases the lock when its holder ends, however it ends.
    pub fn acquire_waiting(out_dir: &Path, wait: Option<std::time::Duration>) -> Result<RunLock> {
        let deadline = wait.map(|w| Instant::now() + w);
        loop {
            match Self::try_acquire(out_dir) {
                Err(Error::Locked { .. }) if deadline.is_some_and(|d| Instant::now() < d) => {
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                other => return other,
            }
        }
    }

    fn try_acquire(out_dir: &Path) -> Result<RunLock> {
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
    /// Re-read every source even when its file is unchanged.
    force: bool,
    lang: Lang,
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
            "indicators" if !self.has_funding() => serde_json::json!({
                "programme": f.programme, "boundary": f.boundary, "years": f.years }),
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
        let mut paths: Vec<PathBuf> = upstream(stage)
            .iter()
            .filter_map(|u| self.manifest.stage(u))
            .flat_map(|e| e.outputs.iter().map(|o| self.out.join(&o.path)))
            .collect();
        if stage == "indicators"
            && let Some(p) = &self.pipeline.file.programme
        {
            paths.extend(p.paths());
        }
        paths
    }

    /// Whether the pipeline has province spending (a source of kind "funding"); without it,
    /// the stages that need spending are not applicable and the report describes the data.
    fn has_funding(&self) -> bool {
        self.pipeline
            .file
            .sources
            .iter()
            .any(|s| s.kind == Kind::Funding)
    }

    fn not_applicable(&self) -> StageOutput {
        StageOutput {
            details: serde_json::json!({
                "status": crate::realdata::NOT_APPLICABLE,
                "reason": crate::realdata::NO_SPENDING_REASON,
            }),
            ..Default::default()
        }
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
        if !self.has_funding() {
            match stage {
                "panel" | "models" | "flags" => return Ok(self.not_applicable()),
                "indicators" => return self.real_indicators(),
                "report" => return self.real_report(),
                _ => {}
            }
        }
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
            let sha256 = io::file_hash(&spec.path)?;
            let spec_json = serde_json::to_value(spec).unwrap_or_default();
            if let Some(mut previous) = self.reusable_ingest(&name, &sha256, &spec_json) {
                previous["kept"] = serde_json::Value::Bool(true);
                tracing::info!(source = %spec.path.display(), "unchanged: kept");
                out.rows_in += previous["rows_in"].as_u64().unwrap_or(0);
                out.rows_out += previous["rows"].as_u64().unwrap_or(0);
                out.rejected += previous["rejected"].as_u64().unwrap_or(0);
                for f in ["", ".rejected"] {
                    out.outputs
                        .push(self.path(&format!("staging/{name}{f}.parquet")));
                }
                details.push(previous);
                continue;
            }
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
                "sha256": sha256, "spec": spec_json, "program_version": PROGRAM_VERSION, "kept": false,
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
        remove_unlisted(&self.path("staging"), &out.outputs);
        Ok(out)
    }

    /// The previous run's ingest record of a source whose file and settings are unchanged and
    /// whose staging tables are still intact, so a new or changed file in a folder of yearly
    /// files re-reads only that file.
    fn reusable_ingest(
        &self,
        name: &str,
        sha256: &str,
        spec: &serde_json::Value,
    ) -> Option<serde_json::Value> {
        if self.force {
            return None;
        }
        let entry = self.manifest.stage("ingest").filter(|e| e.status == "ok")?;
        let detail = entry.details.as_array()?.iter().find(|d| {
            d["source"] == name
                && d["sha256"] == sha256
                && &d["spec"] == spec
                && d["program_version"] == PROGRAM_VERSION
        })?;
        let intact = ["", ".rejected"].iter().all(|f| {
            let rel = format!("staging/{name}{f}.parquet");
            entry.outputs.iter().any(|o| {
                o.path == rel && io::file_hash(&self.path(&rel)).is_ok_and(|h| h == o.sha256)
            })
        });
        intact.then(|| detail.clone())
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
        if output.is_empty() {
            return Err(Error::config(
                &self.pipeline.path,
                "a pipeline needs at least one source of kind \"output\"",
            ));
        }
        remove_unlisted(&self.path("rejected"), &out.outputs);
        // Without funding the run describes the output data only (see `has_funding`).
        for (tables, name) in [(&funding, "funding"), (&output, "output")] {
            if tables.is_empty() {
                continue;
            }
            let mut clean = table::concat_aligned(tables)?;
            self.write(
                &mut clean,
                &format!("clean/{name}.parquet"),
                &mut out.outputs,
            )?;
            let by_year = io::write_parquet_by_year(&clean, &self.path(&format!("clean/{name}")))?;
            out.outputs.extend(by_year);
        }
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
        out.outputs
            .extend(io::write_parquet_by_year(&panel, &self.path("panel"))?);
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
        let mut changes = match self.previous_flags()? {
            Some(previous) => crate::flags::changes::compare(&previous, &df)?,
            None => crate::flags::changes::empty()?,
        };
        out.details["changed_rows"] = serde_json::json!(changes.height());
        self.write(&mut df, "flags/flags.parquet", &mut out.outputs)?;
        self.write(&mut changes, "flags/changes.parquet", &mut out.outputs)?;
        if self.path("flags/previous.parquet").exists() {
            out.outputs.push(self.path("flags/previous.parquet"));
        }
        Ok(out)
    }

    /// The flags table of the last completed flags stage, kept as `flags/previous.parquet`
    /// before it is replaced. A flags table that no completed stage recorded (a killed run
    /// wrote it) is not taken: the last recorded one stays the comparison.
    fn previous_flags(&self) -> Result<Option<DataFrame>> {
        let current = self.path("flags/flags.parquet");
        let previous = self.path("flags/previous.parquet");
        let recorded = self
            .manifest
            .stage("flags")
            .filter(|e| e.status == "ok")
            .and_then(|e| e.outputs.iter().find(|o| o.path == "flags/flags.parquet"))
            .map(|o| o.sha256.clone());
        if let Some(hash) = recorded
            && io::file_hash(&current).is_ok_and(|h| h == hash)
        {
            let bytes = std::fs::read(&current).map_err(|e| Error::io(&current, e))?;
            io::write_atomic(&previous, &bytes)?;
        }
        if previous.exists() {
            io::read_parquet(&previous).map(Some)
        } else {
            Ok(None)
        }
    }

    fn report(&mut self) -> Result<StageOutput> {
        use crate::report::ReportContext;
        let f = &self.pipeline.file;
        let lang = self.lang;
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

/// Removes the Parquet files of `dir` that this run did not write (the tables of a source file
/// that has left a globbed folder). Only called while holding the lock.
fn remove_unlisted(dir: &Path, written: &[PathBuf]) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        if path.extension().is_some_and(|x| x == "parquet") && !written.contains(&path) {
            tracing::info!(file = %path.display(), "removed: its source is gone");
            let _ = std::fs::remove_file(&path);
        }
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

/// Runs every stage of a pipeline that is not fresh, and appends the run to `runs.jsonl`.
pub fn run(opts: &RunOptions) -> Result<RunSummary> {
    let pipeline = Pipeline::load(&opts.pipeline)?;
    let out = out_dir_for(&pipeline, opts.out.as_deref());
    let _lock = RunLock::acquire_waiting(&out, opts.wait)?;
    let started = now_secs();
    let clock = Instant::now();
    let mut record = runs::RunRecord {
        started: runs::rfc3339(started),
        finished: String::new(),
        seconds: 0.0,
        exit_code: 0,
        program_version: PROGRAM_VERSION.into(),
        pipeline: pipeline.file.name.clone(),
        pipeline_sha256: io::file_hash(&opts.pipeline).unwrap_or_default(),
        forced: opts.force,
        stages: Vec::new(),
        error: None,
    };
    let result = run_locked(opts, &pipeline, &out, &mut record.stages);
    record.finished = runs::rfc3339(now_secs());
    record.seconds = clock.elapsed().as_secs_f64();
    if let Err(e) = &result {
        record.exit_code = e.exit_code();
        record.error = Some(e.to_string());
    }
    let logged = runs::append(&out.join(runs::FILE), &record, pipeline.file.keep_runs);
    match (result, logged) {
        (Ok(summary), Ok(())) => Ok(summary),
        (Ok(_), Err(e)) => Err(e),
        (Err(e), Err(log)) => {
            tracing::warn!("could not record the run: {log}");
            Err(e)
        }
        (Err(e), Ok(())) => Err(e),
    }
}

fn run_locked(
    opts: &RunOptions,
    pipeline: &Pipeline,
    out: &Path,
    log: &mut Vec<runs::StageRecord>,
) -> Result<RunSummary> {
    let out = out.to_path_buf();
    remove_leftover_temp_files(&out);
    let manifest_path = out.join("manifest.json");
    let mut manifest = Manifest::load(&manifest_path)?.unwrap_or_default();
    manifest.program = "khuyencong".into();
    manifest.program_version = PROGRAM_VERSION.into();
    manifest.pipeline = pipeline.file.name.clone();
    manifest.synthetic = pipeline.file.synthetic;
    let lang = opts.lang.or(pipeline.file.lang).unwrap_or(Lang::Vi);
    let mut runner = Runner {
        pipeline,
        out: out.clone(),
        force: opts.force,
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
            let e = runner.manifest.stage(stage);
            log.push(runs::StageRecord {
                stage: stage.to_string(),
                status: runs::StageRun::Skipped,
                seconds: 0.0,
                rows_in: e.map_or(0, |e| e.rows_in),
                rows_out: e.map_or(0, |e| e.rows_out),
                rejected: e.map_or(0, |e| e.rejected),
                warnings: 0,
                error: None,
            });
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
                let not_applicable =
                    done.details["status"].as_str() == Some(crate::realdata::NOT_APPLICABLE);
                log.push(runs::StageRecord {
                    stage: stage.to_string(),
                    status: if not_applicable {
                        runs::StageRun::NotApplicable
                    } else {
                        runs::StageRun::Ran
                    },
                    seconds,
                    rows_in: done.rows_in,
                    rows_out: done.rows_out,
                    rejected: done.rejected,
                    warnings: runs::count_notes(&done.details),
                    error: None,
                });
                entry.status = "ok".into();
                entry.outputs = runner.hashes(&done.outputs)?;
                entry.rows_in = done.rows_in;
                entry.rows_out = done.rows_out;
                entry.rejected = done.rejected;
                entry.details = done.details;
                stages.push((
                    stage.to_string(),
                    if not_applicable {
                        Outcome::NotApplicable {
                            reason: crate::realdata::NO_SPENDING_REASON.into(),
                        }
                    } else {
                        Outcome::Ran {
                            seconds,
                            rows_out: done.rows_out,
                            rejected: done.rejected,
                        }
                    },
                ));
                runner.manifest.put(entry);
                runner.manifest.save(&manifest_path)?;
            }
            Err(e) => {
                log.push(runs::StageRecord {
                    stage: stage.to_string(),
                    status: runs::StageRun::Failed,
                    seconds,
                    rows_in: 0,
                    rows_out: 0,
                    rejected: 0,
                    warnings: 0,
                    error: Some(e.to_string()),
                });
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
    /// Fresh, and the stage does not apply to this pipeline (no province spending): the reason.
    NotApplicable(String),
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
        .and_then(|e| e.parameters["lang"].as_str().and_then(Lang::parse))
        .or(pipeline.file.lang)
        .unwrap_or(Lang::Vi);
    let runner = Runner {
        pipeline: &pipeline,
        out: out.clone(),
        force: false,
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
                        let entry = runner.manifest.stage(stage);
                        let na = entry.is_some_and(|e| {
                            e.details["status"].as_str() == Some(crate::realdata::NOT_APPLICABLE)
                        });
                        if runner.is_fresh(stage, &fp) && na {
                            StageState::NotApplicable(crate::realdata::NO_SPENDING_REASON.into())
                        } else if runner.is_fresh(stage, &fp) {
                            StageState::Fresh
                        } else {
                            StageState::Stale("inputs, parameters or outputs changed".into())
                        }
                    }
                }
            }
        };
        upstream_stale |= !matches!(state, StageState::Fresh | StageState::NotApplicable(_));
        states.push((stage.to_string(), state));
    }
    Ok(states)
}
