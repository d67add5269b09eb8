//! Layout detection: which row is the header, whether years run across the columns (wide
//! yearbook tables) or down a column (long lists), what each column means from its Vietnamese or
//! English header, and the unit and measure a table is in (from headers and title rows).

use super::Kind;
use super::number::parse_year_label;
use super::places::{has_phrase, tokens};
use super::read::{Cell, Row};
use crate::contract::schema::col;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Stt,
    ProjectId,
    Name,
    Year,
    ProvinceCode,
    Province,
    Sector,
    Activity,
    Description,
    Source,
    Amount,
    Planned,
    Beneficiary,
    Implementer,
    TargetTrainees,
    AchievedTrainees,
    TargetModels,
    AchievedModels,
    Output,
    Iip,
    EmploymentIndex,
    Employment,
    Establishments,
    Ignore,
}

impl Role {
    /// The role a canonical column name (as used in `columns` overrides) stands for.
    pub fn from_canonical(name: &str) -> Option<Role> {
        Some(match name.trim() {
            "stt" => Role::Stt,
            col::PROJECT_ID => Role::ProjectId,
            "name" | "project_name" => Role::Name,
            col::YEAR => Role::Year,
            col::PROVINCE_CODE => Role::ProvinceCode,
            "province" | "province_name" => Role::Province,
            col::SECTOR_CODE | "sector" => Role::Sector,
            col::ACTIVITY => Role::Activity,
            "description" => Role::Description,
            col::SOURCE => Role::Source,
            col::AMOUNT_MVND | "amount" => Role::Amount,
            col::PLANNED_MVND | "planned" => Role::Planned,
            col::BENEFICIARY => Role::Beneficiary,
            "implementer" => Role::Implementer,
            col::TARGET_TRAINEES => Role::TargetTrainees,
            col::ACHIEVED_TRAINEES => Role::AchievedTrainees,
            col::TARGET_MODELS => Role::TargetModels,
            col::ACHIEVED_MODELS => Role::AchievedModels,
            col::OUTPUT_BVND | "output" => Role::Output,
            col::IIP => Role::Iip,
            col::EMPLOYMENT_INDEX => Role::EmploymentIndex,
            col::EMPLOYMENT => Role::Employment,
            col::ESTABLISHMENTS => Role::Establishments,
            "ignore" | "" => Role::Ignore,
            _ => return None,
        })
    }

    /// The canonical column a role fills, if any.
    pub fn canonical(self) -> Option<&'static str> {
        Some(match self {
            Role::ProjectId => col::PROJECT_ID,
            Role::Year => col::YEAR,
            Role::ProvinceCode | Role::Province => col::PROVINCE_CODE,
            Role::Sector => col::SECTOR_CODE,
            Role::Activity | Role::Description => col::ACTIVITY,
            Role::Source => col::SOURCE,
            Role::Amount => col::AMOUNT_MVND,
            Role::Planned => col::PLANNED_MVND,
            Role::Beneficiary => col::BENEFICIARY,
            Role::TargetTrainees => col::TARGET_TRAINEES,
            Role::AchievedTrainees => col::ACHIEVED_TRAINEES,
            Role::TargetModels => col::TARGET_MODELS,
            Role::AchievedModels => col::ACHIEVED_MODELS,
            Role::Output => col::OUTPUT_BVND,
            Role::Iip => col::IIP,
            Role::EmploymentIndex => col::EMPLOYMENT_INDEX,
            Role::Employment => col::EMPLOYMENT,
            Role::Establishments => col::ESTABLISHMENTS,
            _ => return None,
        })
    }

    /// Roles that only make sense for one kind of table.
    pub fn fits(self, kind: Kind) -> bool {
        match self {
            Role::Output
            | Role::Iip
            | Role::EmploymentIndex
            | Role::Employment
            | Role::Establishments => kind == Kind::Output,
            Role::Amount
            | Role::Planned
            | Role::Activity
            | Role::Description
            | Role::Source
            | Role::Beneficiary
            | Role::Implementer
            | Role::TargetTrainees
            | Role::AchievedTrainees
            | Role::TargetModels
            | Role::AchievedModels => kind == Kind::Funding,
            _ => true,
        }
    }

    pub fn is_money(self) -> bool {
        matches!(self, Role::Amount | Role::Planned | Role::Output)
    }

    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            Role::Amount
                | Role::Planned
                | Role::TargetTrainees
                | Role::AchievedTrainees
                | Role::TargetModels
                | Role::AchievedModels
                | Role::Output
                | Role::Iip
                | Role::EmploymentIndex
                | Role::Employment
                | Role::Establishments
        )
    }

    /// An index (a previous period = 100), whose comparison base must be checked.
    pub fn is_index(self) -> bool {
        matches!(self, Role::Iip | Role::EmploymentIndex)
    }
}

