//! The bundled sample: the committed files equal what the generator writes, and the planted
//! properties hold when computed from the written files alone (not from the generator's state).

use calamine::{Data, Reader, Xlsx, open_workbook};
use khuyencong::reference::{PlaceMatch, Reference};
use khuyencong::sample::{self, DEFAULT_SEED};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// A fresh folder under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let dir = std::env::temp_dir().join(format!(
            "khuyencong-sample-{tag}-{}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn generated(tag: &str) -> TempDir {
    let dir = TempDir::new(tag);
    sample::generate(&dir.0, DEFAULT_SEED).unwrap();
    dir
}

fn committed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample")
}

fn truth(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("truth.json")).unwrap()).unwrap()
}

/// "3.916,7" → 3916.7; None for anything else.
fn vn_number(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.is_empty()
        || !t
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',' || c == '-')
    {
        return None;
    }
    t.replace('.', "").replace(',', ".").parse().ok()
}

fn province_code(label: &str) -> Option<String> {
    match Reference::get().resolve_place(label) {
        Some(PlaceMatch::Province { code, .. }) => Some(code),
        _ => None,
    }
}

#[test]
fn committed_sample_is_what_the_generator_writes() {
    let dir = generated("committed");
    for name in sample::FILES {
        let fresh = std::fs::read(dir.0.join(name)).unwrap();
        let kept = std::fs::read(committed().join(name)).unwrap_or_else(|e| {
            panic!("data/sample/{name}: {e}; run the ignored test `regenerate_committed_sample`")
        });
        assert!(
            fresh == kept,
            "data/sample/{name} differs from what the generator writes"
        );
    }
    // Another seed gives other data (the seed really drives the draws).
    let other = TempDir::new("other-seed");
    sample::generate(&other.0, DEFAULT_SEED + 1).unwrap();
    let a = std::fs::read(dir.0.join("rural_output_by_sector.csv")).unwrap();
    let b = std::fs::read(other.0.join("rural_output_by_sector.csv")).unwrap();
    assert_ne!(a, b);
}

/// Writes the committed sample. Run after changing the generator:
/// `cargo test --test it sample::regenerate_committed_sample -- --ignored`.
#[test]
#[ignore]
fn regenerate_committed_sample() {
    let summary = sample::generate(&committed(), DEFAULT_SEED).unwrap();
    assert_eq!(summary.files.len(), sample::FILES.len());
}

/// Sector rows of the long output file: (province, year) → (sum, any missing).
fn sector_sums(dir: &Path) -> BTreeMap<(String, i32), (f64, bool)> {
    let text = std::fs::read_to_string(dir.join("rural_output_by_sector.csv")).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("year,province_code,sector_code,output_bvnd,employment,establishments")
    );
    let mut sums: BTreeMap<(String, i32), (f64, bool)> = BTreeMap::new();
    let mut rows = 0;
    for line in lines {
        let f: Vec<&str> = line.split(',').collect();
        assert_eq!(f.len(), 6, "{line}");
        let e = sums
            .entry((f[1].to_string(), f[0].parse().unwrap()))
            .or_insert((0.0, false));
        match f[3] {
            "" => e.1 = true,
            v => e.0 += v.parse::<f64>().unwrap(),
        }
        rows += 1;
    }
    assert_eq!(rows, 63 * 20 * 13);
    sums
}

