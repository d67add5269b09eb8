//! The real-data report as the report's one `Document` (in `Style::RealData`): the key findings,
//! then employment, production, budget, targets, province facts, what the record lacks and the
//! sources, every section marked as real published data; `html` and `markdown` lay it out.

use super::charts::DrawnChart;
use super::document::{Block, Document, Section, Style};
use super::real::RealContext;
use super::real_data::Data;
use super::real_tables::RealTables;
use super::real_text::{self as rt, Pair, tr, trf};

/// Builds the document from the findings, the drawn charts and the tables.
pub(super) fn build<'a>(
    d: &Data,
    findings: Vec<String>,
    charts: &'a [DrawnChart],
    tables: &RealTables,
    ctx: &RealContext,
) -> Document<'a> {
    let lang = ctx.lang;
    let note = |p: Pair| Block::Note(tr(lang, p).to_string());
    let chart = |n: &str| charts.iter().find(|c| c.name == n).map(Block::Figure);
    let records = |name: &str| tables.find(name).cloned().map(Block::Records);
    let filled = |name: &str| {
        tables
            .find(name)
            .filter(|t| !t.rows.is_empty())
            .cloned()
            .map(Block::Records)
    };
    let mut sections: Vec<(&'static str, Pair, Vec<Block<'a>>)> = Vec::new();

    sections.push((
        "findings",
        rt::SEC_FINDINGS,
        vec![Block::List {
            ordered: false,
            class: Some("findings"),
            items: findings,
        }],
    ));

    let mut emp: Vec<Block> = chart("employment_map").into_iter().collect();
    match &tables.emp {
        Some(t) => {
            emp.push(note(rt::EMP_TABLE_NOTE));
            emp.push(Block::Records(t.clone()));
        }
        None => emp.push(note(rt::NO_EMPLOYMENT)),
    }
    sections.push(("employment", rt::SEC_EMPLOYMENT, emp));

    let iip = match &tables.iip {
        Some(t) => vec![note(rt::IIP_TABLE_NOTE), Block::Records(t.clone())],
        None => vec![note(rt::NO_IIP)],
    };
    sections.push(("iip", rt::SEC_IIP, iip));

    let no_programme = d.budget.is_empty() && d.targets.is_empty() && d.facts.is_empty();
    let mut budget: Vec<Block> = chart("national_budget").into_iter().collect();
    if no_programme {
        budget.push(note(rt::NO_PROGRAMME));
    } else {
        budget.extend(records("programme_budget"));
    }
    sections.push(("budget", rt::SEC_BUDGET, budget));

    let mut targets: Vec<Block> = chart("targets_results").into_iter().collect();
    targets.extend(filled("programme_targets"));
    sections.push(("targets", rt::SEC_TARGETS, targets));

    let mut facts = vec![note(rt::GAP_FACTS)];
    facts.extend(filled("spending_facts"));
    if let Some(t) = filled("activity_facts") {
        facts.push(note(rt::ACTIVITY_NOTE));
        facts.push(t);
    }
    sections.push(("facts", rt::SEC_FACTS, facts));

    let mut gaps: Vec<Block> = [
        rt::GAP_TABLE,
        rt::GAP_EFFECTS,
        rt::GAP_NATIONAL_YEARS,
        rt::GAP_IIP,
        rt::STAGE_STATUS,
    ]
    .into_iter()
    .map(note)
    .collect();
    gaps.extend(records("stage_status"));
    sections.push(("gaps", rt::SEC_GAPS, gaps));

    let mut src = vec![
        note(rt::METHOD),
        Block::Note(trf(
            lang,
            rt::SOURCE_LINE,
            &[("sources", &ctx.sources.join(", "))],
        )),
    ];
    src.extend(records("row_accounting"));
    if let Some(t) = records("programme_rejected") {
        src.push(note(rt::PROGRAMME_REJECTED));
        src.push(t);
    }
    src.push(Block::Note(format!(
        "{}: {} {}",
        tr(lang, rt::PROGRAM_VERSION),
        "khuyencong",
        crate::contract::PROGRAM_VERSION
    )));
    sections.push(("sources", rt::SEC_SOURCES, src));

    let mark = tr(lang, rt::SECTION_MARK);
    let banner = tr(lang, rt::BANNER).to_string();
    Document {
        lang,
        style: Style::RealData,
        title: tr(lang, rt::TITLE).into(),
        meta: String::new(),
        banner: Some(banner.clone()),
        contents: tr(lang, rt::CONTENTS).into(),
        sections: sections
            .into_iter()
            .map(|(id, title, blocks)| Section {
                id,
                title: tr(lang, title).into(),
                mark: Some(mark.into()),
                blocks,
            })
            .collect(),
        footer: Some(banner),
    }
}
