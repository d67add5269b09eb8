//! The programme's published record: budget figures, targets and results, and province-level
//! spending facts, each read from its CSV (one published figure a row, with its source) into a
//! typed table. Every row is either kept or rejected with a reason; nothing is estimated here.

use crate::contract::schema::col;
use crate::error::{Error, Result};
use crate::table::TableBuilder;
use polars::prelude::DataFrame;
use std::collections::BTreeMap;
use std::path::Path;

/// How sure the compiler of a figure was of it, as the files say.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    High,
    Medium,
    Low,
    Unverified,
}

impl Confidence {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "high" => Some(Confidence::High),
            "medium" => Some(Confidence::Medium),
            "low" => Some(Confidence::Low),
            "unverified" => Some(Confidence::Unverified),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::High => "high",
            Confidence::Medium => "medium",
            Confidence::Low => "low",
            Confidence::Unverified => "unverified",
        }
    }
}

/// The area a budget figure covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    National,
    RegionMoit,
    Province,
}

impl Scope {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "national" => Some(Scope::National),
            "region_moit" => Some(Scope::RegionMoit),
            "province" => Some(Scope::Province),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::National => "national",
            Scope::RegionMoit => "region_moit",
            Scope::Province => "province",
        }
    }
}

/// Whose money a figure counts, folded from the files' `fund_source` wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fund {
    /// The national programme (KCQG).
    National,
    /// Provinces' own programmes (KCĐP), including district budgets.
    Local,
    /// Both, or "khuyến công" without saying which.
    Total,
    /// Beneficiaries' own contribution (counterpart capital): not programme money.
    Counterpart,
    Other,
}

impl Fund {
    pub fn of(fund_source: &str) -> Fund {
        let f = fund_source.trim().to_ascii_lowercase();
        if f.starts_with("beneficiary") || f.contains("counterpart") {
            Fund::Counterpart
        } else if f.contains("total_cost")
            || f.contains("project_budget")
            || f.contains("not clearly")
        {
            // Whole project costs include the beneficiaries' share; "not clearly KC" money may
            // not be programme money at all.
            Fund::Other
        } else if f.contains("kcqg_plus_kcdp") || f.starts_with("total") {
            Fund::Total
        } else if f.starts_with("kcqg") {
            Fund::National
        } else if f.starts_with("kcdp") {
            Fund::Local
        } else if f.starts_with("state_budget") {
            Fund::Total
        } else {
            Fund::Other
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Fund::National => "national",
            Fund::Local => "local",
            Fund::Total => "total",
            Fund::Counterpart => "counterpart",
            Fund::Other => "other",
        }
    }
}

/// A rejected row of one of the programme files.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejected {
    pub file: String,
    /// 1-based line in the file (the header is line 1).
    pub line: usize,
    pub record_id: String,
    pub reason: String,
}

/// A CSV read as header → cell maps, with the line of each row.
pub(super) struct Rows {
    pub file: String,
    pub rows: Vec<(usize, BTreeMap<String, String>)>,
}

pub(super) fn read_rows(
    path: &Path,
    required: &[&str],
    rejected: &mut Vec<Rejected>,
) -> Result<Rows> {
    let text = std::fs::read_to_string(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::data(
            path,
            None,
            "file not found; check the path under [programme] in the pipeline file",
        ),
        std::io::ErrorKind::InvalidData => {
            Error::data(path, None, "not UTF-8 text; save the file as UTF-8 CSV")
        }
        _ => Error::io(path, e),
    })?;
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut table = crate::text::split_csv(&text).into_iter();
    let header: Vec<String> = table
        .next()
        .unwrap_or_default()
        .into_iter()
        .map(|h| h.trim().to_string())
        .collect();
    for r in required {
        if !header.iter().any(|h| h == r) {
            return Err(Error::data(
                path,
                Some(1),
                format!(
                    "column \"{r}\" is missing (header: {}); the file must have the columns {}",
                    header.join(","),
                    required.join(",")
                ),
            ));
        }
    }
    let mut rows = Vec::new();
    // Lines are counted in the text, since a quoted cell may hold a line break.
    let mut line = 1;
    for cells in table {
        let first_line = line + 1;
        line = first_line + cells.iter().map(|c| c.matches('\n').count()).sum::<usize>();
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if cells.len() != header.len() {
            rejected.push(Rejected {
                file: file.clone(),
                line: first_line,
                record_id: cells.first().cloned().unwrap_or_default(),
                reason: format!(
                    "{} cells where the header has {}",
                    cells.len(),
                    header.len()
                ),
            });
            continue;
        }
        let map = header
            .iter()
            .cloned()
            .zip(cells.into_iter().map(|c| crate::text::clean(&c)))
            .collect();
        rows.push((first_line, map));
    }
    Ok(Rows { file, rows })
}

