//! `khuyencong sample`: the seeded generator of the bundled sample inputs in `data/sample/`.
//!
//! It owns the synthetic world (province groups, grants, output with a planted elasticity; see
//! `dgp`), the forms the files take (`xlsx`: the ministry annex; `csv`: the clean long tables
//! and the yearbook table), and `truth.json` / `README.md` that record what was planted. The same
//! seed writes byte-identical files: all randomness comes from `stats::rng::Rng`.

mod csv;
pub(crate) mod dgp;
mod expect;
mod phrases;
mod xlsx;

use crate::error::{Error, Result};
use crate::stats::rng::Rng;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

pub use dgp::{BETA, FIRST_YEAR, LAST_YEAR, NOISE_SD};
pub use phrases::{ACTIVITIES, KEYWORDS, classify as classify_activity};
pub use xlsx::{HEADERS as KCQG_HEADERS, SHEET_NAME as KCQG_SHEET};

/// The seed of the committed sample (the date of the Bình Phước evaluation conference).
pub const DEFAULT_SEED: u64 = 20_201_126;

/// The 20 manufacturing divisions (VSIC 2018) of the sample.
pub const SECTORS: [&str; 20] = [
    "10", "11", "13", "14", "15", "16", "17", "18", "20", "22", "23", "24", "25", "26", "27", "28",
    "29", "31", "32", "33",
];

pub const TRUTH_FILE: &str = "truth.json";
pub const README_FILE: &str = "README.md";
/// Every file `generate` writes, in the order it writes them.
pub const FILES: [&str; 6] = [
    xlsx::FILE_NAME,
    csv::KCDP_FILE,
    csv::OUTPUT_FILE,
    csv::YEARBOOK_FILE,
    TRUTH_FILE,
    README_FILE,
];

const README_TEMPLATE: &str = include_str!("readme_template.md");

/// What one `generate` call wrote.
#[derive(Debug, Clone, Serialize)]
pub struct SampleSummary {
    pub seed: u64,
    pub files: Vec<FileSummary>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FileSummary {
    pub name: String,
    /// Data rows (projects, grants, cells, provinces); 0 for the documents.
    pub rows: usize,
    pub bytes: usize,
}

/// "3.916,7": dot thousands, comma decimal, one decimal (tenths in, text out).
pub fn vn_tenths(tenths: i64) -> String {
    let sign = if tenths < 0 { "-" } else { "" };
    let abs = tenths.unsigned_abs();
    let int = (abs / 10).to_string();
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(ch);
    }
    format!("{sign}{grouped},{}", abs % 10)
}

/// "3916.7" (tenths in).
pub fn plain_tenths(tenths: i64) -> String {
    let sign = if tenths < 0 { "-" } else { "" };
    let abs = tenths.unsigned_abs();
    format!("{sign}{}.{}", abs / 10, abs % 10)
}

/// "3916.700" (thousandths in).
pub fn plain_milli(milli: i64) -> String {
    let sign = if milli < 0 { "-" } else { "" };
    let abs = milli.unsigned_abs();
    format!("{sign}{}.{:03}", abs / 1000, abs % 1000)
}

#[derive(Serialize)]
struct Truth {
    synthetic: bool,
    note: &'static str,
    generator: &'static str,
    seed: u64,
    years: Years,
    sectors: Vec<&'static str>,
    beta: f64,
    noise_sd: f64,
    cell_trend_sd: f64,
    growth_equation: &'static str,
    model_check: &'static str,
    /// What the model of the design estimates in expectation on this sample (see `expect`).
    expected_estimates: expect::Expected,
    sector_growth: BTreeMap<String, f64>,
    year_effects: BTreeMap<String, f64>,
    groups: BTreeMap<&'static str, GroupTruth>,
    provinces: BTreeMap<String, ProvinceTruth>,
    pilot: PilotTruth,
    bad_rows: Vec<xlsx::BadRow>,
    totals: Totals,
    missing: Missing,
    files: BTreeMap<&'static str, serde_json::Value>,
}

#[derive(Serialize)]
struct Years {
    first: i32,
    last: i32,
}

#[derive(Serialize)]
struct GroupTruth {
    beta: f64,
    provinces: Vec<String>,
    pattern: dgp::Pattern,
}

