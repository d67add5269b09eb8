//! Ingest and validate on fixtures in each real layout. The wide fixtures are built from the real
//! GSO table `data/reference/iip_province_2012_2016.csv` (industrial production index by
//! province), so the expected values are the statistics office's own numbers.

use khuyencong::ingest::{self, Ingested, Kind, SourceSpec};
use khuyencong::reference::{Boundary, Reference};
use khuyencong::validate::{self, Validated};
use polars::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use unicode_normalization::UnicodeNormalization;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kc-ingest-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// (code, year) → IIP from the reference table, provinces only.
fn reference_iip() -> BTreeMap<(String, i32), f64> {
    let text =
        std::fs::read_to_string(root().join("data/reference/iip_province_2012_2016.csv")).unwrap();
    let rows = khuyencong::text::split_csv(&text);
    let h = &rows[0];
    let ci = |n: &str| h.iter().position(|x| x == n).unwrap();
    let (c, y, v) = (ci("code_gso"), ci("year"), ci("iip_prev_year_eq_100"));
    rows[1..]
        .iter()
        .filter(|r| r.len() > v && Reference::get().province(&r[c]).is_some() && !r[v].is_empty())
        .map(|r| ((r[c].clone(), r[y].parse().unwrap()), r[v].parse().unwrap()))
        .collect()
}

/// (code, year) → value of one measure from a clean table.
fn values(df: &DataFrame, measure: &str) -> BTreeMap<(String, i32), f64> {
    let y = df.column("year").unwrap().i32().unwrap();
    let p = df.column("province_code").unwrap().str().unwrap();
    let v = df.column(measure).unwrap().f64().unwrap();
    (0..df.height())
        .map(|i| {
            (
                (p.get(i).unwrap().to_string(), y.get(i).unwrap()),
                v.get(i).unwrap(),
            )
        })
        .collect()
}

fn assert_same(got: &BTreeMap<(String, i32), f64>, want: &BTreeMap<(String, i32), f64>) {
    assert_eq!(got.len(), want.len(), "row count");
    for (k, w) in want {
        let g = got.get(k).unwrap_or_else(|| panic!("missing {k:?}"));
        assert!((g - w).abs() < 1e-9, "{k:?}: {g} vs {w}");
    }
}

fn accounted(i: &Ingested) {
    assert_eq!(
        i.rows_in,
        i.table.height() + i.rejected.height() + i.skipped
    );
}

fn run(spec: &SourceSpec) -> (Ingested, Validated) {
    let i = ingest::ingest_file(spec).unwrap_or_else(|e| panic!("{}: {e}", spec.path.display()));
    accounted(&i);
    let copy = Ingested {
        spec: i.spec.clone(),
        table: i.table.clone(),
        rejected: i.rejected.clone(),
        rows_in: i.rows_in,
        skipped: i.skipped,
        boundary: i.boundary,
        notes: i.notes.clone(),
        checks: i.checks.clone(),
        headers: i.headers.clone(),
    };
    let v = validate::validate(copy).unwrap();
    assert_eq!(
        v.rows_in,
        v.clean.height() + v.rejected.height() + v.skipped
    );
    (i, v)
}

fn reasons(df: &DataFrame) -> Vec<(i64, String)> {
    let r = df.column("source_row").unwrap().i64().unwrap();
    let s = df.column("reason").unwrap().str().unwrap();
    (0..df.height())
        .map(|i| (r.get(i).unwrap(), s.get(i).unwrap().to_string()))
        .collect()
}

/// Provinces in GSO table order with their region, for building yearbook-shaped tables.
fn provinces_in_table_order() -> Vec<&'static khuyencong::reference::Province> {
    let mut p: Vec<_> = Reference::get().provinces.iter().collect();
    p.sort_by_key(|p| p.table_order);
    p
}

/// A province name in one of the forms real files use, chosen by `k`.
fn name_form(p: &khuyencong::reference::Province, k: usize) -> String {
    match k % 8 {
        0 => p.name.clone(),
        1 => p.name_ascii.clone(),
        2 => p.name.nfd().collect(),
        3 => p.official_name.clone(),
        4 => p.name.to_uppercase(),
        5 => p
            .name
            .replace('Đ', "\u{00D0}")
            .replace("Hòa", "Hoà")
            .replace("Hóa", "Hoá"),
        6 => format!("  {}  ", p.name_en.replace(' ', "  ")),
        _ => match p.code.as_str() {
            "79" => "TP. Hồ Chí Minh".into(),
            "46" => "Huế".into(),
            "01" => "TP.Hà Nội".into(),
            _ => format!("Tỉnh {}", p.name_ascii),
        },
    }
}

fn vi_num(v: f64) -> String {
    format!("{v:.1}").replace('.', ",")
}

/// The reference IIP as a Vietnamese yearbook CSV: BOM, CRLF, ';', title, region rows,
/// Vietnamese decimals, ".." for missing, a "Sơ bộ 2016" column beside the final 2016.
fn vietnamese_wide_csv(form_shift: usize) -> (String, BTreeMap<(String, i32), f64>) {
    let want = reference_iip();
    let mut s = String::from(
        "\u{feff}\"Chỉ số sản xuất công nghiệp phân theo địa phương (Năm trước = 100) - %\"\r\n\r\n",
    );
    s.push_str(
        "\"Tỉnh, thành phố\";\"2012\";\"2013\";\"2014\";\"2015\";\"Sơ bộ 2016\";\"2016\"\r\n",
    );
    s.push_str("\"CẢ NƯỚC\";105,8;105,9;107,6;109,8;107,0;107,4\r\n");
    let mut region = 0;
    let mut expected = BTreeMap::new();
    for (k, p) in provinces_in_table_order().into_iter().enumerate() {
        if p.region_id != region {
            region = p.region_id;
            s.push_str(&format!("\"{}\";..;..;..;..;..;..\r\n", p.region_vi));
        }
        s.push_str(&format!("\"{}\"", name_form(p, k + form_shift)));
        for y in 2012..=2016 {
            let v = want.get(&(p.code.clone(), y));
            if y == 2016 {
                // The preliminary value differs on purpose: the final one must win.
                s.push_str(&format!(
                    ";{}",
                    v.map(|v| vi_num(v - 1.0)).unwrap_or("..".into())
                ));
            }
            match v {
                // Every 11th province has a missing 2013 cell, as real tables do.
                Some(_) if y == 2013 && k % 11 == 0 => s.push_str(";.."),
                Some(v) => {
                    s.push_str(&format!(";{}", vi_num(*v)));
                    expected.insert((p.code.clone(), y), *v);
                }
                None => s.push_str(";.."),
            }
        }
        s.push_str("\r\n");
    }
    (s, expected)
}

