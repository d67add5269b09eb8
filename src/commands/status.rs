//! `khuyencong status`: each stage's state from the manifest, as text or as one JSON object.

use crate::error::Error;
use std::path::Path;

/// Each stage's state (and the last run) as text, or as JSON for schedulers.
pub fn status(pipeline: &Path, out: Option<&Path>, json: bool) -> Result<String, Error> {
    if json {
        let report = crate::pipeline::status_report(pipeline, out)?;
        serde_json::to_string_pretty(&report).map_err(|e| Error::Other(e.to_string()))
    } else {
        let states = crate::pipeline::status(pipeline, out)?;
        let mut text = String::new();
        for (stage, state) in states {
            use crate::pipeline::StageState;
            let s = match state {
                StageState::Fresh => "fresh".to_string(),
                StageState::NotApplicable(why) => format!("fresh, not applicable ({why})"),
                StageState::Stale(why) => format!("stale ({why})"),
                StageState::Failed(why) => format!("failed: {why}"),
                StageState::NeverRun => "never run".to_string(),
            };
            text.push_str(&format!("{stage:<11} {s}\n"));
        }
        if let Some(last) = crate::pipeline::status_report(pipeline, out)?.last_run {
            text.push_str(&format!(
                "last run    finished {} with exit code {}\n",
                last.finished, last.exit_code
            ));
        }
        Ok(text.trim_end().to_string())
    }
}
