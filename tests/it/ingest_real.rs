//! Ingest of real publications as released: the statistics office's six December data tables
//! (2019–2024, `data/real/gso-monthly/`), read with the sheet name alone and checked value by
//! value against the cell-by-cell extract `data/real/extracts/
//! industrial_employment_index_province_2019_2024.csv`.

use khuyencong::ingest::{self, Kind, SourceSpec};
use khuyencong::validate;
use std::collections::BTreeMap;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// (year, code) → (index vs the same date a year earlier, vs the previous month), provinces
/// only (the country row has code "00").
fn extract() -> BTreeMap<(i32, String), (f64, f64)> {
    let text = std::fs::read_to_string(
        root().join("data/real/extracts/industrial_employment_index_province_2019_2024.csv"),
    )
    .unwrap();
    let rows = khuyencong::text::split_csv(&text);
    let h = &rows[0];
    let ci = |n: &str| h.iter().position(|x| x == n).unwrap();
    let (y, c, yoy, mom) = (
        ci("year"),
        ci("code_gso"),
        ci("idx_vs_same_date_prev_year"),
        ci("idx_vs_prev_month"),
    );
    rows[1..]
        .iter()
        .filter(|r| r.len() > yoy && r[c] != "00")
        .map(|r| {
            (
                (r[y].parse().unwrap(), r[c].clone()),
                (r[yoy].parse().unwrap(), r[mom].parse().unwrap()),
            )
        })
        .collect()
}

const WORKBOOKS: [(i32, &str, &str); 6] = [
    (2019, "2019-12-27-03-Bieu-2019.xlsx", "6. LĐCN_DP"),
    (2020, "2020-12-27-03-Bieu-2020.xlsx", "6. LĐCN_DP"),
    (2021, "2021-12-29-03-Bieu-2021-28.12.xlsx", "6. LĐCN_DP"),
    (2022, "2022-12-29-03-Bieu-2022.xlsx", "6. LĐCN_DP"),
    (2023, "2023-12-29-02.Bieu-T12.2023.xlsx", "16. LĐCN_DP"),
    (2024, "2024-12-29-02.Bieu-T12.2024.xlsx", "16. LĐCN_DP"),
];

#[test]
fn gso_employment_index_sheets_read_with_the_sheet_name_alone() {
    let want = extract();
    assert_eq!(
        want.len(),
        63 * 6,
        "the extract holds 63 provinces × 6 years"
    );
    for (year, file, sheet) in WORKBOOKS {
        let mut spec = SourceSpec::new(
            Kind::Output,
            root().join("data/real/gso-monthly").join(file),
        );
        spec.sheet = Some(sheet.to_string());
        let ing = ingest::ingest_file(&spec).unwrap_or_else(|e| panic!("{file}: {e}"));
        // Sheet layout, counted by hand from the workbook: title (2 rows), unit row, header
        // (3 rows), the country row, the continuation title + unit + repeated header (6 rows),
        // and in 2019–2021 six region rows with empty values.
        let expected_skipped = 6 + 1 + 6 + if year <= 2021 { 6 } else { 0 };
        let v = validate::validate(ing).unwrap();
        assert_eq!(v.rejected.height(), 0, "{file}: {:?}", v.rejected);
        assert_eq!(v.clean.height(), 63, "{file}");
        assert_eq!(v.skipped, expected_skipped, "{file}: {:?}", v.notes);
        assert_eq!(v.rows_in, 63 + expected_skipped, "{file}");
        assert!(
            v.notes.iter().any(|n| n.contains("previous month")),
            "{file}: the month-on-month column is skipped with a note: {:?}",
            v.notes
        );
        let df = &v.clean;
        let years = df.column("year").unwrap().i32().unwrap();
        let codes = df.column("province_code").unwrap().str().unwrap();
        let idx = df.column("employment_index").unwrap().f64().unwrap();
        // Nothing lands in the other measures: the month-on-month index is not read as anything.
        for other in ["iip", "employment", "output_bvnd", "establishments"] {
            assert_eq!(
                df.column(other).unwrap().null_count(),
                63,
                "{file}: {other} must stay empty"
            );
        }
        for i in 0..df.height() {
            assert_eq!(
                years.get(i),
                Some(year),
                "{file}: year from the header text"
            );
            let code = codes.get(i).unwrap().to_string();
            let (yoy, mom) = want[&(year, code.clone())];
            let got = idx.get(i).unwrap();
            // Exactly the cell: the extract holds the cell's shortest decimal form.
            assert_eq!(got, yoy, "{file} {code}");
            if yoy != mom {
                assert_ne!(got, mom, "{file} {code}: month-on-month taken");
            }
        }
    }
}

#[test]
fn a_year_in_the_source_overrides_the_header_year() {
    let (_, file, sheet) = WORKBOOKS[5];
    let mut spec = SourceSpec::new(
        Kind::Output,
        root().join("data/real/gso-monthly").join(file),
    );
    spec.sheet = Some(sheet.to_string());
    spec.year = Some(2018);
    let ing = ingest::ingest_file(&spec).unwrap();
    let years = ing.table.column("year").unwrap().i32().unwrap();
    assert!(years.iter().all(|y| y == Some(2018)));
}

#[test]
fn the_ingest_command_reads_each_workbook_with_the_sheet_alone() {
    let dir = std::env::temp_dir().join(format!("kc-real-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (year, file, sheet) in WORKBOOKS {
        let out = dir.join(format!("{year}.parquet"));
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_khuyencong"))
            .arg("ingest")
            .arg(root().join("data/real/gso-monthly").join(file))
            .args(["--kind", "output", "--sheet", sheet, "--out"])
            .arg(&out)
            .output()
            .unwrap();
        let text =
            String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(0), "{file}: {text}");
        assert!(text.contains("63 clean, 0 rejected"), "{file}: {text}");
        let df = khuyencong::io::read_parquet(&out).unwrap();
        assert_eq!(df.height(), 63);
    }
}