pub(super) fn cell<'a>(m: &'a BTreeMap<String, String>, k: &str) -> &'a str {
    m.get(k).map(String::as_str).unwrap_or("").trim()
}

/// The year of a period bound as the files write it ("2013", "2013-09"); `None` when blank or
/// "unknown".
pub fn year_of(s: &str) -> Option<i32> {
    let s = s.trim();
    let head: String = s.chars().take(4).collect();
    if head.len() == 4 && head.chars().all(|c| c.is_ascii_digit()) {
        let y: i32 = head.parse().ok()?;
        (1990..=2100).contains(&y).then_some(y)
    } else {
        None
    }
}

/// An amount in million VND; blank is `Ok(None)`, anything not a plain number is an error.
pub(super) fn amount(s: &str) -> std::result::Result<Option<f64>, String> {
    if s.is_empty() {
        return Ok(None);
    }
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(Some(v)),
        _ => Err(format!(
            "value_million_vnd \"{s}\" is not a plain non-negative number (write 1436000, not 1.436.000)"
        )),
    }
}

/// One published budget figure.
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetRow {
    pub record_id: String,
    pub scope: Scope,
    pub geo_code: String,
    pub geo_name: String,
    pub period_start: Option<i32>,
    pub period_end: Option<i32>,
    pub period: String,
    pub fund: Fund,
    pub fund_source: String,
    pub measure: String,
    pub value: String,
    pub unit: String,
    pub amount_mvnd: Option<f64>,
    pub derived: bool,
    pub confidence: Confidence,
    pub source_url: String,
    pub source_date: String,
}

fn period_text(start: &str, end: &str) -> String {
    match (start.trim(), end.trim()) {
        ("", "") => String::new(),
        ("", e) => format!("–{e}"),
        (s, "") => format!("{s}–"),
        (s, e) if s == e => s.to_string(),
        (s, e) => format!("{s}–{e}"),
    }
}

