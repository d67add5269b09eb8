//! Sector-specific effects of lagged spending on output growth over the whole span (the
//! `models/sector_effects.parquet` table): each sector's slope on ln(1 + last year's spending)
//! against the other sectors of the same province in the same year (province × year effects)
//! and net of cell trends, clustered by province, with Benjamini–Hochberg q-values.

use super::stage::options;
use crate::contract::schema::col;
use crate::error::{PolarsContext, Result};
use crate::models::fit_formula;
use crate::stats::multiple::benjamini_hochberg;
use crate::table::{self, TableBuilder};
use polars::prelude::*;
use std::collections::BTreeMap;

/// One sector's slope in one window.
#[derive(Debug, Clone, Default)]
struct SectorEffect {
    sector: String,
    start: i32,
    end: i32,
    estimate: Option<f64>,
    std_error: Option<f64>,
    conf_low: Option<f64>,
    conf_high: Option<f64>,
    p_value: Option<f64>,
    q_value: Option<f64>,
    nobs: i64,
    n_treated_cells: i64,
}

/// Sector-specific effects over the whole span: each sector's slope against the other sectors
/// of the same province in the same year (province × year effects) and net of cell trends,
/// clustered by province.
pub fn sector_effects(panel: &DataFrame, windows: &[(i32, i32)]) -> Result<DataFrame> {
    group_effects(panel, windows)
}

fn group_effects(panel: &DataFrame, windows: &[(i32, i32)]) -> Result<DataFrame> {
    let provinces = table::strs(panel, col::PROVINCE_CODE)?;
    let sectors = table::strs(panel, col::SECTOR_CODE)?;
    let years = table::i32s(panel, col::YEAR)?;
    let x = table::f64s(panel, col::LOG_SPEND_LAG1)?;
    let dlog = table::f64s(panel, col::DLOG_OUTPUT)?;
    let mut rows: Vec<SectorEffect> = Vec::new();
    for &(start, end) in windows {
        let idx: Vec<usize> = (0..panel.height())
            .filter(|&i| years[i].is_some_and(|y| y >= start && y <= end))
            .collect();
        let mut treated_cells: BTreeMap<&str, i64> = BTreeMap::new();
        let mut nobs: BTreeMap<&str, i64> = BTreeMap::new();
        let group_of = |i: usize| sectors[i].as_deref().unwrap_or("");
        for &i in &idx {
            let p = group_of(i);
            if x[i].is_some() && dlog[i].is_some() {
                *nobs.entry(p).or_default() += 1;
                if x[i].is_some_and(|v| v > 0.0) {
                    *treated_cells.entry(p).or_default() += 1;
                }
            }
        }
        let supported: Vec<&str> = treated_cells.keys().copied().collect();
        let mut cols: Vec<Column> = vec![
            Column::new(
                col::DLOG_OUTPUT.into(),
                idx.iter()
                    .map(|&i| dlog[i])
                    .collect::<Float64Chunked>()
                    .into_series(),
            ),
            Column::new(
                col::PROVINCE_CODE.into(),
                idx.iter()
                    .map(|&i| provinces[i].clone())
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                col::SECTOR_CODE.into(),
                idx.iter().map(|&i| sectors[i].clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                col::YEAR.into(),
                idx.iter()
                    .map(|&i| years[i])
                    .collect::<Int32Chunked>()
                    .into_series(),
            ),
            Column::new(
                "province_year".into(),
                idx.iter()
                    .map(|&i| {
                        format!(
                            "{}_{}",
                            provinces[i].as_deref().unwrap_or(""),
                            years[i].unwrap_or(0)
                        )
                    })
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "cell".into(),
                idx.iter()
                    .map(|&i| {
                        format!(
                            "{}_{}",
                            provinces[i].as_deref().unwrap_or(""),
                            sectors[i].as_deref().unwrap_or("")
                        )
                    })
                    .collect::<Vec<_>>(),
            ),
        ];
        for p in &supported {
            let v: Float64Chunked = idx
                .iter()
                .map(|&i| {
                    if group_of(i) == *p {
                        x[i]
                    } else {
                        x[i].map(|_| 0.0)
                    }
                })
                .collect();
            cols.push(Column::new(format!("x_{p}").into(), v.into_series()));
        }
        let df = DataFrame::new_infer_height(cols).ctx(|| "cannot build effect table".into())?;
        let rhs: Vec<String> = supported.iter().map(|p| format!("x_{p}")).collect();
        let all_provinces: std::collections::BTreeSet<&str> =
            idx.iter().map(|&i| group_of(i)).collect();
        let mut window_rows: Vec<SectorEffect> = all_provinces
            .iter()
            .map(|p| SectorEffect {
                sector: p.to_string(),
                start,
                end,
                nobs: nobs.get(p).copied().unwrap_or(0),
                n_treated_cells: treated_cells.get(p).copied().unwrap_or(0),
                ..Default::default()
            })
            .collect();
        if !rhs.is_empty() {
            // Sector slopes: against the province's other sectors in the same year, clustered
            // by province.
            let (fe, cluster) = (
                "province_code^sector_code + province_year",
                "cluster:province_code",
            );
            let formula = format!("dlog_output ~ {} | {fe}", rhs.join(" + "));
            let fit = fit_formula(&df, &formula, &options(cluster, None)?)?;
            for r in window_rows.iter_mut() {
                if let Some(t) = fit.coefficient(&format!("x_{}", r.sector)) {
                    r.estimate = Some(t.estimate);
                    r.std_error = Some(t.std_error);
                    r.conf_low = Some(t.conf_low);
                    r.conf_high = Some(t.conf_high);
                    r.p_value = Some(t.p_value);
                }
            }
        }
        let p: Vec<f64> = window_rows
            .iter()
            .map(|r| r.p_value.unwrap_or(f64::NAN))
            .collect();
        for (r, q) in window_rows.iter_mut().zip(benjamini_hochberg(&p)) {
            r.q_value = (!q.is_nan()).then_some(q);
        }
        rows.extend(window_rows);
    }
    TableBuilder::new()
        .str(
            col::SECTOR_CODE,
            rows.iter().map(|r| Some(r.sector.clone())).collect(),
        )
        .i32(
            col::PERIOD_START,
            rows.iter().map(|r| Some(r.start)).collect(),
        )
        .i32(col::PERIOD_END, rows.iter().map(|r| Some(r.end)).collect())
        .f64(col::ESTIMATE, rows.iter().map(|r| r.estimate).collect())
        .f64(col::STD_ERROR, rows.iter().map(|r| r.std_error).collect())
        .f64(col::CONF_LOW, rows.iter().map(|r| r.conf_low).collect())
        .f64(col::CONF_HIGH, rows.iter().map(|r| r.conf_high).collect())
        .f64(col::P_VALUE, rows.iter().map(|r| r.p_value).collect())
        .f64(col::Q_VALUE, rows.iter().map(|r| r.q_value).collect())
        .i64(col::NOBS, rows.iter().map(|r| Some(r.nobs)).collect())
        .i64(
            col::N_TREATED_CELLS,
            rows.iter().map(|r| Some(r.n_treated_cells)).collect(),
        )
        .build()
}
