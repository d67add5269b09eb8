//! Workbooks read within bounds. An .xlsx sheet is read cell by cell from its XML, so a stray
//! value far from the table (real workbooks carry them, up to the last cell XFD1048576) costs one
//! cell, not a dense rectangle of seventeen billion. Before anything is decompressed the zip
//! directory is checked against [`MAX_DECOMPRESSED_BYTES`]; a sheet may hold at most
//! [`MAX_CELLS`] values, [`MAX_ROWS`] rows and [`MAX_SLOTS`] cell positions once rows are laid
//! out (text files read cell by cell: the same row and position limits). Past a limit the file
//! is a data error (exit 3) that names the limit.
//!
//! Old .xls (BIFF) and .ods files go through calamine's dense range: their formats bound a sheet
//! (.xls: 65,536 × 256 cells), and the same [`MAX_SLOTS`] limit applies before rows are built.

use super::read::{Cell, Row};
use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::path::Path;

/// Uncompressed size of all parts of an .xlsx / .ods zip together.
pub const MAX_DECOMPRESSED_BYTES: u64 = 1 << 30;
/// Values (non-empty cells) read from one sheet.
pub const MAX_CELLS: usize = 5_000_000;
/// Cell positions held once the sheet is laid out row by row (each row as wide as its last
/// value): about 32 bytes each.
pub const MAX_SLOTS: usize = 20_000_000;

/// Rows of a table read cell by cell (a text file whose headers are not the canonical names,
/// or a sheet); clean canonical CSV and Parquet files take the fast path and have no such limit.
pub const MAX_ROWS: usize = 2_000_000;

/// The row and cell limits for a grid read from a text file.
pub fn check_grid(path: &Path, rows: &[Row]) -> Result<()> {
    let cells: usize = rows.iter().map(|r| r.cells.len()).sum();
    if rows.len() > MAX_ROWS || cells > MAX_SLOTS {
        return Err(data_err(
            path,
            format!(
                "{} rows / {cells} cells to read cell by cell (limits {MAX_ROWS} rows, {MAX_SLOTS} cells); give the file the canonical column names (docs/TABLES.md) so it takes the fast path, or split it",
                rows.len()
            ),
        ));
    }
    Ok(())
}

fn data_err(path: &Path, msg: impl Into<String>) -> Error {
    Error::data(path, None, msg)
}

fn u16_at(b: &[u8], i: usize) -> Option<u64> {
    b.get(i..i + 2)
        .map(|s| u16::from_le_bytes([s[0], s[1]]) as u64)
}

fn u32_at(b: &[u8], i: usize) -> Option<u64> {
    b.get(i..i + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]) as u64)
}

/// The total uncompressed size a zip's central directory declares, `None` when the directory
/// cannot be found (calamine then reports the damage). ZIP64 sizes count as over the limit.
pub fn zip_uncompressed_total(bytes: &[u8]) -> Option<u64> {
    const EOCD: [u8; 4] = [0x50, 0x4b, 0x05, 0x06];
    const CDH: [u8; 4] = [0x50, 0x4b, 0x01, 0x02];
    let from = bytes.len().saturating_sub(22 + 65_535);
    let eocd = (from..bytes.len().saturating_sub(21))
        .rev()
        .find(|&i| bytes[i..i + 4] == EOCD)?;
    let entries = u16_at(bytes, eocd + 10)?;
    let cd_offset = u32_at(bytes, eocd + 16)? as usize;
    let mut at = cd_offset;
    let mut total: u64 = 0;
    for _ in 0..entries {
        if bytes.get(at..at + 4)? != CDH {
            return None;
        }
        let size = u32_at(bytes, at + 24)?;
        if size == u32::MAX as u64 {
            return Some(u64::MAX);
        }
        total = total.saturating_add(size);
        let (n, e, c) = (
            u16_at(bytes, at + 28)? as usize,
            u16_at(bytes, at + 30)? as usize,
            u16_at(bytes, at + 32)? as usize,
        );
        at += 46 + n + e + c;
    }
    Some(total)
}

