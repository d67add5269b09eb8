//! The report of a run on real published data without province spending: reads the tables of
//! the real-data indicators stage (it estimates nothing) and writes `report/index.html`
//! (self-contained), `report/summary.md`, `report/charts/*` and `report/tables/*.csv`. This
//! module only orchestrates: `real_findings` words the findings, each chart's file under
//! `charts/` prepares and draws it, `real_tables` builds the tables, `real_document` puts them in
//! the report's one `Document`, and `html` / `markdown` lay that out. Every section says that
//! the data are real and published, and the report says what the public record lacks instead of
//! printing empty tables.

use super::Lang;
pub use super::charts::national_budget::{budget_bars, headline_budget};
use super::charts::real as charts_real;
pub use super::charts::targets_results::{target_bars, target_match};
use super::charts::{Csv, DrawnChart, employment_map, national_budget, targets_results};
use super::real_data::load;
pub use super::real_data::{BudgetRec, FactRec, TargetRec};
use super::real_tables::RealTables;
pub use super::real_text::unit_label;
use crate::error::Result;
use crate::realdata::indices::{self, IndexMeasure};
use std::path::{Path, PathBuf};

/// What the real-data report needs beyond the tables.
#[derive(Debug, Clone)]
pub struct RealContext {
    pub pipeline_name: String,
    pub lang: Lang,
    /// Input file names, for the source lines.
    pub sources: Vec<String>,
    /// The run's manifest so far (row accounting, stage statuses).
    pub manifest: crate::contract::manifest::Manifest,
}

/// Writes the real-data report under `out_dir/report/`; returns the files written.
pub fn build_report(out_dir: &Path, ctx: &RealContext) -> Result<Vec<PathBuf>> {
    super::register_fonts()?;
    let lang = ctx.lang;
    let d = load(out_dir)?;
    let report_dir = out_dir.join("report");
    let summaries = indices::summarise(&d.index);
    let findings = super::real_findings::sentences(&d, &summaries, lang);

    // The employment map shows the latest year.
    let latest = summaries
        .iter()
        .rfind(|s| s.measure == IndexMeasure::EmploymentIndex);
    let prepared = [
        latest.map(|s| employment_map::prepare(&d.index, s, &ctx.sources, lang)),
        national_budget::prepare(&d.budget, &ctx.sources, lang),
        targets_results::prepare(&d.targets, &ctx.sources, lang),
    ];
    let chart_dir = report_dir.join("charts");
    let charts: Vec<DrawnChart> = prepared
        .iter()
        .flatten()
        .map(|c| charts_real::render(&chart_dir, c, lang))
        .collect::<Result<_>>()?;
    let mut files: Vec<PathBuf> = Vec::new();
    for c in &charts {
        files.extend([c.png.clone(), c.svg.clone(), c.csv.clone()]);
    }

    let tables = RealTables::build(&d, ctx);
    let doc = super::real_document::build(&d, findings, &charts, &tables, ctx);
    let tdir = report_dir.join("tables");
    for t in tables.all() {
        let mut csv = Csv::new(&t.head.iter().map(String::as_str).collect::<Vec<_>>());
        for r in &t.rows {
            csv.row(r.clone());
        }
        let p = tdir.join(format!("{}.csv", t.name));
        crate::io::write_atomic(&p, csv.text().as_bytes())?;
        files.push(p);
    }
    let html_path = report_dir.join("index.html");
    crate::io::write_atomic(&html_path, super::html::render(&doc).as_bytes())?;
    files.push(html_path);
    let md_path = report_dir.join("summary.md");
    crate::io::write_atomic(&md_path, super::markdown::render(&doc).as_bytes())?;
    files.push(md_path);
    Ok(files)
}
