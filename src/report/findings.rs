//! The report's headline facts, read off the finished tables: who was flagged, where the money
//! went, what the main model and the event study say, how plans compared with results. Sums and
//! shares of what the tables hold. The count of grants, their Gini and top-decile share come from
//! `indicators/national.parquet`, over the same years as every other number.

use super::data::{Coefficient, ReportData};
use super::i18n::{K, num, pval, t, tf};
use super::{Lang, ReportContext, province_name};
use crate::contract::vocab::FlagStatus;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default)]
pub struct Achievement {
    pub disbursement_rate: Option<f64>,
    pub trainee_rate: Option<f64>,
    pub model_rate: Option<f64>,
    pub years: Option<(i32, i32)>,
}

#[derive(Debug, Clone, Default)]
pub struct Findings {
    /// Provinces in the flags table.
    pub assessed: Vec<String>,
    /// Flagged provinces, best (lowest) rank first.
    pub flagged: Vec<String>,
    /// Provinces whose every window is "insufficient data".
    pub insufficient: Vec<String>,
    /// The most telling status of each province over its windows.
    pub status_by_province: BTreeMap<String, FlagStatus>,
    /// The longest (then latest) evaluation window, used where one window must be chosen.
    pub main_window: Option<(i32, i32)>,
    pub spend_total_mvnd: Option<f64>,
    pub n_grants: Option<usize>,
    pub years: Option<(i32, i32)>,
    /// Activity with the largest total and its share of all spending.
    pub top_activity: Option<(String, f64)>,
    pub gini: Option<f64>,
    /// Share of money in the largest 10% of grants.
    pub top10_share: Option<f64>,
    pub main_term: Option<Coefficient>,
    /// Post-start periods whose effect both bands tell from zero, and all post-start periods.
    pub event_clear: Option<(usize, usize)>,
    pub achievement: Option<Achievement>,
    /// Verdict counts of the main window, where the flags carry verdicts.
    pub verdicts: Option<Verdicts>,
    pub pilots: Vec<String>,
    pub pilot_start: Option<i32>,
}

/// How the verdicts of one window came out, and the rule that made them.
#[derive(Debug, Clone, Default)]
pub struct Verdicts {
    pub window: (i32, i32),
    /// clear, low, inconclusive, insufficient.
    pub counts: [usize; 4],
    pub placebo_failed: usize,
    pub scattered_unknown: usize,
    pub eff: f64,
    pub small: f64,
    pub level: f64,
    pub min_effect: f64,
}

impl Verdicts {
    fn of(rows: &[super::data::FlagRow], window: (i32, i32)) -> Option<Verdicts> {
        let rows: Vec<_> = rows
            .iter()
            .filter(|r| (r.period_start, r.period_end) == window && !r.effect_verdict.is_empty())
            .collect();
        let first = rows.first()?;
        let mut v = Verdicts {
            window,
            eff: first.threshold_eff_sectors?,
            small: first.threshold_small_share?,
            level: first.conf_level?,
            min_effect: first.min_effect?,
            ..Default::default()
        };
        for r in &rows {
            let k = ["clear", "low", "inconclusive", "insufficient"]
                .iter()
                .position(|c| *c == r.effect_verdict)?;
            v.counts[k] += 1;
            v.placebo_failed += usize::from(r.placebo_failed == Some(true));
            v.scattered_unknown += usize::from(r.status == FlagStatus::ScatteredEffectUnknown);
        }
        Some(v)
    }

    fn sentence(&self, lang: super::Lang) -> String {
        let n = |k: usize| k.to_string();
        tf(
            lang,
            K::FindVerdicts,
            &[
                ("y0", &self.window.0.to_string()),
                ("y1", &self.window.1.to_string()),
                ("clear", &n(self.counts[0])),
                ("low", &n(self.counts[1])),
                ("inconclusive", &n(self.counts[2])),
                ("insufficient", &n(self.counts[3])),
                ("placebo", &n(self.placebo_failed)),
                ("eff", &num(lang, self.eff, 1)),
                ("small", &num(lang, self.small * 100.0, 0)),
                ("level", &num(lang, self.level * 100.0, 0)),
                ("min", &num(lang, self.min_effect * 100.0, 1)),
                ("unknown", &n(self.scattered_unknown)),
            ],
        )
    }
}

/// Order of statuses from most to least telling, for one label per province on the map.
fn severity(status: FlagStatus) -> u8 {
    use FlagStatus::*;
    match status {
        Flagged => 5,
        FocusedLowImpact => 4,
        ScatteredEffectUnknown => 3,
        ScatteredEffective => 3,
        EffectUnknown => 2,
        Ok => 2,
        InsufficientData => 1,
    }
}

/// Σ numerator / Σ denominator over rows where both are present and the denominator is positive.
fn ratio(pairs: impl Iterator<Item = (Option<f64>, Option<f64>)>) -> Option<f64> {
    let (mut num, mut den) = (0.0, 0.0);
    let mut any = false;
    for (n, d) in pairs {
        if let (Some(n), Some(d)) = (n, d) {
            num += n;
            den += d;
            any = true;
        }
    }
    (any && den > 0.0).then(|| num / den)
}

