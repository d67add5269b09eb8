//! Inference for the pilot evaluation, beside the event study of the models stage: the pilot's
//! average effect after its start (Sun and Abraham's ATT, each start year a cohort), its
//! clustered, wild-bootstrap and randomization-inference p-values, the joint pre-trend test,
//! and the warning an advisor needs when too few provinces were treated for clustered standard
//! errors to be trusted. Written to `models/pilot_inference.json`; the report quotes it.
//!
//! Also the event study itself when pilot provinces started in different years (staggered
//! adoption): a two-way event study would then mix cohorts with weights that can be negative,
//! so each start year is estimated as its own cohort and the cohorts are averaged.

use super::event_study::{EventStudy, SunAbraham, sun_abraham, wild_aggregate};
use super::{BootstrapSpec, ModelOptions, VcovSpec, randomization_inference};
use crate::contract::schema::col;
use crate::error::{PolarsContext, Result};
use crate::models::ModelsParams;
use crate::stats::ri::RiOptions;
use polars::prelude::*;

/// Below this many treated clusters, clustered standard errors over-reject (MacKinnon & Webb
/// 2017); the report then warns and puts randomization inference beside the bootstrap.
pub const FEW_TREATED_CLUSTERS: usize = 10;

/// Column names the pilot models add to the event-study table.
pub const COHORT: &str = "pilot_cohort";
pub const POST: &str = "pilot_post";

/// Everything `models/pilot_inference.json` holds.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PilotInference {
    /// First pilot years, one per cohort.
    pub start_years: Vec<i32>,
    /// Cluster variable of every p-value below, and its numbers of clusters.
    pub cluster: String,
    pub clusters: usize,
    pub treated_clusters: usize,
    /// True when fewer than `FEW_TREATED_CLUSTERS` clusters were treated.
    pub few_treated: bool,
    /// Average effect over the years after the start (cohort cells weighted by observations).
    pub att: f64,
    pub att_std_error: f64,
    pub att_p_value: f64,
    /// Restricted wild cluster bootstrap of the ATT.
    pub wild_p_value: f64,
    pub wild_conf_low: f64,
    pub wild_conf_high: f64,
    pub wild_weights: String,
    pub wild_draws: usize,
    /// Randomization inference: the pilot's treatment paths reshuffled among provinces; the
    /// statistic is the coefficient of `pilot_post` in the two-way model with the same fixed
    /// effects (sharp null of no effect anywhere).
    pub ri_estimate: f64,
    pub ri_p_value: f64,
    pub ri_permutations: usize,
    pub seed: u64,
    /// Joint test that every pre-pilot year's coefficient is zero.
    pub pretrend_statistic: Option<f64>,
    pub pretrend_df1: Option<usize>,
    pub pretrend_df2: Option<f64>,
    pub pretrend_p_value: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pretrend_note: Option<String>,
    /// Start years at or before the panel's first year (no pre-pilot year), left out.
    pub always_treated: Vec<i64>,
}

/// The Sun–Abraham specification of the pilot event study on a table holding `COHORT`.
pub fn spec(fixed_effects: &str, window: [i32; 2]) -> SunAbraham {
    let mut s = SunAbraham::new(col::LOG_OUTPUT, col::PROVINCE_CODE, col::YEAR, COHORT);
    s.vcov = VcovSpec::Cluster(vec![col::PROVINCE_CODE.into()]);
    s.fixed_effects = Some(
        fixed_effects
            .split('+')
            .map(|t| t.split('^').map(|c| c.trim().to_string()).collect())
            .collect(),
    );
    s.bin = Some([window[0] as i64, window[1] as i64]);
    s
}

/// Adds `COHORT` (first pilot year of treated rows, 0 elsewhere) and `POST` (1 from that year
/// on) to the event-study table. `start[i]` is row i's first pilot year (None: never treated).
pub fn add_columns(df: &mut DataFrame, years: &[i32], start: &[Option<i32>]) -> Result<()> {
    let cohort: Vec<f64> = start.iter().map(|s| s.map_or(0.0, f64::from)).collect();
    let post: Vec<f64> = start
        .iter()
        .zip(years)
        .map(|(s, y)| if s.is_some_and(|s| *y >= s) { 1.0 } else { 0.0 })
        .collect();
    df.with_column(Column::new(COHORT.into(), cohort))
        .ctx(|| "cannot add the pilot cohort".into())?;
    df.with_column(Column::new(POST.into(), post))
        .ctx(|| "cannot add the pilot indicator".into())?;
    Ok(())
}

