//! Raw readers: bytes of a CSV, XLSX/XLS or Parquet file in, a grid of cells out, each row
//! carrying the 1-based row number a person sees in a text editor or Excel.
//!
//! The format is told by the file's first bytes (a `.csv` that is really a zip or binary garbage
//! is caught here), text encodings by their byte-order marks (UTF-8, UTF-16 LE/BE as Excel saves
//! "Unicode text"), and the delimiter by which candidate splits the first lines most
//! consistently.

use crate::error::{Error, Result};
use std::path::Path;

/// One cell as stored: Excel keeps numbers natively, text files only text.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Num(f64),
    Text(String),
}

impl Cell {
    /// The cell as text (numbers in their shortest round-trip form).
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Num(v) => {
                if v.fract() == 0.0 && v.abs() < 1e15 {
                    format!("{}", *v as i64)
                } else {
                    format!("{v}")
                }
            }
            Cell::Text(s) => s.clone(),
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Num(_) => false,
            Cell::Text(s) => s.trim().is_empty(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Row {
    /// 1-based line (text files: the line where the record starts) or Excel row number.
    pub line: usize,
    pub cells: Vec<Cell>,
}

impl Row {
    pub fn get(&self, i: usize) -> &Cell {
        self.cells.get(i).unwrap_or(&Cell::Empty)
    }

    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(Cell::is_empty)
    }
}

/// What a file is, by content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Text,
    Workbook,
    Parquet,
}

fn data_err(path: &Path, msg: impl Into<String>) -> Error {
    Error::data(path, None, msg)
}

/// Tells the format from the first bytes, falling back to the extension only to phrase errors.
pub fn sniff(path: &Path, bytes: &[u8]) -> Result<FileFormat> {
    if bytes.is_empty() {
        return Err(data_err(path, "the file is empty; nothing to ingest"));
    }
    if bytes.starts_with(b"PAR1") {
        return Ok(FileFormat::Parquet);
    }
    // Zip (xlsx/ods) and the OLE container of old .xls files.
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Ok(FileFormat::Workbook);
    }
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "ods" | "xlsb") {
        return Err(data_err(
            path,
            "has an Excel extension but is not an Excel workbook (no zip/OLE signature); re-save it from Excel",
        ));
    }
    if ext == "parquet" {
        return Err(data_err(
            path,
            "has a .parquet extension but no Parquet signature",
        ));
    }
    Ok(FileFormat::Text)
}

/// Decodes text: UTF-8 (with or without BOM) or UTF-16 with a BOM. Returns the text and the
/// encoding's name. Binary content and other encodings are an error that says what to do.
pub fn decode_text(path: &Path, bytes: &[u8]) -> Result<(String, &'static str)> {
    let utf16 = |body: &[u8], le: bool| -> Result<String> {
        if !body.len().is_multiple_of(2) {
            return Err(data_err(
                path,
                "UTF-16 text with an odd number of bytes (truncated file?)",
            ));
        }
        let units: Vec<u16> = body
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16(&units)
            .map_err(|_| data_err(path, "invalid UTF-16 text (damaged or not a text file)"))
    };
    let (text, enc) = if let Some(body) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        (
            String::from_utf8(body.to_vec()).map_err(|_| not_text(path))?,
            "UTF-8 with BOM",
        )
    } else if let Some(body) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        (utf16(body, true)?, "UTF-16 LE")
    } else if let Some(body) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        (utf16(body, false)?, "UTF-16 BE")
    } else if looks_utf16_without_bom(bytes) {
        let le = bytes.len() > 1 && bytes[1] == 0;
        (
            utf16(bytes, le)?,
            if le { "UTF-16 LE" } else { "UTF-16 BE" },
        )
    } else {
        (
            String::from_utf8(bytes.to_vec()).map_err(|_| not_text(path))?,
            "UTF-8",
        )
    };
    // Control characters other than tab/CR/LF mean binary content that happened to decode.
    let controls = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n' | '\u{c}'))
        .count();
    if controls > 0 && controls * 100 > text.chars().count().max(1) {
        return Err(not_text(path));
    }
    Ok((text, enc))
}

fn not_text(path: &Path) -> Error {
    data_err(
        path,
        "is not UTF-8/UTF-16 text, an Excel workbook or Parquet (binary or legacy-encoded file); save it as \"CSV UTF-8\" or .xlsx",
    )
}

/// ASCII text saved as UTF-16 without a BOM: every other byte is zero.
fn looks_utf16_without_bom(bytes: &[u8]) -> bool {
    let n = bytes.len().min(400) / 2 * 2;
    if n < 8 {
        return false;
    }
    let head = &bytes[..n];
    let even_zero = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_zero = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    let half = n / 2;
    (odd_zero * 10 >= half * 9 && even_zero == 0) || (even_zero * 10 >= half * 9 && odd_zero == 0)
}

/// Chooses the delimiter that splits the first lines into the same number of fields most often.
pub fn detect_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(60)
        .collect();
    let mut best = (b',', 0usize, 0usize);
    for delim in [b';', b',', b'\t', b'|'] {
        let counts: Vec<usize> = lines
            .iter()
            .map(|l| count_outside_quotes(l, delim))
            .collect();
        let mut freq: std::collections::HashMap<usize, usize> = Default::default();
        for &c in counts.iter().filter(|&&c| c > 0) {
            *freq.entry(c).or_default() += 1;
        }
        // Most lines sharing one non-zero count; more fields breaks ties.
        let (mode, lines_with_mode) = freq
            .into_iter()
            .max_by_key(|&(c, n)| (n, c))
            .unwrap_or((0, 0));
        if (lines_with_mode, mode) > (best.1, best.2) {
            best = (delim, lines_with_mode, mode);
        }
    }
    best.0
}