#[derive(Serialize)]
struct ProvinceTruth {
    name: String,
    group: &'static str,
    beta: f64,
    pilot: bool,
}

#[derive(Serialize)]
struct PilotTruth {
    provinces: Vec<String>,
    start_year: i32,
    end_year: i32,
    focal_sector: &'static str,
    growth_effect: f64,
    amount_mvnd_per_year: BTreeMap<String, f64>,
}

#[derive(Serialize)]
struct Totals {
    /// Over valid grants only (the planted bad rows are not support).
    national_mvnd: f64,
    local_mvnd: f64,
    national_share: f64,
    national_projects: usize,
    local_projects: usize,
    by_year: Vec<YearTotal>,
}

#[derive(Serialize)]
struct YearTotal {
    year: i32,
    national_mvnd: f64,
    national_planned_mvnd: f64,
    national_projects: usize,
    local_mvnd: f64,
    local_projects: usize,
}

#[derive(Serialize)]
struct Missing {
    output_cells: usize,
    whole_province_years: Vec<ProvinceYear>,
    yearbook_cells: usize,
}

#[derive(Serialize)]
struct ProvinceYear {
    province_code: String,
    year: i32,
}

fn tenths_f64(t: i64) -> f64 {
    t as f64 / 10.0
}

/// Writes the sample into `out_dir` (created if needed): the five data files of
/// `data/sample/` and its README. The same seed always writes the same bytes.
pub fn generate(out_dir: &Path, seed: u64) -> Result<SampleSummary> {
    let world = dgp::World::build(seed)?;
    let mut layout_rng = Rng::new(world.layout_seed);
    let sheet = xlsx::layout(&world, &mut layout_rng);
    let workbook = xlsx::render(&sheet)?;
    let kcdp = csv::kcdp(&world);
    let output = csv::output(&world);
    let yearbook = csv::yearbook(&world, &mut layout_rng);

    let truth = truth(&world, &sheet, &kcdp, &output, &yearbook);
    let truth_json = serde_json::to_string_pretty(&truth)
        .map_err(|e| Error::Other(format!("cannot serialise the sample truth: {e}")))?
        + "\n";
    let readme = readme(&world, &sheet, &truth);

    let files: [(&str, &[u8], usize); 6] = [
        (
            xlsx::FILE_NAME,
            &workbook,
            sheet.project_rows + sheet.bad.len(),
        ),
        (csv::KCDP_FILE, kcdp.text.as_bytes(), kcdp.rows),
        (csv::OUTPUT_FILE, output.text.as_bytes(), output.rows),
        (csv::YEARBOOK_FILE, &yearbook.bytes, yearbook.province_rows),
        (TRUTH_FILE, truth_json.as_bytes(), 0),
        (README_FILE, readme.as_bytes(), 0),
    ];
    let mut summary = SampleSummary {
        seed,
        files: Vec::new(),
    };
    for (name, bytes, rows) in files {
        crate::io::write_atomic(&out_dir.join(name), bytes)?;
        summary.files.push(FileSummary {
            name: name.to_string(),
            rows,
            bytes: bytes.len(),
        });
    }
    tracing::info!(dir = %out_dir.display(), seed, "sample written");
    Ok(summary)
}