/// Header phrases per role, tried in order; the first rule whose phrase occurs in the header (as
/// whole folded words) wins. A leading '=' means the header must be exactly the phrase.
const HEADER_RULES: &[(Role, &[&str])] = &[
    (Role::Stt, &["=stt", "=tt", "=số tt", "=no", "=no."]),
    (
        Role::Year,
        &[
            "=năm",
            "=year",
            "năm thực hiện",
            "năm hỗ trợ",
            "năm kế hoạch",
        ],
    ),
    (
        Role::ProjectId,
        &["mã đề án", "mã dự án", "project id", "mã số đề án", "=mã"],
    ),
    (
        Role::ProvinceCode,
        &["province code", "mã tỉnh", "mã địa phương"],
    ),
    (
        Role::Sector,
        &[
            "sector code",
            "mã ngành",
            "=ngành",
            "ngành kinh tế",
            "=sector",
            "vsic",
            "lĩnh vực",
            "ngành nghề",
        ],
    ),
    (
        Role::TargetTrainees,
        &[
            "target trainees",
            "học viên kế hoạch",
            "số học viên kế hoạch",
        ],
    ),
    (
        Role::AchievedTrainees,
        &[
            "achieved trainees",
            "học viên thực hiện",
            "số học viên thực hiện",
        ],
    ),
    (Role::TargetModels, &["target models", "mô hình kế hoạch"]),
    (
        Role::AchievedModels,
        &["achieved models", "mô hình thực hiện"],
    ),
    (
        Role::Planned,
        &[
            "planned mvnd",
            "planned",
            "kinh phí kế hoạch",
            "kế hoạch kinh phí",
            "dự toán",
            "kinh phí được duyệt",
            "kinh phí phê duyệt",
            "kế hoạch",
        ],
    ),
    (
        Role::Source,
        &[
            "=source",
            "=nguồn",
            "nguồn vốn",
            "nguồn kinh phí",
            "funding source",
        ],
    ),
    // Counterpart money is the beneficiary's own, not support.
    (Role::Ignore, &["đối ứng", "counterpart"]),
    (
        Role::Amount,
        &[
            "amount mvnd",
            "amount",
            "kinh phí",
            "giải ngân",
            "số tiền",
            "vốn hỗ trợ",
            "spending",
            "disbursed",
        ],
    ),
    (
        Role::Beneficiary,
        &[
            "beneficiary",
            "thụ hưởng",
            "đơn vị hưởng",
            "cơ sở được hỗ trợ",
        ],
    ),
    (
        Role::Implementer,
        &[
            "đơn vị thực hiện",
            "đơn vị chủ trì",
            "implementer",
            "implementing",
        ],
    ),
    (
        Role::Province,
        &[
            "province name",
            "địa điểm",
            "địa phương",
            "tỉnh thành phố",
            "=tỉnh",
            "tỉnh thành",
            "=province",
            "=location",
            "cities provincies",
            "cities provinces",
            "provinces",
        ],
    ),
    (Role::Description, &["nội dung", "description"]),
    (
        Role::Activity,
        &["=activity", "hoạt động", "loại hoạt động"],
    ),
    (
        Role::Name,
        &["tên đề án", "tên dự án", "project name", "=name", "=tên"],
    ),
    (
        Role::Output,
        &["output bvnd", "giá trị sản xuất", "=output", "gross output"],
    ),
    (
        Role::EmploymentIndex,
        &[
            "=employment_index",
            "chỉ số sử dụng lao động",
            "chỉ số lao động",
            "employment index",
            "index of employment",
        ],
    ),
    (Role::Iip, &["=iip", "chỉ số", "index"]),
    (
        Role::Employment,
        &["employment", "lao động", "workers", "labour"],
    ),
    (
        Role::Establishments,
        &[
            "establishments",
            "số cơ sở",
            "cơ sở",
            "doanh nghiệp",
            "enterprises",
        ],
    ),
];