/// Reads `kcqg_budget.csv`.
pub fn read_budget(path: &Path, rejected: &mut Vec<Rejected>) -> Result<Vec<BudgetRow>> {
    let req = [
        "record_id",
        "scope",
        "geo_code_gso63",
        "geo_name",
        "period_start",
        "period_end",
        "fund_source",
        "measure",
        "value",
        "unit",
        "value_million_vnd",
        "derived",
        "source_url",
        "source_date",
        "confidence",
    ];
    let rows = read_rows(path, &req, rejected)?;
    let mut out = Vec::new();
    for (line, m) in &rows.rows {
        let reject = |reason: String, rejected: &mut Vec<Rejected>| {
            rejected.push(Rejected {
                file: rows.file.clone(),
                line: *line,
                record_id: cell(m, "record_id").to_string(),
                reason,
            })
        };
        let Some(scope) = Scope::parse(cell(m, "scope")) else {
            reject(
                format!(
                    "scope \"{}\" is not one of national, region_moit, province",
                    cell(m, "scope")
                ),
                rejected,
            );
            continue;
        };
        let Some(confidence) = Confidence::parse(cell(m, "confidence")) else {
            reject(
                format!(
                    "confidence \"{}\" is not one of high, medium, low, unverified",
                    cell(m, "confidence")
                ),
                rejected,
            );
            continue;
        };
        let amount_mvnd = match amount(cell(m, "value_million_vnd")) {
            Ok(a) => a,
            Err(e) => {
                reject(e, rejected);
                continue;
            }
        };
        if cell(m, "record_id").is_empty() {
            reject("record_id is blank".into(), rejected);
            continue;
        }
        let (ps, pe) = (cell(m, "period_start"), cell(m, "period_end"));
        out.push(BudgetRow {
            record_id: cell(m, "record_id").into(),
            scope,
            geo_code: cell(m, "geo_code_gso63").into(),
            geo_name: cell(m, "geo_name").into(),
            period_start: year_of(ps),
            period_end: year_of(pe),
            period: period_text(ps, pe),
            fund: Fund::of(cell(m, "fund_source")),
            fund_source: cell(m, "fund_source").into(),
            measure: cell(m, "measure").into(),
            value: cell(m, "value").into(),
            unit: cell(m, "unit").into(),
            amount_mvnd,
            derived: cell(m, "derived").to_ascii_lowercase().starts_with("yes"),
            confidence,
            source_url: cell(m, "source_url").into(),
            source_date: cell(m, "source_date").into(),
        });
    }
    Ok(out)
}

/// Whether a target/result row is a target, a draft target, or a reported result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TargetKind {
    Target,
    DraftTarget,
    Result,
    /// A budget line of a draft programme, not an output.
    Other,
}

impl TargetKind {
    pub fn of(s: &str) -> TargetKind {
        let s = s.trim().to_ascii_lowercase();
        if s.starts_with("draft target") {
            TargetKind::DraftTarget
        } else if s.starts_with("target") {
            TargetKind::Target
        } else if s.starts_with("result") {
            TargetKind::Result
        } else {
            TargetKind::Other
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            TargetKind::Target => "target",
            TargetKind::DraftTarget => "draft_target",
            TargetKind::Result => "result",
            TargetKind::Other => "other",
        }
    }
}

/// What a target or result counts, so targets and results can be set side by side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Theme {
    DemonstrationModels,
    MachinerySupport,
    Training,
    Fairs,
    Clusters,
    Other,
}

impl Theme {
    /// The theme of an item, from its English wording and unit.
    pub fn of(item: &str, unit: &str) -> Theme {
        let i = item.to_ascii_lowercase();
        let u = unit.to_ascii_lowercase();
        if i.contains("demonstration") && u.contains("model") {
            Theme::DemonstrationModels
        } else if (i.contains("machinery") || i.contains("technology") || i.contains("equipment"))
            && u.contains("establishment")
        {
            Theme::MachinerySupport
        } else if i.contains("train") || i.contains("learner") || i.contains("vocational") {
            Theme::Training
        } else if i.contains("exhibition") || i.contains("fair") {
            Theme::Fairs
        } else if i.contains("cluster") {
            Theme::Clusters
        } else {
            Theme::Other
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::DemonstrationModels => "demonstration_models",
            Theme::MachinerySupport => "machinery_support",
            Theme::Training => "training",
            Theme::Fairs => "fairs",
            Theme::Clusters => "clusters",
            Theme::Other => "other",
        }
    }
}

/// One published target or result.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetRow {
    pub record_id: String,
    pub programme: String,
    pub legal_basis: String,
    pub period: String,
    pub item: String,
    pub kind: TargetKind,
    pub theme: Theme,
    /// The number, when the published value is a single number.
    pub value: Option<f64>,
    pub value_as_published: String,
    pub unit: String,
    pub confidence: Confidence,
    pub source_url: String,
}

