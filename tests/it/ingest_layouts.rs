//! Layouts seen in real publications, each on a small file written here in that layout with
//! values chosen by hand, so every expected number is known before the file is read: stacked
//! headers, a label column without a header, the year only in the header text, a table that
//! restarts mid-sheet, region rows in some years, line breaks in header cells, column-number
//! rows, numeric and non-contiguous year headers, units that change between editions, names
//! without diacritics or with legacy-font damage, "-" against blank; and the inputs that used to
//! lose data or abort (a long CSV whose data rows vanished into the header, a stray cell at
//! XFD1048576).

use khuyencong::ingest::{self, Kind, SourceSpec};
use khuyencong::validate::{self, Validated};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub(crate) fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kc-layout-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// A cell to write.
#[derive(Clone, Copy)]
pub(crate) enum C<'a> {
    S(&'a str),
    N(f64),
    E,
}
use C::{E, N, S};

/// Writes one sheet of rows (row 1 first) to an .xlsx file.
pub(crate) fn xlsx(path: &Path, sheet: &str, rows: &[Vec<C>]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet).unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            match cell {
                S(s) => {
                    ws.write_string(r as u32, c as u16, *s).unwrap();
                }
                N(v) => {
                    ws.write_number(r as u32, c as u16, *v).unwrap();
                }
                E => {}
            }
        }
    }
    wb.save(path).unwrap();
}

/// What a test looks at besides the validated table.
pub(crate) struct Notes {
    pub notes: Vec<String>,
}

pub(crate) fn ingest_ok(spec: &SourceSpec) -> (Notes, Validated) {
    let i = ingest::ingest_file(spec).unwrap_or_else(|e| panic!("{}: {e}", spec.path.display()));
    assert_eq!(
        i.rows_in,
        i.table.height() + i.rejected.height() + i.skipped,
        "row accounting"
    );
    let notes = Notes {
        notes: i.notes.clone(),
    };
    (notes, validate::validate(i).unwrap())
}

/// (province_code, year) → value of `measure` in a clean table.
pub(crate) fn cells(v: &Validated, measure: &str) -> BTreeMap<(String, i32), Option<f64>> {
    let df = &v.clean;
    let y = df.column("year").unwrap().i32().unwrap();
    let p = df.column("province_code").unwrap().str().unwrap();
    let m = df.column(measure).unwrap().f64().unwrap();
    (0..df.height())
        .map(|i| ((p.get(i).unwrap().to_string(), y.get(i).unwrap()), m.get(i)))
        .collect()
}

fn key(code: &str, year: i32) -> (String, i32) {
    (code.to_string(), year)
}

/// The statistics office's province table: two-row title, unit row, a header stacked over three
/// rows with no header over the labels, the reference date only in the header, the country row,
/// region rows with empty values, and the table restarting with "(Cont.)" and its header.
fn gso_like(path: &Path, continuation: &str) {
    let h1 = "Chỉ số sản xuất công nghiệp";
    let h2 = "Năm 2016 so với";
    let rows = vec![
        vec![S("7. Chỉ số sản xuất công nghiệp phân theo địa phương")],
        vec![S("      phân theo địa phương")],
        vec![E],
        vec![E, E, S("%")],
        vec![E, S(h1), S(h1)],
        vec![E, S(h2), S(h2)],
        vec![E, S("tháng trước"), S("năm trước")],
        vec![S("CẢ NƯỚC "), N(100.5), N(107.5)],
        vec![S("Đồng bằng sông Hồng")],
        vec![S("Hà Nội"), N(101.25), N(107.25)],
        vec![S("Vĩnh Phúc "), N(99.5), N(104.75)],
        vec![S(continuation)],
        vec![E, E, S("%")],
        vec![E, S(h1), S(h1)],
        vec![E, S(h2), S(h2)],
        vec![E, S("tháng trước"), S("năm trước")],
        vec![S("Tây Nguyên ")],
        vec![S("Đắk Lắk"), N(100.0), N(110.5)],
        vec![S("Thừa Thiên - Huế"), N(102.0), N(96.0)],
        vec![S("Nguồn: Tổng cục Thống kê")],
    ];
    xlsx(path, "7. IIP_DP", &rows);
}

