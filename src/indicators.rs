//! The indicators stage: spending over time, output growth (log differences and CAGR), spending
//! intensity, plan achievement, and the concentration of support (number of grants, median
//! grant, share of small grants, HHI and effective number of sectors, beneficiary HHI, Gini and
//! Theil of grant sizes) per province and window, and for the whole country ("00").

use crate::contract::schema::col;
use crate::contract::vocab::WindowKind;
use crate::error::Result;
use crate::panel::{Grant, OutputCell, OutputKey};
use crate::stats::concentration as conc;
use crate::table::TableBuilder;
use polars::prelude::DataFrame;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Code used for whole-country rows.
pub const NATIONAL: &str = "00";

/// Indicator parameters (the `[indicators]` table of a pipeline file).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorParams {
    /// Grants below this amount (million VND) count as small.
    #[serde(default = "default_small")]
    pub small_grant_mvnd: f64,
    /// Programme phases used as evaluation windows, when the data cover at least three of
    /// their years.
    #[serde(default = "default_phases")]
    pub phases: Vec<[i32; 2]>,
    /// Length of the rolling window, in years.
    #[serde(default = "default_rolling")]
    pub rolling_years: i32,
}

fn default_small() -> f64 {
    300.0
}
fn default_phases() -> Vec<[i32; 2]> {
    vec![[2016, 2020], [2021, 2025]]
}
fn default_rolling() -> i32 {
    3
}

impl Default for IndicatorParams {
    fn default() -> Self {
        IndicatorParams {
            small_grant_mvnd: default_small(),
            phases: default_phases(),
            rolling_years: default_rolling(),
        }
    }
}

/// An evaluation window.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Window {
    pub kind: WindowKind,
    pub start: i32,
    pub end: i32,
}

/// The windows a data span supports: every single year, rolling windows, the programme phases
/// the data cover for at least three years (clipped to the data), and the whole span.
pub fn windows(first: i32, last: i32, params: &IndicatorParams) -> Vec<Window> {
    let mut w: Vec<Window> = (first..=last)
        .map(|y| Window {
            kind: WindowKind::Year,
            start: y,
            end: y,
        })
        .collect();
    let r = params.rolling_years.max(1);
    w.extend((first + r - 1..=last).map(|y| Window {
        kind: WindowKind::Rolling3,
        start: y - r + 1,
        end: y,
    }));
    w.extend(phase_windows(first, last, params));
    w.push(Window {
        kind: WindowKind::All,
        start: first,
        end: last,
    });
    w
}

/// Programme phases clipped to the data, kept when at least three years are covered.
pub fn phase_windows(first: i32, last: i32, params: &IndicatorParams) -> Vec<Window> {
    params
        .phases
        .iter()
        .map(|[a, b]| ((*a).max(first), (*b).min(last)))
        .filter(|(a, b)| b - a >= 2)
        .map(|(a, b)| Window {
            kind: WindowKind::Phase,
            start: a,
            end: b,
        })
        .collect()
}

/// Concentration measures of one set of grants.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Concentration {
    pub n_grants: usize,
    pub total_mvnd: f64,
    pub median_grant_mvnd: Option<f64>,
    pub small_grant_share: Option<f64>,
    pub hhi_sectors: Option<f64>,
    pub eff_sectors: Option<f64>,
    pub hhi_beneficiaries: Option<f64>,
    pub gini: Option<f64>,
    pub theil: Option<f64>,
    /// Share of the money in the largest 10% of grants (at least one grant).
    pub top_decile_share: Option<f64>,
}

/// Concentration of a set of grants. Grants without a sector (or beneficiary) are left out of
/// the sector (beneficiary) HHI only.
pub fn concentration(grants: &[&Grant], small_grant_mvnd: f64) -> Concentration {
    concentration_folded(grants, small_grant_mvnd, &folded_beneficiaries(grants))
}