/// Reads `kcqg_targets_outputs.csv`.
pub fn read_targets(path: &Path, rejected: &mut Vec<Rejected>) -> Result<Vec<TargetRow>> {
    let req = [
        "record_id",
        "programme",
        "legal_basis",
        "period",
        "item",
        "target_or_result",
        "value",
        "unit",
        "source_url",
        "confidence",
    ];
    let rows = read_rows(path, &req, rejected)?;
    let mut out = Vec::new();
    for (line, m) in &rows.rows {
        let Some(confidence) = Confidence::parse(cell(m, "confidence")) else {
            rejected.push(Rejected {
                file: rows.file.clone(),
                line: *line,
                record_id: cell(m, "record_id").into(),
                reason: format!(
                    "confidence \"{}\" is not one of high, medium, low, unverified",
                    cell(m, "confidence")
                ),
            });
            continue;
        };
        let raw = cell(m, "value");
        // "1600; 300" is two numbers whose units the source does not make clear: kept as
        // published, with no single value.
        let value = raw.parse::<f64>().ok().filter(|v| v.is_finite());
        out.push(TargetRow {
            record_id: cell(m, "record_id").into(),
            programme: cell(m, "programme").into(),
            legal_basis: cell(m, "legal_basis").into(),
            period: cell(m, "period").trim_matches('"').into(),
            item: cell(m, "item").into(),
            kind: TargetKind::of(cell(m, "target_or_result")),
            theme: Theme::of(cell(m, "item"), cell(m, "unit")),
            value,
            value_as_published: raw.into(),
            unit: cell(m, "unit").into(),
            confidence,
            source_url: cell(m, "source_url").into(),
        });
    }
    Ok(out)
}

/// One province-level spending fact.
#[derive(Debug, Clone, PartialEq)]
pub struct SpendingFact {
    pub record_id: String,
    pub province_code: String,
    pub province_name: String,
    pub boundary_note: String,
    pub period_start: Option<i32>,
    pub period_end: Option<i32>,
    pub period: String,
    pub fund: Fund,
    pub fund_source: String,
    pub measure: String,
    pub amount_mvnd: Option<f64>,
    pub qualifier: String,
    pub confidence: Confidence,
    pub source_url: String,
}

/// Reads `kc_spending_province_facts.csv`. A province code must be on the 63-province map.
pub fn read_facts(path: &Path, rejected: &mut Vec<Rejected>) -> Result<Vec<SpendingFact>> {
    let req = [
        "record_id",
        "code_gso",
        "province_name_vi",
        "boundary_note",
        "period_start",
        "period_end",
        "fund_source",
        "measure",
        "value_million_vnd",
        "qualifier",
        "source_url",
        "confidence",
    ];
    let rows = read_rows(path, &req, rejected)?;
    let reference = crate::reference::Reference::get();
    let mut out = Vec::new();
    for (line, m) in &rows.rows {
        let reject = |reason: String, rejected: &mut Vec<Rejected>| {
            rejected.push(Rejected {
                file: rows.file.clone(),
                line: *line,
                record_id: cell(m, "record_id").to_string(),
                reason,
            })
        };
        let code = cell(m, "code_gso");
        if reference.province(code).is_none() {
            reject(
                format!("code_gso \"{code}\" is not a province code of the 63-province map"),
                rejected,
            );
            continue;
        }
        let Some(confidence) = Confidence::parse(cell(m, "confidence")) else {
            reject(
                format!(
                    "confidence \"{}\" is not one of high, medium, low, unverified",
                    cell(m, "confidence")
                ),
                rejected,
            );
            continue;
        };
        let amount_mvnd = match amount(cell(m, "value_million_vnd")) {
            Ok(a) => a,
            Err(e) => {
                reject(e, rejected);
                continue;
            }
        };
        let (ps, pe) = (cell(m, "period_start"), cell(m, "period_end"));
        out.push(SpendingFact {
            record_id: cell(m, "record_id").into(),
            province_code: code.into(),
            province_name: cell(m, "province_name_vi").into(),
            boundary_note: cell(m, "boundary_note").into(),
            period_start: year_of(ps),
            period_end: year_of(pe),
            period: period_text(ps, pe),
            fund: Fund::of(cell(m, "fund_source")),
            fund_source: cell(m, "fund_source").into(),
            measure: cell(m, "measure").into(),
            amount_mvnd,
            qualifier: cell(m, "qualifier").into(),
            confidence,
            source_url: cell(m, "source_url").into(),
        });
    }
    Ok(out)
}

