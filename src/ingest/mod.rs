//! Ingest: one CSV / XLSX / Parquet source in, a typed canonical long table (docs/TABLES.md) and
//! a table of the rows that could not be read out.
//!
//! Clean long files whose headers are already the canonical column names go straight through
//! polars' CSV/Parquet readers (the fast path, `fast`). Everything else — yearbook tables with
//! years as columns, the statistics office's tables with stacked headers, ministry project lists
//! with title, group-header and total rows, Vietnamese number formats, province names in any
//! spelling — is read cell by cell: [`read`] and [`workbook`] turn bytes into a grid within
//! bounded sizes, `cells` finds the header (with [`layout`] for one header row and [`stacked`]
//! for a header band) and what each column means, `long` and `wide` read the rows,
//! [`number`] reads values, [`places`] classifies activities and sources (place names: [`crate::reference`]), and
//! `records` puts each place on its map and builds the table. [`keys`] holds the source keys
//! as `ingest` flags.
//!
//! Accounting: every input record ends in exactly one of the clean table, the rejected table or
//! the skipped count, so `rows_in == clean + rejected + skipped`. A record is one line of a long
//! table, or one province × year cell of a wide table (a line whose label cannot be resolved
//! counts once). Title, header, group-header, total, note, continuation and region/country lines
//! count once as skipped; missing cells ("..", empty, and "-" for an index) and preliminary cells
//! superseded by a final value of the same year are skipped too. Blank lines are not records.
//!
//! Boundary: the spec's map for every row, else each row's map at its date (the 34 units for
//! annual data of 2025 and later, the 63 provinces before).

mod cells;
mod fast;
pub mod keys;
pub mod layout;
mod long;
pub mod number;
pub mod places;
pub mod read;
mod records;
pub mod stacked;
mod wide;
pub mod workbook;

use cells::*;
use fast::*;
use long::*;
use records::*;
use wide::*;

use crate::contract::schema::col;
use crate::error::{Error, PolarsContext, Result};
use crate::reference::{Boundary, Place, Reference};
use layout::Role;
use number::{NumFormat, Votes};
use polars::prelude::*;
use read::{Cell, Row};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// What a source holds (defined with the other vocabularies).
pub use crate::contract::vocab::SourceKind as Kind;

/// One source of a pipeline (or of `khuyencong ingest`).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSpec {
    pub kind: Kind,
    pub path: PathBuf,
    #[serde(default)]
    pub sheet: Option<String>,
    /// Names `rejected/<name>.parquet`; default: the file stem.
    #[serde(default)]
    pub name: Option<String>,
    /// Header (as in the file) → canonical column (`amount_mvnd`, `province`, `ignore`, …).
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// Money unit of the amounts/output when the file does not say ("triệu đồng", "tỷ đồng",
    /// "million", "billion"); overrides what headers say.
    #[serde(default)]
    pub units: Option<String>,
    /// Funding source when the file has no source column: national | local | other.
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub boundary: Option<Boundary>,
    /// 1-based row number of the header, when detection picks the wrong one.
    #[serde(default)]
    pub header_row: Option<usize>,
    /// The rows a stacked header spans, 1-based and inclusive ("5-7"), when detection cannot
    /// find it.
    #[serde(default)]
    pub header_rows: Option<String>,
    /// The year of every row, for a table with no year column and no year in its header or
    /// title (or one that states it wrongly).
    #[serde(default)]
    pub year: Option<i32>,
    /// "long" or "wide".
    #[serde(default)]
    pub layout: Option<String>,
    /// What the values of a wide table (or the one unplaced column of numbers of a long table)
    /// measure: output_bvnd | iip | employment | employment_index | establishments | amount_mvnd.
    #[serde(default)]
    pub measure: Option<String>,
}

impl SourceSpec {
    pub fn new(kind: Kind, path: impl Into<PathBuf>) -> Self {
        SourceSpec {
            kind,
            path: path.into(),
            sheet: None,
            name: None,
            columns: BTreeMap::new(),
            units: None,
            source: None,
            boundary: None,
            header_row: None,
            header_rows: None,
            year: None,
            layout: None,
            measure: None,
        }
    }

