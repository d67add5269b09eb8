//! Numbers as statistical offices and ministries write them: Vietnamese ("3.916,7", "105,8")
//! and English ("3,916.7", "105.8") separators, percent signs, footnote marks ("123,4*",
//! "(a)"), missing marks ("-", "..", "…", empty), and year labels of wide tables ("Sơ bộ 2023",
//! "Prel. 2016", "2023*", "2016 (*)").
//!
//! A value such as "43,735" or "1.250" reads differently under the two conventions. The
//! convention is decided per column from the values that are unambiguous, then per file, then
//! from the language of the headers (see [`decide_format`]); a lone ambiguous value follows it.

/// Which character is the decimal separator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumFormat {
    /// "3.916,7": dot groups thousands, comma is the decimal mark.
    Vi,
    /// "3,916.7": comma groups thousands, dot is the decimal mark.
    En,
}

/// Marks that statistical tables use for "no value".
pub fn is_missing_mark(s: &str) -> bool {
    let t = s.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    matches!(
        t,
        "" | "-"
            | "--"
            | "–"
            | "—"
            | "−"
            | "."
            | ".."
            | "..."
            | "…"
            | "x"
            | "X"
            | "n/a"
            | "N/A"
            | "na"
            | "NA"
            | "null"
            | "NULL"
            | "NaN"
            | "nan"
            | "#N/A"
    )
}

/// A lone dash: in statistical tables "no activity" (the quantity is zero), unlike an empty cell
/// or "..", which mean "unknown".
pub fn is_no_activity(s: &str) -> bool {
    matches!(s.trim(), "-" | "--" | "–" | "—" | "−")
}

/// The numeric core of a cell: sign, digits and separators, with spaces, percent signs and
/// footnote marks removed. `None` when the text is not a number at all.
fn core(s: &str) -> Option<(bool, String)> {
    let mut t: String = s
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{00a0}' | '\u{202f}' | '\''))
        .collect();
    // Footnote marks after the number: "123,4*", "123,4(a)", "123,4 (*)", "105,8¹".
    loop {
        let before = t.len();
        t = t
            .trim_end_matches(['*', '¹', '²', '³', '%', '†', '‡'])
            .to_string();
        if t.ends_with(')')
            && let Some(open) = t.rfind('(')
        {
            let inner = &t[open + 1..t.len() - 1];
            let is_mark = inner.chars().count() <= 3
                && open > 0
                && t[..open].ends_with(|c: char| c.is_ascii_digit())
                && inner
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '*' || c == ' ');
            if is_mark {
                t.truncate(open);
            }
        }
        if t.len() == before {
            break;
        }
    }
    let mut negative = false;
    // Accounting negatives "(1.250,5)" and leading signs.
    if t.starts_with('(') && t.ends_with(')') && t.len() > 2 {
        negative = true;
        t = t[1..t.len() - 1].to_string();
    }
    if let Some(rest) = t
        .strip_prefix('-')
        .or_else(|| t.strip_prefix('−'))
        .or_else(|| t.strip_prefix('–'))
    {
        negative = !negative;
        t = rest.to_string();
    } else if let Some(rest) = t.strip_prefix('+') {
        t = rest.to_string();
    }
    let bytes = t.as_bytes();
    if bytes.is_empty() || !bytes[0].is_ascii_digit() && bytes[0] != b'.' && bytes[0] != b',' {
        return None;
    }
    let mut seen_exp = false;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'0'..=b'9' | b'.' | b',' => {}
            b'e' | b'E' if !seen_exp && i > 0 && i + 1 < bytes.len() => seen_exp = true,
            b'+' | b'-' if seen_exp && matches!(bytes[i - 1], b'e' | b'E') => {}
            _ => return None,
        }
    }
    if !bytes.iter().any(u8::is_ascii_digit) {
        return None;
    }
    Some((negative, t))
}

