//! Provincial index tables of a real-data run: the industrial production index (previous year
//! = 100) and the employment index of industrial enterprises (same date a year earlier = 100),
//! taken from the clean output table as published. Indices are ratios, so they are never added
//! across provinces or carried onto another map: each value stays on the map of its source.

use crate::contract::schema::col;
use crate::contract::vocab::Measure;
use crate::error::Result;
use crate::reference::{Boundary, Reference};
use crate::table::{self, TableBuilder};
use polars::prelude::DataFrame;
use std::collections::BTreeMap;

/// Code the clean tables give the whole country, when a source keeps its national row.
pub const NATIONAL_CODE: &str = "00";

/// An index measure of the output table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IndexMeasure {
    /// Industrial production index, previous year = 100.
    Iip,
    /// Employment index of industrial enterprises, same date a year earlier = 100.
    EmploymentIndex,
}

impl IndexMeasure {
    pub const ALL: [IndexMeasure; 2] = [IndexMeasure::EmploymentIndex, IndexMeasure::Iip];

    /// The measure (`vocab::Measure`).
    pub fn measure(self) -> Measure {
        match self {
            IndexMeasure::Iip => Measure::Iip,
            IndexMeasure::EmploymentIndex => Measure::EmploymentIndex,
        }
    }

    /// Column of the clean output table.
    pub fn column(self) -> &'static str {
        self.measure().as_str()
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.column() == s)
    }

    /// What 100 means.
    pub fn base(self) -> &'static str {
        match self {
            IndexMeasure::Iip => "previous year = 100",
            IndexMeasure::EmploymentIndex => "same date a year earlier = 100",
        }
    }
}

/// One published index value.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexValue {
    pub measure: IndexMeasure,
    pub year: i32,
    pub province_code: String,
    pub boundary: Boundary,
    pub value: f64,
}

/// The index values of a clean output table, one per (measure, year, province, map). When two
/// sources give the same cell, the first is kept and a note names both values.
pub fn from_output(output: &DataFrame) -> Result<(Vec<IndexValue>, Vec<String>)> {
    let years = table::i32s(output, col::YEAR)?;
    let provinces = table::strs(output, col::PROVINCE_CODE)?;
    let sectors = table::strs_or_null(output, col::SECTOR_CODE)?;
    let maps: Vec<Boundary> = table::strs_or_null(output, col::BOUNDARY)?
        .into_iter()
        .map(|b| {
            b.as_deref()
                .and_then(Boundary::parse)
                .unwrap_or(Boundary::B2008)
        })
        .collect();
    let mut cells: BTreeMap<(IndexMeasure, i32, String, Boundary), f64> = BTreeMap::new();
    let mut notes = Vec::new();
    for m in IndexMeasure::ALL {
        let values = table::f64s_or_null(output, m.column())?;
        for i in 0..output.height() {
            let (Some(year), Some(code), Some(v)) = (years[i], provinces[i].clone(), values[i])
            else {
                continue;
            };
            // Indices of a division or section are not provincial totals.
            if sectors[i].as_deref().is_some_and(|s| !s.is_empty()) {
                continue;
            }
            match cells.entry((m, year, code.clone(), maps[i])) {
                std::collections::btree_map::Entry::Vacant(e) => {
                    e.insert(v);
                }
                std::collections::btree_map::Entry::Occupied(e) => {
                    if *e.get() != v {
                        notes.push(format!(
                            "{} {year} province {code}: two sources give {} and {v}; the first is kept",
                            m.column(),
                            e.get()
                        ));
                    }
                }
            }
        }
    }
    Ok((
        cells
            .into_iter()
            .map(
                |((measure, year, province_code, boundary), value)| IndexValue {
                    measure,
                    year,
                    province_code,
                    boundary,
                    value,
                },
            )
            .collect(),
        notes,
    ))
}

/// The short name of a code on its map ("Cả nước" for the national row).
pub fn name_of(code: &str, boundary: Boundary) -> String {
    if code == NATIONAL_CODE {
        return "Cả nước".into();
    }
    Reference::get()
        .name_of(code, boundary)
        .map(str::to_string)
        .unwrap_or_else(|| code.to_string())
}

/// `indicators/province_index.parquet`: measure, year, province_code, province_name, boundary,
/// value, base, is_national.
pub fn table(values: &[IndexValue]) -> Result<DataFrame> {
    TableBuilder::new()
        .str(
            col::MEASURE,
            values
                .iter()
                .map(|v| Some(v.measure.column().into()))
                .collect(),
        )
        .i32(col::YEAR, values.iter().map(|v| Some(v.year)).collect())
        .str(
            col::PROVINCE_CODE,
            values
                .iter()
                .map(|v| Some(v.province_code.clone()))
                .collect(),
        )
        .str(
            col::PROVINCE_NAME,
            values
                .iter()
                .map(|v| Some(name_of(&v.province_code, v.boundary)))
                .collect(),
        )
        .str(
            col::BOUNDARY,
            values
                .iter()
                .map(|v| Some(v.boundary.as_str().into()))
                .collect(),
        )
        .f64(col::VALUE, values.iter().map(|v| Some(v.value)).collect())
        .str(
            col::BASE,
            values
                .iter()
                .map(|v| Some(v.measure.base().into()))
                .collect(),
        )
        .bool(
            col::IS_NATIONAL,
            values
                .iter()
                .map(|v| Some(v.province_code == NATIONAL_CODE))
                .collect(),
        )
        .build()
}