#[test]
fn stacked_header_unlabelled_names_year_from_header_and_restart() {
    for cont in [
        "7. (Tiếp theo) Chỉ số sản xuất công nghiệp phân theo địa phương",
        "7. (Cont.) Index of industrial production by province",
    ] {
        let p = tmp("gso_like.xlsx");
        gso_like(&p, cont);
        let (i, v) = ingest_ok(&SourceSpec::new(Kind::Output, &p));
        let got = cells(&v, "iip");
        let want: BTreeMap<_, _> = [
            (key("01", 2016), Some(107.25)),
            (key("26", 2016), Some(104.75)),
            (key("66", 2016), Some(110.5)),
            (key("46", 2016), Some(96.0)),
        ]
        .into_iter()
        .collect();
        assert_eq!(got, want, "{cont}: {:?}", i.notes);
        // Title 2 + unit + header 3 = 6; country, 2 regions; restart block 5 rows; the source
        // line under the table.
        assert_eq!(v.skipped, 6 + 3 + 5 + 1, "{:?}", i.notes);
        assert_eq!(v.rejected.height(), 0);
        assert!(
            i.notes
                .iter()
                .any(|n| n.contains("table restarts at row 12"))
        );
        assert!(i.notes.iter().any(|n| n.contains("previous month")));
    }
}

#[test]
fn a_month_on_month_index_alone_is_never_read_as_year_on_year() {
    let p = tmp("mom_only.xlsx");
    let h = "Chỉ số sử dụng lao động thời điểm 01/12/2024 so với cùng thời điểm tháng trước";
    xlsx(
        &p,
        "LĐ",
        &[
            vec![S("Chỉ số sử dụng lao động phân theo địa phương")],
            vec![E, S("%")],
            vec![E, S(h)],
            vec![S("Hà Nội"), N(100.49)],
            vec![S("Vĩnh Phúc"), N(100.85)],
        ],
    );
    let err = ingest::ingest_file(&SourceSpec::new(Kind::Output, &p))
        .err()
        .expect("a month-on-month column alone must not be read");
    let msg = err.to_string();
    assert!(msg.contains("no measure column"), "{msg}");
    assert!(msg.contains("columns = {"), "{msg}");
    // Named by the person who knows better, it is read under the name given.
    let mut spec = SourceSpec::new(Kind::Output, &p);
    spec.columns.insert("B".into(), "employment_index".into());
    let (_, v) = ingest_ok(&spec);
    assert_eq!(
        cells(&v, "employment_index")[&key("01", 2024)],
        Some(100.49)
    );
}

