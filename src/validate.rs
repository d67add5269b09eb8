//! Validate: per-source checks on an ingested table. Every row either passes into the clean table
//! or moves to the rejected table with its file, row number, column, raw value and reason;
//! `rows_in == clean + rejected + skipped` is asserted.
//!
//! Checks: the province code exists on the table's boundary map; the year lies in
//! [`MIN_YEAR`, `MAX_YEAR`]; sector codes are VSIC 2018 divisions; funding amounts are present,
//! finite and ≥ 0 (planned amounts and indicator counts ≥ 0 where given); output measures ≥ 0
//! (the index > 0); activity and source are in their vocabularies.
//!
//! Duplicates (funding key: project_id + year; output key: year + province_code + sector_code):
//! the first row of a key is kept and every later row with that key is rejected — as "exact
//! duplicate of row N" when its values are the same, or with both conflicting values named when
//! they differ (a ministry list that repeats a project code further down is the usual case, and
//! the later line is the suspect one). Nothing is summed or dropped silently: each rejected
//! repeat is in the rejected table with its reason, and a person can swap them if the first was
//! the wrong one. `column` names the header as it appears in the source file where known.
//!
//! Totals found in the source ("TỔNG CỘNG") are compared with the sum of the clean rows; a
//! mismatch is a warning in the notes, not a failure (the total may include rejected rows).

use crate::contract::schema::col;
use crate::contract::vocab::{Activity, FundingSource};
use crate::error::{Error, PolarsContext, Result};
use crate::ingest::{Ingested, Kind, Rejects, TotalCheck, numeric_columns};
use crate::reference::{Boundary, Reference};
use polars::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Why a row is rejected: (column, raw value, reason).
type Problem = (String, Option<String>, String);

pub const DEFAULT_MAX_REJECTED_SHARE: f64 = 0.05;
pub use crate::contract::schema::{MAX_YEAR, MIN_YEAR};

pub struct Validated {
    pub clean: DataFrame,
    pub rejected: DataFrame,
    pub rows_in: usize,
    pub skipped: usize,
    pub notes: Vec<String>,
}

fn fmt_num(v: f64) -> String {
    let s = format!("{v:.6}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A cell as a person would write it: numbers without trailing zeros, text without quotes.
fn any_text(v: &AnyValue) -> String {
    match v {
        AnyValue::Null => String::new(),
        AnyValue::Float64(x) => fmt_num(*x),
        AnyValue::String(s) => s.to_string(),
        AnyValue::StringOwned(s) => s.to_string(),
        other => other.to_string(),
    }
}

struct SuspectInput<'a> {
    boundary: Boundary,
    /// Each row's map when the table's rows are on both (data before and from 2025).
    row_maps: Option<&'a [Boundary]>,
    years: &'a Int32Chunked,
    prov: &'a StringChunked,
    sector: &'a StringChunked,
    nums: &'a [(&'a str, Float64Chunked)],
    activity: Option<&'a StringChunked>,
    source: Option<&'a StringChunked>,
    kind: Kind,
}

/// Two-digit codes as a lookup table, so a row's code is checked without hashing.
fn code_table<'a>(codes: impl Iterator<Item = &'a str>) -> [bool; 100] {
    let mut t = [false; 100];
    for c in codes {
        if let Some(i) = code_index(c) {
            t[i] = true;
        }
    }
    t
}

/// Each row's map, when a table's boundary column holds both maps; `None` when it holds one.
fn row_maps(table: &DataFrame) -> Option<Vec<Boundary>> {
    let c = table.column(col::BOUNDARY).ok()?;
    if matches!(c, Column::Scalar(_)) {
        return None;
    }
    let ca = c.str().ok()?;
    if ca.is_empty() {
        return None;
    }
    let first = ca.get(0);
    if ca.iter().all(|v| v == first) {
        return None;
    }
    Some(
        ca.iter()
            .map(|v| v.and_then(Boundary::parse).unwrap_or(Boundary::B2008))
            .collect(),
    )
}

fn code_index(c: &str) -> Option<usize> {
    match c.as_bytes() {
        [a @ b'0'..=b'9', b @ b'0'..=b'9'] => Some(((a - b'0') * 10 + (b - b'0')) as usize),
        _ => None,
    }
}