/// The staggered event study: per relative year, the estimate, its clustered interval and its
/// wild bootstrap (p, low, high), from the Sun–Abraham fit.
pub type EventCell = (f64, f64, f64, f64, Option<(f64, f64, f64)>);

/// Fits the Sun–Abraham event study and bootstraps each aggregated year.
pub fn staggered_event_study(
    df: &DataFrame,
    fixed_effects: &str,
    params: &ModelsParams,
) -> Result<(EventStudy, Vec<(i32, EventCell)>)> {
    let sa = spec(fixed_effects, params.event_window);
    let es = sun_abraham(df, &sa)?;
    let mut cells = Vec::new();
    for t in &es.model.coefficients {
        let Some(k) = t
            .term
            .strip_prefix("year::")
            .and_then(|v| v.parse::<i32>().ok())
        else {
            continue;
        };
        let wild = wild_aggregate(df, &sa, &t.term, &boot(&t.term, params))?;
        cells.push((
            k,
            (
                t.estimate,
                t.std_error,
                t.conf_low,
                t.conf_high,
                Some((wild.p_value, wild.conf_low, wild.conf_high)),
            ),
        ));
    }
    Ok((es, cells))
}

fn boot(term: &str, params: &ModelsParams) -> BootstrapSpec {
    let mut b = BootstrapSpec::new(term);
    b.draws = params.bootstrap_draws;
    b.seed = params.seed;
    b
}

/// The pilot's inference summary on the event-study table (which holds `COHORT` and `POST`).
/// `es` is the Sun–Abraham fit when already made (staggered starts).
pub fn inference(
    df: &DataFrame,
    fixed_effects: &str,
    params: &ModelsParams,
    es: Option<EventStudy>,
) -> Result<PilotInference> {
    let sa = spec(fixed_effects, params.event_window);
    let es = match es {
        Some(es) => es,
        None => sun_abraham(df, &sa)?,
    };
    let att = es.model.coefficient("ATT").cloned().ok_or_else(|| {
        crate::error::Error::Model("pilot: no year after the start is observed".into())
    })?;
    let wild = wild_aggregate(df, &sa, "ATT", &boot("ATT", params))?;
    let opts = ModelOptions {
        vcov: sa.vcov.clone(),
        ..ModelOptions::default()
    };
    let ri = randomization_inference(
        df,
        &format!("log_output ~ {POST} | {fixed_effects}"),
        &opts,
        POST,
        col::PROVINCE_CODE,
        Some(col::YEAR),
        &RiOptions {
            permutations: params.ri_permutations,
            seed: params.seed,
        },
    )?;
    let mut start_years: Vec<i32> = super::data::numeric(df, COHORT)?
        .into_iter()
        .filter(|c| *c > 0.0)
        .map(|c| c as i32)
        .collect();
    start_years.sort_unstable();
    start_years.dedup();
    let pt = es.pretrend.as_ref();
    Ok(PilotInference {
        start_years,
        cluster: wild.cluster.clone(),
        clusters: wild.clusters,
        treated_clusters: ri.treated_clusters,
        few_treated: ri.treated_clusters < FEW_TREATED_CLUSTERS,
        att: att.estimate,
        att_std_error: att.std_error,
        att_p_value: att.p_value,
        wild_p_value: wild.p_value,
        wild_conf_low: wild.conf_low,
        wild_conf_high: wild.conf_high,
        wild_weights: serde_json::to_value(wild.weights)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
        wild_draws: wild.draws,
        ri_estimate: ri.estimate,
        ri_p_value: ri.p_value,
        ri_permutations: ri.permutations,
        seed: params.seed,
        pretrend_statistic: pt.map(|t| t.statistic),
        pretrend_df1: pt.map(|t| t.df1),
        pretrend_df2: pt.map(|t| t.df2),
        pretrend_p_value: pt.map(|t| t.p_value),
        pretrend_note: es.pretrend_note.clone(),
        always_treated: es.always_treated.clone(),
    })
}
