//! The house rules a newcomer relies on: every document the project cites is in the repository,
//! no source file grows past 1,000 lines, and docs/ARCHITECTURE.md names every module it has.

use crate::common::root;
use std::path::{Path, PathBuf};

fn files(dir: &Path, ext: &[&str], out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if p.is_dir() {
            if !name.starts_with('.') && name != "target" && name != "out" {
                files(&p, ext, out);
            }
        } else if ext.iter().any(|x| name.ends_with(x)) {
            out.push(p);
        }
    }
}

#[test]
fn every_cited_document_is_in_the_repository() {
    let root = root();
    let mut texts = Vec::new();
    for dir in [
        "src",
        "docs",
        "tests",
        "scripts",
        "notebooks",
        "pipelines",
        "data",
    ] {
        files(
            &root.join(dir),
            &[".rs", ".md", ".py", ".sh", ".toml", ".ipynb"],
            &mut texts,
        );
    }
    texts.push(root.join("README.md"));
    // Every Markdown document in the repository, by path from the root and by file name.
    let mut docs = Vec::new();
    files(&root, &[".md"], &mut docs);
    let names: Vec<String> = docs
        .iter()
        .filter_map(|d| Some(d.file_name()?.to_string_lossy().into_owned()))
        .collect();
    // Documents the program writes (not cited sources).
    let written = ["summary.md"];
    let top = root.canonicalize().unwrap();
    let mut missing = Vec::new();
    for f in &texts {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        let dir = f.parent().unwrap();
        for (i, _) in text.match_indices(".md") {
            let start = text[..i]
                .rfind(|c: char| !(c.is_ascii_alphanumeric() || "_-./".contains(c)))
                .map_or(0, |s| {
                    s + text[s..].chars().next().map_or(1, char::len_utf8)
                });
            let cited = &text[start..i + 3];
            let name = cited.rsplit('/').next().unwrap_or(cited);
            // A path counts only if it stays inside the repository.
            let inside = |p: PathBuf| p.canonicalize().is_ok_and(|c| c.starts_with(&top));
            let found = if cited.contains('/') {
                inside(root.join(cited)) || inside(dir.join(cited)) || written.contains(&name)
            } else {
                names.iter().any(|n| n == name) || written.contains(&name)
            };
            if name.len() > 3 && !found {
                missing.push(format!(
                    "{}: {cited}",
                    f.strip_prefix(&root).unwrap().display()
                ));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "documents cited but not in the repository: {missing:#?}"
    );
}

#[test]
fn no_source_file_is_over_1000_lines() {
    let mut rs = Vec::new();
    files(&root().join("src"), &[".rs"], &mut rs);
    let long: Vec<String> = rs
        .iter()
        .filter_map(|f| {
            let n = std::fs::read_to_string(f).unwrap().lines().count();
            (n > 1000).then(|| format!("{} ({n} lines)", f.display()))
        })
        .collect();
    assert!(long.is_empty(), "split these files: {long:#?}");
}

#[test]
fn the_architecture_page_places_every_module() {
    let root = root();
    let lib = std::fs::read_to_string(root.join("src/lib.rs")).unwrap();
    let doc = std::fs::read_to_string(root.join("docs/ARCHITECTURE.md")).unwrap();
    let unplaced: Vec<&str> = lib
        .lines()
        .filter_map(|l| l.strip_prefix("pub mod ")?.strip_suffix(';'))
        .filter(|m| !doc.contains(&format!("`{m}/`")) && !doc.contains(&format!("`{m}.rs`")))
        .collect();
    assert!(
        unplaced.is_empty(),
        "docs/ARCHITECTURE.md does not say where these modules sit: {unplaced:?}"
    );
}

#[test]
fn no_stage_or_lower_layer_imports_the_runner_or_the_command_line() {
    // Data flows one way: commands → pipeline → stages → contract and foundations.
    let root = root();
    let lower = [
        "ingest",
        "validate.rs",
        "panel.rs",
        "indicators.rs",
        "models",
        "flags",
        "report",
        "realdata",
        "contract",
        "reference.rs",
        "stats",
        "table.rs",
        "io.rs",
        "text.rs",
    ];
    let mut offenders = Vec::new();
    for m in lower {
        let p = root.join("src").join(m);
        let mut rs = Vec::new();
        if p.is_dir() {
            files(&p, &[".rs"], &mut rs);
        } else {
            rs.push(p);
        }
        for f in rs {
            let text = std::fs::read_to_string(&f).unwrap();
            for upper in ["crate::pipeline", "crate::commands"] {
                if text.contains(upper) {
                    offenders.push(format!(
                        "{}: {upper}",
                        f.strip_prefix(&root).unwrap().display()
                    ));
                }
            }
        }
    }
    assert!(offenders.is_empty(), "layering broken: {offenders:#?}");
}
