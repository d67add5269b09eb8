//! Stacked headers of statistical tables, as the statistics office prints them: a title over one
//! or two rows, a unit row ("%", "Đơn vị tính: tỷ đồng"), a header whose column names are split
//! over several rows ("Chỉ số sử dụng lao động" / "thời điểm 01/12/2024 so với" / "cùng thời điểm
//! năm trước"), a label column with no header, the year only in the header or title text, and
//! the table restarting halfway down with a repeated title and header ("(Tiếp theo)",
//! "(Cont.)").
//!
//! The band is found from the data upwards: the first data row is the first row with a place
//! label and a number; the header is the run of rows right above it that hold text outside the
//! label column, up to the unit or title row.

use super::layout::{self, Header};
use super::number::{self, NumFormat, parse_year_label};
use super::places;
use super::read::{Cell, Row};
use crate::error::{Error, Result};
use crate::reference::{Place, Reference};
use std::path::Path;

/// How many rows a stacked header may span, and how far down the first data row is looked for.
pub const MAX_BAND: usize = 6;
pub const SEARCH_ROWS: usize = 60;

/// A header band found (or named by `header_rows`).
#[derive(Debug, Clone)]
pub struct Band {
    pub header: Header,
    /// Each column's text joined down the band.
    pub row: Row,
    /// Index of the first data row.
    pub data_start: usize,
    /// Lines of the band (first, last).
    pub lines: (usize, usize),
}

/// Whitespace runs (line breaks inside a cell, doubled spaces) to one space.
pub fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// True when a cell holds a number (stored, or as text in either convention).
fn is_number(c: &Cell) -> bool {
    match c {
        Cell::Num(_) => true,
        Cell::Text(s) => {
            !number::is_missing_mark(s)
                && matches!(number::parse_number(s, NumFormat::Vi), Ok(Some(_)))
        }
        Cell::Empty => false,
    }
}

/// The column of the first place label of a row among its first three cells.
fn place_column(row: &Row) -> Option<usize> {
    (0..row.cells.len().min(3)).find(|&i| match row.get(i) {
        Cell::Text(s) => !matches!(Reference::get().place(s), Place::Unknown),
        _ => false,
    })
}

/// A data row: a place label and at least one number beside it.
pub fn is_data_row(row: &Row) -> bool {
    place_column(row).is_some_and(|p| {
        row.cells
            .iter()
            .enumerate()
            .any(|(i, c)| i != p && is_number(c))
    })
}

/// A unit row: only a unit ("%", "Đơn vị tính: …", "ĐVT: …", "Unit: …").
fn is_unit_row(row: &Row) -> bool {
    let filled: Vec<String> = row
        .cells
        .iter()
        .filter(|c| !c.is_empty())
        .map(|c| squash(&c.text()))
        .collect();
    filled.len() == 1 && {
        let f = crate::text::fold(&filled[0]);
        filled[0] == "%"
            || f.starts_with("donvitinh")
            || f.starts_with("dvt")
            || f.starts_with("unit")
            || layout::unit_exponent(&filled[0]).is_some() && filled[0].chars().count() <= 30
    }
}

/// A row that restarts the table on a new page: "16. (Tiếp theo) …", "(Cont.)".
pub fn is_continuation_title(row: &Row) -> bool {
    let filled: Vec<&Cell> = row.cells.iter().filter(|c| !c.is_empty()).collect();
    filled.len() <= 2
        && filled.iter().any(|c| {
            let w = places::tokens(&c.text());
            let has = |p: &str| places::has_phrase(&w, &places::tokens(p));
            has("tiếp theo") || has("cont") || has("continued") || c.text().contains("(tiếp)")
        })
}