/// Each distinct beneficiary name, folded once (case, spacing and diacritics), so the same
/// beneficiary written two ways counts once.
/// Each name maps to a number: the rank of its folded form, so sums run in a fixed order.
fn folded_beneficiaries<'a>(grants: &[&'a Grant]) -> HashMap<&'a str, u32> {
    let mut folded: HashMap<&str, String> = HashMap::new();
    for g in grants {
        if let Some(b) = g.beneficiary.as_deref() {
            folded.entry(b).or_insert_with(|| crate::text::fold(b));
        }
    }
    let distinct: BTreeSet<&str> = folded.values().map(String::as_str).collect();
    let rank: HashMap<&str, u32> = distinct
        .into_iter()
        .enumerate()
        .map(|(i, f)| (f, i as u32))
        .collect();
    folded
        .iter()
        .map(|(raw, f)| (*raw, rank[f.as_str()]))
        .collect()
}

/// [`concentration`] with the beneficiary names already folded (folding is the costly part;
/// the indicators stage folds each name once for all windows).
fn concentration_folded(
    grants: &[&Grant],
    small_grant_mvnd: f64,
    folded: &HashMap<&str, u32>,
) -> Concentration {
    let amounts: Vec<f64> = grants.iter().map(|g| g.amount).collect();
    let mut by_sector: BTreeMap<&str, f64> = BTreeMap::new();
    let mut by_beneficiary: HashMap<u32, f64> = HashMap::new();
    for g in grants {
        if let Some(s) = &g.sector {
            *by_sector.entry(s).or_default() += g.amount;
        }
        if let Some(id) = g.beneficiary.as_deref().and_then(|b| folded.get(b)) {
            *by_beneficiary.entry(*id).or_default() += g.amount;
        }
    }
    let sector_amounts: Vec<f64> = by_sector.into_values().collect();
    // In the order of the folded names, as before: the same sums to the last digit.
    let mut by_name: Vec<(u32, f64)> = by_beneficiary.into_iter().collect();
    by_name.sort_unstable_by_key(|(id, _)| *id);
    let beneficiary_amounts: Vec<f64> = by_name.into_iter().map(|(_, a)| a).collect();
    let hhi_sectors = conc::hhi(&sector_amounts);
    Concentration {
        n_grants: grants.len(),
        total_mvnd: amounts.iter().sum(),
        median_grant_mvnd: conc::median(&amounts),
        small_grant_share: conc::share_below(&amounts, small_grant_mvnd),
        hhi_sectors,
        eff_sectors: hhi_sectors.map(|h| 1.0 / h),
        hhi_beneficiaries: conc::hhi(&beneficiary_amounts),
        gini: conc::gini(&amounts),
        theil: conc::theil(&amounts),
        top_decile_share: top_decile_share(&amounts),
    }
}

/// All indicator tables.
pub struct Indicators {
    pub spending_by_year: DataFrame,
    pub growth: DataFrame,
    pub growth_cagr: DataFrame,
    pub intensity: DataFrame,
    pub achievement: DataFrame,
    pub concentration: DataFrame,
    /// `indicators/national.parquet`: one row on every grant in the years analysed.
    pub national: DataFrame,
    /// `indicators/lorenz.parquet`: the Lorenz curve of grant sizes.
    pub lorenz: DataFrame,
}

/// Province-year totals of output: the all-industry row where the source gives one, else the
/// sum over sectors when no sector is missing.
pub fn province_totals(
    outputs: &BTreeMap<OutputKey, OutputCell>,
) -> BTreeMap<(String, i32), OutputCell> {
    let mut sums: BTreeMap<(String, i32), (OutputCell, bool, bool)> = BTreeMap::new();
    for ((y, p, s), c) in outputs {
        if s.is_none() {
            continue;
        }
        let e = sums.entry((p.clone(), *y)).or_insert((
            OutputCell {
                output_bvnd: Some(0.0),
                iip: None,
                employment: Some(0.0),
                establishments: Some(0.0),
            },
            false,
            false,
        ));
        e.0.output_bvnd = e.0.output_bvnd.zip(c.output_bvnd).map(|(a, b)| a + b);
        e.0.employment = e.0.employment.zip(c.employment).map(|(a, b)| a + b);
        e.0.establishments = e.0.establishments.zip(c.establishments).map(|(a, b)| a + b);
        e.1 |= c.employment.is_some();
        e.2 |= c.establishments.is_some();
    }
    let mut totals: BTreeMap<(String, i32), OutputCell> = sums
        .into_iter()
        .map(|(k, (mut c, has_emp, has_est))| {
            if !has_emp {
                c.employment = None;
            }
            if !has_est {
                c.establishments = None;
            }
            (k, c)
        })
        .collect();
    for ((y, p, s), c) in outputs {
        if s.is_some() {
            continue;
        }
        let e = totals.entry((p.clone(), *y)).or_default();
        e.output_bvnd = c.output_bvnd.or(e.output_bvnd);
        e.iip = c.iip.or(e.iip);
        e.employment = c.employment.or(e.employment);
        e.establishments = c.establishments.or(e.establishments);
    }
    totals
}

