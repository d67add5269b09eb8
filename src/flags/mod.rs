//! The flags stage: decides, per province and evaluation window, whether support was
//! **scattered** (spread thin over many sectors in many small grants, on absolute thresholds
//! with a policy meaning), what the data say about its **effect** (`effect_verdict`: clear, low,
//! inconclusive or insufficient, from one interval and a placebo check, see `verdict`), and
//! whether it is **flagged** (scattered and low). Scattered support whose effect is inconclusive
//! is its own case ("scattered, effect unknown") and never flagged. Every verdict carries short
//! reason codes, a sentence in Vietnamese and in English, and the numbers behind it.
//!
//! A window is a span of **support years** [a, b]; its effect is judged on growth `lag_years`
//! later (outcome years a + lag ..= b + lag), and its concentration on the grants of a..b, so
//! both describe the same support. A window present on one side only is an error.

pub mod changes;
pub mod verdict;

use crate::contract::schema::col;
use crate::contract::vocab::{FlagStatus, ReasonCode, WindowKind};
use crate::error::{Error, Result};
use crate::models::{Unit, UnitEffect};
use crate::reference::{Boundary, Reference};
use crate::table::TableBuilder;
use polars::prelude::DataFrame;
use std::collections::{BTreeMap, BTreeSet};
pub use verdict::{EffectRule, EffectVerdict, ScatteredRule};

/// Flag parameters (the `[flags]` table of a pipeline file).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlagParams {
    /// Window kinds assessed: "all" (the whole span), "phase" (programme phases), "rolling3",
    /// "year"; any other value is an error when the pipeline file is read.
    #[serde(default = "default_windows")]
    pub windows: Vec<WindowKind>,
    /// Years between a year of support and the year of growth it is judged on.
    #[serde(default = "default_lag")]
    pub lag_years: usize,
    /// Level of the two-sided interval of a province effect (0.90: a one-sided 5% test each
    /// way, for "clear" and for "low").
    #[serde(default = "default_level")]
    pub level: f64,
    /// Minimum effect, in log points of the supported sector's growth in the year after
    /// support (0.025 ≈ 2.5 percentage points faster growth). Low impact: the upper bound of the
    /// interval is below it.
    #[serde(default = "default_min_effect")]
    pub min_effect: f64,
    /// Fewest grants in a window for a province to count as scattered.
    #[serde(default = "default_min_grants")]
    pub min_grants: i64,
    /// Fewest distinct supported province × sector cells for a province estimate.
    #[serde(default = "default_min_cells")]
    pub min_supported_cells: i64,
    /// Fewest distinct cells left unsupported in a year when another cell of the province was
    /// supported (the comparison within the province-year).
    #[serde(default = "default_min_comparison")]
    pub min_comparison_cells: i64,
    /// Run the placebo check (support next year against growth this year); a failed check turns
    /// a clear or low verdict into inconclusive.
    #[serde(default = "default_true")]
    pub placebo: bool,
    /// "absolute" (default): the thresholds below; "relative": the `relative_quantile` of
    /// provinces in the same window.
    #[serde(default = "default_rule")]
    pub scattered_rule: ScatteredRule,
    /// Effective number of sectors at or above which support counts as spread over many
    /// sectors (4: as if split evenly over four or more sectors).
    #[serde(default = "default_eff_sectors")]
    pub scattered_eff_sectors: f64,
    /// Share of grants below the small-grant size (`[indicators] small_grant_mvnd`) at or above
    /// which support counts as many small grants (0.5: most grants are small).
    #[serde(default = "default_small_share")]
    pub scattered_small_share: f64,
    /// Quantile across provinces for the relative rule (and the rank shown beside).
    #[serde(default = "default_quantile")]
    pub relative_quantile: f64,
}

fn default_windows() -> Vec<WindowKind> {
    vec![WindowKind::All, WindowKind::Phase]
}
fn default_lag() -> usize {
    1
}
fn default_level() -> f64 {
    0.90
}
fn default_min_effect() -> f64 {
    0.025
}
fn default_min_grants() -> i64 {
    5
}
fn default_min_cells() -> i64 {
    3
}
fn default_min_comparison() -> i64 {
    2
}
fn default_true() -> bool {
    true
}
fn default_rule() -> ScatteredRule {
    ScatteredRule::Absolute
}
fn default_eff_sectors() -> f64 {
    4.0
}
fn default_small_share() -> f64 {
    0.5
}
fn default_quantile() -> f64 {
    0.75
}

