//! The report stage on the known fixture tables (`report_fixture`): both languages,
//! every chart file, the numbers in the findings, escaping, missing tables, SVG structure
//! snapshots, and a headless-browser check of the HTML page.

use crate::report_fixture::{fixture_context, write_fixture_outputs};
use khuyencong::reference::Boundary;
use khuyencong::report::{Lang, build_report};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const CHARTS: [&str; 8] = [
    "spending_over_time",
    "spending_vs_growth",
    "lorenz_grants",
    "concentration",
    "event_study",
    "output_small_multiples",
    "flag_map",
    "plan_vs_achievement",
];

/// A fresh folder under target/test-output (kept after the run for inspection).
fn out_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/test-output")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn build(name: &str, boundary: Boundary, lang: Lang, markup: Option<&str>) -> PathBuf {
    let dir = out_dir(name);
    write_fixture_outputs(&dir, boundary, markup).unwrap();
    let summary = build_report(&dir, &fixture_context(boundary, lang)).unwrap();
    assert_eq!(summary.charts, 8);
    for f in &summary.files {
        assert!(f.exists(), "{} listed but missing", f.display());
    }
    dir
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn png_size(path: &Path) -> (u32, u32) {
    let b = std::fs::read(path).unwrap();
    assert_eq!(
        &b[..8],
        b"\x89PNG\r\n\x1a\n",
        "{} is not a PNG",
        path.display()
    );
    let be = |i: usize| u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    (be(16), be(20))
}

#[test]
fn english_report_from_fixture_has_every_chart_and_the_known_findings() {
    let dir = build("report_en", Boundary::B2008, Lang::En, None);
    let report = dir.join("report");
    for name in CHARTS {
        for ext in ["png", "svg", "csv"] {
            let p = report.join("charts").join(format!("{name}.{ext}"));
            let len = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
            assert!(len > 100, "{} is empty or missing", p.display());
        }
        let (w, h) = png_size(&report.join("charts").join(format!("{name}.png")));
        if name == "flag_map" {
            // 24 tile rows on the 63-province map: 24 × 48 + 200 pixels high.
            assert_eq!((w, h), (1100, 1352));
        } else {
            assert_eq!((w, h), (1200, 800), "{name}");
        }
    }
    let html = read(&report.join("index.html"));
    let md = read(&report.join("summary.md"));
    // Worked out by hand from the fixture (see its module comment).
    for doc in [&html, &md] {
        assert!(doc.contains(
            "2 of 8 provinces were flagged for scattered, low-impact support: Bình Phước, Thanh Hóa."
        ));
        assert!(doc.contains("Too little data to judge: Hà Nội."));
        assert!(doc.contains("Disbursement reached 91% of plan."));
        assert!(doc.contains("Training reached 80% of its trainee target."));
        assert!(doc.contains("in 2 of 3 years after the start"));
        // 6 × 5,640 + 5,000 = 38,840 million VND over 145 grants.
        assert!(doc.contains("Programmes spent 38.8 billion VND in 2015–2020 through 145 grants"));
        // Largest 15 grants: 5,000 + 6 × 370 + 6 × 360 + 2 × 350 = 10,080 of 38,840 = 26%.
        assert!(doc.contains("the largest 10% of grants took 26% of the money"));
        assert!(doc.contains("Top 10% of grants took 26% of money"));
        assert!(doc.contains("Spending peaked at 10.6 billion VND in 2019"));
        assert!(doc.contains("Pilot effect clear in 2 of 3 later years"));
        assert!(doc.contains("2 of 8 provinces flagged: scattered, low impact"));
        assert!(doc.contains("Disbursement reached 91% of plan, 2015–2020"));
        assert!(doc.contains("Synthetic sample data"));
    }
    // Sections in the required order.
    let order: Vec<usize> = [
        "id=\"findings\"",
        "id=\"money\"",
        "id=\"scattered\"",
        "id=\"effects\"",
        "id=\"quality\"",
        "id=\"method\"",
    ]
    .iter()
    .map(|s| html.find(s).unwrap_or_else(|| panic!("no section {s}")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    // Offline: no external resource; every chart embedded.
    assert!(!html.contains("http://") && !html.contains("https://"));
    assert_eq!(html.matches("src=\"data:image/png;base64,").count(), 8);
    // Both p-values, each named.
    assert!(html.contains("p (clustered SE)") && html.contains("p (wild cluster bootstrap)"));
    assert!(html.contains("0.031"));
    // Data quality: rejected rows by reason, the boundary map.
    assert!(html.contains("amount is not a number</td><td class=\"n\">2</td>"));
    assert!(html.contains("63 provinces (before 1 July 2025, GSO codes)"));
    // Ranked table, by window (the longer 2015–2020 first) and rank within it: Bình Phước
    // (rank 1) and Thanh Hóa (rank 3) in 2015–2020, then Bình Phước (rank 2) in 2018–2020.
    let ranked = read(&report.join("tables/flags_ranked.csv"));
    let lines: Vec<&str> = ranked.lines().collect();
    assert_eq!(lines.len(), 4);
    assert!(lines[1].starts_with("1,Bình Phước,2015–2020,"));
    assert!(lines[2].starts_with("3,Thanh Hóa,2015–2020,"));
    assert!(lines[3].starts_with("2,Bình Phước,2018–2020,"));
    // The plotted data beside the plan chart: 2015 planned 8 × 1.1 × (100 + 10 i) summed / 1000.
    let plan = read(&report.join("charts/plan_vs_achievement.csv"));
    let row2015: Vec<f64> = plan
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .skip(1)
        .take(2)
        .map(|v| v.parse().unwrap())
        .collect();
    assert!((row2015[0] - 1.1 * 1.08).abs() < 1e-9, "{row2015:?}");
    assert!((row2015[1] - 1.08).abs() < 1e-9);
}

#[test]
fn vietnamese_report_uses_vietnamese_labels_and_number_format() {
    let dir = build("report_vi", Boundary::B2008, Lang::Vi, None);
    let html = read(&dir.join("report/index.html"));
    let md = read(&dir.join("report/summary.md"));
    for doc in [&html, &md] {
        assert!(doc.contains("Phát hiện chính"));
        assert!(doc.contains(
            "2/8 tỉnh bị đánh dấu hỗ trợ dàn trải, hiệu quả thấp: Bình Phước, Thanh Hóa."
        ));
        assert!(
            doc.contains("Tổng kinh phí 38,8 tỷ đồng giai đoạn 2015–2020, qua 145 khoản hỗ trợ")
        );
        assert!(doc.contains("Giải ngân đạt 91% kế hoạch."));
        assert!(doc.contains("Dữ liệu mẫu tổng hợp (giả lập)"));
        assert!(!doc.contains("Key findings"));
    }
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"vi\">"));
    assert!(html.contains("Hỗ trợ dàn trải nhiều ngành, khoản nhỏ; chưa thấy tác động"));
}

