//! The report on the outputs of a small real run: the pipeline of
//! `tests/fixtures/report/run/` (six provinces, four sectors, 2014–2020 in the files, `years =
//! [2016, 2020]` analysed), run once per test process into a temporary folder. Checks that the
//! report states what the stages wrote: the grant count and total over the same years, the
//! event-study terms under the names the models stage gives them, every chart drawn, and no
//! "NaN" or empty section.

use crate::common;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The run's output folder (English report), made once.
fn run() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let out = common::temp("report_run", "en").join("out");
        let pipeline = common::root().join("tests/fixtures/report/run/pipeline.toml");
        let o = common::bin()
            .args(["run", &pipeline.to_string_lossy(), "--out"])
            .arg(&out)
            .args(["--lang", "en", "-q"])
            .output()
            .expect("the binary runs");
        assert!(
            o.status.success(),
            "exit {:?}: {}{}",
            o.status.code(),
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        out
    })
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// (grants, total million VND) per year of the fixture's funding file, summed here by hand.
fn funding_by_year() -> BTreeMap<i32, (usize, f64)> {
    let text = read(&common::root().join("tests/fixtures/report/run/funding.csv"));
    let mut lines = text.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| head.iter().position(|h| *h == name).unwrap();
    let (y, a) = (col("year"), col("amount_mvnd"));
    let mut by: BTreeMap<i32, (usize, f64)> = BTreeMap::new();
    for line in lines.filter(|l| !l.is_empty()) {
        let cells: Vec<&str> = line.split(',').collect();
        let e = by.entry(cells[y].parse().unwrap()).or_default();
        e.0 += 1;
        e.1 += cells[a].parse::<f64>().unwrap();
    }
    by
}

#[test]
fn headline_count_and_total_cover_the_same_years() {
    let by = funding_by_year();
    // The file holds 2014–2020; the pipeline analyses 2016–2020.
    assert_eq!(
        by.keys().copied().collect::<Vec<_>>(),
        (2014..=2020).collect::<Vec<_>>()
    );
    let (n, total) = by
        .range(2016..=2020)
        .fold((0, 0.0), |(n, t), (_, v)| (n + v.0, t + v.1));
    let all: usize = by.values().map(|v| v.0).sum();
    assert!(all > n, "the years filter must leave grants out");
    let md = read(&run().join("report/summary.md"));
    let want = format!(
        "Programmes spent {:.1} billion VND in 2016–2020 through {n} grants",
        total / 1000.0
    );
    assert!(md.contains(&want), "no \"{want}\" in the summary:\n{md}");
    // The Lorenz chart counts the same grants over the same years.
    let html = read(&run().join("report/index.html"));
    assert!(
        html.contains(&format!("{n} grants, whole country, 2016–2020")),
        "{html}"
    );
    // The table of largest grants lists only the years analysed.
    let top = read(&run().join("report/tables/top_grants.csv"));
    for line in top.lines().skip(1) {
        let year: i32 = line.split(',').next().unwrap().parse().unwrap();
        assert!((2016..=2020).contains(&year), "{line}");
    }
}

#[test]
fn event_terms_are_read_under_the_names_the_models_stage_writes() {
    let html = read(&run().join("report/index.html"));
    // Pilot start 2018 in 2016–2020: two years before (the one before is the reference) and
    // three after.
    for term in ["ev_m2", "ev_p0", "ev_p1", "ev_p2"] {
        assert!(html.contains(&format!("<td>{term}</td>")), "no {term}");
    }
    assert!(
        !html.contains("<td>ev_m1</td>"),
        "the reference period is omitted"
    );
    // The headline term is the main model's log spending of the previous year.
    assert!(html.contains("<td>main</td><td>log_spend_lag1</td>"));
}

#[test]
fn every_chart_is_drawn_and_nothing_is_nan_or_empty() {
    let report = run().join("report");
    let md = read(&report.join("summary.md"));
    let html = read(&report.join("index.html"));
    for name in [
        "spending_over_time",
        "spending_vs_growth",
        "lorenz_grants",
        "concentration",
        "event_study",
        "output_small_multiples",
        "flag_map",
        "plan_vs_achievement",
    ] {
        let svg = read(&report.join(format!("charts/{name}.svg")));
        assert!(!svg.contains("NaN"), "{name}.svg has NaN");
        assert!(html.contains(&format!("charts/{name}.png")) || html.contains(name));
    }
    for doc in [&md, &html] {
        assert!(!doc.contains("NaN"), "NaN in the report");
        assert!(!doc.contains("not drawn"), "a chart was left out");
    }
    // Every section has something under its heading.
    let sections: Vec<&str> = md.split("\n## ").skip(1).collect();
    assert!(sections.len() >= 5, "{} sections", sections.len());
    for s in sections {
        let body = s.split_once('\n').map_or("", |(_, b)| b.trim());
        assert!(!body.is_empty(), "empty section: {s}");
    }
    // The flags stage's own thresholds (the defaults: 4 sectors, a half of grants small).
    assert!(md.contains("| flags.scattered_eff_sectors | 4.0 |"));
    assert!(md.contains("| flags.scattered_small_share | 0.5 |"));
}
