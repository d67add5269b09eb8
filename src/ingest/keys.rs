//! The per-source keys of a pipeline file as flags of `khuyencong ingest`, so a file that
//! detection cannot read alone is read the same way from the command line and from a pipeline:
//! `--year`, `--header-rows`, `--header-row`, `--measure`, `--column`, `--units`, `--boundary`,
//! `--layout`, `--source`.

use super::SourceSpec;
use crate::error::{Error, Result};
use crate::reference::Boundary;

/// Source keys given as flags (each as the pipeline key of the same name).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SourceKeys {
    /// Year of every row, for a table without a year column or year in its header or title.
    #[arg(long)]
    pub year: Option<i32>,
    /// Rows of a stacked header, 1-based as Excel numbers them: "5-7" (or one row, "5").
    #[arg(long, value_name = "ROWS")]
    pub header_rows: Option<String>,
    /// Row of a one-row header, when detection picks the wrong one.
    #[arg(long, value_name = "ROW")]
    pub header_row: Option<usize>,
    /// What the values measure: output_bvnd, iip, employment, employment_index,
    /// establishments, amount_mvnd.
    #[arg(long)]
    pub measure: Option<String>,
    /// A column's meaning, HEADER=CANONICAL or LETTER=CANONICAL ("C=employment_index",
    /// "Kinh phí=amount_mvnd", "B=ignore"); repeat for more columns.
    #[arg(long = "column", value_name = "KEY=NAME")]
    pub columns: Vec<String>,
    /// Money unit when the file does not say: "triệu đồng", "tỷ đồng", "million", "billion".
    #[arg(long)]
    pub units: Option<String>,
    /// Province map of the file: 2008 (63 provinces) or 2025 (34 units) [default: the map in
    /// force at each row's date].
    #[arg(long)]
    pub boundary: Option<String>,
    /// Table layout, when detection gets it wrong: long or wide.
    #[arg(long)]
    pub layout: Option<String>,
    /// Funding source when the file has no source column: national, local or other.
    #[arg(long)]
    pub source: Option<String>,
}

impl SourceKeys {
    /// Sets the keys on a source; a malformed key is a usage error that names it.
    pub fn apply(&self, spec: &mut SourceSpec) -> Result<()> {
        if let Some(y) = self.year {
            spec.year = Some(y);
        }
        if let Some(r) = &self.header_rows {
            spec.header_rows = Some(r.clone());
        }
        if let Some(r) = self.header_row {
            spec.header_row = Some(r);
        }
        if let Some(m) = &self.measure {
            spec.measure = Some(m.clone());
        }
        for c in &self.columns {
            let Some((k, v)) = c.split_once('=') else {
                return Err(Error::Usage(format!(
                    "--column \"{c}\": expected KEY=NAME, e.g. --column C=employment_index"
                )));
            };
            spec.columns
                .insert(k.trim().to_string(), v.trim().to_string());
        }
        if let Some(u) = &self.units {
            spec.units = Some(u.clone());
        }
        if let Some(b) = &self.boundary {
            spec.boundary = Some(Boundary::parse(b).ok_or_else(|| {
                Error::Usage(format!(
                    "--boundary \"{b}\": expected 2008 (63 provinces) or 2025 (34 units)"
                ))
            })?);
        }
        if let Some(l) = &self.layout {
            spec.layout = Some(l.clone());
        }
        if let Some(s) = &self.source {
            spec.source = Some(s.clone());
        }
        Ok(())
    }
}

/// Checks a source's keys when a pipeline file is loaded, so a mistyped key value is a
/// configuration error (exit 2) naming the file and the key before anything is read.
pub fn check_source_keys(file: &std::path::Path, spec: &SourceSpec) -> Result<()> {
    let who = spec.display_name();
    let bad = |key: &str, value: &str, want: &str| {
        Err(Error::config(
            file,
            format!("source \"{who}\": {key} = \"{value}\" is not {want}"),
        ))
    };
    if let Some(r) = &spec.header_rows
        && super::stacked::parse_header_rows(file, r).is_err()
    {
        return bad("header_rows", r, "a row or a range of rows such as \"5-7\"");
    }
    if let Some(m) = &spec.measure
        && super::layout::measure_from_name(m).is_none_or(|r| !r.fits(spec.kind))
    {
        return bad(
            "measure",
            m,
            match spec.kind {
                super::Kind::Output => {
                    "one of output_bvnd, iip, employment, employment_index, establishments"
                }
                super::Kind::Funding => "amount_mvnd for a funding source",
            },
        );
    }
    for (k, v) in &spec.columns {
        if super::layout::Role::from_canonical(v).is_none() {
            return bad(
                &format!("columns.\"{k}\""),
                v,
                "a canonical column name (docs/TABLES.md) or \"ignore\"",
            );
        }
    }
    if let Some(u) = &spec.units
        && super::layout::unit_exponent(u).is_none()
    {
        return bad(
            "units",
            u,
            "a money unit (triệu đồng, tỷ đồng, million, billion)",
        );
    }
    if let Some(l) = &spec.layout
        && !matches!(l.as_str(), "long" | "wide")
    {
        return bad("layout", l, "long or wide");
    }
    if let Some(y) = spec.year
        && !(crate::contract::schema::MIN_YEAR..=crate::contract::schema::MAX_YEAR).contains(&y)
    {
        return bad(
            "year",
            &y.to_string(),
            &format!(
                "a year between {} and {}",
                crate::contract::schema::MIN_YEAR,
                crate::contract::schema::MAX_YEAR
            ),
        );
    }
    Ok(())
}
