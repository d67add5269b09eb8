//! Province-specific effects of support on output growth, on plain arrays, shared by the
//! pipeline's models stage and the simulation study (`khuyencong simulate`).
//!
//! The verdict method (`Method::AnySupport`): for the outcome rows (province p, sector s, year t)
//! of a window,
//!
//! `growth_pst = α_ps + γ_pt + δ_st + β_p · D_ps,t−lag + ε_pst`
//!
//! with `D = 1` when the cell received any support in year t − lag (a margin that does not depend
//! on the money unit), cell effects α (each cell's own trend), **province × year** effects γ
//! (budget cycles and shocks common to all sectors of a province in a year) and sector × year
//! effects δ. Each province's β is identified within its own province-years, across sectors.
//! Errors are clustered by cell; the t distribution has (distinct supported cells − 1) degrees
//! of freedom, so a slope resting on few cells gets a wide interval. A placebo fit adds the lead
//! `D_ps,t+1` (support next year, judged on growth this year): a would-be clear effect whose
//! placebo interval excludes zero is a dip before support, not an effect of it.
//!
//! The previous method (`Method::LogSpendSlope`, kept for comparison in the simulation) is the
//! slope on `ln(1 + spending in million VND)` with cell and sector × year effects only, clustered
//! by cell with the t distribution of all cells.
//!
//! The fit is exact least squares, computed by backfitting: the sector × year effects and the
//! per-province blocks (cell effects, province × year effects, slopes) are updated in turn until
//! the sector × year effects stop moving. Each block is small, so a window of 63 provinces × 20
//! sectors × 12 years fits in milliseconds.

use super::{Unit, UnitEffect};
use crate::contract::schema::col;
use crate::error::Result;
use crate::stats::multiple::benjamini_hochberg;
use crate::table::{self, TableBuilder};
use polars::prelude::DataFrame;
use statrs::distribution::{ContinuousCDF, StudentsT};
use std::collections::{BTreeMap, BTreeSet};

/// Which estimator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Any support last year, province × year effects, per-province degrees of freedom.
    AnySupport,
    /// Slope on ln(1 + last year's spending), cell-clustered, no province × year effects.
    LogSpendSlope,
}

/// Growth and spending on a full province × sector × year grid. `NaN` growth is missing output;
/// `NaN` spending is "no data" (outside what the funding source covers), not "no support".
#[derive(Debug, Clone)]
pub struct CellPanel {
    pub provinces: Vec<String>,
    pub n_sectors: usize,
    pub first_year: i32,
    pub n_years: usize,
    pub growth: Vec<f64>,
    pub spend: Vec<f64>,
}

impl CellPanel {
    pub fn index(&self, p: usize, s: usize, t: usize) -> usize {
        (p * self.n_sectors + s) * self.n_years + t
    }
}

/// The estimate for one province in one window.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Estimate {
    pub estimate: Option<f64>,
    pub std_error: Option<f64>,
    /// Degrees of freedom of the t distribution used for this coefficient.
    pub df: Option<f64>,
    /// Two-sided p-value against zero.
    pub p_value: Option<f64>,
    /// Outcome rows of the province in the window.
    pub nobs: i64,
    /// Distinct province × sector cells with support in a support year of the window.
    pub supported_cells: i64,
    /// Distinct cells observed without support in a year when another cell of the province
    /// had support (the comparison the province × year effects leave).
    pub comparison_cells: i64,
    /// Supported cell-years (the count the previous rule used).
    pub supported_cell_years: i64,
    /// Placebo: coefficient of next year's support on this year's growth.
    pub placebo: Option<f64>,
    pub placebo_se: Option<f64>,
    pub placebo_df: Option<f64>,
}

impl Estimate {
    /// Two-sided interval of level `level` (0.90 = 5% in each tail).
    pub fn interval(&self, level: f64) -> Option<(f64, f64)> {
        interval(self.estimate?, self.std_error?, self.df?, level)
    }

    pub fn placebo_interval(&self, level: f64) -> Option<(f64, f64)> {
        interval(self.placebo?, self.placebo_se?, self.placebo_df?, level)
    }
}

/// `est ± t_{df, (1+level)/2} · se`.
pub fn interval(est: f64, se: f64, df: f64, level: f64) -> Option<(f64, f64)> {
    let c = t_crit(df, level)?;
    (se.is_finite() && est.is_finite()).then_some((est - c * se, est + c * se))
}