/// Finds the stacked header above the first data row. `forced`: the band's first and last line
/// (`header_rows`). `label`: the label column when the caller knows it.
pub fn find_band(rows: &[Row], forced: Option<(usize, usize)>) -> Option<Band> {
    let (first, last, data_start) = match forced {
        Some((a, b)) => {
            let first = rows.iter().position(|r| r.line >= a)?;
            let last = rows.iter().rposition(|r| r.line <= b)?;
            if last < first {
                return None;
            }
            (first, last, last + 1)
        }
        None => {
            let d = rows.iter().take(SEARCH_ROWS).position(is_data_row)?;
            let label = place_column(&rows[d]).unwrap_or(0);
            let mut first = d;
            while first > 0 && d - first < MAX_BAND {
                let r = &rows[first - 1];
                let outside_label = r
                    .cells
                    .iter()
                    .enumerate()
                    .any(|(i, c)| i != label && !c.is_empty());
                if !outside_label || is_unit_row(r) {
                    break;
                }
                first -= 1;
            }
            if first == d {
                return None;
            }
            (first, d - 1, d)
        }
    };
    let width = rows[first..=last]
        .iter()
        .map(|r| r.cells.len())
        .max()
        .unwrap_or(0);
    let mut cells = Vec::with_capacity(width);
    for i in 0..width {
        let mut parts: Vec<String> = Vec::new();
        for r in &rows[first..=last] {
            let t = squash(&r.get(i).text());
            // Column-number cells ("(1)", "A") and repeats of the cell above add nothing.
            if t.is_empty() || parts.last() == Some(&t) || layout::is_column_number(&t) {
                continue;
            }
            parts.push(t);
        }
        cells.push(if parts.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(parts.join(" "))
        });
    }
    let row = Row {
        line: rows[first].line,
        cells,
    };
    let years: Vec<(usize, i32, bool)> = row
        .cells
        .iter()
        .enumerate()
        .filter_map(|(i, c)| match c {
            Cell::Text(s) => parse_year_label(s).map(|(y, p)| (i, y, p)),
            _ => None,
        })
        .collect();
    Some(Band {
        header: Header {
            index: last,
            years: if years.len() >= 2 { years } else { Vec::new() },
        },
        lines: (rows[first].line, rows[last].line),
        row,
        data_start,
    })
}

/// `header_rows = "5-7"` (or "5") to the band's first and last line.
pub fn parse_header_rows(path: &Path, s: &str) -> Result<(usize, usize)> {
    let bad = || {
        Error::config(
            path,
            format!(
                "header_rows = \"{s}\" is not a line or a range of lines such as \"5-7\" (1-based, as Excel numbers rows)"
            ),
        )
    };
    let mut it = s.split(['-', '–', ':']).map(|p| p.trim().parse::<usize>());
    let a = it.next().ok_or_else(bad)?.map_err(|_| bad())?;
    let b = match it.next() {
        Some(b) => b.map_err(|_| bad())?,
        None => a,
    };
    if it.next().is_some() || a == 0 || b < a || b - a >= 10 {
        return Err(bad());
    }
    Ok((a, b))
}

/// The year and reference date a text states: "thời điểm 01/12/2024" → (2024, "2024-12-01"),
/// "tháng 12 năm 2024", "Năm 2024 so với năm 2023" → 2024 (the first year named), "2024".
pub fn year_in_text(text: &str) -> Option<(i32, Option<String>)> {
    let t = crate::text::clean(text);
    let chars: Vec<char> = t.chars().collect();
    // A date d/m/yyyy first: it is the reference date.
    let s: String = chars.iter().collect();
    for (pos, _) in s.match_indices('/') {
        let before: String = s[..pos]
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_digit())
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let rest = &s[pos + 1..];
        let month: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        let after_month = &rest[month.len()..];
        if before.is_empty() || before.len() > 2 || month.is_empty() || month.len() > 2 {
            continue;
        }
        let Some(after) = after_month.strip_prefix('/') else {
            continue;
        };
        let year: String = after.chars().take_while(|c| c.is_ascii_digit()).collect();
        if year.len() != 4 {
            continue;
        }
        let (d, m, y): (u32, u32, i32) = (
            before.parse().ok()?,
            month.parse().ok()?,
            year.parse().ok()?,
        );
        if (1..=31).contains(&d) && (1..=12).contains(&m) && (1980..=2100).contains(&y) {
            return Some((y, Some(format!("{y:04}-{m:02}-{d:02}"))));
        }
    }
    // Else the first four-digit number that is a plausible year, as a whole word.
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            // Not part of a longer number, a word, or a date that did not read as one.
            let apart = |c: char| !c.is_alphanumeric() && !matches!(c, '/' | '.' | ',' | '-');
            let before_ok = start == 0 || apart(chars[start - 1]);
            let after_ok = i == chars.len() || apart(chars[i]);
            if i - start == 4 && before_ok && after_ok {
                let y: i32 = chars[start..i].iter().collect::<String>().parse().ok()?;
                if (1980..=2100).contains(&y) {
                    return Some((y, None));
                }
            }
        } else {
            i += 1;
        }
    }
    None
}