/// Rows that may fail a check (every failing row is among them).
fn suspect_rows(x: &SuspectInput) -> Vec<bool> {
    let r = Reference::get();
    let n = x.years.len();
    let mut bad = vec![false; n];
    let provinces = code_table(r.codes(x.boundary).into_iter());
    let sectors = code_table(r.sectors.iter().map(|s| s.code.as_str()));
    match x.row_maps {
        None => {
            for (b, v) in bad.iter_mut().zip(x.prov.iter()) {
                *b |= !v.and_then(code_index).is_some_and(|i| provinces[i]);
            }
        }
        Some(maps) => {
            let old = code_table(r.codes(Boundary::B2008).into_iter());
            let new = code_table(r.codes(Boundary::B2025).into_iter());
            for ((b, v), m) in bad.iter_mut().zip(x.prov.iter()).zip(maps) {
                let t = if *m == Boundary::B2025 { &new } else { &old };
                *b |= !v.and_then(code_index).is_some_and(|i| t[i]);
            }
        }
    }
    for (b, y) in bad.iter_mut().zip(x.years.iter()) {
        *b |= !y.is_some_and(|y| (MIN_YEAR..=MAX_YEAR).contains(&y));
    }
    for (b, s) in bad.iter_mut().zip(x.sector.iter()) {
        *b |= s.is_some_and(|s| !code_index(s).is_some_and(|i| sectors[i]));
    }
    for (name, ca) in x.nums {
        let required = x.kind == Kind::Funding && *name == col::AMOUNT_MVND;
        let positive = matches!(*name, col::IIP | col::EMPLOYMENT_INDEX);
        for (b, v) in bad.iter_mut().zip(ca.iter()) {
            *b |= match v {
                None => required,
                Some(v) => !v.is_finite() || v < 0.0 || (positive && v == 0.0),
            };
        }
    }
    if let Some(a) = x.activity {
        for (b, v) in bad.iter_mut().zip(a.iter()) {
            *b |= v.is_none_or(|v| Activity::parse(v).is_none());
        }
    }
    if let Some(s) = x.source {
        for (b, v) in bad.iter_mut().zip(s.iter()) {
            *b |= v.is_none_or(|v| FundingSource::parse(v).is_none());
        }
    }
    bad
}

/// True when no two values share a 64-bit hash, which proves them distinct (equal strings hash
/// equally). A hash collision only sends the caller to the exact check. Hashing and sorting in
/// parallel is several times faster than counting distinct strings.
fn distinct_by_hash(values: &StringChunked) -> bool {
    use rayon::prelude::*;
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    let hasher = BuildHasherDefault::<DefaultHasher>::default();
    let chunks: Vec<Vec<u64>> = values
        .downcast_iter()
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|arr| {
            arr.values_iter()
                .map(|v| hasher.hash_one(v))
                .collect::<Vec<u64>>()
        })
        .collect();
    let mut hashes: Vec<u64> = chunks.concat();
    hashes.par_sort_unstable();
    hashes.par_windows(2).all(|w| w[0] != w[1])
}

pub fn validate(ingested: Ingested) -> Result<Validated> {
    let Ingested {
        spec,
        table,
        rejected,
        rows_in,
        skipped,
        boundary,
        mut notes,
        checks,
        headers,
    } = ingested;
    let kind = spec.kind;
    let ctx = || format!("cannot validate {}", spec.path.display());
    // Columns stay in the chunks the reader made: the scans below iterate, and the few row
    // look-ups (suspect rows only) do not need one chunk; copying millions of rows would.
    let cols = Columns::read(&table, kind, &ctx)?;
    let (mut problem, surely_unique) = row_problems(&table, &cols, kind, boundary, &ctx)?;
    if !surely_unique {
        reject_duplicates(&table, &cols, kind, &mut problem, &mut notes, &ctx)?;
    }
    let (clean, rejected) = split(table, problem, &cols, &headers, &spec.path, rejected, &ctx)?;
    check_totals(&clean, &checks, &spec.path, &mut notes);
    let v = Validated {
        clean,
        rejected,
        rows_in,
        skipped,
        notes,
    };
    check_accounting(&v, &spec.path)?;
    Ok(v)
}