/// Critical value of the two-sided t interval.
pub fn t_crit(df: f64, level: f64) -> Option<f64> {
    if df.is_nan() || df < 1.0 || level <= 0.0 || level >= 1.0 || level.is_nan() {
        return None;
    }
    let dist = StudentsT::new(0.0, 1.0, df).ok()?;
    Some(dist.inverse_cdf(0.5 + level / 2.0))
}

fn p_value(est: f64, se: f64, df: f64) -> Option<f64> {
    let t = est / se;
    if !t.is_finite() || df.is_nan() || df < 1.0 {
        return None;
    }
    let dist = StudentsT::new(0.0, 1.0, df).ok()?;
    Some(2.0 * dist.sf(t.abs()))
}

/// One outcome row of a fit.
#[derive(Clone, Copy)]
struct Row {
    p: usize,
    s: usize,
    t: usize,
    y: f64,
    x: [f64; 2],
}

/// Estimates every province's effect for the window of **support years** `[start, end]`:
/// outcome rows are the years `start + lag ..= end + lag` (growth `lag` years after support).
pub fn estimate_window(
    panel: &CellPanel,
    start: i32,
    end: i32,
    lag: usize,
    method: Method,
) -> Vec<Estimate> {
    let np = panel.provinces.len();
    let mut out = vec![Estimate::default(); np];
    let year_index = |y: i32| -> Option<usize> {
        let k = y - panel.first_year;
        (k >= 0 && (k as usize) < panel.n_years).then_some(k as usize)
    };
    let support_years: Vec<usize> = (start..=end).filter_map(year_index).collect();
    let mut main_rows = Vec::new();
    let mut placebo_rows = Vec::new();
    for (p, o) in out.iter_mut().enumerate() {
        let mut supported = vec![false; panel.n_sectors];
        let mut compared = vec![false; panel.n_sectors];
        for &ts in &support_years {
            let any = (0..panel.n_sectors).any(|s| panel.spend[panel.index(p, s, ts)] > 0.0);
            for s in 0..panel.n_sectors {
                let v = panel.spend[panel.index(p, s, ts)];
                let t = ts + lag;
                let has_outcome =
                    t < panel.n_years && panel.growth[panel.index(p, s, t)].is_finite();
                if v > 0.0 && has_outcome {
                    supported[s] = true;
                    o.supported_cell_years += 1;
                } else if v == 0.0 && any && has_outcome {
                    compared[s] = true;
                }
            }
        }
        o.supported_cells = supported.iter().filter(|b| **b).count() as i64;
        o.comparison_cells = compared.iter().filter(|b| **b).count() as i64;
        for &ts in &support_years {
            let t = ts + lag;
            if t >= panel.n_years {
                continue;
            }
            for s in 0..panel.n_sectors {
                let y = panel.growth[panel.index(p, s, t)];
                let v = panel.spend[panel.index(p, s, ts)];
                if !y.is_finite() || !v.is_finite() {
                    continue;
                }
                let x0 = match method {
                    Method::AnySupport => f64::from(u8::from(v > 0.0)),
                    Method::LogSpendSlope => v.max(0.0).ln_1p(),
                };
                o.nobs += 1;
                main_rows.push(Row {
                    p,
                    s,
                    t,
                    y,
                    x: [x0, 0.0],
                });
                let lead = (t + 1 < panel.n_years)
                    .then(|| panel.spend[panel.index(p, s, t + 1)])
                    .filter(|v| v.is_finite());
                if let Some(l) = lead {
                    placebo_rows.push(Row {
                        p,
                        s,
                        t,
                        y,
                        x: [x0, f64::from(u8::from(l > 0.0))],
                    });
                }
            }
        }
    }
    let py = method == Method::AnySupport;
    let main = fit(panel, &main_rows, 1, py);
    let total_cells: usize = {
        let mut seen = std::collections::BTreeSet::new();
        for r in &main_rows {
            seen.insert((r.p, r.s));
        }
        seen.len()
    };
    for (p, e) in out.iter_mut().enumerate() {
        let Some(f) = &main[p] else { continue };
        let df = match method {
            Method::AnySupport => (e.supported_cells - 1).min(f.clusters as i64 - 1) as f64,
            Method::LogSpendSlope => total_cells as f64 - 1.0,
        };
        if df < 1.0 || !f.se[0].is_finite() {
            continue;
        }
        e.estimate = Some(f.beta[0]);
        e.std_error = Some(f.se[0]);
        e.df = Some(df);
        e.p_value = p_value(f.beta[0], f.se[0], df);
    }
    if method == Method::AnySupport {
        let placebo = fit(panel, &placebo_rows, 2, py);
        for (p, e) in out.iter_mut().enumerate() {
            let Some(f) = &placebo[p] else { continue };
            let df = (f.clusters as f64 - 1.0).min(e.supported_cells.max(2) as f64 - 1.0);
            if df >= 1.0 && f.se[1].is_finite() {
                e.placebo = Some(f.beta[1]);
                e.placebo_se = Some(f.se[1]);
                e.placebo_df = Some(df);
            }
        }
    }
    out
}

