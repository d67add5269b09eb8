//! The report of a run on real published data without province spending: reads the tables of
//! the real-data indicators stage (it estimates nothing), works out the findings, draws the
//! charts of `charts::real`, and writes `report/index.html` (self-contained), `report/summary.md`
//! and `report/tables/*.csv`. Every section says that the data are real and published, and the
//! report says what the public record lacks instead of printing empty tables.

use super::Lang;
use super::charts::real::{self as charts_real, BudgetBar, Plot, RealChart, TargetBar};
use super::charts::{Csv, DrawnChart};
use super::html::{base64, esc};
use super::i18n::num;
pub use super::real_data::{BudgetRec, FactRec, TargetRec};
use super::real_data::{Data, load};
use super::real_tables::*;
use super::real_text::{self as rt, Pair, tr, trf};
use crate::error::Result;
use crate::realdata::indices::{self, IndexMeasure};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What the real-data report needs beyond the tables.
#[derive(Debug, Clone)]
pub struct RealContext {
    pub pipeline_name: String,
    pub lang: Lang,
    /// Input file names, for the source lines.
    pub sources: Vec<String>,
    /// The run's manifest so far (row accounting, stage statuses).
    pub manifest: serde_json::Value,
}

/// The national budget per year: each national figure of a whole period spread evenly over
/// its years (billion VND a year). Counterpart money, shares and figures without a period are
/// left out.
pub fn budget_bars(rows: &[BudgetRec]) -> Vec<BudgetBar> {
    let mut bars: BTreeMap<i32, BudgetBar> = BTreeMap::new();
    for r in rows {
        let (Some(a), Some(b), Some(amount)) = (r.period_start, r.period_end, r.amount_mvnd) else {
            continue;
        };
        if r.scope != "national" || !r.measure.contains("budget") || b < a {
            continue;
        }
        let per_year = amount / 1000.0 / f64::from(b - a + 1);
        for year in a..=b {
            let bar = bars.entry(year).or_insert(BudgetBar {
                year,
                national: None,
                local: None,
                total: None,
                derived: false,
            });
            let slot = match r.fund.as_str() {
                "national" => &mut bar.national,
                "local" => &mut bar.local,
                "total" => &mut bar.total,
                _ => continue,
            };
            *slot = Some(slot.unwrap_or(0.0) + per_year);
            bar.derived |= r.derived;
        }
    }
    bars.into_values().collect()
}

/// The headline national figure: the largest published (not derived) national total budget,
/// and the national programme's published share of that period, if any.
pub fn headline_budget(rows: &[BudgetRec]) -> Option<(&BudgetRec, Option<f64>)> {
    let head = rows
        .iter()
        .filter(|r| {
            r.scope == "national"
                && r.fund == "total"
                && !r.derived
                && r.measure.contains("budget")
                && r.period_start.is_some()
                && r.period_end.is_some()
        })
        .filter_map(|r| r.amount_mvnd.map(|a| (r, a)))
        .max_by(|a, b| a.1.total_cmp(&b.1))?
        .0;
    let share = rows
        .iter()
        .find(|r| {
            r.scope == "national"
                && r.fund == "national"
                && r.measure.starts_with("share")
                && r.period == head.period
        })
        .and_then(|r| r.value.parse::<f64>().ok());
    Some((head, share))
}

/// Targets with a published value, how many of them have a result of the same group and
/// period, and how many results match no target's period.
pub fn target_match(rows: &[TargetRec]) -> (usize, usize, usize) {
    let is_target = |r: &TargetRec| r.kind == "target" || r.kind == "draft_target";
    let targets: Vec<&TargetRec> = rows
        .iter()
        .filter(|r| is_target(r) && r.theme != "other" && r.value.is_some())
        .collect();
    let results: Vec<&TargetRec> = rows
        .iter()
        .filter(|r| r.kind == "result" && r.theme != "other" && r.value.is_some())
        .collect();
    let same = |t: &TargetRec, r: &TargetRec| t.theme == r.theme && t.period == r.period;
    let matched = targets
        .iter()
        .filter(|t| results.iter().any(|r| same(t, r)))
        .count();
    let unmatched = results
        .iter()
        .filter(|r| !targets.iter().any(|t| same(t, r)))
        .count();
    (targets.len(), matched, unmatched)
}