#[test]
fn yearbook_equals_sector_sums_and_subtotals_add_up() {
    let dir = generated("yearbook");
    let sums = sector_sums(&dir.0);
    let bytes = std::fs::read(dir.0.join("rural_output_yearbook.csv")).unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "BOM");
    let text = String::from_utf8(bytes).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    assert!(!text.replace("\r\n", "").contains('\n'), "CRLF only");
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert!(lines[0].starts_with('"') && lines[0].contains("mô phỏng"));
    assert_eq!(lines[1], "");
    let header: Vec<&str> = lines[2].split(';').collect();
    assert_eq!(header.len(), 14);
    assert_eq!(header[0], "\"Tỉnh, thành phố\"");
    assert_eq!(header[1], "\"2012\"");
    assert_eq!(header[13], "\"Sơ bộ 2024\"");

    let r = Reference::get();
    let mut country: Option<Vec<Option<f64>>> = None;
    // (region id, its row, its provinces' rows)
    type Values = Vec<Option<f64>>;
    let mut regions: Vec<(u8, Values, Vec<Values>)> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut order = Vec::new();
    let mut missing = 0;
    for line in lines[3..].iter().filter(|l| !l.is_empty()) {
        let f: Vec<&str> = line.split(';').collect();
        assert_eq!(f.len(), 14, "{line}");
        let label = f[0].trim_matches('"');
        let values: Vec<Option<f64>> = f[1..]
            .iter()
            .map(|v| {
                if *v == ".." {
                    None
                } else {
                    Some(vn_number(v).unwrap())
                }
            })
            .collect();
        match r.resolve_place(label) {
            Some(PlaceMatch::Country) => country = Some(values),
            Some(PlaceMatch::Region(id)) => regions.push((id, values, Vec::new())),
            Some(PlaceMatch::Province { code, .. }) => {
                assert_eq!(label, khuyencong::text::clean(label), "NFC");
                let p = r.province(&code).unwrap();
                let region = regions.last_mut().unwrap();
                assert_eq!(region.0, p.region_id, "{label} under the wrong region");
                for (t, v) in values.iter().enumerate() {
                    let (sum, any_missing) = sums[&(code.clone(), 2012 + t as i32)];
                    match v {
                        None => {
                            assert!(any_missing, "{label} {}", 2012 + t);
                            missing += 1;
                        }
                        Some(v) => {
                            assert!(!any_missing, "{label} {}", 2012 + t);
                            // Rounded to one decimal from the exact three-decimal sum.
                            assert!((v - sum).abs() <= 0.05 + 1e-6, "{label} {v} vs {sum}");
                        }
                    }
                }
                order.push(p.table_order);
                seen.insert(code);
                region.2.push(values);
            }
            None => panic!("unknown label {label}"),
        }
    }
    assert_eq!(seen.len(), 63);
    assert!(order.windows(2).all(|w| w[0] < w[1]), "GSO table order");
    assert_eq!(
        regions.iter().map(|r| r.0).collect::<Vec<_>>(),
        vec![1, 2, 3, 4, 5, 6]
    );
    let t = truth(&dir.0);
    assert_eq!(missing, t["missing"]["yearbook_cells"].as_u64().unwrap());
    assert!(missing > 0);
    let country = country.unwrap();
    for t in 0..13 {
        let mut all = 0.0;
        for (_, total, members) in &regions {
            let s: f64 = members.iter().filter_map(|m| m[t]).sum();
            assert!((total[t].unwrap() - s).abs() < 1e-6, "region sum");
            all += s;
        }
        assert!((country[t].unwrap() - all).abs() < 1e-6, "country sum");
    }
    // Realistic magnitudes: province totals in 2012 from a few hundred to tens of thousands.
    let first: Vec<f64> = regions
        .iter()
        .flat_map(|r| r.2.iter().filter_map(|m| m[0]))
        .collect();
    let (lo, hi) = first
        .iter()
        .fold((f64::MAX, 0f64), |(l, h), v| (l.min(*v), h.max(*v)));
    assert!((100.0..1_000.0).contains(&lo), "{lo}");
    assert!(hi > 10_000.0 && hi < 100_000.0, "{hi}");
}

/// One sheet row of the annex.
struct SheetRow {
    row: u32,
    stt: Data,
    id: String,
    name: String,
    place: String,
    sector: String,
    year: Option<f64>,
    planned: Data,
    amount: Data,
}