#[test]
fn yearbook_wide_table_numeric_years_numbering_row_breaks_and_dashes() {
    // Provincial yearbook layout: years stored as numbers and not contiguous, a preliminary
    // year with a line break in its header, a column-number row, names without diacritics,
    // "-" (no activity) against blank (unknown).
    let p = tmp("yearbook.xlsx");
    xlsx(
        &p,
        "Bieu 12",
        &[
            vec![S("Giá trị sản xuất công nghiệp phân theo ðịa phương")],
            vec![S("Đơn vị tính: Tỷ đồng")],
            vec![
                S("Tỉnh, thành phố"),
                N(2015.0),
                N(2018.0),
                S("Nãm 2019"),
                N(2020.0),
                S("Sơ bộ\n2021"),
            ],
            vec![S("(1)"), S("(2)"), S("(3)"), S("(4)"), S("(5)"), S("(6)")],
            vec![
                S("CA NUOC"),
                N(1000.0),
                N(1100.0),
                N(1200.0),
                N(1300.0),
                N(1400.0),
            ],
            vec![S("TP. Ha Noi"), N(10.0), N(11.0), S("-"), E, N(14.5)],
            vec![S("Tinh Vinh Phuc"), N(5.0), N(6.0), N(7.0), N(8.0), S("..")],
            // "Đà Nẵng" with the Latin ETH of damaged files for "Đ".
            vec![S("\u{00D0}à Nẵng"), N(3.0), E, E, E, E],
        ],
    );
    let (i, v) = ingest_ok(&SourceSpec::new(Kind::Output, &p));
    let got = cells(&v, "output_bvnd");
    let want: BTreeMap<_, _> = [
        (key("01", 2015), Some(10.0)),
        (key("01", 2018), Some(11.0)),
        (key("01", 2019), Some(0.0)),
        (key("01", 2021), Some(14.5)),
        (key("26", 2015), Some(5.0)),
        (key("26", 2018), Some(6.0)),
        (key("26", 2019), Some(7.0)),
        (key("26", 2020), Some(8.0)),
        (key("48", 2015), Some(3.0)),
    ]
    .into_iter()
    .collect();
    assert_eq!(got, want, "{:?}", i.notes);
    // Title, unit, header, numbering row; the country row; six unknown cells.
    assert_eq!(v.skipped, 4 + 1 + 2 + 4, "{:?}", i.notes);
    assert!(
        i.notes.iter().any(|n| n.contains("read as 0")),
        "{:?}",
        i.notes
    );
}

#[test]
fn units_changing_between_editions_give_the_same_amounts() {
    // Two editions of one table, one in million VND, the next in billion VND.
    let mut got = Vec::new();
    for (unit, hn, vp) in [("triệu đồng", 2520.0, 780.5), ("tỷ đồng", 2.52, 0.7805)] {
        let p = tmp(&format!("edition_{}.xlsx", unit.len()));
        let header = format!("Kinh phí KCQG\n({unit})");
        xlsx(
            &p,
            "Phụ lục",
            &[
                vec![S("DANH MỤC ĐỀ ÁN KHUYẾN CÔNG QUỐC GIA")],
                vec![
                    S("STT"),
                    S("Tên đề án"),
                    S("Địa điểm"),
                    S("Năm"),
                    S(&header),
                ],
                vec![S("(1)"), S("(2)"), S("(3)"), S("(4)"), S("(5)")],
                vec![
                    N(1.0),
                    S("Máy sấy nông sản"),
                    S("TP. Ha Noi"),
                    N(2020.0),
                    N(hn),
                ],
                vec![
                    N(2.0),
                    S("Đào tạo nghề"),
                    S("Tinh Vinh Phuc"),
                    N(2021.0),
                    N(vp),
                ],
            ],
        );
        let (i, v) = ingest_ok(&SourceSpec::new(Kind::Funding, &p));
        assert!(
            i.notes.iter().any(|n| n.contains("column numbers")),
            "{:?}",
            i.notes
        );
        assert_eq!(v.rejected.height(), 0);
        got.push(cells(&v, "amount_mvnd"));
    }
    assert_eq!(got[0][&key("01", 2020)], Some(2520.0));
    for (k, a) in &got[0] {
        let b = got[1][k].unwrap();
        assert!((a.unwrap() - b).abs() < 1e-9, "{k:?}: {a:?} vs {b}");
    }
}

#[test]
fn data_rows_never_vanish_into_the_header() {
    let p = tmp("small_long.csv");
    std::fs::write(
        &p,
        "year,province_code,amount_mvnd\n2020,01,5\n2020,01,7\n2020,99,abc\n2021,02,3\n",
    )
    .unwrap();
    let i = ingest::ingest_file(&SourceSpec::new(Kind::Funding, &p)).unwrap();
    assert!(
        !i.notes.iter().any(|n| n.contains("header")),
        "no header continuation: {:?}",
        i.notes
    );
    assert_eq!(i.rows_in, 5);
    assert_eq!(i.skipped, 1, "only the header line");
    assert_eq!(i.table.height(), 3);
    assert_eq!(i.rejected.height(), 1);
    let rows = i.rejected.column("source_row").unwrap().i64().unwrap();
    assert_eq!(rows.get(0), Some(4));
    let amounts: Vec<f64> = i
        .table
        .column("amount_mvnd")
        .unwrap()
        .f64()
        .unwrap()
        .into_no_null_iter()
        .collect();
    assert_eq!(amounts, vec![5.0, 7.0, 3.0]);
}

