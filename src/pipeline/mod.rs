//! Runs a pipeline: the stage graph, freshness (a stage whose inputs, parameters and program
//! version are unchanged is skipped), the manifest, the output folder's lock, and progress.
//! Stages themselves are plain functions in their own modules; this module only moves their
//! tables between files.

pub mod config;
pub mod glob;
mod real;
pub mod runs;
mod stages;
mod status;

pub use crate::contract::manifest;
pub use status::{StatusReport, StatusStage, status_report};

use crate::contract::vocab::{DetailStatus, Lang, Stage, StageStatus};
use crate::error::{Error, Result};
use crate::ingest::Kind;
use crate::io;
use crate::reference::Boundary;
use config::Pipeline;
use manifest::{Details, FileHash, Manifest, NotApplicableRecord, StageEntry};
use polars::prelude::DataFrame;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub use crate::contract::PROGRAM_VERSION;

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
    pub stages: Vec<(Stage, Outcome)>,
}

/// What a stage produced.
#[derive(Default)]
struct StageOutput {
    outputs: Vec<PathBuf>,
    rows_in: u64,
    rows_out: u64,
    rejected: u64,
    details: Details,
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
        fs_err::create_dir_all(out_dir)?;
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
    fn params(&self, stage: Stage) -> serde_json::Value {
        (stages::def(stage).params)(self)
    }