/// The role a header names, for a table of `kind`.
pub fn role_of_header(header: &str, kind: Kind) -> Option<Role> {
    let words = tokens(header);
    if words.is_empty() {
        return None;
    }
    for (role, phrases) in HEADER_RULES {
        if !role.fits(kind) {
            continue;
        }
        for p in *phrases {
            let hit = match p.strip_prefix('=') {
                Some(exact) => words == tokens(exact),
                None => has_phrase(&words, &tokens(p)),
            };
            if hit {
                return Some(*role);
            }
        }
    }
    None
}

/// Canonical column names read exactly (fast path and the `columns` override): the data
/// columns of the kind, not the provenance ones (`boundary`, `source_file`, `source_row`) that
/// ingest adds itself.
pub fn is_canonical(name: &str, kind: Kind) -> bool {
    !matches!(name, col::BOUNDARY | col::SOURCE_FILE | col::SOURCE_ROW)
        && super::canonical_columns(kind).contains(&name)
}

/// The decimal exponent of the money unit a text names ("tỷ đồng" → 9), if any.
pub fn unit_exponent(text: &str) -> Option<i32> {
    let w = tokens(text);
    let has = |p: &str| has_phrase(&w, &tokens(p));
    if has("nghìn tỷ") || has("ngàn tỷ") || has("trillion") {
        return Some(12);
    }
    // "tỷ lệ" (rate) and "tỷ trọng" (share) are not the unit.
    let ty = w.iter().enumerate().any(|(i, t)| {
        t == "ty" && !matches!(w.get(i + 1).map(String::as_str), Some("le" | "trong"))
    });
    if ty || has("billion") || has("bn vnd") {
        return Some(9);
    }
    if has("triệu") || has("million") || has("mln") || has("mvnd") {
        return Some(6);
    }
    if has("nghìn đồng") || has("ngàn đồng") || has("thousand") {
        return Some(3);
    }
    if has("đồng") || has("vnd") {
        return Some(0);
    }
    None
}

/// The measure of a wide output table from its title and label header.
pub fn measure_of(text: &str) -> Option<Role> {
    let w = tokens(text);
    let has = |p: &str| has_phrase(&w, &tokens(p));
    let index = has("chỉ số") || has("index") || has("iip");
    if index && (has("lao động") || has("employment")) {
        Some(Role::EmploymentIndex)
    } else if index {
        Some(Role::Iip)
    } else if has("lao động") || has("employment") || has("labour") || has("workers") {
        Some(Role::Employment)
    } else if has("cơ sở") || has("establishments") || has("doanh nghiệp") || has("enterprises")
    {
        Some(Role::Establishments)
    } else if unit_exponent(text).is_some() || has("giá trị sản xuất") || has("output") {
        Some(Role::Output)
    } else {
        None
    }
}