fn money(d: &Data) -> Option<f64> {
    match d {
        Data::Float(f) => Some(*f),
        Data::Int(i) => Some(*i as f64),
        Data::String(s) => vn_number(s),
        _ => None,
    }
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

fn read_annex(dir: &Path) -> (Vec<SheetRow>, Vec<String>) {
    let mut wb: Xlsx<_> = open_workbook(dir.join("kcqg_projects.xlsx")).unwrap();
    assert_eq!(wb.sheet_names(), vec!["Danh mục".to_string()]);
    let range = wb.worksheet_range("Danh mục").unwrap();
    let cell = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    let titles: Vec<String> = (0..3).map(|r| text(&cell(r, 0))).collect();
    let header: Vec<String> = (0..15).map(|c| text(&cell(4, c))).collect();
    assert_eq!(header, sample::KCQG_HEADERS.to_vec());
    let (last, _) = range.end().unwrap();
    let rows = (5..=last)
        .map(|r| SheetRow {
            row: r + 1,
            stt: cell(r, 0),
            id: text(&cell(r, 1)),
            name: text(&cell(r, 2)),
            place: text(&cell(r, 5)),
            sector: text(&cell(r, 6)),
            year: money(&cell(r, 8)),
            planned: cell(r, 9),
            amount: cell(r, 10),
        })
        .collect();
    (rows, titles)
}

#[test]
fn annex_totals_add_up_and_bad_rows_are_the_planted_ones() {
    let dir = generated("annex");
    let (rows, titles) = read_annex(&dir.0);
    assert_eq!(
        titles[0],
        "DANH MỤC ĐỀ ÁN KHUYẾN CÔNG QUỐC GIA GIAI ĐOẠN 2012–2024"
    );
    assert!(titles[1].contains("Dữ liệu mô phỏng"));
    assert_eq!(titles[2], "Đơn vị tính: triệu đồng");

    // Find the bad rows with simple rules of our own, then compare with the truth.
    let mut found: Vec<(u32, &str)> = Vec::new();
    let mut seen_ids: HashMap<String, f64> = HashMap::new();
    let mut groups: Vec<(u32, String, f64, f64, f64, f64)> = Vec::new();
    let (mut sum_planned, mut sum_amount, mut text_cells, mut projects) = (0.0, 0.0, 0, 0);
    let total = rows.last().unwrap();
    assert_eq!(total.name, "TỔNG CỘNG");
    assert_eq!(total.stt, Data::Empty);
    for r in &rows[..rows.len() - 1] {
        if let Data::String(roman) = &r.stt {
            groups.push((
                r.row,
                roman.clone(),
                money(&r.planned).unwrap(),
                money(&r.amount).unwrap(),
                0.0,
                0.0,
            ));
            assert_eq!(r.name, format!("Năm {}", 2011 + groups.len()));
            continue;
        }
        let amount = money(&r.amount);
        let reason = if province_code(&r.place).is_none() {
            Some("unknown_place")
        } else if matches!(&r.amount, Data::String(_)) && amount.is_none() {
            Some("non_numeric_amount")
        } else if amount.is_some_and(|a| a < 0.0) {
            Some("negative_amount")
        } else if seen_ids.contains_key(&r.id) {
            Some("duplicate_project_id")
        } else {
            None
        };
        if let Some(reason) = reason {
            found.push((r.row, reason));
            continue;
        }
        let (planned, amount) = (money(&r.planned).unwrap(), amount.unwrap());
        seen_ids.insert(r.id.clone(), amount);
        assert!(
            r.id.starts_with(&format!("KCQG-{}-", r.year.unwrap())),
            "{}",
            r.id
        );
        assert_eq!(r.sector.len(), 2);
        assert!(sample::SECTORS.contains(&r.sector.as_str()));
        text_cells += [&r.planned, &r.amount]
            .iter()
            .filter(|d| matches!(d, Data::String(_)))
            .count();
        let g = groups.last_mut().unwrap();
        g.4 += planned;
        g.5 += amount;
        sum_planned += planned;
        sum_amount += amount;
        projects += 1;
    }
    assert_eq!(groups.len(), 13);
    assert_eq!(groups[12].1, "XIII");
    for g in &groups {
        assert!(
            (g.2 - g.4).abs() < 1e-6,
            "group row {} planned {} vs {}",
            g.0,
            g.2,
            g.4
        );
        assert!(
            (g.3 - g.5).abs() < 1e-6,
            "group row {} amount {} vs {}",
            g.0,
            g.3,
            g.5
        );
    }
    assert!((money(&total.planned).unwrap() - sum_planned).abs() < 1e-6);
    assert!((money(&total.amount).unwrap() - sum_amount).abs() < 1e-6);
    // About 15% of money cells are Vietnamese-format text.
    let share = text_cells as f64 / (2 * projects) as f64;
    assert!((0.11..0.19).contains(&share), "{share}");

    let t = truth(&dir.0);
    let planted: Vec<(u32, String)> = t["bad_rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["row"].as_u64().unwrap() as u32,
                b["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let found: Vec<(u32, String)> = found.into_iter().map(|(r, s)| (r, s.to_string())).collect();
    assert_eq!(found, planted);
    assert_eq!(found.len(), 4);
    let unknown = t["bad_rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["reason"] == "unknown_place")
        .unwrap();
    assert_eq!(
        Reference::get().suggest_province(unknown["raw_value"].as_str().unwrap()),
        Some("Bình Phước")
    );
    let files = &t["files"]["kcqg_projects.xlsx"];
    assert_eq!(files["project_rows"].as_u64().unwrap(), projects as u64);
    assert_eq!(files["last_row"].as_u64().unwrap(), total.row as u64);
    assert!((files["total_supported_mvnd"].as_f64().unwrap() - sum_amount).abs() < 1e-6);
    // A few hundred national projects a year.
    let per_year = projects as f64 / 13.0;
    assert!((120.0..400.0).contains(&per_year), "{per_year}");
}

/// A grant read back from the files: (province, sector, year, amount, national).
fn grants_from_files(dir: &Path) -> Vec<(String, String, i32, f64, bool)> {
    let t = truth(dir);
    let bad: BTreeSet<u64> = t["bad_rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["row"].as_u64().unwrap())
        .collect();
    let (rows, _) = read_annex(dir);
    let mut grants = Vec::new();
    for r in &rows {
        if bad.contains(&(r.row as u64)) || !matches!(r.stt, Data::Float(_) | Data::Int(_)) {
            continue;
        }
        grants.push((
            province_code(&r.place).unwrap(),
            r.sector.clone(),
            r.year.unwrap() as i32,
            money(&r.amount).unwrap(),
            true,
        ));
    }
    let text = std::fs::read_to_string(dir.join("kcdp_projects.csv")).unwrap();
    let rows = khuyencong::text::split_csv(&text);
    assert_eq!(
        rows[0].join(","),
        "year,province_code,sector_code,activity,source,amount_mvnd,planned_mvnd,project_id,beneficiary"
    );
    for r in &rows[1..] {
        assert_eq!(r[4], "local");
        assert!(sample::ACTIVITIES.contains(&r[3].as_str()), "{}", r[3]);
        grants.push((
            r[1].clone(),
            r[2].clone(),
            r[0].parse().unwrap(),
            r[5].parse().unwrap(),
            false,
        ));
    }
    grants
}

#[test]
fn support_patterns_match_the_planted_groups() {
    let dir = generated("groups");
    let t = truth(&dir.0);
    let groups = &t["groups"];
    let size = |g: &str| groups[g]["provinces"].as_array().unwrap().len();
    assert_eq!(size("scattered_no_effect"), 6);
    assert_eq!(size("scattered_effect"), 5);
    assert_eq!(size("focused_no_effect"), 5);
    assert_eq!(size("pilot"), 5);
    assert_eq!(size("focused_effect"), 63 - 21);
    assert_eq!(t["provinces"]["70"]["group"], "pilot");
    assert_eq!(t["synthetic"], true);
    let grants = grants_from_files(&dir.0);
    let national: f64 = grants.iter().filter(|g| g.4).map(|g| g.3).sum();
    let all: f64 = grants.iter().map(|g| g.3).sum();
    assert!((0.5..0.7).contains(&(national / all)), "{}", national / all);

    for (code, info) in t["provinces"].as_object().unwrap() {
        let mine: Vec<_> = grants.iter().filter(|g| &g.0 == code).collect();
        let per_year = mine.len() as f64 / 13.0;
        let mut amounts: Vec<f64> = mine.iter().map(|g| g.3).collect();
        amounts.sort_by(f64::total_cmp);
        let median = amounts[amounts.len() / 2];
        let sectors_per_year: f64 = (2012..=2024)
            .map(|y| {
                mine.iter()
                    .filter(|g| g.2 == y)
                    .map(|g| &g.1)
                    .collect::<BTreeSet<_>>()
                    .len() as f64
            })
            .sum::<f64>()
            / 13.0;
        // Effective number of sectors (1 / HHI of amounts) over the whole period.
        let total: f64 = amounts.iter().sum();
        let mut by_sector: BTreeMap<&String, f64> = BTreeMap::new();
        for g in &mine {
            *by_sector.entry(&g.1).or_default() += g.3;
        }
        let eff = 1.0 / by_sector.values().map(|v| (v / total).powi(2)).sum::<f64>();
        match info["group"].as_str().unwrap() {
            "scattered_no_effect" | "scattered_effect" => {
                assert!(eff >= 10.0, "{code}: {eff}");
                assert!(
                    per_year >= 10.0 && median <= 250.0,
                    "{code}: {per_year} {median}"
                );
                assert!(sectors_per_year >= 7.5, "{code}: {sectors_per_year}");
            }
            "focused_no_effect" => {
                assert!(eff <= 3.0, "{code}: {eff}");
                assert!(per_year <= 3.0 && amounts[0] >= 800.0, "{code}");
                assert!(sectors_per_year <= 2.0, "{code}: {sectors_per_year}");
                // The spending moves between sectors, so each cell's spending varies.
                let sectors: BTreeSet<_> = mine.iter().map(|g| &g.1).collect();
                assert!(sectors.len() >= 2, "{code}");
            }
            _ => {
                assert!((3.0..=7.0).contains(&per_year), "{code}: {per_year}");
                assert!((3.0..9.5).contains(&eff), "{code}: {eff}");
            }
        }
    }
    // Bình Phước's pilot: 3,916.7 million VND a year in 2018–2020 in sector 10, national.
    for year in 2018..=2020 {
        assert!(
            grants.iter().any(|g| g.0 == "70"
                && g.1 == "10"
                && g.2 == year
                && g.4
                && (g.3 - 3916.7).abs() < 1e-9),
            "{year}"
        );
    }
}

/// Two-way within estimator by alternating projections: slope of y on x after removing the
/// means of two groupings.
fn two_way_slope(y: &[f64], x: &[f64], g1: &[usize], g2: &[usize]) -> f64 {
    let demean = |v: &[f64]| {
        let mut v = v.to_vec();
        for _ in 0..500 {
            let mut change: f64 = 0.0;
            for g in [g1, g2] {
                let n = g.iter().max().unwrap() + 1;
                let (mut s, mut c) = (vec![0.0; n], vec![0.0; n]);
                for (i, &k) in g.iter().enumerate() {
                    s[k] += v[i];
                    c[k] += 1.0;
                }
                for (i, &k) in g.iter().enumerate() {
                    let m = s[k] / c[k];
                    v[i] -= m;
                    change = change.max(m.abs());
                }
            }
            if change < 1e-12 {
                break;
            }
        }
        v
    };
    let (yd, xd) = (demean(y), demean(x));
    let sxy: f64 = xd.iter().zip(&yd).map(|(a, b)| a * b).sum();
    let sxx: f64 = xd.iter().map(|a| a * a).sum();
    sxy / sxx
}

#[test]
fn the_planted_elasticity_is_recovered_from_the_files() {
    let dir = generated("elasticity");
    let t = truth(&dir.0);
    let mut spend: HashMap<(String, String, i32), f64> = HashMap::new();
    for g in grants_from_files(&dir.0) {
        *spend.entry((g.0, g.1, g.2)).or_default() += g.3;
    }
    let text = std::fs::read_to_string(dir.0.join("rural_output_by_sector.csv")).unwrap();
    let mut output: HashMap<(String, String, i32), f64> = HashMap::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if !f[3].is_empty() {
            output.insert(
                (f[1].into(), f[2].into(), f[0].parse().unwrap()),
                f[3].parse().unwrap(),
            );
        }
    }
    let estimate = |effect: Option<bool>| {
        let (mut y, mut x, mut cell, mut sy) = (vec![], vec![], vec![], vec![]);
        let mut cells: HashMap<(String, String), usize> = HashMap::new();
        let mut sector_years: HashMap<(String, i32), usize> = HashMap::new();
        for (code, info) in t["provinces"].as_object().unwrap() {
            if effect.is_some_and(|e| (info["beta"].as_f64().unwrap() > 0.0) != e) {
                continue;
            }
            for s in sample::SECTORS {
                for year in 2013..=2024 {
                    let key = |yr| (code.clone(), s.to_string(), yr);
                    let (Some(now), Some(before)) =
                        (output.get(&key(year)), output.get(&key(year - 1)))
                    else {
                        continue;
                    };
                    let lag = spend.get(&key(year - 1)).copied().unwrap_or(0.0);
                    y.push(now.ln() - before.ln());
                    x.push(lag.ln_1p());
                    let n = cells.len();
                    cell.push(*cells.entry((code.clone(), s.to_string())).or_insert(n));
                    let n = sector_years.len();
                    sy.push(*sector_years.entry((s.to_string(), year)).or_insert(n));
                }
            }
        }
        two_way_slope(&y, &x, &cell, &sy)
    };
    let beta = t["beta"].as_f64().unwrap();
    assert_eq!(beta, 0.012);
    let with = estimate(Some(true));
    assert!((with - beta).abs() < 0.0015, "effective provinces: {with}");
    let without = estimate(Some(false));
    assert!(without.abs() < 0.003, "no-effect provinces: {without}");
    // The pooled fit lands on the expectation the truth records (noise sd of the slope ≈ 0.0003).
    let expected = &t["expected_estimates"];
    let all = estimate(None);
    let target = expected["all_provinces"].as_f64().unwrap();
    assert!(target < beta - 0.001, "a mix of 0.012 and 0: {target}");
    assert!(
        (all - target).abs() < 0.001,
        "all provinces: {all} vs {target}"
    );
    let target = expected["effect_provinces"].as_f64().unwrap();
    assert!(
        (with - target).abs() < 0.001,
        "effect provinces: {with} vs {target}"
    );
}