#[test]
fn a_real_numbering_row_is_named_in_a_note() {
    let p = tmp("numbered.csv");
    std::fs::write(&p, "Năm;Tỉnh;Kinh phí (triệu đồng)\nA;B;1\n2020;Hà Nội;5\n").unwrap();
    let i = ingest::ingest_file(&SourceSpec::new(Kind::Funding, &p)).unwrap();
    assert!(
        i.notes.iter().any(|n| n.contains("row 2 (column numbers)")),
        "{:?}",
        i.notes
    );
    assert_eq!(i.table.height(), 1);
}

#[test]
fn a_stray_cell_at_xfd1048576_costs_nothing() {
    let p = tmp("stray.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["Năm", "Tỉnh", "Kinh phí (triệu đồng)"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_number(1, 0, 2020.0).unwrap();
    ws.write_string(1, 1, "Bình Phước").unwrap();
    ws.write_number(1, 2, 3916.7).unwrap();
    ws.write_number(1_048_575, 16_383, 1.0).unwrap();
    wb.save(&p).unwrap();
    let size = std::fs::metadata(&p).unwrap().len();
    assert!(size < 10_000, "a small workbook: {size} bytes");
    // In a child process: an abort would not be catchable here.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_khuyencong"))
        .args(["ingest", p.to_str().unwrap(), "--kind", "funding", "--out"])
        .arg(tmp("stray.parquet"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let i = ingest::ingest_file(&SourceSpec::new(Kind::Funding, &p)).unwrap();
    assert_eq!(i.table.height(), 1);
    assert_eq!(i.skipped, 2, "header and the stray row");
    assert!(
        i.notes.iter().any(|n| n.contains("rows 1048576")),
        "{:?}",
        i.notes
    );
}

#[test]
fn undecidable_layout_says_what_it_saw_and_the_keys_that_fix_it() {
    let p = tmp("undecidable.xlsx");
    xlsx(
        &p,
        "S",
        &[
            vec![S("Bảng số liệu")],
            vec![E, S("cột một"), S("cột hai")],
            vec![S("mã 01"), N(5.0), N(6.0)],
            vec![S("mã 26"), N(7.0), N(8.0)],
        ],
    );
    let err = ingest::ingest_file(&SourceSpec::new(Kind::Output, &p))
        .err()
        .expect("nothing to go by");
    let msg = err.to_string();
    for part in ["row 2:", "B=\"cột một\"", "header_rows", "year", "columns"] {
        assert!(msg.contains(part), "{part} missing in: {msg}");
    }
    // The keys the message names make it readable.
    let mut spec = SourceSpec::new(Kind::Output, &p);
    spec.header_rows = Some("2".into());
    spec.year = Some(2022);
    spec.columns.insert("A".into(), "province_code".into());
    spec.columns.insert("C".into(), "iip".into());
    let i = ingest::ingest_file(&spec);
    // "mã 01" is not a code; the rows are rejected with the value shown, not lost.
    let i = i.unwrap();
    assert_eq!(
        i.rows_in,
        i.table.height() + i.rejected.height() + i.skipped
    );
}

#[test]
fn measure_key_places_the_one_unplaced_column() {
    let p = tmp("measure.csv");
    std::fs::write(
        &p,
        "Chỉ tiêu phân theo địa phương năm 2023\nTỉnh;Giá trị\nHà Nội;103,5\nVĩnh Phúc;98,25\n",
    )
    .unwrap();
    let mut spec = SourceSpec::new(Kind::Output, &p);
    spec.measure = Some("iip".into());
    let (i, v) = ingest_ok(&spec);
    let got = cells(&v, "iip");
    assert_eq!(got[&key("01", 2023)], Some(103.5), "{:?}", i.notes);
    assert_eq!(got[&key("26", 2023)], Some(98.25));
}

#[test]
fn the_keys_work_as_ingest_flags() {
    let p = tmp("flags.xlsx");
    xlsx(
        &p,
        "S",
        &[
            vec![S("Bảng số liệu")],
            vec![E, S("cột một"), S("cột hai")],
            vec![S("01"), N(5.0), N(101.5)],
            vec![S("26"), N(7.0), N(99.25)],
        ],
    );
    let bin = || std::process::Command::new(env!("CARGO_BIN_EXE_khuyencong"));
    let out = tmp("flags.parquet");
    // Without keys: a data error (exit 3) that names the keys.
    let o = bin()
        .args(["ingest", p.to_str().unwrap(), "--kind", "output", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stderr).contains("header_rows"));
    // With them, as a pipeline would give them.
    let o = bin()
        .args(["ingest", p.to_str().unwrap(), "--kind", "output"])
        .args(["--header-rows", "2", "--year", "2022"])
        .args(["--column", "A=province_code", "--column", "C=iip"])
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
    let df = khuyencong::io::read_parquet(&out).unwrap();
    let iip: Vec<f64> = df
        .column("iip")
        .unwrap()
        .f64()
        .unwrap()
        .into_no_null_iter()
        .collect();
    assert_eq!(iip, vec![101.5, 99.25]);
    let years = df.column("year").unwrap().i32().unwrap();
    assert!(years.iter().all(|y| y == Some(2022)));
    // A malformed key is a usage error (exit 2).
    let o = bin()
        .args(["ingest", p.to_str().unwrap(), "--kind", "output"])
        .args(["--column", "C:iip"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let o = bin()
        .args(["ingest", p.to_str().unwrap(), "--kind", "output"])
        .args(["--header-rows", "7-5"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn random_sheets_in_the_real_layouts_never_panic() {
    // Sheets put together at random from the pieces of real layouts (titles, unit rows, stacked
    // header texts, continuation titles, column numbers, region and province names with and
    // without diacritics, numbers, dashes, years, dates) and stray cells far from the table.
    let pieces: &[C] = &[
        S("16. Chỉ số sử dụng lao động của doanh nghiệp công nghiệp "),
        S("16. (Tiếp theo) Chỉ số sử dụng lao động"),
        S("(Cont.)"),
        S("%"),
        S("Đơn vị tính: Tỷ đồng"),
        S("Chỉ số sử dụng lao động"),
        S(" thời điểm 01/12/2024 so với"),
        S("cùng thời điểm tháng trước"),
        S("cùng thời điểm năm trước"),
        S("Năm 2016 so với năm 2015"),
        S("Kinh phí KCQG\n(triệu đồng)"),
        S("Sơ bộ\n2016"),
        S("Nãm"),
        S("Tỉnh"),
        S("(1)"),
        S("(2)"),
        S("A"),
        S("3=1+2"),
        S("CẢ NƯỚC "),
        S("CA NUOC"),
        S("Tây Nguyên "),
        S("Hà Nội"),
        S("TP. Ha Noi"),
        S("Tinh Vinh Phuc"),
        S("Ðồng Nai"),
        S("Bình Phước"),
        S("Thừa Thiên - Huế"),
        S("-"),
        S(".."),
        S("1.234,5"),
        S("abc"),
        N(2015.0),
        N(2024.0),
        N(1.0),
        N(101.25),
        N(-3.0),
        N(1e300),
        E,
        E,
        E,
    ];
    let mut rng = khuyencong::stats::rng::Rng::new(1207);
    for i in 0..60 {
        let height = 1 + rng.below(14);
        let width = 1 + rng.below(6);
        let rows: Vec<Vec<C>> = (0..height)
            .map(|_| {
                (0..width)
                    .map(|_| pieces[rng.below(pieces.len())])
                    .collect()
            })
            .collect();
        let p = tmp(&format!("random{i}.xlsx"));
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                match cell {
                    S(s) => {
                        ws.write_string(r as u32, c as u16, *s).unwrap();
                    }
                    N(v) => {
                        ws.write_number(r as u32, c as u16, *v).unwrap();
                    }
                    E => {}
                }
            }
        }
        if i % 3 == 0 {
            let (r, c) = (rng.below(1_048_576) as u32, rng.below(16_384) as u16);
            ws.write_number(r, c, 7.0).unwrap();
        }
        wb.save(&p).unwrap();
        for kind in [Kind::Output, Kind::Funding] {
            let mut spec = SourceSpec::new(kind, &p);
            if i % 4 == 1 {
                spec.header_rows = Some(format!("{}-{}", 1 + i % 3, 2 + i % 3));
                spec.year = Some(2020);
            }
            if i % 5 == 2 {
                spec.columns.insert("B".into(), "employment_index".into());
            }
            if let Ok(ing) = ingest::ingest_file(&spec) {
                assert_eq!(
                    ing.rows_in,
                    ing.table.height() + ing.rejected.height() + ing.skipped
                );
                let v = validate::validate(ing).unwrap();
                assert_eq!(
                    v.rows_in,
                    v.clean.height() + v.rejected.height() + v.skipped
                );
            }
        }
    }
}

#[test]
fn source_keys_in_a_pipeline_file_are_checked_when_it_loads() {
    use khuyencong::pipeline::config::Pipeline;
    let dir = tmp("keys_pipeline");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("p.toml");
    let source = |extra: &str| {
        format!(
            "name = \"real\"\n[[sources]]\nkind = \"output\"\npath = \"x.xlsx\"\nsheet = \"16. LĐCN_DP\"\n{extra}\n"
        )
    };
    std::fs::write(
        &p,
        source("header_rows = \"5-7\"\nyear = 2024\nmeasure = \"employment_index\"\nunits = \"tỷ đồng\"\nboundary = \"2008\"\ncolumns = { C = \"employment_index\", B = \"ignore\" }"),
    )
    .unwrap();
    let loaded = Pipeline::load(&p).unwrap();
    let s = &loaded.file.sources[0];
    assert_eq!(s.header_rows.as_deref(), Some("5-7"));
    assert_eq!(s.year, Some(2024));
    for (extra, key) in [
        ("header_rows = \"7-5\"", "header_rows"),
        ("measure = \"amount_mvnd\"", "measure"),
        ("columns = { C = \"employment_idx\" }", "columns"),
        ("units = \"gallons\"", "units"),
        ("year = 1800", "year"),
        ("header_rowz = \"5-7\"", "header_rowz"),
    ] {
        std::fs::write(&p, source(extra)).unwrap();
        let err = Pipeline::load(&p).unwrap_err();
        assert_eq!(err.exit_code(), 2, "{extra}");
        assert!(err.to_string().contains(key), "{extra}: {err}");
    }
}

#[test]
fn a_wide_table_of_month_on_month_indices_is_refused() {
    let p = tmp("wide_mom.xlsx");
    let rows = |title: &'static str| {
        vec![
            vec![S(title)],
            vec![S("Tỉnh"), S("2023"), S("2024")],
            vec![S("Hà Nội"), N(100.5), N(101.25)],
            vec![S("Vĩnh Phúc"), N(99.5), N(100.75)],
        ]
    };
    xlsx(
        &p,
        "S",
        &rows("Chỉ số sản xuất công nghiệp tháng 12 so với tháng trước (%)"),
    );
    let err = ingest::ingest_file(&SourceSpec::new(Kind::Output, &p))
        .err()
        .expect("month-on-month indices are not iip");
    assert!(err.to_string().contains("previous month"), "{err}");
    // The same table compared with the previous year is read as iip.
    xlsx(
        &p,
        "S",
        &rows("Chỉ số sản xuất công nghiệp (năm trước = 100)"),
    );
    let (_, v) = ingest_ok(&SourceSpec::new(Kind::Output, &p));
    assert_eq!(cells(&v, "iip")[&key("01", 2024)], Some(101.25));
}