fn s(v: impl Into<String>) -> Option<String> {
    Some(v.into())
}

/// `indicators/programme_budget.parquet`.
pub fn budget_table(rows: &[BudgetRow]) -> Result<DataFrame> {
    TableBuilder::new()
        .str(
            col::RECORD_ID,
            rows.iter().map(|r| s(&r.record_id)).collect(),
        )
        .str(
            col::SCOPE,
            rows.iter().map(|r| s(r.scope.as_str())).collect(),
        )
        .str(
            col::GEO_CODE,
            rows.iter()
                .map(|r| (!r.geo_code.is_empty()).then(|| r.geo_code.clone()))
                .collect(),
        )
        .str(col::GEO_NAME, rows.iter().map(|r| s(&r.geo_name)).collect())
        .i32(
            col::PERIOD_START,
            rows.iter().map(|r| r.period_start).collect(),
        )
        .i32(col::PERIOD_END, rows.iter().map(|r| r.period_end).collect())
        .str(col::PERIOD, rows.iter().map(|r| s(&r.period)).collect())
        .str(col::FUND, rows.iter().map(|r| s(r.fund.as_str())).collect())
        .str(
            col::FUND_SOURCE,
            rows.iter().map(|r| s(&r.fund_source)).collect(),
        )
        .str(col::MEASURE, rows.iter().map(|r| s(&r.measure)).collect())
        .str(
            col::VALUE_AS_PUBLISHED,
            rows.iter().map(|r| s(&r.value)).collect(),
        )
        .str(col::UNIT, rows.iter().map(|r| s(&r.unit)).collect())
        .f64(
            col::AMOUNT_MVND,
            rows.iter().map(|r| r.amount_mvnd).collect(),
        )
        .bool(col::DERIVED, rows.iter().map(|r| Some(r.derived)).collect())
        .str(
            col::CONFIDENCE,
            rows.iter().map(|r| s(r.confidence.as_str())).collect(),
        )
        .str(
            col::SOURCE_URL,
            rows.iter().map(|r| s(&r.source_url)).collect(),
        )
        .str(
            col::SOURCE_DATE,
            rows.iter().map(|r| s(&r.source_date)).collect(),
        )
        .build()
}

/// `indicators/programme_targets.parquet`.
pub fn targets_table(rows: &[TargetRow]) -> Result<DataFrame> {
    TableBuilder::new()
        .str(
            col::RECORD_ID,
            rows.iter().map(|r| s(&r.record_id)).collect(),
        )
        .str(
            col::PROGRAMME,
            rows.iter().map(|r| s(&r.programme)).collect(),
        )
        .str(
            col::LEGAL_BASIS,
            rows.iter().map(|r| s(&r.legal_basis)).collect(),
        )
        .str(col::PERIOD, rows.iter().map(|r| s(&r.period)).collect())
        .str(col::ITEM, rows.iter().map(|r| s(&r.item)).collect())
        .str(col::KIND, rows.iter().map(|r| s(r.kind.as_str())).collect())
        .str(
            col::THEME,
            rows.iter().map(|r| s(r.theme.as_str())).collect(),
        )
        .f64(col::VALUE, rows.iter().map(|r| r.value).collect())
        .str(
            col::VALUE_AS_PUBLISHED,
            rows.iter().map(|r| s(&r.value_as_published)).collect(),
        )
        .str(col::UNIT, rows.iter().map(|r| s(&r.unit)).collect())
        .str(
            col::CONFIDENCE,
            rows.iter().map(|r| s(r.confidence.as_str())).collect(),
        )
        .str(
            col::SOURCE_URL,
            rows.iter().map(|r| s(&r.source_url)).collect(),
        )
        .build()
}

