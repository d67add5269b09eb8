//! Wide tables: provinces down the rows, years (or one measure per column) across.

use super::*;
pub(super) struct WideCtx<'a, F: FnMut(Role, &str, &mut Vec<String>) -> f64> {
    pub(super) spec: &'a SourceSpec,
    pub(super) header: &'a layout::Header,
    pub(super) hrow: &'a Row,
    pub(super) cols: &'a [ColInfo],
    pub(super) format: NumFormat,
    pub(super) title_text: &'a str,
    pub(super) notes: &'a mut Vec<String>,
    pub(super) unit_for: &'a mut F,
}

pub(super) fn wide_rows<F: FnMut(Role, &str, &mut Vec<String>) -> f64>(
    ctx: &mut WideCtx<'_, F>,
    data: &[Row],
    recs: &mut Vec<Rec>,
    rejects: &mut Rejects,
    skipped: &mut usize,
) -> Result<()> {
    let spec = ctx.spec;
    let path = &spec.path;
    let year_cols: HashSet<usize> = ctx.header.years.iter().map(|(i, _, _)| *i).collect();
    // The label column: a province column by header, else the non-year column whose values
    // resolve most often.
    let label_col = ctx
        .cols
        .iter()
        .find(|c| matches!(c.role, Role::Province | Role::ProvinceCode))
        .map(|c| c.index)
        .or_else(|| {
            let width = ctx
                .hrow
                .cells
                .len()
                .max(data.iter().map(|r| r.cells.len()).max().unwrap_or(0));
            (0..width)
                .filter(|i| !year_cols.contains(i))
                .map(|i| {
                    let hits = data
                        .iter()
                        .filter(|r| {
                            !matches!(Reference::get().place(&r.get(i).text()), Place::Unknown)
                        })
                        .count();
                    (hits, std::cmp::Reverse(i))
                })
                .max()
                .filter(|(hits, _)| *hits > 0)
                .map(|(_, std::cmp::Reverse(i))| i)
        })
        .ok_or_else(|| {
            // What was seen: the header row and each non-year column's first labels.
            let seen: Vec<String> = (0..ctx.hrow.cells.len().max(1))
                .filter(|i| !year_cols.contains(i))
                .take(4)
                .map(|i| {
                    let firsts: Vec<String> = data
                        .iter()
                        .map(|r| r.get(i).text())
                        .filter(|t| !t.trim().is_empty())
                        .take(2)
                        .map(|t| format!("\"{}\"", t.chars().take(30).collect::<String>()))
                        .collect();
                    format!(
                        "{} \"{}\": {}",
                        super::stacked::column_letters(i),
                        ctx.hrow.get(i).text(),
                        if firsts.is_empty() { "empty".to_string() } else { firsts.join(", ") }
                    )
                })
                .collect();
            Error::data(
                path,
                None,
                format!(
                    "wide table (header on row {}, {} year columns): no column of province names found among {}; name it with columns = {{ A = \"province\" }} (or \"province_code\"), or set header_row / header_rows if the header is elsewhere",
                    ctx.hrow.line,
                    ctx.header.years.len(),
                    if seen.is_empty() { "no columns".to_string() } else { seen.join("; ") }
                ),
            )
        })?;
    let label_is_code = ctx
        .cols
        .iter()
        .any(|c| c.index == label_col && c.role == Role::ProvinceCode);
    let sector_col = ctx
        .cols
        .iter()
        .find(|c| c.role == Role::Sector)
        .map(|c| c.index);
    let label_header = ctx.hrow.get(label_col).text();
    let measure = match ctx.spec.measure.as_deref() {
        Some(m) => layout::measure_from_name(m)
            .ok_or_else(|| Error::config(path, format!("measure = \"{m}\" is not one of output_bvnd, iip, employment, employment_index, establishments, amount_mvnd")))?,
        None => match spec.kind {
            Kind::Funding => Role::Amount,
            Kind::Output => layout::measure_of(&format!("{} {label_header}", ctx.title_text))
                .ok_or_else(|| Error::data(path, None, "wide table: cannot tell what the values measure from the title or header (index, tỷ đồng, lao động, cơ sở…); set `measure` for this source"))?,
        },
    };
    // A wide table of indices against the previous month is not a year-on-year index.
    if measure.is_index() && ctx.spec.measure.is_none() {
        let text = format!("{} {label_header}", ctx.title_text);
        if matches!(
            layout::comparison(&text),
            layout::Comparison::MonthOnMonth | layout::Comparison::FixedBase
        ) {
            return Err(Error::data(
                path,
                None,
                format!(
                    "wide table of an index compared with the previous month or a fixed base year (\"{}\"), not with a year earlier; not read as iip or employment_index (set measure for this source if it is one)",
                    text.split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                        .chars()
                        .take(120)
                        .collect::<String>()
                ),
            ));
        }
    }
    if !measure.fits(spec.kind) {
        return Err(Error::config(
            path,
            format!(
                "measure {measure:?} does not fit a {} source",
                spec.kind.as_str()
            ),
        ));
    }
    let slot = numeric_slot(spec.kind, measure).unwrap_or(0);
    let factor = if measure.is_money() {
        (ctx.unit_for)(
            measure,
            &format!("{} {label_header}", ctx.title_text),
            ctx.notes,
        )
    } else {
        1.0
    };
    // Keep the final value of a year where a preliminary column also exists.
    let finals: HashSet<i32> = ctx
        .header
        .years
        .iter()
        .filter(|y| !y.2)
        .map(|y| y.1)
        .collect();
    let mut used: Vec<(usize, i32)> = Vec::new();
    let mut superseded = 0usize;
    let mut seen: HashSet<i32> = HashSet::new();
    for &(i, y, prel) in &ctx.header.years {
        if (prel && finals.contains(&y)) || !seen.insert(y) {
            superseded += 1;
            continue;
        }
        used.push((i, y));
    }
    ctx.notes.push(format!(
        "wide layout: {} year columns ({}–{}), values read as {}{}",
        used.len(),
        used.iter().map(|u| u.1).min().unwrap_or(0),
        used.iter().map(|u| u.1).max().unwrap_or(0),
        numeric_columns(spec.kind)[slot],
        if superseded > 0 {
            format!("; {superseded} preliminary/duplicate year columns superseded by final values")
        } else {
            String::new()
        }
    ));
    let source = if spec.kind == Kind::Funding {
        Some(default_source(spec, ctx.title_text, ctx.notes))
    } else {
        None
    };
    let mut aggregates = 0usize;
    let mut missing = 0usize;
    let mut dashes = 0usize;
    for row in data {
        let label_cell = row.get(label_col);
        let label = label_cell.text();
        let values_present = used
            .iter()
            .any(|(i, _)| !number::is_missing_mark(&row.get(*i).text()));
        if label.trim().is_empty() {
            if values_present {
                rejects.push(
                    row.line,
                    Some(&label_header),
                    None,
                    "no place label on a row with values".into(),
                );
            } else {
                *skipped += 1;
            }
            continue;
        }
        let place = if label_is_code {
            PlaceRef::Code(normalise_code(label_cell).unwrap_or_default())
        } else {
            match Reference::get().place(&label) {
                Place::Province { old, new } => PlaceRef::Hit {
                    label: crate::text::clean(&label),
                    old,
                    new,
                },
                Place::Aggregate => {
                    aggregates += 1;
                    *skipped += 1;
                    continue;
                }
                Place::Unknown => {
                    if !values_present && row.cells.iter().filter(|c| !c.is_empty()).count() == 1 {
                        // A note or footnote line under the table.
                        *skipped += 1;
                    } else {
                        rejects.push(
                            row.line,
                            Some(&label_header),
                            Some(label.clone()),
                            Reference::get().unknown_province_reason(&label),
                        );
                    }
                    continue;
                }
            }
        };
        let sector = match sector_col.map(|i| row.get(i)) {
            None => None,
            Some(c) if c.is_empty() => None,
            Some(c) => match Reference::get().resolve_sector(&c.text()) {
                Some(s) => Some(s.code.clone()),
                None => {
                    rejects.push(
                        row.line,
                        Some("sector"),
                        Some(c.text()),
                        format!("unknown sector \"{}\"", c.text().trim()),
                    );
                    continue;
                }
            },
        };
        *skipped += superseded;
        for &(i, y) in &used {
            let cell = row.get(i);
            let value = match cell {
                Cell::Empty => None,
                Cell::Num(v) => Some(*v),
                Cell::Text(s) if !measure.is_index() && number::is_no_activity(s) => {
                    dashes += 1;
                    Some(0.0)
                }
                Cell::Text(s) => match number::parse_number(s, ctx.format) {
                    Ok(v) => v,
                    Err(reason) => {
                        rejects.push(
                            row.line,
                            Some(&ctx.hrow.get(i).text()),
                            Some(s.clone()),
                            reason,
                        );
                        continue;
                    }
                },
            };
            let Some(value) = value else {
                missing += 1;
                *skipped += 1;
                continue;
            };
            let mut nums = [None; 6];
            nums[slot] = Some(value * factor);
            recs.push(Rec {
                line: row.line,
                year: y,
                place: match &place {
                    PlaceRef::Code(c) => PlaceRef::Code(c.clone()),
                    PlaceRef::Hit { label, old, new } => PlaceRef::Hit {
                        label: label.clone(),
                        old: old.clone(),
                        new: new.clone(),
                    },
                },
                place_column: label_header.clone(),
                sector: sector.clone(),
                activity: source.map(|_| "other"),
                source,
                project_id: None,
                beneficiary: None,
                nums,
            });
        }
    }
    if aggregates > 0 {
        ctx.notes.push(format!(
            "{aggregates} region/country/sub-header rows kept out of the province table (skipped)"
        ));
    }
    if dashes > 0 {
        ctx.notes.push(format!(
            "{dashes} cells \"-\" read as 0 (no activity; an empty cell or \"..\" is unknown and skipped)"
        ));
    }
    if missing > 0 {
        ctx.notes.push(format!(
            "{missing} missing cells (\"..\", \"-\", empty) skipped"
        ));
    }
    Ok(())
}
