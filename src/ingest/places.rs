//! Words to classes: the activity class of a Vietnamese description (rule table
//! `data/activity_rules.csv`) and the funding source of a label. Place names are resolved by the
//! one gazetteer, [`crate::reference::Reference::place`].

use crate::text::clean;
use std::sync::OnceLock;

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
        for s in crate::text::random_labels(5, 3_000) {
            let _ = classify_activity(&s);
            let _ = classify_source(&s);
        }
    }
}
