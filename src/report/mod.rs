//! The report stage: reads the finished tables of a run (it never estimates anything itself) and
//! writes `report/index.html` (self-contained, works offline), `report/summary.md`,
//! `report/charts/<name>.{png,svg,csv}` and `report/tables/*.csv`, in Vietnamese or English.
//!
//! Submodules: `data` loads the tables, `findings` turns them into sentences, `charts` draws,
//! `document` puts everything in one document model, `html` and `markdown` lay it out, `i18n`
//! holds every label in both languages. `real` writes the report of a run on real publications
//! (`real_data`, `real_findings`, `real_tables`, `real_text`), built by `real_document` as the
//! same document model and laid out by the same `html` and `markdown`.

pub mod changes;
pub mod charts;
pub mod data;
pub mod document;
pub mod findings;
pub mod html;
pub mod i18n;
pub mod markdown;
pub mod pilot;
pub mod real;
pub mod real_data;
pub mod real_document;
pub mod real_findings;
pub mod real_tables;
pub mod real_text;
pub mod tables;

use crate::error::{Error, Result};
use crate::reference::{Boundary, Reference};
use std::path::{Path, PathBuf};

/// The report's language (defined with the other vocabularies).
pub use crate::contract::vocab::Lang;

/// What the report needs to know beyond the tables.
#[derive(Debug, Clone)]
pub struct ReportContext {
    pub pipeline_name: String,
    pub boundary: Boundary,
    /// The inputs are the bundled synthetic sample: every output says so.
    pub synthetic: bool,
    pub lang: Lang,
    /// Input file names, for the source lines.
    pub sources: Vec<String>,
    pub pilot_provinces: Vec<String>,
    pub pilot_start: Option<i32>,
    /// Grants below this size (million VND) count as small; shown in the method section.
    pub small_grant_mvnd: f64,
}

/// What `build_report` wrote.
#[derive(Debug, Clone)]
pub struct ReportSummary {
    pub files: Vec<PathBuf>,
    pub charts: usize,
}

/// Registers the embedded font with plotters (once per process), under the family name every
/// chart uses, so no system font is ever needed.
pub fn register_fonts() -> Result<()> {
    static FONT: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
    static DONE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let ok = *DONE.get_or_init(|| {
        plotters::style::register_font("sans-serif", plotters::style::FontStyle::Normal, FONT)
            .is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(Error::Other(
            "the embedded chart font could not be loaded".to_string(),
        ))
    }
}

/// A province's short name on a map, or its code when the code is unknown.
pub fn province_name(code: &str, boundary: Boundary) -> String {
    Reference::get()
        .name_of(code, boundary)
        .map(crate::text::clean)
        .unwrap_or_else(|| crate::text::clean(code))
}

/// Writes the whole report under `out_dir/report/` from the tables under `out_dir`.
pub fn build_report(out_dir: &Path, ctx: &ReportContext) -> Result<ReportSummary> {
    register_fonts()?;
    let started = std::time::Instant::now();
    let data = data::ReportData::load(out_dir)?;
    tracing::debug!(
        ms = started.elapsed().as_millis() as u64,
        "report tables read"
    );
    let report_dir = out_dir.join("report");
    let facts = findings::Findings::compute(&data, ctx);
    let charts = charts::render_all(&report_dir.join("charts"), &data, &facts, ctx)?;
    tracing::debug!(
        ms = started.elapsed().as_millis() as u64,
        "report charts drawn"
    );
    let mut files: Vec<PathBuf> = Vec::new();
    for c in &charts.drawn {
        files.extend([c.png.clone(), c.svg.clone(), c.csv.clone()]);
    }
    files.extend(markdown::write_tables(
        &report_dir.join("tables"),
        &data,
        ctx,
    )?);
    let doc = document::Document::build(&data, &facts, &charts, ctx);
    let html_path = report_dir.join("index.html");
    crate::io::write_atomic(&html_path, html::render(&doc).as_bytes())?;
    files.push(html_path);
    let md_path = report_dir.join("summary.md");
    crate::io::write_atomic(&md_path, markdown::render(&doc).as_bytes())?;
    files.push(md_path);
    Ok(ReportSummary {
        charts: charts.drawn.len(),
        files,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lang_parses_and_prints() {
        assert_eq!("vi".parse::<Lang>().unwrap(), Lang::Vi);
        assert_eq!(" EN ".parse::<Lang>().unwrap(), Lang::En);
        assert!("fr".parse::<Lang>().is_err());
        assert_eq!(Lang::Vi.to_string(), "vi");
        assert_eq!(serde_json::to_string(&Lang::En).unwrap(), "\"en\"");
        assert_eq!(serde_json::from_str::<Lang>("\"vi\"").unwrap(), Lang::Vi);
    }

    #[test]
    fn province_names_follow_the_map() {
        assert_eq!(province_name("70", Boundary::B2008), "Bình Phước");
        assert_eq!(province_name("75", Boundary::B2025), "Đồng Nai");
        assert_eq!(province_name("xx", Boundary::B2008), "xx");
    }
}
