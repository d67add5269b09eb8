//! The two rules behind a flag, in one place for the pipeline and the simulation study: the
//! effect verdict of one province in one window (clear / low / inconclusive / insufficient, from
//! one interval and a placebo check) and whether its support was scattered (absolute thresholds
//! with a policy meaning, or the rank across provinces when asked).

use crate::contract::vocab::ReasonCode;
use crate::models::province::Estimate;

/// What the data say about a province's effect in a window.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum EffectVerdict {
    /// The interval lies above zero (and is not wholly below the minimum effect), and the
    /// placebo check passes.
    Clear,
    /// Equivalence: the upper bound is below the minimum effect (whatever the lower bound).
    Low,
    /// Neither: the interval reaches both below the minimum and down to zero, or the placebo
    /// check failed.
    Inconclusive,
    /// Too few distinct supported cells, or no unsupported comparison, for a province estimate.
    Insufficient,
}

impl EffectVerdict {
    pub const ALL: [EffectVerdict; 4] = [
        EffectVerdict::Clear,
        EffectVerdict::Low,
        EffectVerdict::Inconclusive,
        EffectVerdict::Insufficient,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EffectVerdict::Clear => "clear",
            EffectVerdict::Low => "low",
            EffectVerdict::Inconclusive => "inconclusive",
            EffectVerdict::Insufficient => "insufficient",
        }
    }

    pub fn parse(s: &str) -> Option<EffectVerdict> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// The numbers the effect rule needs (the `[flags]` parameters that concern the effect).
#[derive(Debug, Clone, Copy)]
pub struct EffectRule {
    /// Level of the two-sided interval (0.90: a one-sided 5% test each way).
    pub level: f64,
    /// Minimum effect, in log points of growth (0.025 = 2.5 percentage points).
    pub min_effect: f64,
    pub min_supported_cells: i64,
    pub min_comparison_cells: i64,
    /// Whether a failed placebo check turns a clear or low verdict into inconclusive.
    pub placebo: bool,
}

/// A verdict, its reason codes, its interval and whether the placebo check failed (None when it
/// could not be run).
pub type Decision = (
    EffectVerdict,
    Vec<ReasonCode>,
    Option<(f64, f64)>,
    Option<bool>,
);

/// The verdict of one estimate under `rule`.
pub fn decide(e: &Estimate, rule: &EffectRule) -> Decision {
    let ci = e.interval(rule.level);
    let placebo_failed = e
        .placebo_interval(rule.level)
        .map(|(lo, hi)| lo > 0.0 || hi < 0.0);
    if e.supported_cells < rule.min_supported_cells {
        return (
            EffectVerdict::Insufficient,
            vec![ReasonCode::FewSupportedCells],
            ci,
            placebo_failed,
        );
    }
    if e.comparison_cells < rule.min_comparison_cells {
        return (
            EffectVerdict::Insufficient,
            vec![ReasonCode::NoComparison],
            ci,
            placebo_failed,
        );
    }
    let Some((lo, hi)) = ci else {
        return (
            EffectVerdict::Insufficient,
            vec![ReasonCode::NoEstimate],
            ci,
            placebo_failed,
        );
    };
    let vetoed = rule.placebo && placebo_failed == Some(true);
    // Low first: an effect shown to be below the minimum is low impact even when it is also
    // shown to be above zero (a small sure effect is still below what is worth paying for).
    let (verdict, code) = if hi < rule.min_effect {
        (EffectVerdict::Low, ReasonCode::EffectBelowMinimum)
    } else if lo > 0.0 {
        (EffectVerdict::Clear, ReasonCode::ClearEffect)
    } else {
        (EffectVerdict::Inconclusive, ReasonCode::IntervalTooWide)
    };
    if vetoed && verdict != EffectVerdict::Inconclusive {
        return (
            EffectVerdict::Inconclusive,
            vec![code, ReasonCode::PlaceboFailed],
            ci,
            placebo_failed,
        );
    }
    (verdict, vec![code], ci, placebo_failed)
}

/// How "scattered" is decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScatteredRule {
    /// Fixed thresholds (`scattered_eff_sectors`, `scattered_small_share`).
    Absolute,
    /// At or above the `relative_quantile` of provinces in the same window on both measures.
    Relative,
}

/// Thresholds in force in one window: (effective sectors, small-grant share).
pub fn scattered_thresholds(
    rule: ScatteredRule,
    absolute: (f64, f64),
    quantile: f64,
    eff: &[f64],
    small: &[f64],
) -> (f64, f64) {
    match rule {
        ScatteredRule::Absolute => absolute,
        ScatteredRule::Relative => (
            crate::stats::concentration::quantile(eff, quantile).unwrap_or(f64::INFINITY),
            crate::stats::concentration::quantile(small, quantile).unwrap_or(f64::INFINITY),
        ),
    }
}

