//! The real reference tables shipped in `data/reference/` (embedded in the binary, so a run works
//! from any folder): the 63 provinces before 1 July 2025 with GSO codes and regions, the 34 units
//! after Resolution 202/2025/QH15 with the merger crosswalk, and the VSIC 2018 divisions. Looks
//! provinces, regions and sectors up by code and by any spelling of their name.

use crate::text::{fold, province_key, split_csv};
use std::collections::HashMap;
use std::sync::OnceLock;

const PROVINCES_63: &str = include_str!("../data/reference/provinces_63.csv");
const PROVINCES_34: &str = include_str!("../data/reference/provinces_34.csv");
const VSIC_2018: &str = include_str!("../data/reference/vsic2018_manufacturing.csv");

/// Which province map a table is on.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Boundary {
    /// The 63 provinces in force until 30 June 2025.
    #[serde(rename = "2008")]
    B2008,
    /// The 34 units in force from 1 July 2025.
    #[serde(rename = "2025")]
    B2025,
}

impl Boundary {
    pub fn as_str(self) -> &'static str {
        match self {
            Boundary::B2008 => "2008",
            Boundary::B2025 => "2025",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "2008" | "63" => Some(Boundary::B2008),
            "2025" | "34" => Some(Boundary::B2025),
            _ => None,
        }
    }

    /// The map annual data of a year are on: the 34 units from 2025 (the reform took effect on
    /// 1 July 2025, and annual figures for 2025 are published for the new units), the 63
    /// provinces before.
    pub fn in_force(year: i32) -> Self {
        if year >= 2025 {
            Boundary::B2025
        } else {
            Boundary::B2008
        }
    }
}

#[derive(Debug, Clone)]
pub struct Province {
    /// GSO two-digit code.
    pub code: String,
    /// Short name, "Bình Phước".
    pub name: String,
    /// Official name with unit type, "Tỉnh Bình Phước".
    pub official_name: String,
    pub name_ascii: String,
    /// Name in GSO's English tables, "Binh Phuoc".
    pub name_en: String,
    /// GSO socio-economic region, 1..=6.
    pub region_id: u8,
    pub region_vi: String,
    pub region_en: String,
    /// Position in GSO's tables (region order, not code order).
    pub table_order: u32,
    /// Code of the unit it belongs to from 1 July 2025.
    pub code_2025: String,
}

