//! Names to codes on top of the shared gazetteer: province labels resolved on either map (the
//! 63 provinces until 1 July 2025, the 34 units after), a few more spellings seen in files, and
//! the activity classes of a Vietnamese description from the rule table `data/activity_rules.csv`.

use crate::reference::{Boundary, PlaceMatch, Reference};
use crate::text::{clean, province_key};
use std::collections::HashMap;
use std::sync::OnceLock;

/// Spellings that folding and the shared aliases do not reach.
const EXTRA_ALIASES: [(&str, &str); 8] = [
    ("HCM", "79"),
    ("TP.HCM", "79"),
    ("Hồ Chí Minh City", "79"),
    ("Daklak", "66"),
    ("Đắk Lắc", "66"),
    ("Dak Nong", "67"),
    ("Kontum", "62"),
    ("Thừa Thiên-Huế", "46"),
];

/// Labels of sub-header rows inside yearbook tables: not data, not an error.
const SUBHEADER_LABELS: [&str; 6] = [
    "Tỉnh, thành phố",
    "Tỉnh/thành phố",
    "Vùng kinh tế - xã hội",
    "Vùng",
    "Cities, provincies",
    "Province",
];

/// What a place label in a file stands for.
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

fn unit_keys() -> &'static HashMap<String, String> {
    static KEYS: OnceLock<HashMap<String, String>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let r = Reference::get();
        let mut m = HashMap::new();
        for u in &r.units_2025 {
            for n in [&u.name, &u.official_name, &u.name_ascii] {
                m.insert(province_key(n), u.code.clone());
            }
        }
        m
    })
}

fn subheader_keys() -> &'static Vec<String> {
    static KEYS: OnceLock<Vec<String>> = OnceLock::new();
    KEYS.get_or_init(|| {
        SUBHEADER_LABELS
            .iter()
            .map(|s| crate::text::fold(s))
            .collect()
    })
}

/// Resolves a label to the province it names on each map.
pub fn resolve(label: &str) -> Place {
    let r = Reference::get();
    let label = clean(label);
    if label.is_empty() {
        return Place::Unknown;
    }
    let key = province_key(&label);
    let new = unit_keys().get(&key).cloned();
    let hit = r.resolve_place(&label).or_else(|| {
        EXTRA_ALIASES
            .iter()
            .find(|(a, _)| province_key(a) == key)
            .map(|(_, code)| PlaceMatch::Province {
                code: code.to_string(),
                boundary: Boundary::B2008,
            })
    });
    match hit {
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
            // A unit that was not merged ("Huế" = the old Thừa Thiên Huế) is the same territory
            // on both maps.
            let old = r
                .unit_2025(&code)
                .filter(|u| u.old_codes.len() == 1)
                .map(|u| u.old_codes[0].clone());
            Place::Province {
                old,
                new: Some(code),
            }
        }
        Some(PlaceMatch::Region(_)) | Some(PlaceMatch::Country) => Place::Aggregate,
        None if subheader_keys().contains(&crate::text::fold(&label)) => Place::Aggregate,
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
pub fn unknown_reason(label: &str) -> String {
    let shown = clean(label);
    match Reference::get().suggest_province(&shown) {
        Some(s) => format!("unknown province \"{shown}\" (did you mean \"{s}\"?)"),
        None => format!("unknown province \"{shown}\""),
    }
}

/// One rule of the activity table: a folded phrase (as word tokens) and its activity.
struct Rule {
    tokens: Vec<String>,
    activity: String,
}

const RULES_CSV: &str = include_str!("../../data/activity_rules.csv");

/// The activity classes of the canonical funding table (docs/TABLES.md).
pub const ACTIVITIES: &[&str] = crate::contract::vocab::Activity::NAMES;

fn rules() -> &'static Vec<Rule> {
    static RULES: OnceLock<Vec<Rule>> = OnceLock::new();
    RULES.get_or_init(|| {
        crate::text::split_csv(RULES_CSV)
            .into_iter()
            .skip(1)
            .filter(|r| r.len() >= 2 && ACTIVITIES.contains(&r[1].trim()))
            .map(|r| Rule {
                tokens: tokens(&r[0]),
                activity: r[1].trim().to_string(),
            })
            .filter(|r| !r.tokens.is_empty())
            .collect()
    })
}