#[test]
fn raw_gso_english_export_equals_reference() {
    let path =
        root().join("data/reference/gso_raw/gso_en_export_iip_by_province_2012_2016_raw.csv");
    let (i, v) = run(&SourceSpec::new(Kind::Output, &path));
    assert_same(&values(&v.clean, "iip"), &reference_iip());
    assert_eq!(v.clean.height(), 63 * 5);
    assert_eq!(v.rejected.height(), 0);
    // Title, header, WHOLE COUNTRY and six region rows.
    assert_eq!(i.skipped, 9);
    assert_eq!(i.rows_in, 315 + 9);
    assert_eq!(i.boundary, Boundary::B2008);
    assert!(v.clean.column("output_bvnd").unwrap().null_count() == 315);
    let rows = v.clean.column("source_row").unwrap().i64().unwrap();
    // "Ha Noi" is on line 6 of the file (title, blank, header, WHOLE COUNTRY, Red River Delta).
    assert_eq!(rows.get(0), Some(6));
}

#[test]
fn vietnamese_wide_csv_with_every_name_form() {
    for shift in 0..8 {
        let (text, expected) = vietnamese_wide_csv(shift);
        let path = tmp(&format!("vi_wide_{shift}.csv"));
        std::fs::write(&path, text.as_bytes()).unwrap();
        let (i, v) = run(&SourceSpec::new(Kind::Output, &path));
        assert_eq!(v.rejected.height(), 0, "{:?}", reasons(&v.rejected));
        assert_same(&values(&v.clean, "iip"), &expected);
        // Each resolved province row: 5 used cells; its "Sơ bộ 2016" cell is superseded.
        let missing = 63 * 5 - expected.len();
        assert_eq!(i.skipped, 2 + 1 + 6 + 63 + missing);
    }
}

