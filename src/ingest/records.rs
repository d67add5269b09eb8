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
    let boundary = spec.boundary.unwrap_or_else(|| {
        let all_new = !recs.is_empty()
            && recs.iter().all(|rec| {
                rec.year >= 2026
                    && match &rec.place {
                        PlaceRef::Code(c) => r.unit_2025(c).is_some(),
                        PlaceRef::Hit { new, .. } => new.is_some(),
                    }
            });
        if all_new {
            notes.push(
                "boundary 2025: every place is one of the 34 units and every year ≥ 2026".into(),
            );
            Boundary::B2025
        } else {
            Boundary::B2008
        }
    });
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
        let code = match (rec.place, boundary) {
            (PlaceRef::Code(c), _) => c,
            (PlaceRef::Hit { old: Some(c), .. }, Boundary::B2008) => c,
            (PlaceRef::Hit { new: Some(c), .. }, Boundary::B2025) => c,
            (PlaceRef::Hit { label, .. }, Boundary::B2008) => {
                rejects.push(rec.line, Some(&rec.place_column), Some(label.clone()), format!("\"{label}\" is a unit of the 34-unit map (from 1 July 2025) but this table is on the 63-province map; set boundary = \"2025\" for this source if all its places are new units"));
                continue;
            }
            (PlaceRef::Hit { label, .. }, Boundary::B2025) => {
                rejects.push(rec.line, Some(&rec.place_column), Some(label.clone()), format!("\"{label}\" is a province of the 63-province map that was merged on 1 July 2025, but this table is on the 34-unit map"));
                continue;
            }
        };
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
    columns.push(Column::new("boundary".into(), vec![boundary.as_str(); n]));
    columns.push(Column::new("source_file".into(), vec![fname.as_str(); n]));
    columns.push(Column::new("source_row".into(), rows));
    let df = DataFrame::new(n, columns).ctx(|| "cannot build the canonical table".into())?;
    let df = df
        .select(canonical_columns(kind).iter().copied())
        .ctx(|| "canonical column order".into())?;
    Ok((boundary, df))
}
