//! `status --json`: each stage's state and why, and the last recorded run, for schedulers and
//! monitoring systems (the text form is in the command line layer).

use super::{Pipeline, StageState, out_dir_for, runs, status};
use crate::contract::vocab::{Stage, StageFreshness};
use crate::error::Result;
use std::path::Path;

/// What `status --json` prints: each stage's state and why, and the last recorded run.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusReport {
    pub pipeline: String,
    pub out_dir: String,
    /// True when every stage is fresh: a run now would skip them all.
    pub fresh: bool,
    pub stages: Vec<StatusStage>,
    /// The newest line of `runs.jsonl`, if any run was recorded.
    pub last_run: Option<runs::RunRecord>,
}

/// One stage in [`StatusReport`].
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusStage {
    pub stage: Stage,
    /// fresh | stale | failed | never_run | not_applicable (fresh, with nothing to do for this
    /// kind of data)
    pub state: StageFreshness,
    /// Why the stage is stale or failed.
    pub reason: Option<String>,
}

/// The stages' states with the last run, for schedulers and monitoring.
pub fn status_report(pipeline_path: &Path, out: Option<&Path>) -> Result<StatusReport> {
    let pipeline = Pipeline::load(pipeline_path)?;
    let out_dir = out_dir_for(&pipeline, out);
    let stages: Vec<StatusStage> = status(pipeline_path, out)?
        .into_iter()
        .map(|(stage, state)| {
            let (state, reason) = match state {
                StageState::Fresh => (StageFreshness::Fresh, None),
                StageState::Stale(why) => (StageFreshness::Stale, Some(why)),
                StageState::Failed(why) => (StageFreshness::Failed, Some(why)),
                StageState::NeverRun => (StageFreshness::NeverRun, None),
                StageState::NotApplicable(why) => (StageFreshness::NotApplicable, Some(why)),
            };
            StatusStage {
                stage,
                state,
                reason,
            }
        })
        .collect();
    Ok(StatusReport {
        pipeline: pipeline.file.name.clone(),
        out_dir: out_dir.to_string_lossy().replace('\\', "/"),
        fresh: stages.iter().all(|s| {
            matches!(
                s.state,
                StageFreshness::Fresh | StageFreshness::NotApplicable
            )
        }),
        stages,
        last_run: runs::read(&out_dir.join(runs::FILE))?.pop(),
    })
}
