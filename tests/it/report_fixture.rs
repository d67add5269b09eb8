//! The report tests' hand-made run: writes a small, fully known set of the tables a run leaves under its
//! output folder (schemas as in docs/TABLES.md), so the report can be tested without running
//! the pipeline. The numbers are chosen so the report's findings can be worked out by hand:
//!
//! - 8 provinces × 6 years (2015–2020) × 3 grants of 100·(k+1) + 10·i million VND (province
//!   index i, grant k), plus one grant of 5,000 in the pilot province in 2019: 145 grants.
//! - Grant k = 0 has a plan of 1.1 × its amount, so disbursement is 1/1.1 ≈ 91% of plan.
//! - Flags: the province at index 5 (Bình Phước on the 63 map, Đồng Nai on the 34 map) is
//!   flagged in both windows (ranks 1 and 2), index 3 (Thanh Hóa) in the long window (rank 3);
//!   index 1 is scattered but effective, index 4 focused with low impact, index 0 has
//!   insufficient data, the rest are not flagged.
//! - Event study: post-start years 0, 1, 2; the clustered and the bootstrap bands both exclude
//!   zero in years 1 and 2 only.
//! - `markup`, when given, is planted in a beneficiary name, a rejected-row reason and a flag
//!   reason (both languages), to test escaping.

use khuyencong::contract::manifest::{Manifest, StageEntry};
use khuyencong::contract::vocab::{Stage, StageStatus};
use khuyencong::error::Result;
use khuyencong::flags::FlagParams;
use khuyencong::indicators::IndicatorParams;
use khuyencong::io::write_parquet;
use khuyencong::reference::Boundary;
use khuyencong::table::TableBuilder;
use std::collections::BTreeMap;
use std::path::Path;

pub const YEARS: std::ops::RangeInclusive<i32> = 2015..=2020;
pub const PILOT_START: i32 = 2018;
const ACTIVITIES: [&str; 4] = ["training", "machinery", "demonstration", "trade_promotion"];

/// The fixture's province codes on a map; index 5 is the pilot province.
pub fn provinces(boundary: Boundary) -> [&'static str; 8] {
    match boundary {
        Boundary::B2008 => ["01", "22", "31", "38", "48", "70", "75", "79"],
        Boundary::B2025 => ["01", "22", "31", "38", "48", "75", "79", "92"],
    }
}

/// A report context that matches the fixture.
pub fn fixture_context(
    boundary: Boundary,
    lang: khuyencong::report::Lang,
) -> khuyencong::report::ReportContext {
    khuyencong::report::ReportContext {
        pipeline_name: "fixture".to_string(),
        boundary,
        synthetic: true,
        lang,
        sources: vec![
            "kcqg_projects.xlsx".to_string(),
            "rural_output_yearbook.csv".to_string(),
        ],
        pilot_provinces: vec![provinces(boundary)[5].to_string()],
        pilot_start: Some(PILOT_START),
        small_grant_mvnd: 500.0,
    }
}

struct Grant {
    year: i32,
    prov: usize,
    k: usize,
    amount: f64,
}

fn grants() -> Vec<Grant> {
    let mut out = Vec::new();
    for year in YEARS {
        for prov in 0..8 {
            for k in 0..3 {
                out.push(Grant {
                    year,
                    prov,
                    k,
                    amount: 100.0 * (k as f64 + 1.0) + 10.0 * prov as f64,
                });
            }
        }
    }
    out.push(Grant {
        year: 2019,
        prov: 5,
        k: 3,
        amount: 5000.0,
    });
    out
}

fn activity(g: &Grant) -> &'static str {
    ACTIVITIES[(g.prov + g.k) % 4]
}

fn source(g: &Grant) -> &'static str {
    if g.k == 0 { "national" } else { "local" }
}

/// Output of a province (index) in a year, billion VND, per sector "10" and "16".
fn output(prov: usize, year: i32) -> (f64, f64) {
    let g = 0.02 * prov as f64
        + if prov == 5 && year >= PILOT_START {
            0.05
        } else {
            0.0
        };
    let f = (1.0 + g).powi(year - 2015);
    (100.0 * f, 50.0 * f)
}