#[test]
fn utf16_tab_csv_as_excel_saves_it() {
    let (text, expected) = vietnamese_wide_csv(3);
    let text = text.trim_start_matches('\u{feff}').replace(';', "\t");
    for le in [true, false] {
        let mut bytes = if le {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for u in text.encode_utf16() {
            bytes.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        let path = tmp(&format!("utf16_{le}.csv"));
        std::fs::write(&path, bytes).unwrap();
        let (_, v) = run(&SourceSpec::new(Kind::Output, &path));
        assert_same(&values(&v.clean, "iip"), &expected);
    }
}

#[test]
fn xlsx_wide_with_title_rows_merged_cells_and_text_numbers() {
    use rust_xlsxwriter::{Format, Workbook};
    let want = reference_iip();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Bieu 12").unwrap();
    let f = Format::new();
    ws.merge_range(
        0,
        0,
        0,
        5,
        "Chỉ số sản xuất công nghiệp phân theo địa phương",
        &f,
    )
    .unwrap();
    ws.merge_range(1, 0, 1, 5, "Đơn vị tính: %", &f).unwrap();
    ws.write_string(3, 0, "Tỉnh, thành phố").unwrap();
    for (j, y) in (2012..=2016).enumerate() {
        let label = if y == 2016 {
            "Prel. 2016".to_string()
        } else {
            y.to_string()
        };
        ws.write_string(3, j as u16 + 1, label).unwrap();
    }
    let mut r = 4u32;
    let mut region = 0;
    let mut expected = BTreeMap::new();
    for (k, p) in provinces_in_table_order().into_iter().enumerate() {
        if p.region_id != region {
            region = p.region_id;
            // Region labels merged across the row, as yearbooks print them.
            ws.merge_range(r, 0, r, 5, &p.region_vi, &f).unwrap();
            r += 1;
        }
        ws.write_string(r, 0, name_form(p, k)).unwrap();
        for (j, y) in (2012..=2016).enumerate() {
            let v = want[&(p.code.clone(), y)];
            expected.insert((p.code.clone(), y), v);
            if (k + j) % 3 == 0 {
                // Numbers stored as text, Vietnamese style.
                ws.write_string(r, j as u16 + 1, vi_num(v)).unwrap();
            } else if (k + j) % 7 == 1 {
                // A formula: the reader takes the value Excel cached.
                let f = rust_xlsxwriter::Formula::new(format!("={v}+0")).set_result(v.to_string());
                ws.write_formula(r, j as u16 + 1, f).unwrap();
            } else {
                ws.write_number(r, j as u16 + 1, v).unwrap();
            }
        }
        r += 1;
    }
    let path = tmp("wide.xlsx");
    wb.save(&path).unwrap();
    let (i, v) = run(&SourceSpec::new(Kind::Output, &path));
    assert_eq!(v.rejected.height(), 0, "{:?}", reasons(&v.rejected));
    assert_same(&values(&v.clean, "iip"), &expected);
    // Two title rows, header, six merged region rows.
    assert_eq!(i.skipped, 9);
    let rows = v.clean.column("source_row").unwrap().i64().unwrap();
    // Hà Nội is on Excel row 6 (title, unit, blank, header, region).
    assert_eq!(rows.get(0), Some(6));
}

#[test]
fn output_in_billions_and_millions_converts_units() {
    let want = reference_iip();
    let build = |unit: &str, scale: f64| {
        let mut s = format!(
            "\"Giá trị sản xuất công nghiệp nông thôn ({unit})\"\n\"Tỉnh\";\"2015\";\"2016 (*)\"\n"
        );
        for p in provinces_in_table_order() {
            let a = want[&(p.code.clone(), 2015)] * 37.5 * scale;
            let b = want[&(p.code.clone(), 2016)] * 37.5 * scale;
            // Thousands dots and a decimal comma: "3.916,7".
            let fmt = |v: f64| {
                let tenths = (v * 10.0).round() as i64;
                let digits = (tenths / 10).to_string();
                let mut out = String::new();
                for (n, ch) in digits.chars().enumerate() {
                    if n > 0 && (digits.len() - n).is_multiple_of(3) {
                        out.push('.');
                    }
                    out.push(ch);
                }
                format!("{out},{}", tenths % 10)
            };
            s.push_str(&format!("\"{}\";{};{}\n", p.name, fmt(a), fmt(b)));
        }
        s
    };
    let bil = tmp("out_bil.csv");
    std::fs::write(&bil, build("Tỷ đồng", 1.0)).unwrap();
    let mil = tmp("out_mil.csv");
    std::fs::write(&mil, build("triệu đồng", 1000.0)).unwrap();
    let (_, vb) = run(&SourceSpec::new(Kind::Output, &bil));
    let (_, vm) = run(&SourceSpec::new(Kind::Output, &mil));
    let b = values(&vb.clean, "output_bvnd");
    let m = values(&vm.clean, "output_bvnd");
    assert_eq!(b.len(), 126);
    for (k, v) in &b {
        let expect = want[k] * 37.5;
        assert!((v - expect).abs() <= 0.05 + 1e-9, "{k:?} {v} {expect}");
        // The same values in million VND come back in billions.
        assert!((m[k] - v).abs() <= 0.05 + 1e-9, "{k:?}");
    }
}

#[test]
fn long_csv_canonical_fast_path_and_parquet() {
    let want = reference_iip();
    let mut s =
        String::from("year,province_code,sector_code,output_bvnd,iip,employment,establishments\n");
    for ((code, y), v) in &want {
        s.push_str(&format!("{y},{code},,,{v},,\n"));
    }
    let path = tmp("long.csv");
    std::fs::write(&path, &s).unwrap();
    let (i, v) = run(&SourceSpec::new(Kind::Output, &path));
    assert!(
        i.notes.iter().any(|n| n.contains("polars")),
        "{:?}",
        i.notes
    );
    assert_same(&values(&v.clean, "iip"), &want);
    assert_eq!(i.skipped, 1);
    // Codes keep their leading zero.
    assert!(values(&v.clean, "iip").contains_key(&("01".to_string(), 2012)));
    // The clean table written as Parquet reads back identically.
    let pq = tmp("long.parquet");
    let mut clean = v.clean.clone();
    khuyencong::io::write_parquet(&mut clean, &pq).unwrap();
    let (_, v2) = run(&SourceSpec::new(Kind::Output, &pq));
    assert_same(&values(&v2.clean, "iip"), &want);
}

#[test]
fn long_csv_with_vietnamese_headers_and_names() {
    let want = reference_iip();
    let mut s = String::from("Năm;Tỉnh/thành phố;Chỉ số SXCN (%)\n");
    let provinces = provinces_in_table_order();
    for (k, p) in provinces.iter().enumerate() {
        for y in 2012..=2016 {
            s.push_str(&format!(
                "{y};{};{}%\n",
                name_form(p, k + y as usize),
                vi_num(want[&(p.code.clone(), y)])
            ));
        }
    }
    let path = tmp("long_vi.csv");
    std::fs::write(&path, &s).unwrap();
    let (_, v) = run(&SourceSpec::new(Kind::Output, &path));
    assert_eq!(v.rejected.height(), 0, "{:?}", reasons(&v.rejected));
    assert_same(&values(&v.clean, "iip"), &want);
}

/// A ministry-style project list: merged title rows, header on row 5, year group rows, projects
/// run by regional centres in other provinces, amounts partly text, a total row, and planted bad
/// rows.
fn kcqg_xlsx(path: &Path) {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Danh mục").unwrap();
    let f = Format::new();
    ws.merge_range(0, 0, 0, 14, "BỘ CÔNG THƯƠNG", &f).unwrap();
    ws.merge_range(1, 0, 1, 14, "DANH MỤC ĐỀ ÁN KHUYẾN CÔNG QUỐC GIA", &f)
        .unwrap();
    ws.merge_range(2, 0, 2, 14, "(Đơn vị: triệu đồng)", &f)
        .unwrap();
    let header = [
        "STT",
        "Mã đề án",
        "Tên đề án",
        "Đơn vị thực hiện",
        "Đơn vị thụ hưởng",
        "Địa điểm thực hiện",
        "Mã ngành",
        "Nội dung hỗ trợ",
        "Năm",
        "Kinh phí kế hoạch",
        "Kinh phí KCQG hỗ trợ",
        "Số học viên kế hoạch",
        "Số học viên thực hiện",
        "Số mô hình kế hoạch",
        "Số mô hình thực hiện",
    ];
    for (j, h) in header.iter().enumerate() {
        ws.write_string(4, j as u16, *h).unwrap();
    }
    enum V {
        S(&'static str),
        N(f64),
        E,
    }
    use V::{E, N, S};
    let rows: Vec<Vec<V>> = vec![
        // Row 6: group header with a subtotal.
        vec![
            S("I"),
            E,
            S("Năm 2018"),
            E,
            E,
            E,
            E,
            E,
            E,
            N(9000.0),
            N(8000.0),
        ],
        // Row 7: run by a regional centre, carried out in Bình Phước.
        vec![
            N(1.0),
            S("KCQG-2018-001"),
            S("Mô hình chế biến điều"),
            S("Trung tâm Khuyến công và Tư vấn phát triển công nghiệp II"),
            S("Công ty TNHH Điều Bình Phước"),
            S("Tỉnh Bình Phước"),
            S("10"),
            S("Xây dựng mô hình trình diễn kỹ thuật chế biến hạt điều"),
            N(2018.0),
            N(1500.0),
            S("1.250,5"),
            E,
            E,
            N(1.0),
            N(1.0),
        ],
        // Row 8: Thanh Hoá, old accent placement, text amount.
        vec![
            N(2.0),
            S("KCQG-2018-002"),
            S("Máy dệt"),
            S("Sở Công Thương Thanh Hóa"),
            S("HTX Dệt"),
            S("Thanh Hoá"),
            S("13"),
            S("Hỗ trợ ứng dụng máy móc thiết bị tiên tiến"),
            N(2018.0),
            N(900.0),
            S("800"),
            E,
            E,
            E,
            E,
        ],
        // Row 9: unknown place (misspelt).
        vec![
            N(3.0),
            S("KCQG-2018-003"),
            S("Đào tạo"),
            S("TTKC"),
            S("Cơ sở A"),
            S("Binh Phuok"),
            S("10"),
            S("Đào tạo nghề"),
            N(2018.0),
            N(100.0),
            N(90.0),
            N(60.0),
            N(45.0),
            E,
            E,
        ],
        // Row 10: negative amount.
        vec![
            N(4.0),
            S("KCQG-2018-004"),
            S("Hội chợ"),
            S("TTKC"),
            S("Cơ sở B"),
            S("Thừa Thiên Huế"),
            S("32"),
            S("Tổ chức hội chợ triển lãm"),
            N(2018.0),
            N(100.0),
            N(-50.0),
            E,
            E,
            E,
            E,
        ],
        // Row 11: non-numeric amount.
        vec![
            N(5.0),
            S("KCQG-2018-005"),
            S("Tư vấn"),
            S("TTKC"),
            S("Cơ sở C"),
            S("TP. Hồ Chí Minh"),
            S("22"),
            S("Tư vấn lập dự án"),
            N(2018.0),
            N(600.0),
            S("khoảng 500"),
            E,
            E,
            E,
            E,
        ],
        // Row 12: group header 2019.
        vec![
            S("II"),
            E,
            S("Năm 2019"),
            E,
            E,
            E,
            E,
            E,
            E,
            N(3000.0),
            N(2500.0),
        ],
        // Rows 13 and 14: the same project code with conflicting amounts.
        vec![
            N(1.0),
            S("KCQG-2019-001"),
            S("Năng lực quản lý"),
            S("TTKC"),
            S("DN D"),
            S("Ha Noi"),
            S("25"),
            S("Nâng cao năng lực quản lý doanh nghiệp"),
            N(2019.0),
            N(400.0),
            N(350.0),
            N(60.0),
            N(52.0),
            E,
            E,
        ],
        vec![
            N(2.0),
            S("KCQG-2019-001"),
            S("Năng lực quản lý"),
            S("TTKC"),
            S("DN D"),
            S("Ha Noi"),
            S("25"),
            S("Nâng cao năng lực quản lý doanh nghiệp"),
            N(2019.0),
            N(400.0),
            N(380.0),
            N(60.0),
            N(52.0),
            E,
            E,
        ],
        // Row 15: Đồng Nai spelt with the Latin ETH.
        vec![
            N(3.0),
            S("KCQG-2019-002"),
            S("Hội thảo"),
            S("TTKC"),
            S("Sở Công Thương"),
            S("\u{00D0}ồng Nai"),
            E,
            S("Tổ chức hội nghị, hội thảo chuyên đề"),
            N(2019.0),
            N(120.0),
            S("110,25"),
            E,
            E,
            E,
            E,
        ],
        // Row 16: the total of valid rows (1250.5 + 800 + 350 + 110.25).
        vec![
            E,
            E,
            S("TỔNG CỘNG"),
            E,
            E,
            E,
            E,
            E,
            E,
            N(12000.0),
            N(2510.75),
        ],
    ];
    for (i, row) in rows.iter().enumerate() {
        for (j, v) in row.iter().enumerate() {
            let (r, c) = (5 + i as u32, j as u16);
            match v {
                S(s) => {
                    ws.write_string(r, c, *s).unwrap();
                }
                N(n) => {
                    ws.write_number(r, c, *n).unwrap();
                }
                E => {}
            }
        }
    }
    wb.save(path).unwrap();
}

#[test]
fn kcqg_project_list_xlsx() {
    let path = tmp("kcqg.xlsx");
    kcqg_xlsx(&path);
    let (i, v) = run(&SourceSpec::new(Kind::Funding, &path));
    // 15 non-blank rows: 3 title rows + header + 2 group rows + total = 7 skipped, 8 projects.
    assert_eq!(i.rows_in, 15);
    assert_eq!(v.skipped, 7);
    let clean = &v.clean;
    assert_eq!(clean.height(), 4, "{:?}", reasons(&v.rejected));
    let ids: Vec<String> = clean
        .column("project_id")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|s| s.unwrap().to_string())
        .collect();
    assert_eq!(
        ids,
        [
            "KCQG-2018-001",
            "KCQG-2018-002",
            "KCQG-2019-001",
            "KCQG-2019-002"
        ]
    );
    let prov: Vec<&str> = clean
        .column("province_code")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|s| s.unwrap())
        .collect();
    // The place of implementation, not the regional centre that ran it.
    assert_eq!(prov, ["70", "38", "01", "75"]);
    let amount: Vec<f64> = clean
        .column("amount_mvnd")
        .unwrap()
        .f64()
        .unwrap()
        .iter()
        .map(|v| v.unwrap())
        .collect();
    assert_eq!(amount, [1250.5, 800.0, 350.0, 110.25]);
    let act: Vec<&str> = clean
        .column("activity")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|s| s.unwrap())
        .collect();
    assert_eq!(
        act,
        ["demonstration", "machinery", "management", "conference"]
    );
    let src: Vec<&str> = clean
        .column("source")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|s| s.unwrap())
        .collect();
    assert_eq!(src, ["national"; 4]);
    let sector = clean.column("sector_code").unwrap().str().unwrap();
    assert_eq!((sector.get(0), sector.get(3)), (Some("10"), None));
    let rows: Vec<i64> = clean
        .column("source_row")
        .unwrap()
        .i64()
        .unwrap()
        .iter()
        .map(|v| v.unwrap())
        .collect();
    assert_eq!(rows, [7, 8, 13, 15]);
    let rej = reasons(&v.rejected);
    assert_eq!(rej.len(), 4, "{rej:?}");
    let find = |row: i64| {
        rej.iter()
            .filter(|(r, _)| *r == row)
            .map(|(_, s)| s.as_str())
            .collect::<Vec<_>>()
            .join(" | ")
    };
    assert_eq!(
        find(9),
        "unknown province \"Binh Phuok\" (did you mean \"Bình Phước\"?)"
    );
    assert_eq!(find(10), "negative amount_mvnd: -50");
    assert_eq!(find(11), "not a number: \"khoảng 500\"");
    // The later repeat of a project code is rejected; the first stays.
    assert_eq!(
        find(14),
        "duplicate key project_id=KCQG-2019-001, year=2019 of row 13 with conflicting amount_mvnd: row 13 has 350, this row 380; the first row is kept"
    );
    // The total row matches the valid rows.
    assert!(
        v.notes
            .iter()
            .any(|n| n.contains("total row 16 (amount_mvnd) = 2510.75 equals")),
        "{:?}",
        v.notes
    );
    // Rejected table columns: file, row, column, raw value, reason.
    let raw = v.rejected.column("raw_value").unwrap().str().unwrap();
    let col = v.rejected.column("column").unwrap().str().unwrap();
    let k = rej.iter().position(|(r, _)| *r == 11).unwrap();
    assert_eq!(
        (col.get(k), raw.get(k)),
        (Some("Kinh phí KCQG hỗ trợ"), Some("khoảng 500"))
    );
    let file = v.rejected.column("source_file").unwrap().str().unwrap();
    assert_eq!(file.get(0), Some("kcqg.xlsx"));
    let k = rej.iter().position(|(r, _)| *r == 14).unwrap();
    assert_eq!(
        (col.get(k), raw.get(k)),
        (Some("Mã đề án"), Some("KCQG-2019-001"))
    );
    let k = rej.iter().position(|(r, _)| *r == 10).unwrap();
    assert_eq!(
        (col.get(k), raw.get(k)),
        (Some("Kinh phí KCQG hỗ trợ"), Some("-50"))
    );
    // The rejected share (4 of 8) is far above the default: exit code 3, one line.
    let err = validate::check_rejected_share(&v, &path, validate::DEFAULT_MAX_REJECTED_SHARE)
        .unwrap_err();
    assert_eq!(err.exit_code(), 3);
    let msg = err.to_string();
    assert!(
        msg.contains("kcqg.xlsx")
            && msg.contains("4 of 8 rows rejected (50.0%")
            && msg.contains("row 9:"),
        "{msg}"
    );
    assert!(!msg.contains('\n'));
    assert!(validate::check_rejected_share(&v, &path, 0.5).is_ok());
}

