//! The panel stage: carries the clean funding and output tables to one province map, aggregates
//! support by province × sector × year (by source and by activity), joins the output measures,
//! and adds lags, leads, growth and explicit missing-data markers. Nothing is filled silently:
//! a cell without an output figure stays null and is marked `missing_output`.
//!
//! Harmonisation across the 1 July 2025 merger lives here too, because every later stage needs
//! tables on one map: 63 → 34 sums whole provinces for additive measures and re-weights the
//! industrial production index by the previous year's output; 34 → 63 is refused for merged
//! units (a merged unit cannot be split).

use crate::contract::schema::col;
use crate::contract::vocab::{Activity, FundingSource};
use crate::error::{Error, Result};
use crate::reference::{Boundary, Reference};
use crate::table::{self, TableBuilder};
use polars::prelude::DataFrame;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Panel parameters (the `[panel]` table of a pipeline file).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PanelParams {
    /// Lags of spending to add (1 = previous year).
    #[serde(default = "default_lags")]
    pub lags: usize,
    /// Leads of spending to add (for placebo checks).
    #[serde(default = "default_leads")]
    pub leads: usize,
    /// What each funding file covers, where it says so. A province-year no funding file covers
    /// has spending "no data" (null), not zero; by default a file covers the years and the
    /// provinces that appear in it.
    #[serde(default)]
    pub funding_coverage: Vec<FundingCoverage>,
}

/// The years and provinces one funding file covers (a `[[panel.funding_coverage]]` table).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FundingCoverage {
    /// File name as in `source_file` of the clean funding table (the name, not the folder).
    pub file: String,
    /// First and last year covered. Default: the years present in the file.
    #[serde(default)]
    pub years: Option<[i32; 2]>,
    /// Province codes covered, on the pipeline's map. Default: the provinces present.
    #[serde(default)]
    pub provinces: Option<Vec<String>>,
}

fn default_lags() -> usize {
    2
}
fn default_leads() -> usize {
    1
}

impl Default for PanelParams {
    fn default() -> Self {
        PanelParams {
            lags: default_lags(),
            leads: default_leads(),
            funding_coverage: Vec::new(),
        }
    }
}

/// The pilot group, as the programme designated it (the `[pilot]` table of a pipeline file).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PilotParams {
    /// GSO codes of the pilot provinces on the 63-province map.
    pub provinces: Vec<String>,
    /// First year of the pilot (for every pilot province not listed in `start_years`).
    pub start_year: i32,
    /// Provinces that joined in another year (staggered adoption), by GSO code, e.g.
    /// `start_years = { "56" = 2019, "60" = 2020 }`. The event study then estimates each start
    /// year's cohort separately and averages them (Sun and Abraham's estimator).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub start_years: BTreeMap<String, i32>,
    /// Sectors the pilot supported; the event study compares these sectors of the pilot
    /// provinces with never-treated provinces. Default: every sector of the pilot provinces.
    #[serde(default)]
    pub sectors: Option<Vec<String>>,
}

impl PilotParams {
    /// The first pilot year of a province (its GSO code on the 63-province map).
    pub fn start_of(&self, code: &str) -> i32 {
        self.start_years
            .get(code)
            .copied()
            .unwrap_or(self.start_year)
    }

    /// True when the pilot provinces did not all start in the same year.
    pub fn staggered(&self) -> bool {
        self.provinces
            .iter()
            .any(|p| self.start_of(p) != self.start_year)
    }