/// `indicators/spending_facts.parquet`.
pub fn facts_table(rows: &[SpendingFact]) -> Result<DataFrame> {
    TableBuilder::new()
        .str(
            col::RECORD_ID,
            rows.iter().map(|r| s(&r.record_id)).collect(),
        )
        .str(
            col::PROVINCE_CODE,
            rows.iter().map(|r| s(&r.province_code)).collect(),
        )
        .str(
            col::PROVINCE_NAME,
            rows.iter().map(|r| s(&r.province_name)).collect(),
        )
        .str(
            col::BOUNDARY_NOTE,
            rows.iter()
                .map(|r| (!r.boundary_note.is_empty()).then(|| r.boundary_note.clone()))
                .collect(),
        )
        .i32(
            col::PERIOD_START,
            rows.iter().map(|r| r.period_start).collect(),
        )
        .i32(col::PERIOD_END, rows.iter().map(|r| r.period_end).collect())
        .str(col::PERIOD, rows.iter().map(|r| s(&r.period)).collect())
        .str(col::FUND, rows.iter().map(|r| s(r.fund.as_str())).collect())
        .str(
            col::FUND_SOURCE,
            rows.iter().map(|r| s(&r.fund_source)).collect(),
        )
        .str(col::MEASURE, rows.iter().map(|r| s(&r.measure)).collect())
        .f64(
            col::AMOUNT_MVND,
            rows.iter().map(|r| r.amount_mvnd).collect(),
        )
        .str(
            col::QUALIFIER,
            rows.iter()
                .map(|r| (!r.qualifier.is_empty()).then(|| r.qualifier.clone()))
                .collect(),
        )
        .str(
            col::CONFIDENCE,
            rows.iter().map(|r| s(r.confidence.as_str())).collect(),
        )
        .str(
            col::SOURCE_URL,
            rows.iter().map(|r| s(&r.source_url)).collect(),
        )
        .build()
}