pub fn write_fixture_outputs(dir: &Path, boundary: Boundary, markup: Option<&str>) -> Result<()> {
    let codes = provinces(boundary);
    let b = boundary.as_str().to_string();
    let gs = grants();

    // clean/funding.parquet
    let n = gs.len();
    let beneficiary: Vec<Option<String>> = gs
        .iter()
        .map(|g| {
            if g.k == 3 {
                Some(markup.unwrap_or("HTX Điều Bình Phước").to_string())
            } else if g.k == 2 && g.prov == 0 {
                None
            } else {
                Some(format!("Cơ sở {}-{}-{}", g.prov, g.year, g.k))
            }
        })
        .collect();
    let trained = |g: &Grant, v: f64| (activity(g) == "training").then_some(v);
    let models = |g: &Grant, v: f64| (activity(g) == "demonstration").then_some(v);
    let mut funding = TableBuilder::new()
        .i32("year", gs.iter().map(|g| Some(g.year)).collect())
        .str(
            "province_code",
            gs.iter().map(|g| Some(codes[g.prov].to_string())).collect(),
        )
        .str(
            "sector_code",
            gs.iter()
                .map(|g| Some(if g.k % 2 == 0 { "10" } else { "16" }.to_string()))
                .collect(),
        )
        .str(
            "activity",
            gs.iter().map(|g| Some(activity(g).to_string())).collect(),
        )
        .str(
            "source",
            gs.iter().map(|g| Some(source(g).to_string())).collect(),
        )
        .f64("amount_mvnd", gs.iter().map(|g| Some(g.amount)).collect())
        .f64(
            "planned_mvnd",
            gs.iter()
                .map(|g| (g.k == 0).then_some(g.amount * 1.1))
                .collect(),
        )
        .str(
            "project_id",
            gs.iter()
                .enumerate()
                .map(|(i, _)| Some(format!("P{i:04}")))
                .collect(),
        )
        .str("beneficiary", beneficiary)
        .f64(
            "target_trainees",
            gs.iter().map(|g| trained(g, 30.0)).collect(),
        )
        .f64(
            "achieved_trainees",
            gs.iter().map(|g| trained(g, 24.0)).collect(),
        )
        .f64("target_models", gs.iter().map(|g| models(g, 2.0)).collect())
        .f64(
            "achieved_models",
            gs.iter().map(|g| models(g, 2.0)).collect(),
        )
        .str("boundary", vec![Some(b.clone()); n])
        .str(
            "source_file",
            vec![Some("kcqg_projects.xlsx".to_string()); n],
        )
        .i64("source_row", (0..n).map(|i| Some(i as i64 + 5)).collect())
        .build()?;
    write_parquet(&mut funding, &dir.join("clean/funding.parquet"))?;

    // clean/output.parquet and panel/panel.parquet
    let mut o_year = Vec::new();
    let mut o_prov = Vec::new();
    let mut o_sector = Vec::new();
    let mut o_out = Vec::new();
    let mut o_emp = Vec::new();
    // (province, year, sector) → (total, national, local, grants)
    type CellSpend = (f64, f64, f64, usize);
    let mut spend: BTreeMap<(usize, i32, &str), CellSpend> = BTreeMap::new();
    for g in &gs {
        let sector = if g.k % 2 == 0 { "10" } else { "16" };
        let e = spend.entry((g.prov, g.year, sector)).or_default();
        e.0 += g.amount;
        if g.k == 0 {
            e.1 += g.amount;
        } else {
            e.2 += g.amount;
        }
        e.3 += 1;
    }
    let mut p = PanelCols::default();
    for (prov, code) in codes.iter().enumerate() {
        for sector in ["10", "16"] {
            for year in YEARS {
                let (a, c) = output(prov, year);
                let out = if sector == "10" { a } else { c };
                o_year.push(Some(year));
                o_prov.push(Some(code.to_string()));
                o_sector.push(Some(sector.to_string()));
                o_out.push(Some(out));
                o_emp.push((prov != 0).then_some(out * 10.0));
                let s = spend
                    .get(&(prov, year, sector))
                    .copied()
                    .unwrap_or_default();
                let lag = (year > 2015)
                    .then(|| spend.get(&(prov, year - 1, sector)).map_or(0.0, |v| v.0));
                let missing = prov == 0 && sector == "16" && year <= 2016;
                p.year.push(Some(year));
                p.prov.push(Some(code.to_string()));
                p.sector.push(Some(sector.to_string()));
                p.spend.push(Some(s.0));
                p.national.push(Some(s.1));
                p.local.push(Some(s.2));
                p.n_grants.push(Some(s.3 as i32));
                p.lag1.push(lag);
                p.log_lag1.push(lag.map(|l| (1.0 + l).ln()));
                p.output.push((!missing).then_some(out));
                p.log_output.push((!missing).then_some(out.ln()));
                p.dlog.push((year > 2015 && !missing).then(|| {
                    let (a0, c0) = output(prov, year - 1);
                    out.ln() - if sector == "10" { a0 } else { c0 }.ln()
                }));
                p.missing.push(Some(missing));
                p.pilot.push(Some(prov == 5));
                p.rel.push((prov == 5).then_some(year - PILOT_START));
            }
        }
    }
    let no = o_year.len();
    let mut out_df = TableBuilder::new()
        .i32("year", o_year)
        .str("province_code", o_prov)
        .str("sector_code", o_sector)
        .f64("output_bvnd", o_out)
        .f64("iip", vec![None; no])
        .f64("employment", o_emp)
        .f64("establishments", vec![Some(12.0); no])
        .str("boundary", vec![Some(b.clone()); no])
        .str(
            "source_file",
            vec![Some("rural_output_yearbook.csv".to_string()); no],
        )
        .i64("source_row", (0..no).map(|i| Some(i as i64 + 3)).collect())
        .build()?;
    write_parquet(&mut out_df, &dir.join("clean/output.parquet"))?;
    let mut panel = TableBuilder::new()
        .i32("year", p.year)
        .str("province_code", p.prov)
        .str("sector_code", p.sector)
        .f64("spend_mvnd", p.spend)
        .f64("spend_national_mvnd", p.national)
        .f64("spend_local_mvnd", p.local)
        .i32("n_grants", p.n_grants)
        .f64("spend_lag1_mvnd", p.lag1)
        .f64("log_spend_lag1", p.log_lag1)
        .f64("output_bvnd", p.output)
        .f64("log_output", p.log_output)
        .f64("dlog_output", p.dlog)
        .bool("missing_output", p.missing)
        .bool("pilot", p.pilot)
        .i32("rel_year", p.rel)
        .build()?;
    write_parquet(&mut panel, &dir.join("panel/panel.parquet"))?;

    // rejected/
    let mut reasons = vec![
        ("amount_mvnd", "abc", "amount is not a number".to_string()),
        ("amount_mvnd", "1,2,3", "amount is not a number".to_string()),
        ("province", "Tinh X", "unknown province".to_string()),
    ];
    if let Some(m) = markup {
        reasons.push(("beneficiary", "?", m.to_string()));
    }
    let nr = reasons.len();
    let mut rejected = TableBuilder::new()
        .str(
            "source_file",
            vec![Some("kcqg_projects.xlsx".to_string()); nr],
        )
        .i64(
            "source_row",
            (0..nr).map(|i| Some(200 + i as i64)).collect(),
        )
        .str(
            "column",
            reasons.iter().map(|r| Some(r.0.to_string())).collect(),
        )
        .str(
            "raw_value",
            reasons.iter().map(|r| Some(r.1.to_string())).collect(),
        )
        .str(
            "reason",
            reasons.iter().map(|r| Some(r.2.clone())).collect(),
        )
        .build()?;
    write_parquet(&mut rejected, &dir.join("rejected/kcqg_projects.parquet"))?;

    write_indicators(dir, &codes, &gs)?;
    write_models(dir, &codes)?;
    write_flags(dir, boundary, &codes, markup)?;

    // The manifest as the pipeline writes it: the flags stage's entry carries its own parameter
    // type (defaults: 4 effective sectors, a small-grant share of 0.5).
    let stage = |name: Stage, parameters: serde_json::Value| StageEntry {
        status: StageStatus::Ok,
        parameters,
        ..StageEntry::new(name)
    };
    let manifest = Manifest {
        program: "khuyencong".to_string(),
        program_version: env!("CARGO_PKG_VERSION").to_string(),
        pipeline: "fixture".to_string(),
        boundary: Some(b.clone()),
        synthetic: true,
        stages: vec![
            stage(
                Stage::Indicators,
                serde_json::json!({ "indicators": IndicatorParams::default() }),
            ),
            stage(
                Stage::Flags,
                serde_json::json!({ "flags": FlagParams::default() }),
            ),
        ],
    };
    khuyencong::io::write_atomic(
        &dir.join("manifest.json"),
        serde_json::to_string_pretty(&manifest)
            .unwrap_or_default()
            .as_bytes(),
    )
}