impl Findings {
    pub fn compute(d: &ReportData, ctx: &ReportContext) -> Findings {
        let mut f = Findings::default();
        let mut best_rank: BTreeMap<String, i32> = BTreeMap::new();
        let mut all_insufficient: BTreeMap<String, bool> = BTreeMap::new();
        for r in &d.flags {
            let e = f
                .status_by_province
                .entry(r.province_code.clone())
                .or_insert(r.status);
            if severity(r.status) > severity(*e) {
                *e = r.status;
            }
            if r.flagged {
                let rank = r.rank.unwrap_or(i32::MAX);
                let b = best_rank.entry(r.province_code.clone()).or_insert(rank);
                *b = (*b).min(rank);
            }
            let a = all_insufficient
                .entry(r.province_code.clone())
                .or_insert(true);
            *a &= r.status == FlagStatus::InsufficientData;
        }
        f.assessed = f.status_by_province.keys().cloned().collect();
        let mut flagged: Vec<(i32, String)> = best_rank.into_iter().map(|(c, r)| (r, c)).collect();
        flagged.sort();
        f.flagged = flagged.into_iter().map(|(_, c)| c).collect();
        f.insufficient = all_insufficient
            .into_iter()
            .filter(|(_, v)| *v)
            .map(|(c, _)| c)
            .collect();
        f.main_window = d
            .flags
            .iter()
            .map(|r| (r.period_start, r.period_end))
            .max_by_key(|(s, e)| (e - s, *e));
        f.verdicts = f.main_window.and_then(|w| Verdicts::of(&d.flags, w));

        if let Some(spending) = &d.spending {
            let total: f64 = spending.iter().map(|r| r.amount_mvnd).sum();
            f.spend_total_mvnd = Some(total);
            let mut by_act: BTreeMap<&str, f64> = BTreeMap::new();
            for r in spending {
                *by_act.entry(&r.activity).or_default() += r.amount_mvnd;
            }
            if total > 0.0 {
                f.top_activity = by_act
                    .into_iter()
                    .max_by(|a, b| a.1.total_cmp(&b.1))
                    .map(|(a, v)| (a.to_string(), v / total));
            }
            let lo = spending.iter().map(|r| r.year).min();
            let hi = spending.iter().map(|r| r.year).max();
            f.years = lo.zip(hi);
        }
        if let Some(n) = &d.national {
            f.n_grants = Some(n.n_grants);
            f.gini = n.gini;
            f.top10_share = n.top_decile_share;
            if f.spend_total_mvnd.is_none() {
                f.spend_total_mvnd = Some(n.total_mvnd);
            }
            if f.years.is_none() {
                f.years = n.period_start.zip(n.period_end);
            }
        }
        f.main_term = d.main_spend_term();
        if let Some(es) = &d.event_study {
            let post: Vec<_> = es
                .iter()
                .filter(|r| r.rel_year >= 0 && !r.reference)
                .collect();
            let excludes = |lo: Option<f64>, hi: Option<f64>| match (lo, hi) {
                (Some(lo), Some(hi)) => lo > 0.0 || hi < 0.0,
                _ => false,
            };
            let clear = post
                .iter()
                .filter(|r| {
                    excludes(r.conf_low, r.conf_high)
                        && (r.conf_low_wild.is_none()
                            || excludes(r.conf_low_wild, r.conf_high_wild))
                })
                .count();
            if !post.is_empty() {
                f.event_clear = Some((clear, post.len()));
            }
        }
        if let Some(rows) = &d.achievement {
            let a = Achievement {
                disbursement_rate: ratio(rows.iter().map(|r| (r.disbursed_mvnd, r.planned_mvnd))),
                trainee_rate: ratio(
                    rows.iter()
                        .map(|r| (r.achieved_trainees, r.target_trainees)),
                ),
                model_rate: ratio(rows.iter().map(|r| (r.achieved_models, r.target_models))),
                years: rows
                    .iter()
                    .filter(|r| r.planned_mvnd.is_some())
                    .map(|r| r.year)
                    .min()
                    .zip(
                        rows.iter()
                            .filter(|r| r.planned_mvnd.is_some())
                            .map(|r| r.year)
                            .max(),
                    ),
            };
            if a.disbursement_rate.is_some() || a.trainee_rate.is_some() || a.model_rate.is_some() {
                f.achievement = Some(a);
            }
        }
        f.pilots = if ctx.pilot_provinces.is_empty() {
            d.panel_pilots.clone()
        } else {
            ctx.pilot_provinces.clone()
        };
        f.pilot_start = ctx.pilot_start;
        f
    }

    /// Province names, the first `max` of them, then "and n more".
    pub fn names(codes: &[String], ctx: &ReportContext, max: usize) -> String {
        let mut names: Vec<String> = codes
            .iter()
            .take(max)
            .map(|c| province_name(c, ctx.boundary))
            .collect();
        if codes.len() > max {
            let more = (codes.len() - max).to_string();
            names.push(tf(ctx.lang, K::Others, &[("n", &more)]));
        }
        names.join(", ")
    }

