//! The real-data report's tables as text cells in the report's language (provinces × years of
//! each index, the programme's record, row accounting, stage status), and their HTML, Markdown
//! and CSV forms.

use super::Lang;
use super::charts::Csv;
use super::html::esc;
use super::i18n::num;
use super::real::{RealContext, unit_label};
use super::real_data::Data;
use super::real_text::{self as rt, Pair, tr};
use crate::realdata::indices::{self, IndexMeasure, IndexValue, NATIONAL_CODE};
use crate::reference::{Boundary, Reference};
use std::collections::{BTreeMap, BTreeSet};

/// The values of one measure: year → code → value.
pub(super) fn by_year(
    index: &[IndexValue],
    m: IndexMeasure,
) -> BTreeMap<i32, BTreeMap<String, f64>> {
    let mut out: BTreeMap<i32, BTreeMap<String, f64>> = BTreeMap::new();
    for v in index.iter().filter(|v| v.measure == m) {
        out.entry(v.year)
            .or_default()
            .insert(v.province_code.clone(), v.value);
    }
    out
}

pub(super) fn pname(code: &str, lang: Lang) -> String {
    if code == NATIONAL_CODE {
        return tr(lang, rt::NATIONAL_ROW).to_string();
    }
    crate::text::clean(&indices::name_of(code, Boundary::B2008))
}