/// A province block's slopes and their cell-clustered standard errors.
struct BlockFit {
    beta: [f64; 2],
    se: [f64; 2],
    clusters: usize,
}

/// One province's rows, their demeaned regressors and the inverse of X̃'X̃.
struct Block {
    rows: Vec<usize>,
    cell: Vec<usize>,
    year: Vec<usize>,
    n_cells: usize,
    n_years: usize,
    xd: [Vec<f64>; 2],
    inv: Option<[f64; 4]>,
}

impl Block {
    /// Removes cell (and, with `py`, year) means from `v` in place.
    fn demean(&self, v: &mut [f64], py: bool) {
        let mut sum_c = vec![0.0; self.n_cells];
        let mut cnt_c = vec![0.0; self.n_cells];
        let mut sum_t = vec![0.0; self.n_years];
        let mut cnt_t = vec![0.0; self.n_years];
        for i in 0..v.len() {
            cnt_c[self.cell[i]] += 1.0;
            cnt_t[self.year[i]] += 1.0;
        }
        for _ in 0..500 {
            sum_c.iter_mut().for_each(|x| *x = 0.0);
            for i in 0..v.len() {
                sum_c[self.cell[i]] += v[i];
            }
            for i in 0..v.len() {
                v[i] -= sum_c[self.cell[i]] / cnt_c[self.cell[i]];
            }
            if !py {
                return;
            }
            sum_t.iter_mut().for_each(|x| *x = 0.0);
            for i in 0..v.len() {
                sum_t[self.year[i]] += v[i];
            }
            let mut moved = 0.0f64;
            for i in 0..v.len() {
                let m = sum_t[self.year[i]] / cnt_t[self.year[i]];
                v[i] -= m;
                moved = moved.max(m.abs());
            }
            if moved < 1e-13 {
                return;
            }
        }
    }
}

