//! `khuyencong run`: every stage of a pipeline that is not fresh, one line per stage.

use crate::contract::vocab::Lang;
use crate::error::Error;
use std::io::IsTerminal;
use std::path::Path;

/// Runs a pipeline; returns one line per stage and where the report is.
pub fn run(
    pipeline: &Path,
    out: Option<&Path>,
    force: bool,
    lang: Option<Lang>,
    wait: Option<u64>,
    quiet: bool,
) -> Result<String, Error> {
    let opts = crate::pipeline::RunOptions {
        wait: wait.map(std::time::Duration::from_secs),
        pipeline: pipeline.to_path_buf(),
        out: out.map(Path::to_path_buf),
        force,
        lang,
        progress: !quiet && std::io::stderr().is_terminal(),
    };
    let summary = crate::pipeline::run(&opts)?;
    let mut text = String::new();
    for (stage, outcome) in &summary.stages {
        use crate::pipeline::Outcome;
        let line = match outcome {
            Outcome::Skipped => {
                format!("{stage:<11} skipped (inputs and parameters unchanged)")
            }
            Outcome::NotApplicable { reason } => {
                format!("{stage:<11} not applicable ({reason})")
            }
            Outcome::Ran {
                seconds,
                rows_out,
                rejected,
            } => {
                let rej = if *rejected > 0 {
                    format!(", {rejected} rejected")
                } else {
                    String::new()
                };
                format!("{stage:<11} done in {seconds:.2} s ({rows_out} rows out{rej})")
            }
        };
        text.push_str(&line);
        text.push('\n');
    }
    text.push_str(&format!(
        "outputs in {}",
        summary.out_dir.join("report").join("index.html").display()
    ));
    Ok(text)
}