#[test]
fn exact_duplicates_keep_the_first_and_reject_the_repeat() {
    let path = tmp("dups.csv");
    std::fs::write(
        &path,
        "year,province_code,sector_code,output_bvnd\n2020,70,10,5.5\n2020,70,10,5.5\n2020,70,11,1\n2020,70,11,2\n2021,99,10,1\n1800,70,10,1\n",
    )
    .unwrap();
    let (_, v) = run(&SourceSpec::new(Kind::Output, &path));
    assert_eq!(v.clean.height(), 2);
    let rej = reasons(&v.rejected);
    assert_eq!(
        rej[0],
        (
            3,
            "exact duplicate of row 2 (year=2020, province_code=70, sector_code=10)".to_string()
        )
    );
    assert!(
        rej.iter()
            .any(|(r, s)| *r == 5 && s == "duplicate key year=2020, province_code=70, sector_code=11 of row 4 with conflicting output_bvnd: row 4 has 1, this row 2; the first row is kept"),
        "{rej:?}"
    );
    assert!(
        rej.iter()
            .any(|(r, s)| *r == 6 && s.starts_with("unknown province code \"99\"")),
        "{rej:?}"
    );
    assert!(
        rej.iter()
            .any(|(r, s)| *r == 7 && s == "year 1800 outside 1990–2060"),
        "{rej:?}"
    );
}