/// The columns the checks read, typed.
struct Columns {
    years: Int32Chunked,
    prov: StringChunked,
    sector: StringChunked,
    rows: Int64Chunked,
    nums: Vec<(&'static str, Float64Chunked)>,
    activity: Option<StringChunked>,
    source: Option<StringChunked>,
    /// Each row's map when the table's rows are on both (data before and from 2025).
    row_maps: Option<Vec<Boundary>>,
}

impl Columns {
    fn read(table: &DataFrame, kind: Kind, ctx: &dyn Fn() -> String) -> Result<Columns> {
        let col = |name: &str| table.column(name).ctx(ctx);
        let text = |name: &str| -> Result<StringChunked> { Ok(col(name)?.str().ctx(ctx)?.clone()) };
        let nums = numeric_columns(kind)
            .iter()
            .map(|c| Ok((*c, col(c)?.f64().ctx(ctx)?.clone())))
            .collect::<Result<_>>()?;
        let funding = kind == Kind::Funding;
        Ok(Columns {
            years: col(col::YEAR)?.i32().ctx(ctx)?.clone(),
            prov: text(col::PROVINCE_CODE)?,
            sector: text(col::SECTOR_CODE)?,
            rows: col(col::SOURCE_ROW)?.i64().ctx(ctx)?.clone(),
            nums,
            activity: if funding {
                Some(text(col::ACTIVITY)?)
            } else {
                None
            },
            source: if funding {
                Some(text(col::SOURCE)?)
            } else {
                None
            },
            row_maps: row_maps(table),
        })
    }
}

/// The columns whose values make a row's key (a later row repeating a key is rejected).
fn key_columns(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Funding => &[col::PROJECT_ID, col::YEAR],
        Kind::Output => &[col::YEAR, col::PROVINCE_CODE, col::SECTOR_CODE],
    }
}

/// The first problem of each row, if any, and whether the keys are surely unique (a funding
/// table whose project codes are all distinct). A cheap column-by-column pass finds the suspect
/// rows; the reasons are worked out for those only, so a clean table of millions of rows costs
/// a few linear scans. Boxed so that a clean row costs one pointer.
fn row_problems(
    table: &DataFrame,
    cols: &Columns,
    kind: Kind,
    boundary: Boundary,
    ctx: &dyn Fn() -> String,
) -> Result<(Vec<Option<Box<Problem>>>, bool)> {
    let n = table.height();
    // The row scan runs on one thread; the project codes are hashed beside it (both read only).
    // A unique project code already rules out duplicate keys; counting distinct values is
    // cheaper than grouping on the full key.
    let key0 = table.column(key_columns(kind)[0]).ctx(ctx)?;
    let (suspect, surely_unique) = rayon::join(
        || {
            suspect_rows(&SuspectInput {
                boundary,
                row_maps: cols.row_maps.as_deref(),
                years: &cols.years,
                prov: &cols.prov,
                sector: &cols.sector,
                nums: &cols.nums,
                activity: cols.activity.as_ref(),
                source: cols.source.as_ref(),
                kind,
            })
        },
        || {
            kind == Kind::Funding
                && key0.null_count() == 0
                && key0.str().is_ok_and(distinct_by_hash)
        },
    );
    let r = Reference::get();
    let codes_of = |b: Boundary| -> HashSet<&str> { r.codes(b).into_iter().collect() };
    let codes = (codes_of(Boundary::B2008), codes_of(Boundary::B2025));
    let mut problem: Vec<Option<Box<Problem>>> = vec![None; n];
    for i in (0..n).filter(|&i| suspect[i]) {
        let map = cols.row_maps.as_ref().map_or(boundary, |m| m[i]);
        let codes = if map == Boundary::B2025 {
            &codes.1
        } else {
            &codes.0
        };
        problem[i] = province_problem(cols, i, map, codes)
            .or_else(|| year_problem(cols, i))
            .or_else(|| sector_problem(cols, i))
            .or_else(|| measure_problem(cols, i, kind))
            .or_else(|| vocabulary_problem(cols, i))
            .map(Box::new);
    }
    Ok((problem, surely_unique))
}

