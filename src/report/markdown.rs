//! `summary.md` (the same sections as the HTML page, charts linked by relative path) and the
//! CSV copies of the report's tables under `report/tables/`.

use super::ReportContext;
use super::charts::Charts;
use super::data::ReportData;
use super::findings::Findings;
use super::i18n::{K, num, t, tf};
use super::tables::{self, Table};
use crate::error::Result;
use std::path::{Path, PathBuf};

/// Escapes a table cell or sentence for Markdown: markup is shown, not interpreted.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '|' => out.push_str("\\|"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn table_md(tbl: &Table) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "| {} |\n",
        tbl.head
            .iter()
            .map(|h| esc(h))
            .collect::<Vec<_>>()
            .join(" | ")
    ));
    s.push_str(&format!("|{}\n", "---|".repeat(tbl.head.len())));
    for row in &tbl.rows {
        s.push_str(&format!(
            "| {} |\n",
            row.iter().map(|c| esc(c)).collect::<Vec<_>>().join(" | ")
        ));
    }
    s.push('\n');
    s
}

fn chart_md(charts: &Charts, name: &str, ctx: &ReportContext) -> String {
    if let Some(c) = charts.get(name) {
        return format!(
            "![{}](charts/{}.png)\n\n*{}* ([SVG](charts/{n}.svg), [CSV](charts/{n}.csv))\n\n",
            esc(&c.title),
            c.name,
            esc(&c.subtitle),
            n = c.name
        );
    }
    charts
        .skipped
        .iter()
        .find(|s| s.name == name)
        .map(|s| {
            format!(
                "{}\n\n",
                esc(&tf(
                    ctx.lang,
                    K::ChartSkipped,
                    &[("chart", &s.name), ("why", &s.why)]
                ))
            )
        })
        .unwrap_or_default()
}