#[test]
fn boundary_2025_detected_from_new_units_and_years() {
    let path = tmp("new_map.csv");
    std::fs::write(
        &path,
        "Năm;Tỉnh;Kinh phí (tỷ đồng)\n2026;Huế;1,5\n2026;Hà Nội;2\n2027;Thành phố Huế;0,25\n",
    )
    .unwrap();
    let (i, v) = run(&SourceSpec::new(Kind::Funding, &path));
    assert_eq!(i.boundary, Boundary::B2025);
    let a = values(&v.clean, "amount_mvnd");
    // Billions converted to millions.
    assert_eq!(a[&("46".to_string(), 2026)], 1500.0);
    assert_eq!(a[&("01".to_string(), 2026)], 2000.0);
    assert_eq!(a[&("46".to_string(), 2027)], 250.0);
    // An old province's name in 2026 data is not silently given a place on either map: it is
    // rejected naming the unit it merged into, unless the source says it is on the old map.
    let path = tmp("old_map.csv");
    std::fs::write(
        &path,
        "Năm;Tỉnh;Kinh phí (tỷ đồng)\n2026;Huế;1,5\n2026;Hà Giang;2\n",
    )
    .unwrap();
    let (i, v) = run(&SourceSpec::new(Kind::Funding, &path));
    assert_eq!(i.boundary, Boundary::B2025);
    assert_eq!(v.clean.height(), 1);
    assert_eq!(v.rejected.height(), 1);
    let mut spec = SourceSpec::new(Kind::Funding, &path);
    spec.boundary = Some(Boundary::B2008);
    let (i, v) = run(&spec);
    assert_eq!(i.boundary, Boundary::B2008);
    assert_eq!(v.clean.height(), 2);
}

#[test]
fn unreadable_files_are_data_errors_and_write_nothing() {
    let mut good = tmp("good.xlsx");
    kcqg_xlsx(&good);
    let bytes = std::fs::read(&good).unwrap();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty.csv", Vec::new()),
        ("truncated.xlsx", bytes[..bytes.len() / 2].to_vec()),
        (
            "garbage.csv",
            (0..4000u32)
                .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
                .collect(),
        ),
        ("fake.xlsx", b"year,province_code\n2020,01\n".to_vec()),
        ("noheader.csv", b"a;b\n1;2\n".to_vec()),
    ];
    for (name, content) in cases {
        let path = tmp(name);
        std::fs::write(&path, &content).unwrap();
        let err = ingest::ingest_file(&SourceSpec::new(Kind::Funding, &path))
            .err()
            .unwrap_or_else(|| panic!("{name} was accepted"));
        assert_eq!(err.exit_code(), 3, "{name}: {err}");
        assert!(err.to_string().contains(name), "{name}: {err}");
        let out = tmp(&format!("{name}.out.parquet"));
        let rej = tmp(&format!("{name}.rej.parquet"));
        assert!(
            khuyencong::commands::run_ingest_command(
                &path,
                Kind::Funding,
                None,
                &Default::default(),
                Some(&out),
                Some(&rej)
            )
            .is_err()
        );
        assert!(
            !out.exists() && !rej.exists(),
            "{name}: something was written"
        );
    }
    good.set_extension("missing.csv");
    assert_eq!(
        ingest::ingest_file(&SourceSpec::new(Kind::Output, &good))
            .err()
            .unwrap()
            .exit_code(),
        3
    );
}