/// Joint least squares of `y ~ x_p | cell + [province×year] + sector×year` by backfitting.
/// Returns, per province, the slopes and cell-clustered standard errors (None when the
/// province's regressors do not vary within its fixed effects).
fn fit(panel: &CellPanel, rows: &[Row], k: usize, py: bool) -> Vec<Option<BlockFit>> {
    let np = panel.provinces.len();
    let (ns, nt) = (panel.n_sectors, panel.n_years);
    let mut blocks: Vec<Block> = Vec::with_capacity(np);
    let mut by_p: Vec<Vec<usize>> = vec![Vec::new(); np];
    for (i, r) in rows.iter().enumerate() {
        by_p[r.p].push(i);
    }
    for idx in by_p {
        let mut cell_code = vec![usize::MAX; ns];
        let mut year_code = vec![usize::MAX; nt];
        let (mut nc, mut ny) = (0, 0);
        let mut cell = Vec::with_capacity(idx.len());
        let mut year = Vec::with_capacity(idx.len());
        for &i in &idx {
            let r = rows[i];
            if cell_code[r.s] == usize::MAX {
                cell_code[r.s] = nc;
                nc += 1;
            }
            if year_code[r.t] == usize::MAX {
                year_code[r.t] = ny;
                ny += 1;
            }
            cell.push(cell_code[r.s]);
            year.push(year_code[r.t]);
        }
        let mut b = Block {
            rows: idx,
            cell,
            year,
            n_cells: nc,
            n_years: ny,
            xd: [Vec::new(), Vec::new()],
            inv: None,
        };
        for j in 0..k {
            let mut v: Vec<f64> = b.rows.iter().map(|&i| rows[i].x[j]).collect();
            b.demean(&mut v, py);
            b.xd[j] = v;
        }
        b.inv = invert(&b.xd, k);
        blocks.push(b);
    }

    // Backfitting between the sector × year effects and the province blocks.
    let mut delta = vec![0.0; ns * nt];
    let mut count = vec![0.0; ns * nt];
    for r in rows {
        count[r.s * nt + r.t] += 1.0;
    }
    let mut block_fit = vec![0.0; rows.len()];
    let mut resid = vec![0.0; rows.len()];
    let mut betas: Vec<[f64; 2]> = vec![[0.0; 2]; np];
    for _ in 0..2_000 {
        for (p, b) in blocks.iter().enumerate() {
            let mut r: Vec<f64> = b
                .rows
                .iter()
                .map(|&i| rows[i].y - delta[rows[i].s * nt + rows[i].t])
                .collect();
            let raw = r.clone();
            b.demean(&mut r, py);
            let mut beta = [0.0; 2];
            if let Some(inv) = b.inv {
                let xy: Vec<f64> = (0..k).map(|j| dot(&b.xd[j], &r)).collect();
                for a in 0..k {
                    beta[a] = (0..k).map(|c| inv[a * 2 + c] * xy[c]).sum();
                }
            }
            betas[p] = beta;
            for (n, &i) in b.rows.iter().enumerate() {
                let e = r[n] - (0..k).map(|j| b.xd[j][n] * beta[j]).sum::<f64>();
                resid[i] = e;
                block_fit[i] = raw[n] - e;
            }
        }
        let mut next = vec![0.0; ns * nt];
        for (i, r) in rows.iter().enumerate() {
            next[r.s * nt + r.t] += r.y - block_fit[i];
        }
        let mut moved = 0.0f64;
        for c in 0..ns * nt {
            if count[c] > 0.0 {
                next[c] /= count[c];
            }
            moved = moved.max((next[c] - delta[c]).abs());
        }
        delta = next;
        if moved < 1e-11 {
            break;
        }
    }

    blocks
        .iter()
        .enumerate()
        .map(|(p, b)| {
            let inv = b.inv?;
            let n = b.rows.len() as f64;
            let mut scores = vec![[0.0; 2]; b.n_cells];
            for (m, &i) in b.rows.iter().enumerate() {
                for (j, xd) in b.xd.iter().enumerate().take(k) {
                    scores[b.cell[m]][j] += xd[m] * resid[i];
                }
            }
            let mut meat = [0.0; 4];
            for s in &scores {
                for a in 0..k {
                    for c in 0..k {
                        meat[a * 2 + c] += s[a] * s[c];
                    }
                }
            }
            let g = b.n_cells as f64;
            // With province × year effects the cell effects count in K too: with few years a
            // cell's demeaned residuals are much smaller than its errors, and leaving the cell
            // effects out of K (as when they are nested in the clusters) makes the interval too
            // narrow in short windows.
            let kk = k as f64
                + if py {
                    b.n_years as f64 - 1.0 + b.n_cells as f64
                } else {
                    0.0
                };
            if g < 2.0 || n <= kk + 1.0 {
                return None;
            }
            let adj = g / (g - 1.0) * (n - 1.0) / (n - kk);
            let mut se = [f64::NAN; 2];
            for (a, s) in se.iter_mut().enumerate().take(k) {
                let mut v = 0.0;
                for c in 0..k {
                    for d in 0..k {
                        v += inv[a * 2 + c] * meat[c * 2 + d] * inv[d * 2 + a];
                    }
                }
                *s = (v * adj).max(0.0).sqrt();
            }
            Some(BlockFit {
                beta: betas[p],
                se,
                clusters: b.n_cells,
            })
        })
        .collect()
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Inverse of X̃'X̃ (k = 1 or 2) as a 2 × 2 row-major array; None when a regressor does not vary
/// within the fixed effects or the two are collinear.
fn invert(x: &[Vec<f64>; 2], k: usize) -> Option<[f64; 4]> {
    let a = dot(&x[0], &x[0]);
    let scale0: f64 = x[0].iter().map(|v| v.abs()).fold(0.0, f64::max);
    if a.is_nan() || a <= 1e-10 * scale0.max(1e-300) * x[0].len() as f64 || a < 1e-12 {
        return None;
    }
    if k == 1 {
        return Some([1.0 / a, 0.0, 0.0, 0.0]);
    }
    let b = dot(&x[0], &x[1]);
    let d = dot(&x[1], &x[1]);
    let det = a * d - b * b;
    if det.is_nan() || det <= 1e-9 * a * d {
        return None;
    }
    Some([d / det, -b / det, -b / det, a / det])
}

/// The grid of a panel table (`province_code`, `sector_code`, `year`, `spend_mvnd`,
/// `dlog_output`); a null `spend_mvnd` is "no data".
pub fn cell_panel(panel: &DataFrame) -> Result<CellPanel> {
    let provinces = table::strs(panel, col::PROVINCE_CODE)?;
    let sectors = table::strs(panel, col::SECTOR_CODE)?;
    let years = table::i32s(panel, col::YEAR)?;
    let spend = table::f64s(panel, col::SPEND_MVND)?;
    let growth = table::f64s(panel, col::DLOG_OUTPUT)?;
    let p_set: BTreeSet<&str> = provinces.iter().flatten().map(String::as_str).collect();
    let s_set: BTreeSet<&str> = sectors.iter().flatten().map(String::as_str).collect();
    let (first, last) = match (years.iter().flatten().min(), years.iter().flatten().max()) {
        (Some(a), Some(b)) => (*a, *b),
        _ => (0, -1),
    };
    let p_idx: BTreeMap<&str, usize> = p_set.iter().enumerate().map(|(i, p)| (*p, i)).collect();
    let s_idx: BTreeMap<&str, usize> = s_set.iter().enumerate().map(|(i, s)| (*s, i)).collect();
    let n_years = (last - first + 1).max(0) as usize;
    let n = p_set.len() * s_set.len() * n_years;
    let mut out = CellPanel {
        provinces: p_set.iter().map(|p| p.to_string()).collect(),
        n_sectors: s_set.len(),
        first_year: first,
        n_years,
        growth: vec![f64::NAN; n],
        spend: vec![f64::NAN; n],
    };
    for i in 0..panel.height() {
        let (Some(p), Some(s), Some(y)) = (&provinces[i], &sectors[i], years[i]) else {
            continue;
        };
        let k = out.index(p_idx[p.as_str()], s_idx[s.as_str()], (y - first) as usize);
        out.growth[k] = growth[i].unwrap_or(f64::NAN);
        out.spend[k] = spend[i].unwrap_or(f64::NAN);
    }
    Ok(out)
}

/// Province effects of every window of support years, as `models/province_effects.parquet`
/// (schema in docs/TABLES.md).
pub fn province_effects(
    panel: &DataFrame,
    windows: &[(i32, i32)],
    lag: usize,
) -> Result<DataFrame> {
    let grid = cell_panel(panel)?;
    let mut rows: Vec<UnitEffect> = Vec::new();
    for &(start, end) in windows {
        let est = estimate_window(&grid, start, end, lag, Method::AnySupport);
        let p: Vec<f64> = est.iter().map(|e| e.p_value.unwrap_or(f64::NAN)).collect();
        let q = benjamini_hochberg(&p);
        for ((province, e), q) in grid.provinces.iter().zip(est).zip(q) {
            rows.push(UnitEffect {
                unit: Unit::Province(province.clone()),
                start,
                end,
                est: e,
                q_value: (!q.is_nan()).then_some(q),
            });
        }
    }
    let x = |f: &dyn Fn(&UnitEffect) -> Option<f64>| rows.iter().map(f).collect::<Vec<_>>();
    let i = |f: &dyn Fn(&UnitEffect) -> i64| rows.iter().map(|r| Some(f(r))).collect::<Vec<_>>();
    TableBuilder::new()
        .str(
            col::PROVINCE_CODE,
            rows.iter()
                .map(|r| Some(r.unit.code().to_string()))
                .collect(),
        )
        .i32(
            col::PERIOD_START,
            rows.iter().map(|r| Some(r.start)).collect(),
        )
        .i32(col::PERIOD_END, rows.iter().map(|r| Some(r.end)).collect())
        .i32(
            col::LAG_YEARS,
            rows.iter().map(|_| Some(lag as i32)).collect(),
        )
        .f64(col::ESTIMATE, x(&|r| r.est.estimate))
        .f64(col::STD_ERROR, x(&|r| r.est.std_error))
        .f64(col::DF, x(&|r| r.est.df))
        .f64(col::P_VALUE, x(&|r| r.est.p_value))
        .f64(col::Q_VALUE, x(&|r| r.q_value))
        .i64(col::NOBS, i(&|r| r.est.nobs))
        .i64(col::N_SUPPORTED_CELLS, i(&|r| r.est.supported_cells))
        .i64(col::N_COMPARISON_CELLS, i(&|r| r.est.comparison_cells))
        .i64(
            col::N_SUPPORTED_CELL_YEARS,
            i(&|r| r.est.supported_cell_years),
        )
        .f64(col::PLACEBO, x(&|r| r.est.placebo))
        .f64(col::PLACEBO_STD_ERROR, x(&|r| r.est.placebo_se))
        .f64(col::PLACEBO_DF, x(&|r| r.est.placebo_df))
        .build()
}

/// Reads `models/province_effects.parquet` back.
pub fn read_effects(df: &DataFrame) -> Result<Vec<UnitEffect>> {
    let ep = table::strs(df, col::PROVINCE_CODE)?;
    let es = table::i32s(df, col::PERIOD_START)?;
    let ee = table::i32s(df, col::PERIOD_END)?;
    let f = |c: &str| table::f64s(df, c);
    let (est, se, dfs, p, q) = (
        f(col::ESTIMATE)?,
        f(col::STD_ERROR)?,
        f(col::DF)?,
        f(col::P_VALUE)?,
        f(col::Q_VALUE)?,
    );
    let (pl, pl_se, pl_df) = (
        f(col::PLACEBO)?,
        f(col::PLACEBO_STD_ERROR)?,
        f(col::PLACEBO_DF)?,
    );
    let n = |c: &str| table::i64s(df, c);
    let (nobs, cells, comp, cy) = (
        n(col::NOBS)?,
        n(col::N_SUPPORTED_CELLS)?,
        n(col::N_COMPARISON_CELLS)?,
        n(col::N_SUPPORTED_CELL_YEARS)?,
    );
    Ok((0..df.height())
        .map(|i| UnitEffect {
            unit: Unit::Province(ep[i].clone().unwrap_or_default()),
            start: es[i].unwrap_or(0),
            end: ee[i].unwrap_or(0),
            est: Estimate {
                estimate: est[i],
                std_error: se[i],
                df: dfs[i],
                p_value: p[i],
                nobs: nobs[i].unwrap_or(0),
                supported_cells: cells[i].unwrap_or(0),
                comparison_cells: comp[i].unwrap_or(0),
                supported_cell_years: cy[i].unwrap_or(0),
                placebo: pl[i],
                placebo_se: pl_se[i],
                placebo_df: pl_df[i],
            },
            q_value: q[i],
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::feols::{self, Column, FeolsSpec, Groups, Vcov};
    use crate::stats::rng::Rng;

    /// A small unbalanced panel with a planted effect in every province.
    fn panel(seed: u64, beta: f64) -> CellPanel {
        let mut rng = Rng::new(seed);
        let (np, ns, nt) = (6, 5, 8);
        let mut p = CellPanel {
            provinces: (0..np).map(|i| format!("{i:02}")).collect(),
            n_sectors: ns,
            first_year: 2012,
            n_years: nt,
            growth: vec![f64::NAN; np * ns * nt],
            spend: vec![0.0; np * ns * nt],
        };
        for i in 0..np * ns * nt {
            if rng.uniform() < 0.4 {
                p.spend[i] = 50.0 + 500.0 * rng.uniform();
            }
        }
        for pp in 0..np {
            for s in 0..ns {
                let trend = 0.02 * rng.normal();
                for t in 1..nt {
                    if rng.uniform() < 0.05 {
                        continue;
                    }
                    let d = f64::from(u8::from(p.spend[p.index(pp, s, t - 1)] > 0.0));
                    let i = p.index(pp, s, t);
                    p.growth[i] = trend
                        + 0.01 * (t as f64) * (s as f64 - 2.0)
                        + 0.02 * (pp as f64) * (t as f64 % 3.0)
                        + beta * d
                        + 0.03 * rng.normal();
                }
            }
        }
        p
    }

    /// The backfitted slopes equal a direct fit of the same model with `feols`.
    #[test]
    fn backfitting_equals_the_joint_least_squares_fit() {
        let p = panel(3, 0.05);
        let est = estimate_window(&p, 2012, 2018, 1, Method::AnySupport);
        // Direct fit: y ~ Σ_p D·1[p] | cell + province^year + sector^year.
        let (np, ns, nt) = (6, 5, 8);
        let mut y = Vec::new();
        let mut xs: Vec<Vec<f64>> = vec![Vec::new(); np];
        let (mut cell, mut pyr, mut syr) = (Vec::new(), Vec::new(), Vec::new());
        for pp in 0..np {
            for s in 0..ns {
                for t in 1..nt {
                    let g = p.growth[p.index(pp, s, t)];
                    if !g.is_finite() {
                        continue;
                    }
                    y.push(g);
                    let d = f64::from(u8::from(p.spend[p.index(pp, s, t - 1)] > 0.0));
                    for (q, x) in xs.iter_mut().enumerate() {
                        x.push(if q == pp { d } else { 0.0 });
                    }
                    cell.push((pp * ns + s) as u32);
                    pyr.push((pp * nt + t) as u32);
                    syr.push((s * nt + t) as u32);
                }
            }
        }
        let names: Vec<String> = (0..np).map(|i| format!("x{i}")).collect();
        let regs: Vec<Column> = names
            .iter()
            .zip(&xs)
            .map(|(n, v)| Column { name: n, values: v })
            .collect();
        let mut spec = FeolsSpec::new(
            Column {
                name: "y",
                values: &y,
            },
            regs,
            vec![
                Groups {
                    name: "cell",
                    codes: &cell,
                },
                Groups {
                    name: "py",
                    codes: &pyr,
                },
                Groups {
                    name: "sy",
                    codes: &syr,
                },
            ],
        );
        spec.vcov = Vcov::Cluster(vec![Groups {
            name: "cell",
            codes: &cell,
        }]);
        spec.drop_singletons = false;
        let direct = feols::feols(&spec).unwrap();
        for (q, e) in est.iter().enumerate() {
            let b = direct.terms[q].estimate;
            assert!(
                (e.estimate.unwrap() - b).abs() < 1e-7,
                "province {q}: {e:?} vs {b}"
            );
        }
        // The planted 0.05 is inside most 90% intervals and every estimate is near it.
        let covered = est
            .iter()
            .filter(|e| {
                let (lo, hi) = e.interval(0.90).unwrap();
                lo <= 0.05 && 0.05 <= hi
            })
            .count();
        assert!(covered >= 4, "{est:?}");
    }

    #[test]
    fn supported_cells_are_distinct_cells_not_cell_years() {
        let mut p = panel(5, 0.0);
        // Province 0: support only in sector 0, every year.
        for s in 0..p.n_sectors {
            for t in 0..p.n_years {
                let i = p.index(0, s, t);
                p.spend[i] = if s == 0 { 100.0 } else { 0.0 };
            }
        }
        let est = estimate_window(&p, 2012, 2018, 1, Method::AnySupport);
        assert_eq!(est[0].supported_cells, 1);
        assert!(est[0].supported_cell_years >= 6);
        // One supported cell: no degrees of freedom for an interval.
        assert!(est[0].estimate.is_none());
    }

    #[test]
    fn any_support_estimates_do_not_move_when_amounts_are_rescaled() {
        let p = panel(9, 0.03);
        let mut q = p.clone();
        q.spend.iter_mut().for_each(|v| *v *= 1000.0);
        let a = estimate_window(&p, 2012, 2018, 1, Method::AnySupport);
        let b = estimate_window(&q, 2012, 2018, 1, Method::AnySupport);
        assert_eq!(a, b);
        // The old slope on ln(1 + spend) does move.
        let a = estimate_window(&p, 2012, 2018, 1, Method::LogSpendSlope);
        let b = estimate_window(&q, 2012, 2018, 1, Method::LogSpendSlope);
        assert!((a[0].estimate.unwrap() - b[0].estimate.unwrap()).abs() > 1e-6);
    }
}

#[cfg(test)]
mod sample_tests {
    use super::*;
    use crate::sample::dgp::{Group, World};

    /// The sample world read directly (no files): growth from output, support from grants.
    pub(super) fn grid(w: &World) -> CellPanel {
        let (np, ns, nt) = (
            w.provinces.len(),
            w.sectors.len(),
            crate::sample::dgp::N_YEARS,
        );
        let support = w.support();
        let mut p = CellPanel {
            provinces: w.provinces.iter().map(|p| p.code.clone()).collect(),
            n_sectors: ns,
            first_year: crate::sample::dgp::FIRST_YEAR,
            n_years: nt,
            growth: vec![f64::NAN; np * ns * nt],
            spend: vec![0.0; np * ns * nt],
        };
        for (a, (support_a, output_a)) in support.iter().zip(&w.output).enumerate() {
            for (s, (cell_support, cell_output)) in support_a.iter().zip(output_a).enumerate() {
                for (t, amount) in cell_support.iter().enumerate() {
                    let i = p.index(a, s, t);
                    p.spend[i] = *amount;
                    let prev = t.checked_sub(1).and_then(|u| cell_output[u].output_milli);
                    if let (Some(y0), Some(y1)) = (prev, cell_output[t].output_milli) {
                        p.growth[i] = (y1 as f64).ln() - (y0 as f64).ln();
                    }
                }
            }
        }
        p
    }

    /// The planted no-effect provinces of the sample, over ten seeds: estimates centred on
    /// zero and about 5% of lower bounds of the 90% interval above zero (one-sided 5%).
    #[test]
    fn null_provinces_of_the_sample_are_centred_on_zero() {
        let (mut all, mut above) = (Vec::new(), 0);
        for seed in 1..=10 {
            let w = World::build(seed).unwrap();
            let est = estimate_window(&grid(&w), 2012, 2024, 1, Method::AnySupport);
            for (e, g) in est.iter().zip(&w.groups) {
                if *g == Group::ScatteredNoEffect {
                    all.push(e.estimate.unwrap());
                    above += usize::from(e.interval(0.90).unwrap().0 > 0.0);
                }
            }
        }
        let mean = all.iter().sum::<f64>() / all.len() as f64;
        eprintln!("mean {mean}, above {above} of {}", all.len());
        assert!(mean.abs() < 0.003, "{all:?}");
        assert!(above <= 8, "{above} of {}", all.len());
    }

    /// Multiplying every amount by 1,000 (million VND → thousand VND) changes no verdict of the
    /// sample; the previous slope on ln(1 + spend) changes its estimates.
    #[test]
    fn verdicts_of_the_sample_do_not_depend_on_the_money_unit() {
        let w = World::build(crate::sample::DEFAULT_SEED).unwrap();
        let g = grid(&w);
        let mut g1000 = g.clone();
        g1000.spend.iter_mut().for_each(|v| *v *= 1000.0);
        let rule = crate::flags::FlagParams::default().effect_rule();
        for (a, b) in [(2012, 2024), (2016, 2020), (2021, 2024)] {
            let x = estimate_window(&g, a, b, 1, Method::AnySupport);
            let y = estimate_window(&g1000, a, b, 1, Method::AnySupport);
            let vx: Vec<_> = x
                .iter()
                .map(|e| crate::flags::verdict::decide(e, &rule).0)
                .collect();
            let vy: Vec<_> = y
                .iter()
                .map(|e| crate::flags::verdict::decide(e, &rule).0)
                .collect();
            assert_eq!(vx, vy);
            assert!(vx.contains(&crate::flags::EffectVerdict::Clear));
            let ox = estimate_window(&g, a, b, 1, Method::LogSpendSlope);
            let oy = estimate_window(&g1000, a, b, 1, Method::LogSpendSlope);
            let moved = ox
                .iter()
                .zip(&oy)
                .filter(|(p, q)| match (p.estimate, q.estimate) {
                    (Some(p), Some(q)) => (p - q).abs() > 0.05 * p.abs().max(1e-4),
                    _ => false,
                })
                .count();
            assert!(moved > 10, "{moved}");
        }
    }
}
