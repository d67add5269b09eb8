//! Small bridges between polars tables and plain vectors, so stage logic can be written (and
//! tested) as ordinary Rust over columns while polars does the reading, writing and joining.

use crate::error::{Error, PolarsContext, Result};
use polars::prelude::*;

fn column<'a>(df: &'a DataFrame, name: &str) -> Result<&'a Column> {
    df.column(name)
        .map_err(|_| Error::Other(format!("table has no column \"{name}\"")))
}

/// A numeric column as f64 (nulls and NaN become `None`).
pub fn f64s(df: &DataFrame, name: &str) -> Result<Vec<Option<f64>>> {
    let c = column(df, name)?
        .cast(&DataType::Float64)
        .ctx(|| format!("column \"{name}\" is not numeric"))?;
    let ca = c
        .f64()
        .ctx(|| format!("column \"{name}\" is not numeric"))?;
    Ok(ca.iter().map(|v| v.filter(|x| !x.is_nan())).collect())
}

/// A numeric column as f64, or all `None` when the table lacks it.
pub fn f64s_or_null(df: &DataFrame, name: &str) -> Result<Vec<Option<f64>>> {
    if df.column(name).is_ok() {
        f64s(df, name)
    } else {
        Ok(vec![None; df.height()])
    }
}

/// An integer column as i32.
pub fn i32s(df: &DataFrame, name: &str) -> Result<Vec<Option<i32>>> {
    let c = column(df, name)?
        .cast(&DataType::Int32)
        .ctx(|| format!("column \"{name}\" is not an integer"))?;
    Ok(c.i32()
        .ctx(|| format!("column \"{name}\" is not an integer"))?
        .iter()
        .collect())
}

/// An integer column as i64.
pub fn i64s(df: &DataFrame, name: &str) -> Result<Vec<Option<i64>>> {
    let c = column(df, name)?
        .cast(&DataType::Int64)
        .ctx(|| format!("column \"{name}\" is not an integer"))?;
    Ok(c.i64()
        .ctx(|| format!("column \"{name}\" is not an integer"))?
        .iter()
        .collect())
}

/// A text column (other types are cast to text).
pub fn strs(df: &DataFrame, name: &str) -> Result<Vec<Option<String>>> {
    let c = column(df, name)?
        .cast(&DataType::String)
        .ctx(|| format!("column \"{name}\" is not text"))?;
    Ok(c.str()
        .ctx(|| format!("column \"{name}\" is not text"))?
        .iter()
        .map(|v| v.map(str::to_string))
        .collect())
}

/// A text column, or all `None` when the table lacks it.
pub fn strs_or_null(df: &DataFrame, name: &str) -> Result<Vec<Option<String>>> {
    if df.column(name).is_ok() {
        strs(df, name)
    } else {
        Ok(vec![None; df.height()])
    }
}

/// A boolean column.
pub fn bools(df: &DataFrame, name: &str) -> Result<Vec<Option<bool>>> {
    let c = column(df, name)?;
    Ok(c.bool()
        .ctx(|| format!("column \"{name}\" is not boolean"))?
        .iter()
        .collect())
}

/// Builds a table column by column, in order.
#[derive(Default)]
pub struct TableBuilder {
    columns: Vec<Column>,
}

impl TableBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn f64(mut self, name: &str, values: Vec<Option<f64>>) -> Self {
        self.columns.push(Column::new(
            name.into(),
            Float64Chunked::from_iter(values).into_series(),
        ));
        self
    }

    pub fn f64_dense(self, name: &str, values: Vec<f64>) -> Self {
        self.f64(name, values.into_iter().map(Some).collect())
    }

    pub fn i32(mut self, name: &str, values: Vec<Option<i32>>) -> Self {
        self.columns.push(Column::new(
            name.into(),
            Int32Chunked::from_iter(values).into_series(),
        ));
        self
    }

    pub fn i64(mut self, name: &str, values: Vec<Option<i64>>) -> Self {
        self.columns.push(Column::new(
            name.into(),
            Int64Chunked::from_iter(values).into_series(),
        ));
        self
    }

    pub fn str(mut self, name: &str, values: Vec<Option<String>>) -> Self {
        let ca: StringChunked = values.iter().map(|v| v.as_deref()).collect();
        self.columns
            .push(Column::new(name.into(), ca.into_series()));
        self
    }

    pub fn bool(mut self, name: &str, values: Vec<Option<bool>>) -> Self {
        self.columns.push(Column::new(
            name.into(),
            BooleanChunked::from_iter(values).into_series(),
        ));
        self
    }

    pub fn build(self) -> Result<DataFrame> {
        DataFrame::new_infer_height(self.columns).ctx(|| "cannot assemble table".to_string())
    }
}

/// Stacks tables whose columns may differ: the result has the union of the columns (in order
/// of first appearance), with nulls where a table lacks one.
pub fn concat_aligned(frames: &[DataFrame]) -> Result<DataFrame> {
    let mut schema: Vec<(PlSmallStr, DataType)> = Vec::new();
    for f in frames {
        for c in f.columns() {
            if !schema.iter().any(|(n, _)| n == c.name()) {
                schema.push((c.name().clone(), c.dtype().clone()));
            }
        }
    }
    let mut out: Option<DataFrame> = None;
    for f in frames {
        let cols: Vec<Column> = schema
            .iter()
            .map(|(name, dtype)| match f.column(name) {
                Ok(c) => c
                    .cast(dtype)
                    .ctx(|| format!("column \"{name}\" has mixed types")),
                Err(_) => Ok(Column::full_null(name.clone(), f.height(), dtype)),
            })
            .collect::<Result<_>>()?;
        let aligned = DataFrame::new(f.height(), cols).ctx(|| "cannot align tables".into())?;
        out = Some(match out {
            None => aligned,
            Some(mut acc) => {
                acc.vstack_mut(&aligned)
                    .ctx(|| "cannot stack tables".into())?;
                acc
            }
        });
    }
    Ok(out.unwrap_or_default())
}
