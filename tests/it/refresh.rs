//! Scheduled refresh: the run history (`runs.jsonl`), `status --json`, waiting for the lock
//! with `--wait`, and the cron and systemd commands the README documents, run as written.

use crate::common::{self, bin, root};
use khuyencong::pipeline::RunLock;
use polars::prelude::DataFrame;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

fn temp(tag: &str) -> PathBuf {
    common::temp("refresh", tag)
}

/// The default pipeline's text pointed at the committed sample, with few bootstrap draws.
fn pipeline_text() -> String {
    let text = std::fs::read_to_string(root().join("pipelines/default.toml")).unwrap();
    let sample = root().join("data/sample");
    format!(
        "{}\n[models]\nbootstrap_draws = 99\n",
        text.replace("../data/sample", &sample.to_string_lossy())
    )
}

/// One complete run in a folder of its own: (pipeline file, output folder).
fn first_run() -> &'static (PathBuf, PathBuf) {
    static RUN: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    RUN.get_or_init(|| {
        let dir = temp("first");
        let p = dir.join("p.toml");
        std::fs::write(&p, pipeline_text()).unwrap();
        let out = dir.join("out");
        let o = bin()
            .arg("run")
            .arg(&p)
            .arg("--out")
            .arg(&out)
            .arg("-q")
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        (p, out)
    })
}

/// A copy of the first run's output folder, so a test can add runs without disturbing others.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