fn theme_label(lang: Lang, theme: &str) -> Option<&'static str> {
    let p = match theme {
        "demonstration_models" => rt::THEME_MODELS,
        "machinery_support" => rt::THEME_MACHINERY,
        "training" => rt::THEME_TRAINING,
        "fairs" => rt::THEME_FAIRS,
        "clusters" => rt::THEME_CLUSTERS,
        _ => return None,
    };
    Some(tr(lang, p))
}

fn kind_label(lang: Lang, kind: &str) -> &'static str {
    tr(
        lang,
        match kind {
            "target" => rt::KIND_TARGET,
            "draft_target" => rt::KIND_DRAFT,
            _ => rt::KIND_RESULT,
        },
    )
}

/// A unit of the targets file in the report's language.
pub fn unit_label(lang: Lang, unit: &str) -> String {
    if lang == Lang::En {
        return unit.to_string();
    }
    match unit {
        "models" => "mô hình",
        "establishments" => "cơ sở",
        "workers" => "lao động",
        "persons" => "người",
        "learners" => "học viên",
        "events" => "sự kiện",
        "clusters" => "cụm",
        "projects" => "dự án",
        other => other,
    }
    .to_string()
}

/// The bars of the targets chart, grouped by theme in a fixed order.
pub fn target_bars(rows: &[TargetRec], lang: Lang) -> Vec<TargetBar> {
    let order = [
        "demonstration_models",
        "machinery_support",
        "training",
        "fairs",
        "clusters",
    ];
    let rank = |k: &str| match k {
        "target" => 0,
        "draft_target" => 1,
        _ => 2,
    };
    let mut out = Vec::new();
    for theme in order {
        let mut rs: Vec<&TargetRec> = rows
            .iter()
            .filter(|r| r.theme == theme && r.value.is_some() && r.kind != "other")
            .collect();
        if rs.is_empty() {
            continue;
        }
        rs.sort_by_key(|r| (rank(&r.kind), r.record_id.clone()));
        // Bars compare only values of one unit: 10,000 workers and 600 managers are not
        // drawn against 239 projects.
        let max_of = |unit: &str| {
            rs.iter()
                .filter(|r| r.unit == unit)
                .filter_map(|r| r.value)
                .fold(0.0, f64::max)
                .max(1e-9)
        };
        for r in rs.iter() {
            let max = max_of(&r.unit);
            let kind: &'static str = match r.kind.as_str() {
                "target" => "target",
                "draft_target" => "draft_target",
                _ => "result",
            };
            let v = r.value.unwrap_or(0.0);
            let item: String = r.item.chars().take(38).collect();
            out.push(TargetBar {
                theme: theme_label(lang, theme).unwrap_or(theme).to_string(),
                kind,
                label: format!("{} {} · {item}", kind_label(lang, kind), r.period),
                value: v,
                unit: unit_label(lang, &r.unit),
                share: v / max,
            });
        }
    }
    out
}

fn source_line(ctx: &RealContext) -> String {
    trf(
        ctx.lang,
        rt::SOURCE_LINE,
        &[("sources", &ctx.sources.join(", "))],
    )
}

/// The source line of a chart: only the input files whose names pass `keep`.
fn chart_source(ctx: &RealContext, keep: impl Fn(&str) -> bool) -> String {
    let files: Vec<&str> = ctx
        .sources
        .iter()
        .map(String::as_str)
        .filter(|f| keep(f))
        .collect();
    trf(ctx.lang, rt::SOURCE_LINE, &[("sources", &files.join(", "))])
}

/// Findings, charts and tables of the report, in its language.
struct Built {
    findings: Vec<String>,
    charts: Vec<DrawnChart>,
    emp: Option<Tbl>,
    iip: Option<Tbl>,
    tables: Vec<Tbl>,
}