/// A table of text cells, written to HTML, Markdown and CSV.
pub(super) struct Tbl {
    pub name: &'static str,
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

pub(super) fn h(lang: Lang, ps: &[Pair]) -> Vec<String> {
    ps.iter().map(|p| tr(lang, *p).to_string()).collect()
}

/// Provinces in the statistics office's table order (regions), the country first.
pub(super) fn index_table(
    name: &'static str,
    index: &[IndexValue],
    m: IndexMeasure,
    lang: Lang,
) -> Tbl {
    let years = by_year(index, m);
    // As published: the production index with one decimal, the employment index with two.
    let decimals = match m {
        IndexMeasure::Iip => 1,
        IndexMeasure::EmploymentIndex => 2,
    };
    let codes: BTreeSet<&String> = years.values().flat_map(|v| v.keys()).collect();
    let r = Reference::get();
    let mut codes: Vec<&String> = codes.into_iter().collect();
    codes.sort_by_key(|c| {
        if c.as_str() == NATIONAL_CODE {
            0
        } else {
            r.province(c).map(|p| p.table_order + 1).unwrap_or(u32::MAX)
        }
    });
    let mut head = h(lang, &[rt::H_CODE, rt::H_PROVINCE]);
    head.extend(years.keys().map(|y| y.to_string()));
    let rows = codes
        .into_iter()
        .map(|c| {
            let mut row = vec![c.clone(), pname(c, lang)];
            row.extend(years.values().map(|v| {
                v.get(c)
                    .map(|x| num(lang, *x, decimals))
                    .unwrap_or_default()
            }));
            row
        })
        .collect();
    Tbl { name, head, rows }
}

pub(super) fn amount_cell(lang: Lang, v: Option<f64>) -> String {
    v.map(|v| num(lang, v, if v.fract() == 0.0 { 0 } else { 1 }))
        .unwrap_or_default()
}

pub(super) fn budget_table(d: &Data, lang: Lang) -> Tbl {
    Tbl {
        name: "programme_budget",
        head: h(
            lang,
            &[
                rt::H_RECORD,
                rt::H_SCOPE,
                rt::H_AREA,
                rt::H_PERIOD,
                rt::H_FUND,
                rt::H_MEASURE,
                rt::H_AS_PUBLISHED,
                rt::H_AMOUNT,
                rt::H_DERIVED,
                rt::H_CONFIDENCE,
                rt::H_SOURCE,
            ],
        ),
        rows: d
            .budget
            .iter()
            .map(|b| {
                vec![
                    b.record_id.clone(),
                    b.scope.clone(),
                    b.geo_name.clone(),
                    b.period.clone(),
                    b.fund.clone(),
                    b.measure.clone(),
                    format!("{} {}", b.value, b.unit).trim().to_string(),
                    amount_cell(lang, b.amount_mvnd),
                    tr(lang, if b.derived { rt::YES } else { rt::NO }).into(),
                    b.confidence.clone(),
                    b.source_url.clone(),
                ]
            })
            .collect(),
    }
}

pub(super) fn targets_table(d: &Data, lang: Lang) -> Tbl {
    Tbl {
        name: "programme_targets",
        head: h(
            lang,
            &[
                rt::H_RECORD,
                rt::H_PROGRAMME,
                rt::H_PERIOD,
                rt::H_ITEM,
                rt::H_KIND,
                rt::H_VALUE,
                rt::H_UNIT,
                rt::H_CONFIDENCE,
            ],
        ),
        rows: d
            .targets
            .iter()
            .map(|t| {
                vec![
                    t.record_id.clone(),
                    t.programme.clone(),
                    t.period.clone(),
                    t.item.clone(),
                    t.kind.clone(),
                    t.value_as_published.clone(),
                    unit_label(lang, &t.unit),
                    t.confidence.clone(),
                ]
            })
            .collect(),
    }
}

pub(super) fn facts_table(d: &Data, lang: Lang) -> Tbl {
    Tbl {
        name: "spending_facts",
        head: h(
            lang,
            &[
                rt::H_RECORD,
                rt::H_PROVINCE,
                rt::H_PERIOD,
                rt::H_FUND,
                rt::H_MEASURE,
                rt::H_AMOUNT,
                rt::H_QUALIFIER,
                rt::H_CONFIDENCE,
                rt::H_SOURCE,
            ],
        ),
        rows: d
            .facts
            .iter()
            .map(|f| {
                vec![
                    f.record_id.clone(),
                    format!("{} ({})", f.province_name, f.province_code),
                    f.period.clone(),
                    f.fund_source.clone(),
                    f.measure.clone(),
                    amount_cell(lang, f.amount_mvnd),
                    f.qualifier.clone(),
                    f.confidence.clone(),
                    f.source_url.clone(),
                ]
            })
            .collect(),
    }
}

pub(super) fn activity_table(d: &Data, lang: Lang) -> Tbl {
    let group = if lang == Lang::Vi { 4 } else { 5 };
    Tbl {
        name: "activity_facts",
        head: h(
            lang,
            &[
                rt::H_RECORD,
                rt::H_AREA,
                rt::H_PERIOD,
                rt::H_FUND,
                rt::H_ACTIVITY,
                rt::H_PROJECTS,
                rt::H_AMOUNT,
                rt::H_QUALIFIER,
                rt::H_CONFIDENCE,
                rt::H_SOURCE,
            ],
        ),
        rows: d
            .activity
            .iter()
            .map(|(c, amount)| {
                vec![
                    c[0].clone(),
                    c[1].clone(),
                    c[2].clone(),
                    c[3].clone(),
                    c[group].clone(),
                    c[6].clone(),
                    amount_cell(lang, *amount),
                    c[7].clone(),
                    c[8].clone(),
                    c[9].clone(),
                ]
            })
            .collect(),
    }
}

/// Rows in, clean, rejected and skipped per source, from the manifest.
pub(super) fn accounting_table(ctx: &RealContext, lang: Lang) -> Tbl {
    let stage = |name: &str| {
        ctx.manifest["stages"]
            .as_array()
            .and_then(|s| s.iter().find(|e| e["name"] == name))
            .map(|e| e["details"].clone())
            .unwrap_or_default()
    };
    let (ing, val) = (stage("ingest"), stage("validate"));
    let rows = ing
        .as_array()
        .map(|a| {
            a.iter()
                .enumerate()
                .map(|(i, s)| {
                    let n = |v: &serde_json::Value| {
                        v.as_u64().map(|x| x.to_string()).unwrap_or_default()
                    };
                    vec![
                        s["file"].as_str().unwrap_or("").to_string(),
                        n(&s["rows_in"]),
                        n(&val[i]["clean"]),
                        (s["rejected"].as_u64().unwrap_or(0)
                            + val[i]["rejected"].as_u64().unwrap_or(0))
                        .to_string(),
                        n(&s["skipped"]),
                    ]
                })
                .collect()
        })
        .unwrap_or_default();
    Tbl {
        name: "row_accounting",
        head: h(
            lang,
            &[
                rt::H_FILE,
                rt::H_ROWS_IN,
                rt::H_CLEAN,
                rt::H_REJECTED,
                rt::H_SKIPPED,
            ],
        ),
        rows,
    }
}

pub(super) fn stages_table(ctx: &RealContext, lang: Lang) -> Tbl {
    let rows = ctx.manifest["stages"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    let na =
                        e["details"]["status"].as_str() == Some(crate::realdata::NOT_APPLICABLE);
                    vec![
                        e["name"].as_str().unwrap_or("").to_string(),
                        if na {
                            format!(
                                "{}: {}",
                                tr(lang, rt::NOT_APPLICABLE),
                                tr(lang, rt::NA_REASON)
                            )
                        } else {
                            tr(lang, rt::RAN).to_string()
                        },
                    ]
                })
                .collect()
        })
        .unwrap_or_default();
    Tbl {
        name: "stage_status",
        head: h(lang, &[rt::H_STAGE, rt::H_STATUS]),
        rows,
    }
}