/// Reads one sheet of a workbook (the named one, else the first that holds data). Merged cells
/// take the value of their top-left cell, so a province label merged over several rows reaches
/// each of them. Formula cells come back as their cached values.
pub fn read_workbook(
    path: &Path,
    bytes: Vec<u8>,
    sheet: Option<&str>,
) -> Result<(Vec<Row>, String)> {
    use calamine::Reader;
    if bytes.starts_with(b"PK\x03\x04")
        && let Some(total) = zip_uncompressed_total(&bytes)
        && total > MAX_DECOMPRESSED_BYTES
    {
        return Err(data_err(
            path,
            format!(
                "the workbook would decompress to {} (limit {} MiB); split it or save the sheet you need as CSV",
                if total == u64::MAX {
                    "more than 4 GiB".to_string()
                } else {
                    format!("{} MiB", total >> 20)
                },
                MAX_DECOMPRESSED_BYTES >> 20
            ),
        ));
    }
    let cursor = std::io::Cursor::new(bytes);
    let mut wb = calamine::open_workbook_auto_from_rs(cursor).map_err(|e| {
        data_err(
            path,
            format!("cannot open the workbook ({e}); the file is damaged, truncated or not an Excel file"),
        )
    })?;
    let names = wb.sheet_names();
    let name = match sheet {
        Some(s) => names
            .iter()
            .find(|n| n.as_str() == s)
            .or_else(|| {
                names
                    .iter()
                    .find(|n| crate::text::fold(n) == crate::text::fold(s))
            })
            .cloned()
            .ok_or_else(|| {
                data_err(
                    path,
                    format!("has no sheet \"{s}\" (sheets: {})", names.join(", ")),
                )
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| data_err(path, "the workbook has no sheets"))?,
    };
    let cannot = |e: &dyn std::fmt::Display| {
        data_err(
            path,
            format!("cannot read sheet \"{name}\" ({e}); the file may be damaged"),
        )
    };
    let (cells, merged) = match &mut wb {
        calamine::Sheets::Xlsx(x) => {
            let merged = x.merge_cells_by_sheet_name(&name).unwrap_or_default();
            let mut reader = x.worksheet_cells_reader(&name).map_err(|e| cannot(&e))?;
            let mut cells: BTreeMap<(u32, u32), Cell> = BTreeMap::new();
            while let Some(c) = reader.next_cell().map_err(|e| cannot(&e))? {
                let value = from_data_ref(c.get_value());
                if value.is_empty() {
                    continue;
                }
                if cells.len() >= MAX_CELLS {
                    return Err(data_err(
                        path,
                        format!(
                            "sheet \"{name}\" holds more than {MAX_CELLS} values (limit); save the table you need on a sheet of its own or as CSV"
                        ),
                    ));
                }
                cells.insert(c.get_position(), value);
            }
            (cells, merged)
        }
        other => {
            let range = other.worksheet_range(&name).map_err(|e| cannot(&e))?;
            let merged = match other {
                calamine::Sheets::Xls(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
                _ => Vec::new(),
            };
            let mut cells = BTreeMap::new();
            for (r, c, d) in range.used_cells() {
                let value = from_data(d);
                if !value.is_empty() {
                    let (r0, c0) = range.start().unwrap_or((0, 0));
                    cells.insert((r0 + r as u32, c0 + c as u32), value);
                }
            }
            (cells, merged)
        }
    };
    let rows = lay_out(path, &name, cells, &merged)?;
    Ok((rows, name))
}

fn from_data_ref(d: &calamine::DataRef) -> Cell {
    use calamine::DataRef;
    match d {
        DataRef::Empty => Cell::Empty,
        DataRef::Int(i) => Cell::Num(*i as f64),
        DataRef::Float(f) => Cell::Num(*f),
        DataRef::Bool(b) => Cell::Text(b.to_string()),
        DataRef::String(s) => Cell::Text(s.clone()),
        DataRef::SharedString(s) => Cell::Text(s.to_string()),
        DataRef::DateTime(d) => Cell::Num(d.as_f64()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::Text(s.clone()),
        // "#N/A", "#DIV/0!": kept as text so the row is rejected with the value shown.
        DataRef::Error(e) => Cell::Text(format!("#{e:?}")),
    }
}

fn from_data(d: &calamine::Data) -> Cell {
    use calamine::Data;
    match d {
        Data::Empty => Cell::Empty,
        Data::Int(i) => Cell::Num(*i as f64),
        Data::Float(f) => Cell::Num(*f),
        Data::Bool(b) => Cell::Text(b.to_string()),
        Data::String(s) => Cell::Text(s.clone()),
        Data::DateTime(d) => Cell::Num(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Text(format!("#{e:?}")),
    }
}

/// Sparse cells (0-based row, column) to rows, merged ranges filled from their top-left cell
/// within the rows and columns that hold values.
fn lay_out(
    path: &Path,
    name: &str,
    mut cells: BTreeMap<(u32, u32), Cell>,
    merged: &[calamine::Dimensions],
) -> Result<Vec<Row>> {
    let max_col = cells.keys().map(|k| k.1).max().unwrap_or(0);
    let rows_with_values: std::collections::BTreeSet<u32> = cells.keys().map(|k| k.0).collect();
    for m in merged {
        let (sr, sc) = m.start;
        let (er, ec) = m.end;
        let Some(value) = cells.get(&(sr, sc)).cloned() else {
            continue;
        };
        // Bounded: columns up to the last one holding a value, rows that hold values.
        let ec = ec.min(max_col);
        let rows_in = rows_with_values.range(sr..=er).count();
        let fill = (ec.saturating_sub(sc) as usize + 1).saturating_mul(rows_in);
        if cells.len().saturating_add(fill) > MAX_CELLS {
            return Err(Error::data(
                path,
                None,
                format!(
                    "sheet \"{name}\": merged cells would fill more than {MAX_CELLS} positions (limit); unmerge them or save the table as CSV"
                ),
            ));
        }
        for &r in rows_with_values.range(sr..=er) {
            for c in sc..=ec {
                cells.entry((r, c)).or_insert_with(|| value.clone());
            }
        }
    }
    // Positions the rows will hold, counted before anything is allocated.
    let mut slots = 0usize;
    let mut last: Option<(u32, u32)> = None;
    for &(r, c) in cells.keys() {
        match last {
            Some((lr, _)) if lr == r => last = Some((r, c)),
            _ => {
                slots += last.map_or(0, |(_, lc)| lc as usize + 1);
                last = Some((r, c));
            }
        }
    }
    slots += last.map_or(0, |(_, lc)| lc as usize + 1);
    if slots > MAX_SLOTS {
        return Err(Error::data(
            path,
            None,
            format!(
                "sheet \"{name}\" spreads its values over {slots} cell positions (limit {MAX_SLOTS}), e.g. stray values far to the right of the table on many rows; delete them or save the table as CSV"
            ),
        ));
    }
    let mut rows: Vec<Row> = Vec::new();
    let mut current: Option<Row> = None;
    for ((r, c), cell) in cells {
        let line = r as usize + 1;
        if current.as_ref().is_none_or(|row| row.line != line) {
            if let Some(row) = current.take() {
                rows.push(row);
            }
            current = Some(Row {
                line,
                cells: Vec::new(),
            });
        }
        let row = current.as_mut().expect("set above");
        let c = c as usize;
        if row.cells.len() <= c {
            row.cells.resize(c + 1, Cell::Empty);
        }
        row.cells[c] = cell;
    }
    if let Some(row) = current {
        rows.push(row);
    }
    rows.retain(|r| !r.is_blank());
    if rows.len() > MAX_ROWS {
        return Err(Error::data(
            path,
            None,
            format!(
                "sheet \"{name}\" has {} rows with values (limit {MAX_ROWS}); split it or save it as CSV with the canonical column names",
                rows.len()
            ),
        ));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zip_directory_sizes() {
        // A real .xlsx written by rust_xlsxwriter: the declared sizes add up to more than the
        // compressed file and far less than the limit.
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "Tỉnh").unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let total = zip_uncompressed_total(&bytes).unwrap();
        assert!(total > bytes.len() as u64 / 2 && total < MAX_DECOMPRESSED_BYTES);
        assert_eq!(zip_uncompressed_total(b"PK\x03\x04 not a zip"), None);
    }

    #[test]
    fn positions_are_counted_before_rows_are_built() {
        let p = Path::new("many_stray.xlsx");
        // One stray value at XFD on each of 1,300 rows: 1,300 × 16,384 positions, over the
        // limit, refused without laying a row out.
        let cells: BTreeMap<(u32, u32), Cell> = (0..1_300u32)
            .map(|r| ((r, 16_383), Cell::Num(1.0)))
            .collect();
        let err = lay_out(p, "S", cells, &[]).unwrap_err().to_string();
        assert!(err.contains("21299200 cell positions"), "{err}");
        // A table and one stray value far away: read, the stray row as wide as its value.
        let mut cells: BTreeMap<(u32, u32), Cell> = BTreeMap::new();
        cells.insert((0, 0), Cell::Text("Năm".into()));
        cells.insert((0, 1), Cell::Text("Tỉnh".into()));
        cells.insert((1_048_575, 16_383), Cell::Num(1.0));
        let rows = lay_out(p, "S", cells, &[]).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].line, 1_048_576);
        assert_eq!(rows[1].cells.len(), 16_384);
        // A merged range reaching the sheet's far corner is filled only where values are.
        let mut cells: BTreeMap<(u32, u32), Cell> = BTreeMap::new();
        cells.insert((0, 0), Cell::Text("Tiêu đề".into()));
        cells.insert((1, 2), Cell::Num(5.0));
        let merged = [calamine::Dimensions {
            start: (0, 0),
            end: (1_048_575, 16_383),
        }];
        let rows = lay_out(p, "S", cells, &merged).unwrap();
        assert_eq!(rows.len(), 2);
        assert!(rows.iter().all(|r| r.cells.len() <= 3));
    }
}