    /// The name of this source's rejected table.
    pub fn display_name(&self) -> String {
        self.name.clone().unwrap_or_else(|| {
            self.path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "source".into())
        })
    }
}

/// A total row's value, checked against the sum of the clean rows after validation.
#[derive(Debug, Clone, PartialEq)]
pub struct TotalCheck {
    pub line: usize,
    /// Canonical column the total is of.
    pub column: String,
    pub expected: f64,
}

pub struct Ingested {
    pub spec: SourceSpec,
    pub table: DataFrame,
    pub rejected: DataFrame,
    pub rows_in: usize,
    pub skipped: usize,
    pub boundary: Boundary,
    pub notes: Vec<String>,
    /// Totals found in the file ("TỔNG CỘNG"), for the validation stage to compare.
    pub checks: Vec<TotalCheck>,
    /// Canonical column → its header in the source file, so rejected rows name the column a
    /// person sees.
    pub headers: BTreeMap<String, String>,
}

impl Ingested {
    /// The hand-off from the ingest stage to the validate stage: the staging tables and the
    /// ingest stage's record of the file (row accounting, map, notes, totals, headers).
    pub fn from_record(
        spec: SourceSpec,
        table: DataFrame,
        rejected: DataFrame,
        record: &crate::contract::manifest::IngestRecord,
    ) -> Ingested {
        Ingested {
            spec,
            table,
            rejected,
            rows_in: record.rows_in,
            skipped: record.skipped,
            boundary: record.boundary,
            notes: record.notes.clone(),
            checks: record
                .checks
                .iter()
                .map(|c| TotalCheck {
                    line: c.line,
                    column: c.column.clone(),
                    expected: c.expected.unwrap_or(f64::NAN),
                })
                .collect(),
            headers: record.headers.clone(),
        }
    }
}

/// Canonical columns of each kind, in table order (`contract::schema`).
pub fn canonical_columns(kind: Kind) -> &'static [&'static str] {
    use std::sync::LazyLock;
    static FUNDING: LazyLock<Vec<&str>> =
        LazyLock::new(|| crate::contract::schema::FUNDING.names());
    static OUTPUT: LazyLock<Vec<&str>> = LazyLock::new(|| crate::contract::schema::OUTPUT.names());
    match kind {
        Kind::Funding => &FUNDING,
        Kind::Output => &OUTPUT,
    }
}

/// The measure columns (f64) of each kind, in table order.
pub fn numeric_columns(kind: Kind) -> &'static [&'static str] {
    use crate::contract::schema::{Dtype, TableSchema, canonical};
    use std::sync::LazyLock;
    fn measures(t: &TableSchema) -> Vec<&'static str> {
        t.columns
            .iter()
            .filter(|c| c.dtype == Dtype::F64)
            .map(|c| c.name)
            .collect()
    }
    static FUNDING: LazyLock<Vec<&str>> = LazyLock::new(|| measures(canonical(Kind::Funding)));
    static OUTPUT: LazyLock<Vec<&str>> = LazyLock::new(|| measures(canonical(Kind::Output)));
    match kind {
        Kind::Funding => &FUNDING,
        Kind::Output => &OUTPUT,
    }
}

fn numeric_slot(kind: Kind, role: Role) -> Option<usize> {
    let name = match role {
        Role::Amount => col::AMOUNT_MVND,
        Role::Planned => col::PLANNED_MVND,
        Role::TargetTrainees => col::TARGET_TRAINEES,
        Role::AchievedTrainees => col::ACHIEVED_TRAINEES,
        Role::TargetModels => col::TARGET_MODELS,
        Role::AchievedModels => col::ACHIEVED_MODELS,
        Role::Output => col::OUTPUT_BVND,
        Role::Iip => col::IIP,
        Role::Employment => col::EMPLOYMENT,
        Role::EmploymentIndex => col::EMPLOYMENT_INDEX,
        Role::Establishments => col::ESTABLISHMENTS,
        _ => return None,
    };
    numeric_columns(kind).iter().position(|c| *c == name)
}

/// Rejected rows being collected.
#[derive(Default)]
pub struct Rejects {
    pub rows: Vec<i64>,
    pub column: Vec<Option<String>>,
    pub raw: Vec<Option<String>>,
    pub reason: Vec<String>,
}

