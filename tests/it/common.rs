//! Helpers every integration-test module uses: the repository root, a fresh temporary folder,
//! and the built binary.

use std::path::PathBuf;
use std::process::Command;

/// The repository's root folder.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh folder under the system temp dir, named after the module and `tag` (left behind for
/// inspection on failure).
pub fn temp(module: &str, tag: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!(
        "khuyencong-{module}-{tag}-{}-{nanos}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The `khuyencong` binary of this build.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_khuyencong"))
}

/// Every table of `tables` under `out` (each `rejected/<source>.parquet` for a `<source>` path)
/// has exactly its schema's columns, in order, with the schema's types, and no nulls where the
/// schema says none.
pub fn assert_tables_match(
    out: &std::path::Path,
    tables: &[khuyencong::contract::schema::TableSchema],
) {
    use polars::prelude::DataType;
    for t in tables {
        let paths: Vec<PathBuf> = if t.path.contains("<source>") {
            let dir = out.join(t.path.split('/').next().unwrap());
            let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
                .unwrap()
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "parquet"))
                .collect();
            v.sort();
            v
        } else {
            vec![out.join(t.path)]
        };
        assert!(!paths.is_empty(), "{}: no file", t.path);
        for p in paths {
            let df = khuyencong::io::read_parquet(&p).unwrap();
            let got: Vec<(String, DataType)> = df
                .columns()
                .iter()
                .map(|c| (c.name().to_string(), c.dtype().clone()))
                .collect();
            let want: Vec<(String, DataType)> = t
                .columns
                .iter()
                .map(|c| (c.name.to_string(), c.dtype.polars()))
                .collect();
            assert_eq!(got, want, "{}", p.display());
            for c in t.columns.iter().filter(|c| !c.nullable) {
                let nulls = df.column(c.name).unwrap().null_count();
                assert_eq!(nulls, 0, "{}: {} has {nulls} nulls", p.display(), c.name);
            }
        }
    }
}
