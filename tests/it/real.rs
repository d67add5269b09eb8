//! End to end on real published data: `pipelines/real.toml` as committed runs through the
//! command line, every provincial index in its output equals the published cell (checked
//! against the extracts read cell by cell, and the statistics office's own table), the stages
//! that need province spending are "not applicable" (exit 0), and the report labels every
//! section as real data and never as synthetic.

use crate::common::{self, root};
use khuyencong::io::read_parquet;
use khuyencong::table;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

fn temp(tag: &str) -> PathBuf {
    common::temp("real", tag)
}

fn khuyencong(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_khuyencong"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// One run of the committed real pipeline per language, shared by the tests below.
fn real_run(lang: &str) -> PathBuf {
    static RUNS: OnceLock<std::sync::Mutex<BTreeMap<String, PathBuf>>> = OnceLock::new();
    let runs = RUNS.get_or_init(Default::default);
    let mut runs = runs.lock().unwrap_or_else(|e| e.into_inner());
    runs.entry(lang.to_string())
        .or_insert_with(|| {
            let out = temp(&format!("run-{lang}")).join("out");
            let pipeline = root().join("pipelines/real.toml");
            let o = khuyencong(&[
                "run",
                &pipeline.to_string_lossy(),
                "--out",
                &out.to_string_lossy(),
                "--lang",
                lang,
            ]);
            let stdout = String::from_utf8_lossy(&o.stdout);
            assert!(
                o.status.success(),
                "exit {:?}: {stdout}{}",
                o.status.code(),
                String::from_utf8_lossy(&o.stderr)
            );
            for stage in ["panel", "models", "flags"] {
                assert!(
                    stdout
                        .lines()
                        .any(|l| l.starts_with(stage) && l.contains("not applicable")),
                    "{stage} should be not applicable: {stdout}"
                );
            }
            out
        })
        .clone()
}

/// Every table the real run writes has exactly its schema's columns, types and nullability:
/// the clean output and rejected rows of any run, and the real-data indicator tables.
#[test]
fn real_run_tables_match_the_contract_schemas() {
    use khuyencong::contract::schema::{OUTPUT, REAL_TABLES, REJECTED};
    let out = real_run("vi");
    common::assert_tables_match(&out, &[OUTPUT, REJECTED]);
    common::assert_tables_match(&out, REAL_TABLES);
}

/// Rows of a CSV as header → cell maps.
fn csv_rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut rows = khuyencong::text::split_csv(&text).into_iter();
    let head = rows.next().unwrap();
    rows.filter(|r| r.len() == head.len())
        .map(|r| head.iter().cloned().zip(r).collect())
        .collect()
}

/// (measure, year, code) → value of the run's provincial index table.
fn index_of(out: &Path) -> BTreeMap<(String, i32, String), f64> {
    let df = read_parquet(&out.join("indicators/province_index.parquet")).unwrap();
    let m = table::strs(&df, "measure").unwrap();
    let y = table::i32s(&df, "year").unwrap();
    let c = table::strs(&df, "province_code").unwrap();
    let v = table::f64s(&df, "value").unwrap();
    (0..df.height())
        .map(|i| {
            (
                (m[i].clone().unwrap(), y[i].unwrap(), c[i].clone().unwrap()),
                v[i].unwrap(),
            )
        })
        .collect()
}

#[test]
fn iip_equals_the_statistics_office_table_for_every_province_and_year() {
    let out = real_run("vi");
    let got = index_of(&out);
    // The project's reference copy of the same GSO table, read here independently.
    let rows = csv_rows(&root().join("data/reference/iip_province_2012_2016.csv"));
    let mut checked = 0;
    // Region rows (codes R1…R6) have no values; the country row (00) is not a province.
    let provinces = rows
        .iter()
        .filter(|r| r["code_gso"] != "00" && r["code_gso"].chars().all(|c| c.is_ascii_digit()));
    for r in provinces {
        let key = (
            "iip".to_string(),
            r["year"].parse::<i32>().unwrap(),
            r["code_gso"].clone(),
        );
        let want: f64 = r["iip_prev_year_eq_100"].parse().unwrap();
        assert_eq!(got.get(&key), Some(&want), "{key:?}");
        checked += 1;
    }
    assert_eq!(checked, 63 * 5);
}