#[test]
fn ingest_command_writes_clean_and_rejected_tables() {
    let path = tmp("cmd.csv");
    std::fs::write(
        &path,
        "Năm;Tỉnh;Kinh phí (triệu đồng)\n2020;Bình Phước;1.250,5\n2020;Binh Phuok;3\n",
    )
    .unwrap();
    let out = tmp("cmd.parquet");
    let rej = tmp("cmd.rejected.parquet");
    // One of two rows rejected: above the default share, so only the rejected file is written.
    let err = khuyencong::commands::run_ingest_command(
        &path,
        Kind::Funding,
        None,
        &Default::default(),
        Some(&out),
        Some(&rej),
    )
    .unwrap_err();
    assert_eq!(err.exit_code(), 3);
    assert!(!out.exists() && rej.exists());
    let r = khuyencong::io::read_parquet(&rej).unwrap();
    assert_eq!(
        reasons(&r),
        vec![(
            3,
            "unknown province \"Binh Phuok\" (did you mean \"Bình Phước\"?)".to_string()
        )]
    );
    std::fs::write(
        &path,
        "Năm;Tỉnh;Kinh phí (triệu đồng)\n2020;Bình Phước;1.250,5\n",
    )
    .unwrap();
    let line = khuyencong::commands::run_ingest_command(
        &path,
        Kind::Funding,
        None,
        &Default::default(),
        Some(&out),
        None,
    )
    .unwrap();
    assert!(
        line.contains("2 rows in → 1 clean, 0 rejected, 1 skipped"),
        "{line}"
    );
    let df = khuyencong::io::read_parquet(&out).unwrap();
    assert_eq!(
        df.column("amount_mvnd").unwrap().f64().unwrap().get(0),
        Some(1250.5)
    );
    assert_eq!(
        df.get_column_names().len(),
        ingest::canonical_columns(Kind::Funding).len()
    );
}

#[test]
fn columns_override_and_units_setting() {
    let path = tmp("override.csv");
    std::fs::write(
        &path,
        "Khu vực;Thời gian;Giá trị\nBình Phước;2020;3\nĐồng Nai;2020;4,5\n",
    )
    .unwrap();
    let mut spec = SourceSpec::new(Kind::Funding, &path);
    spec.columns.insert("Khu vực".into(), "province".into());
    spec.columns.insert("Thời gian".into(), "year".into());
    spec.columns.insert("Giá trị".into(), "amount_mvnd".into());
    spec.units = Some("tỷ đồng".into());
    spec.source = Some("local".into());
    let (_, v) = run(&spec);
    let a = values(&v.clean, "amount_mvnd");
    assert_eq!(a[&("70".to_string(), 2020)], 3000.0);
    assert_eq!(a[&("75".to_string(), 2020)], 4500.0);
    assert_eq!(
        v.clean.column("source").unwrap().str().unwrap().get(0),
        Some("local")
    );
    spec.columns
        .insert("Giá trị".into(), "amount_in_dong".into());
    assert_eq!(ingest::ingest_file(&spec).err().unwrap().exit_code(), 2);
}

#[test]
fn units_key_applies_on_the_canonical_csv_path() {
    // A clean long CSV with canonical names but amounts in billions (tỷ đồng): the `units` key
    // rescales them to million VND, as it does for every other layout. Without the key the
    // canonical name's unit (million VND) stands.
    let path = tmp("canonical_billions.csv");
    std::fs::write(
        &path,
        "year,province_code,amount_mvnd,planned_mvnd\n2020,70,3,4\n2020,75,4.5,6\n",
    )
    .unwrap();
    let mut spec = SourceSpec::new(Kind::Funding, &path);
    spec.source = Some("local".into());
    let (_, v) = run(&spec);
    let a = values(&v.clean, "amount_mvnd");
    assert_eq!(a[&("70".to_string(), 2020)], 3.0);
    spec.units = Some("tỷ đồng".into());
    let (i, v) = run(&spec);
    let a = values(&v.clean, "amount_mvnd");
    assert_eq!(a[&("70".to_string(), 2020)], 3000.0);
    assert_eq!(a[&("75".to_string(), 2020)], 4500.0);
    assert_eq!(
        values(&v.clean, "planned_mvnd")[&("70".to_string(), 2020)],
        4000.0
    );
    assert!(
        i.notes.iter().any(|n| n.contains("units key")),
        "{:?}",
        i.notes
    );
    spec.units = Some("gallons".into());
    assert_eq!(ingest::ingest_file(&spec).err().unwrap().exit_code(), 2);
}

#[test]
fn random_files_never_panic() {
    let mut rng = khuyencong::stats::rng::Rng::new(2026);
    let (seed_text, _) = vietnamese_wide_csv(0);
    let seed = seed_text.into_bytes();
    let xlsx = {
        let p = tmp("seed.xlsx");
        kcqg_xlsx(&p);
        std::fs::read(&p).unwrap()
    };
    let parquet = {
        let (_, v) = run(&SourceSpec::new(
            Kind::Output,
            root().join("data/reference/gso_raw/gso_en_export_iip_by_province_2012_2016_raw.csv"),
        ));
        let p = tmp("seed.parquet");
        khuyencong::io::write_parquet(&mut v.clean.clone(), &p).unwrap();
        std::fs::read(&p).unwrap()
    };
    for i in 0..90 {
        let base = [&seed, &xlsx, &parquet][i % 3];
        let mut bytes = base[..rng.below(base.len())].to_vec();
        for _ in 0..rng.below(30) {
            if !bytes.is_empty() {
                let k = rng.below(bytes.len());
                bytes[k] = rng.below(256) as u8;
            }
        }
        let name = format!("fuzz{i}.{}", ["csv", "xlsx", "parquet"][i % 3]);
        let path = tmp(&name);
        std::fs::write(&path, &bytes).unwrap();
        for kind in [Kind::Output, Kind::Funding] {
            if let Ok(ing) = ingest::ingest_file(&SourceSpec::new(kind, &path)) {
                accounted(&ing);
                let v = validate::validate(ing).unwrap();
                assert_eq!(
                    v.rows_in,
                    v.clean.height() + v.rejected.height() + v.skipped
                );
            }
        }
    }
}

