//! Scheduled refresh: the run history (`runs.jsonl`), `status --json`, waiting for the lock
//! with `--wait`, and the cron and systemd commands the README documents, run as written.

use khuyencong::pipeline::RunLock;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn temp(tag: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!(
        "khuyencong-refresh-{tag}-{}-{nanos}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_khuyencong"))
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