/// A measure named in the pipeline (`measure = "iip"`).
pub fn measure_from_name(name: &str) -> Option<Role> {
    match Role::from_canonical(name)? {
        r @ (Role::Output
        | Role::Iip
        | Role::EmploymentIndex
        | Role::Employment
        | Role::Establishments
        | Role::Amount) => Some(r),
        _ => None,
    }
}

/// True for a row right under the header that continues it: the lower half of a two-row
/// header ("Kinh phí" over "Kế hoạch" | "KCQG hỗ trợ"), or the column-numbering row of
/// Vietnamese official tables ("A", "B", "1", "2", "3=1+2"). Such a row holds no place name and
/// no value a data row would.
pub fn continues_header(row: &Row) -> Option<Continuation> {
    use crate::reference::{Place, Reference};
    let filled: Vec<&Cell> = row.cells.iter().filter(|c| !c.is_empty()).collect();
    if filled.is_empty()
        || filled
            .iter()
            .any(|c| matches!(Reference::get().place(&c.text()), Place::Province { .. }))
    {
        return None;
    }
    if is_numbering_row(&filled) {
        return Some(Continuation::Numbering);
    }
    let words = filled.iter().all(|c| match c {
        Cell::Text(s) => {
            super::number::parse_number(s, super::number::NumFormat::Vi).is_err()
                && parse_year_label(s).is_none()
        }
        _ => false,
    });
    words.then_some(Continuation::Words)
}

/// A column-number cell of Vietnamese official tables: "(1)", "1", "A", "(B)", "3=1+2",
/// "4=2/3".
pub fn is_column_number(t: &str) -> bool {
    column_number(t).is_some()
}

/// The number a column-number cell leads with ("(3)" → 3, "3=1+2" → 3), `Some(0)` for a letter.
fn column_number(t: &str) -> Option<u32> {
    let t = t.trim();
    let inner = t
        .strip_prefix('(')
        .and_then(|x| x.strip_suffix(')'))
        .unwrap_or(t)
        .trim();
    if inner.chars().count() == 1 && inner.chars().all(|c| c.is_ascii_uppercase()) {
        return Some(0);
    }
    let lead: String = inner.chars().take_while(|c| c.is_ascii_digit()).collect();
    let rest = &inner[lead.len()..];
    let n: u32 = lead.parse().ok()?;
    let formula = rest.is_empty()
        || (rest.starts_with('=')
            && rest[1..]
                .chars()
                .all(|c| c.is_ascii_digit() || "+-*/x() ".contains(c)));
    ((1..100).contains(&n) && formula).then_some(n)
}

/// A row of column numbers: three or more cells, each a column number, whose numbers run
/// 1, 2, 3… (letters "A", "B" may come first). A data row such as `2020,01,5` is not one: its
/// numbers do not run in steps of one from the row's first number.
pub fn is_numbering_row(filled: &[&Cell]) -> bool {
    if filled.len() < 3 {
        return false;
    }
    let mut numbers = Vec::new();
    for c in filled {
        let n = match c {
            Cell::Num(v) if v.fract() == 0.0 && (1.0..100.0).contains(v) => *v as u32,
            Cell::Text(s) => match column_number(s) {
                Some(n) => n,
                None => return false,
            },
            _ => return false,
        };
        if n > 0 {
            numbers.push(n);
        }
    }
    let letters = filled.len() - numbers.len();
    (numbers.len() >= 2 || letters >= 1)
        && numbers.first().is_none_or(|&n| n <= 2)
        && numbers.windows(2).all(|w| w[1] == w[0] + 1)
}

/// What an index column compares with, from its header text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// The same date or period a year earlier, or the previous year (= 100).
    YearOnYear,
    /// The previous month ("cùng thời điểm tháng trước", "so với tháng trước").
    MonthOnMonth,
    /// A fixed base year ("năm gốc 2010", "2010 = 100").
    FixedBase,
    /// The header does not say.
    Unstated,
}

