//! Reads the finished tables a run left under its output folder into plain rows for the report.
//! Nothing here estimates anything: it selects, filters and sums what the stages wrote. A table
//! that is absent is recorded in `missing` so the data-quality section can say so; only the
//! panel and the flags are required. `manifest.json` is read in one place, [`read_manifest`].

use crate::contract::schema::col;
use crate::contract::vocab::FlagStatus;
use crate::error::{Error, Result};
use crate::table::{bools, f64s_or_null, i32s, strs, strs_or_null};
use polars::prelude::DataFrame;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Grant {
    pub year: i32,
    pub province_code: String,
    pub sector_code: Option<String>,
    pub activity: String,
    pub amount_mvnd: f64,
    pub beneficiary: Option<String>,
    pub project_id: Option<String>,
}

#[derive(Debug, Clone)]
pub struct SpendRow {
    pub year: i32,
    pub source: String,
    pub activity: String,
    pub amount_mvnd: f64,
}

#[derive(Debug, Clone)]
pub struct GrowthRow {
    pub province_code: String,
    pub year: i32,
    pub output_bvnd: Option<f64>,
    pub dlog_output: Option<f64>,
    pub spend_lag1_mvnd: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct AchievementRow {
    pub year: i32,
    pub planned_mvnd: Option<f64>,
    pub disbursed_mvnd: Option<f64>,
    pub target_trainees: Option<f64>,
    pub achieved_trainees: Option<f64>,
    pub target_models: Option<f64>,
    pub achieved_models: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Coefficient {
    pub model: String,
    pub term: String,
    pub estimate: f64,
    pub std_error: Option<f64>,
    pub p_value: Option<f64>,
    pub conf_low: Option<f64>,
    pub conf_high: Option<f64>,
    pub p_value_wild: Option<f64>,
    pub conf_low_wild: Option<f64>,
    pub conf_high_wild: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct EventRow {
    pub rel_year: i32,
    pub estimate: f64,
    pub conf_low: Option<f64>,
    pub conf_high: Option<f64>,
    pub conf_low_wild: Option<f64>,
    pub conf_high_wild: Option<f64>,
    pub reference: bool,
}

#[derive(Debug, Clone)]
pub struct FlagRow {
    pub province_code: String,
    pub period_start: i32,
    pub period_end: i32,
    pub n_grants: Option<f64>,
    pub total_mvnd: Option<f64>,
    pub median_grant_mvnd: Option<f64>,
    pub small_grant_share: Option<f64>,
    pub eff_sectors: Option<f64>,
    pub effect: Option<f64>,
    pub effect_conf_low: Option<f64>,
    pub effect_conf_high: Option<f64>,
    pub effect_q_value: Option<f64>,
    pub flagged: bool,
    pub status: FlagStatus,
    pub reasons: String,
    pub reason_vi: String,
    pub reason_en: String,
    pub rank: Option<i32>,
    /// Thresholds the flags stage used in this window (effective sectors, small-grant share).
    pub threshold_eff_sectors: Option<f64>,
    pub threshold_small_share: Option<f64>,
    /// clear | low | inconclusive | insufficient ("" in tables written before verdicts).
    pub effect_verdict: String,
    pub placebo: Option<f64>,
    pub placebo_conf_low: Option<f64>,
    pub placebo_conf_high: Option<f64>,
    pub placebo_failed: Option<bool>,
    pub conf_level: Option<f64>,
    pub min_effect: Option<f64>,
}

/// Null cells per column of one table.
#[derive(Debug, Clone)]
pub struct MissingCells {
    pub table: String,
    pub rows: usize,
    pub by_column: Vec<(String, usize)>,
}

/// A fitted model's headline, from `models/<name>.json`.
#[derive(Debug, Clone)]
pub struct ModelSummary {
    pub name: String,
    pub formula: String,
    pub nobs: Option<f64>,
    pub vcov: String,
    pub json: serde_json::Value,
}

/// `indicators/national.parquet`: every grant of the years analysed, whole country.
#[derive(Debug, Clone, PartialEq)]
pub struct NationalGrants {
    pub period_start: Option<i32>,
    pub period_end: Option<i32>,
    pub n_grants: usize,
    pub n_positive_grants: usize,
    pub total_mvnd: f64,
    pub gini: Option<f64>,
    pub top_decile_share: Option<f64>,
}

/// What the report takes from `manifest.json`.
#[derive(Debug, Clone, Default)]
pub struct RunInfo {
    pub program_version: Option<String>,
    /// The parameters the flags stage ran with, as it wrote them (`None`: no flags entry).
    pub flag_params: Option<crate::flags::FlagParams>,
}

#[derive(Debug, Default)]
pub struct ReportData {
    pub grants: Option<Vec<Grant>>,
    pub spending: Option<Vec<SpendRow>>,
    pub growth: Option<Vec<GrowthRow>>,
    pub achievement: Option<Vec<AchievementRow>>,
    pub coefficients: Option<Vec<Coefficient>>,
    pub event_study: Option<Vec<EventRow>>,
    /// `models/pilot_inference.json`, when the run had a pilot.
    pub pilot_inference: Option<crate::models::pilot::PilotInference>,
    pub models: Vec<ModelSummary>,
    pub flags: Vec<FlagRow>,
    /// Provinces the panel marks as pilot.
    pub panel_pilots: Vec<String>,
    pub panel_rows: usize,
    pub panel_missing_output: usize,
    pub panel_years: Option<(i32, i32)>,
    /// (source file name, reason, rows).
    pub rejected: Vec<(String, String, usize)>,
    pub missing_cells: Vec<MissingCells>,
    /// From `manifest.json`, when the run left one.
    pub manifest: Option<RunInfo>,
    /// `indicators/national.parquet`.
    pub national: Option<NationalGrants>,
    /// `indicators/lorenz.parquet`: (share of grants, share of money), smallest grants first.
    pub lorenz: Option<Vec<(f64, f64)>>,
    /// Optional tables that were absent, as paths relative to the output folder.
    pub missing: Vec<String>,
    /// `flags/changes.parquet`: verdicts that changed when the flags were last recomputed.
    pub changes: Vec<ChangeRow>,
}

/// One row of `flags/changes.parquet`.
#[derive(Debug, Clone, Default)]
pub struct ChangeRow {
    pub province_code: String,
    pub province_name: Option<String>,
    /// Reason codes joined by ";" (NEW_WINDOW, WINDOW_GONE, WINDOW_EXTENDED, VERDICT, FLAG,
    /// SCATTERED).
    pub change: String,
    pub period_start_before: Option<i32>,
    pub period_end_before: Option<i32>,
    pub period_start: Option<i32>,
    pub period_end: Option<i32>,
    pub verdict_before: Option<String>,
    pub verdict_now: Option<String>,
    pub flagged_before: Option<bool>,
    pub flagged_now: Option<bool>,
    pub scattered_before: Option<bool>,
    pub scattered_now: Option<bool>,
}

/// Reads `flags/changes.parquet` when a run wrote one (older runs did not: no changes).
fn read_changes(out: &Path) -> Result<Vec<ChangeRow>> {
    let path = out.join("flags/changes.parquet");
    if !path.exists() {
        return Ok(Vec::new());
    }
    let df = crate::io::read_parquet(&path)?;
    let code = strs(&df, col::PROVINCE_CODE)?;
    let name = strs_or_null(&df, col::PROVINCE_NAME)?;
    let change = strs(&df, col::CHANGE)?;
    let sb = i32s(&df, col::PERIOD_START_BEFORE)?;
    let eb = i32s(&df, col::PERIOD_END_BEFORE)?;
    let sn = i32s(&df, col::PERIOD_START)?;
    let en = i32s(&df, col::PERIOD_END)?;
    let vb = strs_or_null(&df, col::VERDICT_BEFORE)?;
    let vn = strs_or_null(&df, col::VERDICT_NOW)?;
    let fb = bools(&df, col::FLAGGED_BEFORE)?;
    let fnow = bools(&df, col::FLAGGED_NOW)?;
    let scb = bools(&df, col::SCATTERED_BEFORE)?;
    let scn = bools(&df, col::SCATTERED_NOW)?;
    Ok((0..df.height())
        .map(|i| ChangeRow {
            province_code: code[i].clone().unwrap_or_default(),
            province_name: name[i].clone(),
            change: change[i].clone().unwrap_or_default(),
            period_start_before: sb[i],
            period_end_before: eb[i],
            period_start: sn[i],
            period_end: en[i],
            verdict_before: vb[i].clone(),
            verdict_now: vn[i].clone(),
            flagged_before: fb[i],
            flagged_now: fnow[i],
            scattered_before: scb[i],
            scattered_now: scn[i],
        })
        .collect())
}

fn read_optional(out: &Path, rel: &str, missing: &mut Vec<String>) -> Result<Option<DataFrame>> {
    let path = out.join(rel);
    if !path.exists() {
        missing.push(rel.to_string());
        return Ok(None);
    }
    crate::io::read_parquet(&path).map(Some)
}

fn read_required(out: &Path, rel: &str, stage: &str) -> Result<DataFrame> {
    let path = out.join(rel);
    if !path.exists() {
        return Err(Error::Other(format!(
            "{} is missing: the report needs it; run the {stage} stage first (khuyencong run)",
            path.display()
        )));
    }
    crate::io::read_parquet(&path)
}

fn text(v: Option<String>) -> String {
    crate::text::clean(&v.unwrap_or_default())
}

fn opt_text(v: Option<String>) -> Option<String> {
    v.map(|s| crate::text::clean(&s)).filter(|s| !s.is_empty())
}

fn missing_cells(name: &str, df: &DataFrame) -> MissingCells {
    MissingCells {
        table: name.to_string(),
        rows: df.height(),
        by_column: df
            .columns()
            .iter()
            .map(|c| (c.name().to_string(), c.null_count()))
            .collect(),
    }
}

impl ReportData {
    pub fn load(out: &Path) -> Result<ReportData> {
        let mut d = ReportData::default();
        let mut missing = Vec::new();

        let flags = read_required(out, "flags/flags.parquet", "flags")?;
        d.flags = read_flags(&out.join("flags/flags.parquet"), &flags)?;
        d.changes = read_changes(out)?;
        let panel = read_required(out, "panel/panel.parquet", "panel")?;
        read_panel(&panel, &mut d)?;
        d.missing_cells
            .push(missing_cells("panel/panel.parquet", &panel));

        if let Some(df) = read_optional(out, "indicators/national.parquet", &mut missing)? {
            d.national = read_national(&df)?;
        }
        if let Some(df) = read_optional(out, "indicators/lorenz.parquet", &mut missing)? {
            let a = f64s_or_null(&df, col::SHARE_OF_GRANTS)?;
            let b = f64s_or_null(&df, col::SHARE_OF_AMOUNT)?;
            d.lorenz = Some(a.into_iter().zip(b).filter_map(|(a, b)| a.zip(b)).collect());
        }
        if let Some(df) = read_optional(out, "clean/funding.parquet", &mut missing)? {
            let mut grants = read_grants(&df)?;
            // The clean table holds every year read; the report lists only the years analysed
            // (the span of the indicators' grants, within the pipeline's `years`).
            if let Some(NationalGrants {
                period_start: Some(a),
                period_end: Some(b),
                ..
            }) = d.national
            {
                grants.retain(|g| g.year >= a && g.year <= b);
            }
            d.grants = Some(grants);
            d.missing_cells
                .push(missing_cells("clean/funding.parquet", &df));
        }
        if let Some(df) = read_optional(out, "clean/output.parquet", &mut missing)? {
            d.missing_cells
                .push(missing_cells("clean/output.parquet", &df));
        }
        if let Some(df) = read_optional(out, "indicators/spending_by_year.parquet", &mut missing)? {
            let year = i32s(&df, col::YEAR)?;
            let source = strs(&df, col::SOURCE)?;
            let activity = strs(&df, col::ACTIVITY)?;
            let amount = f64s_or_null(&df, col::AMOUNT_MVND)?;
            d.spending = Some(
                (0..df.height())
                    .filter_map(|i| {
                        Some(SpendRow {
                            year: year[i]?,
                            source: text(source[i].clone()),
                            activity: text(activity[i].clone()),
                            amount_mvnd: amount[i]?,
                        })
                    })
                    .collect(),
            );
        }
        if let Some(df) = read_optional(out, "indicators/growth.parquet", &mut missing)? {
            let prov = strs(&df, col::PROVINCE_CODE)?;
            let year = i32s(&df, col::YEAR)?;
            let output = f64s_or_null(&df, col::OUTPUT_BVND)?;
            let dlog = f64s_or_null(&df, col::DLOG_OUTPUT)?;
            let lag = f64s_or_null(&df, col::SPEND_LAG1_MVND)?;
            d.growth = Some(
                (0..df.height())
                    .filter_map(|i| {
                        Some(GrowthRow {
                            province_code: prov[i].clone()?,
                            year: year[i]?,
                            output_bvnd: output[i],
                            dlog_output: dlog[i],
                            spend_lag1_mvnd: lag[i],
                        })
                    })
                    .collect(),
            );
        }
        if let Some(df) = read_optional(out, "indicators/achievement.parquet", &mut missing)? {
            let year = i32s(&df, col::YEAR)?;
            let cols: Vec<Vec<Option<f64>>> = [
                "planned_mvnd",
                "disbursed_mvnd",
                "target_trainees",
                "achieved_trainees",
                "target_models",
                "achieved_models",
            ]
            .iter()
            .map(|c| f64s_or_null(&df, c))
            .collect::<Result<_>>()?;
            d.achievement = Some(
                (0..df.height())
                    .filter_map(|i| {
                        Some(AchievementRow {
                            year: year[i]?,
                            planned_mvnd: cols[0][i],
                            disbursed_mvnd: cols[1][i],
                            target_trainees: cols[2][i],
                            achieved_trainees: cols[3][i],
                            target_models: cols[4][i],
                            achieved_models: cols[5][i],
                        })
                    })
                    .collect(),
            );
        }
        if let Some(df) = read_optional(out, "models/coefficients.parquet", &mut missing)? {
            d.coefficients = Some(read_coefficients(&df)?);
        }
        if let Some(df) = read_optional(out, "models/event_study.parquet", &mut missing)? {
            d.event_study = Some(read_event_study(&df)?);
        }
        let pi = out.join("models/pilot_inference.json");
        if pi.exists() {
            let bytes = std::fs::read(&pi).map_err(|e| Error::io(&pi, e))?;
            d.pilot_inference =
                Some(serde_json::from_slice(&bytes).map_err(|e| {
                    Error::data(&pi, None, format!("not a pilot inference file: {e}"))
                })?);
        }
        d.models = read_models(&out.join("models"))?;
        if d.models.is_empty() {
            missing.push("models/*.json".to_string());
        }
        d.rejected = read_rejected(&out.join("rejected"))?;
        d.manifest = read_manifest(&out.join("manifest.json"))?;
        if d.manifest.is_none() {
            missing.push("manifest.json".to_string());
        }
        d.missing = missing;
        Ok(d)
    }

    /// The model whose key term the report draws: `main` when present, else the first one.
    pub fn main_model(&self) -> Option<&ModelSummary> {
        self.models
            .iter()
            .find(|m| m.name == "main")
            .or(self.models.first())
    }

    /// The spending term of the main model: the coefficient named [`SPEND_TERM`].
    pub fn main_spend_term(&self) -> Option<Coefficient> {
        let model = self.main_model()?;
        if let Some(c) = self.coefficients.as_ref().and_then(|cs| {
            cs.iter()
                .find(|c| c.model == model.name && c.term == SPEND_TERM)
        }) {
            return Some(c.clone());
        }
        let coefs = model.json.get("coefficients")?.as_array()?;
        let c = coefs
            .iter()
            .find(|c| c.get("term").and_then(|t| t.as_str()) == Some(SPEND_TERM))?;
        let f = |k: &str| c.get(k).and_then(|v| v.as_f64());
        let boot = model.json.get("bootstrap");
        let b = |k: &str| boot.and_then(|b| b.get(k)).and_then(|v| v.as_f64());
        Some(Coefficient {
            model: model.name.clone(),
            term: c.get("term")?.as_str()?.to_string(),
            estimate: f("estimate")?,
            std_error: f("std_error"),
            p_value: f("p_value"),
            conf_low: f("conf_low"),
            conf_high: f("conf_high"),
            p_value_wild: b("p_value"),
            conf_low_wild: b("conf_low"),
            conf_high_wild: b("conf_high"),
        })
    }
}

/// The headline term: the panel's log spending of the previous year, as the panel names the
/// column and the models stage names the coefficient.
pub const SPEND_TERM: &str = crate::panel::SPEND_TERM;

/// Reads `manifest.json` (`None` when absent): the program version and the flags stage's
/// parameters, deserialized into the flags stage's own type. Only the manifest the pipeline
/// writes is accepted; anything else is a data error naming the file.
pub fn read_manifest(path: &Path) -> Result<Option<RunInfo>> {
    let Some(m) = crate::contract::manifest::Manifest::load(path)? else {
        return Ok(None);
    };
    let flag_params = match m
        .stages
        .iter()
        .find(|s| s.name == crate::contract::vocab::Stage::Flags)
    {
        Some(stage) => match stage.parameters.get("flags") {
            Some(v) => Some(serde_json::from_value(v.clone()).map_err(|e| {
                Error::data(
                    path,
                    None,
                    format!("the flags stage's parameters cannot be read: {e}"),
                )
            })?),
            None => None,
        },
        None => None,
    };
    Ok(Some(RunInfo {
        program_version: Some(m.program_version).filter(|v| !v.is_empty()),
        flag_params,
    }))
}

fn read_national(df: &DataFrame) -> Result<Option<NationalGrants>> {
    let start = i32s(df, col::PERIOD_START)?;
    let end = i32s(df, col::PERIOD_END)?;
    let n = crate::table::i64s(df, col::N_GRANTS)?;
    let np = crate::table::i64s(df, col::N_POSITIVE_GRANTS)?;
    let total = f64s_or_null(df, col::TOTAL_MVND)?;
    let gini = f64s_or_null(df, col::GINI)?;
    let top = f64s_or_null(df, col::TOP_DECILE_SHARE)?;
    if df.height() == 0 {
        return Ok(None);
    }
    Ok(Some(NationalGrants {
        period_start: start[0],
        period_end: end[0],
        n_grants: n[0].unwrap_or(0).max(0) as usize,
        n_positive_grants: np[0].unwrap_or(0).max(0) as usize,
        total_mvnd: total[0].unwrap_or(0.0),
        gini: gini[0],
        top_decile_share: top[0],
    }))
}

/// The status of each flags row; an unknown or missing one is a data error naming the file,
/// the row and the value.
fn flag_statuses(path: &Path, df: &DataFrame) -> Result<Vec<FlagStatus>> {
    strs_or_null(df, col::STATUS)?
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let text = s.unwrap_or_default();
            FlagStatus::parse(&text).ok_or_else(|| {
                Error::data(
                    path,
                    Some(i + 1),
                    crate::contract::vocab::unknown("flag status", &text, FlagStatus::NAMES),
                )
            })
        })
        .collect()
}

fn read_flags(path: &Path, df: &DataFrame) -> Result<Vec<FlagRow>> {
    let prov = strs(df, col::PROVINCE_CODE)?;
    let start = i32s(df, col::PERIOD_START)?;
    let end = i32s(df, col::PERIOD_END)?;
    let num = |c: &str| f64s_or_null(df, c);
    let (n_grants, total, median, small, eff) = (
        num("n_grants")?,
        num("total_mvnd")?,
        num("median_grant_mvnd")?,
        num("small_grant_share")?,
        num("eff_sectors")?,
    );
    let (effect, lo, hi, q) = (
        num("effect")?,
        num("effect_conf_low")?,
        num("effect_conf_high")?,
        num("effect_q_value")?,
    );
    let flagged = bools(df, col::FLAGGED)?;
    let status = flag_statuses(path, df)?;
    let reasons = strs_or_null(df, col::REASONS)?;
    let reason_vi = strs_or_null(df, col::REASON_VI)?;
    let reason_en = strs_or_null(df, col::REASON_EN)?;
    let thr_eff = crate::table::f64s_or_null(df, col::THRESHOLD_EFF_SECTORS)?;
    let thr_small = crate::table::f64s_or_null(df, col::THRESHOLD_SMALL_SHARE)?;
    let verdict = strs_or_null(df, col::EFFECT_VERDICT)?;
    let (placebo, pl_lo, pl_hi, level, min_effect) = (
        num("placebo")?,
        num("placebo_conf_low")?,
        num("placebo_conf_high")?,
        num("conf_level")?,
        num("min_effect")?,
    );
    let placebo_failed = if df.column(col::PLACEBO_FAILED).is_ok() {
        bools(df, col::PLACEBO_FAILED)?
    } else {
        vec![None; df.height()]
    };
    let rank = if df.column(col::RANK).is_ok() {
        i32s(df, col::RANK)?
    } else {
        vec![None; df.height()]
    };
    Ok((0..df.height())
        .filter_map(|i| {
            Some(FlagRow {
                province_code: prov[i].clone()?,
                period_start: start[i]?,
                period_end: end[i]?,
                n_grants: n_grants[i],
                total_mvnd: total[i],
                median_grant_mvnd: median[i],
                small_grant_share: small[i],
                eff_sectors: eff[i],
                effect: effect[i],
                effect_conf_low: lo[i],
                effect_conf_high: hi[i],
                effect_q_value: q[i],
                flagged: flagged[i].unwrap_or(false),
                status: status[i],
                reasons: text(reasons[i].clone()),
                reason_vi: text(reason_vi[i].clone()),
                reason_en: text(reason_en[i].clone()),
                rank: rank[i],
                threshold_eff_sectors: thr_eff[i],
                threshold_small_share: thr_small[i],
                effect_verdict: text(verdict[i].clone()),
                placebo: placebo[i],
                placebo_conf_low: pl_lo[i],
                placebo_conf_high: pl_hi[i],
                placebo_failed: placebo_failed[i],
                conf_level: level[i],
                min_effect: min_effect[i],
            })
        })
        .collect())
}

fn read_panel(df: &DataFrame, d: &mut ReportData) -> Result<()> {
    d.panel_rows = df.height();
    let years = i32s(df, col::YEAR)?;
    let lo = years.iter().flatten().min().copied();
    let hi = years.iter().flatten().max().copied();
    d.panel_years = lo.zip(hi);
    if df.column(col::MISSING_OUTPUT).is_ok() {
        d.panel_missing_output = bools(df, col::MISSING_OUTPUT)?
            .iter()
            .filter(|v| **v == Some(true))
            .count();
    }
    if df.column(col::PILOT).is_ok() {
        let prov = strs(df, col::PROVINCE_CODE)?;
        let pilot = bools(df, col::PILOT)?;
        let mut pilots: Vec<String> = prov
            .into_iter()
            .zip(pilot)
            .filter(|(_, p)| *p == Some(true))
            .filter_map(|(c, _)| c)
            .collect();
        pilots.sort();
        pilots.dedup();
        d.panel_pilots = pilots;
    }
    Ok(())
}

fn read_grants(df: &DataFrame) -> Result<Vec<Grant>> {
    let year = i32s(df, col::YEAR)?;
    let prov = strs(df, col::PROVINCE_CODE)?;
    let sector = strs_or_null(df, col::SECTOR_CODE)?;
    let activity = strs_or_null(df, col::ACTIVITY)?;
    let amount = f64s_or_null(df, col::AMOUNT_MVND)?;
    let beneficiary = strs_or_null(df, col::BENEFICIARY)?;
    let project = strs_or_null(df, col::PROJECT_ID)?;
    Ok((0..df.height())
        .filter_map(|i| {
            Some(Grant {
                year: year[i]?,
                province_code: prov[i].clone()?,
                sector_code: sector[i].clone(),
                activity: text(activity[i].clone()),
                amount_mvnd: amount[i]?,
                beneficiary: opt_text(beneficiary[i].clone()),
                project_id: opt_text(project[i].clone()),
            })
        })
        .collect())
}

fn read_coefficients(df: &DataFrame) -> Result<Vec<Coefficient>> {
    let model = strs(df, col::MODEL)?;
    let term = strs(df, col::TERM)?;
    let num = |c: &str| f64s_or_null(df, c);
    let est = num("estimate")?;
    let (se, p, lo, hi) = (
        num("std_error")?,
        num("p_value")?,
        num("conf_low")?,
        num("conf_high")?,
    );
    let (pw, low, hiw) = (
        num("p_value_wild")?,
        num("conf_low_wild")?,
        num("conf_high_wild")?,
    );
    Ok((0..df.height())
        .filter_map(|i| {
            Some(Coefficient {
                model: text(model[i].clone()),
                term: text(term[i].clone()),
                estimate: est[i]?,
                std_error: se[i],
                p_value: p[i],
                conf_low: lo[i],
                conf_high: hi[i],
                p_value_wild: pw[i],
                conf_low_wild: low[i],
                conf_high_wild: hiw[i],
            })
        })
        .collect())
}

fn read_event_study(df: &DataFrame) -> Result<Vec<EventRow>> {
    let rel = i32s(df, col::REL_YEAR)?;
    let num = |c: &str| f64s_or_null(df, c);
    let est = num("estimate")?;
    let (lo, hi, low, hiw) = (
        num("conf_low")?,
        num("conf_high")?,
        num("conf_low_wild")?,
        num("conf_high_wild")?,
    );
    let reference = if df.column(col::REFERENCE).is_ok() {
        bools(df, col::REFERENCE)?
    } else {
        vec![None; df.height()]
    };
    let mut rows: Vec<EventRow> = (0..df.height())
        .filter_map(|i| {
            Some(EventRow {
                rel_year: rel[i]?,
                estimate: est[i].unwrap_or(0.0),
                conf_low: lo[i],
                conf_high: hi[i],
                conf_low_wild: low[i],
                conf_high_wild: hiw[i],
                reference: reference[i].unwrap_or(false),
            })
        })
        .collect();
    rows.sort_by_key(|r| r.rel_year);
    Ok(rows)
}

fn read_models(dir: &Path) -> Result<Vec<ModelSummary>> {
    let mut models = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(models);
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .filter(|p| p.file_stem().is_none_or(|s| s != "pilot_inference"))
        .collect();
    paths.sort();
    for path in paths {
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
        let json: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|e| Error::data(&path, None, format!("not a model JSON file: {e}")))?;
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        models.push(ModelSummary {
            name,
            formula: crate::text::clean(json.get("formula").and_then(|f| f.as_str()).unwrap_or("")),
            nobs: json.get("nobs").and_then(|n| n.as_f64()),
            vcov: crate::text::clean(json.get("vcov").and_then(|f| f.as_str()).unwrap_or("")),
            json,
        });
    }
    Ok(models)
}

