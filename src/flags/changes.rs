//! What changed since the flags were last computed: `flags/changes.parquet`, one row per province
//! and window whose effect verdict, flag or scattered call differs from the previous flags table,
//! or that appeared or left, with the evidence before and now. A window whose end moved with a
//! new year of data (same province, same first year) is compared with its earlier self.

use crate::contract::schema::col;
use crate::contract::vocab::ChangeCode;
use crate::error::Result;
use crate::table::TableBuilder;
use polars::prelude::DataFrame;
use std::collections::BTreeMap;

/// One province-window of a flags table, as far as a comparison needs it.
#[derive(Debug, Clone, Default, PartialEq)]
struct Row {
    name: Option<String>,
    start: i32,
    end: i32,
    verdict: Option<String>,
    flagged: Option<bool>,
    scattered: Option<bool>,
    effect: Option<f64>,
    low: Option<f64>,
    high: Option<f64>,
    eff_sectors: Option<f64>,
    small_share: Option<f64>,
    n_grants: Option<i64>,
}

fn column<T: Clone>(
    df: &DataFrame,
    name: &str,
    read: impl Fn(&DataFrame, &str) -> Result<Vec<Option<T>>>,
) -> Result<Vec<Option<T>>> {
    if df.column(name).is_ok() {
        read(df, name)
    } else {
        // A table written by an older version may lack a column: nothing to compare there.
        Ok(vec![None; df.height()])
    }
}

fn rows(df: &DataFrame) -> Result<BTreeMap<String, Vec<Row>>> {
    use crate::table::{bools, f64s_or_null, i32s, i64s, strs, strs_or_null};
    let province = strs(df, col::PROVINCE_CODE)?;
    let start = i32s(df, col::PERIOD_START)?;
    let end = i32s(df, col::PERIOD_END)?;
    let name = column(df, "province_name", strs_or_null)?;
    let verdict = column(df, "effect_verdict", strs_or_null)?;
    let flagged = column(df, "flagged", bools)?;
    let scattered = column(df, "scattered", bools)?;
    let effect = column(df, "effect", f64s_or_null)?;
    let low = column(df, "effect_conf_low", f64s_or_null)?;
    let high = column(df, "effect_conf_high", f64s_or_null)?;
    let eff = column(df, "eff_sectors", f64s_or_null)?;
    let small = column(df, "small_grant_share", f64s_or_null)?;
    let n = column(df, "n_grants", i64s)?;
    let mut out: BTreeMap<String, Vec<Row>> = BTreeMap::new();
    for i in 0..df.height() {
        let (Some(p), Some(s), Some(e)) = (province[i].clone(), start[i], end[i]) else {
            continue;
        };
        out.entry(p).or_default().push(Row {
            name: name[i].clone(),
            start: s,
            end: e,
            verdict: verdict[i].clone(),
            flagged: flagged[i],
            scattered: scattered[i],
            effect: effect[i],
            low: low[i],
            high: high[i],
            eff_sectors: eff[i],
            small_share: small[i],
            n_grants: n[i],
        });
    }
    for v in out.values_mut() {
        v.sort_by_key(|r| (r.start, r.end));
    }
    Ok(out)
}

/// Pairs a province's windows of two runs: the same years first, then the same first year (a
/// window that grew with a new year of data); the rest are new or gone.
fn pair(before: &[Row], now: &[Row]) -> Vec<(Option<Row>, Option<Row>)> {
    let mut b_left: Vec<Option<&Row>> = before.iter().map(Some).collect();
    let mut pairs = Vec::new();
    let mut n_left = Vec::new();
    for n in now {
        match b_left
            .iter_mut()
            .find(|b| b.is_some_and(|b| (b.start, b.end) == (n.start, n.end)))
        {
            Some(slot) => pairs.push((slot.take().cloned(), Some(n.clone()))),
            None => n_left.push(n),
        }
    }
    for n in n_left {
        match b_left
            .iter_mut()
            .find(|b| b.is_some_and(|b| b.start == n.start))
        {
            Some(slot) => pairs.push((slot.take().cloned(), Some(n.clone()))),
            None => pairs.push((None, Some(n.clone()))),
        }
    }
    pairs.extend(
        b_left
            .into_iter()
            .flatten()
            .map(|b| (Some(b.clone()), None)),
    );
    pairs.sort_by_key(|(b, n)| {
        let r = n.as_ref().or(b.as_ref()).map(|r| (r.start, r.end));
        r.unwrap_or_default()
    });
    pairs
}