    /// The key findings in plain words, the finding first.
    pub fn sentences(&self, ctx: &ReportContext) -> Vec<String> {
        let lang = ctx.lang;
        let mut out = Vec::new();
        let m = self.assessed.len().to_string();
        if self.flagged.is_empty() {
            out.push(tf(lang, K::FindNoneFlagged, &[("m", &m)]));
        } else {
            out.push(tf(
                lang,
                K::FindFlagged,
                &[
                    ("n", &self.flagged.len().to_string()),
                    ("m", &m),
                    ("names", &Self::names(&self.flagged, ctx, 6)),
                ],
            ));
        }
        if let Some(v) = &self.verdicts {
            out.push(v.sentence(lang));
        }
        if !self.insufficient.is_empty() {
            out.push(tf(
                lang,
                K::FindInsufficient,
                &[("names", &Self::names(&self.insufficient, ctx, 8))],
            ));
        }
        if let Some(c) = &self.main_term {
            let clear = match (c.conf_low, c.conf_high) {
                // Positive and told from zero by both the clustered interval and the bootstrap.
                (Some(lo), Some(_)) => lo > 0.0 && c.p_value_wild.is_none_or(|p| p < 0.05),
                _ => false,
            };
            let key = if clear {
                K::FindEffectYes
            } else {
                K::FindEffectNo
            };
            out.push(tf(
                lang,
                key,
                &[
                    ("b", &num(lang, c.estimate, 3)),
                    ("lo", &c.conf_low.map_or("?".into(), |v| num(lang, v, 3))),
                    ("hi", &c.conf_high.map_or("?".into(), |v| num(lang, v, 3))),
                    ("p", &pval(lang, c.p_value)),
                    ("pw", &pval(lang, c.p_value_wild)),
                ],
            ));
        }
        if let Some((k, n)) = self.event_clear {
            out.push(tf(
                lang,
                K::FindEvent,
                &[("k", &k.to_string()), ("n", &n.to_string())],
            ));
        }
        if let (Some(total), Some((y0, y1))) = (self.spend_total_mvnd, self.years) {
            let (act, share) = self
                .top_activity
                .clone()
                .unwrap_or_else(|| ("other".to_string(), 0.0));
            out.push(tf(
                lang,
                K::FindSpending,
                &[
                    ("total", &num(lang, total / 1000.0, 1)),
                    ("y0", &y0.to_string()),
                    ("y1", &y1.to_string()),
                    ("n", &num(lang, self.n_grants.unwrap_or(0) as f64, 0)),
                    (
                        "activity",
                        &super::i18n::activity(lang, &act).to_lowercase(),
                    ),
                    ("share", &num(lang, share * 100.0, 0)),
                ],
            ));
        }
        if let (Some(g), Some(top)) = (self.gini, self.top10_share) {
            out.push(tf(
                lang,
                K::FindLorenz,
                &[
                    ("gini", &num(lang, g, 2)),
                    ("top", &num(lang, top * 100.0, 0)),
                ],
            ));
        }
        if let Some(a) = &self.achievement {
            let mut parts = Vec::new();
            if let Some(r) = a.disbursement_rate {
                parts.push(tf(
                    lang,
                    K::FindAchievement,
                    &[("rate", &num(lang, r * 100.0, 0))],
                ));
            }
            if let Some(r) = a.trainee_rate {
                parts.push(tf(
                    lang,
                    K::FindAchTrainees,
                    &[("rate", &num(lang, r * 100.0, 0))],
                ));
            }
            if let Some(r) = a.model_rate {
                parts.push(tf(
                    lang,
                    K::FindAchModels,
                    &[("rate", &num(lang, r * 100.0, 0))],
                ));
            }
            out.push(parts.join(" "));
        }
        out
    }

    /// The source line under each chart.
    pub fn source_line(ctx: &ReportContext) -> String {
        let mut sources = ctx.sources.join(", ");
        if sources.is_empty() {
            sources = ctx.pipeline_name.clone();
        }
        if ctx.synthetic {
            sources = format!("{sources}, {}", t(ctx.lang, K::SourceSynthetic));
        }
        crate::text::clean(&tf(ctx.lang, K::SourceLine, &[("sources", &sources)]))
    }

    pub fn boundary_label(lang: Lang, b: crate::reference::Boundary) -> &'static str {
        match b {
            crate::reference::Boundary::B2008 => t(lang, K::Boundary2008),
            crate::reference::Boundary::B2025 => t(lang, K::Boundary2025),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratio_skips_incomplete_pairs() {
        let r = ratio(
            [
                (Some(90.0), Some(100.0)),
                (Some(5.0), None),
                (Some(45.0), Some(50.0)),
            ]
            .into_iter(),
        );
        assert!((r.unwrap() - 135.0 / 150.0).abs() < 1e-12);
        assert_eq!(ratio([(None, Some(1.0))].into_iter()), None);
    }
}
