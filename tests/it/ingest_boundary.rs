//! Boundary vintage: a province code or name is read on the map in force at its data's date
//! (annual data from 2025 on the 34 units) unless the source names its map, and a merged unit is
//! never carried back to one of the 63 provinces silently. Codes used here, from
//! `data/reference/merger_2025.csv`: new Đồng Nai 75 = old Đồng Nai 75 + Bình Phước 70; Tuyên
//! Quang 08 = Tuyên Quang 08 + Hà Giang 02; Hà Nội 01 unchanged.

use super::ingest_layouts::tmp;
use khuyencong::ingest::{self, Kind, SourceSpec};
use khuyencong::panel;
use khuyencong::reference::Boundary;
use khuyencong::validate::{self, Validated};

fn read(spec: &SourceSpec) -> (Boundary, Validated) {
    let i = ingest::ingest_file(spec).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        i.rows_in,
        i.table.height() + i.rejected.height() + i.skipped
    );
    (i.boundary, validate::validate(i).unwrap())
}

/// (year, province_code, boundary) of each clean row.
fn rows(v: &Validated) -> Vec<(i32, String, String)> {
    let df = &v.clean;
    let y = df.column("year").unwrap().i32().unwrap();
    let p = df.column("province_code").unwrap().str().unwrap();
    let b = df.column("boundary").unwrap().str().unwrap();
    (0..df.height())
        .map(|i| {
            (
                y.get(i).unwrap(),
                p.get(i).unwrap().to_string(),
                b.get(i).unwrap().to_string(),
            )
        })
        .collect()
}

fn reasons(v: &Validated) -> Vec<String> {
    let r = v.rejected.column("reason").unwrap().str().unwrap();
    r.iter().flatten().map(str::to_string).collect()
}

fn row(y: i32, c: &str, b: &str) -> (i32, String, String) {
    (y, c.to_string(), b.to_string())
}

#[test]
fn codes_of_2025_are_read_on_the_new_map_in_both_readers() {
    // The canonical CSV (fast path) and the same rows in a yearbook-style CSV (cell by cell).
    let fast = tmp("vintage_fast.csv");
    std::fs::write(
        &fast,
        "year,province_code,amount_mvnd\n2024,75,1\n2024,70,2\n2025,75,3\n",
    )
    .unwrap();
    let cells = tmp("vintage_cells.csv");
    std::fs::write(
        &cells,
        "Danh mục\nNăm;Mã tỉnh;Kinh phí (triệu đồng)\n2024;75;1\n2024;70;2\n2025;75;3\n",
    )
    .unwrap();
    for path in [&fast, &cells] {
        let (_, v) = read(&SourceSpec::new(Kind::Funding, path));
        assert_eq!(
            rows(&v),
            vec![
                row(2024, "75", "2008"),
                row(2024, "70", "2008"),
                row(2025, "75", "2025"),
            ],
            "{}",
            path.display()
        );
        // Carried to the 63 provinces, the 2025 Đồng Nai is refused, naming the unit and its
        // parts; on the 34 units all three rows are in new Đồng Nai.
        let err = panel::grants_on(&v.clean, Boundary::B2008).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("Đồng Nai")
                && msg.contains("Bình Phước 70")
                && msg.contains("cannot be split"),
            "{msg}"
        );
        let grants = panel::grants_on(&v.clean, Boundary::B2025).unwrap();
        assert!(grants.iter().all(|g| g.province == "75"));
        assert_eq!(grants.iter().map(|g| g.amount).sum::<f64>(), 6.0);
    }
}

#[test]
fn an_old_code_in_2025_is_rejected_unless_the_source_says_2008() {
    let path = tmp("vintage_old_code.csv");
    std::fs::write(
        &path,
        "year,province_code,amount_mvnd\n2025,70,2\n2025,01,4\n",
    )
    .unwrap();
    let (b, v) = read(&SourceSpec::new(Kind::Funding, &path));
    assert_eq!(b, Boundary::B2025);
    assert_eq!(rows(&v), vec![row(2025, "01", "2025")]);
    let why = reasons(&v);
    assert!(
        why[0].contains("\"70\"") && why[0].contains("34-unit"),
        "{why:?}"
    );
    // The source says its codes are the old ones: read as such, marked 2008.
    let mut spec = SourceSpec::new(Kind::Funding, &path);
    spec.boundary = Some(Boundary::B2008);
    let (b, v) = read(&spec);
    assert_eq!(b, Boundary::B2008);
    assert_eq!(
        rows(&v),
        vec![row(2025, "70", "2008"), row(2025, "01", "2008")]
    );
}

#[test]
fn names_resolve_on_the_map_of_their_year() {
    let path = tmp("vintage_names.csv");
    std::fs::write(
        &path,
        "Năm;Tỉnh;Kinh phí (triệu đồng)\n2024;Bình Phước;1\n2024;Đồng Nai;2\n2025;Đồng Nai;3\n2025;Bình Phước;4\n2026;Hà Giang;5\n2026;Tuyên Quang;6\n",
    )
    .unwrap();
    let (_, v) = read(&SourceSpec::new(Kind::Funding, &path));
    assert_eq!(
        rows(&v),
        vec![
            row(2024, "70", "2008"),
            row(2024, "75", "2008"),
            row(2025, "75", "2025"),
            row(2026, "08", "2025"),
        ]
    );
    let why = reasons(&v);
    assert_eq!(why.len(), 2, "{why:?}");
    assert!(
        why[0].contains("Bình Phước") && why[0].contains("into Đồng Nai (code 75)"),
        "{why:?}"
    );
    assert!(
        why[1].contains("Hà Giang") && why[1].contains("into Tuyên Quang (code 08)"),
        "{why:?}"
    );
    assert!(why.iter().all(|w| w.contains("boundary = \"2008\"")));
}

#[test]
fn output_of_a_merged_unit_is_refused_on_the_old_map() {
    let path = tmp("vintage_output.csv");
    std::fs::write(
        &path,
        "year,province_code,output_bvnd\n2024,75,10\n2024,70,5\n2025,75,16\n",
    )
    .unwrap();
    let (_, v) = read(&SourceSpec::new(Kind::Output, &path));
    let err = panel::output_on(&v.clean, Boundary::B2008).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("2025") && msg.contains("Đồng Nai"), "{msg}");
    assert_eq!(err.exit_code(), 3);
    // On the new map the 2024 parts add up: 10 + 5.
    let out = panel::output_on(&v.clean, Boundary::B2025).unwrap();
    assert_eq!(out[&(2024, "75".to_string(), None)].output_bvnd, Some(15.0));
    assert_eq!(out[&(2025, "75".to_string(), None)].output_bvnd, Some(16.0));
}