#[test]
fn employment_index_equals_the_workbook_cells() {
    let out = real_run("vi");
    let got = index_of(&out);
    let rows = csv_rows(
        &root().join("data/real/extracts/industrial_employment_index_province_2019_2024.csv"),
    );
    assert_eq!(rows.len(), 64 * 6);
    let mut provinces = 0;
    for r in &rows {
        let key = (
            "employment_index".to_string(),
            r["year"].parse::<i32>().unwrap(),
            r["code_gso"].clone(),
        );
        let want: f64 = r["idx_vs_same_date_prev_year"].parse().unwrap();
        if r["code_gso"] == "00" {
            // The country row is kept as the national total or skipped, never misplaced.
            if let Some(v) = got.get(&key) {
                assert_eq!(*v, want, "{key:?}");
            }
            continue;
        }
        assert_eq!(got.get(&key), Some(&want), "{key:?}");
        provinces += 1;
    }
    assert_eq!(provinces, 63 * 6);
    // Nothing else: no region row became a province, no month-on-month value slipped in.
    let emp = got.keys().filter(|k| k.0 == "employment_index").count();
    assert!(emp == 63 * 6 || emp == 64 * 6, "{emp}");
}

#[test]
fn spending_stages_are_not_applicable_and_recorded_so() {
    let out = real_run("vi");
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["synthetic"], false);
    for e in manifest["stages"].as_array().unwrap() {
        let name = e["name"].as_str().unwrap();
        assert_eq!(e["status"], "ok", "{name}");
        let na = e["details"]["status"] == "not_applicable";
        assert_eq!(na, ["panel", "models", "flags"].contains(&name), "{name}");
    }
    assert!(!out.join("panel/panel.parquet").exists());
    assert!(!out.join("flags/flags.parquet").exists());
    // The programme files are read whole: 47 budget figures, 24 targets and results, 58
    // province facts, 21 activity-group figures, none rejected.
    for (name, rows) in [
        ("programme_budget", 47),
        ("programme_targets", 24),
        ("spending_facts", 58),
        ("activity_facts", 21),
        ("programme_rejected", 0),
    ] {
        let df = read_parquet(&out.join(format!("indicators/{name}.parquet"))).unwrap();
        assert_eq!(df.height(), rows, "{name}");
    }
    // A rerun skips every stage.
    let o = khuyencong(&[
        "run",
        &root().join("pipelines/real.toml").to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
    ]);
    assert!(o.status.success());
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(stdout.matches("skipped").count(), 7, "{stdout}");
    let o = khuyencong(&[
        "status",
        &root().join("pipelines/real.toml").to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
    ]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{stdout}");
    for line in stdout.lines().filter(|l| !l.starts_with("last run")) {
        let na = ["panel", "models", "flags"]
            .iter()
            .any(|s| line.starts_with(s));
        assert!(line.contains("fresh"), "{line}");
        assert_eq!(line.contains("not applicable"), na, "{line}");
    }
}

#[test]
fn charts_show_the_published_budget_and_targets() {
    let out = real_run("en");
    let charts = out.join("report/charts");
    // 1,436 billion VND approved for 2021–2025 (record N01), spread over five years: 287.2.
    let budget = csv_rows(&charts.join("national_budget.csv"));
    let y2023 = budget.iter().find(|r| r["year"] == "2023").unwrap();
    assert_eq!(y2023["total_bvnd"].parse::<f64>().unwrap(), 287.2);
    // 2013: 5.32 billion was 9.6% of the national programme (derived, record N07: 55,417 million).
    let y2013 = budget.iter().find(|r| r["year"] == "2013").unwrap();
    assert_eq!(y2013["national_bvnd"].parse::<f64>().unwrap(), 55.417);
    assert_eq!(y2013["derived"], "true");
    assert!(budget.iter().all(|r| r["year"] != "2017"));
    // Ten numeric targets in the five groups; none has a result for its own period.
    let html = std::fs::read_to_string(out.join("report/index.html")).unwrap();
    assert!(
        html.contains("0 of 10 khuyến công targets have a result for the same period"),
        "targets title"
    );
    assert!(html.contains("about 287 billion a year"));
    // The facts sentence counts provinces and lower bounds off the file.
    let facts = csv_rows(&root().join("data/real/extracts/kc_spending_province_facts.csv"));
    let provinces: std::collections::BTreeSet<&str> =
        facts.iter().map(|r| r["code_gso"].as_str()).collect();
    let lower = facts
        .iter()
        .filter(|r| {
            let q = r["qualifier"].to_lowercase();
            ["over", "more than", "trên", "hơn", "exceed", "lower bound"]
                .iter()
                .any(|w| q.contains(w))
        })
        .count();
    let sentence = format!(
        "{} published province-level spending figures cover {} provinces; {lower} are lower bounds",
        facts.len(),
        provinces.len()
    );
    assert!(html.contains(&sentence), "{sentence}");
    let map = csv_rows(&charts.join("employment_map.csv"));
    assert_eq!(map.len(), 63);
}

