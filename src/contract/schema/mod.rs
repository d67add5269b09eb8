//! The columns of every table a pipeline writes: for each table its path under the output
//! folder, its section of docs/TABLES.md, and per column the name, type, unit, whether it may be
//! null, and what it means. Column names live once, in [`col`]; the stages take them from there.
//! Tests check the written tables and docs/TABLES.md against these lists.
//!
//! The tables by stage: `clean` (clean tables, rejected rows, the panel), `indicators`, `models`,
//! `flags`, and `real` (the tables of a run on real published data).

mod clean;
pub mod col;
mod flags;
mod indicators;
mod models;
mod real;

pub use clean::*;
pub use flags::*;
pub use indicators::*;
pub use models::*;
pub use real::*;

use polars::prelude::DataType;

/// The earliest year a table may hold.
pub const MIN_YEAR: i32 = 1990;
/// The latest year a table may hold.
pub const MAX_YEAR: i32 = 2060;

/// A column's type in the Parquet files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dtype {
    Str,
    I32,
    I64,
    F64,
    Bool,
}

impl Dtype {
    /// The polars type of the column.
    pub fn polars(self) -> DataType {
        match self {
            Dtype::Str => DataType::String,
            Dtype::I32 => DataType::Int32,
            Dtype::I64 => DataType::Int64,
            Dtype::F64 => DataType::Float64,
            Dtype::Bool => DataType::Boolean,
        }
    }
}

/// One column of a table.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub dtype: Dtype,
    /// Unit of a measure ("mvnd": million VND, "bvnd": billion VND, "log points", "share", …);
    /// empty for codes, text and flags.
    pub unit: &'static str,
    pub nullable: bool,
    pub meaning: &'static str,
}

/// One output table.
#[derive(Debug, Clone, Copy)]
pub struct TableSchema {
    /// Path under the output folder; `<source>` stands for a source's name.
    pub path: &'static str,
    /// The heading (or list item) of docs/TABLES.md that documents it.
    pub section: &'static str,
    pub columns: &'static [Column],
}

impl TableSchema {
    /// The column names, in table order.
    pub fn names(&self) -> Vec<&'static str> {
        self.columns.iter().map(|c| c.name).collect()
    }

    /// The column of this name.
    pub fn column(&self, name: &str) -> Option<&'static Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

const fn c(
    name: &'static str,
    dtype: Dtype,
    unit: &'static str,
    nullable: bool,
    meaning: &'static str,
) -> Column {
    Column {
        name,
        dtype,
        unit,
        nullable,
        meaning,
    }
}

const N: bool = true;
const R: bool = false;

/// Every table of a funding pipeline, in the order of docs/TABLES.md.
pub const TABLES: &[TableSchema] = &[
    FUNDING,
    OUTPUT,
    REJECTED,
    PANEL,
    SPENDING_BY_YEAR,
    GROWTH,
    GROWTH_CAGR,
    INTENSITY,
    ACHIEVEMENT,
    CONCENTRATION,
    NATIONAL,
    LORENZ,
    COEFFICIENTS,
    EVENT_STUDY,
    PROVINCE_EFFECTS,
    SECTOR_EFFECTS,
    FLAGS,
    CHANGES,
];

/// The tables a run without province spending writes besides `clean/output.parquet` and
/// `rejected/<source>.parquet` (`pipelines/real.toml`), in the order of docs/TABLES.md.
pub const REAL_TABLES: &[TableSchema] = &[
    PROVINCE_INDEX,
    PROGRAMME_BUDGET,
    PROGRAMME_TARGETS,
    SPENDING_FACTS,
    ACTIVITY_FACTS,
    PROGRAMME_REJECTED,
];

/// The canonical table of a source kind.
pub fn canonical(kind: super::vocab::SourceKind) -> &'static TableSchema {
    match kind {
        super::vocab::SourceKind::Funding => &FUNDING,
        super::vocab::SourceKind::Output => &OUTPUT,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of a table's section in docs/TABLES.md: from its heading to the next heading
    /// or list item.
    fn section<'a>(doc: &'a str, heading: &str) -> &'a str {
        let start = doc
            .find(heading)
            .unwrap_or_else(|| panic!("docs/TABLES.md has no section {heading}"));
        let body = &doc[start + heading.len()..];
        let end = body
            .find("\n## ")
            .into_iter()
            .chain(body.find("\n- `"))
            .min()
            .unwrap_or(body.len());
        &body[..end]
    }

    /// Every `name` in backticks of a section.
    fn quoted(text: &str) -> std::collections::BTreeSet<String> {
        text.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn docs_tables_documents_every_schema_column_and_no_other() {
        let doc = include_str!("../../../docs/TABLES.md");
        let mut by_section: std::collections::BTreeMap<&str, Vec<&TableSchema>> =
            Default::default();
        for t in TABLES.iter().chain(REAL_TABLES) {
            by_section.entry(t.section).or_default().push(t);
        }
        for (heading, tables) in by_section {
            let text = section(doc, heading);
            let documented = quoted(text);
            let mut names = std::collections::BTreeSet::new();
            for t in &tables {
                for col in t.columns {
                    names.insert(col.name.to_string());
                    // `spend_<activity>_mvnd` documents one column per activity.
                    let generic = col.name.starts_with("spend_")
                        && documented.contains("spend_<activity>_mvnd")
                        && crate::contract::vocab::Activity::NAMES
                            .iter()
                            .any(|a| col.name == format!("spend_{a}_mvnd"));
                    assert!(
                        generic || documented.contains(col.name),
                        "{}: column `{}` is not documented in {heading}",
                        t.path,
                        col.name
                    );
                }
            }
            // Every backticked word in the section that looks like a column is a column of one
            // of its tables (values, file names and formulas are not column-like).
            for word in &documented {
                let column_like = word
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
                    && word.contains('_');
                let allowed = NOT_COLUMNS.contains(&(heading, word.as_str()));
                if column_like && !names.contains(word) && !allowed {
                    panic!("{heading}: `{word}` is documented but no table of it has it");
                }
            }
        }
    }

    /// Backticked words in docs/TABLES.md sections that are values, keys or file names, not
    /// columns, by section.
    const NOT_COLUMNS: &[(&str, &str)] = &[
        ("- `indicators/province_index.parquet`", "employment_index"),
        (
            "- `indicators/programme_rejected.parquet`",
            "spending_facts",
        ),
        (
            "- `indicators/programme_rejected.parquet`",
            "activity_facts",
        ),
        (
            "- `indicators/programme_rejected.parquet`",
            "employment_map",
        ),
        (
            "- `indicators/programme_rejected.parquet`",
            "national_budget",
        ),
        (
            "- `indicators/programme_rejected.parquet`",
            "targets_results",
        ),
    ];

    #[test]
    fn column_names_are_unique_per_table() {
        for t in TABLES.iter().chain(REAL_TABLES) {
            let mut seen = std::collections::BTreeSet::new();
            for col in t.columns {
                assert!(seen.insert(col.name), "{}: {} twice", t.path, col.name);
            }
        }
    }
}
