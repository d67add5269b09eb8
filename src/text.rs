//! Text normalisation shared by every stage: Unicode NFC, the ETH-for-Đ repair seen in GSO
//! snapshots, and the folded keys that let "TP. Hồ Chí Minh", "Ho Chi Minh city" and an NFD
//! "Hồ Chí Minh" meet in one join. Also a small RFC 4180 CSV splitter for embedded tables.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// NFC with U+00D0/U+00F0 (Latin ETH, seen in damaged GSO files) mapped to Đ/đ and outer
/// whitespace trimmed. Every label that reaches a table or a chart goes through here.
pub fn clean(s: &str) -> String {
    s.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .chars()
        .map(|c| match c {
            '\u{00D0}' => '\u{0110}',
            '\u{00F0}' => '\u{0111}',
            '\u{00A0}' => ' ',
            c => c,
        })
        .nfc()
        .collect()
}

/// A comparison key: lower case, no diacritics (đ → d), letters and digits only.
/// "Thanh Hoá", "Thanh Hóa", "THANH HOA" and "Thanh  Hoa" share the key "thanhhoa".
pub fn fold(s: &str) -> String {
    clean(s)
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(|c| c.to_lowercase())
        .map(|c| if c == 'đ' { 'd' } else { c })
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Words that name the kind of unit rather than the unit, removed before matching a province
/// name. Checked on the folded form, longest first.
const UNIT_PREFIXES: [&str; 6] = ["thanhpho", "tinh", "tp", "city", "province", "cityof"];

/// The folded key of a province name with unit-type prefixes and suffixes removed:
/// "Tỉnh Bình Phước" → "binhphuoc", "TP. Hồ Chí Minh" → "hochiminh", "Ho Chi Minh city" →
/// "hochiminh".
pub fn province_key(s: &str) -> String {
    let mut key = fold(s);
    loop {
        let before = key.len();
        for p in UNIT_PREFIXES {
            if key.len() > p.len() + 2 {
                if let Some(rest) = key.strip_prefix(p) {
                    key = rest.to_string();
                }
                if let Some(rest) = key.strip_suffix(p) {
                    key = rest.to_string();
                }
            }
        }
        if key.len() == before {
            return key;
        }
    }
}

/// Splits CSV text (comma separated, double-quoted fields may hold commas, quotes and newlines).
pub fn split_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut in_quotes = false;
    let mut chars = text.trim_start_matches('\u{feff}').chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                '"' => in_quotes = false,
                c => field.push(c),
            }
            continue;
        }
        match c {
            '"' => in_quotes = true,
            ',' => row.push(std::mem::take(&mut field)),
            '\r' => {}
            '\n' => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            c => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// Random strings of Vietnamese letters, combining marks and punctuation, for tests that a
/// reader of labels never panics.
#[cfg(test)]
pub fn random_labels(seed: u64, n: usize) -> Vec<String> {
    let mut rng = crate::stats::rng::Rng::new(seed);
    let alphabet: Vec<char> = "aăâbcdđeêghiklmnoôơpqrstuưvxyÐ .-,()TPỉnhốớ\u{0301}\u{0323}"
        .chars()
        .collect();
    (0..n)
        .map(|_| {
            let len = rng.below(25);
            (0..len)
                .map(|_| alphabet[rng.below(alphabet.len())])
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_meets_every_spelling() {
        let nfd: String = "Hồ Chí Minh".nfd().collect();
        assert_eq!(province_key(&nfd), "hochiminh");
        assert_eq!(province_key("TP. Hồ Chí Minh"), "hochiminh");
        assert_eq!(province_key("TP.Hồ Chí Minh"), "hochiminh");
        assert_eq!(province_key("Ho Chi Minh city"), "hochiminh");
        assert_eq!(province_key("Thành phố Hồ Chí Minh"), "hochiminh");
        assert_eq!(province_key("Thanh Hoá"), province_key("Tỉnh Thanh Hóa"));
        assert_eq!(province_key("\u{00D0}ồng Nai"), "dongnai");
        assert_eq!(province_key("Thai  Nguyen"), "thainguyen");
        assert_eq!(province_key("Ba Ria - Vung Tau"), "bariavungtau");
        // A name that merely starts with a prefix-like syllable keeps it.
        assert_eq!(province_key("Tiền Giang"), "tiengiang");
        assert_eq!(province_key("Tây Ninh"), "tayninh");
    }

    #[test]
    fn clean_composes_and_repairs_eth() {
        let nfd: String = "Đồng Nai".nfd().collect();
        assert_eq!(clean(&nfd), "Đồng Nai");
        assert_eq!(clean(" \u{00D0}ồng Nai "), "Đồng Nai");
    }

    #[test]
    fn csv_split_handles_quotes_and_newlines() {
        let rows = split_csv("a,b\r\n\"x, y\",\"he said \"\"hi\"\"\nz\"\n");
        assert_eq!(rows[0], vec!["a", "b"]);
        assert_eq!(rows[1], vec!["x, y", "he said \"hi\"\nz"]);
        assert_eq!(rows.len(), 2);
    }
}
