//! `khuyencong ingest`: one file read into the canonical table and validated, the rejected rows
//! beside it. The command joins the ingest and validate stages; neither calls the other.

use crate::error::Result;
use crate::ingest::keys::SourceKeys;
use crate::ingest::{Kind, SourceSpec, ingest_file};
use std::path::{Path, PathBuf};

/// Ingests and validates one file and writes the canonical table (default: `<stem>.parquet` in
/// the current folder) and, when any row was rejected or `rejected` is given, the rejected rows
/// (default: `<stem>.rejected.parquet` beside the output). Nothing is written when the file
/// cannot be read; when rejections pass [`crate::validate::DEFAULT_MAX_REJECTED_SHARE`] only the
/// rejected file is written and the error says so. Returns the summary line to print.
pub fn run_ingest_command(
    file: &Path,
    kind: Kind,
    sheet: Option<&str>,
    keys: &SourceKeys,
    out: Option<&Path>,
    rejected: Option<&Path>,
) -> Result<String> {
    let mut spec = SourceSpec::new(kind, file);
    spec.sheet = sheet.map(str::to_string);
    keys.apply(&mut spec)?;
    let stem = spec.display_name();
    let out = out
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(format!("{stem}.parquet")));
    let rejected_path = rejected.map(Path::to_path_buf).unwrap_or_else(|| {
        let name = format!("{stem}.rejected.parquet");
        match out.parent().filter(|p| !p.as_os_str().is_empty()) {
            Some(dir) => dir.join(name),
            None => PathBuf::from(name),
        }
    });
    let started = std::time::Instant::now();
    let ingested = ingest_file(&spec)?;
    let boundary = ingested.boundary;
    let read_s = started.elapsed().as_secs_f64();
    let mut v = crate::validate::validate(ingested)?;
    let validate_s = started.elapsed().as_secs_f64() - read_s;
    for note in &v.notes {
        tracing::info!("{}: {note}", file.display());
    }
    let n_rej = v.rejected.height();
    if n_rej > 0 || rejected.is_some() {
        crate::io::write_parquet(&mut v.rejected, &rejected_path)?;
    }
    crate::validate::check_rejected_share(&v, file, crate::validate::DEFAULT_MAX_REJECTED_SHARE)?;
    crate::io::write_parquet(&mut v.clean, &out)?;
    tracing::info!(
        "read {read_s:.2} s, validated {validate_s:.2} s, written {:.2} s",
        started.elapsed().as_secs_f64() - read_s - validate_s
    );
    let mut line = format!(
        "{}: {} rows in → {} clean, {} rejected, {} skipped (boundary {}) → {}",
        file.display(),
        v.rows_in,
        v.clean.height(),
        n_rej,
        v.skipped,
        boundary.as_str(),
        out.display()
    );
    if n_rej > 0 {
        line.push_str(&format!("; rejected rows → {}", rejected_path.display()));
    }
    Ok(line)
}
