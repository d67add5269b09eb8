//! The report's tables as plain text cells in the report's language, shared by the HTML page,
//! the Markdown summary and the CSV files under `report/tables/`. Cells hold raw text; each
//! writer escapes for its own format.

use super::data::ReportData;
use super::i18n::{self, K, num, pval, t};
use super::{Lang, ReportContext, province_name};

#[derive(Debug, Clone, Default)]
pub struct Table {
    /// File stem under `report/tables/`.
    pub name: &'static str,
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

fn opt(lang: Lang, v: Option<f64>, dec: usize) -> String {
    v.map(|v| num(lang, v, dec))
        .unwrap_or_else(|| t(lang, K::NotAvailable).to_string())
}

fn heads(lang: Lang, keys: &[K]) -> Vec<String> {
    keys.iter().map(|k| t(lang, *k).to_string()).collect()
}

/// Flagged cases by window (the whole span first, then each phase in time order), best rank
/// first within a window (ranks are per window); `all` lists every province and window instead.
pub fn flags(d: &ReportData, ctx: &ReportContext, all: bool) -> Table {
    let lang = ctx.lang;
    let mut rows: Vec<&super::data::FlagRow> =
        d.flags.iter().filter(|r| all || r.flagged).collect();
    rows.sort_by(|a, b| {
        (b.period_end - b.period_start)
            .cmp(&(a.period_end - a.period_start))
            .then_with(|| a.period_start.cmp(&b.period_start))
            .then_with(|| a.rank.unwrap_or(i32::MAX).cmp(&b.rank.unwrap_or(i32::MAX)))
            .then_with(|| a.province_code.cmp(&b.province_code))
    });
    let mut keys = vec![
        K::ColRank,
        K::ColProvince,
        K::ColPeriod,
        K::ColGrants,
        K::ColMedianGrant,
        K::ColSmallShare,
        K::ColEffSectors,
        K::ColEffect,
        K::ColQValue,
    ];
    // Tables written with effect verdicts show the effect in percentage points, the verdict
    // and the placebo check.
    let verdicts = rows.iter().any(|r| !r.effect_verdict.is_empty());
    if verdicts {
        if let Some(k) = keys.iter_mut().find(|k| **k == K::ColEffect) {
            *k = K::ColEffectPp;
        }
        keys.push(K::ColVerdict);
        keys.push(K::ColPlacebo);
    }
    if all {
        keys.push(K::ColStatus);
    }
    keys.push(K::ColReasons);
    let rows = rows
        .into_iter()
        .map(|r| {
            let pp = |v: f64| {
                format!(
                    "{}{}",
                    if v >= 0.0 { "+" } else { "" },
                    num(lang, 100.0 * v, 1)
                )
            };
            let effect = match (r.effect, r.effect_conf_low, r.effect_conf_high) {
                (Some(e), Some(lo), Some(hi)) if verdicts => {
                    format!("{} ({} – {})", pp(e), pp(lo), pp(hi))
                }
                (Some(e), Some(lo), Some(hi)) => format!(
                    "{} ({} – {})",
                    num(lang, e, 4),
                    num(lang, lo, 4),
                    num(lang, hi, 4)
                ),
                (Some(e), _, _) => num(lang, e, 4),
                _ => t(lang, K::NotAvailable).to_string(),
            };
            let reason = match lang {
                Lang::Vi if !r.reason_vi.is_empty() => r.reason_vi.clone(),
                Lang::En if !r.reason_en.is_empty() => r.reason_en.clone(),
                _ => r.reasons.clone(),
            };
            let mut row = vec![
                r.rank.map(|k| k.to_string()).unwrap_or_default(),
                province_name(&r.province_code, ctx.boundary),
                format!("{}–{}", r.period_start, r.period_end),
                opt(lang, r.n_grants, 0),
                opt(lang, r.median_grant_mvnd, 0),
                opt(lang, r.small_grant_share.map(|s| s * 100.0), 0),
                opt(lang, r.eff_sectors, 1),
                effect,
                r.effect_q_value
                    .map(|q| num(lang, q, 3))
                    .unwrap_or_else(|| t(lang, K::NotAvailable).into()),
            ];
            if verdicts {
                row.push(i18n::verdict(lang, &r.effect_verdict));
                row.push(match (r.placebo, r.placebo_conf_low, r.placebo_conf_high) {
                    (Some(e), Some(lo), Some(hi)) => format!(
                        "{} ({} – {}){}",
                        pp(e),
                        pp(lo),
                        pp(hi),
                        if r.placebo_failed == Some(true) {
                            format!(": {}", t(lang, K::PlaceboFailed))
                        } else {
                            String::new()
                        }
                    ),
                    _ => t(lang, K::NotAvailable).to_string(),
                });
            }
            if all {
                row.push(i18n::status(lang, Some(r.status)));
            }
            row.push(reason);
            row
        })
        .collect();
    Table {
        name: if all { "flags_all" } else { "flags_ranked" },
        head: heads(lang, &keys),
        rows,
    }
}

/// Every model coefficient, clustered and bootstrap inference side by side.
pub fn coefficients(d: &ReportData, lang: Lang) -> Table {
    let ci = |lo: Option<f64>, hi: Option<f64>| match (lo, hi) {
        (Some(lo), Some(hi)) => format!("{} – {}", num(lang, lo, 3), num(lang, hi, 3)),
        _ => t(lang, K::NotAvailable).to_string(),
    };
    let rows = d
        .coefficients
        .iter()
        .flatten()
        .map(|c| {
            vec![
                c.model.clone(),
                c.term.clone(),
                num(lang, c.estimate, 4),
                ci(c.conf_low, c.conf_high),
                pval(lang, c.p_value),
                pval(lang, c.p_value_wild),
                ci(c.conf_low_wild, c.conf_high_wild),
            ]
        })
        .collect();
    Table {
        name: "model_coefficients",
        head: heads(
            lang,
            &[
                K::ColModel,
                K::ColTerm,
                K::ColEstimate,
                K::ColCiClustered,
                K::ColPClustered,
                K::ColPWild,
                K::ColCiWild,
            ],
        ),
        rows,
    }
}

pub fn rejected(d: &ReportData, lang: Lang) -> Table {
    Table {
        name: "rejected_by_reason",
        head: heads(lang, &[K::ColFile, K::ColReason, K::ColRows]),
        rows: d
            .rejected
            .iter()
            .map(|(f, r, n)| vec![f.clone(), r.clone(), num(lang, *n as f64, 0)])
            .collect(),
    }
}

/// Columns with at least one empty cell.
pub fn missing_cells(d: &ReportData, lang: Lang) -> Table {
    let mut rows = Vec::new();
    for m in &d.missing_cells {
        for (col, n) in &m.by_column {
            if *n > 0 {
                rows.push(vec![
                    m.table.clone(),
                    col.clone(),
                    num(lang, *n as f64, 0),
                    num(lang, m.rows as f64, 0),
                ]);
            }
        }
    }
    Table {
        name: "missing_cells",
        head: heads(
            lang,
            &[K::ColTable, K::ColColumn, K::ColMissing, K::ColRows],
        ),
        rows,
    }
}

/// The largest grants, with their beneficiaries.
pub fn top_grants(d: &ReportData, ctx: &ReportContext, n: usize) -> Table {
    let lang = ctx.lang;
    let mut grants: Vec<&super::data::Grant> = d.grants.iter().flatten().collect();
    grants.sort_by(|a, b| {
        b.amount_mvnd
            .total_cmp(&a.amount_mvnd)
            .then_with(|| a.year.cmp(&b.year))
            .then_with(|| a.province_code.cmp(&b.province_code))
    });
    let rows = grants
        .into_iter()
        .take(n)
        .map(|g| {
            let sector = g
                .sector_code
                .as_deref()
                .map(|s| {
                    crate::reference::Reference::get()
                        .sector(s)
                        .map(|x| match lang {
                            Lang::Vi => format!("{s} {}", x.name_vi),
                            Lang::En => format!("{s} {}", x.name_en),
                        })
                        .unwrap_or_else(|| s.to_string())
                })
                .unwrap_or_default();
            vec![
                g.year.to_string(),
                province_name(&g.province_code, ctx.boundary),
                sector,
                i18n::activity(lang, &g.activity),
                g.beneficiary.clone().unwrap_or_default(),
                num(lang, g.amount_mvnd, 1),
            ]
        })
        .collect();
    Table {
        name: "top_grants",
        head: heads(
            lang,
            &[
                K::ColYear,
                K::ColProvince,
                K::ColSector,
                K::ColActivity,
                K::ColBeneficiary,
                K::ColAmount,
            ],
        ),
        rows,
    }
}

pub fn flag_params(d: &ReportData, lang: Lang) -> Table {
    Table {
        name: "flag_parameters",
        head: heads(lang, &[K::ColParameter, K::ColValue]),
        rows: flag_parameters(d.manifest.as_ref().and_then(|m| m.flag_params.as_ref()))
            .into_iter()
            .map(|(k, v)| {
                let v = if v == "null" {
                    t(lang, K::DefaultValue).to_string()
                } else {
                    v
                };
                vec![k, v]
            })
            .collect(),
    }
}

/// The flags stage's parameters flattened to (key, value), keys prefixed `flags.` as in the
/// pipeline file's `[flags]` table.
pub fn flag_parameters(params: Option<&crate::flags::FlagParams>) -> Vec<(String, String)> {
    fn flatten(prefix: &str, v: &serde_json::Value, out: &mut Vec<(String, String)>) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    flatten(&format!("{prefix}.{k}"), v, out);
                }
            }
            serde_json::Value::String(s) => out.push((prefix.to_string(), s.clone())),
            other => out.push((prefix.to_string(), other.to_string())),
        }
    }
    let mut out = Vec::new();
    if let Some(v) = params.and_then(|p| serde_json::to_value(p).ok()) {
        flatten("flags", &v, &mut out);
    }
    out
}

/// Every table of the report, in page order.
pub fn all(d: &ReportData, ctx: &ReportContext) -> Vec<Table> {
    vec![
        top_grants(d, ctx, 10),
        flags(d, ctx, false),
        flags(d, ctx, true),
        coefficients(d, ctx.lang),
        rejected(d, ctx.lang),
        missing_cells(d, ctx.lang),
        flag_params(d, ctx.lang),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_parameters_are_the_flags_stage_fields() {
        let p = crate::flags::FlagParams::default();
        let rows = flag_parameters(Some(&p));
        let get = |k: &str| rows.iter().find(|(key, _)| key == k).map(|r| r.1.as_str());
        assert_eq!(get("flags.scattered_eff_sectors"), Some("4.0"));
        assert_eq!(get("flags.scattered_small_share"), Some("0.5"));
        assert_eq!(get("flags.windows"), Some("[\"all\",\"phase\"]"));
        assert!(flag_parameters(None).is_empty());
    }
}