/// One year of one measure, summarised over the provinces (the national row excluded).
#[derive(Debug, Clone, PartialEq)]
pub struct YearSummary {
    pub measure: IndexMeasure,
    pub year: i32,
    pub provinces: usize,
    /// Provinces above 100 (growth).
    pub above: usize,
    /// Provinces below 100 (decline).
    pub below: usize,
    pub median: f64,
    /// (code, value) of the lowest and highest province.
    pub min: (String, f64),
    pub max: (String, f64),
    pub national: Option<f64>,
}

/// Per measure and year: how many provinces grew, the median, the extremes.
pub fn summarise(values: &[IndexValue]) -> Vec<YearSummary> {
    let mut groups: BTreeMap<(IndexMeasure, i32), Vec<&IndexValue>> = BTreeMap::new();
    for v in values {
        groups.entry((v.measure, v.year)).or_default().push(v);
    }
    let mut out = Vec::new();
    for ((measure, year), vs) in groups {
        let national = vs
            .iter()
            .find(|v| v.province_code == NATIONAL_CODE)
            .map(|v| v.value);
        let mut provs: Vec<&IndexValue> = vs
            .into_iter()
            .filter(|v| v.province_code != NATIONAL_CODE)
            .collect();
        if provs.is_empty() {
            continue;
        }
        provs.sort_by(|a, b| {
            a.value
                .total_cmp(&b.value)
                .then(a.province_code.cmp(&b.province_code))
        });
        let n = provs.len();
        let median = if n % 2 == 1 {
            provs[n / 2].value
        } else {
            (provs[n / 2 - 1].value + provs[n / 2].value) / 2.0
        };
        out.push(YearSummary {
            measure,
            year,
            provinces: n,
            above: provs.iter().filter(|v| v.value > 100.0).count(),
            below: provs.iter().filter(|v| v.value < 100.0).count(),
            median,
            min: (provs[0].province_code.clone(), provs[0].value),
            max: (provs[n - 1].province_code.clone(), provs[n - 1].value),
            national,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output() -> DataFrame {
        TableBuilder::new()
            .i32(col::YEAR, vec![Some(2024); 6])
            .str(
                col::PROVINCE_CODE,
                ["00", "01", "79", "70", "01", "01"]
                    .iter()
                    .map(|s| Some(s.to_string()))
                    .collect(),
            )
            .str(
                col::SECTOR_CODE,
                vec![None, None, None, None, Some("10".into()), None],
            )
            .f64(
                col::EMPLOYMENT_INDEX,
                vec![
                    Some(102.5),
                    Some(98.0),
                    Some(104.0),
                    Some(101.0),
                    Some(150.0),
                    Some(97.0),
                ],
            )
            .f64(col::IIP, vec![None; 6])
            .build()
            .unwrap()
    }

    #[test]
    fn values_keep_the_first_source_and_note_a_conflict() {
        let (vals, notes) = from_output(&output()).unwrap();
        // 00, 01, 70, 79; the sector row is not a provincial total.
        assert_eq!(vals.len(), 4);
        let hn = vals.iter().find(|v| v.province_code == "01").unwrap();
        assert_eq!(hn.value, 98.0);
        assert_eq!(hn.measure, IndexMeasure::EmploymentIndex);
        assert_eq!(notes.len(), 1);
        assert!(
            notes[0].contains("98") && notes[0].contains("97"),
            "{}",
            notes[0]
        );
    }

    #[test]
    fn summary_counts_growth_and_median_by_hand() {
        let (vals, _) = from_output(&output()).unwrap();
        let s = summarise(&vals);
        assert_eq!(s.len(), 1);
        let s = &s[0];
        // Provinces 98, 101, 104 (the national 102.5 is apart).
        assert_eq!((s.provinces, s.above, s.below), (3, 2, 1));
        assert_eq!(s.median, 101.0);
        assert_eq!(s.min, ("01".to_string(), 98.0));
        assert_eq!(s.max, ("79".to_string(), 104.0));
        assert_eq!(s.national, Some(102.5));
        let df = table(&vals).unwrap();
        assert_eq!(df.height(), 4);
        let names = table::strs(&df, col::PROVINCE_NAME).unwrap();
        assert!(names.contains(&Some("Bình Phước".to_string())));
        assert!(names.contains(&Some("Cả nước".to_string())));
    }
}