fn runs(out: &Path) -> Vec<Value> {
    std::fs::read_to_string(out.join("runs.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn stage_statuses(run: &Value) -> Vec<(String, String)> {
    run["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["stage"].as_str().unwrap().to_string(),
                s["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

const STAGES: [&str; 7] = [
    "ingest",
    "validate",
    "panel",
    "indicators",
    "models",
    "flags",
    "report",
];

#[test]
fn each_run_is_one_line_of_the_history_and_status_json_tells_the_state() {
    let (p, first) = first_run();
    let out = temp("history").join("out");
    copy_dir(first, &out);
    // The first run: every stage ran, exit 0, rows counted.
    let history = runs(&out);
    assert_eq!(history.len(), 1);
    let r = &history[0];
    assert_eq!(r["exit_code"], 0);
    assert_eq!(r["pipeline"], "default");
    assert_eq!(r["forced"], false);
    let statuses = stage_statuses(r);
    assert_eq!(
        statuses,
        STAGES
            .iter()
            .map(|s| (s.to_string(), "ran".to_string()))
            .collect::<Vec<_>>()
    );
    assert!(r["stages"][0]["rows_in"].as_u64().unwrap() > 20_000);
    assert!(r["started"].as_str().unwrap() <= r["finished"].as_str().unwrap());
    // The pipeline's hash is the file's SHA-256.
    let sha = khuyencong::io::file_hash(p).unwrap();
    assert_eq!(r["pipeline_sha256"], sha.as_str());

    // A second run skips every stage and adds one line.
    let o = bin()
        .arg("run")
        .arg(p)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let history = runs(&out);
    assert_eq!(history.len(), 2);
    assert!(
        stage_statuses(&history[1])
            .iter()
            .all(|(_, s)| s == "skipped")
    );

    // status --json parses, says everything is fresh, and names the last run.
    let o = bin()
        .arg("status")
        .arg(p)
        .arg("--out")
        .arg(&out)
        .arg("--json")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let s: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(s["fresh"], true);
    assert_eq!(s["stages"].as_array().unwrap().len(), 7);
    assert!(
        s["stages"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["state"] == "fresh")
    );
    assert_eq!(s["last_run"]["exit_code"], 0);
    assert_eq!(s["last_run"]["finished"], history[1]["finished"]);

    // A changed parameter makes the stages from models on stale, with the reason.
    let changed = out.parent().unwrap().join("changed.toml");
    std::fs::write(
        &changed,
        pipeline_text().replace("bootstrap_draws = 99", "bootstrap_draws = 199"),
    )
    .unwrap();
    let o = bin()
        .arg("status")
        .arg(&changed)
        .arg("--out")
        .arg(&out)
        .arg("--json")
        .output()
        .unwrap();
    let s: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(s["fresh"], false);
    let states: Vec<&str> = s["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["state"].as_str().unwrap())
        .collect();
    assert_eq!(
        states,
        [
            "fresh", "fresh", "fresh", "fresh", "stale", "stale", "stale"
        ]
    );
}

#[test]
fn a_failed_run_is_recorded_with_its_exit_code() {
    let dir = temp("failed");
    std::fs::write(dir.join("empty.csv"), "").unwrap();
    std::fs::write(
        dir.join("p.toml"),
        "name = \"x\"\n[[sources]]\nkind = \"funding\"\npath = \"empty.csv\"\n\
         [[sources]]\nkind = \"output\"\npath = \"empty.csv\"\nname = \"o\"\n",
    )
    .unwrap();
    let out = dir.join("out");
    let o = bin()
        .arg("run")
        .arg(dir.join("p.toml"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3));
    let history = runs(&out);
    assert_eq!(history.len(), 1);
    assert_eq!(history[0]["exit_code"], 3);
    assert!(history[0]["error"].as_str().unwrap().contains("empty.csv"));
    assert_eq!(
        stage_statuses(&history[0]),
        vec![("ingest".to_string(), "failed".to_string())]
    );
    // status --json still exits 0 and reports the failure.
    let o = bin()
        .arg("status")
        .arg(dir.join("p.toml"))
        .arg("--out")
        .arg(&out)
        .arg("--json")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let s: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(s["stages"][0]["state"], "failed");
    assert_eq!(s["last_run"]["exit_code"], 3);
}

#[test]
fn wait_takes_the_lock_once_its_holder_finishes() {
    let (p, first) = first_run();
    let out = temp("wait").join("out");
    copy_dir(first, &out);
    let lock = RunLock::acquire(&out).unwrap();
    let holder = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(1_500));
        drop(lock);
    });
    let started = Instant::now();
    let o = bin()
        .arg("run")
        .arg(p)
        .arg("--out")
        .arg(&out)
        .args(["--wait", "60"])
        .output()
        .unwrap();
    holder.join().unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(started.elapsed() >= Duration::from_millis(1_400));
    assert_eq!(runs(&out).len(), 2);

    // A lock held past the wait still exits 4, after about the time asked, and the message
    // does not tell anyone to delete the lock file.
    let _held = RunLock::acquire(&out).unwrap();
    let started = Instant::now();
    let o = bin()
        .arg("run")
        .arg(p)
        .arg("--out")
        .arg(&out)
        .args(["--wait", "1"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(4));
    assert!(started.elapsed() >= Duration::from_millis(900));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("--wait"), "{err}");
    assert!(!err.contains("remove"), "{err}");
}

/// The `khuyencong …` words of a documented command line, up to a shell redirection.
fn documented_args(line: &str) -> Vec<String> {
    let start = line
        .find("khuyencong run")
        .expect("a khuyencong run command");
    line[start..]
        .split_whitespace()
        .skip(1)
        .take_while(|w| !w.starts_with(">>") && !w.starts_with('>') && *w != "2>&1")
        .map(str::to_string)
        .collect()
}

#[test]
fn the_readme_cron_and_systemd_commands_run_as_documented() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let cron = readme
        .split("```cron")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("a ```cron block in the README");
    let cron_line = cron
        .lines()
        .find(|l| l.contains("khuyencong run") && !l.trim_start().starts_with('#'))
        .unwrap();
    let systemd = readme
        .split("```ini")
        .find(|b| b.contains("ExecStart="))
        .expect("a systemd service in the README");
    let exec = systemd
        .lines()
        .find(|l| l.starts_with("ExecStart="))
        .unwrap();
    let args = documented_args(cron_line);
    assert_eq!(
        args,
        documented_args(&exec.replace("/usr/local/bin/khuyencong", "khuyencong"))
    );
    assert!(args.contains(&"--wait".to_string()), "{args:?}");

    // Run it as written, from a folder laid out like the repository, on an output folder a
    // complete run already filled: a refresh with nothing new exits 0, prints nothing, and
    // adds one line to the history.
    let (_, first) = first_run();
    let dir = temp("cron");
    std::fs::create_dir_all(dir.join("pipelines")).unwrap();
    std::fs::write(dir.join("pipelines/default.toml"), pipeline_text()).unwrap();
    copy_dir(first, &dir.join("out/default"));
    let o = bin().args(&args).current_dir(&dir).output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.stdout.is_empty());
    assert_eq!(runs(&dir.join("out/default")).len(), 2);
}

/// SHA-256 of every table a run wrote (Parquet and JSON under the stage folders), by path.
fn table_hashes(out: &Path) -> std::collections::BTreeMap<String, String> {
    let mut hashes = std::collections::BTreeMap::new();
    for dir in [
        "staging",
        "clean",
        "rejected",
        "panel",
        "indicators",
        "models",
        "flags",
    ] {
        let Ok(entries) = std::fs::read_dir(out.join(dir)) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.ends_with(".parquet") || name.ends_with(".json") {
                hashes.insert(
                    format!("{dir}/{name}"),
                    khuyencong::io::file_hash(&e.path()).unwrap(),
                );
            }
        }
    }
    hashes
}

