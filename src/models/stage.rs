//! The models stage of a pipeline: fits the pipeline's models on the panel (with a wild cluster
//! bootstrap beside the clustered inference of the key term), the event study of the pilot
//! provinces, and the province-specific effects that the flags stage judges.
//!
//! Province effects: one regression per evaluation window,
//! `dlog_output ~ Σ_p x_p | province_code^sector_code + sector_code^year`, where
//! `x_p = ln(1 + spending of the previous year)` in province p's cells and 0 elsewhere. Each
//! province's slope is identified from its own sectors and years, against the same sector in
//! other provinces in the same year (the sector × year effects) and net of each cell's own trend
//! (the cell effects). Errors are clustered by cell (province × sector); p-values are adjusted
//! across provinces with Benjamini–Hochberg.

use crate::contract::schema::col;
use crate::error::{Error, PolarsContext, Result};
use crate::models::ModelsParams;
use crate::models::pilot::{self, PilotInference};
use crate::models::{BootstrapSpec, ModelOptions, ModelResult, VcovSpec, fit_formula};
use crate::panel::PilotParams;
use crate::table::{self, TableBuilder};
use polars::prelude::*;
use std::path::{Path, PathBuf};

/// Wild bootstrap p-value and interval of one term, where run.
type Wild = (Option<f64>, Option<f64>, Option<f64>);

/// One period of the event study as written to `event_study.parquet`.
struct EventRow {
    rel_year: i32,
    estimate: Option<f64>,
    std_error: Option<f64>,
    conf_low: Option<f64>,
    conf_high: Option<f64>,
    conf_low_wild: Option<f64>,
    conf_high_wild: Option<f64>,
    p_value_wild: Option<f64>,
    reference: bool,
}

/// Fixed effects of every panel model: each cell's own trend and each sector's year shocks.
pub const PANEL_FE: &str = "province_code^sector_code + sector_code^year";

fn write_json(
    dir: &Path,
    name: &str,
    result: &ModelResult,
    outputs: &mut Vec<PathBuf>,
) -> Result<()> {
    let p = dir.join(format!("{name}.json"));
    crate::io::write_atomic(&p, result.to_json().as_bytes())?;
    outputs.push(p);
    Ok(())
}

/// The bootstrap numbers of a result, if it carries a bootstrap: (p-value, low, high).
fn wild(result: &ModelResult) -> Wild {
    let v = serde_json::to_value(&result.bootstrap).unwrap_or_default();
    let get = |k: &str| v.get(k).and_then(serde_json::Value::as_f64);
    (get("p_value"), get("conf_low"), get("conf_high"))
}

pub(crate) fn options(
    vcov: &str,
    bootstrap: Option<(&str, &ModelsParams)>,
) -> Result<ModelOptions> {
    let vcov = VcovSpec::parse(vcov)?;
    let clustered = matches!(vcov, VcovSpec::Cluster(_));
    Ok(ModelOptions {
        vcov,
        bootstrap: bootstrap.filter(|_| clustered).map(|(term, p)| {
            let mut b = BootstrapSpec::new(term);
            b.draws = p.bootstrap_draws;
            b.seed = p.seed;
            b
        }),
        ..ModelOptions::default()
    })
}