#[derive(Default)]
struct PanelCols {
    year: Vec<Option<i32>>,
    prov: Vec<Option<String>>,
    sector: Vec<Option<String>>,
    spend: Vec<Option<f64>>,
    national: Vec<Option<f64>>,
    local: Vec<Option<f64>>,
    n_grants: Vec<Option<i32>>,
    lag1: Vec<Option<f64>>,
    log_lag1: Vec<Option<f64>>,
    output: Vec<Option<f64>>,
    log_output: Vec<Option<f64>>,
    dlog: Vec<Option<f64>>,
    missing: Vec<Option<bool>>,
    pilot: Vec<Option<bool>>,
    rel: Vec<Option<i32>>,
}

fn write_indicators(dir: &Path, codes: &[&str; 8], gs: &[Grant]) -> Result<()> {
    let mut by: BTreeMap<(i32, &str, &str), (f64, i32)> = BTreeMap::new();
    for g in gs {
        let e = by.entry((g.year, source(g), activity(g))).or_default();
        e.0 += g.amount;
        e.1 += 1;
    }
    let mut df = TableBuilder::new()
        .i32("year", by.keys().map(|k| Some(k.0)).collect())
        .str("source", by.keys().map(|k| Some(k.1.to_string())).collect())
        .str(
            "activity",
            by.keys().map(|k| Some(k.2.to_string())).collect(),
        )
        .f64("amount_mvnd", by.values().map(|v| Some(v.0)).collect())
        .i32("n_grants", by.values().map(|v| Some(v.1)).collect())
        .build()?;
    write_parquet(&mut df, &dir.join("indicators/spending_by_year.parquet"))?;

    let mut spend: BTreeMap<(usize, i32), f64> = BTreeMap::new();
    for g in gs {
        *spend.entry((g.prov, g.year)).or_default() += g.amount;
    }
    let keys: Vec<(usize, i32)> = (0..8).flat_map(|p| YEARS.map(move |y| (p, y))).collect();
    let total = |p: usize, y: i32| {
        let (a, b) = output(p, y);
        a + b
    };
    let mut growth = TableBuilder::new()
        .str(
            "province_code",
            keys.iter().map(|k| Some(codes[k.0].to_string())).collect(),
        )
        .i32("year", keys.iter().map(|k| Some(k.1)).collect())
        .f64(
            "output_bvnd",
            keys.iter().map(|k| Some(total(k.0, k.1))).collect(),
        )
        .f64(
            "dlog_output",
            keys.iter()
                .map(|k| (k.1 > 2015).then(|| total(k.0, k.1).ln() - total(k.0, k.1 - 1).ln()))
                .collect(),
        )
        .f64(
            "spend_mvnd",
            keys.iter().map(|k| spend.get(k).copied()).collect(),
        )
        .f64(
            "spend_lag1_mvnd",
            keys.iter()
                .map(|k| (k.1 > 2015).then(|| spend.get(&(k.0, k.1 - 1)).copied().unwrap_or(0.0)))
                .collect(),
        )
        .build()?;
    write_parquet(&mut growth, &dir.join("indicators/growth.parquet"))?;

    let mut ach: BTreeMap<(usize, i32), [f64; 6]> = BTreeMap::new();
    for g in gs {
        let e = ach.entry((g.prov, g.year)).or_default();
        if g.k == 0 {
            e[0] += g.amount * 1.1;
            e[1] += g.amount;
        }
        if activity(g) == "training" {
            e[2] += 30.0;
            e[3] += 24.0;
        }
        if activity(g) == "demonstration" {
            e[4] += 2.0;
            e[5] += 2.0;
        }
    }
    let pos = |v: f64| (v > 0.0).then_some(v);
    let rate = |a: f64, t: f64| (t > 0.0).then(|| a / t);
    let mut achievement = TableBuilder::new()
        .str(
            "province_code",
            ach.keys().map(|k| Some(codes[k.0].to_string())).collect(),
        )
        .i32("year", ach.keys().map(|k| Some(k.1)).collect())
        .f64("planned_mvnd", ach.values().map(|v| pos(v[0])).collect())
        .f64("disbursed_mvnd", ach.values().map(|v| pos(v[1])).collect())
        .f64(
            "disbursement_rate",
            ach.values().map(|v| rate(v[1], v[0])).collect(),
        )
        .f64("target_trainees", ach.values().map(|v| pos(v[2])).collect())
        .f64(
            "achieved_trainees",
            ach.values().map(|v| pos(v[3])).collect(),
        )
        .f64(
            "trainee_rate",
            ach.values().map(|v| rate(v[3], v[2])).collect(),
        )
        .f64("target_models", ach.values().map(|v| pos(v[4])).collect())
        .f64("achieved_models", ach.values().map(|v| pos(v[5])).collect())
        .f64(
            "model_rate",
            ach.values().map(|v| rate(v[5], v[4])).collect(),
        )
        .build()?;
    write_parquet(
        &mut achievement,
        &dir.join("indicators/achievement.parquet"),
    )?;
    // The whole-country grant sizes as the indicators stage writes them, from the same grants.
    let stage_grants: Vec<khuyencong::panel::Grant> = gs
        .iter()
        .map(|g| khuyencong::panel::Grant {
            year: g.year,
            province: codes[g.prov].to_string(),
            sector: None,
            activity: activity(g).to_string(),
            source: source(g).to_string(),
            amount: g.amount,
            planned: None,
            beneficiary: None,
            project_id: None,
            target_trainees: None,
            achieved_trainees: None,
            target_models: None,
            achieved_models: None,
        })
        .collect();
    let (mut national, mut lorenz) = khuyencong::indicators::grant_size_tables(&stage_grants)?;
    write_parquet(&mut national, &dir.join("indicators/national.parquet"))?;
    write_parquet(&mut lorenz, &dir.join("indicators/lorenz.parquet"))?;
    Ok(())
}

