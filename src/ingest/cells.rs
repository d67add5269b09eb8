//! The cell-by-cell path: a grid of rows in, the header found (one row, a stacked band, or the
//! rows a source names), each column's meaning and number convention decided, then the rows
//! read as a wide (years across) or long table.

use super::*;
pub(super) enum PlaceRef {
    Code(String),
    Hit {
        label: String,
        old: Option<String>,
        new: Option<String>,
    },
}

pub(super) struct Rec {
    pub(super) line: usize,
    pub(super) year: i32,
    pub(super) place: PlaceRef,
    pub(super) place_column: String,
    pub(super) sector: Option<String>,
    pub(super) activity: Option<&'static str>,
    pub(super) source: Option<&'static str>,
    pub(super) project_id: Option<String>,
    pub(super) beneficiary: Option<String>,
    pub(super) nums: [Option<f64>; 6],
}

pub(super) struct ColInfo {
    pub(super) index: usize,
    pub(super) header: String,
    pub(super) role: Role,
    pub(super) format: NumFormat,
    /// Multiplier to the canonical unit.
    pub(super) factor: f64,
}

pub(super) fn vietnamese(text: &str) -> bool {
    text.chars().any(|c| !c.is_ascii() && c.is_alphabetic())
}

pub(super) fn cell_year(cell: &Cell) -> Option<i32> {
    match cell {
        Cell::Num(v) if v.fract() == 0.0 && (1900.0..=2200.0).contains(v) => Some(*v as i32),
        Cell::Text(s) => number::parse_year_label(s).map(|(y, _)| y),
        _ => None,
    }
}

pub(super) fn is_roman(s: &str) -> bool {
    let t = s.trim().trim_end_matches('.');
    !t.is_empty() && t.len() <= 6 && t.chars().all(|c| "IVXLC".contains(c))
}

pub(super) fn is_total_label(s: &str) -> bool {
    let f = crate::text::fold(s);
    matches!(
        f.as_str(),
        "tongcong" | "tongso" | "total" | "grandtotal" | "cong" | "tong"
    ) || f.starts_with("tongcong")
        || f.starts_with("grandtotal")
}