/// The bundled sample files read to the truth their generator wrote (`data/sample/truth.json`).
#[test]
fn bundled_sample_files_match_their_truth() {
    let dir = root().join("data/sample");
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("truth.json")).unwrap()).unwrap();
    let files = &truth["files"];

    // The ministry project list: every planted bad row rejected with its reason, nothing else.
    let k = &files["kcqg_projects.xlsx"];
    let mut spec = SourceSpec::new(Kind::Funding, dir.join("kcqg_projects.xlsx"));
    spec.sheet = Some("Danh mục".into());
    let (i, v) = run(&spec);
    assert_eq!(v.clean.height() as u64, k["project_rows"].as_u64().unwrap());
    let mut rej = reasons(&v.rejected);
    rej.sort();
    let bad: Vec<i64> = truth["bad_rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["row"].as_i64().unwrap())
        .collect();
    assert_eq!(rej.iter().map(|r| r.0).collect::<Vec<_>>(), bad, "{rej:?}");
    for b in truth["bad_rows"].as_array().unwrap() {
        let row = b["row"].as_i64().unwrap();
        let reason = &rej.iter().find(|r| r.0 == row).unwrap().1;
        let ok = match b["reason"].as_str().unwrap() {
            "negative_amount" => reason.starts_with("negative amount_mvnd"),
            "duplicate_project_id" => {
                let id = b["project_id"].as_str().unwrap();
                reason.contains(&format!("project_id={id}, year="))
                    && reason.contains(&format!("of row {}", b["original_row"]))
            }
            "non_numeric_amount" => reason == "not a number: \"khoảng 500\"",
            "unknown_place" => {
                reason == "unknown province \"Binh Phuok\" (did you mean \"Bình Phước\"?)"
            }
            other => panic!("unexpected planted reason {other}"),
        };
        assert!(ok, "row {row}: {reason}");
    }
    // Title rows, header, 13 group rows, the total row.
    assert_eq!(i.skipped, 3 + 1 + 13 + 1);
    let total = k["total_supported_mvnd"].as_f64().unwrap();
    let sum = v
        .clean
        .column("amount_mvnd")
        .unwrap()
        .f64()
        .unwrap()
        .sum()
        .unwrap();
    assert!((sum - total).abs() < 1e-6, "{sum} vs {total}");
    assert!(
        v.notes
            .iter()
            .any(|n| n.contains("(amount_mvnd)") && n.contains("equals")),
        "{:?}",
        v.notes
    );
    let planned = v
        .clean
        .column("planned_mvnd")
        .unwrap()
        .f64()
        .unwrap()
        .sum()
        .unwrap();
    assert!((planned - k["total_planned_mvnd"].as_f64().unwrap()).abs() < 1e-6);
    // Bình Phước's pilot: 3,916.7 million VND a year in 2018–2020 in sector 10.
    let bp = v
        .clean
        .clone()
        .lazy()
        .filter(
            col("province_code")
                .eq(lit("70"))
                .and(col("amount_mvnd").eq(lit(3916.7))),
        )
        .collect()
        .unwrap();
    assert_eq!(bp.height(), 3);

    // Local grants: a clean long CSV.
    let (_, v) = run(&SourceSpec::new(
        Kind::Funding,
        dir.join("kcdp_projects.csv"),
    ));
    assert_eq!(
        v.clean.height() as u64,
        files["kcdp_projects.csv"]["rows"].as_u64().unwrap()
    );
    assert_eq!(v.rejected.height(), 0);
    let local: f64 = v
        .clean
        .column("amount_mvnd")
        .unwrap()
        .f64()
        .unwrap()
        .sum()
        .unwrap();
    assert!((local - truth["totals"]["local_mvnd"].as_f64().unwrap()).abs() < 1e-6);

    // Output by sector, and the yearbook that sums it.
    let (_, sectors) = run(&SourceSpec::new(
        Kind::Output,
        dir.join("rural_output_by_sector.csv"),
    ));
    assert_eq!(
        sectors.clean.height() as u64,
        files["rural_output_by_sector.csv"]["rows"]
            .as_u64()
            .unwrap()
    );
    assert_eq!(sectors.rejected.height(), 0);
    let (yi, yb) = run(&SourceSpec::new(
        Kind::Output,
        dir.join("rural_output_yearbook.csv"),
    ));
    assert_eq!(yb.rejected.height(), 0, "{:?}", reasons(&yb.rejected));
    let yf = &files["rural_output_yearbook.csv"];
    let cells = 63 * yf["year_columns"].as_u64().unwrap() - yf["missing_cells"].as_u64().unwrap();
    assert_eq!(yb.clean.height() as u64, cells);
    // Title, header, country, six regions, and the missing cells.
    assert_eq!(
        yi.skipped as u64,
        2 + 1 + 6 + yf["missing_cells"].as_u64().unwrap()
    );
    let mut sums: BTreeMap<(String, i32), f64> = BTreeMap::new();
    let y = sectors.clean.column("year").unwrap().i32().unwrap();
    let p = sectors
        .clean
        .column("province_code")
        .unwrap()
        .str()
        .unwrap();
    let o = sectors.clean.column("output_bvnd").unwrap().f64().unwrap();
    for r in 0..sectors.clean.height() {
        if let Some(x) = o.get(r) {
            *sums
                .entry((p.get(r).unwrap().to_string(), y.get(r).unwrap()))
                .or_default() += x;
        }
    }
    let got = values(&yb.clean, "output_bvnd");
    assert!(
        got.contains_key(&("70".to_string(), 2024)),
        "the preliminary 2024 column is read"
    );
    for (key, v) in &got {
        assert!(
            (v - sums[key]).abs() <= 0.05 + 1e-6,
            "{key:?}: {v} vs {}",
            sums[key]
        );
    }
}

