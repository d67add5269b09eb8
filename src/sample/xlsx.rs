//! The national programme's project list (`kcqg_projects.xlsx`), laid out as a ministry annex:
//! merged title rows, a header, one group row per year with its subtotals, the projects, a grand
//! total row; some amounts typed as Vietnamese-format text, and a few planted bad rows.

use super::dgp::{self, Grant, World};
use super::{phrases, vn_tenths};
use crate::error::{Error, Result};
use crate::stats::rng::Rng;
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook,
};

pub const FILE_NAME: &str = "kcqg_projects.xlsx";
pub const SHEET_NAME: &str = "Danh mục";
pub const TITLE: &str = "DANH MỤC ĐỀ ÁN KHUYẾN CÔNG QUỐC GIA GIAI ĐOẠN 2012–2024";
pub const SUBTITLE: &str =
    "(Kèm theo Quyết định số …/QĐ-BCT — Dữ liệu mô phỏng, không phải số liệu thật)";
pub const UNIT_LINE: &str = "Đơn vị tính: triệu đồng";
/// 1-based sheet row of the header; data start on the next row.
pub const HEADER_ROW: u32 = 5;
pub const TOTAL_LABEL: &str = "TỔNG CỘNG";
/// Share of amount cells typed as text in Vietnamese number format.
pub const TEXT_AMOUNT_SHARE: f64 = 0.15;

pub const HEADERS: [&str; 15] = [
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
const C_STT: usize = 0;
const C_ID: usize = 1;
const C_NAME: usize = 2;
const C_EXEC: usize = 3;
const C_BEN: usize = 4;
const C_PLACE: usize = 5;
const C_SECTOR: usize = 6;
const C_CONTENT: usize = 7;
const C_YEAR: usize = 8;
const C_PLANNED: usize = 9;
const C_AMOUNT: usize = 10;
const C_TR_PLAN: usize = 11;
const C_TR_DONE: usize = 12;
const C_MOD_PLAN: usize = 13;
const C_MOD_DONE: usize = 14;

/// Centrally-run cities before 2025 (written "TP. X" or "Thành phố X").
const CITIES: [&str; 5] = ["01", "31", "48", "79", "92"];
/// Huế was Thừa Thiên Huế province throughout 2012–2024.
const HUE_CODE: &str = "46";
const HUE_OLD_NAME: &str = "Thừa Thiên Huế";
const HUE_OLD_ASCII: &str = "Thua Thien Hue";

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    Group,
    Project,
    Bad,
    Total,
}

#[derive(Debug, Clone)]
pub struct Row {
    pub kind: RowKind,
    pub cells: Vec<Cell>,
}

/// A row planted for a validator to reject.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BadRow {
    pub file: &'static str,
    pub sheet: &'static str,
    /// 1-based sheet row.
    pub row: u32,
    pub column: &'static str,
    /// The cell as written: a number for numeric cells, text otherwise.
    pub raw_value: serde_json::Value,
    /// Expected reason keyword.
    pub reason: &'static str,
    pub project_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// For a duplicate: the 1-based row of the first (valid) occurrence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_row: Option<u32>,
}

pub struct Sheet {
    /// Rows after the header, first one at sheet row `HEADER_ROW + 1`.
    pub rows: Vec<Row>,
    pub bad: Vec<BadRow>,
    pub project_rows: usize,
    pub text_amount_cells: usize,
    /// Grand totals over valid project rows, tenths of a million VND.
    pub total_planned: i64,
    pub total_amount: i64,
}

enum Plant {
    UnknownPlace,
    Negative,
    NonNumeric,
    Duplicate { of: usize },
}

struct Entry {
    grant: Grant,
    id: String,
    plant: Option<Plant>,
}