#[test]
fn a_run_killed_at_any_moment_recovers_to_the_clean_tables_byte_for_byte() {
    let (p, clean) = first_run();
    let want = table_hashes(clean);
    assert!(want.len() > 15, "{want:?}");
    for (k, millis) in [300_u64, 2_500, 7_000].into_iter().enumerate() {
        let out = temp(&format!("killed{k}")).join("out");
        let mut child = bin()
            .arg("run")
            .arg(p)
            .arg("--out")
            .arg(&out)
            .arg("-q")
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(millis));
        let _ = child.kill(); // SIGKILL: no clean-up runs
        let _ = child.wait();
        let o = bin()
            .arg("run")
            .arg(p)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(table_hashes(&out), want, "killed after {millis} ms");
    }
}

/// Writes the lines of `csv` whose first field is a year in `years` into `dir/<prefix><year>.csv`
/// (one file per year, each with the header).
fn split_by_year(csv: &str, dir: &Path, prefix: &str, years: std::ops::RangeInclusive<i32>) {
    std::fs::create_dir_all(dir).unwrap();
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    let mut by_year: std::collections::BTreeMap<i32, String> = std::collections::BTreeMap::new();
    for l in lines {
        let y: i32 = l.split(',').next().unwrap().parse().unwrap();
        if years.contains(&y) {
            by_year
                .entry(y)
                .or_insert_with(|| format!("{header}\n"))
                .push_str(&format!("{l}\n"));
        }
    }
    for (y, text) in by_year {
        std::fs::write(dir.join(format!("{prefix}{y}.csv")), text).unwrap();
    }
}