#[test]
fn report_on_the_34_unit_map_uses_its_layout_and_names() {
    let dir = build("report_34", Boundary::B2025, Lang::En, None);
    let map = read(&dir.join("report/charts/flag_map.csv"));
    assert_eq!(map.lines().count(), 35, "header + 34 units");
    assert!(map.contains("75,Đồng Nai,14,3,flagged"));
    let html = read(&dir.join("report/index.html"));
    assert!(html.contains("34 provinces (from 1 July 2025, Resolution 202/2025/QH15)"));
    assert!(html.contains("Đồng Nai, Thanh Hóa."));
}

#[test]
fn markup_from_data_is_escaped() {
    let markup = "<script>alert(1)</script>";
    let dir = build("report_escape", Boundary::B2008, Lang::En, Some(markup));
    let html = read(&dir.join("report/index.html"));
    assert!(!html.contains(markup));
    assert!(!html.to_lowercase().contains("<script"));
    // Beneficiary (largest grants), flag reason (ranked table) and rejected reason.
    assert!(
        html.matches("&lt;script&gt;alert(1)&lt;/script&gt;")
            .count()
            >= 3
    );
    let md = read(&dir.join("report/summary.md"));
    assert!(!md.contains(markup));
    assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[test]
fn missing_optional_tables_are_reported_and_missing_flags_is_an_error() {
    let dir = out_dir("report_missing");
    write_fixture_outputs(&dir, Boundary::B2008, None).unwrap();
    std::fs::remove_file(dir.join("models/event_study.parquet")).unwrap();
    std::fs::remove_file(dir.join("indicators/achievement.parquet")).unwrap();
    let ctx = fixture_context(Boundary::B2008, Lang::En);
    let summary = build_report(&dir, &ctx).unwrap();
    assert_eq!(summary.charts, 6);
    let html = read(&dir.join("report/index.html"));
    assert!(html.contains("Not found (the parts that need them are left out): indicators/achievement.parquet, models/event_study.parquet."));
    assert!(html.contains(
        "Chart &quot;event_study&quot; not drawn: table models/event_study.parquet is missing."
    ));
    assert!(!dir.join("report/charts/event_study.png").exists());

    // A flags table with its columns but no rows: nothing flagged, the scatter is left out.
    let flags_path = dir.join("flags/flags.parquet");
    let mut empty = khuyencong::io::read_parquet(&flags_path)
        .unwrap()
        .head(Some(0));
    khuyencong::io::write_parquet(&mut empty, &flags_path).unwrap();
    let summary = build_report(&dir, &ctx).unwrap();
    assert_eq!(summary.charts, 5);
    let html = read(&dir.join("report/index.html"));
    assert!(html.contains(
        "No province was flagged for scattered, low-impact support (0 provinces assessed)."
    ));
    assert!(html.contains(
        "Chart &quot;concentration&quot; not drawn: table flags/flags.parquet has no usable rows."
    ));

    std::fs::remove_file(&flags_path).unwrap();
    let err = build_report(&dir, &ctx).unwrap_err().to_string();
    assert!(err.contains("flags.parquet is missing"), "{err}");
    assert!(err.contains("run the flags stage"), "{err}");
}

/// Element counts and every text label of an SVG: its structure, not its bytes.
fn svg_structure(svg: &str) -> serde_json::Value {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for tag in [
        "rect", "circle", "polygon", "polyline", "path", "line", "text",
    ] {
        counts.insert(
            tag.to_string(),
            svg.matches(&format!("<{tag} ")).count() + svg.matches(&format!("<{tag}>")).count(),
        );
    }
    let mut texts = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find("<text") {
        rest = &rest[start..];
        let Some(open_end) = rest.find('>') else {
            break;
        };
        let Some(close) = rest.find("</text>") else {
            break;
        };
        texts.push(rest[open_end + 1..close].trim().to_string());
        rest = &rest[close..];
    }
    serde_json::json!({ "counts": counts, "texts": texts })
}

/// Chart titles state the finding in ten words or fewer, in both languages, and every label
/// drawn is NFC.
#[test]
fn chart_titles_are_short_and_labels_are_nfc() {
    for (name, lang) in [
        ("report_titles_en", Lang::En),
        ("report_titles_vi", Lang::Vi),
    ] {
        let dir = build(name, Boundary::B2008, lang, None);
        for chart in CHARTS {
            let svg = read(&dir.join(format!("report/charts/{chart}.svg")));
            let s = svg_structure(&svg);
            let texts: Vec<&str> = s["texts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap())
                .collect();
            let words = texts[0].split_whitespace().count();
            assert!(
                (3..=10).contains(&words),
                "{chart} ({lang}): \"{}\"",
                texts[0]
            );
            for t in &texts {
                assert_eq!(&khuyencong::text::clean(t), t, "{chart}: not NFC");
            }
        }
    }
}

#[test]
fn svg_structure_and_summary_snapshots() {
    let dir = build("report_snapshots", Boundary::B2008, Lang::En, None);
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/report/snapshots"),
    );
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for name in CHARTS {
            let svg = read(&dir.join(format!("report/charts/{name}.svg")));
            // Every label is NFC text in the embedded font family, never an outline.
            assert!(svg.contains("Source: kcqg_projects.xlsx, rural_output_yearbook.csv, synthetic sample data; computed with khuyencong"));
            insta::assert_json_snapshot!(format!("svg_{name}"), svg_structure(&svg));
        }
        insta::assert_snapshot!("summary_md_en", read(&dir.join("report/summary.md")));
    });
}