/// Whether province totals of years `a` and `b` can be compared: both come from an
/// all-industry row, or the sectors with an output figure are the same in both years (a total
/// summed over a changing set of sectors would read a change of coverage as growth).
pub fn comparable_totals(
    outputs: &BTreeMap<OutputKey, OutputCell>,
) -> impl Fn(&str, i32, i32) -> bool {
    let mut all_industry: BTreeSet<(String, i32)> = BTreeSet::new();
    let mut sectors: BTreeMap<(String, i32), BTreeSet<String>> = BTreeMap::new();
    for ((y, p, s), c) in outputs {
        if c.output_bvnd.is_none() {
            continue;
        }
        match s {
            None => {
                all_industry.insert((p.clone(), *y));
            }
            Some(s) => {
                sectors
                    .entry((p.clone(), *y))
                    .or_default()
                    .insert(s.clone());
            }
        }
    }
    move |p: &str, a: i32, b: i32| {
        let key = |y: i32| (p.to_string(), y);
        (all_industry.contains(&key(a)) && all_industry.contains(&key(b)))
            || sectors.get(&key(a)) == sectors.get(&key(b))
    }
}

fn ratio(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => Some(a / b),
        _ => None,
    }
}

/// Computes every indicator table from harmonised grants and output.
pub fn compute(
    grants: &[Grant],
    outputs: &BTreeMap<OutputKey, OutputCell>,
    params: &IndicatorParams,
) -> Result<Indicators> {
    let totals = province_totals(outputs);
    let comparable = comparable_totals(outputs);
    let years: BTreeSet<i32> = grants
        .iter()
        .map(|g| g.year)
        .chain(totals.keys().map(|(_, y)| *y))
        .collect();
    let (first, last) = match (years.first(), years.last()) {
        (Some(a), Some(b)) => (*a, *b),
        _ => (0, -1),
    };

    // Spending over time by source and activity.
    let mut sby: BTreeMap<(i32, &str, &str), (f64, i64)> = BTreeMap::new();
    for g in grants {
        let e = sby
            .entry((g.year, g.source.as_str(), g.activity.as_str()))
            .or_default();
        e.0 += g.amount;
        e.1 += 1;
    }
    let spending_by_year = TableBuilder::new()
        .i32(col::YEAR, sby.keys().map(|k| Some(k.0)).collect())
        .str(
            col::SOURCE,
            sby.keys().map(|k| Some(k.1.to_string())).collect(),
        )
        .str(
            col::ACTIVITY,
            sby.keys().map(|k| Some(k.2.to_string())).collect(),
        )
        .f64_dense(col::AMOUNT_MVND, sby.values().map(|v| v.0).collect())
        .i64(col::N_GRANTS, sby.values().map(|v| Some(v.1)).collect())
        .build()?;

    // Province-year spending.
    let mut spend_py: BTreeMap<(String, i32), f64> = BTreeMap::new();
    for g in grants {
        *spend_py.entry((g.province.clone(), g.year)).or_default() += g.amount;
    }
    let provinces: BTreeSet<String> = grants
        .iter()
        .map(|g| g.province.clone())
        .chain(totals.keys().map(|(p, _)| p.clone()))
        .collect();

    // Growth and intensity per province-year.
    let mut g_province: Vec<Option<String>> = Vec::new();
    let mut g_year: Vec<Option<i32>> = Vec::new();
    let mut g_out: Vec<Option<f64>> = Vec::new();
    let mut g_dlog: Vec<Option<f64>> = Vec::new();
    let mut g_spend = Vec::new();
    let mut g_lag = Vec::new();
    let mut i_est = Vec::new();
    let mut i_per_out = Vec::new();
    let mut i_per_est = Vec::new();
    for p in &provinces {
        for y in first..=last {
            let c = totals.get(&(p.clone(), y));
            let out = c.and_then(|c| c.output_bvnd);
            let prev = totals.get(&(p.clone(), y - 1)).and_then(|c| c.output_bvnd);
            let s = spend_py.get(&(p.clone(), y)).copied().unwrap_or(0.0);
            let s_lag =
                (y > first).then(|| spend_py.get(&(p.clone(), y - 1)).copied().unwrap_or(0.0));
            g_province.push(Some(p.clone()));
            g_year.push(Some(y));
            g_out.push(out);
            g_dlog.push(match (prev, out) {
                (Some(a), Some(b)) if a > 0.0 && b > 0.0 && comparable(p, y - 1, y) => {
                    Some(b.ln() - a.ln())
                }
                _ => None,
            });
            g_spend.push(Some(s));
            g_lag.push(s_lag);
            let est = c.and_then(|c| c.establishments);
            i_est.push(est);
            i_per_out.push(ratio(Some(s), out));
            i_per_est.push(ratio(Some(s), est));
        }
    }
    let growth = TableBuilder::new()
        .str(col::PROVINCE_CODE, g_province.clone())
        .i32(col::YEAR, g_year.clone())
        .f64(col::OUTPUT_BVND, g_out.clone())
        .f64(col::DLOG_OUTPUT, g_dlog)
        .f64(col::SPEND_MVND, g_spend.clone())
        .f64(col::SPEND_LAG1_MVND, g_lag)
        .build()?;
    let intensity = TableBuilder::new()
        .str(col::PROVINCE_CODE, g_province)
        .i32(col::YEAR, g_year)
        .f64(col::SPEND_MVND, g_spend)
        .f64(col::OUTPUT_BVND, g_out)
        .f64(col::SPEND_PER_BVND_OUTPUT, i_per_out)
        .f64(col::ESTABLISHMENTS, i_est)
        .f64(col::SPEND_PER_ESTABLISHMENT_MVND, i_per_est)
        .build()?;

    // CAGR per province over the whole span and each covered phase.
    let mut cagr_rows: Vec<(String, i32, i32, Option<f64>)> = Vec::new();
    let mut spans = vec![(first, last)];
    spans.extend(
        phase_windows(first, last, params)
            .iter()
            .map(|w| (w.start, w.end)),
    );
    for p in &provinces {
        for &(a, b) in &spans {
            let va = totals.get(&(p.clone(), a)).and_then(|c| c.output_bvnd);
            let vb = totals.get(&(p.clone(), b)).and_then(|c| c.output_bvnd);
            let cagr = match (va, vb) {
                (Some(va), Some(vb)) if va > 0.0 && b > a && comparable(p, a, b) => {
                    Some((vb / va).powf(1.0 / f64::from(b - a)) - 1.0)
                }
                _ => None,
            };
            cagr_rows.push((p.clone(), a, b, cagr));
        }
    }
    let growth_cagr = TableBuilder::new()
        .str(
            col::PROVINCE_CODE,
            cagr_rows.iter().map(|r| Some(r.0.clone())).collect(),
        )
        .i32(
            col::PERIOD_START,
            cagr_rows.iter().map(|r| Some(r.1)).collect(),
        )
        .i32(
            col::PERIOD_END,
            cagr_rows.iter().map(|r| Some(r.2)).collect(),
        )
        .f64(col::CAGR, cagr_rows.iter().map(|r| r.3).collect())
        .build()?;

    // Plan achievement per province-year, over the records that carry a plan.
    #[derive(Default)]
    struct Ach {
        planned: Option<f64>,
        disbursed: Option<f64>,
        tt: Option<f64>,
        at: Option<f64>,
        tm: Option<f64>,
        am: Option<f64>,
    }
    let plus = |acc: &mut Option<f64>, v: f64| *acc = Some(acc.unwrap_or(0.0) + v);
    let mut ach: BTreeMap<(String, i32), Ach> = BTreeMap::new();
    for g in grants {
        let e = ach.entry((g.province.clone(), g.year)).or_default();
        if let Some(pl) = g.planned {
            plus(&mut e.planned, pl);
            plus(&mut e.disbursed, g.amount);
        }
        if let (Some(t), Some(a)) = (g.target_trainees, g.achieved_trainees) {
            plus(&mut e.tt, t);
            plus(&mut e.at, a);
        }
        if let (Some(t), Some(a)) = (g.target_models, g.achieved_models) {
            plus(&mut e.tm, t);
            plus(&mut e.am, a);
        }
    }
    ach.retain(|_, a| a.planned.is_some() || a.tt.is_some() || a.tm.is_some());
    let achievement = TableBuilder::new()
        .str(
            col::PROVINCE_CODE,
            ach.keys().map(|k| Some(k.0.clone())).collect(),
        )
        .i32(col::YEAR, ach.keys().map(|k| Some(k.1)).collect())
        .f64(col::PLANNED_MVND, ach.values().map(|a| a.planned).collect())
        .f64(
            col::DISBURSED_MVND,
            ach.values().map(|a| a.disbursed).collect(),
        )
        .f64(
            col::DISBURSEMENT_RATE,
            ach.values()
                .map(|a| ratio(a.disbursed, a.planned))
                .collect(),
        )
        .f64(col::TARGET_TRAINEES, ach.values().map(|a| a.tt).collect())
        .f64(col::ACHIEVED_TRAINEES, ach.values().map(|a| a.at).collect())
        .f64(
            col::TRAINEE_RATE,
            ach.values().map(|a| ratio(a.at, a.tt)).collect(),
        )
        .f64(col::TARGET_MODELS, ach.values().map(|a| a.tm).collect())
        .f64(col::ACHIEVED_MODELS, ach.values().map(|a| a.am).collect())
        .f64(
            col::MODEL_RATE,
            ach.values().map(|a| ratio(a.am, a.tm)).collect(),
        )
        .build()?;

    // Concentration per province (and nationally) and window.
    let mut rows: Vec<(String, Window, Concentration)> = Vec::new();
    let grant_provinces: BTreeSet<&str> = grants.iter().map(|g| g.province.as_str()).collect();
    // Windows from the same years the panel is built from (rows with a sector), so that the
    // concentration and the effects of the flags stage describe the same windows.
    let sector_years: BTreeSet<i32> = grants
        .iter()
        .filter(|g| g.sector.is_some())
        .map(|g| g.year)
        .chain(
            outputs
                .keys()
                .filter(|(_, _, s)| s.is_some())
                .map(|(y, _, _)| *y),
        )
        .collect();
    let (wf, wl) = match (sector_years.first(), sector_years.last()) {
        (Some(a), Some(b)) => (*a, *b),
        _ => (first, last),
    };
    let all_grants: Vec<&Grant> = grants.iter().collect();
    let folded = folded_beneficiaries(&all_grants);
    for w in windows(wf, wl, params) {
        let in_window: Vec<&Grant> = grants
            .iter()
            .filter(|g| g.year >= w.start && g.year <= w.end)
            .collect();
        rows.push((
            NATIONAL.to_string(),
            w.clone(),
            concentration_folded(&in_window, params.small_grant_mvnd, &folded),
        ));
        // One pass to split the window's grants by province (in grant order), not one scan of
        // the window per province: linear in the number of grants.
        let mut by_province: BTreeMap<&str, Vec<&Grant>> =
            grant_provinces.iter().map(|p| (*p, Vec::new())).collect();
        for g in &in_window {
            if let Some(v) = by_province.get_mut(g.province.as_str()) {
                v.push(g);
            }
        }
        for (p, mine) in by_province {
            rows.push((
                p.to_string(),
                w.clone(),
                concentration_folded(&mine, params.small_grant_mvnd, &folded),
            ));
        }
    }
    let concentration = TableBuilder::new()
        .str(
            col::PROVINCE_CODE,
            rows.iter().map(|r| Some(r.0.clone())).collect(),
        )
        .str(
            col::WINDOW,
            rows.iter()
                .map(|r| Some(r.1.kind.as_str().to_string()))
                .collect(),
        )
        .i32(
            col::PERIOD_START,
            rows.iter().map(|r| Some(r.1.start)).collect(),
        )
        .i32(
            col::PERIOD_END,
            rows.iter().map(|r| Some(r.1.end)).collect(),
        )
        .i64(
            col::N_GRANTS,
            rows.iter().map(|r| Some(r.2.n_grants as i64)).collect(),
        )
        .f64_dense(
            col::TOTAL_MVND,
            rows.iter().map(|r| r.2.total_mvnd).collect(),
        )
        .f64(
            col::MEDIAN_GRANT_MVND,
            rows.iter().map(|r| r.2.median_grant_mvnd).collect(),
        )
        .f64(
            col::SMALL_GRANT_SHARE,
            rows.iter().map(|r| r.2.small_grant_share).collect(),
        )
        .f64(
            col::HHI_SECTORS,
            rows.iter().map(|r| r.2.hhi_sectors).collect(),
        )
        .f64(
            col::EFF_SECTORS,
            rows.iter().map(|r| r.2.eff_sectors).collect(),
        )
        .f64(
            col::HHI_BENEFICIARIES,
            rows.iter().map(|r| r.2.hhi_beneficiaries).collect(),
        )
        .f64(col::GINI, rows.iter().map(|r| r.2.gini).collect())
        .f64(col::THEIL, rows.iter().map(|r| r.2.theil).collect())
        .f64(
            col::TOP_DECILE_SHARE,
            rows.iter().map(|r| r.2.top_decile_share).collect(),
        )
        .build()?;
    let (national, lorenz) = grant_size_tables(grants)?;

    Ok(Indicators {
        spending_by_year,
        growth,
        growth_cagr,
        intensity,
        achievement,
        concentration,
        national,
        lorenz,
    })
}

