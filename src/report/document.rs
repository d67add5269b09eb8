//! The report as one document, built once from the finished tables, the findings and the drawn
//! charts: a header, then sections of paragraphs, notes, headings, lists, tables, figures and
//! model lines. Text is raw (unescaped) and already in the report's language; `html` and
//! `markdown` only lay it out and escape it for their format. The report on real publications
//! (`real_document`) is built as the same model, in its own `Style`.

use super::charts::{Charts, DrawnChart};
use super::data::ReportData;
use super::findings::Findings;
use super::i18n::{K, num, t, tf};
use super::tables::{self, Table};
use super::{Lang, ReportContext, province_name};

/// One model fitted by the models stage, as listed under the coefficients.
#[derive(Debug, Clone)]
pub struct ModelLine {
    pub name: String,
    pub formula: String,
    /// Observations, formatted.
    pub nobs: Option<String>,
    /// Variance estimator ("" when the model does not say).
    pub vcov: String,
}

#[derive(Debug, Clone)]
pub enum Block<'a> {
    Paragraph(String),
    /// A secondary remark (smaller type on the page).
    Note(String),
    /// A sub-heading within a section.
    Heading(String),
    /// A list; `class` styles it on the page.
    List {
        ordered: bool,
        class: Option<&'static str>,
        items: Vec<String>,
    },
    Table(Table),
    /// A wide table of published records: it scrolls sideways on the page, and a cell holding a
    /// web address is shown as a link named by its host.
    Records(Table),
    /// A table folded away under a summary line.
    Details {
        summary: String,
        table: Table,
    },
    Figure(&'a DrawnChart),
    /// Why a chart was not drawn, in its place.
    ChartSkipped(String),
    Models(Vec<ModelLine>),
    /// The synthetic-data warning.
    Banner(String),
    /// Shown on the page only; the summary leaves it out.
    PageOnly(Vec<Block<'a>>),
}

#[derive(Debug, Clone)]
pub struct Section<'a> {
    /// Anchor on the page.
    pub id: &'static str,
    pub title: String,
    /// A short line over the title (the real-data report marks every section as real data).
    pub mark: Option<String>,
    pub blocks: Vec<Block<'a>>,
}

/// How the page is dressed around the blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Style {
    /// The report of a run with province spending: a header with the run's details, the
    /// synthetic-data warning as its banner, each chart captioned with its title and files.
    #[default]
    Full,
    /// The report on real publications only: its own style sheet, the page written without line
    /// breaks, the real-data notice as its banner and footer, charts captioned by their
    /// subtitle.
    RealData,
}

#[derive(Debug, Clone)]
pub struct Document<'a> {
    pub lang: Lang,
    pub title: String,
    pub style: Style,
    /// Pipeline name and province map ("" for none).
    pub meta: String,
    /// The notice under the title: the synthetic-data warning when the inputs are synthetic
    /// (`Style::Full`), the real-data notice (`Style::RealData`).
    pub banner: Option<String>,
    /// Heading of the list of sections.
    pub contents: String,
    pub sections: Vec<Section<'a>>,
    /// A notice at the foot of the page.
    pub footer: Option<String>,
}

/// The host of a web address ("ven.vn" for "http://ven.vn/a-b.html"): how a record's source is
/// named when it is shown as a link.
pub fn url_host(s: &str) -> Option<&str> {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty()).then(|| host.strip_prefix("www.").unwrap_or(host))
}

fn figure<'a>(charts: &'a Charts, name: &str, lang: Lang) -> Option<Block<'a>> {
    if let Some(c) = charts.get(name) {
        return Some(Block::Figure(c));
    }
    charts.skipped.iter().find(|s| s.name == name).map(|s| {
        Block::ChartSkipped(tf(
            lang,
            K::ChartSkipped,
            &[("chart", &s.name), ("why", &s.why)],
        ))
    })
}