pub fn roman(mut n: usize) -> String {
    const TABLE: [(usize, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (v, s) in TABLE {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

/// Swaps the tone-mark placement of "oa"/"oe"/"uy" syllables (Thanh Hóa ↔ Thanh Hoá), the
/// old and new spelling conventions both seen in official files.
pub fn swap_accent_style(name: &str) -> String {
    const PAIRS: [(&str, &str); 12] = [
        ("óa", "oá"),
        ("òa", "oà"),
        ("ỏa", "oả"),
        ("õa", "oã"),
        ("ọa", "oạ"),
        ("óe", "oé"),
        ("òe", "oè"),
        ("úy", "uý"),
        ("ùy", "uỳ"),
        ("ủy", "uỷ"),
        ("ũy", "uỹ"),
        ("ụy", "uỵ"),
    ];
    for (new, old) in PAIRS {
        if name.contains(new) {
            return name.replace(new, old);
        }
        if name.contains(old) {
            return name.replace(old, new);
        }
    }
    name.to_string()
}

/// The province as a person typing the annex might write it.
pub fn place_form(rng: &mut Rng, p: &dgp::ProvinceInfo) -> String {
    let hue = p.code == HUE_CODE;
    let name = if hue { HUE_OLD_NAME } else { p.name.as_str() };
    let city = CITIES.contains(&p.code.as_str());
    let u = rng.uniform();
    if u < 0.40 {
        name.to_string()
    } else if u < 0.62 {
        if city {
            format!("Thành phố {name}")
        } else {
            format!("Tỉnh {name}")
        }
    } else if u < 0.72 {
        if city {
            format!("TP. {name}")
        } else {
            name.to_string()
        }
    } else if u < 0.85 {
        if hue {
            HUE_OLD_ASCII.to_string()
        } else {
            p.name_ascii.clone()
        }
    } else if u < 0.95 {
        swap_accent_style(name)
    } else {
        name.to_uppercase()
    }
}

fn executor(rng: &mut Rng, p: &dgp::ProvinceInfo) -> String {
    let name = if p.code == HUE_CODE {
        HUE_OLD_NAME
    } else {
        p.name.as_str()
    };
    let kind = if CITIES.contains(&p.code.as_str()) {
        "thành phố"
    } else {
        "tỉnh"
    };
    let u = rng.uniform();
    if u < 0.40 {
        phrases::regional_centre(p.region_id).to_string()
    } else if u < 0.80 {
        format!("Trung tâm Khuyến công {kind} {name}")
    } else if u < 0.92 {
        format!("Trung tâm Khuyến công và Tư vấn phát triển công nghiệp {kind} {name}")
    } else {
        format!("Sở Công Thương {kind} {name}")
    }
}

fn money(rng: &mut Rng, tenths: i64, text_cells: &mut usize) -> Cell {
    if rng.uniform() < TEXT_AMOUNT_SHARE {
        *text_cells += 1;
        Cell::Text(vn_tenths(tenths))
    } else {
        Cell::Number(tenths as f64 / 10.0)
    }
}

fn count(v: Option<u32>) -> Cell {
    v.map_or(Cell::Empty, |n| Cell::Number(f64::from(n)))
}

/// A fresh grant for a planted bad row (it is no part of the process: no support flows).
fn stray_grant(rng: &mut Rng, world: &World, year: i32, province: usize) -> Grant {
    let sector = dgp::weighted(rng, &dgp::SECTOR_WEIGHTS);
    let activity = phrases::ACTIVITIES[dgp::weighted(rng, &phrases::ACTIVITY_WEIGHTS)];
    let beneficiary = dgp::beneficiary_pool(rng, 1).remove(0);
    let amount = (rng.uniform() * 800.0 + 200.0).round() as i64 * 10;
    dgp::ordinary_grant(
        rng,
        year,
        province,
        sector,
        world.sectors[sector],
        activity,
        true,
        amount,
        beneficiary,
    )
}

pub fn layout(world: &World, rng: &mut Rng) -> Sheet {
    let years: Vec<i32> = (dgp::FIRST_YEAR..=dgp::LAST_YEAR).collect();
    let mut by_year: Vec<Vec<Entry>> = years
        .iter()
        .map(|&y| {
            let mut gs: Vec<&Grant> = world
                .grants
                .iter()
                .filter(|g| g.national && g.year == y)
                .collect();
            // Stable sort: the annex lists projects by province in GSO table order.
            gs.sort_by_key(|g| (world.provinces[g.province].table_order, g.sector));
            gs.into_iter()
                .enumerate()
                .map(|(i, g)| Entry {
                    grant: g.clone(),
                    id: format!("KCQG-{y}-{:04}", i + 1),
                    plant: None,
                })
                .collect()
        })
        .collect();

    // Plant the bad rows in four different years.
    let plant_years = {
        let mut idx: Vec<usize> = (0..years.len()).collect();
        rng.shuffle(&mut idx);
        idx.truncate(4);
        idx
    };
    let pilot_province = world
        .provinces
        .iter()
        .position(|p| p.code == dgp::PILOT_CODE)
        .unwrap_or(0);
    for (k, &yi) in plant_years.iter().enumerate() {
        let year = years[yi];
        let entries = &mut by_year[yi];
        let next_id = format!("KCQG-{year}-{:04}", entries.len() + 1);
        let entry = match k {
            0 => Entry {
                grant: stray_grant(rng, world, year, pilot_province),
                id: next_id,
                plant: Some(Plant::UnknownPlace),
            },
            1 | 2 => {
                let province = rng.below(world.provinces.len());
                Entry {
                    grant: stray_grant(rng, world, year, province),
                    id: next_id,
                    plant: Some(if k == 1 {
                        Plant::Negative
                    } else {
                        Plant::NonNumeric
                    }),
                }
            }
            _ => {
                let of = rng.below(entries.len().saturating_sub(1).max(1));
                let mut grant = entries[of].grant.clone();
                grant.amount = (grant.amount as f64 * (1.2 + 0.4 * rng.uniform())).round() as i64;
                Entry {
                    grant,
                    id: entries[of].id.clone(),
                    plant: Some(Plant::Duplicate { of }),
                }
            }
        };
        let lo = match entry.plant {
            Some(Plant::Duplicate { of }) => of + 1,
            _ => 0,
        };
        let at = lo + rng.below(entries.len() - lo + 1);
        entries.insert(at, entry);
    }

    let mut rows = Vec::new();
    let mut bad = Vec::new();
    let mut text_amount_cells = 0;
    let mut project_rows = 0;
    let (mut total_planned, mut total_amount) = (0i64, 0i64);
    let first_row = HEADER_ROW + 1;
    for (yi, entries) in by_year.iter().enumerate() {
        let group_index = rows.len();
        rows.push(Row {
            kind: RowKind::Group,
            cells: vec![Cell::Empty; HEADERS.len()],
        });
        // Sheet row of each entry, so a duplicate can point at its original.
        let mut entry_rows = Vec::with_capacity(entries.len());
        let (mut planned_sum, mut amount_sum) = (0i64, 0i64);
        for (i, e) in entries.iter().enumerate() {
            let g = &e.grant;
            let p = &world.provinces[g.province];
            let sheet_row = first_row + rows.len() as u32;
            entry_rows.push(sheet_row);
            let place = match e.plant {
                Some(Plant::UnknownPlace) => "Binh Phuok".to_string(),
                _ => place_form(rng, p),
            };
            let mut cells = vec![Cell::Empty; HEADERS.len()];
            cells[C_STT] = Cell::Number((i + 1) as f64);
            cells[C_ID] = Cell::Text(e.id.clone());
            cells[C_NAME] = Cell::Text(format!("{} tại {}", g.content, g.beneficiary));
            cells[C_EXEC] = Cell::Text(executor(rng, p));
            cells[C_BEN] = Cell::Text(g.beneficiary.clone());
            cells[C_PLACE] = Cell::Text(place.clone());
            cells[C_SECTOR] = Cell::Text(world.sectors[g.sector].to_string());
            cells[C_CONTENT] = Cell::Text(g.content.clone());
            cells[C_YEAR] = Cell::Number(f64::from(g.year));
            cells[C_PLANNED] = money(rng, g.planned, &mut text_amount_cells);
            cells[C_AMOUNT] = money(rng, g.amount, &mut text_amount_cells);
            cells[C_TR_PLAN] = count(g.trainees.map(|t| t.0));
            cells[C_TR_DONE] = count(g.trainees.map(|t| t.1));
            cells[C_MOD_PLAN] = count(g.models.map(|m| m.0));
            cells[C_MOD_DONE] = count(g.models.map(|m| m.1));
            let bad_row = |column: usize, raw: serde_json::Value, reason: &'static str| BadRow {
                file: FILE_NAME,
                sheet: SHEET_NAME,
                row: sheet_row,
                column: HEADERS[column],
                raw_value: raw,
                reason,
                project_id: e.id.clone(),
                suggestion: None,
                original_row: None,
            };
            let kind = match e.plant {
                None => {
                    planned_sum += g.planned;
                    amount_sum += g.amount;
                    project_rows += 1;
                    RowKind::Project
                }
                Some(Plant::UnknownPlace) => {
                    let mut b = bad_row(C_PLACE, place.clone().into(), "unknown_place");
                    b.suggestion = Some(world.provinces[g.province].name.clone());
                    bad.push(b);
                    RowKind::Bad
                }
                Some(Plant::Negative) => {
                    let v = -(g.amount as f64) / 10.0;
                    cells[C_AMOUNT] = Cell::Number(v);
                    bad.push(bad_row(C_AMOUNT, v.into(), "negative_amount"));
                    RowKind::Bad
                }
                Some(Plant::NonNumeric) => {
                    let raw = "khoảng 500";
                    cells[C_PLANNED] = Cell::Number(500.0);
                    cells[C_AMOUNT] = Cell::Text(raw.to_string());
                    bad.push(bad_row(C_AMOUNT, raw.into(), "non_numeric_amount"));
                    RowKind::Bad
                }
                Some(Plant::Duplicate { of }) => {
                    let mut b = bad_row(C_ID, e.id.clone().into(), "duplicate_project_id");
                    b.original_row = Some(entry_rows[of]);
                    bad.push(b);
                    RowKind::Bad
                }
            };
            rows.push(Row { kind, cells });
        }
        let group = &mut rows[group_index].cells;
        group[C_STT] = Cell::Text(roman(yi + 1));
        group[C_NAME] = Cell::Text(format!("Năm {}", years[yi]));
        group[C_PLANNED] = Cell::Number(planned_sum as f64 / 10.0);
        group[C_AMOUNT] = Cell::Number(amount_sum as f64 / 10.0);
        total_planned += planned_sum;
        total_amount += amount_sum;
    }
    let mut total = vec![Cell::Empty; HEADERS.len()];
    total[C_NAME] = Cell::Text(TOTAL_LABEL.to_string());
    total[C_PLANNED] = Cell::Number(total_planned as f64 / 10.0);
    total[C_AMOUNT] = Cell::Number(total_amount as f64 / 10.0);
    rows.push(Row {
        kind: RowKind::Total,
        cells: total,
    });
    bad.sort_by_key(|b| b.row);
    Sheet {
        rows,
        bad,
        project_rows,
        text_amount_cells,
        total_planned,
        total_amount,
    }
}

fn xlsx_err(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::Other(format!("cannot build {FILE_NAME}: {e}"))
}

/// The workbook's bytes; identical for identical sheets (the creation time is fixed).
pub fn render(sheet: &Sheet) -> Result<Vec<u8>> {
    let mut workbook = Workbook::new();
    let created = ExcelDateTime::from_ymd(2025, 1, 1).map_err(xlsx_err)?;
    let properties = DocProperties::new()
        .set_title(TITLE)
        .set_comment("Dữ liệu mô phỏng (synthetic data) sinh bởi khuyencong sample")
        .set_creation_datetime(&created);
    workbook.set_properties(&properties);

    let border = |f: Format| f.set_border(FormatBorder::Thin);
    let title = Format::new()
        .set_bold()
        .set_font_size(13)
        .set_align(FormatAlign::Center);
    let subtitle = Format::new().set_italic().set_align(FormatAlign::Center);
    let unit = Format::new().set_italic().set_align(FormatAlign::Right);
    let header = border(
        Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_background_color(Color::RGB(0xDDEBF7)),
    );
    let text = border(Format::new());
    let number = border(Format::new().set_num_format("#,##0.0"));
    let integer = border(Format::new().set_num_format("0"));
    let text_right = border(Format::new().set_align(FormatAlign::Right));
    let bold_text = border(Format::new().set_bold());
    let bold_number = border(Format::new().set_bold().set_num_format("#,##0.0"));

    let ws = workbook.add_worksheet();
    ws.set_name(SHEET_NAME).map_err(xlsx_err)?;
    let last_col = (HEADERS.len() - 1) as u16;
    ws.merge_range(0, 0, 0, last_col, TITLE, &title)
        .map_err(xlsx_err)?;
    ws.merge_range(1, 0, 1, last_col, SUBTITLE, &subtitle)
        .map_err(xlsx_err)?;
    ws.merge_range(2, 0, 2, last_col, UNIT_LINE, &unit)
        .map_err(xlsx_err)?;
    let widths = [
        6.0, 16.0, 60.0, 42.0, 30.0, 22.0, 9.0, 55.0, 7.0, 13.0, 13.0, 11.0, 11.0, 11.0, 11.0,
    ];
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w).map_err(xlsx_err)?;
    }
    let header_row = HEADER_ROW - 1;
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string_with_format(header_row, c as u16, *h, &header)
            .map_err(xlsx_err)?;
    }
    ws.set_freeze_panes(HEADER_ROW, 0).map_err(xlsx_err)?;
    for (i, row) in sheet.rows.iter().enumerate() {
        let r = HEADER_ROW + i as u32;
        let strong = matches!(row.kind, RowKind::Group | RowKind::Total);
        for (c, cell) in row.cells.iter().enumerate() {
            let c16 = c as u16;
            match cell {
                Cell::Empty => {
                    ws.write_blank(r, c16, &text).map_err(xlsx_err)?;
                }
                Cell::Text(s) => {
                    let f = if strong {
                        &bold_text
                    } else if c == C_PLANNED || c == C_AMOUNT {
                        &text_right
                    } else {
                        &text
                    };
                    ws.write_string_with_format(r, c16, s, f)
                        .map_err(xlsx_err)?;
                }
                Cell::Number(v) => {
                    let f = if strong {
                        &bold_number
                    } else if c == C_PLANNED || c == C_AMOUNT {
                        &number
                    } else {
                        &integer
                    };
                    ws.write_number_with_format(r, c16, *v, f)
                        .map_err(xlsx_err)?;
                }
            }
        }
    }
    workbook.save_to_buffer().map_err(xlsx_err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_numerals_and_accent_styles() {
        assert_eq!(roman(1), "I");
        assert_eq!(roman(4), "IV");
        assert_eq!(roman(9), "IX");
        assert_eq!(roman(13), "XIII");
        assert_eq!(swap_accent_style("Thanh Hóa"), "Thanh Hoá");
        assert_eq!(swap_accent_style("Khánh Hòa"), "Khánh Hoà");
        assert_eq!(swap_accent_style("Hoà Bình"), "Hòa Bình");
        assert_eq!(swap_accent_style("Bình Phước"), "Bình Phước");
    }

    #[test]
    fn every_place_form_resolves_to_its_province() {
        use crate::reference::{PlaceMatch, Reference};
        let world = World::build(super::super::DEFAULT_SEED).unwrap();
        let mut rng = Rng::new(1);
        let mut forms = std::collections::BTreeSet::new();
        for p in &world.provinces {
            for _ in 0..200 {
                let form = place_form(&mut rng, p);
                match Reference::get().resolve_place(&form) {
                    Some(PlaceMatch::Province { code, .. }) => assert_eq!(code, p.code, "{form}"),
                    other => panic!("{form}: {other:?}"),
                }
                forms.insert(form);
            }
        }
        for expected in [
            "Tỉnh Bình Phước",
            "Binh Phuoc",
            "TP. Hồ Chí Minh",
            "Thành phố Cần Thơ",
            "Thanh Hoá",
            "Khánh Hoà",
            "Thừa Thiên Huế",
            "BÌNH PHƯỚC",
        ] {
            assert!(forms.contains(expected), "{expected} never written");
        }
        assert_eq!(Reference::get().resolve_place("Binh Phuok"), None);
    }
}