#[test]
fn every_section_says_real_data_and_nothing_says_synthetic() {
    for (lang, mark) in [
        ("vi", "Dữ liệu thật đã công bố"),
        ("en", "Real published data"),
    ] {
        let out = real_run(lang);
        let html = std::fs::read_to_string(out.join("report/index.html")).unwrap();
        let md = std::fs::read_to_string(out.join("report/summary.md")).unwrap();
        let sections = html.matches("<section").count();
        assert!(sections >= 7, "{sections}");
        for part in html.split("<section").skip(1) {
            let head: String = part.chars().take(300).collect();
            assert!(head.contains(mark), "{lang}: {head}");
        }
        assert_eq!(md.matches("\n## ").count(), sections);
        assert!(md.matches(mark).count() > sections, "{lang}");
        for text in [&html, &md] {
            let lower = text.to_lowercase();
            assert!(!lower.contains("synthetic"), "{lang}");
            assert!(!lower.contains("giả lập"), "{lang}");
            assert!(!lower.contains("tổng hợp"), "{lang}");
        }
        // The gap is said in words, not left as empty tables.
        let gap = if lang == "vi" {
            "Không có bảng chi khuyến công theo tỉnh và năm"
        } else {
            "No table of khuyến công spending by province and year"
        };
        assert!(html.contains(gap) && md.contains(gap), "{lang}");
        assert!(!html.contains("<tbody></tbody>"), "{lang}: an empty table");
    }
}