/// A table, or a sentence when it has no rows.
fn table_or(tbl: Table, empty: &str) -> Block<'static> {
    if tbl.rows.is_empty() {
        Block::Paragraph(empty.to_string())
    } else {
        Block::Table(tbl)
    }
}

impl<'a> Document<'a> {
    pub fn build(
        d: &ReportData,
        facts: &Findings,
        charts: &'a Charts,
        ctx: &ReportContext,
    ) -> Document<'a> {
        let lang = ctx.lang;
        let boundary = tf(
            lang,
            K::BoundaryUsed,
            &[("boundary", Findings::boundary_label(lang, ctx.boundary))],
        );
        let fig = |name: &str| figure(charts, name, lang);
        let mut sections = Vec::new();

        sections.push(Section {
            id: "findings",
            mark: None,
            title: t(lang, K::SecFindings).into(),
            blocks: vec![Block::List {
                ordered: true,
                class: Some("findings"),
                items: facts.sentences(ctx),
            }],
        });

        let changed = super::changes::sentences(&d.changes, ctx);
        if let Some((intro, rows)) = changed.split_first() {
            sections.push(Section {
                id: "changes",
                mark: None,
                title: t(lang, K::SecChanges).into(),
                blocks: vec![
                    Block::Paragraph(intro.clone()),
                    Block::List {
                        ordered: false,
                        class: None,
                        items: rows.to_vec(),
                    },
                ],
            });
        }

        let mut money: Vec<Block> = ["spending_over_time", "lorenz_grants", "plan_vs_achievement"]
            .iter()
            .filter_map(|c| fig(c))
            .collect();
        if d.grants.is_some() {
            money.push(Block::Heading(t(lang, K::TopGrants).into()));
            money.push(Block::Table(tables::top_grants(d, ctx, 10)));
        }
        sections.push(Section {
            id: "money",
            mark: None,
            title: t(lang, K::SecMoney).into(),
            blocks: money,
        });

        let mut scattered = vec![
            Block::Heading(t(lang, K::RankedTable).into()),
            table_or(tables::flags(d, ctx, false), t(lang, K::NoFlaggedRows)),
        ];
        scattered.extend(["concentration", "flag_map"].iter().filter_map(|c| fig(c)));
        scattered.push(Block::PageOnly(vec![Block::Details {
            summary: t(lang, K::AllAssessed).into(),
            table: tables::flags(d, ctx, true),
        }]));
        sections.push(Section {
            id: "scattered",
            mark: None,
            title: t(lang, K::SecScattered).into(),
            blocks: scattered,
        });

        let mut effects = Vec::new();
        let coefs = tables::coefficients(d, lang);
        if coefs.rows.is_empty() {
            effects.push(Block::Paragraph(t(lang, K::NoModels).into()));
        } else {
            effects.push(Block::Heading(t(lang, K::ModelTable).into()));
            effects.push(Block::Table(coefs));
        }
        effects.push(Block::Models(
            d.models
                .iter()
                .map(|m| ModelLine {
                    name: m.name.clone(),
                    formula: m.formula.clone(),
                    nobs: m.nobs.map(|n| num(lang, n, 0)),
                    vcov: m.vcov.clone(),
                })
                .collect(),
        ));
        effects.push(Block::Note(t(lang, K::ModelNote).into()));
        effects.extend(fig("spending_vs_growth"));
        effects.extend(fig("event_study"));
        if let Some(p) = &d.pilot_inference {
            effects.extend(
                super::pilot::sentences(p, lang)
                    .into_iter()
                    .map(Block::Note),
            );
        }
        effects.extend(fig("output_small_multiples"));
        sections.push(Section {
            id: "effects",
            mark: None,
            title: t(lang, K::SecEffects).into(),
            blocks: effects,
        });