fn build(d: &Data, ctx: &RealContext, dir: &Path) -> Result<Built> {
    let lang = ctx.lang;
    let mut findings = Vec::new();
    let mut charts = Vec::new();
    let summaries = indices::summarise(&d.index);
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
        let values = by_year(&d.index, IndexMeasure::EmploymentIndex)
            .remove(&s.year)
            .unwrap_or_default();
        let tiles = charts_real::map_tiles(&values);
        let mut csv = Csv::new(&[
            "province_code",
            "province_name",
            "row",
            "col",
            "employment_index",
        ]);
        for t in &tiles {
            csv.row(vec![
                t.code.clone(),
                t.name.clone(),
                t.row.to_string(),
                t.col.to_string(),
                t.value.map(|v| v.to_string()).unwrap_or_default(),
            ]);
        }
        let chart = RealChart {
            name: "employment_map",
            title: trf(
                lang,
                rt::T_MAP,
                &[
                    ("above", &s.above.to_string()),
                    ("n", &s.provinces.to_string()),
                    ("prev", &(s.year - 1).to_string()),
                ],
            ),
            subtitle: trf(lang, rt::S_MAP, &[("year", &s.year.to_string())]),
            source: chart_source(ctx, |f| {
                f.contains(&s.year.to_string()) && f.ends_with(".xlsx")
            }),
            plot: Plot::Map {
                tiles,
                year: s.year,
            },
            csv,
        };
        charts.push(charts_real::render(dir, &chart, lang)?);
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
    let bars = budget_bars(&d.budget);
    let headline = headline_budget(&d.budget);
    let (title, period_avg) = match headline {
        Some((r, share)) => {
            let years = f64::from(r.period_end.unwrap_or(0) - r.period_start.unwrap_or(0) + 1);
            let total = r.amount_mvnd.unwrap_or(0.0) / 1000.0;
            let avg = total / years;
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
            (
                trf(
                    lang,
                    rt::T_BUDGET,
                    &[
                        ("period", &r.period),
                        ("total", &n0(total)),
                        ("avg", &n0(avg)),
                    ],
                ),
                true,
            )
        }
        None => (tr(lang, rt::T_BUDGET_NONE).to_string(), false),
    };
    if !bars.is_empty() || period_avg {
        // Years between the first and last bar without a figure are drawn as such.
        let mut csv = Csv::new(&[
            "year",
            "national_bvnd",
            "local_bvnd",
            "total_bvnd",
            "derived",
        ]);
        let f = |v: Option<f64>| v.map(|v| format!("{v}")).unwrap_or_default();
        for b in &bars {
            csv.row(vec![
                b.year.to_string(),
                f(b.national),
                f(b.local),
                f(b.total),
                b.derived.to_string(),
            ]);
        }
        let chart = RealChart {
            name: "national_budget",
            title,
            subtitle: tr(lang, rt::S_BUDGET).to_string(),
            source: chart_source(ctx, |f| f.contains("budget")),
            plot: Plot::Budget { bars },
            csv,
        };
        charts.push(charts_real::render(dir, &chart, lang)?);
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
        let tb = target_bars(&d.targets, lang);
        let mut csv = Csv::new(&["group", "kind", "label", "value", "unit"]);
        for b in &tb {
            csv.row(vec![
                b.theme.clone(),
                b.kind.to_string(),
                b.label.clone(),
                b.value.to_string(),
                b.unit.clone(),
            ]);
        }
        let chart = RealChart {
            name: "targets_results",
            title: trf(
                lang,
                rt::T_TARGETS,
                &[
                    ("matched", &matched.to_string()),
                    ("targets", &targets.to_string()),
                ],
            ),
            subtitle: tr(lang, rt::S_TARGETS).to_string(),
            source: chart_source(ctx, |f| f.contains("target")),
            plot: Plot::Targets { bars: tb },
            csv,
        };
        charts.push(charts_real::render(dir, &chart, lang)?);
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
    let has = |m: IndexMeasure| d.index.iter().any(|v| v.measure == m);
    let emp_tbl = has(IndexMeasure::EmploymentIndex).then(|| {
        index_table(
            "employment_index_by_province",
            &d.index,
            IndexMeasure::EmploymentIndex,
            lang,
        )
    });
    let iip_tbl = has(IndexMeasure::Iip)
        .then(|| index_table("iip_by_province", &d.index, IndexMeasure::Iip, lang));
    let mut tables = vec![
        budget_table(d, lang),
        targets_table(d, lang),
        facts_table(d, lang),
        activity_table(d, lang),
        accounting_table(ctx, lang),
        stages_table(ctx, lang),
    ];
    if !d.rejected.is_empty() {
        tables.push(Tbl {
            name: "programme_rejected",
            head: h(lang, &[rt::H_FILE, rt::H_LINE, rt::H_RECORD, rt::H_REASON]),
            rows: d.rejected.iter().map(|r| r.to_vec()).collect(),
        });
    }
    Ok(Built {
        findings,
        charts,
        emp: emp_tbl,
        iip: iip_tbl,
        tables,
    })
}

const CSS: &str = "
body{font-family:'Noto Sans','DejaVu Sans',Arial,sans-serif;max-width:1180px;margin:0 auto;padding:1.5rem;color:#1a1a1a;line-height:1.5}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{border-bottom:2px solid #0072B2;padding-bottom:.2rem;margin-top:2.4rem}
.real{background:#e6f2f8;border-left:6px solid #0072B2;padding:.6rem 1rem;font-weight:600}
.mark{color:#0072B2;font-size:.85rem;font-weight:600;text-transform:uppercase;letter-spacing:.03em;margin-bottom:-1.6rem}
.findings li{margin:.4rem 0;font-size:1.08rem}
figure{margin:1.6rem 0}figure img{max-width:100%;height:auto;border:1px solid #ddd}
figcaption{color:#444;font-size:.92rem}
.scroll{overflow-x:auto}
table{border-collapse:collapse;margin:1rem 0;font-size:.85rem;width:100%}
th,td{border:1px solid #ccc;padding:.25rem .45rem;text-align:left;vertical-align:top}
th{background:#eef5fa}td.n{text-align:right;white-space:nowrap}
.note{color:#444;font-size:.92rem}
";

struct Section {
    id: &'static str,
    title: Pair,
    /// (html, markdown) parts.
    parts: Vec<(String, String)>,
}

fn chart_parts(c: &DrawnChart) -> (String, String) {
    (
        format!(
            "<figure><img alt=\"{t}\" src=\"data:image/png;base64,{b}\"><figcaption>{s} <a href=\"charts/{n}.svg\">SVG</a> · <a href=\"charts/{n}.csv\">CSV</a></figcaption></figure>",
            t = esc(&c.title),
            b = base64(&c.png_bytes),
            s = esc(&c.subtitle),
            n = c.name
        ),
        format!(
            "![{}](charts/{n}.png)\n\n*{}* ([SVG](charts/{n}.svg), [CSV](charts/{n}.csv))\n\n",
            super::markdown::esc(&c.title),
            super::markdown::esc(&c.subtitle),
            n = c.name
        ),
    )
}

fn para(s: &str) -> (String, String) {
    (
        format!("<p class=\"note\">{}</p>", esc(s)),
        format!("{}\n\n", super::markdown::esc(s)),
    )
}

fn tbl_parts(t: &Tbl) -> (String, String) {
    (table_html(t), table_md(t))
}

/// Writes the real-data report under `out_dir/report/`; returns the files written.
pub fn build_report(out_dir: &Path, ctx: &RealContext) -> Result<Vec<PathBuf>> {
    super::register_fonts()?;
    let lang = ctx.lang;
    let d = load(out_dir)?;
    let report_dir = out_dir.join("report");
    let b = build(&d, ctx, &report_dir.join("charts"))?;
    let chart = |n: &str| b.charts.iter().find(|c| c.name == n);
    let mut files: Vec<PathBuf> = Vec::new();
    for c in &b.charts {
        files.extend([c.png.clone(), c.svg.clone(), c.csv.clone()]);
    }
    let find = |n: &str| b.tables.iter().find(|t| t.name == n);

    let mut sections = Vec::new();
    let findings_html = format!(
        "<ul class=\"findings\">{}</ul>",
        b.findings
            .iter()
            .map(|f| format!("<li>{}</li>", esc(f)))
            .collect::<String>()
    );
    let findings_md: String = b
        .findings
        .iter()
        .map(|f| format!("- {}\n", super::markdown::esc(f)))
        .collect::<String>()
        + "\n";
    sections.push(Section {
        id: "findings",
        title: rt::SEC_FINDINGS,
        parts: vec![(findings_html, findings_md)],
    });
    let mut emp = Vec::new();
    if let Some(c) = chart("employment_map") {
        emp.push(chart_parts(c));
    }
    match &b.emp {
        Some(t) => {
            emp.push(para(tr(lang, rt::EMP_TABLE_NOTE)));
            emp.push(tbl_parts(t));
        }
        None => emp.push(para(tr(lang, rt::NO_EMPLOYMENT))),
    }
    sections.push(Section {
        id: "employment",
        title: rt::SEC_EMPLOYMENT,
        parts: emp,
    });
    let iip = match &b.iip {
        Some(t) => vec![para(tr(lang, rt::IIP_TABLE_NOTE)), tbl_parts(t)],
        None => vec![para(tr(lang, rt::NO_IIP))],
    };
    sections.push(Section {
        id: "iip",
        title: rt::SEC_IIP,
        parts: iip,
    });
    let no_programme = d.budget.is_empty() && d.targets.is_empty() && d.facts.is_empty();
    let mut budget = Vec::new();
    if let Some(c) = chart("national_budget") {
        budget.push(chart_parts(c));
    }
    if no_programme {
        budget.push(para(tr(lang, rt::NO_PROGRAMME)));
    } else if let Some(t) = find("programme_budget") {
        budget.push(tbl_parts(t));
    }
    sections.push(Section {
        id: "budget",
        title: rt::SEC_BUDGET,
        parts: budget,
    });
    let mut targets = Vec::new();
    if let Some(c) = chart("targets_results") {
        targets.push(chart_parts(c));
    }
    if let Some(t) = find("programme_targets").filter(|t| !t.rows.is_empty()) {
        targets.push(tbl_parts(t));
    }
    sections.push(Section {
        id: "targets",
        title: rt::SEC_TARGETS,
        parts: targets,
    });
    let mut facts = vec![para(tr(lang, rt::GAP_FACTS))];
    if let Some(t) = find("spending_facts").filter(|t| !t.rows.is_empty()) {
        facts.push(tbl_parts(t));
    }
    if let Some(t) = find("activity_facts").filter(|t| !t.rows.is_empty()) {
        facts.push(para(tr(lang, rt::ACTIVITY_NOTE)));
        facts.push(tbl_parts(t));
    }
    sections.push(Section {
        id: "facts",
        title: rt::SEC_FACTS,
        parts: facts,
    });
    let mut gaps: Vec<(String, String)> = [
        rt::GAP_TABLE,
        rt::GAP_EFFECTS,
        rt::GAP_NATIONAL_YEARS,
        rt::GAP_IIP,
    ]
    .iter()
    .map(|p| para(tr(lang, *p)))
    .collect();
    gaps.push(para(tr(lang, rt::STAGE_STATUS)));
    if let Some(t) = find("stage_status") {
        gaps.push(tbl_parts(t));
    }
    sections.push(Section {
        id: "gaps",
        title: rt::SEC_GAPS,
        parts: gaps,
    });
    let mut src = vec![para(tr(lang, rt::METHOD)), para(&source_line(ctx))];
    if let Some(t) = find("row_accounting") {
        src.push(tbl_parts(t));
    }
    if let Some(t) = find("programme_rejected") {
        src.push(para(tr(lang, rt::PROGRAMME_REJECTED)));
        src.push(tbl_parts(t));
    }
    src.push(para(&format!(
        "{}: {} {}",
        tr(lang, rt::PROGRAM_VERSION),
        "khuyencong",
        crate::contract::PROGRAM_VERSION
    )));
    sections.push(Section {
        id: "sources",
        title: rt::SEC_SOURCES,
        parts: src,
    });

    // HTML.
    let mark = tr(lang, rt::SECTION_MARK);
    let mut html = format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title><style>{CSS}</style></head><body><h1>{}</h1><p class=\"real\">{}</p><nav><h2>{}</h2><ol>",
        lang.code(),
        esc(tr(lang, rt::TITLE)),
        esc(tr(lang, rt::TITLE)),
        esc(tr(lang, rt::BANNER)),
        esc(tr(lang, rt::CONTENTS)),
    );
    for s in &sections {
        html.push_str(&format!(
            "<li><a href=\"#{}\">{}</a></li>",
            s.id,
            esc(tr(lang, s.title))
        ));
    }
    html.push_str("</ol></nav>");
    let mut md = format!(
        "# {}\n\n> **{}**\n\n",
        super::markdown::esc(tr(lang, rt::TITLE)),
        super::markdown::esc(tr(lang, rt::BANNER))
    );
    for s in &sections {
        html.push_str(&format!(
            "<section id=\"{}\"><p class=\"mark\">{}</p><h2>{}</h2>",
            s.id,
            esc(mark),
            esc(tr(lang, s.title))
        ));
        md.push_str(&format!(
            "## {}\n\n*{}*\n\n",
            super::markdown::esc(tr(lang, s.title)),
            super::markdown::esc(mark)
        ));
        for (ph, pm) in &s.parts {
            html.push_str(ph);
            md.push_str(pm);
        }
        html.push_str("</section>");
    }
    html.push_str(&format!(
        "<footer><p class=\"real\">{}</p></footer></body></html>\n",
        esc(tr(lang, rt::BANNER))
    ));
    md.push_str(&format!(
        "---\n\n*{}*\n",
        super::markdown::esc(tr(lang, rt::BANNER))
    ));

    let tdir = report_dir.join("tables");
    for t in b.tables.iter().chain(b.emp.iter()).chain(b.iip.iter()) {
        let p = tdir.join(format!("{}.csv", t.name));
        crate::io::write_atomic(&p, table_csv(t).as_bytes())?;
        files.push(p);
    }
    let html_path = report_dir.join("index.html");
    crate::io::write_atomic(&html_path, html.as_bytes())?;
    files.push(html_path);
    let md_path = report_dir.join("summary.md");
    crate::io::write_atomic(&md_path, md.as_bytes())?;
    files.push(md_path);
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(
        id: &str,
        fund: &str,
        measure: &str,
        ps: i32,
        pe: i32,
        amt: f64,
        derived: bool,
    ) -> BudgetRec {
        BudgetRec {
            record_id: id.into(),
            scope: "national".into(),
            geo_name: "Cả nước".into(),
            period_start: Some(ps),
            period_end: Some(pe),
            period: format!("{ps}–{pe}"),
            fund: fund.into(),
            measure: measure.into(),
            value: String::new(),
            unit: String::new(),
            amount_mvnd: Some(amt),
            derived,
            confidence: "medium".into(),
            source_url: String::new(),
        }
    }

    #[test]
    fn budget_bars_spread_a_period_evenly() {
        let mut share = b(
            "N02",
            "national",
            "share_of_total_approved_budget",
            2021,
            2025,
            0.0,
            false,
        );
        share.amount_mvnd = None;
        share.value = "36.6".into();
        let rows = vec![
            b(
                "N01",
                "total",
                "approved_budget",
                2021,
                2025,
                1_436_000.0,
                false,
            ),
            share,
            b(
                "N03",
                "national",
                "approved_budget_derived",
                2021,
                2025,
                525_576.0,
                true,
            ),
            b(
                "N06",
                "counterpart",
                "counterpart_capital_mobilised",
                2014,
                2018,
                9_500_000.0,
                false,
            ),
            b(
                "N07",
                "national",
                "proposed_budget_derived",
                2013,
                2013,
                55_417.0,
                true,
            ),
        ];
        let bars = budget_bars(&rows);
        // 2013 and 2021..=2025; the counterpart money and the share are not budget bars.
        assert_eq!(bars.len(), 6);
        assert_eq!(bars[0].year, 2013);
        assert!((bars[0].national.unwrap() - 55.417).abs() < 1e-9);
        assert_eq!(bars[1].year, 2021);
        // 1,436 billion over five years, by hand: 287.2.
        assert!((bars[1].total.unwrap() - 287.2).abs() < 1e-9);
        assert!((bars[1].national.unwrap() - 105.1152).abs() < 1e-9);
        assert!(bars[1].derived);
        let (head, share) = headline_budget(&rows).unwrap();
        assert_eq!(head.record_id, "N01");
        assert_eq!(share, Some(36.6));
    }

    fn t(id: &str, kind: &str, theme: &str, period: &str, v: f64) -> TargetRec {
        TargetRec {
            record_id: id.into(),
            programme: String::new(),
            period: period.into(),
            item: "technical demonstration models".into(),
            kind: kind.into(),
            theme: theme.into(),
            value: Some(v),
            value_as_published: v.to_string(),
            unit: "models".into(),
            confidence: "medium".into(),
        }
    }

    #[test]
    fn targets_match_only_on_group_and_period() {
        let rows = vec![
            t("T01", "target", "demonstration_models", "2021-2025", 340.0),
            t("T13", "target", "demonstration_models", "2016-2020", 160.0),
            t("T17", "result", "demonstration_models", "2015", 50.0),
            t("T30", "result", "demonstration_models", "2016-2020", 170.0),
            t("T31", "result", "training", "2021-2025", 9.0),
        ];
        // T13 has T30; T01 has no result of its group for 2021-2025 (T31 is training).
        assert_eq!(target_match(&rows), (2, 1, 2));
        let bars = target_bars(&rows, Lang::En);
        assert_eq!(bars.len(), 5);
        assert_eq!(bars[0].kind, "target");
        assert_eq!(bars[0].value, 340.0);
        assert_eq!(bars[0].share, 1.0);
        assert!((bars[2].share - 50.0 / 340.0).abs() < 1e-12);
        assert_eq!(unit_label(Lang::Vi, "models"), "mô hình");
    }
}