fn write_models(dir: &Path, codes: &[&str; 8]) -> Result<()> {
    let main = serde_json::json!({
        "formula": "dlog_output ~ log_spend_lag1 | province_code^sector_code + sector_code^year",
        "nobs": 80,
        "dropped": {"missing": 16, "singletons": 0},
        "fixed_effects": {"province_code^sector_code": 16, "sector_code^year": 10},
        "vcov": "cluster:province_code",
        "df_t": 7,
        "r2": 0.52,
        "r2_within": 0.11,
        "coefficients": [{
            "term": "log_spend_lag1", "estimate": 0.021, "std_error": 0.006, "statistic": 3.5,
            "p_value": 0.0099, "conf_low": 0.0068, "conf_high": 0.0352
        }],
        "bootstrap": {"term": "log_spend_lag1", "p_value": 0.031, "conf_low": 0.0031,
                      "conf_high": 0.0402, "weights": "webb", "reps": 999}
    });
    khuyencong::io::write_atomic(
        &dir.join("models/main.json"),
        serde_json::to_string_pretty(&main)
            .unwrap_or_default()
            .as_bytes(),
    )?;
    let mut coefs = TableBuilder::new()
        .str(
            "model",
            vec![Some("main".into()), Some("event_study".into())],
        )
        .str(
            "term",
            vec![Some("log_spend_lag1".into()), Some("ev_p1".into())],
        )
        .f64("estimate", vec![Some(0.021), Some(0.08)])
        .f64("std_error", vec![Some(0.006), Some(0.015)])
        .f64("statistic", vec![Some(3.5), Some(5.33)])
        .f64("p_value", vec![Some(0.0099), Some(0.0004)])
        .f64("conf_low", vec![Some(0.0068), Some(0.05)])
        .f64("conf_high", vec![Some(0.0352), Some(0.11)])
        .f64("p_value_wild", vec![Some(0.031), Some(0.012)])
        .f64("conf_low_wild", vec![Some(0.0031), Some(0.03)])
        .f64("conf_high_wild", vec![Some(0.0402), Some(0.13)])
        .build()?;
    write_parquet(&mut coefs, &dir.join("models/coefficients.parquet"))?;

    let rel: Vec<i32> = (-3..=2).collect();
    let est = [0.01, -0.02, 0.0, 0.04, 0.08, 0.10];
    let reference: Vec<bool> = rel.iter().map(|r| *r == -1).collect();
    let band = |w: f64| -> Vec<Option<f64>> {
        est.iter()
            .zip(&reference)
            .map(|(e, r)| (!r).then_some(e + w))
            .collect()
    };
    let mut es = TableBuilder::new()
        .i32("rel_year", rel.iter().map(|r| Some(*r)).collect())
        .f64("estimate", est.iter().map(|e| Some(*e)).collect())
        .f64(
            "std_error",
            reference.iter().map(|r| (!r).then_some(0.015)).collect(),
        )
        .f64("conf_low", band(-0.03))
        .f64("conf_high", band(0.03))
        .f64("conf_low_wild", band(-0.05))
        .f64("conf_high_wild", band(0.05))
        .bool("reference", reference.iter().map(|r| Some(*r)).collect())
        .build()?;
    write_parquet(&mut es, &dir.join("models/event_study.parquet"))?;

    let mut pe = TableBuilder::new()
        .str(
            "province_code",
            codes.iter().map(|c| Some(c.to_string())).collect(),
        )
        .i32("period_start", vec![Some(2015); 8])
        .i32("period_end", vec![Some(2020); 8])
        .f64(
            "estimate",
            (0..8).map(|i| Some(0.01 * i as f64 - 0.02)).collect(),
        )
        .f64("std_error", vec![Some(0.02); 8])
        .f64(
            "conf_low",
            (0..8).map(|i| Some(0.01 * i as f64 - 0.06)).collect(),
        )
        .f64(
            "conf_high",
            (0..8).map(|i| Some(0.01 * i as f64 + 0.02)).collect(),
        )
        .f64("p_value", vec![Some(0.4); 8])
        .f64("q_value", vec![Some(0.6); 8])
        .i32("nobs", vec![Some(10); 8])
        .i32("n_treated_cells", vec![Some(10); 8])
        .build()?;
    write_parquet(&mut pe, &dir.join("models/province_effects.parquet"))
}