/// Fits everything and writes `models/`. Returns the files written.
pub fn run(
    panel: &DataFrame,
    params: &ModelsParams,
    pilot: Option<&PilotParams>,
    windows: &[(i32, i32)],
    dir: &Path,
) -> Result<Vec<PathBuf>> {
    let mut outputs = Vec::new();
    let mut coef_rows: Vec<(String, crate::stats::feols::Term, Wild)> = Vec::new();
    for spec in &params.specs {
        let opts = options(&spec.vcov, spec.bootstrap.as_deref().map(|t| (t, params)))?;
        let result = fit_formula(panel, &spec.formula, &opts)
            .map_err(|e| Error::Model(format!("model \"{}\": {e}", spec.name)))?;
        write_json(dir, &spec.name, &result, &mut outputs)?;
        for t in &result.coefficients {
            let w = if spec.bootstrap.as_deref() == Some(t.term.as_str()) {
                wild(&result)
            } else {
                (None, None, None)
            };
            coef_rows.push((spec.name.clone(), t.clone(), w));
        }
    }

    if let Some(pilot) = pilot {
        let (result, mut es, inference) = event_study(panel, pilot, params)?;
        write_json(dir, "event_study", &result, &mut outputs)?;
        let p = dir.join("pilot_inference.json");
        let text = serde_json::to_string_pretty(&inference)
            .map_err(|e| Error::Other(format!("cannot write pilot inference: {e}")))?;
        crate::io::write_atomic(&p, text.as_bytes())?;
        outputs.push(p);
        for t in &result.coefficients {
            coef_rows.push(("event_study".into(), t.clone(), (None, None, None)));
        }
        let p = dir.join("event_study.parquet");
        crate::io::write_parquet(&mut es, &p)?;
        outputs.push(p);
    }

    let mut coefs = TableBuilder::new()
        .str(
            col::MODEL,
            coef_rows.iter().map(|r| Some(r.0.clone())).collect(),
        )
        .str(
            col::TERM,
            coef_rows.iter().map(|r| Some(r.1.term.clone())).collect(),
        )
        .f64_dense(
            col::ESTIMATE,
            coef_rows.iter().map(|r| r.1.estimate).collect(),
        )
        .f64_dense(
            col::STD_ERROR,
            coef_rows.iter().map(|r| r.1.std_error).collect(),
        )
        .f64_dense(
            col::STATISTIC,
            coef_rows.iter().map(|r| r.1.statistic).collect(),
        )
        .f64_dense(
            col::P_VALUE,
            coef_rows.iter().map(|r| r.1.p_value).collect(),
        )
        .f64_dense(
            col::CONF_LOW,
            coef_rows.iter().map(|r| r.1.conf_low).collect(),
        )
        .f64_dense(
            col::CONF_HIGH,
            coef_rows.iter().map(|r| r.1.conf_high).collect(),
        )
        .f64(col::P_VALUE_WILD, coef_rows.iter().map(|r| r.2.0).collect())
        .f64(
            col::CONF_LOW_WILD,
            coef_rows.iter().map(|r| r.2.1).collect(),
        )
        .f64(
            col::CONF_HIGH_WILD,
            coef_rows.iter().map(|r| r.2.2).collect(),
        )
        .build()?;
    let p = dir.join("coefficients.parquet");
    crate::io::write_parquet(&mut coefs, &p)?;
    outputs.push(p);

    let span: Vec<(i32, i32)> = windows
        .iter()
        .copied()
        .min_by_key(|(a, b)| (*a, -*b))
        .into_iter()
        .collect();
    let mut sectors = super::sector::sector_effects(panel, &span)?;
    let p = dir.join("sector_effects.parquet");
    crate::io::write_parquet(&mut sectors, &p)?;
    outputs.push(p);
    Ok(outputs)
}

fn event_name(k: i32) -> String {
    if k < 0 {
        format!("ev_m{}", -k)
    } else {
        format!("ev_p{k}")
    }
}

/// Event study of the pilot cells against never-treated provinces: log output on indicators of
/// years relative to the pilot start (ends binned, the year before the start omitted), with cell
/// and sector × year effects, clustered by province, and a wild cluster bootstrap interval for
/// every period (few treated provinces make the clustered interval too optimistic). With one
/// adoption year this two-way estimator equals Sun and Abraham's interaction-weighted one; with
/// staggered start years (`[pilot] start_years`) each start year is its own cohort and the
/// cohorts are averaged (`models::pilot`). Also returns the pilot's inference summary.
pub fn event_study(
    panel: &DataFrame,
    pilot: &PilotParams,
    params: &ModelsParams,
) -> Result<(ModelResult, DataFrame, PilotInference)> {
    let sectors = table::strs(panel, col::SECTOR_CODE)?;
    let is_pilot = table::bools(panel, col::PILOT)?;
    let years = table::i32s(panel, col::YEAR)?;
    let rel_years = table::i32s(panel, col::REL_YEAR)?;
    let [lo, hi] = params.event_window;
    let keep: Vec<bool> = (0..panel.height())
        .map(|i| {
            is_pilot[i] != Some(true)
                || pilot
                    .sectors
                    .as_ref()
                    .is_none_or(|s| sectors[i].as_ref().is_some_and(|x| s.contains(x)))
        })
        .collect();
    let mask = BooleanChunked::from_iter(keep.iter().map(|k| Some(*k)));
    let mut df = panel
        .filter(&mask)
        .ctx(|| "cannot select event-study rows".into())?;
    let treated: Vec<bool> = (0..panel.height())
        .filter(|&i| keep[i])
        .map(|i| is_pilot[i] == Some(true))
        .collect();
    // First pilot year of each kept row (the panel's rel_year is counted from it).
    let start: Vec<Option<i32>> = (0..panel.height())
        .filter(|&i| keep[i])
        .map(|i| {
            if is_pilot[i] == Some(true) {
                years[i].zip(rel_years[i]).map(|(y, r)| y - r)
            } else {
                None
            }
        })
        .collect();
    let kept_years: Vec<i32> = (0..panel.height())
        .filter(|&i| keep[i])
        .map(|i| years[i].unwrap_or(0))
        .collect();
    pilot::add_columns(&mut df, &kept_years, &start)?;
    if pilot.staggered() {
        return staggered(&df, params);
    }
    let rel: Vec<i32> = (0..panel.height())
        .filter(|&i| keep[i])
        .map(|i| (years[i].unwrap_or(0) - pilot.start_year).clamp(lo, hi))
        .collect();
    let periods: Vec<i32> = (lo..=hi).filter(|k| *k != -1).collect();
    for &k in &periods {
        let v: Vec<f64> = rel
            .iter()
            .zip(&treated)
            .map(|(r, t)| if *t && *r == k { 1.0 } else { 0.0 })
            .collect();
        df.with_column(Column::new(event_name(k).into(), v))
            .ctx(|| "cannot add event indicators".into())?;
    }
    let rhs: Vec<String> = periods.iter().map(|k| event_name(*k)).collect();
    let formula = format!("log_output ~ {} | {PANEL_FE}", rhs.join(" + "));
    let result = fit_formula(&df, &formula, &options("cluster:province_code", None)?)?;
    let mut rows: Vec<EventRow> = Vec::new();
    for k in lo..=hi {
        let mut row = EventRow {
            rel_year: k,
            estimate: None,
            std_error: None,
            conf_low: None,
            conf_high: None,
            conf_low_wild: None,
            conf_high_wild: None,
            p_value_wild: None,
            reference: k == -1,
        };
        if k == -1 {
            // The omitted period: zero by construction, drawn as a point without a band.
            row.estimate = Some(0.0);
            row.std_error = Some(0.0);
            row.conf_low = Some(0.0);
            row.conf_high = Some(0.0);
            row.conf_low_wild = Some(0.0);
            row.conf_high_wild = Some(0.0);
        } else if let Some(t) = result.coefficient(&event_name(k)) {
            let name = event_name(k);
            let boot = fit_formula(
                &df,
                &formula,
                &options("cluster:province_code", Some((name.as_str(), params)))?,
            )?;
            (row.p_value_wild, row.conf_low_wild, row.conf_high_wild) = wild(&boot);
            row.estimate = Some(t.estimate);
            row.std_error = Some(t.std_error);
            row.conf_low = Some(t.conf_low);
            row.conf_high = Some(t.conf_high);
        }
        rows.push(row);
    }
    let inference = pilot::inference(&df, PANEL_FE, params, None)?;
    Ok((result, event_table(&rows)?, inference))
}

