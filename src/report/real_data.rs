//! The tables of a real-data run as the report reads them back: the provincial index values,
//! the programme's budget figures, targets and results, the province spending facts and the
//! rejected rows of the programme files, each from its `indicators/*.parquet`.

use crate::contract::schema::col;
use crate::error::Result;
use crate::realdata::indices::{IndexMeasure, IndexValue};
use crate::reference::Boundary;
use crate::table;
use std::path::Path;

/// A budget figure as the indicators stage wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetRec {
    pub record_id: String,
    pub scope: String,
    pub geo_name: String,
    pub period_start: Option<i32>,
    pub period_end: Option<i32>,
    pub period: String,
    pub fund: String,
    pub measure: String,
    pub value: String,
    pub unit: String,
    pub amount_mvnd: Option<f64>,
    pub derived: bool,
    pub confidence: String,
    pub source_url: String,
}

/// A target or result as the indicators stage wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetRec {
    pub record_id: String,
    pub programme: String,
    pub period: String,
    pub item: String,
    pub kind: String,
    pub theme: String,
    pub value: Option<f64>,
    pub value_as_published: String,
    pub unit: String,
    pub confidence: String,
}

/// A province spending fact as the indicators stage wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct FactRec {
    pub record_id: String,
    pub province_code: String,
    pub province_name: String,
    pub period_start: Option<i32>,
    pub period_end: Option<i32>,
    pub period: String,
    pub fund_source: String,
    pub measure: String,
    pub amount_mvnd: Option<f64>,
    pub qualifier: String,
    pub confidence: String,
    pub source_url: String,
}

pub(super) struct Data {
    pub index: Vec<IndexValue>,
    pub budget: Vec<BudgetRec>,
    pub targets: Vec<TargetRec>,
    pub facts: Vec<FactRec>,
    /// Activity-group figures: text cells (record, area, period, fund source, group as
    /// published, group in English, projects, qualifier, confidence, source) and the amount.
    pub activity: Vec<([String; 10], Option<f64>)>,
    pub rejected: Vec<[String; 4]>,
}

pub(super) fn strs(df: &polars::prelude::DataFrame, c: &str) -> Result<Vec<String>> {
    Ok(table::strs_or_null(df, c)?
        .into_iter()
        .map(Option::unwrap_or_default)
        .collect())
}