fn write_flags(
    dir: &Path,
    boundary: Boundary,
    codes: &[&str; 8],
    markup: Option<&str>,
) -> Result<()> {
    // (province index, window, status, rank)
    type FlagCase<'a> = (usize, (i32, i32), &'a str, Option<i32>);
    let mut rows: Vec<FlagCase> = Vec::new();
    for (i, _) in codes.iter().enumerate() {
        let (long, short) = match i {
            5 => (("flagged", Some(1)), ("flagged", Some(2))),
            3 => (("flagged", Some(3)), ("ok", None)),
            1 => (("scattered_effective", None), ("scattered_effective", None)),
            4 => (("focused_low_impact", None), ("focused_low_impact", None)),
            0 => (("insufficient_data", None), ("insufficient_data", None)),
            _ => (("ok", None), ("ok", None)),
        };
        rows.push((i, (2015, 2020), long.0, long.1));
        rows.push((i, (2018, 2020), short.0, short.1));
    }
    let scattered = |s: &str| s == "flagged" || s == "scattered_effective";
    let low = |s: &str| s == "flagged" || s == "focused_low_impact";
    let reason_en = |i: usize, s: &str| -> String {
        match (s, markup) {
            ("flagged", Some(m)) if i == 3 => m.to_string(),
            ("flagged", _) => {
                "Support spread over many sectors in small grants; no effect told from zero".into()
            }
            ("insufficient_data", _) => "Too few years to estimate an effect".into(),
            _ => String::new(),
        }
    };
    let reason_vi = |i: usize, s: &str| -> String {
        match (s, markup) {
            ("flagged", Some(m)) if i == 3 => m.to_string(),
            ("flagged", _) => "Hỗ trợ dàn trải nhiều ngành, khoản nhỏ; chưa thấy tác động".into(),
            ("insufficient_data", _) => "Quá ít năm để ước lượng tác động".into(),
            _ => String::new(),
        }
    };
    let n = rows.len();
    let mut df = TableBuilder::new()
        .str(
            "province_code",
            rows.iter().map(|r| Some(codes[r.0].to_string())).collect(),
        )
        .str(
            "province_name",
            rows.iter()
                .map(|r| Some(khuyencong::report::province_name(codes[r.0], boundary)))
                .collect(),
        )
        .i32("period_start", rows.iter().map(|r| Some(r.1.0)).collect())
        .i32("period_end", rows.iter().map(|r| Some(r.1.1)).collect())
        .f64(
            "n_grants",
            rows.iter()
                .map(|r| Some(if r.1.0 == 2015 { 18.0 } else { 9.0 }))
                .collect(),
        )
        .f64(
            "total_mvnd",
            rows.iter()
                .map(|r| Some(1000.0 + 100.0 * r.0 as f64))
                .collect(),
        )
        .f64(
            "median_grant_mvnd",
            rows.iter()
                .map(|r| Some(200.0 + 10.0 * r.0 as f64))
                .collect(),
        )
        .f64(
            "small_grant_share",
            rows.iter()
                .map(|r| {
                    Some(if scattered(r.2) {
                        0.8
                    } else {
                        0.3 + 0.02 * r.0 as f64
                    })
                })
                .collect(),
        )
        .f64(
            "eff_sectors",
            rows.iter()
                .map(|r| {
                    Some(if scattered(r.2) {
                        6.0 + 0.2 * r.0 as f64
                    } else {
                        1.5 + 0.1 * r.0 as f64
                    })
                })
                .collect(),
        )
        .f64("hhi_beneficiaries", vec![Some(0.2); n])
        .f64(
            "effect",
            rows.iter()
                .map(|r| Some(if low(r.2) { 0.001 } else { 0.03 }))
                .collect(),
        )
        .f64(
            "effect_conf_low",
            rows.iter()
                .map(|r| Some(if low(r.2) { -0.02 } else { 0.01 }))
                .collect(),
        )
        .f64(
            "effect_conf_high",
            rows.iter()
                .map(|r| Some(if low(r.2) { 0.022 } else { 0.05 }))
                .collect(),
        )
        .f64(
            "effect_p_value",
            rows.iter()
                .map(|r| Some(if low(r.2) { 0.9 } else { 0.01 }))
                .collect(),
        )
        .f64(
            "effect_q_value",
            rows.iter()
                .map(|r| Some(if low(r.2) { 0.95 } else { 0.04 }))
                .collect(),
        )
        .bool(
            "scattered",
            rows.iter().map(|r| Some(scattered(r.2))).collect(),
        )
        .bool("low_impact", rows.iter().map(|r| Some(low(r.2))).collect())
        .bool(
            "insufficient",
            rows.iter()
                .map(|r| Some(r.2 == "insufficient_data"))
                .collect(),
        )
        .bool(
            "flagged",
            rows.iter().map(|r| Some(r.2 == "flagged")).collect(),
        )
        .str(
            "status",
            rows.iter().map(|r| Some(r.2.to_string())).collect(),
        )
        .str(
            "reasons",
            rows.iter()
                .map(|r| {
                    Some(if r.2 == "flagged" {
                        "many_sectors;small_grants;no_effect".to_string()
                    } else {
                        String::new()
                    })
                })
                .collect(),
        )
        .str(
            "reason_vi",
            rows.iter().map(|r| Some(reason_vi(r.0, r.2))).collect(),
        )
        .str(
            "reason_en",
            rows.iter().map(|r| Some(reason_en(r.0, r.2))).collect(),
        )
        .i32("rank", rows.iter().map(|r| r.3).collect())
        .build()?;
    write_parquet(&mut df, &dir.join("flags/flags.parquet"))
}