        let mut quality = vec![Block::Paragraph(boundary.clone())];
        if let Some((y0, y1)) = d.panel_years {
            quality.push(Block::Paragraph(tf(
                lang,
                K::PanelMissing,
                &[
                    ("n", &num(lang, d.panel_rows as f64, 0)),
                    ("k", &num(lang, d.panel_missing_output as f64, 0)),
                    ("y0", &y0.to_string()),
                    ("y1", &y1.to_string()),
                ],
            )));
        }
        quality.push(Block::Heading(t(lang, K::RejectedRows).into()));
        quality.push(table_or(tables::rejected(d, lang), t(lang, K::NoRejected)));
        quality.push(Block::Heading(t(lang, K::MissingCellsHead).into()));
        quality.push(table_or(
            tables::missing_cells(d, lang),
            t(lang, K::NoMissingCells),
        ));
        if !d.missing.is_empty() {
            quality.push(Block::Paragraph(tf(
                lang,
                K::MissingTables,
                &[("tables", &d.missing.join(", "))],
            )));
        }
        quality.push(Block::PageOnly(
            charts
                .skipped
                .iter()
                .map(|s| {
                    Block::Note(tf(
                        lang,
                        K::ChartSkipped,
                        &[("chart", &s.name), ("why", &s.why)],
                    ))
                })
                .collect(),
        ));
        sections.push(Section {
            id: "quality",
            mark: None,
            title: t(lang, K::SecQuality).into(),
            blocks: quality,
        });

        let mut method = vec![
            Block::Paragraph(t(lang, K::MethodFlags).into()),
            Block::Heading(t(lang, K::Thresholds).into()),
            table_or(tables::flag_params(d, lang), t(lang, K::NoThresholds)),
            Block::Paragraph(t(lang, K::MethodEffects).into()),
            Block::Heading(t(lang, K::DataSources).into()),
            Block::List {
                ordered: false,
                class: None,
                items: ctx
                    .sources
                    .iter()
                    .map(|s| crate::text::clean(s))
                    .chain([t(lang, K::ReferenceSources).to_string()])
                    .collect(),
            },
        ];
        if ctx.synthetic {
            method.push(Block::Banner(t(lang, K::SyntheticBanner).into()));
        }
        let mut page_only = Vec::new();
        if !facts.pilots.is_empty() {
            let names: Vec<String> = facts
                .pilots
                .iter()
                .map(|c| province_name(c, ctx.boundary))
                .collect();
            page_only.push(Block::Paragraph(format!(
                "{}: {}{}",
                t(lang, K::LegPilot),
                names.join(", "),
                facts
                    .pilot_start
                    .map(|s| format!(" ({} {s})", t(lang, K::LegPilotStart)))
                    .unwrap_or_default()
            )));
        }
        let version = d
            .manifest
            .as_ref()
            .and_then(|m| m.program_version.as_deref())
            .unwrap_or(env!("CARGO_PKG_VERSION"));
        page_only.push(Block::Note(format!(
            "{}: {} · {}: {} · {}",
            t(lang, K::ProgramVersion),
            version,
            t(lang, K::Language),
            lang.code(),
            t(lang, K::FontNote)
        )));
        method.push(Block::PageOnly(page_only));
        sections.push(Section {
            id: "method",
            mark: None,
            title: t(lang, K::SecMethod).into(),
            blocks: method,
        });

        Document {
            lang,
            style: Style::Full,
            title: t(lang, K::ReportTitle).into(),
            meta: format!(
                "{}: {} · {}",
                t(lang, K::Pipeline),
                crate::text::clean(&ctx.pipeline_name),
                boundary
            ),
            banner: ctx
                .synthetic
                .then(|| t(lang, K::SyntheticBanner).to_string()),
            contents: t(lang, K::Contents).into(),
            sections,
            footer: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_named_by_their_host() {
        assert_eq!(url_host("http://ven.vn/ha-tinh-43845.html"), Some("ven.vn"));
        assert_eq!(
            url_host("https://www.vietnam.vn/en/x?y=1"),
            Some("vietnam.vn")
        );
        assert_eq!(url_host("https://"), None);
        assert_eq!(url_host("not shown"), None);
    }
}