    /// Checks that every province with its own start year is a pilot province.
    pub fn check(&self) -> std::result::Result<(), String> {
        for code in self.start_years.keys() {
            if !self.provinces.contains(code) {
                return Err(format!(
                    "[pilot] start_years names province \"{code}\", which is not in \
                     provinces = [{}]; add it there or remove it from start_years",
                    self.provinces
                        .iter()
                        .map(|p| format!("\"{p}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
        Ok(())
    }
}

/// The panel's column of log spending of the previous year, ln(1 + million VND): the key
/// term of the default model, under this name in its coefficients.
pub const SPEND_TERM: &str = col::LOG_SPEND_LAG1;

/// One support record after harmonisation.
#[derive(Debug, Clone, PartialEq)]
pub struct Grant {
    pub year: i32,
    pub province: String,
    pub sector: Option<String>,
    pub activity: String,
    pub source: String,
    pub amount: f64,
    pub planned: Option<f64>,
    pub beneficiary: Option<String>,
    pub project_id: Option<String>,
    pub target_trainees: Option<f64>,
    pub achieved_trainees: Option<f64>,
    pub target_models: Option<f64>,
    pub achieved_models: Option<f64>,
}

/// Output measures of one province × sector × year (sector `None` = all industry).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OutputCell {
    pub output_bvnd: Option<f64>,
    pub iip: Option<f64>,
    pub employment: Option<f64>,
    pub establishments: Option<f64>,
}

pub type OutputKey = (i32, String, Option<String>);

/// The map a pipeline uses when its file does not say: the one in force in the newest year of
/// the data.
pub fn default_boundary(funding: &DataFrame, output: &DataFrame) -> Result<Boundary> {
    let newest = table::i32s(funding, col::YEAR)?
        .into_iter()
        .chain(table::i32s(output, col::YEAR)?)
        .flatten()
        .max();
    Ok(newest.map(Boundary::in_force).unwrap_or(Boundary::B2008))
}

/// Maps one province code from its map to the target map. `Err` explains why it cannot.
pub fn map_code(code: &str, from: Boundary, to: Boundary) -> std::result::Result<String, String> {
    let r = Reference::get();
    match (from, to) {
        (a, b) if a == b => Ok(code.to_string()),
        (Boundary::B2008, Boundary::B2025) => r
            .code_2025_of(code)
            .map(str::to_string)
            .ok_or_else(|| format!("province code \"{code}\" is not on the 63-province map")),
        (Boundary::B2025, Boundary::B2008) => match r.unit_2025(code) {
            Some(u) if u.old_codes.len() == 1 => Ok(u.old_codes[0].clone()),
            Some(u) => Err(format!(
                "{} (code {code}) merged {} old provinces ({}) on 1 July 2025 and cannot be split \
                 back to the 63 provinces; run on boundary = \"2025\" instead",
                u.name,
                u.old_codes.len(),
                u.old_codes
                    .iter()
                    .map(|c| format!("{} {c}", r.name_of(c, Boundary::B2008).unwrap_or("?")))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            None => Err(format!("unit code \"{code}\" is not on the 34-unit map")),
        },
        _ => unreachable!("both maps handled"),
    }
}

fn boundaries(df: &DataFrame) -> Result<Vec<Boundary>> {
    Ok(table::strs_or_null(df, col::BOUNDARY)?
        .into_iter()
        .map(|b| {
            b.as_deref()
                .and_then(Boundary::parse)
                .unwrap_or(Boundary::B2008)
        })
        .collect())
}

/// Reads the clean funding table and carries every grant to the target map.
pub fn grants_on(funding: &DataFrame, target: Boundary) -> Result<Vec<Grant>> {
    let years = table::i32s(funding, col::YEAR)?;
    let provinces = table::strs(funding, col::PROVINCE_CODE)?;
    let sectors = table::strs_or_null(funding, col::SECTOR_CODE)?;
    let activities = table::strs_or_null(funding, col::ACTIVITY)?;
    let sources = table::strs_or_null(funding, col::SOURCE)?;
    let amounts = table::f64s(funding, col::AMOUNT_MVND)?;
    let planned = table::f64s_or_null(funding, col::PLANNED_MVND)?;
    let beneficiaries = table::strs_or_null(funding, col::BENEFICIARY)?;
    let project_ids = table::strs_or_null(funding, col::PROJECT_ID)?;
    let tt = table::f64s_or_null(funding, col::TARGET_TRAINEES)?;
    let at = table::f64s_or_null(funding, col::ACHIEVED_TRAINEES)?;
    let tm = table::f64s_or_null(funding, col::TARGET_MODELS)?;
    let am = table::f64s_or_null(funding, col::ACHIEVED_MODELS)?;
    let from = boundaries(funding)?;
    let mut grants = Vec::with_capacity(funding.height());
    for i in 0..funding.height() {
        let (Some(year), Some(province), Some(amount)) =
            (years[i], provinces[i].as_deref(), amounts[i])
        else {
            continue;
        };
        let province = map_code(province, from[i], target)
            .map_err(|m| Error::data("clean/funding.parquet", Some(i + 1), m))?;
        grants.push(Grant {
            year,
            province,
            sector: sectors[i].clone(),
            activity: activities[i]
                .clone()
                .unwrap_or_else(|| Activity::Other.as_str().into()),
            source: sources[i]
                .clone()
                .unwrap_or_else(|| FundingSource::Other.as_str().into()),
            amount,
            planned: planned[i],
            beneficiary: beneficiaries[i].clone(),
            project_id: project_ids[i].clone(),
            target_trainees: tt[i],
            achieved_trainees: at[i],
            target_models: tm[i],
            achieved_models: am[i],
        });
    }
    Ok(grants)
}

fn add(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    Some(a? + b?)
}

/// Reads the clean output table and carries it to the target map. Additive measures of merged
/// provinces are summed (missing if any part is missing); the industrial production index is
/// averaged with the previous year's output of each part as weights, and refused when a weight
/// is missing.
pub fn output_on(output: &DataFrame, target: Boundary) -> Result<BTreeMap<OutputKey, OutputCell>> {
    let years = table::i32s(output, col::YEAR)?;
    let provinces = table::strs(output, col::PROVINCE_CODE)?;
    let sectors = table::strs_or_null(output, col::SECTOR_CODE)?;
    let out = table::f64s_or_null(output, col::OUTPUT_BVND)?;
    let iip = table::f64s_or_null(output, col::IIP)?;
    let emp = table::f64s_or_null(output, col::EMPLOYMENT)?;
    let est = table::f64s_or_null(output, col::ESTABLISHMENTS)?;
    let from = boundaries(output)?;

    // First on the source map, merging rows that share a key (several sources may give
    // different measures of one cell).
    let mut source_map: BTreeMap<(i32, String, Option<String>, Boundary), OutputCell> =
        BTreeMap::new();
    for i in 0..output.height() {
        let (Some(year), Some(province)) = (years[i], provinces[i].clone()) else {
            continue;
        };
        let cell = source_map
            .entry((year, province, sectors[i].clone(), from[i]))
            .or_default();
        cell.output_bvnd = cell.output_bvnd.or(out[i]);
        cell.iip = cell.iip.or(iip[i]);
        cell.employment = cell.employment.or(emp[i]);
        cell.establishments = cell.establishments.or(est[i]);
    }

    let mut parts: BTreeMap<OutputKey, Vec<(String, OutputCell)>> = BTreeMap::new();
    for ((year, province, sector, b), cell) in &source_map {
        let code = map_code(province, *b, target)
            .map_err(|m| Error::data("clean/output.parquet", None, format!("{year}: {m}")))?;
        parts
            .entry((*year, code, sector.clone()))
            .or_default()
            .push((province.clone(), cell.clone()));
    }

    let mut result = BTreeMap::new();
    for ((year, code, sector), members) in parts {
        if members.len() == 1 {
            result.insert((year, code, sector), members[0].1.clone());
            continue;
        }
        let mut merged = OutputCell {
            output_bvnd: Some(0.0),
            iip: None,
            employment: Some(0.0),
            establishments: Some(0.0),
        };
        for (_, c) in &members {
            merged.output_bvnd = add(merged.output_bvnd, c.output_bvnd);
            merged.employment = add(merged.employment, c.employment);
            merged.establishments = add(merged.establishments, c.establishments);
        }
        if members.iter().all(|(_, c)| c.output_bvnd.is_none()) {
            merged.output_bvnd = None;
        }
        if members.iter().all(|(_, c)| c.employment.is_none()) {
            merged.employment = None;
        }
        if members.iter().all(|(_, c)| c.establishments.is_none()) {
            merged.establishments = None;
        }
        if members.iter().any(|(_, c)| c.iip.is_some()) {
            let mut num = 0.0;
            let mut den = 0.0;
            for (old, c) in &members {
                let weight = source_map
                    .iter()
                    .find(|((y, p, s, _), _)| *y == year - 1 && p == old && *s == sector)
                    .and_then(|(_, prev)| prev.output_bvnd);
                let (Some(w), Some(index)) = (weight, c.iip) else {
                    return Err(Error::data(
                        "clean/output.parquet",
                        None,
                        format!(
                            "cannot carry the industrial production index of province {old} in {year} \
                             to merged unit {code}: no output of {} to weight it by; add output_bvnd \
                             for every part, or run on boundary = \"2008\"",
                            year - 1
                        ),
                    ));
                };
                num += w * index;
                den += w;
            }
            merged.iip = (den > 0.0).then(|| num / den);
        }
        result.insert((year, code, sector), merged);
    }
    Ok(result)
}

/// Builds the panel table (schema in docs/TABLES.md).
pub fn build(
    funding: &DataFrame,
    output: &DataFrame,
    target: Boundary,
    params: &PanelParams,
    years: Option<[i32; 2]>,
    pilot: Option<&PilotParams>,
) -> Result<DataFrame> {
    let in_years = |y: i32| years.is_none_or(|[a, b]| y >= a && y <= b);
    let grants: Vec<Grant> = grants_on(funding, target)?
        .into_iter()
        .filter(|g| in_years(g.year))
        .collect();
    let outputs = output_on(output, target)?;
    let covered = funding_coverage(funding, target, years, &params.funding_coverage)?;

    let mut provinces = BTreeSet::new();
    let mut sectors = BTreeSet::new();
    let mut year_set = BTreeSet::new();
    for ((y, p, s), _) in outputs
        .iter()
        .filter(|((y, _, s), _)| s.is_some() && in_years(*y))
    {
        provinces.insert(p.clone());
        sectors.insert(s.clone().unwrap_or_default());
        year_set.insert(*y);
    }
    for g in &grants {
        if let Some(s) = &g.sector {
            provinces.insert(g.province.clone());
            sectors.insert(s.clone());
            year_set.insert(g.year);
        }
    }
    let (Some(&y0), Some(&y1)) = (year_set.first(), year_set.last()) else {
        return Err(Error::Insufficient(
            "no rows with a province, a sector and a year to build the panel from; check the \
             sources' sector columns and the pipeline's `years`"
                .into(),
        ));
    };
    let year_list: Vec<i32> = (y0..=y1).collect();
    let ny = year_list.len();

    #[derive(Default, Clone)]
    struct Spend {
        total: f64,
        national: f64,
        local: f64,
        by_activity: [f64; Activity::ALL.len()],
        n: i64,
    }
    let mut spend: HashMap<(&str, &str, i32), Spend> = HashMap::new();
    for g in &grants {
        let Some(s) = g.sector.as_deref() else {
            continue;
        };
        let e = spend.entry((g.province.as_str(), s, g.year)).or_default();
        e.total += g.amount;
        match FundingSource::parse(&g.source) {
            Some(FundingSource::National) => e.national += g.amount,
            Some(FundingSource::Local) => e.local += g.amount,
            _ => {}
        }
        // An activity outside the list counts as "other", the last column.
        let activity = Activity::parse(&g.activity).unwrap_or(Activity::Other);
        let a = Activity::ALL
            .iter()
            .position(|x| *x == activity)
            .unwrap_or(Activity::ALL.len() - 1);
        e.by_activity[a] += g.amount;
        e.n += 1;
    }

    // Pilot provinces on the target map, with their first pilot year.
    let pilot_starts: BTreeMap<String, i32> = pilot
        .map(|p| {
            p.provinces
                .iter()
                .filter_map(|c| {
                    map_code(c, Boundary::B2008, target)
                        .ok()
                        .map(|t| (t, p.start_of(c)))
                })
                .collect()
        })
        .unwrap_or_default();

    let n = provinces.len() * sectors.len() * ny;
    let mut cols = PanelColumns::with_capacity(n);
    for p in &provinces {
        for s in &sectors {
            let start = cols.year.len();
            for &y in &year_list {
                let has_data = covered.contains(&(p.clone(), y));
                let sp = spend
                    .get(&(p.as_str(), s.as_str(), y))
                    .cloned()
                    .unwrap_or_default();
                let cell = outputs.get(&(y, p.clone(), Some(s.clone())));
                cols.year.push(Some(y));
                cols.province.push(Some(p.clone()));
                cols.sector.push(Some(s.clone()));
                let known = |v: f64| has_data.then_some(v);
                cols.spend.push(known(sp.total));
                cols.national.push(known(sp.national));
                cols.local.push(known(sp.local));
                for (a, v) in sp.by_activity.iter().enumerate() {
                    cols.by_activity[a].push(known(*v));
                }
                cols.n_grants.push(has_data.then_some(sp.n));
                cols.covered.push(Some(has_data));
                let out = cell.and_then(|c| c.output_bvnd);
                cols.output.push(out);
                cols.employment.push(cell.and_then(|c| c.employment));
                cols.establishments
                    .push(cell.and_then(|c| c.establishments));
                cols.log_output.push(out.filter(|v| *v > 0.0).map(f64::ln));
                let start = pilot_starts.get(p);
                cols.pilot.push(Some(start.is_some()));
                cols.rel_year.push(start.map(|s| y - s));
            }
            // Lags, leads and growth within this province × sector, years consecutive.
            for k in 0..ny {
                let i = start + k;
                let lag = |l: usize| (k >= l).then(|| cols.spend[i - l]).flatten();
                for l in 1..=params.lags {
                    cols.lags[l - 1].push(lag(l));
                }
                for l in 1..=params.leads {
                    cols.leads[l - 1].push((k + l < ny).then(|| cols.spend[i + l]).flatten());
                }
                cols.log_spend_lag1.push(lag(1).map(f64::ln_1p));
                let prev = (k >= 1).then(|| cols.log_output[i - 1]).flatten();
                cols.dlog
                    .push(prev.zip(cols.log_output[i]).map(|(a, b)| b - a));
            }
        }
    }
    cols.into_frame(params, target)
}

/// The province-years some funding file covers: declared in `[[panel.funding_coverage]]`, else
/// the years and provinces present in the file.
fn funding_coverage(
    funding: &DataFrame,
    target: Boundary,
    years: Option<[i32; 2]>,
    declared: &[FundingCoverage],
) -> Result<BTreeSet<(String, i32)>> {
    let files = table::strs_or_null(funding, col::SOURCE_FILE)?;
    let ys = table::i32s(funding, col::YEAR)?;
    let ps = table::strs(funding, col::PROVINCE_CODE)?;
    let from = boundaries(funding)?;
    let name = |f: &str| {
        std::path::Path::new(f)
            .file_name()
            .map_or(f.to_string(), |n| n.to_string_lossy().into_owned())
    };
    let mut present: BTreeMap<String, (BTreeSet<i32>, BTreeSet<String>)> = BTreeMap::new();
    for i in 0..funding.height() {
        let (Some(y), Some(p)) = (ys[i], ps[i].as_deref()) else {
            continue;
        };
        let Ok(p) = map_code(p, from[i], target) else {
            continue;
        };
        let e = present
            .entry(name(files[i].as_deref().unwrap_or("")))
            .or_default();
        e.0.insert(y);
        e.1.insert(p);
    }
    for d in declared {
        if !present.contains_key(&d.file) {
            return Err(Error::Config {
                path: "[panel] funding_coverage".into(),
                message: format!(
                    "file \"{}\" is not among the funding files read ({}); use the file name",
                    d.file,
                    present.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            });
        }
    }
    let mut covered = BTreeSet::new();
    for (file, (file_years, file_provinces)) in &present {
        let decl = declared.iter().find(|d| &d.file == file);
        let ys: Vec<i32> = match decl.and_then(|d| d.years) {
            Some([a, b]) => (a..=b).collect(),
            None => file_years.iter().copied().collect(),
        };
        let ps: Vec<String> = match decl.and_then(|d| d.provinces.clone()) {
            Some(v) => v,
            None => file_provinces.iter().cloned().collect(),
        };
        for y in ys
            .into_iter()
            .filter(|y| years.is_none_or(|[a, b]| *y >= a && *y <= b))
        {
            for p in &ps {
                covered.insert((p.clone(), y));
            }
        }
    }
    Ok(covered)
}

struct PanelColumns {
    year: Vec<Option<i32>>,
    province: Vec<Option<String>>,
    sector: Vec<Option<String>>,
    spend: Vec<Option<f64>>,
    national: Vec<Option<f64>>,
    local: Vec<Option<f64>>,
    by_activity: Vec<Vec<Option<f64>>>,
    covered: Vec<Option<bool>>,
    n_grants: Vec<Option<i64>>,
    lags: Vec<Vec<Option<f64>>>,
    leads: Vec<Vec<Option<f64>>>,
    log_spend_lag1: Vec<Option<f64>>,
    output: Vec<Option<f64>>,
    employment: Vec<Option<f64>>,
    establishments: Vec<Option<f64>>,
    log_output: Vec<Option<f64>>,
    dlog: Vec<Option<f64>>,
    pilot: Vec<Option<bool>>,
    rel_year: Vec<Option<i32>>,
}

impl PanelColumns {
    fn with_capacity(n: usize) -> Self {
        PanelColumns {
            year: Vec::with_capacity(n),
            province: Vec::with_capacity(n),
            sector: Vec::with_capacity(n),
            spend: Vec::with_capacity(n),
            national: Vec::with_capacity(n),
            local: Vec::with_capacity(n),
            by_activity: (0..Activity::ALL.len())
                .map(|_| Vec::with_capacity(n))
                .collect(),
            covered: Vec::with_capacity(n),
            n_grants: Vec::with_capacity(n),
            lags: (0..8).map(|_| Vec::with_capacity(n)).collect(),
            leads: (0..8).map(|_| Vec::with_capacity(n)).collect(),
            log_spend_lag1: Vec::with_capacity(n),
            output: Vec::with_capacity(n),
            employment: Vec::with_capacity(n),
            establishments: Vec::with_capacity(n),
            log_output: Vec::with_capacity(n),
            dlog: Vec::with_capacity(n),
            pilot: Vec::with_capacity(n),
            rel_year: Vec::with_capacity(n),
        }
    }

    fn into_frame(self, params: &PanelParams, target: Boundary) -> Result<DataFrame> {
        let missing: Vec<Option<bool>> = self.output.iter().map(|o| Some(o.is_none())).collect();
        let n = self.year.len();
        let mut t = TableBuilder::new()
            .i32(col::YEAR, self.year)
            .str(col::PROVINCE_CODE, self.province)
            .str(col::SECTOR_CODE, self.sector)
            .f64(col::SPEND_MVND, self.spend)
            .f64(col::SPEND_NATIONAL_MVND, self.national)
            .f64(col::SPEND_LOCAL_MVND, self.local)
            .bool(col::FUNDING_COVERED, self.covered);
        for (a, v) in Activity::ALL.iter().zip(self.by_activity) {
            t = t.f64(col::spend_activity(*a), v);
        }
        t = t.i64(col::N_GRANTS, self.n_grants);
        for (l, v) in self.lags.into_iter().take(params.lags).enumerate() {
            t = t.f64(&col::spend_lag(l + 1), v);
        }
        for (l, v) in self.leads.into_iter().take(params.leads).enumerate() {
            t = t.f64(&col::spend_lead(l + 1), v);
        }
        t.f64(col::LOG_SPEND_LAG1, self.log_spend_lag1)
            .f64(col::OUTPUT_BVND, self.output)
            .f64(col::EMPLOYMENT, self.employment)
            .f64(col::ESTABLISHMENTS, self.establishments)
            .f64(col::LOG_OUTPUT, self.log_output)
            .f64(col::DLOG_OUTPUT, self.dlog)
            .bool(col::MISSING_OUTPUT, missing)
            .bool(col::PILOT, self.pilot)
            .i32(col::REL_YEAR, self.rel_year)
            .str(col::BOUNDARY, vec![Some(target.as_str().to_string()); n])
            .build()
    }
}

#[cfg(test)]
mod coverage_tests {
    use super::*;

    /// Funding of one file: (year, province, sector, amount).
    fn funding(rows: &[(i32, &str, &str, f64)], file: &str) -> DataFrame {
        TableBuilder::new()
            .i32(col::YEAR, rows.iter().map(|r| Some(r.0)).collect())
            .str(
                col::PROVINCE_CODE,
                rows.iter().map(|r| Some(r.1.to_string())).collect(),
            )
            .str(
                col::SECTOR_CODE,
                rows.iter().map(|r| Some(r.2.to_string())).collect(),
            )
            .f64(col::AMOUNT_MVND, rows.iter().map(|r| Some(r.3)).collect())
            .str(
                col::SOURCE_FILE,
                rows.iter().map(|_| Some(file.to_string())).collect(),
            )
            .build()
            .unwrap()
    }

    fn output() -> DataFrame {
        let mut y = Vec::new();
        let mut p = Vec::new();
        let mut s = Vec::new();
        for year in 2018..=2020 {
            for prov in ["01", "02", "04"] {
                for sec in ["10", "11"] {
                    y.push(Some(year));
                    p.push(Some(prov.to_string()));
                    s.push(Some(sec.to_string()));
                }
            }
        }
        let n = y.len();
        TableBuilder::new()
            .i32(col::YEAR, y)
            .str(col::PROVINCE_CODE, p)
            .str(col::SECTOR_CODE, s)
            .f64(col::OUTPUT_BVND, vec![Some(100.0); n])
            .build()
            .unwrap()
    }

    fn spend_of(panel: &DataFrame, p: &str, s: &str, y: i32) -> Option<f64> {
        let ps = table::strs(panel, col::PROVINCE_CODE).unwrap();
        let ss = table::strs(panel, col::SECTOR_CODE).unwrap();
        let ys = table::i32s(panel, col::YEAR).unwrap();
        let v = table::f64s(panel, col::SPEND_MVND).unwrap();
        let i = (0..panel.height())
            .find(|&i| {
                ps[i].as_deref() == Some(p) && ss[i].as_deref() == Some(s) && ys[i] == Some(y)
            })
            .unwrap();
        v[i]
    }

    #[test]
    fn no_support_is_zero_and_no_data_is_null() {
        // The file has grants in 2018 and 2019 for provinces 01 and 02.
        let f = funding(
            &[(2018, "01", "10", 50.0), (2019, "02", "11", 70.0)],
            "kcqg.xlsx",
        );
        let panel = build(
            &f,
            &output(),
            Boundary::B2008,
            &PanelParams::default(),
            None,
            None,
        )
        .unwrap();
        assert_eq!(spend_of(&panel, "01", "10", 2018), Some(50.0));
        // Covered, no grant: no support.
        assert_eq!(spend_of(&panel, "01", "11", 2018), Some(0.0));
        assert_eq!(spend_of(&panel, "02", "10", 2018), Some(0.0));
        // 2020 is not in the file, province 04 is not in the file: no data.
        assert_eq!(spend_of(&panel, "01", "10", 2020), None);
        assert_eq!(spend_of(&panel, "04", "10", 2019), None);
        // A declared coverage extends it: 2018–2020 for 01, 02 and 04.
        let params = PanelParams {
            funding_coverage: vec![FundingCoverage {
                file: "kcqg.xlsx".into(),
                years: Some([2018, 2020]),
                provinces: Some(vec!["01".into(), "02".into(), "04".into()]),
            }],
            ..PanelParams::default()
        };
        let panel = build(&f, &output(), Boundary::B2008, &params, None, None).unwrap();
        assert_eq!(spend_of(&panel, "01", "10", 2020), Some(0.0));
        assert_eq!(spend_of(&panel, "04", "10", 2019), Some(0.0));
        // Declaring a file that was not read is a configuration error (exit code 2).
        let params = PanelParams {
            funding_coverage: vec![FundingCoverage {
                file: "other.csv".into(),
                years: None,
                provinces: None,
            }],
            ..PanelParams::default()
        };
        let err = build(&f, &output(), Boundary::B2008, &params, None, None).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("other.csv"), "{err}");
    }
}
