//! The flags stage: decides, per province and evaluation window, whether support was
//! **scattered** (spread thin over many sectors in many small grants), **low impact** (its
//! effect on output growth cannot be told from zero, or is below a minimum, with an interval
//! narrow enough to say so), both (**flagged**), or whether the data are **insufficient** to say.
//! Every verdict carries short reason codes, a sentence in Vietnamese and in English, and the
//! numbers behind it.

use crate::error::Result;
use crate::reference::{Boundary, Reference};
use crate::stats::concentration::quantile;
use crate::table::TableBuilder;
use polars::prelude::DataFrame;
use std::collections::BTreeMap;

/// Flag parameters (the `[flags]` table of a pipeline file).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlagParams {
    /// Window kinds assessed: "all" (the whole span), "phase" (programme phases), "rolling3".
    #[serde(default = "default_windows")]
    pub windows: Vec<String>,
    /// False discovery rate for "the effect can be told from zero" (Benjamini–Hochberg across
    /// provinces within a window).
    #[serde(default = "default_alpha")]
    pub alpha: f64,
    /// Effects (elasticity of output growth to ln(1 + lagged spending)) below this are low
    /// impact even when they differ from zero.
    #[serde(default = "default_min_effect")]
    pub min_effect: f64,
    /// An interval whose half-width exceeds this cannot tell an effect of this size from zero:
    /// "insufficient data".
    #[serde(default = "default_max_halfwidth")]
    pub max_halfwidth: f64,
    /// Fewest grants in a window for any verdict.
    #[serde(default = "default_min_grants")]
    pub min_grants: i64,
    /// Fewest province × sector × year cells with support for an effect estimate.
    #[serde(default = "default_min_cells")]
    pub min_treated_cells: i64,
    /// Effective number of sectors at or above which support counts as spread over many
    /// sectors. Default: the upper quartile across provinces in the same window.
    #[serde(default)]
    pub scattered_eff_sectors: Option<f64>,
    /// Share of small grants at or above which support counts as many small grants. Default:
    /// the upper quartile across provinces in the same window.
    #[serde(default)]
    pub scattered_small_share: Option<f64>,
}

fn default_windows() -> Vec<String> {
    vec!["all".into(), "phase".into()]
}
fn default_alpha() -> f64 {
    0.10
}
fn default_min_effect() -> f64 {
    0.004
}
fn default_max_halfwidth() -> f64 {
    0.008
}
fn default_min_grants() -> i64 {
    5
}
fn default_min_cells() -> i64 {
    5
}

