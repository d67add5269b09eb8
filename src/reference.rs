//! The real reference tables shipped in `data/reference/` (embedded in the binary, so a run works
//! from any folder): the 63 provinces before 1 July 2025 with GSO codes and regions, the 34 units
//! after Resolution 202/2025/QH15 with the merger crosswalk, and the VSIC 2018 divisions. Looks
//! provinces, regions and sectors up by code and by any spelling of their name: this is the one
//! place-name resolver ([`Reference::place`]); spellings that folding does not reach are in
//! `data/reference/province_aliases.csv`.

use crate::text::{fold, province_key, split_csv};
use std::collections::HashMap;
use std::sync::OnceLock;

const PROVINCES_63: &str = include_str!("../data/reference/provinces_63.csv");
const PROVINCES_34: &str = include_str!("../data/reference/provinces_34.csv");
const VSIC_2018: &str = include_str!("../data/reference/vsic2018_manufacturing.csv");
const ALIASES: &str = include_str!("../data/reference/province_aliases.csv");

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

/// Labels of sub-header rows inside yearbook tables: not a place, not an error.
const SUBHEADER_LABELS: [&str; 6] = [
    "Tỉnh, thành phố",
    "Tỉnh/thành phố",
    "Vùng kinh tế - xã hội",
    "Vùng",
    "Cities, provincies",
    "Province",
];

/// What a place label in a file stands for, on both maps.
#[derive(Debug, Clone, PartialEq)]
pub enum Place {
    /// A province: its code on the 63-province map and/or on the 34-unit map.
    Province {
        old: Option<String>,
        new: Option<String>,
    },
    /// A region, the whole country or a sub-header: kept out of the province table.
    Aggregate,
    Unknown,
}

