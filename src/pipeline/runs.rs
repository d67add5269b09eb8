//! `runs.jsonl`: the history of runs in an output folder, one JSON object per line (when a run
//! started and finished, its exit code, the program version, the pipeline file's hash, and what
//! each stage did). Appended by rewriting the whole file atomically under the run's lock, so a
//! killed run never leaves a half line; only the newest `keep_runs` records are kept.

use crate::error::{Error, Result};
use std::path::Path;

/// File name of the run history inside the output folder.
pub const FILE: &str = "runs.jsonl";

/// Records kept by default (`keep_runs` in the pipeline file); older ones are dropped.
pub const DEFAULT_KEEP: usize = 1_000;

use crate::contract::vocab::Stage;
pub use crate::contract::vocab::StageRun;

/// One stage of one run.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageRecord {
    pub stage: Stage,
    pub status: StageRun,
    pub seconds: f64,
    pub rows_in: u64,
    pub rows_out: u64,
    pub rejected: u64,
    /// Notes the stage left about the data (header guesses, dropped rows, …), counted.
    pub warnings: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// One run, as a line of `runs.jsonl`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunRecord {
    /// UTC, RFC 3339 (`2026-01-31T02:00:00Z`).
    pub started: String,
    pub finished: String,
    pub seconds: f64,
    /// The process exit code this run ends with (0, 2, 3, …; see the README).
    pub exit_code: i32,
    pub program_version: String,
    /// The pipeline's `name`.
    pub pipeline: String,
    /// SHA-256 of the pipeline file's bytes.
    pub pipeline_sha256: String,
    pub forced: bool,
    pub stages: Vec<StageRecord>,
    /// The error's first line, when the run failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Seconds since 1970 as RFC 3339 UTC (civil-from-days, proleptic Gregorian).
pub fn rfc3339(unix: u64) -> String {
    let days = (unix / 86_400) as i64;
    let secs = unix % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3_600,
        secs % 3_600 / 60,
        secs % 60
    )
}

/// Appends `record` to the history at `path`, keeping the newest `keep` records (at least one).
/// Lines already there are kept as they are, even ones this version cannot parse.
pub fn append(path: &Path, record: &RunRecord, keep: usize) -> Result<()> {
    let old = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(Error::io(path, e)),
    };
    let mut lines: Vec<&str> = old.lines().filter(|l| !l.trim().is_empty()).collect();
    let keep = keep.max(1);
    if lines.len() >= keep {
        lines.drain(..lines.len() + 1 - keep);
    }
    let new = serde_json::to_string(record).map_err(|e| Error::Other(e.to_string()))?;
    let mut text = String::with_capacity(old.len() + new.len() + 1);
    for l in lines {
        text.push_str(l);
        text.push('\n');
    }
    text.push_str(&new);
    text.push('\n');
    crate::io::write_atomic(path, text.as_bytes())
}

/// Every record of the history that this version can read, oldest first.
pub fn read(path: &Path) -> Result<Vec<RunRecord>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(path, e)),
    };
    Ok(text
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_matches_known_dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        // 2000-02-29 12:34:56 UTC = 951827696 (leap day of a century leap year).
        assert_eq!(rfc3339(951_827_696), "2000-02-29T12:34:56Z");
        // 2026-11-30 00:00:00 UTC = 20,787 days after 1970-01-01.
        assert_eq!(rfc3339(20_787 * 86_400), "2026-11-30T00:00:00Z");
    }

    fn record(code: i32) -> RunRecord {
        RunRecord {
            started: rfc3339(0),
            finished: rfc3339(1),
            seconds: 1.0,
            exit_code: code,
            program_version: "0".into(),
            pipeline: "p".into(),
            pipeline_sha256: "00".into(),
            forced: false,
            stages: vec![StageRecord {
                stage: Stage::Ingest,
                status: StageRun::Ran,
                seconds: 0.5,
                rows_in: 3,
                rows_out: 2,
                rejected: 1,
                warnings: 0,
                error: None,
            }],
            error: None,
        }
    }

    #[test]
    fn append_keeps_the_newest_records_and_foreign_lines() {
        let dir = std::env::temp_dir().join(format!("khuyencong-runs-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(FILE);
        std::fs::write(&path, "not json\n").unwrap();
        for code in 0..4 {
            append(&path, &record(code), 3).unwrap();
        }
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 3, "{text}");
        let codes: Vec<i32> = read(&path).unwrap().iter().map(|r| r.exit_code).collect();
        assert_eq!(codes, vec![1, 2, 3]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
