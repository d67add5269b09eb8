//! Reading model data (CSV or Parquet; `_code` columns as text) and turning polars columns into
//! the plain vectors the `stats` engine takes: f64 values with NaN for missing, and dense `u32`
//! group codes.

use crate::error::{Error, PolarsContext, Result};
use polars::prelude::*;
use std::collections::HashMap;
use std::io::{BufRead, Read};
use std::path::Path;

/// Code given to a missing group value.
pub const MISSING_CODE: u32 = u32::MAX;

/// Reads a CSV or Parquet file (by content: Parquet files start with `PAR1`). Columns whose
/// names end in `_code` are read as text so that "01" stays "01".
pub fn read_table(path: &Path) -> Result<DataFrame> {
    read_table_columns(path, None)
}

/// As `read_table`, reading from a Parquet file only `columns` (projection pushdown: the other
/// columns are never decoded) when every one of them is in the file; otherwise, and for CSV,
/// the whole table, so that an unknown column is reported with the columns the data has.
pub fn read_table_columns(path: &Path, columns: Option<&[String]>) -> Result<DataFrame> {
    let mut magic = [0u8; 4];
    let is_parquet = {
        let mut f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        f.read(&mut magic).map_err(|e| Error::io(path, e))? == 4 && &magic == b"PAR1"
    };
    let mut df = match (is_parquet, columns) {
        (true, Some(cols)) => read_parquet_columns(path, cols)?,
        (true, None) => crate::io::read_parquet(path)?,
        (false, _) => read_csv(path)?,
    };
    let code_cols: Vec<String> = df
        .get_column_names()
        .iter()
        .filter(|n| n.ends_with("_code"))
        .map(|n| n.to_string())
        .collect();
    for name in code_cols {
        let is_text = df
            .column(&name)
            .map(|c| c.dtype() == &DataType::String)
            .unwrap_or(true);
        if !is_text {
            let cast = df
                .column(&name)
                .and_then(|c| c.cast(&DataType::String))
                .ctx(|| format!("{}: cannot read column {name} as text", path.display()))?;
            df.with_column(cast)
                .ctx(|| format!("{}: cannot replace column {name}", path.display()))?;
        }
    }
    Ok(df)
}

fn read_parquet_columns(path: &Path, columns: &[String]) -> Result<DataFrame> {
    let open = || std::fs::File::open(path).map_err(|e| Error::io(path, e));
    let schema = ParquetReader::new(open()?)
        .schema()
        .ctx(|| format!("cannot read {} as Parquet", path.display()))?;
    let mut wanted: Vec<String> = Vec::new();
    for c in columns {
        if !schema.contains(c.as_str()) {
            return crate::io::read_parquet(path);
        }
        if !wanted.contains(c) {
            wanted.push(c.clone());
        }
    }
    ParquetReader::new(open()?)
        .with_columns(Some(wanted))
        .finish()
        .ctx(|| format!("cannot read {} as Parquet", path.display()))
}

fn read_csv(path: &Path) -> Result<DataFrame> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut header = String::new();
    std::io::BufReader::new(file)
        .read_line(&mut header)
        .map_err(|e| Error::io(path, e))?;
    let header = header.trim_start_matches('\u{feff}').trim_end();
    if header.is_empty() {
        return Err(Error::data(path, None, "the file is empty"));
    }
    let names: Vec<String> = crate::text::split_csv(header)
        .into_iter()
        .next()
        .unwrap_or_default();
    let fields: Vec<Field> = names
        .iter()
        .filter(|n| n.ends_with("_code"))
        .map(|n| Field::new(n.as_str().into(), DataType::String))
        .collect();
    let schema = Schema::from_iter(fields);
    let nulls: Vec<PlSmallStr> = ["", "NA", "N/A", "NaN", "nan", "null", "NULL", ".."]
        .iter()
        .map(|s| (*s).into())
        .collect();
    CsvReadOptions::default()
        .with_has_header(true)
        .map_parse_options(|o| o.with_null_values(Some(NullValues::AllColumns(nulls.clone()))))
        .with_infer_schema_length(Some(10_000))
        .with_schema_overwrite(Some(Arc::new(schema)))
        .try_into_reader_with_file_path(Some(path.to_path_buf()))
        .and_then(|r| r.finish())
        .map_err(|e| Error::data(path, None, format!("cannot read as CSV: {e}")))
}

