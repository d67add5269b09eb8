//! The command line: argument definitions (clap derive; the doc comments are the help text),
//! dispatch to one module per command (`run`, `status`, `ingest`, `model`, `sample` with
//! `simulate`), and how errors reach a person (one line first, then the causes) and a scheduled
//! job (the exit code). Commands call the stages and the runner; no stage calls back here.

mod ingest;
mod model;
mod run;
mod sample;
mod status;

pub use ingest::run_ingest_command;

use crate::error::Error;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Links industrial extension (khuyến công) spending in Vietnam to rural industrial growth,
/// and finds support that was spread thin with no clear effect.
#[derive(Debug, Parser)]
#[command(name = "khuyencong", version, about, long_about = None)]
pub struct Cli {
    /// More log output (-v info, -vv debug); RUST_LOG overrides.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// Print nothing on success (warnings about the data still go to the manifest).
    #[arg(short, long, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum KindArg {
    Funding,
    Output,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FixefRm {
    Singleton,
    None,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run every stage of a pipeline; stages whose inputs and parameters are unchanged are skipped.
    Run {
        /// Pipeline file.
        #[arg(default_value = "pipelines/default.toml")]
        pipeline: PathBuf,
        /// Output folder [default: out/<pipeline name>/].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Rerun every stage, fresh or not.
        #[arg(long)]
        force: bool,
        /// Report language [default: the pipeline's `lang`, else vi].
        #[arg(long, value_enum)]
        lang: Option<crate::contract::vocab::Lang>,
        /// Wait up to this many seconds for another run holding the output folder's lock, then
        /// exit 4 [default: do not wait].
        #[arg(long, value_name = "SECONDS")]
        wait: Option<u64>,
    },
    /// Write the synthetic sample inputs and their planted truth.
    Sample {
        /// Output folder.
        #[arg(long, default_value = "data/sample")]
        out: PathBuf,
        /// Seed of the generator.
        #[arg(long, default_value_t = crate::sample::DEFAULT_SEED)]
        seed: u64,
    },
    /// Simulation study of the verdict method: seeded worlds on the real province list, the
    /// verdict rates per world and method as a Markdown table.
    Simulate {
        /// Replications per world.
        #[arg(long, default_value_t = crate::simulate::DEFAULT_REPS)]
        reps: usize,
        /// Seed of the study.
        #[arg(long, default_value_t = crate::simulate::DEFAULT_SEED)]
        seed: u64,
        /// Also write the table between the simulate markers of this Markdown file
        /// (docs/METHOD.md).
        #[arg(long)]
        doc: Option<PathBuf>,
    },
    /// Read one CSV, XLSX or Parquet file into the canonical table, with rejected rows and reasons.
    Ingest {
        /// The file to read.
        file: PathBuf,
        /// What the file holds.
        #[arg(long, value_enum)]
        kind: KindArg,
        /// Sheet of an XLSX file [default: the first].
        #[arg(long)]
        sheet: Option<String>,
        /// Where to write the canonical table (Parquet).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Where to write the rejected rows (Parquet).
        #[arg(long)]
        rejected: Option<PathBuf>,
        /// Source keys, as in a pipeline's [[sources]].
        #[command(flatten)]
        keys: crate::ingest::keys::SourceKeys,
    },
    /// Fit a linear model with fixed effects (fixest syntax) on a CSV or Parquet file.
    Model {
        /// CSV or Parquet file; columns ending in `_code` are read as text.
        #[arg(long)]
        data: PathBuf,
        /// Formula, e.g. "y ~ x1 + x2 | fe1 + fe2", "fe1^fe2", "i(rel_year, ref = -1)".
        /// Repeat to fit several models side by side (JSON: an array).
        #[arg(long, required = true)]
        formula: Vec<String>,
        /// Column of observation weights (weighted least squares); zero weights leave the row
        /// out, negative weights are an error.
        #[arg(long)]
        weights: Option<String>,
        /// Panel unit and time columns, UNIT,TIME, for l(x, k) and f(x, k) in the formula.
        #[arg(long)]
        panel_id: Option<String>,
        /// Small-sample conventions, e.g. "fixef.K=full,cluster.adj=false,dist=normal"
        /// (fixest's defaults: fixef.K=nested, cluster.adj=true, dist=t).
        #[arg(long)]
        ssc: Option<String>,
        /// Variance: iid, hetero, cluster:VAR or cluster:VAR1+VAR2.
        #[arg(long, default_value = "iid")]
        vcov: String,
        /// Remove fixed-effect singletons (recursively), as fixest does by default.
        #[arg(long, value_enum, default_value = "singleton")]
        fixef_rm: FixefRm,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
        /// Term to test with a restricted wild cluster bootstrap (needs a cluster vcov).
        #[arg(long)]
        bootstrap: Option<String>,
        /// Bootstrap draws.
        #[arg(long, default_value_t = 9_999)]
        draws: usize,
        /// Term to test by randomization inference: its values are reshuffled among the
        /// clusters of --vcov (or the units of --panel-id), whole paths over --panel-id's time.
        #[arg(long)]
        ri: Option<String>,
        /// Permute only among clusters with the same value of this column.
        #[arg(long, requires = "ri")]
        ri_strata: Option<String>,
        /// Randomization-inference permutations (all of them, exactly, when there are fewer).
        #[arg(long, default_value_t = 999)]
        ri_draws: usize,
        /// Seed of the bootstrap and of randomization inference (the pipeline's default too).
        #[arg(long, default_value_t = crate::stats::DEFAULT_SEED)]
        seed: u64,
    },
    /// Show each stage's state (fresh, stale, failed, never run) from the manifest.
    Status {
        /// Pipeline file.
        #[arg(default_value = "pipelines/default.toml")]
        pipeline: PathBuf,
        /// Output folder [default: out/<pipeline name>/].
        #[arg(long)]
        out: Option<PathBuf>,
        /// One JSON object (the stages' states and why, the last run's exit code and time), for
        /// schedulers and monitoring.
        #[arg(long)]
        json: bool,
    },
}

fn init_logging(verbose: u8, quiet: bool) {
    use tracing_subscriber::EnvFilter;
    let default = match verbose {
        0 if quiet => "error",
        0 => "warn",
        1 => "khuyencong=info",
        _ => "khuyencong=debug",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
}

/// Runs a parsed command; returns what to print on success.
pub fn execute(cli: &Cli) -> Result<String, Error> {
    match &cli.command {
        Command::Run {
            pipeline,
            out,
            force,
            lang,
            wait,
        } => run::run(pipeline, out.as_deref(), *force, *lang, *wait, cli.quiet),
        Command::Sample { out, seed } => sample::sample(out, *seed),
        Command::Simulate { reps, seed, doc } => sample::simulate(*reps, *seed, doc.as_deref()),
        Command::Ingest {
            file,
            kind,
            sheet,
            out,
            rejected,
            keys,
        } => ingest::run_ingest_command(
            file,
            match kind {
                KindArg::Funding => crate::ingest::Kind::Funding,
                KindArg::Output => crate::ingest::Kind::Output,
            },
            sheet.as_deref(),
            keys,
            out.as_deref(),
            rejected.as_deref(),
        ),
        Command::Model { .. } => model::model(&cli.command),
        Command::Status {
            pipeline,
            out,
            json,
        } => status::status(pipeline, out.as_deref(), *json),
    }
}

/// Formats an error for a person: the first line says what and where; `Caused by:` lines
/// follow.
pub fn render_error(e: &Error) -> String {
    let mut text = format!("error: {e}");
    let mut source = std::error::Error::source(e);
    if source.is_some() {
        text.push_str("\n\nCaused by:");
    }
    while let Some(s) = source {
        text.push_str(&format!("\n    {s}"));
        source = s.source();
    }
    text
}

/// Entry point of the binary; returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    init_logging(cli.verbose, cli.quiet);
    match execute(&cli) {
        Ok(text) => {
            if !cli.quiet && !text.is_empty() {
                // A closed pipe (`khuyencong status --json | head`) is not an error of the run.
                use std::io::Write;
                let _ = writeln!(std::io::stdout().lock(), "{text}");
            }
            0
        }
        Err(e) => {
            eprintln!("{}", render_error(&e));
            e.exit_code()
        }
    }
}