/// The event study with staggered start years (Sun–Abraham), as `event_study` returns it.
fn staggered(
    df: &DataFrame,
    params: &ModelsParams,
) -> Result<(ModelResult, DataFrame, PilotInference)> {
    let (es, cells) = pilot::staggered_event_study(df, PANEL_FE, params)?;
    let [lo, hi] = params.event_window;
    let rows: Vec<EventRow> = (lo..=hi)
        .map(|k| {
            let cell = cells.iter().find(|(r, _)| *r == k).map(|c| c.1);
            let zero = (k == -1).then_some(0.0);
            EventRow {
                rel_year: k,
                estimate: cell.map(|c| c.0).or(zero),
                std_error: cell.map(|c| c.1).or(zero),
                conf_low: cell.map(|c| c.2).or(zero),
                conf_high: cell.map(|c| c.3).or(zero),
                p_value_wild: cell.and_then(|c| c.4).map(|w| w.0),
                conf_low_wild: cell.and_then(|c| c.4).map(|w| w.1).or(zero),
                conf_high_wild: cell.and_then(|c| c.4).map(|w| w.2).or(zero),
                reference: k == -1,
            }
        })
        .collect();
    let result = es.model.clone();
    let inference = pilot::inference(df, PANEL_FE, params, Some(es))?;
    Ok((result, event_table(&rows)?, inference))
}

fn event_table(rows: &[EventRow]) -> Result<DataFrame> {
    TableBuilder::new()
        .i32(
            col::REL_YEAR,
            rows.iter().map(|r| Some(r.rel_year)).collect(),
        )
        .f64(col::ESTIMATE, rows.iter().map(|r| r.estimate).collect())
        .f64(col::STD_ERROR, rows.iter().map(|r| r.std_error).collect())
        .f64(col::CONF_LOW, rows.iter().map(|r| r.conf_low).collect())
        .f64(col::CONF_HIGH, rows.iter().map(|r| r.conf_high).collect())
        .f64(
            col::CONF_LOW_WILD,
            rows.iter().map(|r| r.conf_low_wild).collect(),
        )
        .f64(
            col::CONF_HIGH_WILD,
            rows.iter().map(|r| r.conf_high_wild).collect(),
        )
        .f64(
            col::P_VALUE_WILD,
            rows.iter().map(|r| r.p_value_wild).collect(),
        )
        .bool(
            col::REFERENCE,
            rows.iter().map(|r| Some(r.reference)).collect(),
        )
        .build()
}