#[test]
fn a_new_years_files_in_globbed_folders_reach_the_panel() {
    let sample = root().join("data/sample");
    let funding = std::fs::read_to_string(sample.join("kcdp_projects.csv")).unwrap();
    let output = std::fs::read_to_string(sample.join("rural_output_by_sector.csv")).unwrap();
    let dir = temp("glob");
    split_by_year(&funding, &dir.join("funding"), "kcdp_", 2012..=2023);
    split_by_year(&output, &dir.join("output"), "output_", 2012..=2023);
    // An office lock file beside the data is never read.
    std::fs::write(dir.join("funding/~$kcdp_2023.csv"), "locked").unwrap();
    let p = dir.join("p.toml");
    std::fs::write(
        &p,
        "name = \"refresh\"\nsynthetic = true\n\
         [[sources]]\nkind = \"funding\"\npath = \"funding/*.csv\"\n\
         [[sources]]\nkind = \"output\"\npath = \"output/*.csv\"\n\
         [models]\nbootstrap_draws = 99\n",
    )
    .unwrap();
    let out = dir.join("out");
    let run = || {
        let o = bin()
            .arg("run")
            .arg(&p)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    };
    let last_year = |out: &Path| {
        let panel = khuyencong::io::read_parquet(&out.join("panel/panel.parquet")).unwrap();
        khuyencong::table::i32s(&panel, "year")
            .unwrap()
            .into_iter()
            .flatten()
            .max()
            .unwrap()
    };
    run();
    assert_eq!(last_year(&out), 2023);
    // Each file is an input of its own, with its own rejected table named after it.
    assert!(out.join("rejected/kcdp_2012.parquet").exists());
    assert!(out.join("rejected/output_2023.parquet").exists());
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let ingest = manifest["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "ingest")
        .unwrap();
    assert_eq!(ingest["inputs"].as_array().unwrap().len(), 24);

    // The statistics office publishes 2024: two new files, nothing else touched.
    split_by_year(&funding, &dir.join("funding"), "kcdp_", 2024..=2024);
    split_by_year(&output, &dir.join("output"), "output_", 2024..=2024);
    run();
    assert_eq!(last_year(&out), 2024);
    let history = runs(&out);
    assert_eq!(history.len(), 2);
    assert!(stage_statuses(&history[1]).iter().all(|(_, s)| s == "ran"));
    // Only the new files were read again: the kept ones have the same staging tables.
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let ingest = manifest["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "ingest")
        .unwrap();
    assert_eq!(ingest["inputs"].as_array().unwrap().len(), 26);
    let read_again: Vec<&str> = ingest["details"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["kept"] == false)
        .map(|d| d["source"].as_str().unwrap())
        .collect();
    assert_eq!(read_again, ["kcdp_2024", "output_2024"]);

    // The same tables as a clean run on the 26 files (the run history aside: the previous
    // flags and what changed since them).
    let clean = dir.join("clean-out");
    let o = bin()
        .arg("run")
        .arg(&p)
        .arg("--out")
        .arg(&clean)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let history_free = |out: &Path| {
        let mut h = table_hashes(out);
        h.remove("flags/previous.parquet");
        h.remove("flags/changes.parquet");
        h
    };
    assert_eq!(history_free(&out), history_free(&clean));
    // A clean run has nothing to compare with.
    let none = khuyencong::io::read_parquet(&clean.join("flags/changes.parquet")).unwrap();
    assert_eq!(none.height(), 0);
    assert!(!clean.join("flags/previous.parquet").exists());

    // What changed, worked out here from the two flags tables, per province, for the window
    // of support years that starts in 2012 (it grew by the new year).
    let verdicts = |t: &DataFrame| -> BTreeMap<String, (String, bool)> {
        let code = khuyencong::table::strs(t, "province_code").unwrap();
        let start = khuyencong::table::i32s(t, "period_start").unwrap();
        let verdict = khuyencong::table::strs(t, "effect_verdict").unwrap();
        let flagged = khuyencong::table::bools(t, "flagged").unwrap();
        (0..t.height())
            .filter(|&i| start[i] == Some(2012))
            .map(|i| {
                (
                    code[i].clone().unwrap(),
                    (verdict[i].clone().unwrap(), flagged[i].unwrap()),
                )
            })
            .collect()
    };
    let read = |rel: &str| khuyencong::io::read_parquet(&out.join(rel)).unwrap();
    let before = verdicts(&read("flags/previous.parquet"));
    let now = verdicts(&read("flags/flags.parquet"));
    assert_eq!(before.len(), 63);
    let moved: Vec<&String> = now
        .iter()
        .filter(|(p, v)| before.get(*p).is_some_and(|b| b != *v))
        .map(|(p, _)| p)
        .collect();
    let changes = read("flags/changes.parquet");
    let c_code = khuyencong::table::strs(&changes, "province_code").unwrap();
    let c_start = khuyencong::table::i32s(&changes, "period_start").unwrap();
    let c_end_before = khuyencong::table::i32s(&changes, "period_end_before").unwrap();
    let c_end = khuyencong::table::i32s(&changes, "period_end").unwrap();
    let c_change = khuyencong::table::strs(&changes, "change").unwrap();
    let in_span: Vec<usize> = (0..changes.height())
        .filter(|&i| c_start[i] == Some(2012))
        .collect();
    let listed: Vec<&String> = in_span
        .iter()
        .map(|&i| c_code[i].as_ref().unwrap())
        .collect();
    assert_eq!(listed, moved);
    for &i in &in_span {
        assert_eq!(c_end_before[i].unwrap() + 1, c_end[i].unwrap());
        assert!(c_change[i].as_ref().unwrap().contains("WINDOW_EXTENDED"));
    }
    // The report says what changed, when anything did.
    let summary = std::fs::read_to_string(out.join("report/summary.md")).unwrap();
    assert_eq!(
        summary.contains("## Thay đổi so với lần chạy trước"),
        changes.height() > 0,
        "{} changes",
        changes.height()
    );

    // A third run skips every stage.
    run();
    let history = runs(&out);
    assert_eq!(history.len(), 3);
    assert!(
        stage_statuses(&history[2])
            .iter()
            .all(|(_, s)| s == "skipped")
    );

    // A file leaves the folder: its tables go with it, and the panel follows.
    std::fs::remove_file(dir.join("output/output_2024.csv")).unwrap();
    run();
    assert!(!out.join("rejected/output_2024.parquet").exists());
    assert!(!out.join("staging/output_2024.parquet").exists());

    // A pattern that matches nothing names the pattern and exits 3.
    std::fs::write(
        &p,
        "name = \"refresh\"\n[[sources]]\nkind = \"funding\"\npath = \"funding/*.xlsx\"\n\
         [[sources]]\nkind = \"output\"\npath = \"output/*.csv\"\n",
    )
    .unwrap();
    let o = bin()
        .arg("run")
        .arg(&p)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.lines().next().unwrap().contains("*.xlsx"), "{err}");
}

/// The Python that has DuckDB: `KHUYENCONG_PYTHON`, else the project's `.venv`. On CI (where
/// `.ci/run` installs it) its absence is a failure; elsewhere the DuckDB check says it is skipped.
fn python_with_duckdb() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("KHUYENCONG_PYTHON").map(PathBuf::from),
        Some(root().join(".venv/bin/python")),
    ];
    let found = candidates.into_iter().flatten().find(|p| {
        Command::new(p)
            .args(["-c", "import duckdb"])
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must provide a Python with duckdb (see .ci/run)"
        );
        eprintln!("skipped: no Python with duckdb (pip install -r notebooks/requirements.txt)");
    }
    found
}