/// Rows of a table that restarts on a new page: the continuation title and the rows under it up
/// to the next data row (unit row, repeated header). Returns the indices to skip.
pub fn continuation_blocks(data: &[Row]) -> Vec<usize> {
    let mut skip = Vec::new();
    let mut i = 0;
    while i < data.len() {
        if is_continuation_title(&data[i]) && !is_data_row(&data[i]) {
            skip.push(i);
            let start = i;
            i += 1;
            while i < data.len() && i <= start + MAX_BAND + 3 && !is_data_row(&data[i]) {
                // Stop at a row that is a label with values left empty (a region row): it is
                // data, read (and skipped) as such.
                if data[i].cells.iter().filter(|c| !c.is_empty()).count() == 1
                    && place_column(&data[i]).is_some()
                {
                    break;
                }
                skip.push(i);
                i += 1;
            }
            continue;
        }
        i += 1;
    }
    skip
}

/// Excel's column letters for a 0-based index: 0 → "A", 27 → "AB".
pub fn column_letters(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push((b'A' + (i % 26) as u8) as char);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.iter().rev().collect()
}

/// The 0-based index of an Excel column named by its letters ("C", "AB"), if `s` is one.
pub fn column_index(s: &str) -> Option<usize> {
    let t = s.trim();
    if t.is_empty() || t.len() > 3 || !t.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let mut n = 0usize;
    for c in t.chars() {
        n = n * 26 + (c.to_ascii_uppercase() as u8 - b'A') as usize + 1;
    }
    Some(n - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_years_in_header_text() {
        assert_eq!(
            year_in_text(" thời điểm 01/12/2024 so với"),
            Some((2024, Some("2024-12-01".into())))
        );
        assert_eq!(
            year_in_text("thời điểm 1/12/2019 so với"),
            Some((2019, Some("2019-12-01".into())))
        );
        assert_eq!(year_in_text("Năm 2024 so với năm 2023"), Some((2024, None)));
        assert_eq!(year_in_text("Chỉ số sử dụng lao động"), None);
        assert_eq!(year_in_text("mã 12345 và 99/99/2024"), None);
    }

    #[test]
    fn header_rows_ranges() {
        let p = Path::new("x.xlsx");
        assert_eq!(parse_header_rows(p, "5-7").unwrap(), (5, 7));
        assert_eq!(parse_header_rows(p, "3").unwrap(), (3, 3));
        assert!(parse_header_rows(p, "7-5").is_err());
        assert!(parse_header_rows(p, "a-b").is_err());
        assert!(parse_header_rows(p, "0").is_err());
    }

    #[test]
    fn column_letters_round_trip() {
        for (i, s) in [
            (0, "A"),
            (2, "C"),
            (25, "Z"),
            (26, "AA"),
            (27, "AB"),
            (701, "ZZ"),
        ] {
            assert_eq!(column_letters(i), s);
            assert_eq!(column_index(s), Some(i));
        }
        assert_eq!(column_index("năm"), None);
    }
}