impl Rejects {
    pub fn push(&mut self, row: usize, column: Option<&str>, raw: Option<String>, reason: String) {
        self.rows.push(row as i64);
        self.column.push(column.map(crate::text::clean));
        self.raw.push(raw.map(|r| crate::text::clean(&r)));
        self.reason.push(reason);
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn into_frame(self, source_file: &str) -> Result<DataFrame> {
        let n = self.rows.len();
        DataFrame::new(
            n,
            vec![
                Column::new("source_file".into(), vec![source_file; n]),
                Column::new("source_row".into(), self.rows),
                Column::new("column".into(), self.column),
                Column::new("raw_value".into(), self.raw),
                Column::new("reason".into(), self.reason),
            ],
        )
        .ctx(|| "cannot build the rejected table".into())
    }
}

/// An empty rejected table with the canonical schema.
pub fn empty_rejected() -> DataFrame {
    Rejects::default()
        .into_frame("")
        .unwrap_or_else(|_| DataFrame::empty())
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Reads one source into the canonical table. A file that cannot be read at all is
/// `Error::Data` naming it; rows that cannot be read go to `rejected`.
pub fn ingest_file(spec: &SourceSpec) -> Result<Ingested> {
    let path = spec.path.as_path();
    // A clean canonical CSV is parsed by polars straight from the memory-mapped file: reading
    // the whole file into a buffer first costs a third of a gigabyte for 5 million rows and
    // ~0.4 s of copying and page faults (5M rows: read phase 2.0 s -> 1.4 s).
    let head = read_head(path)?;
    if read::sniff(path, &head)? == read::FileFormat::Text
        && !head.starts_with(&[0xEF, 0xBB, 0xBF])
        && let Some(done) = streamed_csv(spec, &head)?
    {
        check_accounting(&done)?;
        return Ok(done);
    }
    let bytes = std::fs::read(path)
        .map_err(|e| Error::data(path, None, format!("cannot read the file: {e}")))?;
    let format = read::sniff(path, &bytes)?;
    let ingested = match format {
        read::FileFormat::Text => {
            let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(&bytes);
            if let Some(done) = fast_csv(spec, body)? {
                return Ok(done);
            }
            let (text, encoding) = read::decode_text(path, &bytes)?;
            let delim = read::detect_delimiter(&text);
            let rows = read::parse_delimited(&text, delim);
            workbook::check_grid(path, &rows)?;
            let notes = vec![format!(
                "read as {encoding} text, delimiter '{}'",
                (delim as char).escape_default()
            )];
            from_rows(spec, rows, notes)?
        }
        read::FileFormat::Workbook => {
            let sheet = spec.sheet.as_deref();
            let (rows, sheet) =
                guard(path, "workbook", || read::read_workbook(path, bytes, sheet))?;
            from_rows(spec, rows, vec![format!("read sheet \"{sheet}\"")])?
        }
        read::FileFormat::Parquet => {
            let df = guard(path, "Parquet file", || {
                ParquetReader::new(std::io::Cursor::new(bytes))
                    .finish()
                    .map_err(|e| Error::data(path, None, format!("cannot read as Parquet: {e}")))
            })?;
            from_parquet(spec, df)?
        }
    };
    check_accounting(&ingested)?;
    Ok(ingested)
}

/// Runs a third-party parser on untrusted bytes; a panic inside it (a damaged file the parser
/// did not anticipate) becomes the same data error as any other unreadable file.
fn guard<T>(path: &Path, what: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|_| {
        Err(Error::data(
            path,
            None,
            format!("the {what} is damaged or truncated and cannot be read"),
        ))
    })
}

fn check_accounting(i: &Ingested) -> Result<()> {
    let total = i.table.height() + i.rejected.height() + i.skipped;
    if total != i.rows_in {
        return Err(Error::Other(format!(
            "{}: row accounting broken: {} rows in but {} clean + {} rejected + {} skipped",
            i.spec.path.display(),
            i.rows_in,
            i.table.height(),
            i.rejected.height(),
            i.skipped
        )));
    }
    Ok(())
}