/// `indicators/programme_rejected.parquet`.
pub fn rejected_table(rows: &[Rejected]) -> Result<DataFrame> {
    TableBuilder::new()
        .str(col::FILE, rows.iter().map(|r| s(&r.file)).collect())
        .i64(
            col::LINE,
            rows.iter().map(|r| Some(r.line as i64)).collect(),
        )
        .str(
            col::RECORD_ID,
            rows.iter().map(|r| s(&r.record_id)).collect(),
        )
        .str(col::REASON, rows.iter().map(|r| s(&r.reason)).collect())
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    fn tmp(tag: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("kc-programme-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    const BUDGET_HEAD: &str = "record_id,scope,geo_code_gso63,geo_name,grouping_note,period_start,period_end,fund_source,measure,value,unit,value_million_vnd,derived,as_reported,source_url,source_date,confidence,notes\n";

    #[test]
    fn budget_rows_are_kept_or_rejected_with_a_reason() {
        let d = tmp("budget");
        let text = format!(
            "{BUDGET_HEAD}N01,national,,Cả nước,,2021,2025,total_KCQG_plus_KCDP,approved_budget,1436,billion VND,1436000,no,\"q, with comma\",http://a,2025,medium,\n\
             N03,national,,Cả nước,,2021,2025,KCQG,approved_budget_derived,525.576,billion VND,525576,yes: N01 x N02,,http://a,,low,\n\
             X1,planet,,Earth,,2021,2025,KCQG,budget,1,billion VND,1000,no,,http://a,,low,\n\
             X2,national,,Cả nước,,2021,2025,KCQG,budget,1,billion VND,\"1.000.000\",no,,http://a,,low,\n\
             X3,national,,Cả nước,,2013-01,2013-09,KCQG,budget,1,billion VND,,no,,http://a,,sure,\n\
             R07,region_moit,,Tây Nguyên,,2024,2024,KCQG,implemented,,billion VND,,no,,http://a,,medium,\n"
        );
        let p = write(&d, "b.csv", &text);
        let mut rej = Vec::new();
        let rows = read_budget(&p, &mut rej).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rej.len(), 3);
        assert_eq!(rows[0].amount_mvnd, Some(1_436_000.0));
        assert_eq!(rows[0].fund, Fund::Total);
        assert_eq!(rows[0].period, "2021–2025");
        assert!(!rows[0].derived);
        assert!(rows[1].derived);
        assert_eq!(rows[1].fund, Fund::National);
        assert_eq!(rows[2].amount_mvnd, None);
        assert_eq!(rows[2].scope, Scope::RegionMoit);
        assert_eq!(rej[0].record_id, "X1");
        assert_eq!(rej[0].line, 4);
        assert!(rej[0].reason.contains("planet"), "{}", rej[0].reason);
        assert!(rej[1].reason.contains("1.000.000"), "{}", rej[1].reason);
        assert!(rej[2].reason.contains("sure"), "{}", rej[2].reason);
        // A missing column is a data error naming the column.
        let p = write(&d, "c.csv", "record_id,scope\nN01,national\n");
        let e = read_budget(&p, &mut rej).unwrap_err();
        assert_eq!(e.exit_code(), 3);
        assert!(e.to_string().contains("geo_code_gso63"), "{e}");
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn themes_and_kinds_follow_the_wording() {
        assert_eq!(
            Theme::of("technical demonstration models", "models"),
            Theme::DemonstrationModels
        );
        assert_eq!(
            Theme::of(
                "CNNT establishments supported with equipment/technology",
                "establishments"
            ),
            Theme::MachinerySupport
        );
        assert_eq!(
            Theme::of("vocational training for rural workers", "workers"),
            Theme::Training
        );
        assert_eq!(
            Theme::of("exhibitions and fairs abroad", "events"),
            Theme::Fairs
        );
        assert_eq!(
            Theme::of("programme budget total", "billion VND"),
            Theme::Other
        );
        assert_eq!(TargetKind::of("draft target"), TargetKind::DraftTarget);
        assert_eq!(TargetKind::of("target (as reported)"), TargetKind::Target);
        assert_eq!(TargetKind::of("result"), TargetKind::Result);
        assert_eq!(TargetKind::of("draft budget"), TargetKind::Other);
        assert_eq!(Fund::of("beneficiary_counterpart"), Fund::Counterpart);
        assert_eq!(Fund::of("KCDP_district_level"), Fund::Local);
        assert_eq!(Fund::of("KCQG_pilot (đề án KCQG điểm)"), Fund::National);
        assert_eq!(Fund::of("KCDP_projects_total_cost"), Fund::Other);
        assert_eq!(Fund::of("total_project_budget"), Fund::Other);
        assert_eq!(Fund::of("provincial (not clearly KC)"), Fund::Other);
        assert_eq!(Fund::of("total_KCQG_plus_KCDP"), Fund::Total);
        assert_eq!(Fund::of("state_budget_KC"), Fund::Total);
        assert_eq!(year_of("2013-09"), Some(2013));
        assert_eq!(year_of("unknown"), None);
    }

    #[test]
    fn facts_need_a_province_of_the_63_map() {
        let d = tmp("facts");
        let p = write(
            &d,
            "f.csv",
            "record_id,code_gso,province_name_vi,boundary_note,period_start,period_end,fund_source,measure,value,unit,value_million_vnd,qualifier,source_url,confidence\n\
             K01,42,Hà Tĩnh,,2016,2020,KCQG,implemented,11,billion VND,11000,over (lower bound),http://a,medium\n\
             K02,99,Nowhere,,2016,2020,KCQG,implemented,11,billion VND,11000,,http://a,medium\n",
        );
        let mut rej = Vec::new();
        let rows = read_facts(&p, &mut rej).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].amount_mvnd, Some(11_000.0));
        assert_eq!(rej.len(), 1);
        assert_eq!((rej[0].line, rej[0].record_id.as_str()), (3, "K02"));
        let _ = std::fs::remove_dir_all(&d);
    }
}