fn truth(
    world: &dgp::World,
    sheet: &xlsx::Sheet,
    kcdp: &csv::Written,
    output: &csv::Written,
    yearbook: &csv::Yearbook,
) -> Truth {
    let code = |p: usize| world.provinces[p].code.clone();
    let mut groups = BTreeMap::new();
    for g in dgp::Group::ALL {
        let provinces: Vec<String> = (0..world.provinces.len())
            .filter(|&p| world.groups[p] == g)
            .map(code)
            .collect();
        groups.insert(
            g.as_str(),
            GroupTruth {
                beta: g.beta(),
                provinces,
                pattern: g.pattern(),
            },
        );
    }
    let provinces = (0..world.provinces.len())
        .map(|p| {
            let g = world.groups[p];
            (
                code(p),
                ProvinceTruth {
                    name: world.provinces[p].name.clone(),
                    group: g.as_str(),
                    beta: g.beta(),
                    pilot: g == dgp::Group::Pilot,
                },
            )
        })
        .collect();
    let pilot = PilotTruth {
        provinces: (0..world.provinces.len())
            .filter(|&p| world.groups[p] == dgp::Group::Pilot)
            .map(code)
            .collect(),
        start_year: dgp::PILOT_START,
        end_year: dgp::PILOT_END,
        focal_sector: dgp::PILOT_SECTOR,
        growth_effect: dgp::PILOT_GROWTH,
        amount_mvnd_per_year: world
            .pilot_amount
            .iter()
            .enumerate()
            .filter_map(|(p, a)| a.map(|a| (code(p), tenths_f64(a))))
            .collect(),
    };
    let by_year: Vec<YearTotal> = (FIRST_YEAR..=LAST_YEAR)
        .map(|year| {
            let of = |national: bool| {
                world
                    .grants
                    .iter()
                    .filter(move |g| g.year == year && g.national == national)
            };
            YearTotal {
                year,
                national_mvnd: tenths_f64(of(true).map(|g| g.amount).sum()),
                national_planned_mvnd: tenths_f64(of(true).map(|g| g.planned).sum()),
                national_projects: of(true).count(),
                local_mvnd: tenths_f64(of(false).map(|g| g.amount).sum()),
                local_projects: of(false).count(),
            }
        })
        .collect();
    let national: i64 = world
        .grants
        .iter()
        .filter(|g| g.national)
        .map(|g| g.amount)
        .sum();
    let local: i64 = world
        .grants
        .iter()
        .filter(|g| !g.national)
        .map(|g| g.amount)
        .sum();
    let output_missing = world
        .output
        .iter()
        .flatten()
        .flatten()
        .filter(|c| c.output_milli.is_none())
        .count();
    let mut files = BTreeMap::new();
    files.insert(
        xlsx::FILE_NAME,
        serde_json::json!({
            "sheet": xlsx::SHEET_NAME,
            "header_row": xlsx::HEADER_ROW,
            "first_data_row": xlsx::HEADER_ROW + 1,
            "last_row": xlsx::HEADER_ROW + sheet.rows.len() as u32,
            "group_rows": sheet.rows.iter().filter(|r| r.kind == xlsx::RowKind::Group).count(),
            "project_rows": sheet.project_rows,
            "bad_rows": sheet.bad.len(),
            "total_rows": 1,
            "text_amount_cells": sheet.text_amount_cells,
            "total_planned_mvnd": tenths_f64(sheet.total_planned),
            "total_supported_mvnd": tenths_f64(sheet.total_amount),
        }),
    );
    files.insert(csv::KCDP_FILE, serde_json::json!({ "rows": kcdp.rows }));
    files.insert(
        csv::OUTPUT_FILE,
        serde_json::json!({ "rows": output.rows, "missing_output_cells": output_missing }),
    );
    files.insert(
        csv::YEARBOOK_FILE,
        serde_json::json!({
            "province_rows": yearbook.province_rows,
            "region_rows": yearbook.region_rows,
            "country_rows": 1,
            "year_columns": dgp::N_YEARS,
            "missing_cells": yearbook.missing_cells,
        }),
    );
    Truth {
        synthetic: true,
        note: "Synthetic data (dữ liệu mô phỏng) written by `khuyencong sample`; not real statistics.",
        generator: "khuyencong sample",
        seed: world.seed,
        years: Years {
            first: FIRST_YEAR,
            last: LAST_YEAR,
        },
        sectors: world.sectors.clone(),
        beta: BETA,
        noise_sd: NOISE_SD,
        cell_trend_sd: dgp::CELL_TREND_SD,
        growth_equation: "dlog Y[p,s,t] = g_s + d_t + u_ps + beta_p * ln(1 + S[p,s,t-1]) + pilot_effect * 1{p pilot, s = focal_sector, t >= start_year} + e, e ~ N(0, noise_sd^2), u_ps ~ N(0, cell_trend_sd^2); S = national + local support in million VND",
        model_check: "dlog_output ~ log_spend_lag1 | province_code^sector_code + sector_code^year on provinces with beta > 0 estimates beta",
        expected_estimates: expect::expected(world),
        sector_growth: world
            .sectors
            .iter()
            .zip(&world.sector_growth)
            .map(|(s, g)| (s.to_string(), *g))
            .collect(),
        year_effects: dgp::YEAR_EFFECTS
            .iter()
            .enumerate()
            .map(|(i, d)| ((FIRST_YEAR + 1 + i as i32).to_string(), *d))
            .collect(),
        groups,
        provinces,
        pilot,
        bad_rows: sheet.bad.clone(),
        totals: Totals {
            national_mvnd: tenths_f64(national),
            local_mvnd: tenths_f64(local),
            national_share: national as f64 / (national + local) as f64,
            national_projects: world.grants.iter().filter(|g| g.national).count(),
            local_projects: world.grants.iter().filter(|g| !g.national).count(),
            by_year,
        },
        missing: Missing {
            output_cells: output_missing,
            whole_province_years: world
                .missing_province_years
                .iter()
                .map(|&(p, year)| ProvinceYear {
                    province_code: code(p),
                    year,
                })
                .collect(),
            yearbook_cells: yearbook.missing_cells,
        },
        files,
    }
}