impl Default for FlagParams {
    fn default() -> Self {
        FlagParams {
            windows: default_windows(),
            lag_years: default_lag(),
            level: default_level(),
            min_effect: default_min_effect(),
            min_grants: default_min_grants(),
            min_supported_cells: default_min_cells(),
            min_comparison_cells: default_min_comparison(),
            placebo: true,
            scattered_rule: default_rule(),
            scattered_eff_sectors: default_eff_sectors(),
            scattered_small_share: default_small_share(),
            relative_quantile: default_quantile(),
        }
    }
}

impl FlagParams {
    /// The effect rule these parameters set.
    pub fn effect_rule(&self) -> EffectRule {
        EffectRule {
            level: self.level,
            min_effect: self.min_effect,
            min_supported_cells: self.min_supported_cells,
            min_comparison_cells: self.min_comparison_cells,
            placebo: self.placebo,
        }
    }

    /// Checks the values a pipeline file gives.
    pub fn validate(&self) -> Result<()> {
        let bad = |k: &str, why: &str| Err(Error::Usage(format!("[flags] {k}: {why}")));
        if self.level.is_nan() || self.level <= 0.5 || self.level >= 1.0 {
            return bad("level", "must be between 0.5 and 1 (e.g. 0.90)");
        }
        if self.min_effect.is_nan() || self.min_effect <= 0.0 {
            return bad(
                "min_effect",
                "must be positive (log points of growth, e.g. 0.025)",
            );
        }
        if self.lag_years == 0 {
            return bad("lag_years", "must be at least 1");
        }
        if self.min_supported_cells < 2 {
            return bad("min_supported_cells", "must be at least 2");
        }
        if self.relative_quantile.is_nan()
            || self.relative_quantile <= 0.0
            || self.relative_quantile >= 1.0
        {
            return bad("relative_quantile", "must be between 0 and 1");
        }
        Ok(())
    }
}

/// Concentration evidence of one province in one window.
#[derive(Debug, Clone, Default)]
pub struct ConcentrationRow {
    pub province: String,
    pub start: i32,
    pub end: i32,
    pub n_grants: i64,
    pub total_mvnd: f64,
    pub median_grant_mvnd: Option<f64>,
    pub small_grant_share: Option<f64>,
    pub eff_sectors: Option<f64>,
    pub hhi_beneficiaries: Option<f64>,
}

/// The verdict for one province and window.
#[derive(Debug, Clone)]
pub struct Flag {
    pub conc: ConcentrationRow,
    pub effect: UnitEffect,
    pub verdict: EffectVerdict,
    pub interval: Option<(f64, f64)>,
    pub placebo_interval: Option<(f64, f64)>,
    pub placebo_failed: Option<bool>,
    pub scattered: bool,
    pub low_impact: bool,
    pub flagged: bool,
    pub status: FlagStatus,
    pub reasons: Vec<ReasonCode>,
    pub reason_vi: String,
    pub reason_en: String,
    pub score: f64,
    pub rank: Option<i32>,
    pub thresholds: (f64, f64),
    /// Percent rank among the window's provinces (effective sectors, small-grant share).
    pub rank_eff: Option<f64>,
    pub rank_small: Option<f64>,
    pub lag: usize,
    pub level: f64,
    pub min_effect: f64,
}