    fn inputs(&self, stage: Stage) -> Vec<PathBuf> {
        if stage == Stage::Ingest {
            return self
                .pipeline
                .file
                .sources
                .iter()
                .map(|s| s.path.clone())
                .collect();
        }
        let mut paths: Vec<PathBuf> = stage
            .upstream()
            .iter()
            .filter_map(|u| self.manifest.stage(*u))
            .flat_map(|e| e.outputs.iter().map(|o| self.out.join(&o.path)))
            .collect();
        if stage == Stage::Indicators
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
            details: Details::NotApplicable(NotApplicableRecord {
                status: DetailStatus::NotApplicable,
                reason: crate::realdata::NO_SPENDING_REASON.into(),
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

    fn fingerprint(&self, stage: Stage, params: &serde_json::Value, inputs: &[FileHash]) -> String {
        let mut text = format!("{PROGRAM_VERSION}\n{stage}\n{params}\n");
        for i in inputs {
            text.push_str(&i.sha256);
            text.push('\n');
        }
        io::bytes_hash(text.as_bytes())
    }

    fn is_fresh(&self, stage: Stage, fingerprint: &str) -> bool {
        let Some(e) = self.manifest.stage(stage) else {
            return false;
        };
        e.is_ok()
            && e.fingerprint == fingerprint
            && e.outputs
                .iter()
                .all(|o| io::file_hash(&self.out.join(&o.path)).is_ok_and(|h| h == o.sha256))
    }

    pub(super) fn path(&self, rel: &str) -> PathBuf {
        self.out.join(rel)
    }

    pub(super) fn write(
        &self,
        df: &mut DataFrame,
        rel: &str,
        outputs: &mut Vec<PathBuf>,
    ) -> Result<()> {
        let p = self.path(rel);
        io::write_parquet(df, &p)?;
        outputs.push(p);
        Ok(())
    }

    pub(super) fn target_boundary(&self) -> Boundary {
        self.manifest
            .boundary
            .as_deref()
            .and_then(Boundary::parse)
            .unwrap_or(Boundary::B2008)
    }

    fn run_stage(&mut self, stage: Stage) -> Result<StageOutput> {
        (stages::def(stage).run)(self)
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
    let manifest_path = out.join("manifest.json");
    let mut runner = open_runner(opts, pipeline, out, &manifest_path)?;
    let mut stages = Vec::new();
    for &stage in Stage::ALL {
        let outcome = run_or_skip(&mut runner, stage, opts, &manifest_path, log)?;
        stages.push((stage, outcome));
    }
    runner.manifest.save(&manifest_path)?;
    Ok(RunSummary {
        out_dir: out.to_path_buf(),
        stages,
    })
}

/// The runner of one run: temporary files a killed run left are removed, and the manifest (the
/// previous run's, or a new one) is stamped with this program and pipeline.
fn open_runner<'a>(
    opts: &RunOptions,
    pipeline: &'a Pipeline,
    out: &Path,
    manifest_path: &Path,
) -> Result<Runner<'a>> {
    remove_leftover_temp_files(out);
    let mut manifest = Manifest::load(manifest_path)?.unwrap_or_default();
    manifest.program = "khuyencong".into();
    manifest.program_version = PROGRAM_VERSION.into();
    manifest.pipeline = pipeline.file.name.clone();
    manifest.synthetic = pipeline.file.synthetic;
    let lang = opts.lang.or(pipeline.file.lang).unwrap_or(Lang::Vi);
    Ok(Runner {
        pipeline,
        out: out.to_path_buf(),
        force: opts.force,
        lang,
        manifest,
    })
}

/// One stage of a run: skipped when its inputs, parameters and program version are unchanged
/// (unless forced), else run; either way recorded in the run's log, and a run in the manifest.
fn run_or_skip(
    runner: &mut Runner<'_>,
    stage: Stage,
    opts: &RunOptions,
    manifest_path: &Path,
    log: &mut Vec<runs::StageRecord>,
) -> Result<Outcome> {
    let params = runner.params(stage);
    let input_paths = runner.inputs(stage);
    let inputs = runner.hashes(&input_paths)?;
    let fingerprint = runner.fingerprint(stage, &params, &inputs);
    if !opts.force && runner.is_fresh(stage, &fingerprint) {
        tracing::info!(%stage, "skipped: inputs and parameters unchanged");
        log.push(skipped_record(stage, runner.manifest.stage(stage)));
        return Ok(Outcome::Skipped);
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
    let entry = StageEntry {
        fingerprint,
        inputs,
        parameters: params,
        seconds: started.elapsed().as_secs_f64(),
        finished_at: now_secs(),
        ..StageEntry::new(stage)
    };
    match result {
        Ok(done) => record_done(runner, entry, done, manifest_path, log),
        Err(e) => {
            record_failure(runner, entry, &e, manifest_path, log)?;
            Err(e)
        }
    }
}

/// The run's log line of a skipped stage, with the counts of its last run.
fn skipped_record(stage: Stage, last: Option<&StageEntry>) -> runs::StageRecord {
    runs::StageRecord {
        stage,
        status: runs::StageRun::Skipped,
        seconds: 0.0,
        rows_in: last.map_or(0, |e| e.rows_in),
        rows_out: last.map_or(0, |e| e.rows_out),
        rejected: last.map_or(0, |e| e.rejected),
        warnings: 0,
        error: None,
    }
}

/// Records a stage that finished (ran, or found it does not apply) in the run's log and the
/// manifest, and saves the manifest.
fn record_done(
    runner: &mut Runner<'_>,
    mut entry: StageEntry,
    done: StageOutput,
    manifest_path: &Path,
    log: &mut Vec<runs::StageRecord>,
) -> Result<Outcome> {
    let (stage, seconds) = (entry.name, entry.seconds);
    let not_applicable = done.details.is_not_applicable();
    log.push(runs::StageRecord {
        stage,
        status: if not_applicable {
            runs::StageRun::NotApplicable
        } else {
            runs::StageRun::Ran
        },
        seconds,
        rows_in: done.rows_in,
        rows_out: done.rows_out,
        rejected: done.rejected,
        warnings: done.details.warnings(),
        error: None,
    });
    entry.status = StageStatus::Ok;
    entry.outputs = runner.hashes(&done.outputs)?;
    entry.rows_in = done.rows_in;
    entry.rows_out = done.rows_out;
    entry.rejected = done.rejected;
    entry.details = done.details;
    let outcome = if not_applicable {
        Outcome::NotApplicable {
            reason: crate::realdata::NO_SPENDING_REASON.into(),
        }
    } else {
        Outcome::Ran {
            seconds,
            rows_out: done.rows_out,
            rejected: done.rejected,
        }
    };
    runner.manifest.put(entry);
    runner.manifest.save(manifest_path)?;
    Ok(outcome)
}

/// Records a stage that failed, with its error, in the run's log and the manifest, and saves
/// the manifest.
fn record_failure(
    runner: &mut Runner<'_>,
    mut entry: StageEntry,
    error: &Error,
    manifest_path: &Path,
    log: &mut Vec<runs::StageRecord>,
) -> Result<()> {
    log.push(runs::StageRecord {
        stage: entry.name,
        status: runs::StageRun::Failed,
        seconds: entry.seconds,
        rows_in: 0,
        rows_out: 0,
        rejected: 0,
        warnings: 0,
        error: Some(error.to_string()),
    });
    entry.status = StageStatus::Failed;
    entry.error = Some(error.to_string());
    runner.manifest.put(entry);
    runner.manifest.save(manifest_path)
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
pub fn status(pipeline_path: &Path, out: Option<&Path>) -> Result<Vec<(Stage, StageState)>> {
    let pipeline = Pipeline::load(pipeline_path)?;
    let out = out_dir_for(&pipeline, out);
    let manifest = Manifest::load(&out.join("manifest.json"))?.unwrap_or_default();
    // The report is judged in the language it was last written in (`run --lang` may differ
    // from the pipeline file).
    let lang = manifest
        .stage(Stage::Report)
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
    for &stage in Stage::ALL {
        let state = match runner.manifest.stage(stage) {
            None => StageState::NeverRun,
            Some(e) if !e.is_ok() => {
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
                        let na = entry.is_some_and(|e| e.details.is_not_applicable());
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
        states.push((stage, state));
    }
    Ok(states)
}