/// Reason codes of a change (`vocab::ChangeCode`); empty when nothing an advisor acts on
/// changed.
fn change_codes(before: Option<&Row>, now: Option<&Row>) -> Vec<ChangeCode> {
    match (before, now) {
        (None, Some(_)) => vec![ChangeCode::NewWindow],
        (Some(_), None) => vec![ChangeCode::WindowGone],
        (Some(b), Some(n)) => {
            let mut codes = Vec::new();
            if b.verdict != n.verdict {
                codes.push(ChangeCode::Verdict);
            }
            if b.flagged != n.flagged {
                codes.push(ChangeCode::Flag);
            }
            if b.scattered != n.scattered {
                codes.push(ChangeCode::Scattered);
            }
            if !codes.is_empty() && b.end != n.end {
                codes.push(ChangeCode::WindowExtended);
            }
            codes
        }
        (None, None) => Vec::new(),
    }
}

/// The rows of `flags/changes.parquet`: every province-window whose verdict, flag or scattered
/// call differs between `previous` and `current` flags tables (or that appeared or left).
pub fn compare(previous: &DataFrame, current: &DataFrame) -> Result<DataFrame> {
    let before = rows(previous)?;
    let now = rows(current)?;
    let mut provinces: Vec<&String> = before.keys().chain(now.keys()).collect();
    provinces.sort();
    provinces.dedup();
    let mut out: Vec<(String, Option<Row>, Option<Row>, String)> = Vec::new();
    let empty = Vec::new();
    for p in provinces {
        let b = before.get(p).unwrap_or(&empty);
        let n = now.get(p).unwrap_or(&empty);
        for (rb, rn) in pair(b, n) {
            let codes = change_codes(rb.as_ref(), rn.as_ref());
            if !codes.is_empty() {
                let codes: Vec<&str> = codes.iter().map(|c| c.as_str()).collect();
                out.push((p.clone(), rb, rn, codes.join(";")));
            }
        }
    }
    build(&out)
}

/// An empty changes table (no previous flags to compare with), with the same columns.
pub fn empty() -> Result<DataFrame> {
    build(&[])
}