#[derive(Debug, Clone)]
pub struct Unit2025 {
    pub code: String,
    pub name: String,
    pub official_name: String,
    pub name_ascii: String,
    /// The old provinces merged into it (itself included).
    pub old_codes: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Sector {
    /// VSIC 2018 division, two digits.
    pub code: String,
    /// Section letter (B, C, D, E).
    pub section: String,
    pub name_vi: String,
    pub name_en: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PlaceMatch {
    /// A province; `boundary` is the map whose list the name came from (B2008 when the name is on
    /// both maps).
    Province { code: String, boundary: Boundary },
    /// One of GSO's six regions (id 1..=6).
    Region(u8),
    /// The whole country.
    Country,
}

/// GSO region labels, Vietnamese and English, with the variants seen in real tables.
const REGION_LABELS: [(u8, &[&str]); 6] = [
    (1, &["Đồng bằng sông Hồng", "Red River Delta"]),
    (
        2,
        &[
            "Trung du và miền núi phía Bắc",
            "Trung du miền núi phía Bắc",
            "Northern midlands and mountain areas",
        ],
    ),
    (
        3,
        &[
            "Bắc Trung Bộ và duyên hải miền Trung",
            "Northern Central area and Central coastal area",
        ],
    ),
    (4, &["Tây Nguyên", "Central Highlands"]),
    (5, &["Đông Nam Bộ", "South East"]),
    (6, &["Đồng bằng sông Cửu Long", "Mekong River Delta"]),
];

const COUNTRY_LABELS: [&str; 4] = ["Cả nước", "Toàn quốc", "Whole country", "Tổng số"];

/// Spellings seen in real files that folding alone does not reach, and their GSO code.
const PROVINCE_ALIASES: [(&str, &str); 8] = [
    ("Thừa Thiên Huế", "46"),
    ("Thừa Thiên - Huế", "46"),
    ("Thua Thien-Hue", "46"),
    ("TP HCM", "79"),
    ("TPHCM", "79"),
    ("Sài Gòn", "79"),
    ("Bà Rịa Vũng Tàu", "77"),
    ("Đắc Lắc", "66"),
];

pub struct Reference {
    pub provinces: Vec<Province>,
    pub units_2025: Vec<Unit2025>,
    pub sectors: Vec<Sector>,
    province_by_code: HashMap<String, usize>,
    unit_by_code: HashMap<String, usize>,
    sector_by_code: HashMap<String, usize>,
    place_by_key: HashMap<String, PlaceMatch>,
    sector_by_key: HashMap<String, usize>,
}

fn columns(header: &[String]) -> HashMap<&str, usize> {
    header
        .iter()
        .enumerate()
        .map(|(i, h)| (h.as_str(), i))
        .collect()
}

impl Reference {
    /// The embedded reference tables, parsed once.
    pub fn get() -> &'static Reference {
        static REF: OnceLock<Reference> = OnceLock::new();
        REF.get_or_init(Reference::build)
    }

    fn build() -> Reference {
        let rows = split_csv(PROVINCES_63);
        let c = columns(&rows[0]);
        let provinces: Vec<Province> = rows[1..]
            .iter()
            .filter(|r| r.len() > 1)
            .map(|r| Province {
                code: r[c["code_gso"]].clone(),
                name: crate::text::clean(&r[c["name_vi"]]),
                official_name: crate::text::clean(&r[c["name_vi_official"]]),
                name_ascii: r[c["name_ascii"]].clone(),
                name_en: r[c["name_en_gso"]].clone(),
                region_id: r[c["region_id_gso"]].parse().expect("region id"),
                region_vi: r[c["region_gso_vi"]].clone(),
                region_en: r[c["region_gso_en"]].clone(),
                table_order: r[c["gso_table_order"]].parse().expect("table order"),
                code_2025: r[c["new_code_2025"]].clone(),
            })
            .collect();
        let rows = split_csv(PROVINCES_34);
        let c = columns(&rows[0]);
        let units_2025: Vec<Unit2025> = rows[1..]
            .iter()
            .filter(|r| r.len() > 1)
            .map(|r| Unit2025 {
                code: r[c["code_2025"]].clone(),
                name: crate::text::clean(&r[c["name_vi"]]),
                official_name: crate::text::clean(&r[c["name_vi_official"]]),
                name_ascii: r[c["name_ascii"]].clone(),
                old_codes: r[c["old_codes"]].split(';').map(str::to_string).collect(),
            })
            .collect();
        let rows = split_csv(VSIC_2018);
        let c = columns(&rows[0]);
        let sectors: Vec<Sector> = rows[1..]
            .iter()
            .filter(|r| r.len() > 1 && r[c["level"]] == "division")
            .map(|r| Sector {
                code: r[c["division_code"]].clone(),
                section: r[c["section"]].clone(),
                name_vi: crate::text::clean(&r[c["name_vi_vsic2018"]]),
                name_en: r[c["name_en_isic4"]].clone(),
            })
            .collect();

        let mut place_by_key = HashMap::new();
        for p in &provinces {
            let hit = PlaceMatch::Province {
                code: p.code.clone(),
                boundary: Boundary::B2008,
            };
            for name in [&p.name, &p.official_name, &p.name_ascii, &p.name_en] {
                place_by_key.insert(province_key(name), hit.clone());
            }
        }
        for (alias, code) in PROVINCE_ALIASES {
            place_by_key.insert(
                province_key(alias),
                PlaceMatch::Province {
                    code: code.to_string(),
                    boundary: Boundary::B2008,
                },
            );
        }
        for u in &units_2025 {
            place_by_key
                .entry(province_key(&u.name))
                .or_insert(PlaceMatch::Province {
                    code: u.code.clone(),
                    boundary: Boundary::B2025,
                });
        }
        for (id, labels) in REGION_LABELS {
            for l in labels {
                place_by_key.insert(fold(l), PlaceMatch::Region(id));
            }
        }
        for l in COUNTRY_LABELS {
            place_by_key.insert(fold(l), PlaceMatch::Country);
        }
        let mut sector_by_key = HashMap::new();
        for (i, s) in sectors.iter().enumerate() {
            sector_by_key.insert(fold(&s.name_vi), i);
            sector_by_key.insert(fold(&s.name_en), i);
        }
        Reference {
            province_by_code: index(provinces.iter().map(|p| &p.code)),
            unit_by_code: index(units_2025.iter().map(|u| &u.code)),
            sector_by_code: index(sectors.iter().map(|s| &s.code)),
            provinces,
            units_2025,
            sectors,
            place_by_key,
            sector_by_key,
        }
    }

    /// A province of the 63-province map by GSO code.
    pub fn province(&self, code: &str) -> Option<&Province> {
        self.province_by_code.get(code).map(|&i| &self.provinces[i])
    }

    /// A unit of the 34-unit map by its 2025 code.
    pub fn unit_2025(&self, code: &str) -> Option<&Unit2025> {
        self.unit_by_code.get(code).map(|&i| &self.units_2025[i])
    }

    /// The display name of a code on a map.
    pub fn name_of(&self, code: &str, boundary: Boundary) -> Option<&str> {
        match boundary {
            Boundary::B2008 => self.province(code).map(|p| p.name.as_str()),
            Boundary::B2025 => self.unit_2025(code).map(|u| u.name.as_str()),
        }
    }

    /// The codes of a map, in code order.
    pub fn codes(&self, boundary: Boundary) -> Vec<&str> {
        let mut codes: Vec<&str> = match boundary {
            Boundary::B2008 => self.provinces.iter().map(|p| p.code.as_str()).collect(),
            Boundary::B2025 => self.units_2025.iter().map(|u| u.code.as_str()).collect(),
        };
        codes.sort_unstable();
        codes
    }

    /// Resolves a place label as it appears in a file: a province (any spelling), a region or
    /// the whole country. `None` when nothing matches; see [`Reference::suggest_province`].
    pub fn resolve_place(&self, label: &str) -> Option<PlaceMatch> {
        let key = province_key(label);
        if let Some(hit) = self.place_by_key.get(&key) {
            return Some(hit.clone());
        }
        self.place_by_key.get(&fold(label)).cloned()
    }

    /// The closest province name to an unknown label, for a "did you mean" hint.
    pub fn suggest_province(&self, label: &str) -> Option<&str> {
        let key = province_key(label);
        self.provinces
            .iter()
            .map(|p| (edit_distance(&key, &province_key(&p.name)), p.name.as_str()))
            .min_by_key(|(d, _)| *d)
            .filter(|(d, _)| *d <= key.len().max(3) / 3 + 1)
            .map(|(_, n)| n)
    }

    /// A VSIC division by its code ("10", "C10", "1010" → "10").
    pub fn sector(&self, code: &str) -> Option<&Sector> {
        let digits: String = code.chars().filter(|c| c.is_ascii_digit()).collect();
        let key = if digits.len() >= 2 {
            &digits[..2]
        } else {
            &digits
        };
        self.sector_by_code.get(key).map(|&i| &self.sectors[i])
    }

    /// A VSIC division by its code or its Vietnamese or English name.
    pub fn resolve_sector(&self, label: &str) -> Option<&Sector> {
        let trimmed = label.trim();
        // "10", "C10", "C 10", "1010" are codes; anything else is a name.
        let code_part = trimmed
            .strip_prefix(|c: char| c.is_ascii_uppercase())
            .unwrap_or(trimmed)
            .trim_start();
        if code_part.len() >= 2 && code_part.chars().take(2).all(|c| c.is_ascii_digit()) {
            return self.sector(code_part);
        }
        self.sector_by_key
            .get(&fold(trimmed))
            .map(|&i| &self.sectors[i])
    }

    /// The 2025 unit that an old province became part of.
    pub fn code_2025_of(&self, code_2008: &str) -> Option<&str> {
        self.province(code_2008).map(|p| p.code_2025.as_str())
    }
}

fn index<'a>(codes: impl Iterator<Item = &'a String>) -> HashMap<String, usize> {
    codes.enumerate().map(|(i, c)| (c.clone(), i)).collect()
}