fn read_rejected(dir: &Path) -> Result<Vec<(String, String, usize)>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "parquet"))
        .collect();
    paths.sort();
    let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
    for path in paths {
        let df = crate::io::read_parquet(&path)?;
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let files = strs_or_null(&df, col::SOURCE_FILE)?;
        let reasons = strs_or_null(&df, col::REASON)?;
        for (f, r) in files.into_iter().zip(reasons) {
            let file = opt_text(f).unwrap_or_else(|| stem.clone());
            *counts.entry((file, text(r))).or_default() += 1;
        }
    }
    let mut rows: Vec<(String, String, usize)> =
        counts.into_iter().map(|((f, r), n)| (f, r, n)).collect();
    rows.sort_by(|a, b| {
        b.2.cmp(&a.2)
            .then_with(|| a.0.cmp(&b.0))
            .then_with(|| a.1.cmp(&b.1))
    });
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::manifest::{Manifest, StageEntry};

    fn write(name: &str, text: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "khuyencong-report-data-{}-{name}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("manifest.json");
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn flag_parameters_come_from_the_flags_stage_entry_by_name() {
        let params = crate::flags::FlagParams {
            scattered_eff_sectors: 4.5,
            scattered_small_share: 0.6,
            ..Default::default()
        };
        let m = Manifest {
            program_version: "9.9.9".into(),
            stages: vec![
                StageEntry {
                    parameters: serde_json::json!({"indicators": {"small_grant_mvnd": 1.0}}),
                    ..StageEntry::new(crate::contract::vocab::Stage::Indicators)
                },
                StageEntry {
                    parameters: serde_json::json!({ "flags": params }),
                    ..StageEntry::new(crate::contract::vocab::Stage::Flags)
                },
            ],
            ..Default::default()
        };
        let p = write("real", &serde_json::to_string(&m).unwrap());
        let info = read_manifest(&p).unwrap().unwrap();
        assert_eq!(info.program_version.as_deref(), Some("9.9.9"));
        let f = info.flag_params.unwrap();
        assert_eq!(
            (f.scattered_eff_sectors, f.scattered_small_share),
            (4.5, 0.6)
        );
        // Without a flags entry: no parameters, no guess.
        let m = Manifest {
            stages: vec![],
            ..Default::default()
        };
        let p = write("noflags", &serde_json::to_string(&m).unwrap());
        assert!(read_manifest(&p).unwrap().unwrap().flag_params.is_none());
        assert!(
            read_manifest(&p.with_file_name("absent.json"))
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn another_manifest_shape_or_unknown_parameter_names_are_errors() {
        // Stages as a map, and parameter names the flags stage does not have.
        let p = write(
            "map",
            r#"{"program_version":"1","stages":{"flags":{"parameters":{"min_eff_sectors":4.0}}}}"#,
        );
        assert!(read_manifest(&p).is_err());
        let m = Manifest {
            stages: vec![StageEntry {
                parameters: serde_json::json!({"flags": {"min_eff_sectors": 4.0}}),
                ..StageEntry::new(crate::contract::vocab::Stage::Flags)
            }],
            ..Default::default()
        };
        let p = write("unknown", &serde_json::to_string(&m).unwrap());
        let err = read_manifest(&p).unwrap_err().to_string();
        assert!(err.contains("min_eff_sectors"), "{err}");
        assert!(err.contains("manifest.json"), "{err}");
    }

    #[test]
    fn flag_statuses_are_read_into_the_vocabulary_and_an_unknown_one_is_named() {
        use polars::prelude::{Column, DataFrame};
        let frame = |v: &[&str]| {
            DataFrame::new(v.len(), vec![Column::new(col::STATUS.into(), v.to_vec())]).unwrap()
        };
        let p = Path::new("out/flags/flags.parquet");
        let ok = flag_statuses(p, &frame(&["flagged", "insufficient_data"])).unwrap();
        assert_eq!(ok, [FlagStatus::Flagged, FlagStatus::InsufficientData]);
        let err = flag_statuses(p, &frame(&["ok", "flaged"])).unwrap_err();
        assert_eq!(err.exit_code(), 3);
        let text = err.to_string();
        for part in ["flags.parquet", "`flaged`", "scattered_effect_unknown"] {
            assert!(text.contains(part), "{text}");
        }
    }
}