pub(super) fn table_html(t: &Tbl) -> String {
    let mut s = String::from("<div class=\"scroll\"><table><thead><tr>");
    for c in &t.head {
        s.push_str(&format!("<th>{}</th>", esc(c)));
    }
    s.push_str("</tr></thead><tbody>");
    for r in &t.rows {
        s.push_str("<tr>");
        for c in r {
            if let Some(host) = url_host(c) {
                s.push_str(&format!(
                    "<td><a href=\"{}\">{}</a></td>",
                    esc(c),
                    esc(host)
                ));
            } else if !c.is_empty()
                && c.chars()
                    .all(|ch| ch.is_ascii_digit() || ".,-".contains(ch))
            {
                s.push_str(&format!("<td class=\"n\">{}</td>", esc(c)));
            } else {
                s.push_str(&format!("<td>{}</td>", esc(c)));
            }
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table></div>");
    s
}

/// The host of a web address ("ven.vn" for "http://ven.vn/a-b.html"), shown as the link text.
pub(super) fn url_host(s: &str) -> Option<&str> {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty()).then(|| host.strip_prefix("www.").unwrap_or(host))
}

pub(super) fn table_md(t: &Tbl) -> String {
    use super::markdown::esc as mesc;
    let mut s = format!(
        "| {} |\n|{}\n",
        t.head
            .iter()
            .map(|c| mesc(c))
            .collect::<Vec<_>>()
            .join(" | "),
        "---|".repeat(t.head.len())
    );
    for r in &t.rows {
        s.push_str(&format!(
            "| {} |\n",
            r.iter()
                .map(|c| match url_host(c) {
                    Some(host) if !c.contains([' ', '(', ')']) => format!("[{}]({c})", mesc(host)),
                    _ => mesc(c),
                })
                .collect::<Vec<_>>()
                .join(" | ")
        ));
    }
    s.push('\n');
    s
}

pub(super) fn table_csv(t: &Tbl) -> String {
    let mut c = Csv::new(&t.head.iter().map(String::as_str).collect::<Vec<_>>());
    for r in &t.rows {
        c.row(r.clone());
    }
    c.text().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_show_their_host() {
        assert_eq!(url_host("http://ven.vn/ha-tinh-43845.html"), Some("ven.vn"));
        assert_eq!(
            url_host("https://www.vietnam.vn/en/x?y=1"),
            Some("vietnam.vn")
        );
        assert_eq!(url_host("not shown"), None);
        let t = Tbl {
            name: "t",
            head: vec!["a".into()],
            rows: vec![vec!["http://ven.vn/x.html".into()]],
        };
        assert!(table_html(&t).contains("<a href=\"http://ven.vn/x.html\">ven.vn</a>"));
        assert!(table_md(&t).contains("[ven.vn](http://ven.vn/x.html)"));
    }
}