fn province_problem(
    cols: &Columns,
    i: usize,
    map: Boundary,
    codes: &HashSet<&str>,
) -> Option<Problem> {
    let map_name = |b: Boundary| match b {
        Boundary::B2008 => "63-province map",
        Boundary::B2025 => "34-unit map of 2025",
    };
    match cols.prov.get(i) {
        None => Some((
            col::PROVINCE_CODE.into(),
            None,
            "province_code missing".into(),
        )),
        Some(c) if !codes.contains(c) => {
            let hint = if map == Boundary::B2025 && Reference::get().province(c).is_some() {
                if cols.row_maps.is_some() {
                    " (a code of the 63-province map; data of 2025 and later are read on the 34-unit map: set boundary = \"2008\" for this source if it still uses the 63 provinces)"
                } else {
                    " (a code of the 63-province map; is the boundary right?)"
                }
            } else {
                ""
            };
            Some((
                col::PROVINCE_CODE.into(),
                Some(c.into()),
                format!(
                    "unknown province code \"{c}\" on the {}{hint}",
                    map_name(map)
                ),
            ))
        }
        _ => None,
    }
}

fn year_problem(cols: &Columns, i: usize) -> Option<Problem> {
    match cols.years.get(i) {
        None => Some((col::YEAR.into(), None, "year missing".into())),
        Some(y) if !(MIN_YEAR..=MAX_YEAR).contains(&y) => Some((
            col::YEAR.into(),
            Some(y.to_string()),
            format!("year {y} outside {MIN_YEAR}–{MAX_YEAR}"),
        )),
        _ => None,
    }
}

fn sector_problem(cols: &Columns, i: usize) -> Option<Problem> {
    let s = cols.sector.get(i)?;
    Reference::get()
        .sector(s)
        .is_none_or(|x| x.code != s)
        .then(|| {
            (
                col::SECTOR_CODE.into(),
                Some(s.into()),
                format!("unknown sector code \"{s}\" (VSIC 2018 two-digit division expected)"),
            )
        })
}

/// Funding amounts present, measures finite and ≥ 0, indices > 0.
fn measure_problem(cols: &Columns, i: usize, kind: Kind) -> Option<Problem> {
    cols.nums.iter().find_map(|(name, ca)| {
        let v = ca.get(i);
        let name = *name;
        if kind == Kind::Funding && name == col::AMOUNT_MVND && v.is_none() {
            return Some((name.into(), None, "amount missing".into()));
        }
        let v = v?;
        if !v.is_finite() {
            Some((
                name.into(),
                Some(fmt_num(v)),
                format!("{name} is not a finite number"),
            ))
        } else if v < 0.0 {
            Some((
                name.into(),
                Some(fmt_num(v)),
                format!("negative {name}: {}", fmt_num(v)),
            ))
        } else if matches!(name, col::IIP | col::EMPLOYMENT_INDEX) && v == 0.0 {
            Some((
                name.into(),
                Some("0".into()),
                format!("{name} of 0 (an index with an earlier period = 100 cannot be 0)"),
            ))
        } else {
            None
        }
    })
}

