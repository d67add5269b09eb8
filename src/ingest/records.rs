//! Records to the canonical table: the map each place code is read on and the typed columns.

use super::*;

/// Decides the boundary, turns place references into codes on it (rejecting names that do not
/// exist on that map) and builds the canonical table.
pub(super) fn build_table(
    spec: &SourceSpec,
    recs: Vec<Rec>,
    rejects: &mut Rejects,
    notes: &mut Vec<String>,
) -> Result<(Boundary, DataFrame)> {
    let r = Reference::get();
    // Each row is read on the map in force at its date (annual data from 2025 on the 34 units),
    // unless the source names its map.
    let row_map = |year: i32| spec.boundary.unwrap_or(Boundary::in_force(year));
    let why = |year: i32| match spec.boundary {
        Some(b) => format!(
            "this source is on the {} (boundary = \"{}\")",
            map_words(b),
            b.as_str()
        ),
        None => format!(
            "{year} data are read on the {} in force then",
            map_words(row_map(year))
        ),
    };
    let mut maps: Vec<&'static str> = Vec::new();
    let kind = spec.kind;
    let n_num = numeric_columns(kind).len();
    let mut year = Vec::new();
    let mut prov = Vec::new();
    let mut sector: Vec<Option<String>> = Vec::new();
    let mut activity = Vec::new();
    let mut source = Vec::new();
    let mut project = Vec::new();
    let mut benef = Vec::new();
    let mut nums: Vec<Vec<Option<f64>>> = vec![Vec::new(); n_num];
    let mut rows = Vec::new();
    for rec in recs {
        let map = row_map(rec.year);
        let code = match (rec.place, map) {
            (PlaceRef::Code(c), _) => c,
            (PlaceRef::Hit { old: Some(c), .. }, Boundary::B2008) => c,
            (PlaceRef::Hit { new: Some(c), .. }, Boundary::B2025) => c,
            (PlaceRef::Hit { label, .. }, Boundary::B2008) => {
                rejects.push(rec.line, Some(&rec.place_column), Some(label.clone()), format!("\"{label}\" is a unit of the 34-unit map (from 1 July 2025) but {}; a merged unit cannot be split back to the 63 provinces; set boundary = \"2025\" for this source if its places are the new units", why(rec.year)));
                continue;
            }
            (PlaceRef::Hit { label, old, .. }, Boundary::B2025) => {
                let into = old
                    .as_deref()
                    .and_then(|o| r.code_2025_of(o))
                    .and_then(|c| r.unit_2025(c))
                    .map(|u| format!(" into {} (code {})", u.name, u.code))
                    .unwrap_or_default();
                rejects.push(rec.line, Some(&rec.place_column), Some(label.clone()), format!("\"{label}\" is a province of the 63-province map, merged{into} on 1 July 2025, but {}; set boundary = \"2008\" for this source if it still reports the 63 provinces", why(rec.year)));
                continue;
            }
        };
        maps.push(map.as_str());
        year.push(rec.year);
        prov.push(code);
        sector.push(rec.sector);
        activity.push(rec.activity);
        source.push(rec.source);
        project.push(rec.project_id);
        benef.push(rec.beneficiary);
        for (k, v) in nums.iter_mut().enumerate() {
            v.push(rec.nums[k]);
        }
        rows.push(rec.line as i64);
    }
    let n = year.len();
    let fname = file_name(&spec.path);
    let mut columns = vec![
        Column::new("year".into(), year),
        Column::new("province_code".into(), prov),
        Column::new("sector_code".into(), sector),
    ];
    if kind == Kind::Funding {
        columns.push(Column::new("activity".into(), activity));
        columns.push(Column::new("source".into(), source));
    }
    let mut num_iter = nums.into_iter();
    for name in numeric_columns(kind) {
        let v = num_iter.next().unwrap_or_default();
        if kind == Kind::Funding && *name == "planned_mvnd" {
            // Keep TABLES.md order: amount, planned, project_id, beneficiary, indicators.
            columns.push(Column::new((*name).into(), v));
            columns.push(Column::new(
                "project_id".into(),
                std::mem::take(&mut project),
            ));
            columns.push(Column::new(
                "beneficiary".into(),
                std::mem::take(&mut benef),
            ));
        } else {
            columns.push(Column::new((*name).into(), v));
        }
    }
    let boundary = match (maps.first(), spec.boundary) {
        (_, Some(b)) => b,
        (None, None) => Boundary::B2008,
        (Some(first), None) => {
            let mixed = maps.iter().any(|m| m != first);
            if mixed {
                notes.push("rows before 2025 read on the 63-province map, rows of 2025 and later on the 34-unit map (each at its date; set boundary for this source to read all on one)".into());
                Boundary::B2008
            } else {
                Boundary::parse(first).unwrap_or(Boundary::B2008)
            }
        }
    };
    if spec.boundary.is_none() && boundary == Boundary::B2025 {
        notes.push(
            "boundary 2025: every row is of 2025 or later, when the 34-unit map is in force".into(),
        );
    }
    columns.push(Column::new("boundary".into(), maps));
    columns.push(Column::new("source_file".into(), vec![fname.as_str(); n]));
    columns.push(Column::new("source_row".into(), rows));
    let df = DataFrame::new(n, columns).ctx(|| "cannot build the canonical table".into())?;
    let df = df
        .select(canonical_columns(kind).iter().copied())
        .ctx(|| "canonical column order".into())?;
    Ok((boundary, df))
}

/// "63-province map" / "34-unit map".
pub(super) fn map_words(b: Boundary) -> &'static str {
    match b {
        Boundary::B2008 => "63-province map",
        Boundary::B2025 => "34-unit map",
    }
}