/// Share of values strictly below `v` (0 = lowest, near 1 = highest): the rank shown beside.
pub fn percent_rank(values: &[f64], v: f64) -> Option<f64> {
    let n = values.len();
    (n > 1).then(|| values.iter().filter(|x| **x < v).count() as f64 / (n - 1) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn est(b: f64, se: f64, cells: i64, placebo: f64) -> Estimate {
        Estimate {
            estimate: Some(b),
            std_error: Some(se),
            df: Some((cells - 1) as f64),
            p_value: None,
            nobs: 200,
            supported_cells: cells,
            comparison_cells: 10,
            supported_cell_years: 50,
            placebo: Some(placebo),
            placebo_se: Some(se),
            placebo_df: Some((cells - 1) as f64),
        }
    }

    const RULE: EffectRule = EffectRule {
        level: 0.90,
        min_effect: 0.02,
        min_supported_cells: 3,
        min_comparison_cells: 2,
        placebo: true,
    };

    #[test]
    fn one_interval_decides_the_four_verdicts() {
        // 11 cells → 10 df; t(0.95, 10) = 1.812461 (R: qt(0.95, 10)).
        let c = 1.812_461_1;
        // Clear: 0.05 − 1.8125·0.01 = 0.0319 > 0.
        let (v, r, ci, _) = decide(&est(0.05, 0.01, 11, 0.0), &RULE);
        assert_eq!(
            (v, r),
            (EffectVerdict::Clear, vec![ReasonCode::ClearEffect])
        );
        let (lo, hi) = ci.unwrap();
        assert!((lo - (0.05 - c * 0.01)).abs() < 1e-6 && (hi - (0.05 + c * 0.01)).abs() < 1e-6);
        // Low: 0.001 + 1.8125·0.005 = 0.0101 < 0.02.
        assert_eq!(
            decide(&est(0.001, 0.005, 11, 0.0), &RULE).0,
            EffectVerdict::Low
        );
        // A clearly negative effect is low too.
        assert_eq!(
            decide(&est(-0.05, 0.005, 11, 0.0), &RULE).0,
            EffectVerdict::Low
        );
        // The case of the issue: 0.0075 ± 0.0077 reaches 0.0152 < 0.02 → low, but with the
        // minimum at 0.01 it is inconclusive, not low.
        let e = est(0.0075, 0.0077 / c, 11, 0.0);
        assert_eq!(decide(&e, &RULE).0, EffectVerdict::Low);
        let strict = EffectRule {
            min_effect: 0.01,
            ..RULE
        };
        assert_eq!(decide(&e, &strict).0, EffectVerdict::Inconclusive);
        // Above zero but surely below the minimum: 0.01 ± 0.0054 → low, not clear.
        assert_eq!(
            decide(&est(0.01, 0.003, 11, 0.0), &RULE).0,
            EffectVerdict::Low
        );
        // Two supported cells: insufficient whatever the interval.
        let (v, r, _, _) = decide(&est(0.05, 0.001, 2, 0.0), &RULE);
        assert_eq!(
            (v, r),
            (
                EffectVerdict::Insufficient,
                vec![ReasonCode::FewSupportedCells]
            )
        );
    }

    #[test]
    fn a_failed_placebo_turns_clear_into_inconclusive() {
        // Placebo −0.04 ± 0.018 excludes zero: the dip before support explains the "effect".
        let (v, r, _, failed) = decide(&est(0.05, 0.01, 11, -0.04), &RULE);
        assert_eq!(v, EffectVerdict::Inconclusive);
        assert_eq!(r, vec![ReasonCode::ClearEffect, ReasonCode::PlaceboFailed]);
        assert_eq!(failed, Some(true));
        let off = EffectRule {
            placebo: false,
            ..RULE
        };
        assert_eq!(
            decide(&est(0.05, 0.01, 11, -0.04), &off).0,
            EffectVerdict::Clear
        );
    }

    #[test]
    fn thresholds_absolute_or_relative() {
        let eff = [1.0, 2.0, 3.0, 4.0, 5.0];
        let small = [0.1, 0.2, 0.3, 0.4, 0.5];
        assert_eq!(
            scattered_thresholds(ScatteredRule::Absolute, (4.0, 0.5), 0.75, &eff, &small),
            (4.0, 0.5)
        );
        let (a, b) = scattered_thresholds(ScatteredRule::Relative, (4.0, 0.5), 0.75, &eff, &small);
        assert!((a - 4.0).abs() < 1e-12 && (b - 0.4).abs() < 1e-12);
        assert_eq!(percent_rank(&eff, 5.0), Some(1.0));
        assert_eq!(percent_rank(&eff, 1.0), Some(0.0));
    }
}