fn build(rows: &[(String, Option<Row>, Option<Row>, String)]) -> Result<DataFrame> {
    fn get<T>(r: &Option<Row>, f: impl Fn(&Row) -> Option<T>) -> Option<T> {
        r.as_ref().and_then(f)
    }
    let col_f64 = |which: bool, f: &dyn Fn(&Row) -> Option<f64>| -> Vec<Option<f64>> {
        rows.iter()
            .map(|(_, b, n, _)| get(if which { n } else { b }, f))
            .collect()
    };
    let col_bool = |which: bool, f: &dyn Fn(&Row) -> Option<bool>| -> Vec<Option<bool>> {
        rows.iter()
            .map(|(_, b, n, _)| get(if which { n } else { b }, f))
            .collect()
    };
    let col_str = |which: bool, f: &dyn Fn(&Row) -> Option<String>| -> Vec<Option<String>> {
        rows.iter()
            .map(|(_, b, n, _)| get(if which { n } else { b }, f))
            .collect()
    };
    let col_i32 = |which: bool, f: &dyn Fn(&Row) -> Option<i32>| -> Vec<Option<i32>> {
        rows.iter()
            .map(|(_, b, n, _)| get(if which { n } else { b }, f))
            .collect()
    };
    let (before, now) = (false, true);
    TableBuilder::new()
        .str(
            col::PROVINCE_CODE,
            rows.iter().map(|(p, ..)| Some(p.clone())).collect(),
        )
        .str(
            col::PROVINCE_NAME,
            rows.iter()
                .map(|(_, b, n, _)| {
                    get(n, |r| r.name.clone()).or_else(|| get(b, |r| r.name.clone()))
                })
                .collect(),
        )
        .str(
            col::CHANGE,
            rows.iter().map(|(.., c)| Some(c.clone())).collect(),
        )
        .i32(
            col::PERIOD_START_BEFORE,
            col_i32(before, &|r| Some(r.start)),
        )
        .i32(col::PERIOD_END_BEFORE, col_i32(before, &|r| Some(r.end)))
        .i32(col::PERIOD_START, col_i32(now, &|r| Some(r.start)))
        .i32(col::PERIOD_END, col_i32(now, &|r| Some(r.end)))
        .str(col::VERDICT_BEFORE, col_str(before, &|r| r.verdict.clone()))
        .str(col::VERDICT_NOW, col_str(now, &|r| r.verdict.clone()))
        .bool(col::FLAGGED_BEFORE, col_bool(before, &|r| r.flagged))
        .bool(col::FLAGGED_NOW, col_bool(now, &|r| r.flagged))
        .bool(col::SCATTERED_BEFORE, col_bool(before, &|r| r.scattered))
        .bool(col::SCATTERED_NOW, col_bool(now, &|r| r.scattered))
        .f64(col::EFFECT_BEFORE, col_f64(before, &|r| r.effect))
        .f64(col::EFFECT_NOW, col_f64(now, &|r| r.effect))
        .f64(col::EFFECT_CONF_LOW_BEFORE, col_f64(before, &|r| r.low))
        .f64(col::EFFECT_CONF_LOW_NOW, col_f64(now, &|r| r.low))
        .f64(col::EFFECT_CONF_HIGH_BEFORE, col_f64(before, &|r| r.high))
        .f64(col::EFFECT_CONF_HIGH_NOW, col_f64(now, &|r| r.high))
        .f64(col::EFF_SECTORS_BEFORE, col_f64(before, &|r| r.eff_sectors))
        .f64(col::EFF_SECTORS_NOW, col_f64(now, &|r| r.eff_sectors))
        .f64(
            col::SMALL_GRANT_SHARE_BEFORE,
            col_f64(before, &|r| r.small_share),
        )
        .f64(col::SMALL_GRANT_SHARE_NOW, col_f64(now, &|r| r.small_share))
        .i64(
            col::N_GRANTS_BEFORE,
            rows.iter()
                .map(|(_, b, ..)| get(b, |r| r.n_grants))
                .collect(),
        )
        .i64(
            col::N_GRANTS_NOW,
            rows.iter()
                .map(|(_, _, n, _)| get(n, |r| r.n_grants))
                .collect(),
        )
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::{bools, strs};

    /// A flags table: (province, start, end, verdict, flagged, scattered).
    fn flags(rows: &[(&str, i32, i32, &str, bool, bool)]) -> DataFrame {
        TableBuilder::new()
            .str(
                col::PROVINCE_CODE,
                rows.iter().map(|r| Some(r.0.to_string())).collect(),
            )
            .i32(col::PERIOD_START, rows.iter().map(|r| Some(r.1)).collect())
            .i32(col::PERIOD_END, rows.iter().map(|r| Some(r.2)).collect())
            .str(
                col::EFFECT_VERDICT,
                rows.iter().map(|r| Some(r.3.to_string())).collect(),
            )
            .bool(col::FLAGGED, rows.iter().map(|r| Some(r.4)).collect())
            .bool(col::SCATTERED, rows.iter().map(|r| Some(r.5)).collect())
            .f64(col::EFFECT, rows.iter().map(|_| Some(0.01)).collect())
            .build()
            .unwrap()
    }

    #[test]
    fn only_what_an_advisor_acts_on_is_listed() {
        let before = flags(&[
            ("01", 2016, 2020, "low", true, true),
            ("01", 2012, 2022, "inconclusive", false, true),
            ("02", 2016, 2020, "clear", false, false),
            ("04", 2016, 2020, "low", false, false),
        ]);
        // A new year: the whole-span window grows to 2023; 01's phase keeps its verdict; 02's
        // verdict moves; 04 leaves; 06 arrives.
        let now = flags(&[
            ("01", 2016, 2020, "low", true, true),
            ("01", 2012, 2023, "low", true, true),
            ("02", 2016, 2020, "inconclusive", false, false),
            ("06", 2016, 2020, "clear", false, true),
        ]);
        let c = compare(&before, &now).unwrap();
        let province = strs(&c, col::PROVINCE_CODE).unwrap();
        let change = strs(&c, col::CHANGE).unwrap();
        let got: Vec<(String, String)> = province
            .into_iter()
            .zip(change)
            .map(|(p, c)| (p.unwrap(), c.unwrap()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("01".into(), "VERDICT;FLAG;WINDOW_EXTENDED".into()),
                ("02".into(), "VERDICT".into()),
                ("04".into(), "WINDOW_GONE".into()),
                ("06".into(), "NEW_WINDOW".into()),
            ]
        );
        assert_eq!(
            bools(&c, col::FLAGGED_BEFORE).unwrap(),
            vec![Some(false), Some(false), Some(false), None]
        );
        assert_eq!(
            bools(&c, col::FLAGGED_NOW).unwrap(),
            vec![Some(true), Some(false), None, Some(false)]
        );
        assert_eq!(
            crate::table::i32s(&c, col::PERIOD_END_BEFORE).unwrap(),
            vec![Some(2022), Some(2020), Some(2020), None]
        );
    }

    #[test]
    fn identical_tables_have_no_changes_and_the_empty_table_has_the_columns() {
        let t = flags(&[("01", 2016, 2020, "low", true, true)]);
        let c = compare(&t, &t).unwrap();
        assert_eq!(c.height(), 0);
        assert_eq!(c.get_column_names(), empty().unwrap().get_column_names());
    }
}