/// Decides every province and window. `conc` and `effects` are matched on province and window;
/// a window present in one and not the other is an error (never a table of "insufficient").
pub fn assess(
    conc: &[ConcentrationRow],
    effects: &[UnitEffect],
    params: &FlagParams,
) -> Result<Vec<Flag>> {
    let conc_windows: BTreeSet<(i32, i32)> = conc.iter().map(|c| (c.start, c.end)).collect();
    let effect_windows: BTreeSet<(i32, i32)> = effects.iter().map(|e| (e.start, e.end)).collect();
    if let Some((a, b)) = conc_windows.symmetric_difference(&effect_windows).next() {
        let (has, lacks) = if conc_windows.contains(&(*a, *b)) {
            (
                "indicators/concentration.parquet",
                "models/province_effects.parquet",
            )
        } else {
            (
                "models/province_effects.parquet",
                "indicators/concentration.parquet",
            )
        };
        return Err(Error::Other(format!(
            "window {a}–{b} is in {has} but not in {lacks}: the two stages were run with \
             different windows or years; rerun both (khuyencong run --force)"
        )));
    }
    let mut by_window: BTreeMap<(i32, i32), Vec<&ConcentrationRow>> = BTreeMap::new();
    for c in conc {
        by_window.entry((c.start, c.end)).or_default().push(c);
    }
    let effect_of: BTreeMap<(&str, i32, i32), &UnitEffect> = effects
        .iter()
        .filter_map(|e| Some(((e.unit.province()?, e.start, e.end), e)))
        .collect();
    let rule = params.effect_rule();
    let absolute = (params.scattered_eff_sectors, params.scattered_small_share);

    let mut flags = Vec::new();
    for ((start, end), rows) in by_window {
        let eligible: Vec<&&ConcentrationRow> = rows
            .iter()
            .filter(|c| c.n_grants >= params.min_grants)
            .collect();
        let eff: Vec<f64> = eligible.iter().filter_map(|c| c.eff_sectors).collect();
        let small: Vec<f64> = eligible
            .iter()
            .filter_map(|c| c.small_grant_share)
            .collect();
        let (thr_eff, thr_small) = verdict::scattered_thresholds(
            params.scattered_rule,
            absolute,
            params.relative_quantile,
            &eff,
            &small,
        );
        let mut window_flags = Vec::new();
        for c in rows {
            let effect = effect_of
                .get(&(c.province.as_str(), start, end))
                .map(|e| (*e).clone())
                .unwrap_or_else(|| {
                    UnitEffect::none(Unit::Province(c.province.clone()), start, end)
                });
            let enough_grants = c.n_grants >= params.min_grants;
            let many_sectors = c.eff_sectors.is_some_and(|v| v >= thr_eff);
            let small_grants = c.small_grant_share.is_some_and(|v| v >= thr_small);
            let scattered = enough_grants && many_sectors && small_grants;
            let mut reasons = Vec::new();
            if scattered {
                reasons.extend([ReasonCode::ManySectors, ReasonCode::SmallGrants]);
            }
            let (v, codes, interval, placebo_failed) = verdict::decide(&effect.est, &rule);
            reasons.extend(codes);
            let low_impact = v == EffectVerdict::Low;
            let flagged = scattered && low_impact;
            let status = match (v, scattered) {
                (EffectVerdict::Insufficient, _) => FlagStatus::InsufficientData,
                (EffectVerdict::Low, true) => FlagStatus::Flagged,
                (EffectVerdict::Inconclusive, true) => FlagStatus::ScatteredEffectUnknown,
                (EffectVerdict::Clear, true) => FlagStatus::ScatteredEffective,
                (EffectVerdict::Low, false) => FlagStatus::FocusedLowImpact,
                (EffectVerdict::Inconclusive, false) => FlagStatus::EffectUnknown,
                (EffectVerdict::Clear, false) => FlagStatus::Ok,
            };
            // How far past both thresholds the province is, for ranking flagged provinces.
            let score = c.eff_sectors.unwrap_or(0.0) / thr_eff.max(1e-9)
                + c.small_grant_share.unwrap_or(0.0) / thr_small.max(1e-9);
            let mut f = Flag {
                conc: c.clone(),
                placebo_interval: effect.est.placebo_interval(params.level),
                effect,
                verdict: v,
                interval,
                placebo_failed,
                scattered,
                low_impact,
                flagged,
                status,
                reasons,
                reason_vi: String::new(),
                reason_en: String::new(),
                score,
                rank: None,
                thresholds: (thr_eff, thr_small),
                rank_eff: c.eff_sectors.and_then(|x| verdict::percent_rank(&eff, x)),
                rank_small: c
                    .small_grant_share
                    .and_then(|x| verdict::percent_rank(&small, x)),
                lag: params.lag_years,
                level: params.level,
                min_effect: params.min_effect,
            };
            let (vi, en): (Vec<String>, Vec<String>) = f
                .reasons
                .iter()
                .map(|r| reasons::sentence(*r, &f, params))
                .unzip();
            f.reason_vi = reasons::capitalise(&reasons::vi_decimals(&vi.join("; ")));
            f.reason_en = reasons::capitalise(&en.join("; "));
            window_flags.push(f);
        }
        let mut order: Vec<usize> = (0..window_flags.len())
            .filter(|&i| window_flags[i].flagged)
            .collect();
        order.sort_by(|&a, &b| window_flags[b].score.total_cmp(&window_flags[a].score));
        for (r, i) in order.into_iter().enumerate() {
            window_flags[i].rank = Some(r as i32 + 1);
        }
        flags.extend(window_flags);
    }
    Ok(flags)
}