/// The comparison an index header states.
pub fn comparison(text: &str) -> Comparison {
    let w = tokens(text);
    let has = |p: &str| has_phrase(&w, &tokens(p));
    if has("tháng trước")
        || has("quý trước")
        || has("previous month")
        || has("previous quarter")
        || has("month on month")
    {
        Comparison::MonthOnMonth
    } else if has("năm trước")
        || has("cùng kỳ")
        || has("previous year")
        || has("same period")
        || has("same date")
        || has("so với năm")
    {
        Comparison::YearOnYear
    } else if has("năm gốc") || has("kỳ gốc") || has("base year") || text.contains("= 100") {
        Comparison::FixedBase
    } else {
        Comparison::Unstated
    }
}

/// How a row continues the header above it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Continuation {
    /// The lower half of a stacked header: its words join the column names.
    Words,
    /// A column-numbering row: skipped.
    Numbering,
}

/// How the header was found.
#[derive(Debug, Clone)]
pub struct Header {
    /// Index into the rows.
    pub index: usize,
    /// Year columns: (column, year, preliminary).
    pub years: Vec<(usize, i32, bool)>,
}

/// Finds the header among the first rows: the first row with two or more year labels (a wide
/// table) or two or more recognised column headers. `forced` is a 1-based line number.
pub fn find_header(
    rows: &[Row],
    kind: Kind,
    forced: Option<usize>,
    overrides: &[String],
) -> Option<Header> {
    let years_of = |r: &Row| -> Vec<(usize, i32, bool)> {
        r.cells
            .iter()
            .enumerate()
            .filter_map(|(i, c)| match c {
                Cell::Text(s) => parse_year_label(s).map(|(y, p)| (i, y, p)),
                Cell::Num(v) if v.fract() == 0.0 && (1980.0..=2100.0).contains(v) => {
                    Some((i, *v as i32, false))
                }
                _ => None,
            })
            .collect()
    };
    if let Some(line) = forced {
        let index = rows.iter().position(|r| r.line >= line)?;
        let years = years_of(&rows[index]);
        return Some(Header {
            index,
            years: if years.len() >= 2 { years } else { Vec::new() },
        });
    }
    for (index, row) in rows.iter().enumerate().take(40) {
        let filled = row.cells.iter().filter(|c| !c.is_empty()).count();
        if filled < 2 {
            continue;
        }
        let years = years_of(row);
        // Distinct texts: a title merged across the row repeats one text in every cell.
        let mut texts: Vec<String> = row
            .cells
            .iter()
            .filter(|c| matches!(c, Cell::Text(_)))
            .map(Cell::text)
            .collect();
        texts.sort();
        texts.dedup();
        if texts.len() < 2 {
            continue;
        }
        let roles = texts
            .iter()
            .filter(|t| {
                overrides
                    .iter()
                    .any(|o| crate::text::fold(o) == crate::text::fold(t))
                    || role_of_header(t, kind).is_some()
            })
            .count();
        // Year labels in a header are text; a data row of a long table has at most one year.
        let text_years = years
            .iter()
            .filter(|(i, _, _)| matches!(row.cells[*i], Cell::Text(_)))
            .count();
        if text_years >= 2 {
            return Some(Header { index, years });
        }
        if roles >= 2 {
            return Some(Header {
                index,
                years: Vec::new(),
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_map_to_roles() {
        let f = Kind::Funding;
        for (h, r) in [
            ("STT", Role::Stt),
            ("Mã đề án", Role::ProjectId),
            ("Tên đề án", Role::Name),
            ("Đơn vị thực hiện", Role::Implementer),
            ("Đơn vị thụ hưởng", Role::Beneficiary),
            ("Địa điểm thực hiện", Role::Province),
            ("Mã ngành", Role::Sector),
            ("Nội dung hỗ trợ", Role::Description),
            ("Năm", Role::Year),
            ("Kinh phí kế hoạch", Role::Planned),
            ("Kinh phí KCQG hỗ trợ", Role::Amount),
            ("Kinh phí (triệu đồng)", Role::Amount),
            ("Số học viên kế hoạch", Role::TargetTrainees),
            ("Số học viên thực hiện", Role::AchievedTrainees),
            ("Số mô hình kế hoạch", Role::TargetModels),
            ("Số mô hình thực hiện", Role::AchievedModels),
            ("amount_mvnd", Role::Amount),
            ("planned_mvnd", Role::Planned),
            ("province_code", Role::ProvinceCode),
            ("Province", Role::Province),
            ("Amount", Role::Amount),
            ("Nguồn vốn", Role::Source),
        ] {
            assert_eq!(role_of_header(h, f), Some(r), "{h}");
        }
        let o = Kind::Output;
        assert_eq!(role_of_header("output_bvnd", o), Some(Role::Output));
        assert_eq!(
            role_of_header("Giá trị sản xuất (tỷ đồng)", o),
            Some(Role::Output)
        );
        assert_eq!(role_of_header("Số lao động", o), Some(Role::Employment));
        assert_eq!(
            role_of_header("establishments", o),
            Some(Role::Establishments)
        );
        assert_eq!(role_of_header("Kinh phí", o), None);
    }

    #[test]
    fn units_and_measures() {
        assert_eq!(unit_exponent("Kinh phí (triệu đồng)"), Some(6));
        assert_eq!(unit_exponent("Giá trị (Tỷ đồng)"), Some(9));
        assert_eq!(unit_exponent("nghìn tỷ đồng"), Some(12));
        assert_eq!(unit_exponent("Tỷ lệ giải ngân (%)"), None);
        assert_eq!(unit_exponent("billion VND"), Some(9));
        assert_eq!(
            measure_of("Index of Industrial production by province"),
            Some(Role::Iip)
        );
        assert_eq!(
            measure_of("Chỉ số sản xuất công nghiệp phân theo địa phương"),
            Some(Role::Iip)
        );
        assert_eq!(
            measure_of("Giá trị sản xuất công nghiệp nông thôn (Tỷ đồng)"),
            Some(Role::Output)
        );
        assert_eq!(
            measure_of("Số cơ sở công nghiệp nông thôn"),
            Some(Role::Establishments)
        );
        assert_eq!(measure_of("Lao động CNNT"), Some(Role::Employment));
    }

    #[test]
    fn numbering_rows_against_data_rows() {
        let t = |v: &[&str]| -> Vec<Cell> { v.iter().map(|s| Cell::Text(s.to_string())).collect() };
        let is = |cells: Vec<Cell>| is_numbering_row(&cells.iter().collect::<Vec<_>>());
        assert!(is(t(&[
            "(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)"
        ])));
        assert!(is(t(&["A", "B", "1", "2", "3=1+2"])));
        assert!(is(vec![Cell::Num(1.0), Cell::Num(2.0), Cell::Num(3.0)]));
        // Data rows of a long table: a year, a code, an amount.
        assert!(!is(t(&["2020", "01", "5"])));
        assert!(!is(t(&["2020", "99", "abc"])));
        assert!(!is(t(&["1", "01", "5"])));
        assert!(!is(t(&["3", "4", "5"])));
    }

    #[test]
    fn comparisons_of_index_headers() {
        use Comparison::*;
        let c = comparison;
        assert_eq!(
            c("Chỉ số thời điểm 01/12/2024 so với cùng thời điểm tháng trước"),
            MonthOnMonth
        );
        assert_eq!(
            c("Chỉ số thời điểm 01/12/2024 so với cùng thời điểm năm trước"),
            YearOnYear
        );
        assert_eq!(c("Năm 2024 so với năm 2023"), YearOnYear);
        assert_eq!(c("Index (previous year = 100)"), YearOnYear);
        assert_eq!(c("Chỉ số (năm gốc 2010 = 100)"), FixedBase);
        assert_eq!(c("Chỉ số"), Unstated);
    }
}
