//! Ingest: one CSV / XLSX / Parquet source in, a typed canonical long table (docs/TABLES.md) and
//! a table of the rows that could not be read out.
//!
//! Clean long files whose headers are already the canonical column names go straight through
//! polars' CSV/Parquet readers (the fast path). Everything else — yearbook tables with years
//! as columns, ministry project lists with title, group-header and total rows, Vietnamese number
//! formats, province names in any spelling — is read cell by cell: [`read`] turns bytes into a
//! grid, [`layout`] finds the header and the meaning of each column, [`number`] reads values,
//! [`places`] resolves names and classifies activities.
//!
//! Accounting: every input record ends in exactly one of the clean table, the rejected table or
//! the skipped count, so `rows_in == clean + rejected + skipped`. A record is one line of a long
//! table, or one province × year cell of a wide table (a line whose label cannot be resolved
//! counts once). Title, header, group-header, total, note and region/country lines count once as
//! skipped; missing cells ("..", "-", empty) and preliminary cells superseded by a final value
//! of the same year are skipped too. Blank lines are not records.
//!
//! Boundary: the spec's, else "2025" when every place is one of the 34 new units and every year
//! is 2026 or later, else "2008".

pub mod layout;
pub mod number;
pub mod places;
pub mod read;

use crate::error::{Error, PolarsContext, Result};
use crate::reference::{Boundary, Reference};
use layout::Role;
use number::{NumFormat, Votes};
use polars::prelude::*;
use read::{Cell, Row};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Funding,
    Output,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Funding => "funding",
            Kind::Output => "output",
        }
    }
}

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
    /// "long" or "wide".
    #[serde(default)]
    pub layout: Option<String>,
    /// What the values of a wide table measure: output_bvnd | iip | employment |
    /// establishments | amount_mvnd.
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

/// Canonical columns of each kind, in table order (docs/TABLES.md).
pub fn canonical_columns(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Funding => &[
            "year",
            "province_code",
            "sector_code",
            "activity",
            "source",
            "amount_mvnd",
            "planned_mvnd",
            "project_id",
            "beneficiary",
            "target_trainees",
            "achieved_trainees",
            "target_models",
            "achieved_models",
            "boundary",
            "source_file",
            "source_row",
        ],
        Kind::Output => &[
            "year",
            "province_code",
            "sector_code",
            "output_bvnd",
            "iip",
            "employment",
            "establishments",
            "boundary",
            "source_file",
            "source_row",
        ],
    }
}

/// Numeric measure columns of each kind, in the order records hold them.
pub fn numeric_columns(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Funding => &[
            "amount_mvnd",
            "planned_mvnd",
            "target_trainees",
            "achieved_trainees",
            "target_models",
            "achieved_models",
        ],
        Kind::Output => &["output_bvnd", "iip", "employment", "establishments"],
    }
}

