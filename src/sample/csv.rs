//! The CSV files of the sample: the provinces' own programmes (long, clean), rural industrial
//! output by sector (long, clean) and the statistics-office yearbook table of province totals
//! (wide, semicolon, BOM, CRLF, Vietnamese number format, region subtotal rows, ".." missing).

use super::dgp::{self, World};
use super::{plain_milli, plain_tenths, vn_tenths};
use crate::stats::rng::Rng;

pub const KCDP_FILE: &str = "kcdp_projects.csv";
pub const OUTPUT_FILE: &str = "rural_output_by_sector.csv";
pub const YEARBOOK_FILE: &str = "rural_output_yearbook.csv";
pub const YEARBOOK_TITLE: &str =
    "Giá trị sản xuất công nghiệp nông thôn phân theo địa phương (Tỷ đồng) - số liệu mô phỏng";
pub const YEARBOOK_COUNTRY: &str = "CẢ NƯỚC";
pub const YEARBOOK_FIRST_COLUMN: &str = "Tỉnh, thành phố";

/// Quotes a field when CSV needs it (RFC 4180).
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub struct Written {
    pub text: String,
    pub rows: usize,
}

/// Local (KCĐP) grants, one row each, sorted by year and province.
pub fn kcdp(world: &World) -> Written {
    let mut grants: Vec<&dgp::Grant> = world.grants.iter().filter(|g| !g.national).collect();
    grants.sort_by(|a, b| {
        (a.year, &world.provinces[a.province].code)
            .cmp(&(b.year, &world.provinces[b.province].code))
    });
    let mut out = String::from(
        "year,province_code,sector_code,activity,source,amount_mvnd,planned_mvnd,project_id,beneficiary\n",
    );
    let mut serial = 0;
    let mut last = (0, usize::MAX);
    for g in &grants {
        if (g.year, g.province) != last {
            serial = 0;
            last = (g.year, g.province);
        }
        serial += 1;
        let code = &world.provinces[g.province].code;
        out.push_str(&format!(
            "{},{},{},{},local,{},{},KCDP-{}-{}-{:03},{}\n",
            g.year,
            code,
            world.sectors[g.sector],
            g.activity,
            plain_tenths(g.amount),
            plain_tenths(g.planned),
            code,
            g.year,
            serial,
            field(&g.beneficiary),
        ));
    }
    Written {
        text: out,
        rows: grants.len(),
    }
}

/// Output by province × sector × year, sorted by year, province, sector.
pub fn output(world: &World) -> Written {
    let mut out =
        String::from("year,province_code,sector_code,output_bvnd,employment,establishments\n");
    let mut rows = 0;
    for t in 0..dgp::N_YEARS {
        let year = dgp::FIRST_YEAR + t as i32;
        for (p, province) in world.provinces.iter().enumerate() {
            for (s, sector) in world.sectors.iter().enumerate() {
                let c = world.output[p][s][t];
                out.push_str(&format!(
                    "{year},{},{sector},{},{},{}\n",
                    province.code,
                    c.output_milli.map(plain_milli).unwrap_or_default(),
                    c.employment.map(|v| v.to_string()).unwrap_or_default(),
                    c.establishments.map(|v| v.to_string()).unwrap_or_default(),
                ));
                rows += 1;
            }
        }
    }
    Written { text: out, rows }
}

/// Province total for one year in tenths of a billion VND: the sum of the sector values as
/// written (thousandths), rounded half up; `None` when any sector is missing.
pub fn province_total_tenths(world: &World, p: usize, t: usize) -> Option<i64> {
    let mut milli = 0i64;
    for s in 0..world.sectors.len() {
        milli += world.output[p][s][t].output_milli?;
    }
    Some((milli + 50).div_euclid(100))
}

pub struct Yearbook {
    pub bytes: Vec<u8>,
    pub province_rows: usize,
    pub region_rows: usize,
    pub missing_cells: usize,
}

/// The province as a yearbook prints it: usually the short name, sometimes with its unit type.
fn yearbook_name(rng: &mut Rng, p: &dgp::ProvinceInfo) -> String {
    let name = if p.code == "46" {
        "Thừa Thiên Huế"
    } else {
        p.name.as_str()
    };
    if rng.uniform() < 0.75 {
        name.to_string()
    } else if ["01", "31", "48", "79", "92"].contains(&p.code.as_str()) {
        format!("TP. {name}")
    } else {
        format!("Tỉnh {name}")
    }
}

pub fn yearbook(world: &World, rng: &mut Rng) -> Yearbook {
    let mut lines: Vec<String> = Vec::new();
    lines.push(format!("\"{YEARBOOK_TITLE}\""));
    lines.push(String::new());
    let mut header = vec![format!("\"{YEARBOOK_FIRST_COLUMN}\"")];
    for year in dgp::FIRST_YEAR..=dgp::LAST_YEAR {
        if year == dgp::LAST_YEAR {
            header.push(format!("\"Sơ bộ {year}\""));
        } else {
            header.push(format!("\"{year}\""));
        }
    }
    lines.push(header.join(";"));

    let mut order: Vec<usize> = (0..world.provinces.len()).collect();
    order.sort_by_key(|&p| world.provinces[p].table_order);
    let names: Vec<String> = order
        .iter()
        .map(|&p| yearbook_name(rng, &world.provinces[p]))
        .collect();
    let totals: Vec<Vec<Option<i64>>> = order
        .iter()
        .map(|&p| {
            (0..dgp::N_YEARS)
                .map(|t| province_total_tenths(world, p, t))
                .collect()
        })
        .collect();
    let cell = |v: Option<i64>| v.map(vn_tenths).unwrap_or_else(|| "..".to_string());
    let row = |label: &str, values: &[Option<i64>]| {
        let mut parts = vec![format!("\"{label}\"")];
        parts.extend(values.iter().map(|v| cell(*v)));
        parts.join(";")
    };
    // Subtotals add the provinces shown with a number; a missing province counts as absent.
    let sum_of = |members: &[usize]| -> Vec<Option<i64>> {
        (0..dgp::N_YEARS)
            .map(|t| {
                let present: Vec<i64> = members.iter().filter_map(|&i| totals[i][t]).collect();
                (!present.is_empty()).then(|| present.iter().sum())
            })
            .collect()
    };
    let all: Vec<usize> = (0..order.len()).collect();
    lines.push(row(YEARBOOK_COUNTRY, &sum_of(&all)));
    let mut regions: Vec<u8> = world.provinces.iter().map(|p| p.region_id).collect();
    regions.sort_unstable();
    regions.dedup();
    let mut missing_cells = 0;
    for region in &regions {
        let members: Vec<usize> = all
            .iter()
            .copied()
            .filter(|&i| world.provinces[order[i]].region_id == *region)
            .collect();
        let label = &world.provinces[order[members[0]]].region_vi;
        lines.push(row(label, &sum_of(&members)));
        for &i in &members {
            missing_cells += totals[i].iter().filter(|v| v.is_none()).count();
            lines.push(row(&names[i], &totals[i]));
        }
    }
    let mut text = String::from("\u{feff}");
    for l in &lines {
        text.push_str(l);
        text.push_str("\r\n");
    }
    Yearbook {
        bytes: text.into_bytes(),
        province_rows: order.len(),
        region_rows: regions.len(),
        missing_cells,
    }
}