pub struct Reference {
    pub provinces: Vec<Province>,
    pub units_2025: Vec<Unit2025>,
    pub sectors: Vec<Sector>,
    province_by_code: HashMap<String, usize>,
    unit_by_code: HashMap<String, usize>,
    sector_by_code: HashMap<String, usize>,
    place_by_key: HashMap<String, PlaceMatch>,
    /// Every name form of the 34 units (short, official, ASCII) → 2025 code.
    unit_by_key: HashMap<String, String>,
    subheader_keys: Vec<String>,
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
        for (alias, code) in aliases() {
            place_by_key.insert(
                province_key(&alias),
                PlaceMatch::Province {
                    code,
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
        let mut unit_by_key = HashMap::new();
        for u in &units_2025 {
            for n in [&u.name, &u.official_name, &u.name_ascii] {
                unit_by_key.insert(province_key(n), u.code.clone());
            }
        }
        Reference {
            unit_by_key,
            subheader_keys: SUBHEADER_LABELS.iter().map(|s| fold(s)).collect(),
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

    /// What a label in a file names, on both maps: a province (its code on the 63-province map
    /// and/or on the 34-unit map), an aggregate (region, whole country, a sub-header) or nothing.
    pub fn place(&self, label: &str) -> Place {
        let label = crate::text::clean(label);
        if label.is_empty() {
            return Place::Unknown;
        }
        let new = self.unit_by_key.get(&province_key(&label)).cloned();
        match self.resolve_place(&label) {
            Some(PlaceMatch::Province {
                code,
                boundary: Boundary::B2008,
            }) => Place::Province {
                old: Some(code),
                new,
            },
            Some(PlaceMatch::Province {
                code,
                boundary: Boundary::B2025,
            }) => {
                // A unit that was not merged ("Huế" = the old Thừa Thiên Huế) is the same
                // territory on both maps.
                let old = self
                    .unit_2025(&code)
                    .filter(|u| u.old_codes.len() == 1)
                    .map(|u| u.old_codes[0].clone());
                Place::Province {
                    old,
                    new: Some(code),
                }
            }
            Some(PlaceMatch::Region(_)) | Some(PlaceMatch::Country) => Place::Aggregate,
            None if self.subheader_keys.contains(&fold(&label)) => Place::Aggregate,
            None => match new {
                Some(code) => Place::Province {
                    old: None,
                    new: Some(code),
                },
                None => Place::Unknown,
            },
        }
    }

    /// The reason text for a label that names no province, with a suggestion when one is close.
    pub fn unknown_province_reason(&self, label: &str) -> String {
        let shown = crate::text::clean(label);
        match self.suggest_province(&shown) {
            Some(s) => format!("unknown province \"{shown}\" (did you mean \"{s}\"?)"),
            None => format!("unknown province \"{shown}\""),
        }
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

/// `data/reference/province_aliases.csv` as (alias, GSO code) pairs.
fn aliases() -> Vec<(String, String)> {
    let rows = split_csv(ALIASES);
    let c = columns(&rows[0]);
    rows[1..]
        .iter()
        .filter(|r| r.len() > 1)
        .map(|r| (r[c["alias"]].clone(), r[c["code_gso"]].clone()))
        .collect()
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
    use unicode_normalization::UnicodeNormalization;

    fn old(label: &str) -> Option<String> {
        match Reference::get().place(label) {
            Place::Province { old, .. } => old,
            other => panic!("{label}: {other:?}"),
        }
    }

    #[test]
    fn every_name_form_resolves() {
        let r = Reference::get();
        let nfd: String = "Bình Phước".nfd().collect();
        for (label, code) in [
            ("Bình Phước", "70"),
            ("Binh Phuoc", "70"),
            (nfd.as_str(), "70"),
            ("Tỉnh Bình Phước", "70"),
            ("BÌNH PHƯỚC", "70"),
            ("Thanh Hoá", "38"),
            ("Thanh Hóa", "38"),
            ("Khánh Hoà", "56"),
            ("\u{00D0}ồng Nai", "75"),
            ("\u{00D0}à N\u{1EB5}ng", "48"),
            ("TP. Hồ Chí Minh", "79"),
            ("TP.Hồ Chí Minh", "79"),
            ("TP HCM", "79"),
            ("Thành phố Hồ Chí Minh", "79"),
            ("Ho Chi Minh city", "79"),
            ("Thừa Thiên Huế", "46"),
            ("Thua Thien-Hue", "46"),
            ("Huế", "46"),
            ("Thành phố Huế", "46"),
            ("Thai  Nguyen", "19"),
            ("Ba Ria - Vung Tau", "77"),
            ("Daklak", "66"),
        ] {
            assert_eq!(old(label).as_deref(), Some(code), "{label}");
        }
        // A merged 2025 unit's name that was never a province exists only on the new map.
        assert_eq!(
            r.place("Hà Nội"),
            Place::Province {
                old: Some("01".into()),
                new: Some("01".into())
            }
        );
        assert_eq!(r.place("CẢ NƯỚC"), Place::Aggregate);
        assert_eq!(r.place(" WHOLE COUNTRY"), Place::Aggregate);
        assert_eq!(r.place("Trung du miền núi phía Bắc"), Place::Aggregate);
        assert_eq!(
            r.place("Bắc Trung Bộ và Duyên hải miền Trung"),
            Place::Aggregate
        );
        assert_eq!(r.place("Tỉnh, thành phố"), Place::Aggregate);
        assert_eq!(r.place("Binh Phuok"), Place::Unknown);
        assert_eq!(
            r.unknown_province_reason("Binh Phuok"),
            "unknown province \"Binh Phuok\" (did you mean \"Bình Phước\"?)"
        );
    }

    #[test]
    fn random_labels_never_panic() {
        let r = Reference::get();
        for s in crate::text::random_labels(5, 3_000) {
            if r.place(&s) == Place::Unknown {
                let _ = r.unknown_province_reason(&s);
            }
        }
    }

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
    fn every_alias_names_a_province_and_both_spellings_resolve() {
        let r = Reference::get();
        let aliases = aliases();
        assert_eq!(aliases.len(), 16);
        for (alias, code) in &aliases {
            assert!(r.province(code).is_some(), "{alias}: no province {code}");
            match r.place(alias) {
                Place::Province { old, .. } => assert_eq!(old.as_deref(), Some(code.as_str())),
                other => panic!("{alias}: {other:?}"),
            }
        }
        // The two misspellings of Đắk Lắk both reach code 66 (they were split between two
        // alias lists once).
        for s in ["Đắc Lắc", "Đắk Lắc", "Daklak", "Đắk Lắk"] {
            assert!(
                matches!(r.place(s), Place::Province { old: Some(o), .. } if o == "66"),
                "{s}"
            );
        }
    }

    #[test]
    fn places_on_both_maps() {
        let r = Reference::get();
        // An old province merged into a new unit: only the old code from its own name.
        let p = r.place("Bình Phước");
        assert!(
            matches!(&p, Place::Province { old: Some(o), .. } if o == "70"),
            "{p:?}"
        );
        // Huế was not merged: the same territory on both maps.
        assert!(
            matches!(r.place("Huế"), Place::Province { old: Some(o), new: Some(_) } if o == "46")
        );
        assert_eq!(r.place("Đồng bằng sông Hồng"), Place::Aggregate);
        assert_eq!(r.place("Cả nước"), Place::Aggregate);
        assert_eq!(r.place("Tỉnh/thành phố"), Place::Aggregate);
        assert_eq!(r.place("Atlantis"), Place::Unknown);
        assert_eq!(r.place("   "), Place::Unknown);
        assert_eq!(
            r.unknown_province_reason("Binh Phuok"),
            "unknown province \"Binh Phuok\" (did you mean \"Bình Phước\"?)"
        );
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