#[test]
fn a_missing_programme_file_is_a_data_error_and_an_unknown_key_a_config_error() {
    let dir = temp("bad");
    let iip = root().join("data/reference/gso_raw/gso_en_export_iip_by_province_2012_2016_raw.csv");
    let write = |name: &str, programme: &str| {
        let p = dir.join(name);
        std::fs::write(
            &p,
            format!(
                "name = \"t\"\n[[sources]]\nkind = \"output\"\npath = \"{}\"\nmeasure = \"iip\"\n[programme]\n{programme}\n",
                iip.to_string_lossy().replace('\\', "/")
            ),
        )
        .unwrap();
        p
    };
    let p = write("missing.toml", "budget = \"no_such_budget.csv\"");
    let o = khuyencong(&[
        "run",
        &p.to_string_lossy(),
        "--out",
        &dir.join("o1").to_string_lossy(),
    ]);
    assert_eq!(o.status.code(), Some(3));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("no_such_budget.csv"), "{err}");
    // [programme] beside a funding source would be ignored: refused instead.
    let funded = dir.join("funded.toml");
    let default = std::fs::read_to_string(root().join("pipelines/default.toml")).unwrap();
    std::fs::write(
        &funded,
        default.replace(
            "../data/sample",
            &root()
                .join("data/sample")
                .to_string_lossy()
                .replace('\\', "/"),
        ) + "\n[programme]\nbudget = \"b.csv\"\n",
    )
    .unwrap();
    let o = khuyencong(&[
        "run",
        &funded.to_string_lossy(),
        "--out",
        &dir.join("o3").to_string_lossy(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("[programme]"));
    let p = write("unknown.toml", "budgets = \"x.csv\"");
    let o = khuyencong(&[
        "run",
        &p.to_string_lossy(),
        "--out",
        &dir.join("o2").to_string_lossy(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("budgets"));
}

#[test]
fn real_report_renders_in_a_headless_browser() {
    let chromium = Path::new("/usr/bin/chromium");
    if !chromium.exists() {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("CI=true but /usr/bin/chromium is absent: install Debian's chromium");
        }
        eprintln!("SKIPPED real_report_renders_in_a_headless_browser: /usr/bin/chromium is absent");
        return;
    }
    let out = real_run("vi");
    let report = out.join("report");
    let html = std::fs::read_to_string(report.join("index.html")).unwrap();
    // On load, a line with the image count, the images without a rendered size and the script
    // or resource errors is written into the page, which --dump-dom prints.
    let probe_head = "<script>window.__errors=[];window.addEventListener('error',function(e){window.__errors.push(String(e.message||(e.target&&e.target.src)||e.type).slice(0,120))},true);</script>";
    let probe_body = "<script>window.addEventListener('load',function(){var imgs=Array.from(document.images);var bad=imgs.filter(function(i){var r=i.getBoundingClientRect();return !(i.complete&&i.naturalWidth>0&&r.width>0&&r.height>0)});var p=document.createElement('pre');p.id='probe';p.textContent='PROBE images='+imgs.length+' bad='+bad.length+' errors='+window.__errors.length+' '+window.__errors.join('|');document.body.appendChild(p);});</script>";
    let probed = html
        .replacen("<head>", &format!("<head>{probe_head}"), 1)
        .replacen("</body>", &format!("{probe_body}</body>"), 1);
    let probe_path = report.join("browser_probe.html");
    std::fs::write(&probe_path, probed).unwrap();
    let profile = out.join("chromium-profile");
    let shot = root().join("target/test-output/real_report.png");
    std::fs::create_dir_all(shot.parent().unwrap()).unwrap();
    let run = |extra: &[String], page: &Path| {
        let o = Command::new("timeout")
            .arg("120")
            .arg(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--virtual-time-budget=10000",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .args(extra)
            .arg(format!("file://{}", page.display()))
            .output()
            .expect("chromium runs");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let dom = run(&["--dump-dom".to_string()], &probe_path);
    let line = dom
        .lines()
        .find(|l| l.contains("<pre id=\"probe\">"))
        .expect("the probe ran");
    // Three charts: the employment map, the national budget, targets against results.
    assert!(line.contains("PROBE images=3 bad=0 errors=0"), "{line}");
    let _ = std::fs::remove_file(&shot);
    run(
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1280,2400".to_string(),
        ],
        &report.join("index.html"),
    );
    assert!(std::fs::metadata(&shot).is_ok_and(|m| m.len() > 10_000));
}

#[test]
fn without_programme_files_the_report_says_so_and_years_select_the_indices() {
    let dir = temp("bare");
    let iip = root().join("data/reference/gso_raw/gso_en_export_iip_by_province_2012_2016_raw.csv");
    let p = dir.join("bare.toml");
    std::fs::write(
        &p,
        format!(
            "name = \"bare\"\nyears = [2014, 2015]\n[[sources]]\nkind = \"output\"\npath = \"{}\"\nmeasure = \"iip\"\n",
            iip.to_string_lossy().replace('\\', "/")
        ),
    )
    .unwrap();
    let out = dir.join("out");
    let o = khuyencong(&[
        "run",
        &p.to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
        "--lang",
        "en",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let got = index_of(&out);
    // 63 provinces × the two years asked for, and nothing else.
    assert_eq!(got.len(), 63 * 2);
    assert!(
        got.keys()
            .all(|(m, y, _)| m == "iip" && (*y == 2014 || *y == 2015))
    );
    // Ha Noi in 2015, read off the statistics office's export by hand: 108.3.
    assert_eq!(got[&("iip".to_string(), 2015, "01".to_string())], 108.3);
    let html = std::fs::read_to_string(out.join("report/index.html")).unwrap();
    assert!(html.contains("The pipeline file names no programme file"));
    assert!(html.contains("This run has no source of the employment index by province."));
    assert!(!html.contains("<tbody></tbody>"), "an empty table");
    assert!(!html.to_lowercase().contains("synthetic"));
}