/// Activity and source in their vocabularies (funding tables).
fn vocabulary_problem(cols: &Columns, i: usize) -> Option<Problem> {
    let (a, s) = (cols.activity.as_ref()?, cols.source.as_ref()?);
    match a.get(i) {
        Some(x) if Activity::parse(x).is_some() => {}
        x => {
            return Some((
                col::ACTIVITY.into(),
                x.map(str::to_string),
                "activity not one of the nine classes".into(),
            ));
        }
    }
    match s.get(i) {
        Some(x) if FundingSource::parse(x).is_some() => None,
        x => Some((
            col::SOURCE.into(),
            x.map(str::to_string),
            "source must be national, local or other".into(),
        )),
    }
}
/// Rejects every later row repeating the key of an earlier row that passed so far: as an exact
/// duplicate, or with both conflicting values named.
fn reject_duplicates(
    table: &DataFrame,
    cols: &Columns,
    kind: Kind,
    problem: &mut [Option<Box<Problem>>],
    notes: &mut Vec<String>,
    ctx: &dyn Fn() -> String,
) -> Result<()> {
    let key_cols = key_columns(kind);
    let dup = table
        .select(key_cols.iter().copied())
        .ctx(ctx)?
        .is_duplicated()
        .ctx(ctx)?;
    if !dup.any() {
        return Ok(());
    }
    let value_cols: Vec<&str> = crate::ingest::canonical_columns(kind)
        .iter()
        .copied()
        .filter(|c| !matches!(*c, col::SOURCE_ROW | col::SOURCE_FILE | col::BOUNDARY))
        .collect();
    let cell = |c: &str, i: usize| -> String {
        table
            .column(c)
            .and_then(|col| col.get(i))
            .map(|v| any_text(&v))
            .unwrap_or_default()
    };
    let row_text = |i: usize| -> Vec<String> { value_cols.iter().map(|c| cell(c, i)).collect() };
    let key_text = |i: usize| -> String {
        key_cols
            .iter()
            .map(|c| format!("{c}={}", cell(c, i)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let groups = duplicate_groups(&dup, problem, key_text);
    let (mut n_conflict, mut n_exact) = (0, 0);
    for (k, g) in groups {
        let texts: Vec<Vec<String>> = g.iter().map(|&i| row_text(i)).collect();
        let first = cols.rows.get(g[0]).unwrap_or(0);
        for (n, &i) in g.iter().enumerate().skip(1) {
            if texts[n] == texts[0] {
                n_exact += 1;
                problem[i] = Some(Box::new((
                    key_cols.join("+"),
                    Some(k.clone()),
                    format!("exact duplicate of row {first} ({k})"),
                )));
                continue;
            }
            // The first occurrence stays; this one is named with both values so a person can
            // decide which is right.
            let diff = (0..value_cols.len())
                .find(|&c| texts[n][c] != texts[0][c])
                .unwrap_or(0);
            // Funding: the repeated project code is the problem; output: the measure.
            let shown = match kind {
                Kind::Funding => value_cols.iter().position(|c| *c == key_cols[0]),
                Kind::Output => Some(diff),
            }
            .unwrap_or(diff);
            n_conflict += 1;
            problem[i] = Some(Box::new((
                value_cols[shown].to_string(),
                Some(texts[n][shown].clone()),
                format!(
                    "duplicate key {k} of row {first} with conflicting {}: row {first} has {}, this row {}; the first row is kept",
                    value_cols[diff], texts[0][diff], texts[n][diff]
                ),
            )));
        }
    }
    if n_conflict + n_exact > 0 {
        notes.push(format!("{n_conflict} later rows repeating a key with conflicting values and {n_exact} exact repeats rejected (the first occurrence of each key kept)"));
    }
    Ok(())
}

/// The rows repeating a key, grouped by key in order of first appearance (rows with a
/// problem already are left out).
fn duplicate_groups(
    dup: &BooleanChunked,
    problem: &[Option<Box<Problem>>],
    key_text: impl Fn(usize) -> String,
) -> Vec<(String, Vec<usize>)> {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, d) in dup.iter().enumerate() {
        if d == Some(true) && problem[i].is_none() {
            let k = key_text(i);
            let at = *index.entry(k.clone()).or_insert_with(|| {
                groups.push((k, Vec::new()));
                groups.len() - 1
            });
            groups[at].1.push(i);
        }
    }
    groups
}

/// Splits the table into the clean rows and the rejected ones (added to those ingest
/// rejected), each rejected row naming its column as headed in the file.
fn split(
    table: DataFrame,
    problem: Vec<Option<Box<Problem>>>,
    cols: &Columns,
    headers: &std::collections::BTreeMap<String, String>,
    path: &Path,
    rejected: DataFrame,
    ctx: &dyn Fn() -> String,
) -> Result<(DataFrame, DataFrame)> {
    let clean = if problem.iter().all(Option::is_none) {
        table
    } else {
        let mask: BooleanChunked = problem.iter().map(|p| p.is_none()).collect();
        table.filter(&mask).ctx(ctx)?
    };
    let mut rej = Rejects::default();
    for (i, p) in problem.into_iter().enumerate() {
        if let Some(b) = p {
            let (c, raw, why) = *b;
            let shown = headers.get(&c).cloned().unwrap_or(c);
            rej.push(
                cols.rows.get(i).unwrap_or(0) as usize,
                Some(&shown),
                raw,
                why,
            );
        }
    }
    let file = path
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let new_rej = rej.into_frame(&file)?;
    let rejected = if rejected.height() == 0 {
        new_rej
    } else {
        rejected.vstack(&new_rej).ctx(ctx)?
    };
    Ok((clean, rejected))
}

/// Compares the totals found in the file with the sum of the clean rows (a note either way).
fn check_totals(clean: &DataFrame, checks: &[TotalCheck], path: &Path, notes: &mut Vec<String>) {
    for check in checks {
        let sum = clean
            .column(&check.column)
            .ok()
            .and_then(|c| c.f64().ok().map(|ca| ca.sum().unwrap_or(0.0)))
            .unwrap_or(0.0);
        let tol = 1e-6 * check.expected.abs().max(1.0);
        if (sum - check.expected).abs() <= tol {
            notes.push(format!(
                "total row {} ({}) = {} equals the sum of clean rows",
                check.line,
                check.column,
                fmt_num(check.expected)
            ));
        } else {
            let msg = format!(
                "total row {} ({}) = {} but the clean rows sum to {} (difference {}); the total may include rejected rows",
                check.line,
                check.column,
                fmt_num(check.expected),
                fmt_num(sum),
                fmt_num(check.expected - sum)
            );
            tracing::warn!("{}: {msg}", path.display());
            notes.push(format!("warning: {msg}"));
        }
    }
}

/// `rows_in == clean + rejected + skipped`, or an error.
fn check_accounting(v: &Validated, path: &Path) -> Result<()> {
    if v.rows_in != v.clean.height() + v.rejected.height() + v.skipped {
        return Err(Error::Other(format!(
            "{}: row accounting broken after validation: {} in ≠ {} clean + {} rejected + {} skipped",
            path.display(),
            v.rows_in,
            v.clean.height(),
            v.rejected.height(),
            v.skipped
        )));
    }
    Ok(())
}

/// Fails (exit 3) when the share of rejected rows among the data rows (clean + rejected) passes
/// `max_share`, with one line naming the file, the count, the share, the first reason and what
/// to do.
pub fn check_rejected_share(v: &Validated, path: &Path, max_share: f64) -> Result<()> {
    let rejected = v.rejected.height();
    let data_rows = v.clean.height() + rejected;
    if rejected == 0 {
        return Ok(());
    }
    let share = rejected as f64 / data_rows.max(1) as f64;
    if share <= max_share {
        return Ok(());
    }
    let first = (|| -> Option<String> {
        let row = v
            .rejected
            .column(col::SOURCE_ROW)
            .ok()?
            .i64()
            .ok()?
            .get(0)?;
        let reason = v
            .rejected
            .column(col::REASON)
            .ok()?
            .str()
            .ok()?
            .get(0)?
            .to_string();
        Some(format!("row {row}: {reason}"))
    })()
    .unwrap_or_default();
    Err(Error::data(
        path,
        None,
        format!(
            "{rejected} of {data_rows} rows rejected ({:.1}%, more than the allowed {:.1}%); first: {first}; fix the file, map its columns in the pipeline, or raise max_rejected_share",
            share * 100.0,
            max_share * 100.0
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{SourceSpec, canonical_columns};
    use crate::stats::rng::Rng;

    /// Random funding tables: every row that reaches the clean table passes every check when
    /// checked again by hand, and every row is accounted for.
    #[test]
    fn clean_rows_pass_every_check_on_random_tables() {
        let mut rng = Rng::new(31);
        let provs = ["70", "01", "99", "1", "", "7O", "46", "00"];
        let sectors = [Some("10"), Some("33"), Some("99"), Some("1"), None];
        let years = [2018, 2024, 1800, 2100, 1990, 2060];
        let amounts = [
            Some(1.5),
            Some(0.0),
            Some(-2.0),
            Some(f64::NAN),
            None,
            Some(1e9),
        ];
        let acts = ["training", "other", "xx", ""];
        let srcs = ["national", "local", "foo"];
        for round in 0..20 {
            let n = 200;
            let pick = |rng: &mut Rng, k: usize| rng.below(k);
            let mut cols: Vec<Column> = Vec::new();
            let y: Vec<i32> = (0..n).map(|_| years[pick(&mut rng, years.len())]).collect();
            let p: Vec<Option<&str>> = (0..n)
                .map(|_| Some(provs[pick(&mut rng, provs.len())]))
                .collect();
            let s: Vec<Option<&str>> = (0..n)
                .map(|_| sectors[pick(&mut rng, sectors.len())])
                .collect();
            let a: Vec<&str> = (0..n).map(|_| acts[pick(&mut rng, acts.len())]).collect();
            let so: Vec<&str> = (0..n).map(|_| srcs[pick(&mut rng, srcs.len())]).collect();
            let am: Vec<Option<f64>> = (0..n)
                .map(|_| amounts[pick(&mut rng, amounts.len())])
                .collect();
            // A few repeated project codes, some with equal values.
            let ids: Vec<String> = (0..n)
                .map(|i| format!("P{}", if i % 17 == 0 { 0 } else { i }))
                .collect();
            for name in canonical_columns(Kind::Funding) {
                cols.push(match *name {
                    "year" => Column::new("year".into(), y.clone()),
                    "province_code" => Column::new("province_code".into(), p.clone()),
                    "sector_code" => Column::new("sector_code".into(), s.clone()),
                    "activity" => Column::new("activity".into(), a.clone()),
                    "source" => Column::new("source".into(), so.clone()),
                    "amount_mvnd" => Column::new("amount_mvnd".into(), am.clone()),
                    "project_id" => Column::new("project_id".into(), ids.clone()),
                    "boundary" => Column::new("boundary".into(), vec!["2008"; n]),
                    "source_file" => Column::new("source_file".into(), vec!["t.csv"; n]),
                    "source_row" => {
                        Column::new("source_row".into(), (2..n as i64 + 2).collect::<Vec<i64>>())
                    }
                    "beneficiary" => Column::full_null("beneficiary".into(), n, &DataType::String),
                    other => Column::full_null(other.into(), n, &DataType::Float64),
                });
            }
            let table = DataFrame::new(n, cols).unwrap();
            let ing = Ingested {
                spec: SourceSpec::new(Kind::Funding, "t.csv"),
                table,
                rejected: crate::ingest::empty_rejected(),
                rows_in: n + 1,
                skipped: 1,
                boundary: Boundary::B2008,
                notes: Vec::new(),
                checks: Vec::new(),
                headers: Default::default(),
            };
            let v = validate(ing).unwrap();
            assert_eq!(v.clean.height() + v.rejected.height(), n, "round {round}");
            let r = Reference::get();
            let c = &v.clean;
            for i in 0..c.height() {
                let get_s = |name: &str| c.column(name).unwrap().str().unwrap().get(i);
                let code = get_s("province_code").unwrap();
                assert!(r.province(code).is_some(), "{code}");
                let y = c.column("year").unwrap().i32().unwrap().get(i).unwrap();
                assert!((MIN_YEAR..=MAX_YEAR).contains(&y));
                let amt = c
                    .column("amount_mvnd")
                    .unwrap()
                    .f64()
                    .unwrap()
                    .get(i)
                    .unwrap();
                assert!(amt.is_finite() && amt >= 0.0);
                if let Some(sec) = get_s("sector_code") {
                    assert_eq!(r.sector(sec).map(|x| x.code.as_str()), Some(sec));
                }
                assert!(Activity::NAMES.contains(&get_s("activity").unwrap()));
                assert!(matches!(
                    get_s("source"),
                    Some("national" | "local" | "other")
                ));
            }
            // Each project code appears at most once among the clean rows.
            let ids = c.column("project_id").unwrap().str().unwrap();
            let unique: HashSet<&str> = ids.iter().flatten().collect();
            assert_eq!(unique.len(), c.height());
        }
    }

    #[test]
    fn share_check_names_file_count_and_first_reason() {
        let mut rej = Rejects::default();
        rej.push(
            7,
            Some("Kinh phí"),
            Some("-5".into()),
            "negative amount_mvnd: -5".into(),
        );
        let v = Validated {
            clean: DataFrame::empty(),
            rejected: rej.into_frame("a.xlsx").unwrap(),
            rows_in: 3,
            skipped: 2,
            notes: Vec::new(),
        };
        let e = check_rejected_share(&v, Path::new("data/a.xlsx"), 0.05).unwrap_err();
        assert_eq!(e.exit_code(), 3);
        assert_eq!(
            e.to_string(),
            "data/a.xlsx: 1 of 1 rows rejected (100.0%, more than the allowed 5.0%); first: row 7: negative amount_mvnd: -5; fix the file, map its columns in the pipeline, or raise max_rejected_share"
        );
        assert!(check_rejected_share(&v, Path::new("a"), 1.0).is_ok());
    }
}
