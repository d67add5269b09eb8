//! `khuyencong sample` (the synthetic sample and its planted truth) and `khuyencong simulate`
//! (the simulation study of the verdict method).

use crate::error::Error;
use std::path::Path;

/// Writes the synthetic sample into `out`.
pub fn sample(out: &Path, seed: u64) -> Result<String, Error> {
    let summary = crate::sample::generate(out, seed)?;
    Ok(format!("{summary:?}"))
}

/// Runs the simulation study; with `doc`, also writes its table into that Markdown file.
pub fn simulate(reps: usize, seed: u64, doc: Option<&Path>) -> Result<String, Error> {
    if reps == 0 {
        return Err(Error::Usage("--reps must be at least 1".into()));
    }
    let table = crate::simulate::markdown(&crate::simulate::run(reps, seed));
    if let Some(doc) = doc {
        let text = fs_err::read_to_string(doc)?;
        let new = crate::simulate::splice(&text, &table).ok_or_else(|| {
            Error::Usage(format!(
                "{}: no {} … {} markers to write the table between",
                doc.display(),
                crate::simulate::BEGIN,
                crate::simulate::END
            ))
        })?;
        crate::io::write_atomic(doc, new.as_bytes())?;
    }
    Ok(table)
}