/// True when every group after the first of `s` split at `sep` has exactly three digits, so
/// `sep` can be a thousands separator.
fn grouped_by_thousands(s: &str, sep: char) -> bool {
    let mut parts = s.split(sep);
    let first = parts.next().unwrap_or("");
    !first.is_empty()
        && first.len() <= 3
        && first.bytes().all(|b| b.is_ascii_digit())
        && parts.all(|p| p.len() == 3 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// What one value says about the convention, if anything.
pub fn vote(s: &str) -> Option<NumFormat> {
    let (_, t) = core(s)?;
    if t.contains(['e', 'E']) {
        return Some(NumFormat::En);
    }
    let dots = t.matches('.').count();
    let commas = t.matches(',').count();
    match (dots, commas) {
        (0, 0) => None,
        (_, 0) if dots > 1 => Some(NumFormat::Vi),
        (0, _) if commas > 1 => Some(NumFormat::En),
        (1, 0) => {
            if grouped_by_thousands(&t, '.') {
                None
            } else {
                Some(NumFormat::En)
            }
        }
        (0, 1) => {
            if grouped_by_thousands(&t, ',') {
                None
            } else {
                Some(NumFormat::Vi)
            }
        }
        _ => {
            let last_dot = t.rfind('.').unwrap_or(0);
            let last_comma = t.rfind(',').unwrap_or(0);
            if last_comma > last_dot {
                Some(NumFormat::Vi)
            } else {
                Some(NumFormat::En)
            }
        }
    }
}

/// Counts of unambiguous votes over many values.
#[derive(Debug, Default, Clone, Copy)]
pub struct Votes {
    pub vi: usize,
    pub en: usize,
}

impl Votes {
    pub fn add(&mut self, s: &str) {
        match vote(s) {
            Some(NumFormat::Vi) => self.vi += 1,
            Some(NumFormat::En) => self.en += 1,
            None => {}
        }
    }

    pub fn merge(&mut self, other: Votes) {
        self.vi += other.vi;
        self.en += other.en;
    }

    /// The majority, if any value voted.
    pub fn winner(self) -> Option<NumFormat> {
        match (self.vi, self.en) {
            (0, 0) => None,
            (vi, en) if vi > en => Some(NumFormat::Vi),
            (vi, en) if en > vi => Some(NumFormat::En),
            // A tie means a mixed column; the file or header language decides.
            _ => None,
        }
    }
}

/// The convention of a column: its own unambiguous values first, then the whole file's, then
/// the language of the headers (Vietnamese headers → Vietnamese numbers).
pub fn decide_format(column: Votes, file: Votes, vietnamese_headers: bool) -> NumFormat {
    column
        .winner()
        .or(file.winner())
        .unwrap_or(if vietnamese_headers {
            NumFormat::Vi
        } else {
            NumFormat::En
        })
}

/// Parses one cell. `Ok(None)` for a missing mark, `Err(reason)` for text that is not a number.
pub fn parse_number(s: &str, format: NumFormat) -> Result<Option<f64>, String> {
    if is_missing_mark(s) {
        return Ok(None);
    }
    let (negative, t) = core(s).ok_or_else(|| format!("not a number: \"{}\"", s.trim()))?;
    let dots = t.matches('.').count();
    let commas = t.matches(',').count();
    let (thousands, decimal) = match format {
        NumFormat::Vi => ('.', ','),
        NumFormat::En => (',', '.'),
    };
    let plain: String = if t.contains(['e', 'E']) {
        if commas > 0 {
            return Err(format!("not a number: \"{}\"", s.trim()));
        }
        t.clone()
    } else if dots > 0 && commas > 0 {
        // Both present: the later one is the decimal mark whatever the file says.
        let (th, de) = if t.rfind(',') > t.rfind('.') {
            ('.', ',')
        } else {
            (',', '.')
        };
        let (int, frac) = t.rsplit_once(de).unwrap_or((&t, ""));
        if int.contains(de) || frac.contains(th) || !grouped_by_thousands(int, th) {
            return Err(format!("not a number: \"{}\"", s.trim()));
        }
        format!("{}.{}", int.replace(th, ""), frac)
    } else {
        let sep_count = if thousands == '.' { dots } else { commas };
        let dec_count = if decimal == '.' { dots } else { commas };
        if sep_count > 0 && grouped_by_thousands(&t, thousands) {
            t.replace(thousands, "")
        } else if dec_count == 1 || sep_count == 1 {
            // One separator that cannot be a thousands mark here: it is the decimal mark
            // ("105.8" in a Vietnamese file, "105,8" in an English one).
            t.replace([',', '.'], ".")
        } else if dec_count == 0 && sep_count == 0 {
            t.clone()
        } else {
            return Err(format!("not a number: \"{}\"", s.trim()));
        }
    };
    let v: f64 = plain
        .parse()
        .map_err(|_| format!("not a number: \"{}\"", s.trim()))?;
    if !v.is_finite() {
        return Err(format!("not a finite number: \"{}\"", s.trim()));
    }
    Ok(Some(if negative { -v } else { v }))
}

/// A year column label: the year and whether it is preliminary ("Sơ bộ 2023", "Prel. 2016",
/// "2023*", "2024 (sb)", "Ước tính 2024"). "2016 (*)" is a footnote, not a preliminary mark.
pub fn parse_year_label(s: &str) -> Option<(i32, bool)> {
    let c = crate::text::clean(s);
    let lower = c.to_lowercase();
    let mut prel = false;
    let mut rest = lower.as_str().trim().to_string();
    for mark in [
        "sơ bộ",
        "so bo",
        "prel.",
        "prel",
        "preliminary",
        "ước tính",
        "ước",
        "uoc tinh",
        "est.",
        "estimate",
        "(sb)",
        "sb",
    ] {
        if let Some(pos) = rest.find(mark) {
            // Only as a whole word, so "sb" does not match inside other text.
            let before_ok = pos == 0 || !rest[..pos].ends_with(|c: char| c.is_alphanumeric());
            let after = &rest[pos + mark.len()..];
            let after_ok = !after.starts_with(|c: char| c.is_alphabetic());
            if before_ok && after_ok {
                prel = true;
                rest = format!("{}{}", &rest[..pos], after);
            }
        }
    }
    let mut t = rest.trim().to_string();
    // "nãm": "năm" damaged by a legacy Vietnamese font conversion.
    for word in ["năm", "nãm", "nam", "year"] {
        if let Some(r) = t.strip_prefix(word) {
            t = r.trim_start().to_string();
        }
    }
    let t = t.replace("(*)", "").replace("(**)", "");
    let t = t.trim();
    let (digits, tail) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
    if digits.len() != 4 {
        return None;
    }
    let tail = tail.trim();
    if !tail.is_empty() {
        if tail.chars().all(|c| c == '*') {
            prel = true;
        } else {
            return None;
        }
    }
    let year: i32 = digits.parse().ok()?;
    (1980..=2100).contains(&year).then_some((year, prel))
}

#[cfg(test)]
mod tests {
    use super::*;
    use NumFormat::{En, Vi};

    fn p(s: &str, f: NumFormat) -> Option<f64> {
        parse_number(s, f).unwrap()
    }

    #[test]
    fn both_conventions_and_marks() {
        assert_eq!(p("3.916,7", Vi), Some(3916.7));
        assert_eq!(p("3.916,7", En), Some(3916.7));
        assert_eq!(p("3,916.7", Vi), Some(3916.7));
        assert_eq!(p("105,8", Vi), Some(105.8));
        assert_eq!(p("105,8", En), Some(105.8));
        assert_eq!(p("105.8", Vi), Some(105.8));
        assert_eq!(p("1.250,5", Vi), Some(1250.5));
        assert_eq!(p("1.250", Vi), Some(1250.0));
        assert_eq!(p("1.250", En), Some(1.25));
        assert_eq!(p("43,735", Vi), Some(43.735));
        assert_eq!(p("43,735", En), Some(43735.0));
        assert_eq!(p("1.013.000", Vi), Some(1_013_000.0));
        assert_eq!(p("1,013,000", En), Some(1_013_000.0));
        assert_eq!(p("21,62%", Vi), Some(21.62));
        assert_eq!(p("123,4*", Vi), Some(123.4));
        assert_eq!(p("123,4 (a)", Vi), Some(123.4));
        assert_eq!(p("123,4(*)", Vi), Some(123.4));
        assert_eq!(p("-12,5", Vi), Some(-12.5));
        assert_eq!(p("(12,5)", Vi), Some(-12.5));
        assert_eq!(p("1 250,5", Vi), Some(1250.5));
        assert_eq!(p("330957.6", Vi), Some(330957.6));
        assert_eq!(p("1e3", En), Some(1000.0));
        for m in ["", "-", "..", "...", "…", " .. ", "x"] {
            assert_eq!(p(m, Vi), None, "{m}");
        }
        assert!(parse_number("khoảng 500", Vi).is_err());
        assert!(parse_number("1.2.3,4,5", Vi).is_err());
        assert!(parse_number("abc", En).is_err());
        assert!(parse_number("1,2.5", En).is_err());
    }

    #[test]
    fn votes_decide_ambiguous_values() {
        assert_eq!(vote("105,8"), Some(Vi));
        assert_eq!(vote("105.8"), Some(En));
        assert_eq!(vote("43,735"), None);
        assert_eq!(vote("1.250"), None);
        assert_eq!(vote("1.250,5"), Some(Vi));
        assert_eq!(vote("1,250.5"), Some(En));
        assert_eq!(vote("1.013.000"), Some(Vi));
        let mut col = Votes::default();
        for v in ["43,735", "105,8", "12,25"] {
            col.add(v);
        }
        assert_eq!(decide_format(col, Votes::default(), false), Vi);
        // No evidence in the column: the file decides, then the header language.
        let mut file = Votes::default();
        file.add("3,916.7");
        assert_eq!(decide_format(Votes::default(), file, true), En);
        assert_eq!(decide_format(Votes::default(), Votes::default(), true), Vi);
        assert_eq!(decide_format(Votes::default(), Votes::default(), false), En);
    }

    #[test]
    fn year_labels() {
        assert_eq!(parse_year_label("2023"), Some((2023, false)));
        assert_eq!(parse_year_label("Sơ bộ 2024"), Some((2024, true)));
        assert_eq!(parse_year_label("Prel. 2016"), Some((2016, true)));
        assert_eq!(parse_year_label(" Prel.2016"), Some((2016, true)));
        assert_eq!(parse_year_label("2023*"), Some((2023, true)));
        assert_eq!(parse_year_label("2016 (*)"), Some((2016, false)));
        assert_eq!(parse_year_label("2024 (sb)"), Some((2024, true)));
        assert_eq!(parse_year_label("Năm 2018"), Some((2018, false)));
        assert_eq!(parse_year_label("2011 Area (Km2)"), None);
        assert_eq!(parse_year_label("Tỉnh, thành phố"), None);
        assert_eq!(parse_year_label("12345"), None);
        assert_eq!(parse_year_label("1850"), None);
    }

    #[test]
    fn random_text_never_panics() {
        let mut rng = crate::stats::rng::Rng::new(20240611);
        let alphabet: Vec<char> = "0123456789.,-+()*%eE …'x sbộ\u{00a0}(a)¹é\u{0301}"
            .chars()
            .collect();
        for _ in 0..20_000 {
            let len = rng.below(12);
            let s: String = (0..len)
                .map(|_| alphabet[rng.below(alphabet.len())])
                .collect();
            for f in [Vi, En] {
                if let Ok(Some(v)) = parse_number(&s, f) {
                    assert!(v.is_finite(), "{s:?}");
                }
            }
            let _ = vote(&s);
            let _ = parse_year_label(&s);
        }
        // Arbitrary Unicode, including multi-byte characters next to separators.
        for _ in 0..5_000 {
            let len = rng.below(10);
            let s: String = (0..len)
                .filter_map(|_| char::from_u32(rng.below(0x3000) as u32))
                .collect();
            let _ = parse_number(&s, Vi);
            let _ = parse_year_label(&s);
        }
    }
}