/// A large clean long CSV goes through the polars fast path whole (run with `--ignored`; the
/// timed benchmark against Python polars is `scripts/bench_ingest.sh`).
#[test]
#[ignore]
fn large_long_csv_fast_path() {
    let rows: usize = std::env::var("KC_INGEST_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let path = tmp("large.csv");
    let status = std::process::Command::new("python3")
        .arg(root().join("scripts/gen_long_csv.py"))
        .arg(&path)
        .arg(rows.to_string())
        .status()
        .unwrap();
    assert!(status.success());
    let out = tmp("large.parquet");
    let t = std::time::Instant::now();
    let line = khuyencong::commands::run_ingest_command(
        &path,
        Kind::Funding,
        None,
        &Default::default(),
        Some(&out),
        None,
    )
    .unwrap();
    eprintln!("{line} in {:.2} s", t.elapsed().as_secs_f64());
    let df = khuyencong::io::read_parquet(&out).unwrap();
    assert_eq!(df.height(), rows);
    assert_eq!(
        df.column("project_id")
            .unwrap()
            .str()
            .unwrap()
            .get(rows - 1),
        Some(format!("B-{:08}", rows - 1).as_str())
    );
}

/// No header names the place column: it is found by its values. An ambiguous "1.250" follows
/// the file's convention, told by the unambiguous "12,5" in another column.
#[test]
fn place_column_found_by_values_and_ambiguous_numbers_follow_the_file() {
    let path = tmp("by_values.csv");
    std::fs::write(
        &path,
        "Nơi nhận;Năm;Kinh phí (triệu đồng);Kinh phí kế hoạch (triệu đồng)\nBình Phước;2019;1.250;12,5\nCà Mau;2019;2.000;7\nTP HCM;2019;3;4\n",
    )
    .unwrap();
    let (i, v) = run(&SourceSpec::new(Kind::Funding, &path));
    assert!(
        i.notes.iter().any(|n| n.contains("found by its values")),
        "{:?}",
        i.notes
    );
    let a = values(&v.clean, "amount_mvnd");
    assert_eq!(a[&("70".to_string(), 2019)], 1250.0);
    assert_eq!(a[&("96".to_string(), 2019)], 2000.0);
    assert_eq!(a[&("79".to_string(), 2019)], 3.0);
    let p = values(&v.clean, "planned_mvnd");
    assert_eq!(p[&("70".to_string(), 2019)], 12.5);
    // The same ambiguous values in an English-convention file are decimals.
    std::fs::write(
        &path,
        "Province,Year,Amount (million VND),Planned (million VND)\nBinh Phuoc,2019,\"1.250\",12.5\n",
    )
    .unwrap();
    let (_, v) = run(&SourceSpec::new(Kind::Funding, &path));
    assert_eq!(
        values(&v.clean, "amount_mvnd")[&("70".to_string(), 2019)],
        1.25
    );
}

/// A yearbook header whose label cell is blank: the label column is found by its values.
#[test]
fn wide_table_with_blank_label_header() {
    let raw = std::fs::read(
        root().join("data/reference/gso_raw/gso_en_export_iip_by_province_2012_2016_raw.csv"),
    )
    .unwrap();
    let text = String::from_utf8(raw)
        .unwrap()
        .replace("\"Cities, provincies\"", "\"\"");
    let path = tmp("blank_label.csv");
    std::fs::write(&path, text).unwrap();
    let (_, v) = run(&SourceSpec::new(Kind::Output, &path));
    assert_same(&values(&v.clean, "iip"), &reference_iip());
}

/// A project list with a two-row header ("Kinh phí (triệu đồng)" merged over "Kế hoạch",
/// "KCQG hỗ trợ", "Đối ứng") and a column-numbering row, as official annexes print them.
#[test]
fn stacked_header_and_column_numbering_row() {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let f = Format::new();
    ws.merge_range(0, 0, 0, 6, "DANH MỤC ĐỀ ÁN", &f).unwrap();
    for (c, h) in [
        (0u16, "STT"),
        (1, "Địa điểm thực hiện"),
        (2, "Năm"),
        (3, "Nội dung"),
    ] {
        ws.merge_range(1, c, 2, c, h, &f).unwrap();
    }
    ws.merge_range(1, 4, 1, 6, "Kinh phí (triệu đồng)", &f)
        .unwrap();
    for (c, h) in [(4u16, "Kế hoạch"), (5, "KCQG hỗ trợ"), (6, "Đối ứng")] {
        ws.write_string(2, c, h).unwrap();
    }
    for (c, h) in ["A", "B", "C", "D", "1", "2", "3"].iter().enumerate() {
        ws.write_string(3, c as u16, *h).unwrap();
    }
    let data: [(&str, f64, &str, f64, f64, f64); 2] = [
        (
            "Bình Phước",
            2019.0,
            "Đào tạo nghề chế biến điều",
            500.0,
            450.5,
            900.0,
        ),
        (
            "Tỉnh Thanh Hoá",
            2020.0,
            "Tư vấn đổi mới công nghệ",
            300.0,
            280.0,
            10.0,
        ),
    ];
    for (i, (place, year, what, plan, kcqg, own)) in data.iter().enumerate() {
        let r = 4 + i as u32;
        ws.write_number(r, 0, i as f64 + 1.0).unwrap();
        ws.write_string(r, 1, *place).unwrap();
        ws.write_number(r, 2, *year).unwrap();
        ws.write_string(r, 3, *what).unwrap();
        ws.write_number(r, 4, *plan).unwrap();
        ws.write_number(r, 5, *kcqg).unwrap();
        ws.write_number(r, 6, *own).unwrap();
    }
    let path = tmp("stacked.xlsx");
    wb.save(&path).unwrap();
    let (i, v) = run(&SourceSpec::new(Kind::Funding, &path));
    assert_eq!(v.rejected.height(), 0, "{:?}", reasons(&v.rejected));
    // Title, the two header rows, the numbering row.
    assert_eq!(i.skipped, 4);
    let a = values(&v.clean, "amount_mvnd");
    assert_eq!(a[&("70".to_string(), 2019)], 450.5);
    assert_eq!(a[&("38".to_string(), 2020)], 280.0);
    let p = values(&v.clean, "planned_mvnd");
    assert_eq!(p[&("70".to_string(), 2019)], 500.0);
    let act: Vec<&str> = v
        .clean
        .column("activity")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .flatten()
        .collect();
    assert_eq!(act, ["training", "consulting"]);
    assert_eq!(
        i.headers["amount_mvnd"],
        "Kinh phí (triệu đồng) KCQG hỗ trợ"
    );
    assert_eq!(
        v.clean.column("source").unwrap().str().unwrap().get(0),
        Some("national")
    );
}