fn count_outside_quotes(line: &str, delim: u8) -> usize {
    let mut in_q = false;
    let mut n = 0;
    for &b in line.as_bytes() {
        if b == b'"' {
            in_q = !in_q;
        } else if b == delim && !in_q {
            n += 1;
        }
    }
    n
}

/// Splits delimited text (RFC 4180 quoting; quoted fields may hold delimiters and newlines).
/// Each row records the line where it starts. Blank lines yield no row.
pub fn parse_delimited(text: &str, delim: u8) -> Vec<Row> {
    let delim = delim as char;
    let mut rows = Vec::new();
    let mut cells = Vec::new();
    let mut field = String::new();
    let mut in_q = false;
    let mut quoted = false;
    let mut line = 1usize;
    let mut start_line = 1usize;
    let mut chars = text.trim_start_matches('\u{feff}').chars().peekable();
    let push_field = |field: &mut String, cells: &mut Vec<Cell>, quoted: &mut bool| {
        let f = std::mem::take(field);
        // Whitespace-only fields, quoted or not, carry nothing.
        cells.push(if f.trim().is_empty() {
            Cell::Empty
        } else {
            Cell::Text(f)
        });
        *quoted = false;
    };
    while let Some(c) = chars.next() {
        if in_q {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                '"' => in_q = false,
                '\n' => {
                    line += 1;
                    field.push('\n');
                }
                c => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.trim().is_empty() => {
                field.clear();
                in_q = true;
                quoted = true;
            }
            c if c == delim => push_field(&mut field, &mut cells, &mut quoted),
            '\r' => {}
            '\n' => {
                push_field(&mut field, &mut cells, &mut quoted);
                let row = Row {
                    line: start_line,
                    cells: std::mem::take(&mut cells),
                };
                if !row.is_blank() {
                    rows.push(row);
                }
                line += 1;
                start_line = line;
            }
            c => field.push(c),
        }
    }
    if !field.is_empty() || !cells.is_empty() {
        push_field(&mut field, &mut cells, &mut quoted);
        let row = Row {
            line: start_line,
            cells,
        };
        if !row.is_blank() {
            rows.push(row);
        }
    }
    rows
}

pub use super::workbook::read_workbook;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_and_bom_decode() {
        let p = Path::new("x.csv");
        let s = "Tỉnh;2012\r\nBình Phước;105,8\r\n";
        let mut le = vec![0xFF, 0xFE];
        le.extend(s.encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(decode_text(p, &le).unwrap(), (s.to_string(), "UTF-16 LE"));
        let mut be = vec![0xFE, 0xFF];
        be.extend(s.encode_utf16().flat_map(|u| u.to_be_bytes()));
        assert_eq!(decode_text(p, &be).unwrap().0, s);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend(s.as_bytes());
        assert_eq!(decode_text(p, &bom).unwrap().1, "UTF-8 with BOM");
        assert!(decode_text(p, &[0x00, 0x01, 0x02, 0xff, 0xfe, 0x80, 0x81, 0x03]).is_err());
    }

    #[test]
    fn delimiter_and_rows() {
        let text = "\"Title; with (Tỷ đồng)\"\r\n\r\n\"Tỉnh, thành phố\";\"2012\";\"2013\"\r\n\"Hà Nội\";3.916,7;1,5\r\n\"Huế\";..;2\r\n";
        assert_eq!(detect_delimiter(text), b';');
        let rows = parse_delimited(text, b';');
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[0].line, 1);
        assert_eq!(rows[1].line, 3);
        assert_eq!(rows[2].cells[1], Cell::Text("3.916,7".into()));
        assert_eq!(rows[3].line, 5);
        assert_eq!(detect_delimiter("a,b,c\n1,2,3\n4,5,6\n"), b',');
        // A quoted newline keeps the record's first line number and advances the next.
        let rows = parse_delimited("a,b\n\"x\ny\",2\nz,3\n", b',');
        assert_eq!(rows[1].cells[0], Cell::Text("x\ny".into()));
        assert_eq!(rows[2].line, 4);
    }

    #[test]
    fn sniff_rejects_fakes() {
        let p = Path::new("a.xlsx");
        assert!(sniff(p, b"hello").is_err());
        assert!(sniff(Path::new("a.csv"), b"").is_err());
        assert_eq!(
            sniff(Path::new("a.csv"), b"PK\x03\x04...").unwrap(),
            FileFormat::Workbook
        );
        assert_eq!(sniff(Path::new("a.csv"), b"a,b").unwrap(), FileFormat::Text);
    }

    #[test]
    fn random_bytes_never_panic() {
        let mut rng = crate::stats::rng::Rng::new(99);
        let p = Path::new("fuzz.csv");
        for i in 0..2_000 {
            let len = rng.below(200);
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    if i % 2 == 0 {
                        {
                            let pool = b";,\"\r\n.-0123456789ab";
                            pool[rng.below(pool.len())]
                        }
                    } else {
                        rng.below(256) as u8
                    }
                })
                .collect();
            if let Ok(FileFormat::Text) = sniff(p, &bytes)
                && let Ok((text, _)) = decode_text(p, &bytes)
            {
                let d = detect_delimiter(&text);
                let _ = parse_delimited(&text, d);
            }
            let _ = read_workbook(Path::new("fuzz.xlsx"), bytes, None);
        }
    }
}