#[test]
fn the_panel_and_clean_tables_are_also_hive_datasets_by_year() {
    let (_, out) = first_run();
    let panel = khuyencong::io::read_parquet(&out.join("panel/panel.parquet")).unwrap();
    let years: std::collections::BTreeSet<i32> = khuyencong::table::i32s(&panel, "year")
        .unwrap()
        .into_iter()
        .flatten()
        .collect();
    // One folder per year, each holding exactly that year's rows, without the year column.
    let mut rows = 0;
    for y in &years {
        let part =
            khuyencong::io::read_parquet(&out.join(format!("panel/year={y}/part-0.parquet")))
                .unwrap();
        assert!(part.column("year").is_err());
        let want = khuyencong::table::i32s(&panel, "year")
            .unwrap()
            .into_iter()
            .filter(|v| *v == Some(*y))
            .count();
        assert_eq!(part.height(), want, "year {y}");
        rows += part.height();
    }
    assert_eq!(rows, panel.height());
    for t in ["funding", "output"] {
        let whole = khuyencong::io::read_parquet(&out.join(format!("clean/{t}.parquet"))).unwrap();
        let n: usize = std::fs::read_dir(out.join(format!("clean/{t}")))
            .unwrap()
            .flatten()
            .map(|e| {
                khuyencong::io::read_parquet(&e.path().join("part-0.parquet"))
                    .unwrap()
                    .height()
            })
            .sum();
        assert_eq!(n, whole.height(), "{t}");
    }
    // Another engine reads the dataset and prunes to one year.
    let Some(python) = python_with_duckdb() else {
        return;
    };
    let last = *years.iter().max().unwrap();
    let script = format!(
        "import duckdb\n\
         n, y = duckdb.sql(\"select count(*), min(year) from read_parquet('{dir}/year=*/*.parquet', \
         hive_partitioning = true) where year = {last}\").fetchall()[0]\n\
         total = duckdb.sql(\"select count(*) from read_parquet('{dir}/year=*/*.parquet', \
         hive_partitioning = true)\").fetchall()[0][0]\n\
         print(n, y, total)\n",
        dir = out.join("panel").to_string_lossy()
    );
    let o = Command::new(python).args(["-c", &script]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let printed = String::from_utf8_lossy(&o.stdout);
    let want_last = khuyencong::table::i32s(&panel, "year")
        .unwrap()
        .into_iter()
        .filter(|v| *v == Some(last))
        .count();
    assert_eq!(
        printed.trim(),
        format!("{want_last} {last} {}", panel.height())
    );
}