/// Folded word tokens: "Kinh phí (Tỷ đồng)" → ["kinh", "phi", "ty", "dong"].
pub fn tokens(s: &str) -> Vec<String> {
    clean(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(crate::text::fold)
        .filter(|w| !w.is_empty())
        .collect()
}

/// True when `phrase` occurs as consecutive whole words in `words`.
pub fn has_phrase(words: &[String], phrase: &[String]) -> bool {
    !phrase.is_empty() && words.windows(phrase.len()).any(|w| w == phrase)
}

/// Classifies a description by the first matching rule; "other" when none matches.
pub fn classify_activity(description: &str) -> &'static str {
    let words = tokens(description);
    for rule in rules() {
        if has_phrase(&words, &rule.tokens) {
            return ACTIVITIES
                .iter()
                .find(|a| **a == rule.activity)
                .copied()
                .unwrap_or("other");
        }
    }
    "other"
}

/// A funding source label to national / local / other.
pub fn classify_source(label: &str) -> Option<&'static str> {
    let w = tokens(label);
    let any = |ps: &[&str]| ps.iter().any(|p| has_phrase(&w, &tokens(p)));
    if any(&["national", "kcqg", "trung ương", "quốc gia", "central"]) {
        Some("national")
    } else if any(&["local", "kcđp", "kcdp", "địa phương", "tỉnh", "provincial"]) {
        Some("local")
    } else if any(&["other", "counterpart", "đối ứng", "khác", "xã hội hóa"]) {
        Some("other")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    fn old(label: &str) -> Option<String> {
        match resolve(label) {
            Place::Province { old, .. } => old,
            other => panic!("{label}: {other:?}"),
        }
    }

    #[test]
    fn every_name_form_resolves() {
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
            resolve("Hà Nội"),
            Place::Province {
                old: Some("01".into()),
                new: Some("01".into())
            }
        );
        assert_eq!(resolve("CẢ NƯỚC"), Place::Aggregate);
        assert_eq!(resolve(" WHOLE COUNTRY"), Place::Aggregate);
        assert_eq!(resolve("Trung du miền núi phía Bắc"), Place::Aggregate);
        assert_eq!(
            resolve("Bắc Trung Bộ và Duyên hải miền Trung"),
            Place::Aggregate
        );
        assert_eq!(resolve("Tỉnh, thành phố"), Place::Aggregate);
        assert_eq!(resolve("Binh Phuok"), Place::Unknown);
        assert_eq!(
            unknown_reason("Binh Phuok"),
            "unknown province \"Binh Phuok\" (did you mean \"Bình Phước\"?)"
        );
    }

    #[test]
    fn activities_follow_the_rule_table() {
        for (d, a) in [
            (
                "Xây dựng mô hình trình diễn kỹ thuật chế biến hạt điều",
                "demonstration",
            ),
            (
                "Hỗ trợ ứng dụng máy móc thiết bị tiên tiến vào sản xuất",
                "machinery",
            ),
            ("Đào tạo nghề, truyền nghề cho 60 lao động", "training"),
            (
                "Đào tạo nâng cao năng lực quản lý doanh nghiệp",
                "management",
            ),
            (
                "Tổ chức hội chợ triển lãm hàng công nghiệp nông thôn",
                "trade_promotion",
            ),
            ("Tư vấn lập dự án đầu tư", "consulting"),
            ("Tổ chức hội nghị, hội thảo chuyên đề", "conference"),
            ("Thông tin tuyên truyền về khuyến công", "information"),
            ("Sửa chữa nhà xưởng", "other"),
            ("trade_promotion", "trade_promotion"),
            ("TRAINING", "training"),
        ] {
            assert_eq!(classify_activity(d), a, "{d}");
        }
        assert_eq!(classify_source("KCQG"), Some("national"));
        assert_eq!(classify_source("Khuyến công địa phương"), Some("local"));
        assert_eq!(classify_source("vốn đối ứng"), Some("other"));
        assert_eq!(classify_source("zzz"), None);
    }

    #[test]
    fn random_labels_never_panic() {
        let mut rng = crate::stats::rng::Rng::new(5);
        let alphabet: Vec<char> = "aăâbcdđeêghiklmnoôơpqrstuưvxyÐ .-,()TPỉnhốớ\u{0301}\u{0323}"
            .chars()
            .collect();
        for _ in 0..3_000 {
            let len = rng.below(25);
            let s: String = (0..len)
                .map(|_| alphabet[rng.below(alphabet.len())])
                .collect();
            if resolve(&s) == Place::Unknown {
                let _ = unknown_reason(&s);
            }
            let _ = classify_activity(&s);
        }
    }
}