/// Levenshtein distance on chars.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_have_the_real_counts() {
        let r = Reference::get();
        assert_eq!(r.provinces.len(), 63);
        assert_eq!(r.units_2025.len(), 34);
        // Every old province lands in exactly one new unit, and the crosswalk agrees both ways.
        let total: usize = r.units_2025.iter().map(|u| u.old_codes.len()).sum();
        assert_eq!(total, 63);
        for u in &r.units_2025 {
            for old in &u.old_codes {
                assert_eq!(r.code_2025_of(old), Some(u.code.as_str()), "{old}");
            }
        }
        // GSO regions: 11/14/14/5/6/13 provinces (SOURCES.md).
        let counts: Vec<usize> = (1..=6)
            .map(|id| r.provinces.iter().filter(|p| p.region_id == id).count())
            .collect();
        assert_eq!(counts, vec![11, 14, 14, 5, 6, 13]);
        assert!(r.sectors.iter().any(|s| s.code == "10"));
    }

    #[test]
    fn names_resolve_in_every_form() {
        let r = Reference::get();
        let code = |s: &str| match r.resolve_place(s) {
            Some(PlaceMatch::Province { code, .. }) => code,
            other => panic!("{s}: {other:?}"),
        };
        assert_eq!(code("Bình Phước"), "70");
        assert_eq!(code("Binh Phuoc"), "70");
        assert_eq!(code("Tỉnh Bình Phước"), "70");
        assert_eq!(code("TP. Hồ Chí Minh"), "79");
        assert_eq!(code("Ho Chi Minh city"), "79");
        assert_eq!(code("Thừa Thiên Huế"), "46");
        assert_eq!(code("Huế"), "46");
        assert_eq!(code("Thua Thien-Hue"), "46");
        assert_eq!(code("Hoà Bình"), "17");
        assert_eq!(code("Hòa Bình"), "17");
        assert_eq!(code("Ba Ria - Vung Tau"), "77");
        assert_eq!(r.resolve_place(" WHOLE COUNTRY"), Some(PlaceMatch::Country));
        assert_eq!(r.resolve_place("CẢ NƯỚC"), Some(PlaceMatch::Country));
        assert_eq!(
            r.resolve_place("Bắc Trung Bộ và Duyên hải miền Trung"),
            Some(PlaceMatch::Region(3))
        );
        assert_eq!(r.resolve_place("Atlantis"), None);
        assert_eq!(r.suggest_province("Binh Phuok"), Some("Bình Phước"));
    }

    #[test]
    fn sectors_resolve_by_code_and_name() {
        let r = Reference::get();
        assert_eq!(r.resolve_sector("10").unwrap().code, "10");
        assert_eq!(r.resolve_sector("C10").unwrap().code, "10");
        assert_eq!(r.resolve_sector("Sản xuất đồ uống").unwrap().code, "11");
        assert_eq!(
            r.resolve_sector("Manufacture of beverages").unwrap().code,
            "11"
        );
    }
}
