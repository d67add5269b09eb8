//! Runs on real published data that has no province-by-year spending table: the indicators of
//! such a run (provincial index tables, the programme's budget, targets and results, the
//! province-level spending facts) and the status the spending-based stages take in it.
//!
//! `indices` reads the index measures of the clean output table; `programme` reads the
//! programme's published record from the files named under `[programme]`.

pub mod activity;
pub mod indices;
pub mod programme;

use crate::error::Result;
use polars::prelude::DataFrame;
use std::path::{Path, PathBuf};

/// Why the panel, models and flags stages do not run on such data.
pub const NO_SPENDING_REASON: &str = "no province spending data: the pipeline has no source of \
     kind \"funding\", so province effects and flags cannot be estimated";

/// The `[programme]` section of a pipeline file: the programme's published record.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeFiles {
    /// Published budget figures (`kcqg_budget.csv` layout).
    #[serde(default)]
    pub budget: Option<PathBuf>,
    /// Published targets and results (`kcqg_targets_outputs.csv` layout).
    #[serde(default)]
    pub targets: Option<PathBuf>,
    /// Province-level spending facts (`kc_spending_province_facts.csv` layout).
    #[serde(default)]
    pub spending_facts: Option<PathBuf>,
    /// Money by activity group (`kc_spending_by_activity_facts.csv` layout).
    #[serde(default)]
    pub activity_facts: Option<PathBuf>,
}

impl ProgrammeFiles {
    /// Relative paths resolve against the pipeline file's folder.
    pub fn resolve(&mut self, dir: &Path) {
        for p in [
            &mut self.budget,
            &mut self.targets,
            &mut self.spending_facts,
            &mut self.activity_facts,
        ]
        .into_iter()
        .flatten()
        {
            if p.is_relative() {
                *p = dir.join(&*p);
            }
        }
    }

    /// Every file named, for the stage's freshness check.
    pub fn paths(&self) -> Vec<PathBuf> {
        [
            &self.budget,
            &self.targets,
            &self.spending_facts,
            &self.activity_facts,
        ]
        .into_iter()
        .flatten()
        .cloned()
        .collect()
    }
}

/// The tables of a real-data indicators stage, with their file names under `indicators/`.
pub struct RealIndicators {
    pub tables: Vec<(&'static str, DataFrame)>,
    /// Rows read from the programme files, and how many were rejected.
    pub programme_rows_in: usize,
    pub programme_rejected: usize,
    pub notes: Vec<String>,
}

/// Builds the real-data indicator tables from the clean output table and the programme files.
pub fn compute(output: &DataFrame, files: Option<&ProgrammeFiles>) -> Result<RealIndicators> {
    let (values, mut notes) = indices::from_output(output)?;
    let mut tables = vec![("province_index", indices::table(&values)?)];
    let mut rejected = Vec::new();
    let files = files.cloned().unwrap_or_default();
    let budget = match &files.budget {
        Some(p) => programme::read_budget(p, &mut rejected)?,
        None => Vec::new(),
    };
    let targets = match &files.targets {
        Some(p) => programme::read_targets(p, &mut rejected)?,
        None => Vec::new(),
    };
    let facts = match &files.spending_facts {
        Some(p) => programme::read_facts(p, &mut rejected)?,
        None => Vec::new(),
    };
    let activity = match &files.activity_facts {
        Some(p) => activity::read_activity(p, &mut rejected)?,
        None => Vec::new(),
    };
    for r in &rejected {
        notes.push(format!(
            "{} line {} ({}): rejected: {}",
            r.file, r.line, r.record_id, r.reason
        ));
    }
    tables.push(("programme_budget", programme::budget_table(&budget)?));
    tables.push(("programme_targets", programme::targets_table(&targets)?));
    tables.push(("spending_facts", programme::facts_table(&facts)?));
    tables.push(("activity_facts", activity::activity_table(&activity)?));
    tables.push(("programme_rejected", programme::rejected_table(&rejected)?));
    Ok(RealIndicators {
        tables,
        programme_rows_in: budget.len()
            + targets.len()
            + facts.len()
            + activity.len()
            + rejected.len(),
        programme_rejected: rejected.len(),
        notes,
    })
}
