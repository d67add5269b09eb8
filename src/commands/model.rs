//! `khuyencong model`: fixed-effects regressions on a CSV or Parquet file, as fixest fits them
//! (the fitting itself is `crate::models`).

use super::{Command, FixefRm, Format};
use crate::error::Error;

/// Fits the models a `model` command names; returns the table or JSON to print.
pub fn model(command: &Command) -> Result<String, Error> {
    let Command::Model {
        data,
        formula,
        weights,
        panel_id,
        ssc,
        vcov,
        fixef_rm,
        format,
        bootstrap,
        draws,
        ri,
        ri_strata,
        ri_draws,
        seed,
    } = command
    else {
        return Err(Error::Other("not the model command".into()));
    };
    crate::models::run_model_command(&crate::models::ModelCommand {
        data: data.clone(),
        formulas: formula.clone(),
        vcov: vcov.clone(),
        fixef_rm: match fixef_rm {
            FixefRm::Singleton => "singleton",
            FixefRm::None => "none",
        }
        .into(),
        format: match format {
            Format::Table => "table",
            Format::Json => "json",
        }
        .into(),
        weights: weights.clone(),
        panel_id: panel_id.clone(),
        ssc: ssc.clone(),
        bootstrap: bootstrap.as_ref().map(|t| {
            let mut b = crate::models::BootstrapSpec::new(t.clone());
            b.draws = *draws;
            b.seed = *seed;
            b
        }),
        ri: ri.as_ref().map(|t| crate::models::RiSpec {
            term: t.clone(),
            strata: ri_strata.clone(),
            permutations: *ri_draws,
            seed: *seed,
        }),
    })
}