/// The flags table (schema in docs/TABLES.md).
pub fn to_frame(flags: &[Flag], boundary: Boundary) -> Result<DataFrame> {
    let r = Reference::get();
    let s = |f: &dyn Fn(&Flag) -> Option<String>| flags.iter().map(f).collect::<Vec<_>>();
    let x = |f: &dyn Fn(&Flag) -> Option<f64>| flags.iter().map(f).collect::<Vec<_>>();
    let b = |f: &dyn Fn(&Flag) -> bool| flags.iter().map(|v| Some(f(v))).collect::<Vec<_>>();
    let i = |f: &dyn Fn(&Flag) -> Option<i64>| flags.iter().map(f).collect::<Vec<_>>();
    let y = |f: &dyn Fn(&Flag) -> i32| flags.iter().map(|v| Some(f(v))).collect::<Vec<_>>();
    let e = |f: &Flag| f.effect.est.clone();
    TableBuilder::new()
        .str(col::PROVINCE_CODE, s(&|f| Some(f.conc.province.clone())))
        .str(
            col::PROVINCE_NAME,
            s(&|f| r.name_of(&f.conc.province, boundary).map(str::to_string)),
        )
        .i32(col::PERIOD_START, y(&|f| f.conc.start))
        .i32(col::PERIOD_END, y(&|f| f.conc.end))
        .i32(col::LAG_YEARS, y(&|f| f.lag as i32))
        .i32(col::OUTCOME_START, y(&|f| f.conc.start + f.lag as i32))
        .i32(col::OUTCOME_END, y(&|f| f.conc.end + f.lag as i32))
        .i64(col::N_GRANTS, i(&|f| Some(f.conc.n_grants)))
        .f64(col::TOTAL_MVND, x(&|f| Some(f.conc.total_mvnd)))
        .f64(col::MEDIAN_GRANT_MVND, x(&|f| f.conc.median_grant_mvnd))
        .f64(col::SMALL_GRANT_SHARE, x(&|f| f.conc.small_grant_share))
        .f64(col::EFF_SECTORS, x(&|f| f.conc.eff_sectors))
        .f64(col::HHI_BENEFICIARIES, x(&|f| f.conc.hhi_beneficiaries))
        .f64(col::RANK_EFF_SECTORS, x(&|f| f.rank_eff))
        .f64(col::RANK_SMALL_SHARE, x(&|f| f.rank_small))
        .f64(col::EFFECT, x(&|f| e(f).estimate))
        .f64(col::EFFECT_STD_ERROR, x(&|f| e(f).std_error))
        .f64(col::EFFECT_DF, x(&|f| e(f).df))
        .f64(col::CONF_LEVEL, x(&|f| Some(f.level)))
        .f64(col::EFFECT_CONF_LOW, x(&|f| f.interval.map(|c| c.0)))
        .f64(col::EFFECT_CONF_HIGH, x(&|f| f.interval.map(|c| c.1)))
        .f64(col::EFFECT_P_VALUE, x(&|f| e(f).p_value))
        .f64(col::EFFECT_Q_VALUE, x(&|f| f.effect.q_value))
        .f64(col::MIN_EFFECT, x(&|f| Some(f.min_effect)))
        .i64(col::N_SUPPORTED_CELLS, i(&|f| Some(e(f).supported_cells)))
        .i64(col::N_COMPARISON_CELLS, i(&|f| Some(e(f).comparison_cells)))
        .i64(
            col::N_SUPPORTED_CELL_YEARS,
            i(&|f| Some(e(f).supported_cell_years)),
        )
        .i64(col::NOBS, i(&|f| Some(e(f).nobs)))
        .f64(col::PLACEBO, x(&|f| e(f).placebo))
        .f64(
            col::PLACEBO_CONF_LOW,
            x(&|f| f.placebo_interval.map(|c| c.0)),
        )
        .f64(
            col::PLACEBO_CONF_HIGH,
            x(&|f| f.placebo_interval.map(|c| c.1)),
        )
        .bool(
            col::PLACEBO_FAILED,
            flags.iter().map(|f| f.placebo_failed).collect(),
        )
        .f64(col::THRESHOLD_EFF_SECTORS, x(&|f| Some(f.thresholds.0)))
        .f64(col::THRESHOLD_SMALL_SHARE, x(&|f| Some(f.thresholds.1)))
        .str(
            col::EFFECT_VERDICT,
            s(&|f| Some(f.verdict.as_str().to_string())),
        )
        .bool(col::SCATTERED, b(&|f| f.scattered))
        .bool(col::LOW_IMPACT, b(&|f| f.low_impact))
        .bool(
            col::INSUFFICIENT,
            b(&|f| f.verdict == EffectVerdict::Insufficient),
        )
        .bool(col::FLAGGED, b(&|f| f.flagged))
        .str(col::STATUS, s(&|f| Some(f.status.as_str().to_string())))
        .str(
            col::REASONS,
            s(&|f| {
                let codes: Vec<&str> = f.reasons.iter().map(|r| r.as_str()).collect();
                Some(codes.join(";"))
            }),
        )
        .str(col::REASON_VI, s(&|f| Some(f.reason_vi.clone())))
        .str(col::REASON_EN, s(&|f| Some(f.reason_en.clone())))
        .i32(col::RANK, flags.iter().map(|f| f.rank).collect())
        .build()
}

