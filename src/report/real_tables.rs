//! The real-data report's tables as text cells in the report's language (provinces × years of
//! each index, the programme's record, row accounting, stage status); the document lays them
//! out as records and `real` writes them as CSV.

use super::Lang;
use super::i18n::num;
use super::real::RealContext;
use super::real_data::Data;
use super::real_text::{self as rt, Pair, tr, unit_label};
use super::tables::Table;
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

/// Every table of the real-data report: the two index tables (when the run has that index)
/// and the programme's record, row accounting and stage status.
pub(super) struct RealTables {
    pub emp: Option<Table>,
    pub iip: Option<Table>,
    pub tables: Vec<Table>,
}

impl RealTables {
    pub fn build(d: &Data, ctx: &RealContext) -> RealTables {
        let lang = ctx.lang;
        let has = |m: IndexMeasure| d.index.iter().any(|v| v.measure == m);
        let emp = has(IndexMeasure::EmploymentIndex).then(|| {
            index_table(
                "employment_index_by_province",
                &d.index,
                IndexMeasure::EmploymentIndex,
                lang,
            )
        });
        let iip = has(IndexMeasure::Iip)
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
            tables.push(Table {
                name: "programme_rejected",
                head: h(lang, &[rt::H_FILE, rt::H_LINE, rt::H_RECORD, rt::H_REASON]),
                rows: d.rejected.iter().map(|r| r.to_vec()).collect(),
            });
        }
        RealTables { emp, iip, tables }
    }

    /// One of the programme's or the run's tables by name.
    pub fn find(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }

    /// Every table, in the order their CSV files are written.
    pub fn all(&self) -> impl Iterator<Item = &Table> {
        self.tables
            .iter()
            .chain(self.emp.iter())
            .chain(self.iip.iter())
    }
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
) -> Table {
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
    Table { name, head, rows }
}

pub(super) fn amount_cell(lang: Lang, v: Option<f64>) -> String {
    v.map(|v| num(lang, v, if v.fract() == 0.0 { 0 } else { 1 }))
        .unwrap_or_default()
}

pub(super) fn budget_table(d: &Data, lang: Lang) -> Table {
    Table {
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

pub(super) fn targets_table(d: &Data, lang: Lang) -> Table {
    Table {
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

pub(super) fn facts_table(d: &Data, lang: Lang) -> Table {
    Table {
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

pub(super) fn activity_table(d: &Data, lang: Lang) -> Table {
    let group = if lang == Lang::Vi { 4 } else { 5 };
    Table {
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

/// Rows in, clean, rejected and skipped per source, from the ingest and validate records of
/// the manifest (matched by source name).
pub(super) fn accounting_table(ctx: &RealContext, lang: Lang) -> Table {
    use crate::contract::manifest::Details;
    use crate::contract::vocab::Stage;
    let details = |stage: Stage| ctx.manifest.stage(stage).map(|e| &e.details);
    let validated = match details(Stage::Validate) {
        Some(Details::Validate(v)) => v.as_slice(),
        _ => &[],
    };
    let rows = match details(Stage::Ingest) {
        Some(Details::Ingest(records)) => records
            .iter()
            .map(|s| {
                let v = validated.iter().find(|v| v.source == s.source);
                vec![
                    s.file.clone().unwrap_or_default(),
                    s.rows_in.to_string(),
                    v.map(|v| v.clean.to_string()).unwrap_or_default(),
                    (s.rejected + v.map_or(0, |v| v.rejected)).to_string(),
                    s.skipped.to_string(),
                ]
            })
            .collect(),
        _ => Vec::new(),
    };
    Table {
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

pub(super) fn stages_table(ctx: &RealContext, lang: Lang) -> Table {
    let rows = ctx
        .manifest
        .stages
        .iter()
        .map(|e| {
            vec![
                e.name.as_str().to_string(),
                if e.details.is_not_applicable() {
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
        .collect();
    Table {
        name: "stage_status",
        head: h(lang, &[rt::H_STAGE, rt::H_STATUS]),
        rows,
    }
}