/// A numeric column as f64; nulls and non-finite values become NaN.
pub fn numeric(df: &DataFrame, name: &str) -> Result<Vec<f64>> {
    let col = df
        .column(name)
        .map_err(|_| Error::Model(format!("no column named {name}")))?;
    if col.dtype() == &DataType::String {
        return Err(Error::Model(format!(
            "column {name} is text; a regressor or outcome must be numeric"
        )));
    }
    let c = col
        .cast(&DataType::Float64)
        .ctx(|| format!("column {name} is not numeric"))?;
    let ca = c.f64().ctx(|| format!("column {name} is not numeric"))?;
    let mut out = Vec::with_capacity(ca.len());
    for arr in ca.downcast_iter() {
        match arr.validity() {
            None => out.extend(
                arr.values()
                    .iter()
                    .map(|&v| if v.is_finite() { v } else { f64::NAN }),
            ),
            Some(valid) => out.extend(
                arr.values()
                    .iter()
                    .zip(valid.iter())
                    .map(|(&v, ok)| if ok && v.is_finite() { v } else { f64::NAN }),
            ),
        }
    }
    Ok(out)
}

/// Dense group codes of a column, in order of first appearance, with their labels.
/// Missing values get `MISSING_CODE`.
#[derive(Debug, Clone)]
pub struct Coded {
    pub codes: Vec<u32>,
    pub labels: Vec<String>,
}

/// Codes any column as groups (integers directly, other types through their text).
pub fn groups(df: &DataFrame, name: &str) -> Result<Coded> {
    let col = df
        .column(name)
        .map_err(|_| Error::Model(format!("no column named {name}")))?;
    if col.dtype().is_integer() {
        let c = col
            .cast(&DataType::Int64)
            .ctx(|| format!("column {name} cannot be read as integers"))?;
        let ca = c.i64().ctx(|| format!("column {name} is not integer"))?;
        return Ok(code_ints(ca));
    }
    let c = col
        .cast(&DataType::String)
        .ctx(|| format!("column {name} cannot be read as text"))?;
    let ca = c.str().ctx(|| format!("column {name} is not text"))?;
    let mut map: HashMap<&str, u32> = HashMap::new();
    let mut labels = Vec::new();
    let mut codes = Vec::with_capacity(ca.len());
    // Panels are usually sorted by unit, so a text group often repeats row after row; checking
    // the previous value first skips most hash lookups.
    let mut last: Option<(&str, u32)> = None;
    for v in ca.iter() {
        match v {
            None => codes.push(MISSING_CODE),
            Some(s) if last.is_some_and(|(l, _)| l == s) => {
                codes.push(last.map_or(MISSING_CODE, |(_, c)| c));
            }
            Some(s) => {
                let next = map.len() as u32;
                let code = *map.entry(s).or_insert_with(|| {
                    labels.push(s.to_string());
                    next
                });
                last = Some((s, code));
                codes.push(code);
            }
        }
    }
    Ok(Coded { codes, labels })
}

/// Group codes of a column without labels, for fixed effects and clusters: equal values share a
/// code, distinct values have distinct codes, missing values get `MISSING_CODE`. The numbering
/// is not that of `groups` (integers in a compact range are coded as their offset from the
/// smallest, with no lookup at all); the `stats` engine re-codes densely in order of first
/// appearance, so its results do not depend on the numbering.
pub fn group_codes(df: &DataFrame, name: &str) -> Result<Vec<u32>> {
    let col = df
        .column(name)
        .map_err(|_| Error::Model(format!("no column named {name}")))?;
    if col.dtype().is_integer() {
        let c = col
            .cast(&DataType::Int64)
            .ctx(|| format!("column {name} cannot be read as integers"))?;
        let ca = c.i64().ctx(|| format!("column {name} is not integer"))?;
        let n = ca.len();
        if let (Some(min), Some(max)) = (ca.min(), ca.max()) {
            let span = (max as i128 - min as i128) as u128;
            if span < (4 * n as u128).max(1024).min(u32::MAX as u128) {
                let mut codes = Vec::with_capacity(n);
                for arr in ca.downcast_iter() {
                    let offset = |x: i64| (x as i128 - min as i128) as u32;
                    match arr.validity().filter(|v| v.unset_bits() > 0) {
                        None => codes.extend(arr.values().iter().map(|&x| offset(x))),
                        Some(valid) => codes.extend(
                            arr.values()
                                .iter()
                                .zip(valid.iter())
                                .map(|(&x, ok)| if ok { offset(x) } else { MISSING_CODE }),
                        ),
                    }
                }
                return Ok(codes);
            }
        }
    }
    Ok(groups(df, name)?.codes)
}