/// The windows assessed, as spans of support years, from the panel's years: the whole span
/// ("all"), the programme phases the data cover ("phase") and rolling windows ("rolling3"), as
/// `flags.windows` asks. The indicators stage builds its concentration windows with the same
/// function (`indicators::windows`) from the same years.
pub fn evaluation_windows(
    panel: &DataFrame,
    indicators: &crate::indicators::IndicatorParams,
    params: &FlagParams,
) -> Result<Vec<(i32, i32)>> {
    params.validate()?;
    let years: Vec<i32> = crate::table::i32s(panel, col::YEAR)?
        .into_iter()
        .flatten()
        .collect();
    let (Some(&first), Some(&last)) = (years.iter().min(), years.iter().max()) else {
        return Ok(Vec::new());
    };
    let mut out: Vec<(i32, i32)> = crate::indicators::windows(first, last, indicators)
        .into_iter()
        .filter(|w| params.windows.contains(&w.kind))
        .map(|w| (w.start, w.end))
        .collect();
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// Reads the concentration and province-effect tables and writes the verdicts.
pub fn run(
    concentration: &DataFrame,
    effects: &DataFrame,
    params: &FlagParams,
    boundary: Boundary,
) -> Result<DataFrame> {
    use crate::table::{f64s, i32s, i64s, strs};
    params.validate()?;
    let kinds = strs(concentration, col::WINDOW)?;
    let provinces = strs(concentration, col::PROVINCE_CODE)?;
    let starts = i32s(concentration, col::PERIOD_START)?;
    let ends = i32s(concentration, col::PERIOD_END)?;
    let n = i64s(concentration, col::N_GRANTS)?;
    let total = f64s(concentration, col::TOTAL_MVND)?;
    let median = f64s(concentration, col::MEDIAN_GRANT_MVND)?;
    let small = f64s(concentration, col::SMALL_GRANT_SHARE)?;
    let eff = f64s(concentration, col::EFF_SECTORS)?;
    let hhi_b = f64s(concentration, col::HHI_BENEFICIARIES)?;
    let mut conc = Vec::new();
    for i in 0..concentration.height() {
        let kind = kinds[i].as_deref().unwrap_or("");
        let province = provinces[i].clone().unwrap_or_default();
        if province == crate::indicators::NATIONAL
            || !params.windows.iter().any(|k| k.as_str() == kind)
        {
            continue;
        }
        conc.push(ConcentrationRow {
            province,
            start: starts[i].unwrap_or(0),
            end: ends[i].unwrap_or(0),
            n_grants: n[i].unwrap_or(0),
            total_mvnd: total[i].unwrap_or(0.0),
            median_grant_mvnd: median[i],
            small_grant_share: small[i],
            eff_sectors: eff[i],
            hhi_beneficiaries: hhi_b[i],
        });
    }
    let effects = crate::models::province::read_effects(effects)?;
    let flags = assess(&conc, &effects, params)?;
    to_frame(&flags, boundary)
}

mod reasons;

#[cfg(test)]
mod tests;