fn numeric_slot(kind: Kind, role: Role) -> Option<usize> {
    let name = match role {
        Role::Amount => "amount_mvnd",
        Role::Planned => "planned_mvnd",
        Role::TargetTrainees => "target_trainees",
        Role::AchievedTrainees => "achieved_trainees",
        Role::TargetModels => "target_models",
        Role::AchievedModels => "achieved_models",
        Role::Output => "output_bvnd",
        Role::Iip => "iip",
        Role::Employment => "employment",
        Role::Establishments => "establishments",
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

// ---------------------------------------------------------------------------------------------
// Fast path: canonical long tables.

fn canonical_dtype(name: &str) -> DataType {
    match name {
        "year" => DataType::Int32,
        "province_code" | "sector_code" | "activity" | "source" | "project_id" | "beneficiary"
        | "boundary" | "source_file" => DataType::String,
        "source_row" => DataType::Int64,
        _ => DataType::Float64,
    }
}

/// The first 64 KiB of a file (all of a shorter one): enough to tell its format and header.
fn read_head(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let err = |e: std::io::Error| Error::data(path, None, format!("cannot read the file: {e}"));
    let file = std::fs::File::open(path).map_err(err)?;
    let mut head = Vec::with_capacity(1 << 16);
    file.take(1 << 16).read_to_end(&mut head).map_err(err)?;
    Ok(head)
}

/// [`fast_csv`] on the file itself (memory-mapped by polars). `None` when the header is not
/// canonical, the path is not UTF-8, or polars declines (the in-memory paths then run).
/// The streaming engine's CSV source (`LazyCsvReader` + `Engine::Streaming`) was measured too:
/// 1.85 s against 1.25 s for this reader on 5 million rows, in 600+ small chunks.
fn streamed_csv(spec: &SourceSpec, head: &[u8]) -> Result<Option<Ingested>> {
    let Some((delim, schema)) = canonical_header(spec, head, false) else {
        return Ok(None);
    };
    let Some(path) = spec.path.to_str() else {
        return Ok(None);
    };
    let t = std::time::Instant::now();
    let df = CsvReadOptions::default()
        .with_has_header(true)
        .with_schema_overwrite(Some(Arc::new(schema)))
        .map_parse_options(|o| o.with_separator(delim))
        .try_into_reader_with_file_path(Some(path.into()))
        .and_then(|r| r.finish());
    let df = match df {
        Ok(df) => df,
        Err(e) => {
            tracing::debug!(
                "streamed CSV path declined for {}: {e}",
                spec.path.display()
            );
            return Ok(None);
        }
    };
    tracing::debug!(
        "polars CSV parse (mapped file) {:.2} s, {} chunks",
        t.elapsed().as_secs_f64(),
        df.first_col_n_chunks()
    );
    canonical_csv(spec, df).map(Some)
}

/// The separator and column types of a header made only of canonical names.
/// `whole`: `body` is the entire file, so a header without a line end is complete; otherwise it
/// is only the file's first bytes and the header must end within them.
fn canonical_header(spec: &SourceSpec, body: &[u8], whole: bool) -> Option<(u8, Schema)> {
    if !spec.columns.is_empty()
        || spec.layout.as_deref() == Some("wide")
        || spec.header_row.is_some()
    {
        return None;
    }
    let head_end = match body.iter().position(|&b| b == b'\n') {
        Some(end) => end,
        None if whole => body.len(),
        None => return None,
    };
    let head = std::str::from_utf8(&body[..head_end]).ok()?;
    let head = head.trim_end_matches('\r');
    let delim = if head.contains(',') {
        b','
    } else if head.contains(';') {
        b';'
    } else if head.contains('\t') {
        b'\t'
    } else {
        return None;
    };
    let names: Vec<String> = head
        .split(delim as char)
        .map(|s| s.trim().trim_matches('"').to_string())
        .collect();
    if !names_are_canonical(&names, spec.kind) {
        return None;
    }
    let schema: Schema = names
        .iter()
        .map(|n| Field::new(n.as_str().into(), canonical_dtype(n)))
        .collect();
    Some((delim, schema))
}

/// Reads a UTF-8 CSV whose header is all canonical names with polars. `None` when the file is
/// not of that shape or polars cannot parse it (the cell-by-cell path then explains why).
fn fast_csv(spec: &SourceSpec, body: &[u8]) -> Result<Option<Ingested>> {
    let Some((delim, schema)) = canonical_header(spec, body, true) else {
        return Ok(None);
    };
    let reader = CsvReadOptions::default()
        .with_has_header(true)
        .with_schema_overwrite(Some(Arc::new(schema)))
        .map_parse_options(|o| o.with_separator(delim))
        .into_reader_with_file_handle(std::io::Cursor::new(body));
    let t = std::time::Instant::now();
    let df = match reader.finish() {
        Ok(df) => {
            tracing::debug!(
                "polars CSV parse {:.2} s, {} chunks",
                t.elapsed().as_secs_f64(),
                df.first_col_n_chunks()
            );
            df
        }
        Err(e) => {
            tracing::debug!("fast CSV path declined for {}: {e}", spec.path.display());
            return Ok(None);
        }
    };
    canonical_csv(spec, df).map(Some)
}

/// The canonical table of a CSV that polars read with its header on line 1.
fn canonical_csv(spec: &SourceSpec, df: DataFrame) -> Result<Ingested> {
    let rows_in = df.height() + 1;
    let mut notes = vec!["clean long CSV read by polars (canonical headers)".to_string()];
    let t = std::time::Instant::now();
    let table = finish_canonical(spec, df, 2, &mut notes)?;
    tracing::debug!("canonical columns {:.2} s", t.elapsed().as_secs_f64());
    Ok(Ingested {
        boundary: boundary_of(&table, spec.boundary),
        spec: spec.clone(),
        rows_in,
        skipped: 1,
        rejected: empty_rejected(),
        table,
        notes,
        checks: Vec::new(),
        headers: BTreeMap::new(),
    })
}

fn names_are_canonical(names: &[String], kind: Kind) -> bool {
    let set: HashSet<&str> = names.iter().map(String::as_str).collect();
    let has_measure = match kind {
        Kind::Funding => set.contains("amount_mvnd"),
        Kind::Output => numeric_columns(kind).iter().any(|c| set.contains(c)),
    };
    set.len() == names.len()
        && set.contains("year")
        && set.contains("province_code")
        && has_measure
        && names.iter().all(|n| {
            layout::is_canonical(n, kind)
                || matches!(n.as_str(), "boundary" | "source_file" | "source_row")
        })
}

fn from_parquet(spec: &SourceSpec, df: DataFrame) -> Result<Ingested> {
    let names: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    if spec.columns.is_empty() && names_are_canonical(&names, spec.kind) {
        let rows_in = df.height();
        let mut casts = Vec::new();
        for n in &names {
            casts.push(col(n.as_str()).cast(canonical_dtype(n)));
        }
        let df = df.lazy().select(casts).collect().map_err(|e| {
            Error::data(
                &spec.path,
                None,
                format!("column types do not fit the canonical table: {e}"),
            )
        })?;
        let mut notes = vec!["canonical Parquet table".to_string()];
        let table = finish_canonical(spec, df, 1, &mut notes)?;
        return Ok(Ingested {
            boundary: boundary_of(&table, spec.boundary),
            spec: spec.clone(),
            rows_in,
            skipped: 0,
            rejected: empty_rejected(),
            table,
            notes,
            checks: Vec::new(),
            headers: BTreeMap::new(),
        });
    }
    // Any other table: turn it into a grid (header on line 1) and read it like a sheet.
    let mut rows = vec![Row {
        line: 1,
        cells: names.iter().map(|n| Cell::Text(n.clone())).collect(),
    }];
    let height = df.height();
    let mut cols: Vec<Vec<Cell>> = Vec::new();
    for c in df.columns() {
        let s = c.as_materialized_series();
        let cells: Vec<Cell> = if s.dtype().is_primitive_numeric() {
            let f = s.cast(&DataType::Float64).ctx(|| "cast".into())?;
            f.f64()
                .ctx(|| "cast".into())?
                .iter()
                .map(|v| v.map(Cell::Num).unwrap_or(Cell::Empty))
                .collect()
        } else {
            let t = s.cast(&DataType::String).ctx(|| "cast".into())?;
            t.str()
                .ctx(|| "cast".into())?
                .iter()
                .map(|v| v.map(|x| Cell::Text(x.to_string())).unwrap_or(Cell::Empty))
                .collect()
        };
        cols.push(cells);
    }
    for i in 0..height {
        let row = Row {
            line: i + 2,
            cells: cols.iter().map(|c| c[i].clone()).collect(),
        };
        if !row.is_blank() {
            rows.push(row);
        }
    }
    from_rows(
        spec,
        rows,
        vec!["Parquet table with non-canonical columns".into()],
    )
}

/// Completes a table read with canonical names: missing columns as nulls, codes zero-padded,
/// activity and source in their canonical vocabulary, boundary/source_file/source_row added.
fn finish_canonical(
    spec: &SourceSpec,
    mut df: DataFrame,
    first_row: i64,
    notes: &mut Vec<String>,
) -> Result<DataFrame> {
    let n = df.height();
    let kind = spec.kind;
    let ctx = || format!("cannot normalise {}", spec.path.display());
    for code_col in ["province_code", "sector_code"] {
        if let Ok(c) = df.column(code_col) {
            let ca = c.str().ctx(ctx)?;
            if ca.iter().flatten().any(|s| s.len() == 1) {
                let padded: StringChunked = ca
                    .iter()
                    .map(|v| {
                        v.map(|s| {
                            if s.len() == 1 {
                                format!("0{s}")
                            } else {
                                s.to_string()
                            }
                        })
                    })
                    .collect();
                df.with_column(padded.with_name(code_col.into()).into_column())
                    .ctx(ctx)?;
                notes.push(format!("{code_col}: one-digit codes padded to two digits"));
            }
        }
    }
    if kind == Kind::Funding {
        if let Ok(c) = df.column("activity") {
            let ca = c.str().ctx(ctx)?;
            if ca
                .iter()
                .any(|v| v.is_some_and(|s| !places::ACTIVITIES.contains(&s)))
            {
                let mapped: StringChunked = ca
                    .iter()
                    .map(|v| {
                        v.map(|s| {
                            if places::ACTIVITIES.contains(&s) {
                                s
                            } else {
                                places::classify_activity(s)
                            }
                        })
                    })
                    .collect();
                df.with_column(mapped.with_name("activity".into()).into_column())
                    .ctx(ctx)?;
                notes.push("activity: descriptions classified by data/activity_rules.csv".into());
            }
        }
        match df.column("source") {
            Ok(c) => {
                let ca = c.str().ctx(ctx)?;
                if ca
                    .iter()
                    .any(|v| v.is_some_and(|s| !matches!(s, "national" | "local" | "other")))
                {
                    let mapped: StringChunked = ca
                        .iter()
                        .map(|v| v.map(|s| places::classify_source(s).unwrap_or(s)))
                        .collect();
                    df.with_column(mapped.with_name("source".into()).into_column())
                        .ctx(ctx)?;
                }
            }
            Err(_) => {
                let default_source = default_source(spec, "", notes);
                df.with_column(Column::new("source".into(), vec![default_source; n]))
                    .ctx(ctx)?;
            }
        }
        if df.column("activity").is_err() {
            df.with_column(Column::new("activity".into(), vec!["other"; n]))
                .ctx(ctx)?;
            notes.push("no activity column: every row is \"other\"".into());
        }
        if df.column("project_id").is_err() {
            let stem = spec.display_name();
            let ids: Vec<String> = (0..n as i64)
                .map(|i| format!("{stem}:{}", i + first_row))
                .collect();
            df.with_column(Column::new("project_id".into(), ids))
                .ctx(ctx)?;
        }
    }
    let boundary = boundary_of(&df, spec.boundary);
    for name in canonical_columns(kind) {
        if df.column(name).is_ok() {
            continue;
        }
        let column = match *name {
            // Constant columns as scalars: no per-row strings for a table of millions. (Cut into
            // the reader's chunks as real columns instead, they cost 0.1 s more to build and
            // no less to write: 5M rows, canonical step 0.14 s against 0.25 s.)
            "boundary" => text_scalar("boundary", boundary.as_str(), n),
            "source_file" => text_scalar("source_file", &file_name(&spec.path), n),
            "source_row" => Column::new(
                "source_row".into(),
                (0..n as i64).map(|i| i + first_row).collect::<Vec<i64>>(),
            ),
            other => Column::full_null(other.into(), n, &canonical_dtype(other)),
        };
        df.with_column(column).ctx(ctx)?;
    }
    df.select(canonical_columns(kind).iter().copied()).ctx(ctx)
}

fn text_scalar(name: &str, value: &str, n: usize) -> Column {
    Column::new_scalar(
        name.into(),
        Scalar::new(DataType::String, AnyValue::StringOwned(value.into())),
        n,
    )
}

fn default_source(spec: &SourceSpec, header_text: &str, notes: &mut Vec<String>) -> &'static str {
    if let Some(s) = spec.source.as_deref().and_then(places::classify_source) {
        return s;
    }
    let w = places::tokens(header_text);
    if w.iter().any(|t| t == "kcqg") {
        notes.push("source: national (amount header names KCQG)".into());
        "national"
    } else if w.iter().any(|t| t == "kcdp") {
        notes.push("source: local (amount header names KCĐP)".into());
        "local"
    } else {
        notes.push("source: no source column or setting; rows marked \"other\" (set `source` in the pipeline)".into());
        "other"
    }
}

/// The boundary of a canonical table: the spec's, else 2025 when every year is ≥ 2026 and every
/// code is a code of the 34-unit map.
fn boundary_of(df: &DataFrame, forced: Option<Boundary>) -> Boundary {
    if let Some(b) = forced {
        return b;
    }
    // A table written by this program carries its map.
    if let Some(b) = df.column("boundary").ok().and_then(|c| {
        c.str()
            .ok()
            .and_then(|ca| ca.get(0).and_then(Boundary::parse))
    }) {
        return b;
    }
    let r = Reference::get();
    let min_year = df
        .column("year")
        .ok()
        .and_then(|c| c.i32().ok().and_then(|ca| ca.min()));
    if min_year.is_none_or(|y| y < 2026) {
        return Boundary::B2008;
    }
    let all_new = df
        .column("province_code")
        .ok()
        .and_then(|c| {
            c.str().ok().map(|ca| {
                ca.iter()
                    .all(|v| v.is_some_and(|s| r.unit_2025(s).is_some()))
            })
        })
        .unwrap_or(false);
    if all_new {
        Boundary::B2025
    } else {
        Boundary::B2008
    }
}

// ---------------------------------------------------------------------------------------------
// Cell-by-cell path.

enum PlaceRef {
    Code(String),
    Hit {
        label: String,
        old: Option<String>,
        new: Option<String>,
    },
}

struct Rec {
    line: usize,
    year: i32,
    place: PlaceRef,
    place_column: String,
    sector: Option<String>,
    activity: Option<&'static str>,
    source: Option<&'static str>,
    project_id: Option<String>,
    beneficiary: Option<String>,
    nums: [Option<f64>; 6],
}

struct ColInfo {
    index: usize,
    header: String,
    role: Role,
    format: NumFormat,
    /// Multiplier to the canonical unit.
    factor: f64,
}

fn vietnamese(text: &str) -> bool {
    text.chars().any(|c| !c.is_ascii() && c.is_alphabetic())
}

fn cell_year(cell: &Cell) -> Option<i32> {
    match cell {
        Cell::Num(v) if v.fract() == 0.0 && (1900.0..=2200.0).contains(v) => Some(*v as i32),
        Cell::Text(s) => number::parse_year_label(s).map(|(y, _)| y),
        _ => None,
    }
}

fn is_roman(s: &str) -> bool {
    let t = s.trim().trim_end_matches('.');
    !t.is_empty() && t.len() <= 6 && t.chars().all(|c| "IVXLC".contains(c))
}

fn is_total_label(s: &str) -> bool {
    let f = crate::text::fold(s);
    matches!(
        f.as_str(),
        "tongcong" | "tongso" | "total" | "grandtotal" | "cong" | "tong"
    ) || f.starts_with("tongcong")
        || f.starts_with("grandtotal")
}

fn normalise_code(cell: &Cell) -> Option<String> {
    let t = cell.text();
    let t = t.trim();
    if t.is_empty() {
        return None;
    }
    if t.len() == 1 && t.chars().all(|c| c.is_ascii_digit()) {
        return Some(format!("0{t}"));
    }
    Some(t.to_string())
}

fn from_rows(spec: &SourceSpec, rows: Vec<Row>, mut notes: Vec<String>) -> Result<Ingested> {
    let path = &spec.path;
    let kind = spec.kind;
    let override_keys: Vec<String> = spec.columns.keys().cloned().collect();
    let header = layout::find_header(&rows, kind, spec.header_row, &override_keys).ok_or_else(|| {
        Error::data(
            path,
            None,
            format!(
                "no header row found in the first 40 rows (expected {} headers such as \"Năm\", \"Tỉnh\"/\"Địa điểm\", \"Kinh phí\", or years as columns); set header_row or columns for this source",
                kind.as_str()
            ),
        )
    })?;
    // A two-row header or a column-numbering row under it joins the header.
    let mut merged_header = rows[header.index].clone();
    let mut extra = 0;
    while header.years.is_empty() && extra < 2 {
        let Some(next) = rows.get(header.index + 1 + extra) else {
            break;
        };
        match layout::continues_header(next) {
            None => break,
            Some(layout::Continuation::Numbering) => {}
            Some(layout::Continuation::Words) => {
                let width = merged_header.cells.len().max(next.cells.len());
                merged_header.cells.resize(width, Cell::Empty);
                for (i, cell) in merged_header.cells.iter_mut().enumerate() {
                    let below = next.get(i).text();
                    let top = cell.text();
                    if !below.trim().is_empty() && below.trim() != top.trim() {
                        *cell = Cell::Text(
                            format!("{} {}", top.trim(), below.trim())
                                .trim()
                                .to_string(),
                        );
                    }
                }
            }
        }
        extra += 1;
    }
    if extra > 0 {
        notes.push(format!("header continues over {} more row(s)", extra));
    }
    let hrow = &merged_header;
    let title_text: String = rows[..header.index]
        .iter()
        .flat_map(|r| r.cells.iter().map(Cell::text))
        .collect::<Vec<_>>()
        .join(" ");
    let year_cols: HashSet<usize> = header.years.iter().map(|(i, _, _)| *i).collect();
    let wide = match spec.layout.as_deref() {
        Some("wide") => true,
        Some("long") => false,
        Some(other) => {
            return Err(Error::config(
                path,
                format!("layout = \"{other}\" is not one of long, wide"),
            ));
        }
        None => header.years.len() >= 2,
    };
    // Column roles: overrides first, then headers. One column per role, the first wins.
    let mut cols: Vec<ColInfo> = Vec::new();
    let mut taken: HashSet<Role> = HashSet::new();
    for (i, cell) in hrow.cells.iter().enumerate() {
        if wide && year_cols.contains(&i) {
            continue;
        }
        let h = cell.text();
        let over = spec
            .columns
            .iter()
            .find(|(k, _)| crate::text::fold(k) == crate::text::fold(&h));
        let role = match over {
            Some((_, canon)) => Some(Role::from_canonical(canon).ok_or_else(|| {
                Error::config(
                    path,
                    format!("columns: \"{canon}\" is not a canonical column name"),
                )
            })?),
            None => layout::role_of_header(&h, kind),
        };
        if let Some(role) = role {
            if role == Role::Ignore || !role.fits(kind) {
                continue;
            }
            if !taken.insert(role) {
                notes.push(format!(
                    "column \"{h}\" ignored: {role:?} already taken by an earlier column"
                ));
                continue;
            }
            cols.push(ColInfo {
                index: i,
                header: crate::text::clean(&h),
                role,
                format: NumFormat::Vi,
                factor: 1.0,
            });
        }
    }
    let header_vi = vietnamese(&hrow.cells.iter().map(Cell::text).collect::<String>());
    let data = &rows[header.index + 1 + extra..];
    // Number conventions: per column from its unambiguous values, then the file's.
    let mut file_votes = Votes::default();
    let mut col_votes: Vec<Votes> = Vec::new();
    let numeric_idx: Vec<usize> = if wide {
        header.years.iter().map(|(i, _, _)| *i).collect()
    } else {
        cols.iter()
            .filter(|c| c.role.is_numeric())
            .map(|c| c.index)
            .collect()
    };
    for &i in &numeric_idx {
        let mut v = Votes::default();
        for r in data {
            if let Cell::Text(s) = r.get(i) {
                v.add(s);
            }
        }
        file_votes.merge(v);
        col_votes.push(v);
    }
    let wide_format = number::decide_format(Votes::default(), file_votes, header_vi);
    for c in cols.iter_mut() {
        if let Some(k) = numeric_idx.iter().position(|&i| i == c.index) {
            c.format = number::decide_format(col_votes[k], file_votes, header_vi);
        }
    }
    if numeric_idx
        .iter()
        .any(|&i| data.iter().any(|r| matches!(r.get(i), Cell::Text(_))))
    {
        notes.push(format!(
            "numbers stored as text read with {} separators (votes: {} Vietnamese, {} English)",
            match wide_format {
                NumFormat::Vi => "Vietnamese \"1.234,5\"",
                NumFormat::En => "English \"1,234.5\"",
            },
            file_votes.vi,
            file_votes.en
        ));
    }
    // Units of money columns: the spec, else the column header, else the title, else canonical.
    let canonical_exp = |role: Role| if role == Role::Output { 9 } else { 6 };
    let spec_exp = match spec.units.as_deref() {
        Some(u) => Some(layout::unit_exponent(u).ok_or_else(|| {
            Error::config(
                path,
                format!(
                    "units = \"{u}\" is not a money unit (triệu đồng, tỷ đồng, million, billion)"
                ),
            )
        })?),
        None => None,
    };
    let mut unit_for = |role: Role, header: &str, notes: &mut Vec<String>| -> f64 {
        let exp = spec_exp
            .or_else(|| layout::unit_exponent(header))
            .or_else(|| layout::unit_exponent(&title_text));
        let target = canonical_exp(role);
        match exp {
            Some(e) => 10f64.powi(e - target),
            None => {
                notes.push(format!(
                    "\"{header}\": no unit in the header, title or pipeline; read as {} (set `units` to override)",
                    if target == 9 { "billion VND" } else { "million VND" }
                ));
                1.0
            }
        }
    };
    for c in cols.iter_mut() {
        if c.role.is_money() {
            c.factor = unit_for(c.role, &c.header.clone(), &mut notes);
        }
    }
    let mut rejects = Rejects::default();
    let mut recs: Vec<Rec> = Vec::new();
    let mut skipped = header.index + 1 + extra;
    let mut checks = Vec::new();
    if wide {
        let mut ctx = WideCtx {
            spec,
            header: &header,
            hrow,
            cols: &cols,
            format: wide_format,
            title_text: &title_text,
            notes: &mut notes,
            unit_for: &mut unit_for,
        };
        wide_rows(&mut ctx, data, &mut recs, &mut rejects, &mut skipped)?;
    } else {
        let amount_header = cols
            .iter()
            .find(|c| c.role == Role::Amount)
            .map(|c| c.header.clone())
            .unwrap_or_default();
        let src = if kind == Kind::Funding && !taken.contains(&Role::Source) {
            Some(default_source(
                spec,
                &format!("{amount_header} {title_text}"),
                &mut notes,
            ))
        } else {
            None
        };
        long_rows(
            spec,
            &cols,
            hrow,
            data,
            src,
            &mut recs,
            &mut rejects,
            &mut skipped,
            &mut checks,
            &mut notes,
        )?;
    }
    let headers: BTreeMap<String, String> = cols
        .iter()
        .filter_map(|c| {
            c.role
                .canonical()
                .map(|n| (n.to_string(), c.header.clone()))
        })
        .collect();
    let rows_in = recs.len() + rejects.len() + skipped;
    let (boundary, table) = build_table(spec, recs, &mut rejects, &mut notes)?;
    let rejected = rejects.into_frame(&file_name(path))?;
    Ok(Ingested {
        spec: spec.clone(),
        table,
        rejected,
        rows_in,
        skipped,
        boundary,
        notes,
        checks,
        headers,
    })
}

struct WideCtx<'a, F: FnMut(Role, &str, &mut Vec<String>) -> f64> {
    spec: &'a SourceSpec,
    header: &'a layout::Header,
    hrow: &'a Row,
    cols: &'a [ColInfo],
    format: NumFormat,
    title_text: &'a str,
    notes: &'a mut Vec<String>,
    unit_for: &'a mut F,
}