pub(super) fn load(out: &Path) -> Result<Data> {
    let read = |n: &str| crate::io::read_parquet(&out.join(format!("indicators/{n}.parquet")));
    let ix = read("province_index")?;
    let (m, y, c, b, v) = (
        strs(&ix, col::MEASURE)?,
        table::i32s(&ix, col::YEAR)?,
        strs(&ix, col::PROVINCE_CODE)?,
        strs(&ix, col::BOUNDARY)?,
        table::f64s(&ix, col::VALUE)?,
    );
    let index = (0..ix.height())
        .filter_map(|i| {
            Some(IndexValue {
                measure: IndexMeasure::parse(&m[i])?,
                year: y[i]?,
                province_code: c[i].clone(),
                boundary: Boundary::parse(&b[i]).unwrap_or(Boundary::B2008),
                value: v[i]?,
            })
        })
        .collect();
    let bd = read("programme_budget")?;
    let (ps, pe, amt, der) = (
        table::i32s(&bd, col::PERIOD_START)?,
        table::i32s(&bd, col::PERIOD_END)?,
        table::f64s(&bd, col::AMOUNT_MVND)?,
        table::bools(&bd, col::DERIVED)?,
    );
    let cols: Vec<Vec<String>> = [
        col::RECORD_ID,
        col::SCOPE,
        col::GEO_NAME,
        col::PERIOD,
        col::FUND,
        col::MEASURE,
        col::VALUE_AS_PUBLISHED,
        col::UNIT,
        col::CONFIDENCE,
        col::SOURCE_URL,
    ]
    .iter()
    .map(|c| strs(&bd, c))
    .collect::<Result<_>>()?;
    let budget = (0..bd.height())
        .map(|i| BudgetRec {
            record_id: cols[0][i].clone(),
            scope: cols[1][i].clone(),
            geo_name: cols[2][i].clone(),
            period_start: ps[i],
            period_end: pe[i],
            period: cols[3][i].clone(),
            fund: cols[4][i].clone(),
            measure: cols[5][i].clone(),
            value: cols[6][i].clone(),
            unit: cols[7][i].clone(),
            amount_mvnd: amt[i],
            derived: der[i].unwrap_or(false),
            confidence: cols[8][i].clone(),
            source_url: cols[9][i].clone(),
        })
        .collect();
    let td = read("programme_targets")?;
    let tv = table::f64s(&td, col::VALUE)?;
    let cols: Vec<Vec<String>> = [
        col::RECORD_ID,
        col::PROGRAMME,
        col::PERIOD,
        col::ITEM,
        col::KIND,
        col::THEME,
        col::VALUE_AS_PUBLISHED,
        col::UNIT,
        col::CONFIDENCE,
    ]
    .iter()
    .map(|c| strs(&td, c))
    .collect::<Result<_>>()?;
    let targets = (0..td.height())
        .map(|i| TargetRec {
            record_id: cols[0][i].clone(),
            programme: cols[1][i].clone(),
            period: cols[2][i].clone(),
            item: cols[3][i].clone(),
            kind: cols[4][i].clone(),
            theme: cols[5][i].clone(),
            value: tv[i],
            value_as_published: cols[6][i].clone(),
            unit: cols[7][i].clone(),
            confidence: cols[8][i].clone(),
        })
        .collect();
    let fd = read("spending_facts")?;
    let (ps, pe, amt) = (
        table::i32s(&fd, col::PERIOD_START)?,
        table::i32s(&fd, col::PERIOD_END)?,
        table::f64s(&fd, col::AMOUNT_MVND)?,
    );
    let cols: Vec<Vec<String>> = [
        col::RECORD_ID,
        col::PROVINCE_CODE,
        col::PROVINCE_NAME,
        col::PERIOD,
        col::FUND_SOURCE,
        col::MEASURE,
        col::QUALIFIER,
        col::CONFIDENCE,
        col::SOURCE_URL,
    ]
    .iter()
    .map(|c| strs(&fd, c))
    .collect::<Result<_>>()?;
    let facts = (0..fd.height())
        .map(|i| FactRec {
            record_id: cols[0][i].clone(),
            province_code: cols[1][i].clone(),
            province_name: cols[2][i].clone(),
            period_start: ps[i],
            period_end: pe[i],
            period: cols[3][i].clone(),
            fund_source: cols[4][i].clone(),
            measure: cols[5][i].clone(),
            amount_mvnd: amt[i],
            qualifier: cols[6][i].clone(),
            confidence: cols[7][i].clone(),
            source_url: cols[8][i].clone(),
        })
        .collect();
    let ad = read("activity_facts")?;
    let cols: Vec<Vec<String>> = [
        col::RECORD_ID,
        col::AREA,
        col::PERIOD,
        col::FUND_SOURCE,
        col::GROUP_AS_PUBLISHED,
        col::GROUP_EN,
        col::N_PROJECTS,
        col::QUALIFIER,
        col::CONFIDENCE,
        col::SOURCE_URL,
    ]
    .iter()
    .map(|c| strs(&ad, c))
    .collect::<Result<_>>()?;
    let amt = table::f64s(&ad, col::AMOUNT_MVND)?;
    let activity = (0..ad.height())
        .map(|i| (std::array::from_fn(|k| cols[k][i].clone()), amt[i]))
        .collect();
    let rj = read("programme_rejected")?;
    let line = table::i64s(&rj, col::LINE)?;
    let (f, r, why) = (
        strs(&rj, col::FILE)?,
        strs(&rj, col::RECORD_ID)?,
        strs(&rj, col::REASON)?,
    );
    let rejected = (0..rj.height())
        .map(|i| {
            [
                f[i].clone(),
                line[i].map(|l| l.to_string()).unwrap_or_default(),
                r[i].clone(),
                why[i].clone(),
            ]
        })
        .collect();
    Ok(Data {
        index,
        budget,
        targets,
        facts,
        activity,
        rejected,
    })
}