impl Default for FlagParams {
    fn default() -> Self {
        FlagParams {
            windows: default_windows(),
            alpha: default_alpha(),
            min_effect: default_min_effect(),
            max_halfwidth: default_max_halfwidth(),
            min_grants: default_min_grants(),
            min_treated_cells: default_min_cells(),
            scattered_eff_sectors: None,
            scattered_small_share: None,
        }
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

/// The estimated effect of one province's support in one window.
#[derive(Debug, Clone, Default)]
pub struct ProvinceEffect {
    pub province: String,
    pub start: i32,
    pub end: i32,
    pub estimate: Option<f64>,
    pub std_error: Option<f64>,
    pub conf_low: Option<f64>,
    pub conf_high: Option<f64>,
    pub p_value: Option<f64>,
    pub q_value: Option<f64>,
    pub nobs: i64,
    pub n_treated_cells: i64,
}

/// The verdict for one province and window.
#[derive(Debug, Clone)]
pub struct Flag {
    pub conc: ConcentrationRow,
    pub effect: ProvinceEffect,
    pub scattered: bool,
    pub low_impact: bool,
    pub insufficient: bool,
    pub flagged: bool,
    pub status: &'static str,
    pub reasons: Vec<&'static str>,
    pub reason_vi: String,
    pub reason_en: String,
    pub score: f64,
    pub rank: Option<i32>,
    pub thresholds: (f64, f64),
}

/// Reason codes and their sentences.
fn sentence(code: &str, f: &Flag, min_effect: f64) -> (String, String) {
    let c = &f.conc;
    let e = &f.effect;
    let num = |v: Option<f64>, d: usize| v.map_or("–".to_string(), |v| format!("{v:.d$}"));
    match code {
        "MANY_SECTORS" => (
            format!(
                "hỗ trợ trải trên {} ngành tương đương (ngưỡng {:.1})",
                num(c.eff_sectors, 1),
                f.thresholds.0
            ),
            format!(
                "support spread over {} effective sectors (threshold {:.1})",
                num(c.eff_sectors, 1),
                f.thresholds.0
            ),
        ),
        "SMALL_GRANTS" => (
            format!(
                "{}% số khoản hỗ trợ là khoản nhỏ (ngưỡng {:.0}%)",
                num(c.small_grant_share.map(|s| s * 100.0), 0),
                f.thresholds.1 * 100.0
            ),
            format!(
                "{}% of grants are small (threshold {:.0}%)",
                num(c.small_grant_share.map(|s| s * 100.0), 0),
                f.thresholds.1 * 100.0
            ),
        ),
        "NO_CLEAR_EFFECT" => (
            format!(
                "tác động ước lượng {} (khoảng tin cậy {} đến {}, q = {}) không phân biệt được với 0",
                num(e.estimate, 4),
                num(e.conf_low, 4),
                num(e.conf_high, 4),
                num(e.q_value, 2)
            ),
            format!(
                "estimated effect {} (interval {} to {}, q = {}) cannot be told from zero",
                num(e.estimate, 4),
                num(e.conf_low, 4),
                num(e.conf_high, 4),
                num(e.q_value, 2)
            ),
        ),
        "EFFECT_BELOW_MINIMUM" => (
            format!(
                "tác động ước lượng {} dưới mức tối thiểu {min_effect}",
                num(e.estimate, 4)
            ),
            format!(
                "estimated effect {} is below the minimum of {min_effect}",
                num(e.estimate, 4)
            ),
        ),
        "CLEAR_EFFECT" => (
            format!(
                "tác động rõ ràng: {} (khoảng tin cậy {} đến {})",
                num(e.estimate, 4),
                num(e.conf_low, 4),
                num(e.conf_high, 4)
            ),
            format!(
                "clear effect: {} (interval {} to {})",
                num(e.estimate, 4),
                num(e.conf_low, 4),
                num(e.conf_high, 4)
            ),
        ),
        "FEW_GRANTS" => (
            format!("chỉ có {} khoản hỗ trợ trong giai đoạn", c.n_grants),
            format!("only {} grants in the window", c.n_grants),
        ),
        "FEW_SUPPORTED_CELLS" => (
            format!(
                "chỉ {} ô ngành-năm có hỗ trợ để ước lượng tác động",
                e.n_treated_cells
            ),
            format!(
                "only {} sector-years with support to estimate an effect from",
                e.n_treated_cells
            ),
        ),
        "WIDE_INTERVAL" => (
            format!(
                "khoảng tin cậy quá rộng ({} đến {}) để kết luận",
                num(e.conf_low, 4),
                num(e.conf_high, 4)
            ),
            format!(
                "interval too wide ({} to {}) to tell",
                num(e.conf_low, 4),
                num(e.conf_high, 4)
            ),
        ),
        _ => (code.to_string(), code.to_string()),
    }
}

/// Decides every province and window. `conc` and `effects` are matched on province and window.
pub fn assess(
    conc: &[ConcentrationRow],
    effects: &[ProvinceEffect],
    params: &FlagParams,
) -> Vec<Flag> {
    let mut by_window: BTreeMap<(i32, i32), Vec<&ConcentrationRow>> = BTreeMap::new();
    for c in conc {
        by_window.entry((c.start, c.end)).or_default().push(c);
    }
    let effect_of: BTreeMap<(&str, i32, i32), &ProvinceEffect> = effects
        .iter()
        .map(|e| ((e.province.as_str(), e.start, e.end), e))
        .collect();

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
        let thr_eff = params
            .scattered_eff_sectors
            .or_else(|| quantile(&eff, 0.75))
            .unwrap_or(f64::INFINITY);
        let thr_small = params
            .scattered_small_share
            .or_else(|| quantile(&small, 0.75))
            .unwrap_or(f64::INFINITY);
        let mut window_flags = Vec::new();
        for c in rows {
            let effect = effect_of
                .get(&(c.province.as_str(), start, end))
                .map(|e| (*e).clone())
                .unwrap_or_else(|| ProvinceEffect {
                    province: c.province.clone(),
                    start,
                    end,
                    ..Default::default()
                });
            let many_sectors = c.eff_sectors.is_some_and(|v| v >= thr_eff);
            let small_grants = c.small_grant_share.is_some_and(|v| v >= thr_small);
            let mut reasons = Vec::new();
            let few_grants = c.n_grants < params.min_grants;
            let few_cells = effect.n_treated_cells < params.min_treated_cells;
            let halfwidth = effect
                .conf_low
                .zip(effect.conf_high)
                .map(|(l, h)| (h - l) / 2.0);
            let wide = halfwidth.is_none_or(|h| h > params.max_halfwidth);
            let scattered = !few_grants && many_sectors && small_grants;
            if scattered {
                reasons.extend(["MANY_SECTORS", "SMALL_GRANTS"]);
            }
            let insufficient = few_grants || few_cells || wide;
            let mut low_impact = false;
            if few_grants {
                reasons.push("FEW_GRANTS");
            } else if few_cells {
                reasons.push("FEW_SUPPORTED_CELLS");
            } else if wide {
                reasons.push("WIDE_INTERVAL");
            } else {
                let not_distinct = effect.q_value.is_none_or(|q| q >= params.alpha);
                let below_min = effect.estimate.is_some_and(|e| e < params.min_effect);
                low_impact = not_distinct || below_min;
                if not_distinct {
                    reasons.push("NO_CLEAR_EFFECT");
                } else if below_min {
                    reasons.push("EFFECT_BELOW_MINIMUM");
                } else {
                    reasons.push("CLEAR_EFFECT");
                }
            }
            let flagged = scattered && low_impact && !insufficient;
            let status = if insufficient {
                "insufficient_data"
            } else if flagged {
                "flagged"
            } else if scattered {
                "scattered_effective"
            } else if low_impact {
                "focused_low_impact"
            } else {
                "ok"
            };
            // How far past both thresholds the province is, for ranking flagged provinces.
            let score = c.eff_sectors.unwrap_or(0.0) / thr_eff.max(1e-9)
                + c.small_grant_share.unwrap_or(0.0) / thr_small.max(1e-9);
            let mut f = Flag {
                conc: c.clone(),
                effect,
                scattered,
                low_impact,
                insufficient,
                flagged,
                status,
                reasons,
                reason_vi: String::new(),
                reason_en: String::new(),
                score,
                rank: None,
                thresholds: (thr_eff, thr_small),
            };
            let (vi, en): (Vec<String>, Vec<String>) = f
                .reasons
                .iter()
                .map(|r| sentence(r, &f, params.min_effect))
                .unzip();
            f.reason_vi = capitalise(&vi_decimals(&vi.join("; ")));
            f.reason_en = capitalise(&en.join("; "));
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
    flags
}

/// Vietnamese writes the decimal mark as a comma: "14.7" → "14,7" (only between digits).
fn vi_decimals(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let between_digits = i > 0
                && chars[i - 1].is_ascii_digit()
                && chars.get(i + 1).is_some_and(char::is_ascii_digit);
            if c == '.' && between_digits { ',' } else { c }
        })
        .collect()
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// The flags table (schema in docs/TABLES.md).
pub fn to_frame(flags: &[Flag], boundary: Boundary) -> Result<DataFrame> {
    let r = Reference::get();
    let s = |f: &dyn Fn(&Flag) -> Option<String>| flags.iter().map(f).collect::<Vec<_>>();
    let x = |f: &dyn Fn(&Flag) -> Option<f64>| flags.iter().map(f).collect::<Vec<_>>();
    let b = |f: &dyn Fn(&Flag) -> bool| flags.iter().map(|v| Some(f(v))).collect::<Vec<_>>();
    TableBuilder::new()
        .str("province_code", s(&|f| Some(f.conc.province.clone())))
        .str(
            "province_name",
            s(&|f| r.name_of(&f.conc.province, boundary).map(str::to_string)),
        )
        .i32(
            "period_start",
            flags.iter().map(|f| Some(f.conc.start)).collect(),
        )
        .i32(
            "period_end",
            flags.iter().map(|f| Some(f.conc.end)).collect(),
        )
        .i64(
            "n_grants",
            flags.iter().map(|f| Some(f.conc.n_grants)).collect(),
        )
        .f64("total_mvnd", x(&|f| Some(f.conc.total_mvnd)))
        .f64("median_grant_mvnd", x(&|f| f.conc.median_grant_mvnd))
        .f64("small_grant_share", x(&|f| f.conc.small_grant_share))
        .f64("eff_sectors", x(&|f| f.conc.eff_sectors))
        .f64("hhi_beneficiaries", x(&|f| f.conc.hhi_beneficiaries))
        .f64("effect", x(&|f| f.effect.estimate))
        .f64("effect_conf_low", x(&|f| f.effect.conf_low))
        .f64("effect_conf_high", x(&|f| f.effect.conf_high))
        .f64("effect_p_value", x(&|f| f.effect.p_value))
        .f64("effect_q_value", x(&|f| f.effect.q_value))
        .i64(
            "n_treated_cells",
            flags
                .iter()
                .map(|f| Some(f.effect.n_treated_cells))
                .collect(),
        )
        .f64("threshold_eff_sectors", x(&|f| Some(f.thresholds.0)))
        .f64("threshold_small_share", x(&|f| Some(f.thresholds.1)))
        .bool("scattered", b(&|f| f.scattered))
        .bool("low_impact", b(&|f| f.low_impact))
        .bool("insufficient", b(&|f| f.insufficient))
        .bool("flagged", b(&|f| f.flagged))
        .str("status", s(&|f| Some(f.status.to_string())))
        .str("reasons", s(&|f| Some(f.reasons.join(";"))))
        .str("reason_vi", s(&|f| Some(f.reason_vi.clone())))
        .str("reason_en", s(&|f| Some(f.reason_en.clone())))
        .i32("rank", flags.iter().map(|f| f.rank).collect())
        .build()
}

/// The windows assessed, from the panel's years: the whole span ("all"), the programme phases
/// the data cover ("phase") and rolling windows ("rolling3"), as `flags.windows` asks.
pub fn evaluation_windows(
    panel: &DataFrame,
    indicators: &crate::indicators::IndicatorParams,
    params: &FlagParams,
) -> Result<Vec<(i32, i32)>> {
    let years: Vec<i32> = crate::table::i32s(panel, "year")?
        .into_iter()
        .flatten()
        .collect();
    let (Some(&first), Some(&last)) = (years.iter().min(), years.iter().max()) else {
        return Ok(Vec::new());
    };
    let mut out: Vec<(i32, i32)> = crate::indicators::windows(first, last, indicators)
        .into_iter()
        .filter(|w| params.windows.iter().any(|k| k == w.kind))
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
    let kinds = strs(concentration, "window")?;
    let provinces = strs(concentration, "province_code")?;
    let starts = i32s(concentration, "period_start")?;
    let ends = i32s(concentration, "period_end")?;
    let n = i64s(concentration, "n_grants")?;
    let total = f64s(concentration, "total_mvnd")?;
    let median = f64s(concentration, "median_grant_mvnd")?;
    let small = f64s(concentration, "small_grant_share")?;
    let eff = f64s(concentration, "eff_sectors")?;
    let hhi_b = f64s(concentration, "hhi_beneficiaries")?;
    let mut conc = Vec::new();
    for i in 0..concentration.height() {
        let kind = kinds[i].as_deref().unwrap_or("");
        let province = provinces[i].clone().unwrap_or_default();
        if province == crate::indicators::NATIONAL || !params.windows.iter().any(|k| k == kind) {
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
    let ep = strs(effects, "province_code")?;
    let es = i32s(effects, "period_start")?;
    let ee = i32s(effects, "period_end")?;
    let est = f64s(effects, "estimate")?;
    let se = f64s(effects, "std_error")?;
    let lo = f64s(effects, "conf_low")?;
    let hi = f64s(effects, "conf_high")?;
    let p = f64s(effects, "p_value")?;
    let q = f64s(effects, "q_value")?;
    let nobs = i64s(effects, "nobs")?;
    let cells = i64s(effects, "n_treated_cells")?;
    let effects: Vec<ProvinceEffect> = (0..effects.height())
        .map(|i| ProvinceEffect {
            province: ep[i].clone().unwrap_or_default(),
            start: es[i].unwrap_or(0),
            end: ee[i].unwrap_or(0),
            estimate: est[i],
            std_error: se[i],
            conf_low: lo[i],
            conf_high: hi[i],
            p_value: p[i],
            q_value: q[i],
            nobs: nobs[i].unwrap_or(0),
            n_treated_cells: cells[i].unwrap_or(0),
        })
        .collect();
    let flags = assess(&conc, &effects, params);
    to_frame(&flags, boundary)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conc(p: &str, eff: f64, small: f64) -> ConcentrationRow {
        ConcentrationRow {
            province: p.into(),
            start: 2012,
            end: 2024,
            n_grants: 40,
            total_mvnd: 10_000.0,
            median_grant_mvnd: Some(200.0),
            small_grant_share: Some(small),
            eff_sectors: Some(eff),
            hhi_beneficiaries: Some(0.1),
        }
    }

    fn effect(p: &str, est: f64, half: f64, q: f64) -> ProvinceEffect {
        ProvinceEffect {
            province: p.into(),
            start: 2012,
            end: 2024,
            estimate: Some(est),
            std_error: Some(half / 1.96),
            conf_low: Some(est - half),
            conf_high: Some(est + half),
            p_value: Some(q / 2.0),
            q_value: Some(q),
            nobs: 240,
            n_treated_cells: 30,
        }
    }

    #[test]
    fn the_four_cases_and_insufficient_data() {
        // Fixed thresholds make the expected verdicts exact.
        let params = FlagParams {
            scattered_eff_sectors: Some(8.0),
            scattered_small_share: Some(0.6),
            ..FlagParams::default()
        };
        let c = vec![
            conc("A", 12.0, 0.9), // scattered, no effect → flagged
            conc("B", 12.0, 0.9), // scattered, effect → scattered_effective
            conc("C", 2.0, 0.1),  // focused, no effect → focused_low_impact
            conc("D", 2.0, 0.1),  // focused, effect → ok
            conc("E", 12.0, 0.9), // scattered, wide interval → insufficient
        ];
        let e = vec![
            effect("A", 0.001, 0.004, 0.6),
            effect("B", 0.012, 0.004, 0.001),
            effect("C", -0.001, 0.005, 0.8),
            effect("D", 0.013, 0.005, 0.001),
            effect("E", 0.0, 0.05, 0.9),
        ];
        let flags = assess(&c, &e, &params);
        let status: Vec<&str> = flags.iter().map(|f| f.status).collect();
        assert_eq!(
            status,
            vec![
                "flagged",
                "scattered_effective",
                "focused_low_impact",
                "ok",
                "insufficient_data"
            ]
        );
        assert_eq!(flags[0].rank, Some(1));
        assert_eq!(
            flags[0].reasons,
            vec!["MANY_SECTORS", "SMALL_GRANTS", "NO_CLEAR_EFFECT"]
        );
        assert!(flags[0].reason_en.contains("12.0 effective sectors"));
        assert!(flags[0].reason_vi.contains("90%"));
        assert!(
            flags[0].reason_vi.contains("12,0 ngành"),
            "{}",
            flags[0].reason_vi
        );
        assert!(!flags[4].flagged && flags[4].reasons.contains(&"WIDE_INTERVAL"));
    }

    #[test]
    fn default_thresholds_are_the_upper_quartile() {
        // eff sectors 1..=5 → Q3 (type 7) = 4; small shares 0.1..0.5 → 0.4.
        let c: Vec<ConcentrationRow> = (1..=5)
            .map(|i| conc(&i.to_string(), i as f64, i as f64 / 10.0))
            .collect();
        let e: Vec<ProvinceEffect> = (1..=5)
            .map(|i| effect(&i.to_string(), 0.0, 0.004, 0.9))
            .collect();
        let flags = assess(&c, &e, &FlagParams::default());
        assert!((flags[0].thresholds.0 - 4.0).abs() < 1e-12);
        assert!((flags[0].thresholds.1 - 0.4).abs() < 1e-12);
        let flagged: Vec<&str> = flags
            .iter()
            .filter(|f| f.flagged)
            .map(|f| f.conc.province.as_str())
            .collect();
        assert_eq!(flagged, vec!["4", "5"]);
        // Province 5 is further past both thresholds, so it ranks first.
        assert_eq!(flags[4].rank, Some(1));
        assert_eq!(flags[3].rank, Some(2));
    }
}