fn readme(world: &dgp::World, sheet: &xlsx::Sheet, truth: &Truth) -> String {
    let mut phrases_md = String::from(
        "| activity | keywords | phrases (`{p}` = a product of the sector) |\n|---|---|---|\n",
    );
    for (activity, templates) in phrases::TEMPLATES {
        let keywords = phrases::KEYWORDS
            .iter()
            .find(|(a, _)| *a == activity)
            .map(|(_, k)| {
                k.iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_else(|| "(none of the others)".to_string());
        let list = templates
            .iter()
            .map(|t| format!("`{t}`"))
            .collect::<Vec<_>>()
            .join("<br>");
        phrases_md.push_str(&format!("| `{activity}` | {keywords} | {list} |\n"));
    }
    phrases_md.push_str(&format!(
        "| `demonstration` (pilot projects) | `mô hình trình diễn` | `{}` |\n",
        phrases::PILOT_TEMPLATE
    ));
    let mut groups_md = String::from("| group | beta | provinces |\n|---|---|---|\n");
    for (name, g) in &truth.groups {
        let names: Vec<String> = g
            .provinces
            .iter()
            .map(|c| {
                let p = world.provinces.iter().find(|p| &p.code == c);
                format!("{c} {}", p.map(|p| p.name.as_str()).unwrap_or(""))
            })
            .collect();
        groups_md.push_str(&format!(
            "| `{name}` | {} | {} |\n",
            g.beta,
            names.join(", ")
        ));
    }
    let mut bad_md = String::from("| sheet row | column | value | reason |\n|---|---|---|---|\n");
    for b in &sheet.bad {
        bad_md.push_str(&format!(
            "| {} | {} | `{}` | `{}` |\n",
            b.row, b.column, b.raw_value, b.reason
        ));
    }
    README_TEMPLATE
        .replace("{{SEED}}", &world.seed.to_string())
        .replace("{{PHRASES}}", phrases_md.trim_end())
        .replace("{{GROUPS}}", groups_md.trim_end())
        .replace("{{BAD_ROWS}}", bad_md.trim_end())
        .replace("{{PROJECT_ROWS}}", &sheet.project_rows.to_string())
        .replace(
            "{{LAST_ROW}}",
            &(xlsx::HEADER_ROW + sheet.rows.len() as u32).to_string(),
        )
        .replace("{{LOCAL_ROWS}}", &truth.totals.local_projects.to_string())
        .replace(
            "{{NATIONAL_SHARE}}",
            &format!("{:.0}", truth.totals.national_share * 100.0),
        )
        .replace("{{MISSING_CELLS}}", &truth.missing.output_cells.to_string())
        .replace(
            "{{YEARBOOK_MISSING}}",
            &truth.missing.yearbook_cells.to_string(),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_formats() {
        assert_eq!(vn_tenths(39_167), "3.916,7");
        assert_eq!(vn_tenths(12_505), "1.250,5");
        assert_eq!(vn_tenths(5_000), "500,0");
        assert_eq!(vn_tenths(12_345_678), "1.234.567,8");
        assert_eq!(vn_tenths(-3_500), "-350,0");
        assert_eq!(plain_tenths(39_167), "3916.7");
        assert_eq!(plain_tenths(5), "0.5");
        assert_eq!(plain_milli(3_916_700), "3916.700");
        assert_eq!(plain_milli(42), "0.042");
    }
}