fn code_ints(ca: &Int64Chunked) -> Coded {
    let n = ca.len();
    let (min, max) = (ca.min().unwrap_or(0), ca.max().unwrap_or(0));
    let mut codes = Vec::with_capacity(n);
    let mut labels = Vec::new();
    let span = (max as i128 - min as i128) as u128;
    if span <= (4 * n as u128).max(1024) {
        // A direct lookup table beats hashing for the usual compact id ranges.
        let mut table = vec![MISSING_CODE; span as usize + 1];
        for v in ca.iter() {
            match v {
                None => codes.push(MISSING_CODE),
                Some(x) => {
                    let slot = &mut table[(x - min) as usize];
                    if *slot == MISSING_CODE {
                        *slot = labels.len() as u32;
                        labels.push(x.to_string());
                    }
                    codes.push(*slot);
                }
            }
        }
    } else {
        let mut map: HashMap<i64, u32> = HashMap::new();
        for v in ca.iter() {
            match v {
                None => codes.push(MISSING_CODE),
                Some(x) => {
                    let next = map.len() as u32;
                    let code = *map.entry(x).or_insert_with(|| {
                        labels.push(x.to_string());
                        next
                    });
                    codes.push(code);
                }
            }
        }
    }
    Coded { codes, labels }
}

/// Sorts the labels of a coded column the way a person reads them: numerically when they all
/// parse as numbers, otherwise as text. Returns the label order (indices into `labels`).
pub fn sorted_levels(labels: &[String]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..labels.len()).collect();
    let nums: Option<Vec<f64>> = labels.iter().map(|l| l.parse::<f64>().ok()).collect();
    match nums {
        Some(v) => idx.sort_by(|&a, &b| v[a].total_cmp(&v[b])),
        None => idx.sort_by(|&a, &b| labels[a].cmp(&labels[b])),
    }
    idx
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_and_text_groups_are_coded_by_first_appearance() {
        let df = df!(
            "firm" => [Some(10i64), Some(3), Some(10), None],
            "prov_code" => ["01", "70", "01", "70"]
        )
        .unwrap();
        let g = groups(&df, "firm").unwrap();
        assert_eq!(g.codes, vec![0, 1, 0, MISSING_CODE]);
        assert_eq!(g.labels, vec!["10", "3"]);
        let p = groups(&df, "prov_code").unwrap();
        assert_eq!(p.codes, vec![0, 1, 0, 1]);
        assert_eq!(p.labels, vec!["01", "70"]);
        // Runs of the same text (the previous-value shortcut) and a null inside a run.
        let runs =
            df!("g" => [Some("a"), Some("a"), None, Some("a"), Some("b"), Some("b"), Some("a")])
                .unwrap();
        assert_eq!(
            groups(&runs, "g").unwrap().codes,
            vec![0, 0, MISSING_CODE, 0, 1, 1, 0]
        );
    }

    #[test]
    fn numeric_marks_nulls_and_infinities_missing() {
        let df = df!("x" => [Some(1.5f64), None, Some(f64::INFINITY), Some(-2.0)]).unwrap();
        let v = numeric(&df, "x").unwrap();
        assert_eq!(v[0], 1.5);
        assert!(v[1].is_nan() && v[2].is_nan());
        assert_eq!(v[3], -2.0);
    }

    #[test]
    fn levels_sort_numerically_when_numeric() {
        let labels: Vec<String> = ["2", "-10", "-1"].iter().map(|s| s.to_string()).collect();
        assert_eq!(sorted_levels(&labels), vec![1, 2, 0]);
    }
}
