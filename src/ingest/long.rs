//! Long tables: one record per line (ministry project lists, long CSVs, statistical tables
//! with one measure per column and the year from the title).

use super::*;

#[allow(clippy::too_many_arguments)]
pub(super) fn long_rows(
    spec: &SourceSpec,
    cols: &[ColInfo],
    hrow: &Row,
    data: &[Row],
    default_source: Option<&'static str>,
    fixed_year: Option<i32>,
    recs: &mut Vec<Rec>,
    rejects: &mut Rejects,
    skipped: &mut usize,
    checks: &mut Vec<TotalCheck>,
    notes: &mut Vec<String>,
) -> Result<()> {
    let path = &spec.path;
    let kind = spec.kind;
    let find = |role: Role| cols.iter().find(|c| c.role == role);
    let place_col = find(Role::ProvinceCode).or_else(|| find(Role::Province));
    let place_col_index = match place_col {
        Some(c) => c.index,
        None => {
            // No header names the place: the text column whose values resolve most often.
            let width = data.iter().map(|r| r.cells.len()).max().unwrap_or(0);
            (0..width)
                .map(|i| {
                    let hits = data
                        .iter()
                        .filter(|r| matches!(Reference::get().place(&r.get(i).text()), Place::Province { .. }))
                        .count();
                    (hits, std::cmp::Reverse(i))
                })
                .max()
                .filter(|(h, _)| *h * 2 >= data.len().max(1))
                .map(|(_, std::cmp::Reverse(i))| i)
                .ok_or_else(|| Error::data(path, None, "no province column found (no header such as \"Tỉnh\", \"Địa điểm\", \"Province\", and no column of province names); name it with `columns`"))?
        }
    };
    let place_is_code = place_col.is_some_and(|c| c.role == Role::ProvinceCode);
    let place_header = hrow.get(place_col_index).text();
    if place_col.is_none() {
        notes.push(format!(
            "province column found by its values: column {}{}",
            super::stacked::column_letters(place_col_index),
            if place_header.trim().is_empty() {
                " (no header)".to_string()
            } else {
                format!(" \"{place_header}\"")
            }
        ));
    }
    let year_col = find(Role::Year);
    if kind == Kind::Funding && find(Role::Amount).is_none() {
        return Err(Error::data(
            path,
            None,
            "no amount column found (headers such as \"Kinh phí\", \"Amount\", \"amount_mvnd\"); name it with `columns`",
        ));
    }
    let label_cols: Vec<usize> = [Role::Stt, Role::Name, Role::ProjectId]
        .iter()
        .filter_map(|r| find(*r).map(|c| c.index))
        .chain(0..2)
        .collect();
    let header_texts: Vec<String> = hrow.cells.iter().map(Cell::text).collect();
    let mut group_year: Option<i32> = None;
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut dashes = 0usize;
    let stem = spec.display_name();
    'rows: for row in data {
        let texts: Vec<String> = row.cells.iter().map(Cell::text).collect();
        if texts == header_texts {
            *skipped += 1;
            *counts.entry("repeated header").or_default() += 1;
            continue;
        }
        // Total row: its amounts are kept to check the sum of valid rows.
        if label_cols
            .iter()
            .any(|&i| matches!(row.get(i), Cell::Text(s) if is_total_label(s)))
        {
            *skipped += 1;
            *counts.entry("total").or_default() += 1;
            for c in cols.iter().filter(|c| c.role.is_money()) {
                let v = match row.get(c.index) {
                    Cell::Num(v) => Some(*v),
                    Cell::Text(s) => number::parse_number(s, c.format).ok().flatten(),
                    Cell::Empty => None,
                };
                if let (Some(v), Some(slot)) = (v, numeric_slot(kind, c.role)) {
                    checks.push(TotalCheck {
                        line: row.line,
                        column: numeric_columns(kind)[slot].to_string(),
                        expected: v * c.factor,
                    });
                }
            }
            continue;
        }
        let place_cell = row.get(place_col_index);
        // Group-header rows: a Roman-numeral STT or a "Năm 2018" name with no place.
        let stt_roman = find(Role::Stt)
            .is_some_and(|c| matches!(row.get(c.index), Cell::Text(s) if is_roman(s)));
        let name_year = find(Role::Name).and_then(|c| match row.get(c.index) {
            Cell::Text(s) => number::parse_year_label(s).map(|(y, _)| y),
            _ => None,
        });
        if stt_roman || (name_year.is_some() && place_cell.is_empty()) {
            if let Some(y) = name_year {
                group_year = Some(y);
            }
            *skipped += 1;
            *counts.entry("group header").or_default() += 1;
            continue;
        }
        let filled = row.cells.iter().filter(|c| !c.is_empty()).count();
        if filled == 1
            && place_cell.is_empty()
            && matches!(
                row.cells.iter().find(|c| !c.is_empty()),
                Some(Cell::Text(_))
            )
        {
            *skipped += 1;
            *counts.entry("note").or_default() += 1;
            continue;
        }
        let place = if place_is_code {
            match normalise_code(place_cell) {
                Some(c) => PlaceRef::Code(c),
                None => {
                    rejects.push(
                        row.line,
                        Some(&place_header),
                        None,
                        "province missing".into(),
                    );
                    continue;
                }
            }
        } else {
            let label = place_cell.text();
            if label.trim().is_empty() {
                rejects.push(
                    row.line,
                    Some(&place_header),
                    None,
                    "province missing".into(),
                );
                continue;
            }
            match Reference::get().place(&label) {
                Place::Province { old, new } => PlaceRef::Hit {
                    label: crate::text::clean(&label),
                    old,
                    new,
                },
                Place::Aggregate => {
                    *skipped += 1;
                    *counts.entry("region/country aggregate").or_default() += 1;
                    continue;
                }
                // A note or source line under the table ("Nguồn: …", "Ghi chú: …"): one text
                // cell and nothing else, so no value is lost.
                Place::Unknown if filled == 1 => {
                    *skipped += 1;
                    *counts.entry("note").or_default() += 1;
                    continue;
                }
                Place::Unknown => {
                    rejects.push(
                        row.line,
                        Some(&place_header),
                        Some(label.clone()),
                        Reference::get().unknown_province_reason(&label),
                    );
                    continue;
                }
            }
        };
        let year = match year_col {
            Some(c) => {
                let cell = row.get(c.index);
                match cell_year(cell) {
                    Some(y) => y,
                    None if cell.is_empty() && group_year.is_some() => group_year.unwrap_or(0),
                    None => {
                        rejects.push(
                            row.line,
                            Some(&c.header),
                            Some(cell.text()),
                            format!("year not readable: \"{}\"", cell.text().trim()),
                        );
                        continue;
                    }
                }
            }
            None => match group_year.or(fixed_year) {
                Some(y) => y,
                None => {
                    rejects.push(
                        row.line,
                        None,
                        None,
                        "no year (no year column, no \"Năm …\" group row above, no year in the header or title); set year for this source".into(),
                    );
                    continue;
                }
            },
        };
        let mut nums = [None; 6];
        for c in cols.iter().filter(|c| c.role.is_numeric()) {
            let Some(slot) = numeric_slot(kind, c.role) else {
                continue;
            };
            let v = match row.get(c.index) {
                Cell::Empty => None,
                Cell::Num(v) => Some(*v),
                // "-" in a statistical table: no activity, zero (a project list keeps it missing).
                Cell::Text(s)
                    if kind == Kind::Output && !c.role.is_index() && number::is_no_activity(s) =>
                {
                    dashes += 1;
                    Some(0.0)
                }
                Cell::Text(s) => match number::parse_number(s, c.format) {
                    Ok(v) => v,
                    Err(reason) => {
                        rejects.push(row.line, Some(&c.header), Some(s.clone()), reason);
                        continue 'rows;
                    }
                },
            };
            nums[slot] = v.map(|v| v * c.factor);
        }
        let text_of = |role: Role| -> Option<String> {
            find(role).and_then(|c| {
                let t = crate::text::clean(&row.get(c.index).text());
                (!t.is_empty()).then_some(t)
            })
        };
        let sector = match text_of(Role::Sector) {
            None => None,
            Some(t) => match Reference::get().resolve_sector(&t) {
                Some(s) => Some(s.code.clone()),
                None => {
                    let h = find(Role::Sector).map(|c| c.header.as_str());
                    rejects.push(
                        row.line,
                        h,
                        Some(t.clone()),
                        format!(
                            "unknown sector \"{t}\" (VSIC 2018 division code or name expected)"
                        ),
                    );
                    continue;
                }
            },
        };
        let (activity, source, project_id, beneficiary) = if kind == Kind::Funding {
            let activity = text_of(Role::Activity)
                .or_else(|| text_of(Role::Description))
                .map(|t| places::classify_activity(&t))
                .unwrap_or("other");
            let source = match text_of(Role::Source) {
                Some(t) => {
                    match places::classify_source(&t) {
                        Some(s) => s,
                        None => {
                            let h = find(Role::Source).map(|c| c.header.as_str());
                            rejects.push(row.line, h, Some(t.clone()), format!("unknown funding source \"{t}\" (national, local or other expected)"));
                            continue;
                        }
                    }
                }
                None => default_source.unwrap_or("other"),
            };
            let id = text_of(Role::ProjectId).unwrap_or_else(|| format!("{stem}:{}", row.line));
            (
                Some(activity),
                Some(source),
                Some(id),
                text_of(Role::Beneficiary),
            )
        } else {
            (None, None, None, None)
        };
        recs.push(Rec {
            line: row.line,
            year,
            place,
            place_column: place_header.clone(),
            sector,
            activity,
            source,
            project_id,
            beneficiary,
            nums,
        });
    }
    for (what, n) in counts {
        notes.push(format!("{n} {what} rows skipped"));
    }
    if dashes > 0 {
        notes.push(format!(
            "{dashes} cells \"-\" read as 0 (no activity; an empty cell or \"..\" is unknown)"
        ));
    }
    Ok(())
}