/// Share of the total held by the largest 10% of values (at least one value): `None` without
/// values or without a positive total.
pub fn top_decile_share(values: &[f64]) -> Option<f64> {
    let total: f64 = values.iter().sum();
    if values.is_empty() || total <= 0.0 {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(|a, b| b.total_cmp(a));
    let k = (values.len() as f64 * 0.1).ceil().max(1.0) as usize;
    Some(sorted[..k].iter().sum::<f64>() / total)
}

/// Most points written to `indicators/lorenz.parquet`: enough to draw the curve.
pub const LORENZ_POINTS: usize = 200;

/// The Lorenz curve of `values`, thinned to about [`LORENZ_POINTS`] points (every k-th point,
/// and always the last).
pub fn lorenz_points(values: &[f64]) -> Vec<(f64, f64)> {
    let full = conc::lorenz(values);
    let step = (full.len() / LORENZ_POINTS).max(1);
    let mut points: Vec<(f64, f64)> = full.iter().step_by(step).copied().collect();
    if let Some(last) = full.last()
        && points.last() != Some(last)
    {
        points.push(*last);
    }
    points
}

/// The whole-country grant-size tables over the grants analysed (the pipeline's `years`
/// already applied): `national` (one row: first and last year, grants, grants with a positive
/// amount, total, and the Gini and top-decile share of the positive amounts) and `lorenz` (the
/// curve of the positive amounts).
pub fn grant_size_tables(grants: &[Grant]) -> Result<(DataFrame, DataFrame)> {
    let amounts: Vec<f64> = grants
        .iter()
        .map(|g| g.amount)
        .filter(|a| *a > 0.0)
        .collect();
    let national = TableBuilder::new()
        .i32(col::PERIOD_START, vec![grants.iter().map(|g| g.year).min()])
        .i32(col::PERIOD_END, vec![grants.iter().map(|g| g.year).max()])
        .i64(col::N_GRANTS, vec![Some(grants.len() as i64)])
        .i64(col::N_POSITIVE_GRANTS, vec![Some(amounts.len() as i64)])
        .f64_dense(col::TOTAL_MVND, vec![grants.iter().map(|g| g.amount).sum()])
        .f64(col::GINI, vec![conc::gini(&amounts)])
        .f64(col::TOP_DECILE_SHARE, vec![top_decile_share(&amounts)])
        .build()?;
    let points = if amounts.is_empty() {
        Vec::new()
    } else {
        lorenz_points(&amounts)
    };
    let lorenz = TableBuilder::new()
        .f64_dense(col::SHARE_OF_GRANTS, points.iter().map(|p| p.0).collect())
        .f64_dense(col::SHARE_OF_AMOUNT, points.iter().map(|p| p.1).collect())
        .build()?;
    Ok((national, lorenz))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(province: &str, sector: &str, year: i32, amount: f64, who: &str) -> Grant {
        Grant {
            year,
            province: province.into(),
            sector: Some(sector.into()),
            activity: "training".into(),
            source: "national".into(),
            amount,
            planned: None,
            beneficiary: Some(who.into()),
            project_id: None,
            target_trainees: None,
            achieved_trainees: None,
            target_models: None,
            achieved_models: None,
        }
    }

    #[test]
    fn concentration_of_a_hand_worked_province() {
        // Sectors 10: 100+300 = 400, 11: 100, 13: 500 → shares 0.4, 0.1, 0.5
        // HHI = 0.16 + 0.01 + 0.25 = 0.42; effective number 1/0.42.
        // Beneficiaries A: 100+100 = 200, B: 300, C: 500 → 0.04 + 0.09 + 0.25 = 0.38.
        // Grants 100, 100, 300, 500: median 200, small (< 300) share 0.5.
        let gs = [
            grant("70", "10", 2018, 100.0, "A"),
            grant("70", "10", 2018, 300.0, "B"),
            grant("70", "11", 2019, 100.0, "a"),
            grant("70", "13", 2019, 500.0, "C"),
        ];
        let refs: Vec<&Grant> = gs.iter().collect();
        let c = concentration(&refs, 300.0);
        assert_eq!(c.n_grants, 4);
        assert!((c.total_mvnd - 1000.0).abs() < 1e-12);
        assert!((c.hhi_sectors.unwrap() - 0.42).abs() < 1e-12);
        assert!((c.eff_sectors.unwrap() - 1.0 / 0.42).abs() < 1e-12);
        assert!((c.hhi_beneficiaries.unwrap() - 0.38).abs() < 1e-12);
        assert!((c.median_grant_mvnd.unwrap() - 200.0).abs() < 1e-12);
        assert!((c.small_grant_share.unwrap() - 0.5).abs() < 1e-12);
        // Gini of 100,100,300,500: Σ(2i−n−1)x = −300 −100 +300 +1500 = 1400; /(4·1000) = 0.35.
        assert!((c.gini.unwrap() - 0.35).abs() < 1e-12);
    }

    #[test]
    fn a_change_of_sector_coverage_is_not_growth() {
        let cell = |v: f64| OutputCell {
            output_bvnd: Some(v),
            ..Default::default()
        };
        let mut outputs: BTreeMap<OutputKey, OutputCell> = BTreeMap::new();
        // Province 70: sectors 10 and 11 in 2018, a third sector (13) appears in 2019.
        outputs.insert((2018, "70".into(), Some("10".into())), cell(100.0));
        outputs.insert((2018, "70".into(), Some("11".into())), cell(100.0));
        outputs.insert((2019, "70".into(), Some("10".into())), cell(110.0));
        outputs.insert((2019, "70".into(), Some("11".into())), cell(110.0));
        outputs.insert((2019, "70".into(), Some("13".into())), cell(80.0));
        // Province 72: the same two sectors both years → growth ln(231/210).
        for (y, v) in [(2018, 100.0), (2019, 110.0)] {
            outputs.insert((y, "72".into(), Some("10".into())), cell(v));
            outputs.insert((y, "72".into(), Some("11".into())), cell(v + 10.0));
        }
        let ind = compute(&[], &outputs, &IndicatorParams::default()).unwrap();
        let p = crate::table::strs(&ind.growth, col::PROVINCE_CODE).unwrap();
        let y = crate::table::i32s(&ind.growth, col::YEAR).unwrap();
        let g = crate::table::f64s(&ind.growth, col::DLOG_OUTPUT).unwrap();
        let get = |code: &str| {
            (0..p.len())
                .find(|&i| p[i].as_deref() == Some(code) && y[i] == Some(2019))
                .map(|i| g[i])
                .unwrap()
        };
        // 70 summed 200 then 300: not 40% growth, missing.
        assert_eq!(get("70"), None);
        assert!((get("72").unwrap() - (230.0f64 / 210.0).ln()).abs() < 1e-12);
    }

    #[test]
    fn windows_cover_phases_the_data_reach() {
        let p = IndicatorParams::default();
        let w = windows(2012, 2024, &p);
        let phases: Vec<(i32, i32)> = w
            .iter()
            .filter(|w| w.kind == WindowKind::Phase)
            .map(|w| (w.start, w.end))
            .collect();
        assert_eq!(phases, vec![(2016, 2020), (2021, 2024)]);
        assert_eq!(w.iter().filter(|w| w.kind == WindowKind::Year).count(), 13);
        assert_eq!(
            w.iter().filter(|w| w.kind == WindowKind::Rolling3).count(),
            11
        );
        assert_eq!(w.last().unwrap().kind.as_str(), "all");
        // A span that covers only two years of the second phase drops it.
        let w = windows(2012, 2022, &p);
        assert_eq!(w.iter().filter(|w| w.kind == WindowKind::Phase).count(), 1);
    }

    #[test]
    fn top_decile_by_hand() {
        // Ten grants: the largest (100) is the top 10%, of a total of 145.
        let v = [100.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0];
        assert!((top_decile_share(&v).unwrap() - 100.0 / 145.0).abs() < 1e-12);
        // Eleven grants: ceil(1.1) = 2 largest.
        let v = [10.0; 11];
        assert!((top_decile_share(&v).unwrap() - 2.0 / 11.0).abs() < 1e-12);
        assert_eq!(top_decile_share(&[]), None);
    }

    #[test]
    fn national_grant_sizes_by_hand() {
        // Five grants, one of them zero: four positive amounts 10, 20, 30, 40 (total 100).
        let gs: Vec<Grant> = [
            (2016, 10.0),
            (2017, 0.0),
            (2017, 20.0),
            (2018, 30.0),
            (2019, 40.0),
        ]
        .iter()
        .map(|(y, a)| grant("70", "10", *y, *a, "x"))
        .collect();
        let (national, lorenz) = grant_size_tables(&gs).unwrap();
        assert_eq!(
            crate::table::i32s(&national, col::PERIOD_START).unwrap(),
            [Some(2016)]
        );
        assert_eq!(
            crate::table::i32s(&national, col::PERIOD_END).unwrap(),
            [Some(2019)]
        );
        assert_eq!(
            crate::table::i64s(&national, col::N_GRANTS).unwrap(),
            [Some(5)]
        );
        assert_eq!(
            crate::table::i64s(&national, col::N_POSITIVE_GRANTS).unwrap(),
            [Some(4)]
        );
        let f = |c: &str| crate::table::f64s_or_null(&national, c).unwrap()[0].unwrap();
        assert_eq!(f("total_mvnd"), 100.0);
        // Top 10% of four grants = the largest one: 40 of 100.
        assert!((f("top_decile_share") - 0.4).abs() < 1e-12);
        // Gini = Σ_i Σ_j |x_i − x_j| / (2 n² mean) = 200 / (2 · 16 · 25) = 0.25.
        assert!((f("gini") - 0.25).abs() < 1e-12);
        // The curve: (0,0), (¼, 0.1), (½, 0.3), (¾, 0.6), (1, 1).
        let a = crate::table::f64s(&lorenz, col::SHARE_OF_GRANTS).unwrap();
        let b = crate::table::f64s(&lorenz, col::SHARE_OF_AMOUNT).unwrap();
        assert_eq!(a, [Some(0.0), Some(0.25), Some(0.5), Some(0.75), Some(1.0)]);
        let want = [0.0, 0.1, 0.3, 0.6, 1.0];
        assert!(
            b.iter()
                .zip(want)
                .all(|(x, y)| (x.unwrap() - y).abs() < 1e-12),
            "{b:?}"
        );
    }

    #[test]
    fn the_lorenz_table_is_thinned_and_keeps_the_last_point() {
        let v: Vec<f64> = (1..=1000).map(f64::from).collect();
        let p = lorenz_points(&v);
        // 1,001 points, every 5th: 0, 5, …, 1000 → 201 points ending at (1, 1).
        assert_eq!(p.len(), 201);
        assert_eq!(p.last(), Some(&(1.0, 1.0)));
        let v: Vec<f64> = (1..=1001).map(f64::from).collect();
        let p = lorenz_points(&v);
        // 1,002 points, every 5th (0 … 1000) plus the last (1001).
        assert_eq!(p.len(), 202);
        assert_eq!(p.last(), Some(&(1.0, 1.0)));
    }
}
