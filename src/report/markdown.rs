//! `summary.md` (the report's `Document` laid out in Markdown: the same sections as the HTML
//! page, charts linked by relative path, page-only parts left out) and the CSV copies of the
//! report's tables under `report/tables/`.

use super::ReportContext;
use super::data::ReportData;
use super::document::{Block, Document, url_host};
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

/// A table of records: a cell that is a bare web address becomes a link named by its host.
fn records_md(tbl: &Table) -> String {
    let mut s = format!(
        "| {} |\n|{}\n",
        tbl.head
            .iter()
            .map(|c| esc(c))
            .collect::<Vec<_>>()
            .join(" | "),
        "---|".repeat(tbl.head.len())
    );
    for r in &tbl.rows {
        s.push_str(&format!(
            "| {} |\n",
            r.iter()
                .map(|c| match url_host(c) {
                    Some(host) if !c.contains([' ', '(', ')']) => format!("[{}]({c})", esc(host)),
                    _ => esc(c),
                })
                .collect::<Vec<_>>()
                .join(" | ")
        ));
    }
    s.push('\n');
    s
}

fn block(m: &mut String, b: &Block) {
    match b {
        Block::Paragraph(s) | Block::Note(s) | Block::ChartSkipped(s) => {
            m.push_str(&format!("{}\n\n", esc(s)))
        }
        Block::Heading(s) => m.push_str(&format!("### {}\n\n", esc(s))),
        Block::List { ordered, items, .. } => {
            for (i, s) in items.iter().enumerate() {
                if *ordered {
                    m.push_str(&format!("{}. {}\n", i + 1, esc(s)));
                } else {
                    m.push_str(&format!("- {}\n", esc(s)));
                }
            }
            m.push('\n');
        }
        Block::Table(tbl) => m.push_str(&table_md(tbl)),
        Block::Records(tbl) => m.push_str(&records_md(tbl)),
        Block::Figure(c) => m.push_str(&format!(
            "![{}](charts/{}.png)\n\n*{}* ([SVG](charts/{n}.svg), [CSV](charts/{n}.csv))\n\n",
            esc(&c.title),
            c.name,
            esc(&c.subtitle),
            n = c.name
        )),
        Block::Models(models) => {
            for model in models {
                m.push_str(&format!(
                    "- **{}**: `{}`{}\n",
                    esc(&model.name),
                    model.formula.replace('`', "'"),
                    model
                        .nobs
                        .as_ref()
                        .map(|n| format!(" · N = {n}"))
                        .unwrap_or_default()
                ));
            }
            m.push('\n');
        }
        Block::Banner(s) => m.push_str(&format!("**{}**\n", esc(s))),
        // The summary is the short form: folded tables and page notes stay on the page.
        Block::Details { .. } | Block::PageOnly(_) => {}
    }
}

/// The whole summary.
pub fn render(doc: &Document) -> String {
    let mut m = String::new();
    m.push_str(&format!("# {}\n\n", esc(&doc.title)));
    if !doc.meta.is_empty() {
        m.push_str(&format!("{}\n\n", esc(&doc.meta)));
    }
    if let Some(b) = &doc.banner {
        m.push_str(&format!("> **{}**\n\n", esc(b)));
    }
    for s in &doc.sections {
        m.push_str(&format!("## {}\n\n", esc(&s.title)));
        if let Some(mark) = &s.mark {
            m.push_str(&format!("*{}*\n\n", esc(mark)));
        }
        for b in &s.blocks {
            block(&mut m, b);
        }
    }
    if let Some(f) = &doc.footer {
        m.push_str(&format!("---\n\n*{}*\n", esc(f)));
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

    #[test]
    fn records_link_bare_addresses_by_host() {
        let t = Table {
            name: "t",
            head: vec!["a".into(), "b".into()],
            rows: vec![vec![
                "http://ven.vn/x.html".into(),
                "see http://a.vn (p. 2)".into(),
            ]],
        };
        assert_eq!(
            records_md(&t),
            "| a | b |\n|---|---|\n| [ven.vn](http://ven.vn/x.html) | see http://a.vn (p. 2) |\n\n"
        );
    }
}