pub(super) fn normalise_code(cell: &Cell) -> Option<String> {
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

pub(super) fn from_rows(
    spec: &SourceSpec,
    rows: Vec<Row>,
    mut notes: Vec<String>,
) -> Result<Ingested> {
    let path = &spec.path;
    let kind = spec.kind;
    let override_keys: Vec<String> = spec.columns.keys().cloned().collect();
    // Line breaks and repeated spaces inside cells ("Kinh phí KCQG⏎(triệu đồng)") are layout.
    let rows: Vec<Row> = rows
        .into_iter()
        .map(|mut r| {
            for c in r.cells.iter_mut() {
                if let Cell::Text(t) = c
                    && (t.contains(|ch: char| ch.is_whitespace() && ch != ' ') || t.contains("  "))
                {
                    *t = stacked::squash(t);
                }
            }
            r
        })
        .collect();
    let forced_band = spec
        .header_rows
        .as_deref()
        .map(|s| stacked::parse_header_rows(path, s))
        .transpose()?;
    let single = match forced_band {
        Some(_) => None,
        None => layout::find_header(&rows, kind, spec.header_row, &override_keys),
    };
    let (header, merged_header, data_start, title_end) = match single {
        Some(header) => {
            let (merged, extra) = continue_header(&rows, &header, &mut notes);
            let data_start = header.index + 1 + extra;
            let title_end = header.index;
            (header, merged, data_start, title_end)
        }
        None => match stacked::find_band(&rows, forced_band) {
            Some(band) => {
                notes.push(format!(
                    "header stacked over rows {}–{}{}",
                    band.lines.0,
                    band.lines.1,
                    if forced_band.is_some() {
                        " (header_rows)"
                    } else {
                        ", found above the first row with a place and a number"
                    }
                ));
                let first = rows
                    .iter()
                    .position(|r| r.line == band.lines.0)
                    .unwrap_or(0);
                (band.header, band.row, band.data_start, first)
            }
            None => return Err(no_header_error(spec, &rows)),
        },
    };
    let hrow = &merged_header;
    let title_text: String = rows[..title_end]
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
        // A `columns` key names a header (as in the file) or a column by its letters ("C").
        let over = spec
            .columns
            .iter()
            .find(|(k, _)| !h.trim().is_empty() && crate::text::fold(k) == crate::text::fold(&h))
            .or_else(|| {
                spec.columns
                    .iter()
                    .find(|(k, _)| stacked::column_index(k) == Some(i))
            });
        let h = if h.trim().is_empty() {
            format!("column {}", stacked::column_letters(i))
        } else {
            h
        };
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
            // An index against the previous month is never read as one against a year earlier.
            if role.is_index() && over.is_none() {
                match layout::comparison(&h) {
                    layout::Comparison::MonthOnMonth => {
                        notes.push(format!(
                            "column {} \"{h}\" skipped: an index against the previous month (or quarter), not against a year earlier",
                            stacked::column_letters(i)
                        ));
                        continue;
                    }
                    layout::Comparison::FixedBase => {
                        notes.push(format!(
                            "column {} \"{h}\" skipped: an index against a fixed base year, not against a year earlier",
                            stacked::column_letters(i)
                        ));
                        continue;
                    }
                    layout::Comparison::YearOnYear | layout::Comparison::Unstated => {}
                }
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
    // A table restarting on a new page: its title and repeated header are skipped.
    let repeat = stacked::continuation_blocks(&rows[data_start..]);
    let line_list = |idx: &[usize]| -> String {
        idx.iter()
            .take(12)
            .map(|&i| rows[data_start + i].line.to_string())
            .collect::<Vec<_>>()
            .join(", ")
            + if idx.len() > 12 { ", …" } else { "" }
    };
    if !repeat.is_empty() {
        notes.push(format!(
            "table restarts at row {} (continuation title and repeated header, rows {} skipped)",
            rows[data_start + repeat[0]].line,
            line_list(&repeat)
        ));
    }
    // Rows whose values all lie right of the header's last column (stray cells far from the
    // table) are not part of it.
    let width = hrow
        .cells
        .iter()
        .rposition(|c| !c.is_empty())
        .map_or(0, |i| i + 1);
    let outside: Vec<usize> = rows[data_start..]
        .iter()
        .enumerate()
        .filter(|(_, r)| width > 0 && r.cells.iter().take(width).all(Cell::is_empty))
        .map(|(i, _)| i)
        .collect();
    if !outside.is_empty() {
        notes.push(format!(
            "{} row(s) with values only right of the table's last column skipped (rows {})",
            outside.len(),
            line_list(&outside)
        ));
    }
    let drop: HashSet<usize> = repeat.iter().chain(outside.iter()).copied().collect();
    let kept: Vec<Row>;
    let data: &[Row] = if drop.is_empty() {
        &rows[data_start..]
    } else {
        kept = rows[data_start..]
            .iter()
            .enumerate()
            .filter(|(i, _)| !drop.contains(i))
            .map(|(_, r)| r.clone())
            .collect();
        &kept
    };
    if !wide {
        place_measure(spec, hrow, data, &mut cols, &mut taken, &mut notes)?;
    }
    let fixed_year = if wide || taken.contains(&Role::Year) {
        None
    } else {
        table_year(spec, &cols, &title_text, &mut notes)
    };
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
    let mut skipped = data_start + drop.len();
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
            fixed_year,
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

/// A two-row header or a column-numbering row under the header joins it (at most two rows).
/// Only a row that a rule recognises continues the header, and the note names its lines, so a
/// data row is never absorbed silently.
fn continue_header(rows: &[Row], header: &layout::Header, notes: &mut Vec<String>) -> (Row, usize) {
    let mut merged_header = rows[header.index].clone();
    let mut extra = 0;
    let mut what: Vec<String> = Vec::new();
    while extra < 2 {
        let Some(next) = rows.get(header.index + 1 + extra) else {
            break;
        };
        match layout::continues_header(next) {
            None => break,
            Some(layout::Continuation::Numbering) => {
                what.push(format!("row {} (column numbers)", next.line));
            }
            // Under a header of years, only a numbering row continues it.
            Some(layout::Continuation::Words) if !header.years.is_empty() => break,
            Some(layout::Continuation::Words) => {
                what.push(format!("row {} (second header line)", next.line));
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
        notes.push(format!(
            "header on row {} continues over {}",
            rows[header.index].line,
            what.join(", ")
        ));
    }
    (merged_header, extra)
}

/// The error when no header can be found: what was tried and the keys that fix it.
fn no_header_error(spec: &SourceSpec, rows: &[Row]) -> Error {
    let shown: Vec<String> = rows
        .iter()
        .take(8)
        .map(|r| {
            let cells: Vec<String> = r
                .cells
                .iter()
                .enumerate()
                .filter(|(_, c)| !c.is_empty())
                .take(4)
                .map(|(i, c)| {
                    let t: String = c.text().chars().take(40).collect();
                    format!("{}=\"{t}\"", stacked::column_letters(i))
                })
                .collect();
            format!("row {}: {}", r.line, cells.join(" "))
        })
        .collect();
    Error::data(
        &spec.path,
        None,
        format!(
            "no header found: no row among the first 40 has two {} headers (\"Năm\", \"Tỉnh\"/\"Địa điểm\", \"Kinh phí\", \"Chỉ số\") or two years, and no row among the first {} has a place name and a number to find a stacked header above it; rows tried: {}; name the header with header_rows = \"5-7\" (or header_row), the year with year = 2024 and the columns with columns = {{ C = \"employment_index\" }} (flags --header-rows, --year, --column C=employment_index)",
            spec.kind.as_str(),
            stacked::SEARCH_ROWS,
            if shown.is_empty() {
                "none (the sheet is empty)".to_string()
            } else {
                shown.join("; ")
            }
        ),
    )
}

/// `measure` on a long table: the one column of numbers that no header placed takes it. A long
/// output table with no measure column at all is an error that names the columns left over.
fn place_measure(
    spec: &SourceSpec,
    hrow: &Row,
    data: &[Row],
    cols: &mut Vec<ColInfo>,
    taken: &mut HashSet<Role>,
    notes: &mut Vec<String>,
) -> Result<()> {
    let path = &spec.path;
    let placed: HashSet<usize> = cols.iter().map(|c| c.index).collect();
    let width = data.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    let numeric: Vec<usize> = (0..width)
        .filter(|i| !placed.contains(i))
        .filter(|&i| {
            let n = data
                .iter()
                .filter(|r| {
                    matches!(r.get(i), Cell::Num(_))
                        || matches!(r.get(i), Cell::Text(s) if matches!(number::parse_number(s, NumFormat::Vi), Ok(Some(_))))
                })
                .count();
            n * 2 >= data.len().max(1)
        })
        .collect();
    let describe = |idx: &[usize]| -> String {
        idx.iter()
            .map(|&i| {
                let h = hrow.get(i).text();
                if h.trim().is_empty() {
                    format!("{} (no header)", stacked::column_letters(i))
                } else {
                    format!("{} \"{}\"", stacked::column_letters(i), h)
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(m) = spec.measure.as_deref() {
        let role = layout::measure_from_name(m).ok_or_else(|| {
            Error::config(
                path,
                format!("measure = \"{m}\" is not one of output_bvnd, iip, employment, employment_index, establishments, amount_mvnd"),
            )
        })?;
        if !role.fits(spec.kind) {
            return Err(Error::config(
                path,
                format!(
                    "measure = \"{m}\" does not fit a {} source",
                    spec.kind.as_str()
                ),
            ));
        }
        if !taken.contains(&role) {
            match numeric.as_slice() {
                [i] => {
                    notes.push(format!("column {} read as {m} (measure)", describe(&[*i])));
                    taken.insert(role);
                    cols.push(ColInfo {
                        index: *i,
                        header: crate::text::clean(&hrow.get(*i).text()),
                        role,
                        format: NumFormat::Vi,
                        factor: 1.0,
                    });
                }
                [] => {
                    return Err(Error::data(
                        path,
                        None,
                        format!(
                            "measure = \"{m}\": no column of numbers is left to hold it; name the column with columns = {{ C = \"{m}\" }}"
                        ),
                    ));
                }
                many => {
                    return Err(Error::data(
                        path,
                        None,
                        format!(
                            "measure = \"{m}\": several columns of numbers could hold it ({}); name one with columns = {{ {} = \"{m}\" }}",
                            describe(many),
                            stacked::column_letters(many[0])
                        ),
                    ));
                }
            }
        }
    }
    if spec.kind == Kind::Output && !cols.iter().any(|c| c.role.is_numeric()) {
        return Err(Error::data(
            path,
            None,
            format!(
                "no measure column found under the header on row {}: columns with numbers that could not be placed: {}; name them with columns = {{ C = \"employment_index\" }} (canonical: output_bvnd, iip, employment, employment_index, establishments) or measure = \"iip\"",
                hrow.line,
                if numeric.is_empty() {
                    "none".to_string()
                } else {
                    describe(&numeric)
                }
            ),
        ));
    }
    Ok(())
}

/// The year of a long table without a year column: `year` in the source, else the year (or
/// reference date) its measure headers state, else its title's.
fn table_year(
    spec: &SourceSpec,
    cols: &[ColInfo],
    title_text: &str,
    notes: &mut Vec<String>,
) -> Option<i32> {
    if let Some(y) = spec.year {
        notes.push(format!("year {y} for every row (year in the source)"));
        return Some(y);
    }
    let from_headers = cols
        .iter()
        .filter(|c| c.role.is_numeric())
        .find_map(|c| stacked::year_in_text(&c.header).map(|y| (y, c.header.clone())));
    let (found, from) = match from_headers {
        Some((y, h)) => (y, format!("header \"{h}\"")),
        None => {
            let y = stacked::year_in_text(title_text)?;
            (y, "title".to_string())
        }
    };
    let (year, date) = found;
    notes.push(format!(
        "year {year} for every row, from the {from}{}",
        date.map(|d| format!(" (reference date {d})"))
            .unwrap_or_default()
    ));
    Some(year)
}