/// Opens the page in headless Chromium: it must load without errors, and every image must
/// render with a non-zero size. Keeps a screenshot at target/test-output/report.png.
#[test]
fn report_renders_in_a_headless_browser() {
    let chromium = Path::new("/usr/bin/chromium");
    if !chromium.exists() {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("CI=true but /usr/bin/chromium is absent: install Debian's chromium");
        }
        eprintln!(
            "SKIPPED report_renders_in_a_headless_browser: /usr/bin/chromium is absent (apt-get install chromium)"
        );
        return;
    }
    let dir = build("report_browser", Boundary::B2008, Lang::Vi, None);
    let report = dir.join("report");
    let html = read(&report.join("index.html"));
    // A copy with a probe: errors (scripts or resources) are collected from the start, and on
    // load a line with the image count, the images without a rendered size, and the errors is
    // written into the page, which --dump-dom prints.
    let probe_head = "<script>window.__errors=[];window.addEventListener('error',function(e){window.__errors.push(String(e.message||(e.target&&e.target.src)||e.type).slice(0,120))},true);</script>";
    let probe_body = "<script>window.addEventListener('load',function(){var imgs=Array.from(document.images);var bad=imgs.filter(function(i){var r=i.getBoundingClientRect();return !(i.complete&&i.naturalWidth>0&&r.width>0&&r.height>0)});var p=document.createElement('pre');p.id='probe';p.textContent='PROBE images='+imgs.length+' bad='+bad.length+' errors='+window.__errors.length+' '+window.__errors.join('|');document.body.appendChild(p);});</script>";
    let probed = html
        .replacen("<head>", &format!("<head>\n{probe_head}"), 1)
        .replacen("</body>", &format!("{probe_body}\n</body>"), 1);
    let probe_path = report.join("browser_probe.html");
    std::fs::write(&probe_path, probed).unwrap();
    let profile = dir.join("chromium-profile");
    let shot = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-output/report.png");
    let run = |extra: &[String], page: &Path| {
        let out = std::process::Command::new("timeout")
            .arg("120")
            .arg(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
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
        assert!(
            out.status.success(),
            "chromium failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let dom = run(&["--dump-dom".to_string()], &probe_path);
    let line = dom
        .lines()
        .find(|l| l.contains("<pre id=\"probe\">"))
        .unwrap_or_else(|| {
            panic!(
                "the probe did not run; DOM starts: {}",
                &dom[..dom.len().min(500)]
            )
        });
    assert!(line.contains("PROBE images=8 bad=0 errors=0"), "{line}");
    let _ = std::fs::remove_file(&shot);
    run(
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1280,2400".to_string(),
        ],
        &report.join("index.html"),
    );
    let (w, h) = png_size(&shot);
    assert_eq!((w, h), (1280, 2400));
}