pub fn render(d: &ReportData, facts: &Findings, charts: &Charts, ctx: &ReportContext) -> String {
    let lang = ctx.lang;
    let mut m = String::new();
    m.push_str(&format!("# {}\n\n", esc(t(lang, K::ReportTitle))));
    m.push_str(&format!(
        "{}: {} · {}\n\n",
        esc(t(lang, K::Pipeline)),
        esc(&crate::text::clean(&ctx.pipeline_name)),
        esc(&tf(
            lang,
            K::BoundaryUsed,
            &[("boundary", Findings::boundary_label(lang, ctx.boundary))]
        ))
    ));
    if ctx.synthetic {
        m.push_str(&format!("> **{}**\n\n", esc(t(lang, K::SyntheticBanner))));
    }

    m.push_str(&format!("## {}\n\n", esc(t(lang, K::SecFindings))));
    for (i, s) in facts.sentences(ctx).iter().enumerate() {
        m.push_str(&format!("{}. {}\n", i + 1, esc(s)));
    }
    m.push('\n');

    let changed = super::changes::sentences(&d.changes, ctx);
    if let Some((intro, rows)) = changed.split_first() {
        m.push_str(&format!(
            "## {}\n\n{}\n\n",
            esc(t(lang, K::SecChanges)),
            esc(intro)
        ));
        for s in rows {
            m.push_str(&format!("- {}\n", esc(s)));
        }
        m.push('\n');
    }

    m.push_str(&format!("## {}\n\n", esc(t(lang, K::SecMoney))));
    for c in ["spending_over_time", "lorenz_grants", "plan_vs_achievement"] {
        m.push_str(&chart_md(charts, c, ctx));
    }
    if d.grants.is_some() {
        m.push_str(&format!("### {}\n\n", esc(t(lang, K::TopGrants))));
        m.push_str(&table_md(&tables::top_grants(d, ctx, 10)));
    }

    m.push_str(&format!("## {}\n\n", esc(t(lang, K::SecScattered))));
    m.push_str(&format!("### {}\n\n", esc(t(lang, K::RankedTable))));
    let ranked = tables::flags(d, ctx, false);
    if ranked.rows.is_empty() {
        m.push_str(&format!("{}\n\n", esc(t(lang, K::NoFlaggedRows))));
    } else {
        m.push_str(&table_md(&ranked));
    }
    for c in ["concentration", "flag_map"] {
        m.push_str(&chart_md(charts, c, ctx));
    }

    m.push_str(&format!("## {}\n\n", esc(t(lang, K::SecEffects))));
    let coefs = tables::coefficients(d, lang);
    if coefs.rows.is_empty() {
        m.push_str(&format!("{}\n\n", esc(t(lang, K::NoModels))));
    } else {
        m.push_str(&format!("### {}\n\n", esc(t(lang, K::ModelTable))));
        m.push_str(&table_md(&coefs));
    }
    for model in &d.models {
        m.push_str(&format!(
            "- **{}**: `{}`{}\n",
            esc(&model.name),
            model.formula.replace('`', "'"),
            model
                .nobs
                .map(|n| format!(" · N = {}", num(lang, n, 0)))
                .unwrap_or_default()
        ));
    }
    m.push_str(&format!("\n{}\n\n", esc(t(lang, K::ModelNote))));
    for c in [
        "spending_vs_growth",
        "event_study",
        "output_small_multiples",
    ] {
        m.push_str(&chart_md(charts, c, ctx));
        if c == "event_study"
            && let Some(p) = &d.pilot_inference
        {
            for line in super::pilot::sentences(p, lang) {
                m.push_str(&format!("{}\n\n", esc(&line)));
            }
        }
    }

    m.push_str(&format!("## {}\n\n", esc(t(lang, K::SecQuality))));
    m.push_str(&format!(
        "{}\n\n",
        esc(&tf(
            lang,
            K::BoundaryUsed,
            &[("boundary", Findings::boundary_label(lang, ctx.boundary))]
        ))
    ));
    if let Some((y0, y1)) = d.panel_years {
        m.push_str(&format!(
            "{}\n\n",
            esc(&tf(
                lang,
                K::PanelMissing,
                &[
                    ("n", &num(lang, d.panel_rows as f64, 0)),
                    ("k", &num(lang, d.panel_missing_output as f64, 0)),
                    ("y0", &y0.to_string()),
                    ("y1", &y1.to_string()),
                ]
            ))
        ));
    }
    m.push_str(&format!("### {}\n\n", esc(t(lang, K::RejectedRows))));
    let rej = tables::rejected(d, lang);
    if rej.rows.is_empty() {
        m.push_str(&format!("{}\n\n", esc(t(lang, K::NoRejected))));
    } else {
        m.push_str(&table_md(&rej));
    }
    m.push_str(&format!("### {}\n\n", esc(t(lang, K::MissingCellsHead))));
    let mc = tables::missing_cells(d, lang);
    if mc.rows.is_empty() {
        m.push_str(&format!("{}\n\n", esc(t(lang, K::NoMissingCells))));
    } else {
        m.push_str(&table_md(&mc));
    }
    if !d.missing.is_empty() {
        m.push_str(&format!(
            "{}\n\n",
            esc(&tf(
                lang,
                K::MissingTables,
                &[("tables", &d.missing.join(", "))]
            ))
        ));
    }

    m.push_str(&format!("## {}\n\n", esc(t(lang, K::SecMethod))));
    m.push_str(&format!("{}\n\n", esc(t(lang, K::MethodFlags))));
    let params = tables::flag_params(d, lang);
    m.push_str(&format!("### {}\n\n", esc(t(lang, K::Thresholds))));
    if params.rows.is_empty() {
        m.push_str(&format!("{}\n\n", esc(t(lang, K::NoThresholds))));
    } else {
        m.push_str(&table_md(&params));
    }
    m.push_str(&format!("{}\n\n", esc(t(lang, K::MethodEffects))));
    m.push_str(&format!("### {}\n\n", esc(t(lang, K::DataSources))));
    for s in &ctx.sources {
        m.push_str(&format!("- {}\n", esc(&crate::text::clean(s))));
    }
    m.push_str(&format!("- {}\n\n", esc(t(lang, K::ReferenceSources))));
    if ctx.synthetic {
        m.push_str(&format!("**{}**\n", esc(t(lang, K::SyntheticBanner))));
    }
    m
}

/// Writes every report table as CSV under `dir`; returns the paths.
pub fn write_tables(dir: &Path, d: &ReportData, ctx: &ReportContext) -> Result<Vec<PathBuf>> {
    let mut paths = Vec::new();
    for tbl in tables::all(d, ctx) {
        let mut csv =
            super::charts::Csv::new(&tbl.head.iter().map(String::as_str).collect::<Vec<_>>());
        for row in &tbl.rows {
            csv.row(row.clone());
        }
        let path = dir.join(format!("{}.csv", tbl.name));
        crate::io::write_atomic(&path, csv.text().as_bytes())?;
        paths.push(path);
    }
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escape_neutralises_markup_and_pipes() {
        assert_eq!(esc("<b>a|b</b>\nc"), "&lt;b&gt;a\\|b&lt;/b&gt; c");
    }
}