fn wide_rows<F: FnMut(Role, &str, &mut Vec<String>) -> f64>(
    ctx: &mut WideCtx<'_, F>,
    data: &[Row],
    recs: &mut Vec<Rec>,
    rejects: &mut Rejects,
    skipped: &mut usize,
) -> Result<()> {
    let spec = ctx.spec;
    let path = &spec.path;
    let year_cols: HashSet<usize> = ctx.header.years.iter().map(|(i, _, _)| *i).collect();
    // The label column: a province column by header, else the non-year column whose values
    // resolve most often.
    let label_col = ctx
        .cols
        .iter()
        .find(|c| matches!(c.role, Role::Province | Role::ProvinceCode))
        .map(|c| c.index)
        .or_else(|| {
            let width = ctx
                .hrow
                .cells
                .len()
                .max(data.iter().map(|r| r.cells.len()).max().unwrap_or(0));
            (0..width)
                .filter(|i| !year_cols.contains(i))
                .map(|i| {
                    let hits = data
                        .iter()
                        .filter(|r| {
                            !matches!(places::resolve(&r.get(i).text()), places::Place::Unknown)
                        })
                        .count();
                    (hits, std::cmp::Reverse(i))
                })
                .max()
                .filter(|(hits, _)| *hits > 0)
                .map(|(_, std::cmp::Reverse(i))| i)
        })
        .ok_or_else(|| {
            Error::data(
                path,
                None,
                "wide table: no column of province names found; name it with `columns`",
            )
        })?;
    let label_is_code = ctx
        .cols
        .iter()
        .any(|c| c.index == label_col && c.role == Role::ProvinceCode);
    let sector_col = ctx
        .cols
        .iter()
        .find(|c| c.role == Role::Sector)
        .map(|c| c.index);
    let label_header = ctx.hrow.get(label_col).text();
    let measure = match ctx.spec.measure.as_deref() {
        Some(m) => layout::measure_from_name(m)
            .ok_or_else(|| Error::config(path, format!("measure = \"{m}\" is not one of output_bvnd, iip, employment, establishments, amount_mvnd")))?,
        None => match spec.kind {
            Kind::Funding => Role::Amount,
            Kind::Output => layout::measure_of(&format!("{} {label_header}", ctx.title_text))
                .ok_or_else(|| Error::data(path, None, "wide table: cannot tell what the values measure from the title or header (index, tỷ đồng, lao động, cơ sở…); set `measure` for this source"))?,
        },
    };
    if !measure.fits(spec.kind) {
        return Err(Error::config(
            path,
            format!(
                "measure {measure:?} does not fit a {} source",
                spec.kind.as_str()
            ),
        ));
    }
    let slot = numeric_slot(spec.kind, measure).unwrap_or(0);
    let factor = if measure.is_money() {
        (ctx.unit_for)(
            measure,
            &format!("{} {label_header}", ctx.title_text),
            ctx.notes,
        )
    } else {
        1.0
    };
    // Keep the final value of a year where a preliminary column also exists.
    let finals: HashSet<i32> = ctx
        .header
        .years
        .iter()
        .filter(|y| !y.2)
        .map(|y| y.1)
        .collect();
    let mut used: Vec<(usize, i32)> = Vec::new();
    let mut superseded = 0usize;
    let mut seen: HashSet<i32> = HashSet::new();
    for &(i, y, prel) in &ctx.header.years {
        if (prel && finals.contains(&y)) || !seen.insert(y) {
            superseded += 1;
            continue;
        }
        used.push((i, y));
    }
    ctx.notes.push(format!(
        "wide layout: {} year columns ({}–{}), values read as {}{}",
        used.len(),
        used.iter().map(|u| u.1).min().unwrap_or(0),
        used.iter().map(|u| u.1).max().unwrap_or(0),
        numeric_columns(spec.kind)[slot],
        if superseded > 0 {
            format!("; {superseded} preliminary/duplicate year columns superseded by final values")
        } else {
            String::new()
        }
    ));
    let source = if spec.kind == Kind::Funding {
        Some(default_source(spec, ctx.title_text, ctx.notes))
    } else {
        None
    };
    let mut aggregates = 0usize;
    let mut missing = 0usize;
    for row in data {
        let label_cell = row.get(label_col);
        let label = label_cell.text();
        let values_present = used
            .iter()
            .any(|(i, _)| !number::is_missing_mark(&row.get(*i).text()));
        if label.trim().is_empty() {
            if values_present {
                rejects.push(
                    row.line,
                    Some(&label_header),
                    None,
                    "no place label on a row with values".into(),
                );
            } else {
                *skipped += 1;
            }
            continue;
        }
        let place = if label_is_code {
            PlaceRef::Code(normalise_code(label_cell).unwrap_or_default())
        } else {
            match places::resolve(&label) {
                places::Place::Province { old, new } => PlaceRef::Hit {
                    label: crate::text::clean(&label),
                    old,
                    new,
                },
                places::Place::Aggregate => {
                    aggregates += 1;
                    *skipped += 1;
                    continue;
                }
                places::Place::Unknown => {
                    if !values_present && row.cells.iter().filter(|c| !c.is_empty()).count() == 1 {
                        // A note or footnote line under the table.
                        *skipped += 1;
                    } else {
                        rejects.push(
                            row.line,
                            Some(&label_header),
                            Some(label.clone()),
                            places::unknown_reason(&label),
                        );
                    }
                    continue;
                }
            }
        };
        let sector = match sector_col.map(|i| row.get(i)) {
            None => None,
            Some(c) if c.is_empty() => None,
            Some(c) => match Reference::get().resolve_sector(&c.text()) {
                Some(s) => Some(s.code.clone()),
                None => {
                    rejects.push(
                        row.line,
                        Some("sector"),
                        Some(c.text()),
                        format!("unknown sector \"{}\"", c.text().trim()),
                    );
                    continue;
                }
            },
        };
        *skipped += superseded;
        for &(i, y) in &used {
            let cell = row.get(i);
            let value = match cell {
                Cell::Empty => None,
                Cell::Num(v) => Some(*v),
                Cell::Text(s) => match number::parse_number(s, ctx.format) {
                    Ok(v) => v,
                    Err(reason) => {
                        rejects.push(
                            row.line,
                            Some(&ctx.hrow.get(i).text()),
                            Some(s.clone()),
                            reason,
                        );
                        continue;
                    }
                },
            };
            let Some(value) = value else {
                missing += 1;
                *skipped += 1;
                continue;
            };
            let mut nums = [None; 6];
            nums[slot] = Some(value * factor);
            recs.push(Rec {
                line: row.line,
                year: y,
                place: match &place {
                    PlaceRef::Code(c) => PlaceRef::Code(c.clone()),
                    PlaceRef::Hit { label, old, new } => PlaceRef::Hit {
                        label: label.clone(),
                        old: old.clone(),
                        new: new.clone(),
                    },
                },
                place_column: label_header.clone(),
                sector: sector.clone(),
                activity: source.map(|_| "other"),
                source,
                project_id: None,
                beneficiary: None,
                nums,
            });
        }
    }
    if aggregates > 0 {
        ctx.notes.push(format!(
            "{aggregates} region/country/sub-header rows kept out of the province table (skipped)"
        ));
    }
    if missing > 0 {
        ctx.notes.push(format!(
            "{missing} missing cells (\"..\", \"-\", empty) skipped"
        ));
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn long_rows(
    spec: &SourceSpec,
    cols: &[ColInfo],
    hrow: &Row,
    data: &[Row],
    default_source: Option<&'static str>,
    recs: &mut Vec<Rec>,
    rejects: &mut Rejects,
    skipped: &mut usize,
    checks: &mut Vec<TotalCheck>,
    notes: &mut Vec<String>,
) -> Result<()> {
    let path = &spec.path;
    let kind = spec.kind;
    let find = |role: Role| cols.iter().find(|c| c.role == role);
    let place_col = find(Role::ProvinceCode).or_else(|| find(Role::Province));
    let place_col_index = match place_col {
        Some(c) => c.index,
        None => {
            // No header names the place: the text column whose values resolve most often.
            let width = data.iter().map(|r| r.cells.len()).max().unwrap_or(0);
            (0..width)
                .map(|i| {
                    let hits = data
                        .iter()
                        .filter(|r| matches!(places::resolve(&r.get(i).text()), places::Place::Province { .. }))
                        .count();
                    (hits, std::cmp::Reverse(i))
                })
                .max()
                .filter(|(h, _)| *h * 2 >= data.len().max(1))
                .map(|(_, std::cmp::Reverse(i))| i)
                .ok_or_else(|| Error::data(path, None, "no province column found (no header such as \"Tỉnh\", \"Địa điểm\", \"Province\", and no column of province names); name it with `columns`"))?
        }
    };
    let place_is_code = place_col.is_some_and(|c| c.role == Role::ProvinceCode);
    let place_header = hrow.get(place_col_index).text();
    if place_col.is_none() {
        notes.push(format!(
            "province column found by its values: \"{place_header}\""
        ));
    }
    let year_col = find(Role::Year);
    if kind == Kind::Funding && find(Role::Amount).is_none() {
        return Err(Error::data(
            path,
            None,
            "no amount column found (headers such as \"Kinh phí\", \"Amount\", \"amount_mvnd\"); name it with `columns`",
        ));
    }
    let label_cols: Vec<usize> = [Role::Stt, Role::Name, Role::ProjectId]
        .iter()
        .filter_map(|r| find(*r).map(|c| c.index))
        .chain(0..2)
        .collect();
    let header_texts: Vec<String> = hrow.cells.iter().map(Cell::text).collect();
    let mut group_year: Option<i32> = None;
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let stem = spec.display_name();
    'rows: for row in data {
        let texts: Vec<String> = row.cells.iter().map(Cell::text).collect();
        if texts == header_texts {
            *skipped += 1;
            *counts.entry("repeated header").or_default() += 1;
            continue;
        }
        // Total row: its amounts are kept to check the sum of valid rows.
        if label_cols
            .iter()
            .any(|&i| matches!(row.get(i), Cell::Text(s) if is_total_label(s)))
        {
            *skipped += 1;
            *counts.entry("total").or_default() += 1;
            for c in cols.iter().filter(|c| c.role.is_money()) {
                let v = match row.get(c.index) {
                    Cell::Num(v) => Some(*v),
                    Cell::Text(s) => number::parse_number(s, c.format).ok().flatten(),
                    Cell::Empty => None,
                };
                if let (Some(v), Some(slot)) = (v, numeric_slot(kind, c.role)) {
                    checks.push(TotalCheck {
                        line: row.line,
                        column: numeric_columns(kind)[slot].to_string(),
                        expected: v * c.factor,
                    });
                }
            }
            continue;
        }
        let place_cell = row.get(place_col_index);
        // Group-header rows: a Roman-numeral STT or a "Năm 2018" name with no place.
        let stt_roman = find(Role::Stt)
            .is_some_and(|c| matches!(row.get(c.index), Cell::Text(s) if is_roman(s)));
        let name_year = find(Role::Name).and_then(|c| match row.get(c.index) {
            Cell::Text(s) => number::parse_year_label(s).map(|(y, _)| y),
            _ => None,
        });
        if stt_roman || (name_year.is_some() && place_cell.is_empty()) {
            if let Some(y) = name_year {
                group_year = Some(y);
            }
            *skipped += 1;
            *counts.entry("group header").or_default() += 1;
            continue;
        }
        let filled = row.cells.iter().filter(|c| !c.is_empty()).count();
        if filled == 1
            && place_cell.is_empty()
            && matches!(
                row.cells.iter().find(|c| !c.is_empty()),
                Some(Cell::Text(_))
            )
        {
            *skipped += 1;
            *counts.entry("note").or_default() += 1;
            continue;
        }
        let place = if place_is_code {
            match normalise_code(place_cell) {
                Some(c) => PlaceRef::Code(c),
                None => {
                    rejects.push(
                        row.line,
                        Some(&place_header),
                        None,
                        "province missing".into(),
                    );
                    continue;
                }
            }
        } else {
            let label = place_cell.text();
            if label.trim().is_empty() {
                rejects.push(
                    row.line,
                    Some(&place_header),
                    None,
                    "province missing".into(),
                );
                continue;
            }
            match places::resolve(&label) {
                places::Place::Province { old, new } => PlaceRef::Hit {
                    label: crate::text::clean(&label),
                    old,
                    new,
                },
                places::Place::Aggregate => {
                    *skipped += 1;
                    *counts.entry("region/country aggregate").or_default() += 1;
                    continue;
                }
                places::Place::Unknown => {
                    rejects.push(
                        row.line,
                        Some(&place_header),
                        Some(label.clone()),
                        places::unknown_reason(&label),
                    );
                    continue;
                }
            }
        };
        let year = match year_col {
            Some(c) => {
                let cell = row.get(c.index);
                match cell_year(cell) {
                    Some(y) => y,
                    None if cell.is_empty() && group_year.is_some() => group_year.unwrap_or(0),
                    None => {
                        rejects.push(
                            row.line,
                            Some(&c.header),
                            Some(cell.text()),
                            format!("year not readable: \"{}\"", cell.text().trim()),
                        );
                        continue;
                    }
                }
            }
            None => match group_year {
                Some(y) => y,
                None => {
                    rejects.push(
                        row.line,
                        None,
                        None,
                        "no year (no year column and no \"Năm …\" group row above)".into(),
                    );
                    continue;
                }
            },
        };
        let mut nums = [None; 6];
        for c in cols.iter().filter(|c| c.role.is_numeric()) {
            let Some(slot) = numeric_slot(kind, c.role) else {
                continue;
            };
            let v = match row.get(c.index) {
                Cell::Empty => None,
                Cell::Num(v) => Some(*v),
                Cell::Text(s) => match number::parse_number(s, c.format) {
                    Ok(v) => v,
                    Err(reason) => {
                        rejects.push(row.line, Some(&c.header), Some(s.clone()), reason);
                        continue 'rows;
                    }
                },
            };
            nums[slot] = v.map(|v| v * c.factor);
        }
        let text_of = |role: Role| -> Option<String> {
            find(role).and_then(|c| {
                let t = crate::text::clean(&row.get(c.index).text());
                (!t.is_empty()).then_some(t)
            })
        };
        let sector = match text_of(Role::Sector) {
            None => None,
            Some(t) => match Reference::get().resolve_sector(&t) {
                Some(s) => Some(s.code.clone()),
                None => {
                    let h = find(Role::Sector).map(|c| c.header.as_str());
                    rejects.push(
                        row.line,
                        h,
                        Some(t.clone()),
                        format!(
                            "unknown sector \"{t}\" (VSIC 2018 division code or name expected)"
                        ),
                    );
                    continue;
                }
            },
        };
        let (activity, source, project_id, beneficiary) = if kind == Kind::Funding {
            let activity = text_of(Role::Activity)
                .or_else(|| text_of(Role::Description))
                .map(|t| places::classify_activity(&t))
                .unwrap_or("other");
            let source = match text_of(Role::Source) {
                Some(t) => {
                    match places::classify_source(&t) {
                        Some(s) => s,
                        None => {
                            let h = find(Role::Source).map(|c| c.header.as_str());
                            rejects.push(row.line, h, Some(t.clone()), format!("unknown funding source \"{t}\" (national, local or other expected)"));
                            continue;
                        }
                    }
                }
                None => default_source.unwrap_or("other"),
            };
            let id = text_of(Role::ProjectId).unwrap_or_else(|| format!("{stem}:{}", row.line));
            (
                Some(activity),
                Some(source),
                Some(id),
                text_of(Role::Beneficiary),
            )
        } else {
            (None, None, None, None)
        };
        recs.push(Rec {
            line: row.line,
            year,
            place,
            place_column: place_header.clone(),
            sector,
            activity,
            source,
            project_id,
            beneficiary,
            nums,
        });
    }
    for (what, n) in counts {
        notes.push(format!("{n} {what} rows skipped"));
    }
    Ok(())
}

/// Decides the boundary, turns place references into codes on it (rejecting names that do not
/// exist on that map) and builds the canonical table.
fn build_table(
    spec: &SourceSpec,
    recs: Vec<Rec>,
    rejects: &mut Rejects,
    notes: &mut Vec<String>,
) -> Result<(Boundary, DataFrame)> {
    let r = Reference::get();
    let boundary = spec.boundary.unwrap_or_else(|| {
        let all_new = !recs.is_empty()
            && recs.iter().all(|rec| {
                rec.year >= 2026
                    && match &rec.place {
                        PlaceRef::Code(c) => r.unit_2025(c).is_some(),
                        PlaceRef::Hit { new, .. } => new.is_some(),
                    }
            });
        if all_new {
            notes.push(
                "boundary 2025: every place is one of the 34 units and every year ≥ 2026".into(),
            );
            Boundary::B2025
        } else {
            Boundary::B2008
        }
    });
    let kind = spec.kind;
    let n_num = numeric_columns(kind).len();
    let mut year = Vec::new();
    let mut prov = Vec::new();
    let mut sector: Vec<Option<String>> = Vec::new();
    let mut activity = Vec::new();
    let mut source = Vec::new();
    let mut project = Vec::new();
    let mut benef = Vec::new();
    let mut nums: Vec<Vec<Option<f64>>> = vec![Vec::new(); n_num];
    let mut rows = Vec::new();
    for rec in recs {
        let code = match (rec.place, boundary) {
            (PlaceRef::Code(c), _) => c,
            (PlaceRef::Hit { old: Some(c), .. }, Boundary::B2008) => c,
            (PlaceRef::Hit { new: Some(c), .. }, Boundary::B2025) => c,
            (PlaceRef::Hit { label, .. }, Boundary::B2008) => {
                rejects.push(rec.line, Some(&rec.place_column), Some(label.clone()), format!("\"{label}\" is a unit of the 34-unit map (from 1 July 2025) but this table is on the 63-province map; set boundary = \"2025\" for this source if all its places are new units"));
                continue;
            }
            (PlaceRef::Hit { label, .. }, Boundary::B2025) => {
                rejects.push(rec.line, Some(&rec.place_column), Some(label.clone()), format!("\"{label}\" is a province of the 63-province map that was merged on 1 July 2025, but this table is on the 34-unit map"));
                continue;
            }
        };
        year.push(rec.year);
        prov.push(code);
        sector.push(rec.sector);
        activity.push(rec.activity);
        source.push(rec.source);
        project.push(rec.project_id);
        benef.push(rec.beneficiary);
        for (k, v) in nums.iter_mut().enumerate() {
            v.push(rec.nums[k]);
        }
        rows.push(rec.line as i64);
    }
    let n = year.len();
    let fname = file_name(&spec.path);
    let mut columns = vec![
        Column::new("year".into(), year),
        Column::new("province_code".into(), prov),
        Column::new("sector_code".into(), sector),
    ];
    if kind == Kind::Funding {
        columns.push(Column::new("activity".into(), activity));
        columns.push(Column::new("source".into(), source));
    }
    let mut num_iter = nums.into_iter();
    for name in numeric_columns(kind) {
        let v = num_iter.next().unwrap_or_default();
        if kind == Kind::Funding && *name == "planned_mvnd" {
            // Keep TABLES.md order: amount, planned, project_id, beneficiary, indicators.
            columns.push(Column::new((*name).into(), v));
            columns.push(Column::new(
                "project_id".into(),
                std::mem::take(&mut project),
            ));
            columns.push(Column::new(
                "beneficiary".into(),
                std::mem::take(&mut benef),
            ));
        } else {
            columns.push(Column::new((*name).into(), v));
        }
    }
    columns.push(Column::new("boundary".into(), vec![boundary.as_str(); n]));
    columns.push(Column::new("source_file".into(), vec![fname.as_str(); n]));
    columns.push(Column::new("source_row".into(), rows));
    let df = DataFrame::new(n, columns).ctx(|| "cannot build the canonical table".into())?;
    let df = df
        .select(canonical_columns(kind).iter().copied())
        .ctx(|| "canonical column order".into())?;
    Ok((boundary, df))
}

// ---------------------------------------------------------------------------------------------
// The `khuyencong ingest` command.

/// Ingests and validates one file and writes the canonical table (default: `<stem>.parquet` in
/// the current folder) and, when any row was rejected or `rejected` is given, the rejected rows
/// (default: `<stem>.rejected.parquet` beside the output). Nothing is written when the file
/// cannot be read; when rejections pass [`crate::validate::DEFAULT_MAX_REJECTED_SHARE`] only the
/// rejected file is written and the error says so. Returns the summary line to print.
pub fn run_ingest_command(
    file: &Path,
    kind: Kind,
    sheet: Option<&str>,
    out: Option<&Path>,
    rejected: Option<&Path>,
) -> Result<String> {
    let mut spec = SourceSpec::new(kind, file);
    spec.sheet = sheet.map(str::to_string);
    let stem = spec.display_name();
    let out = out
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(format!("{stem}.parquet")));
    let rejected_path = rejected.map(Path::to_path_buf).unwrap_or_else(|| {
        let name = format!("{stem}.rejected.parquet");
        match out.parent().filter(|p| !p.as_os_str().is_empty()) {
            Some(dir) => dir.join(name),
            None => PathBuf::from(name),
        }
    });
    let started = std::time::Instant::now();
    let ingested = ingest_file(&spec)?;
    let boundary = ingested.boundary;
    let read_s = started.elapsed().as_secs_f64();
    let mut v = crate::validate::validate(ingested)?;
    let validate_s = started.elapsed().as_secs_f64() - read_s;
    for note in &v.notes {
        tracing::info!("{}: {note}", file.display());
    }
    let n_rej = v.rejected.height();
    if n_rej > 0 || rejected.is_some() {
        crate::io::write_parquet(&mut v.rejected, &rejected_path)?;
    }
    crate::validate::check_rejected_share(&v, file, crate::validate::DEFAULT_MAX_REJECTED_SHARE)?;
    crate::io::write_parquet(&mut v.clean, &out)?;
    tracing::info!(
        "read {read_s:.2} s, validated {validate_s:.2} s, written {:.2} s",
        started.elapsed().as_secs_f64() - read_s - validate_s
    );
    let mut line = format!(
        "{}: {} rows in → {} clean, {} rejected, {} skipped (boundary {}) → {}",
        file.display(),
        v.rows_in,
        v.clean.height(),
        n_rej,
        v.skipped,
        boundary.as_str(),
        out.display()
    );
    if n_rej > 0 {
        line.push_str(&format!("; rejected rows → {}", rejected_path.display()));
    }
    Ok(line)
}
