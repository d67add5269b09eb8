//! The key findings of the real-data report, as sentences in the report's language: the latest
//! employment index across provinces and for the country, the industrial production index, the
//! headline national budget, targets against results and the province spending facts. Worked out
//! from the same numbers as the charts' titles.

use super::Lang;
use super::charts::national_budget::{headline_amounts, headline_budget};
use super::charts::targets_results::target_match;
use super::i18n::num;
use super::real_data::Data;
use super::real_tables::pname;
use super::real_text::{self as rt, tr, trf};
use crate::realdata::indices::{IndexMeasure, YearSummary};
use std::collections::BTreeSet;

/// The findings, in the report's order; a part of the record the run lacks adds no sentence.
pub(super) fn sentences(d: &Data, summaries: &[YearSummary], lang: Lang) -> Vec<String> {
    let mut findings = Vec::new();
    let n0 = |x: f64| num(lang, x, 0);
    let n1 = |x: f64| num(lang, x, 1);
    let n2 = |x: f64| num(lang, x, 2);
    // Employment: the latest year.
    let emp: Vec<_> = summaries
        .iter()
        .filter(|s| s.measure == IndexMeasure::EmploymentIndex)
        .collect();
    if let Some(s) = emp.last() {
        findings.push(trf(
            lang,
            rt::FIND_EMP,
            &[
                ("year", &s.year.to_string()),
                ("above", &s.above.to_string()),
                ("n", &s.provinces.to_string()),
                ("median", &n2(s.median)),
                ("max_name", &pname(&s.max.0, lang)),
                ("max", &n2(s.max.1)),
                ("min_name", &pname(&s.min.0, lang)),
                ("min", &n2(s.min.1)),
            ],
        ));
        let series: Vec<String> = emp
            .iter()
            .filter_map(|s| s.national.map(|v| format!("{}: {}", s.year, n2(v))))
            .collect();
        if !series.is_empty() {
            findings.push(trf(
                lang,
                rt::FIND_EMP_NATIONAL,
                &[("series", &series.join("; "))],
            ));
        }
    }
    // Industrial production index.
    let iip: Vec<_> = summaries
        .iter()
        .filter(|s| s.measure == IndexMeasure::Iip)
        .collect();
    if let (Some(first), Some(last)) = (iip.first(), iip.last()) {
        let cells: usize = iip.iter().map(|s| s.provinces).sum();
        let below: usize = iip.iter().map(|s| s.below).sum();
        findings.push(trf(
            lang,
            rt::FIND_IIP,
            &[
                ("y0", &first.year.to_string()),
                ("y1", &last.year.to_string()),
                ("below", &below.to_string()),
                ("cells", &cells.to_string()),
                ("median", &n1(last.median)),
                ("max_name", &pname(&last.max.0, lang)),
                ("max", &n1(last.max.1)),
            ],
        ));
    }
    // Budget.
    if let Some((r, share)) = headline_budget(&d.budget) {
        let (total, avg) = headline_amounts(r);
        findings.push(trf(
            lang,
            rt::FIND_BUDGET,
            &[
                ("period", &r.period),
                ("total", &n0(total)),
                ("avg", &n0(avg)),
                (
                    "share",
                    &share
                        .map(n1)
                        .unwrap_or_else(|| tr(lang, rt::NO_VALUE).to_string()),
                ),
            ],
        ));
    }
    // Targets and results.
    let (targets, matched, others) = target_match(&d.targets);
    if targets > 0 || others > 0 {
        findings.push(trf(
            lang,
            rt::FIND_TARGETS,
            &[
                ("matched", &matched.to_string()),
                ("targets", &targets.to_string()),
                ("results", &others.to_string()),
            ],
        ));
    }
    // Province spending facts.
    if !d.facts.is_empty() {
        let provinces: BTreeSet<&str> = d.facts.iter().map(|f| f.province_code.as_str()).collect();
        let lower = d
            .facts
            .iter()
            .filter(|f| {
                let q = f.qualifier.to_lowercase();
                ["over", "more than", "trên", "hơn", "exceed", "lower bound"]
                    .iter()
                    .any(|w| q.contains(w))
            })
            .count();
        let longest = d
            .facts
            .iter()
            .filter_map(|f| Some(f.period_end? - f.period_start? + 1))
            .max()
            .unwrap_or(1);
        findings.push(trf(
            lang,
            rt::FIND_FACTS,
            &[
                ("n", &d.facts.len().to_string()),
                ("provinces", &provinces.len().to_string()),
                ("lower", &lower.to_string()),
                ("longest", &longest.to_string()),
            ],
        ));
    }
    findings
}
