//! Every label and sentence of the real-data report, as (Vietnamese, English) pairs. Templates
//! hold `{name}` placeholders that [`trf`] fills; both languages carry the same placeholders (a
//! test checks it). Kept apart from `i18n` so the two reports can change independently.

use super::Lang;

pub type Pair = (&'static str, &'static str);

/// The text of a pair in a language.
pub fn tr(lang: Lang, p: Pair) -> &'static str {
    match lang {
        Lang::Vi => p.0,
        Lang::En => p.1,
    }
}

/// A template with its placeholders filled.
pub fn trf(lang: Lang, p: Pair, args: &[(&str, &str)]) -> String {
    let mut s = tr(lang, p).to_string();
    for (k, v) in args {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}

/// A unit of the targets file in the report's language.
pub fn unit_label(lang: Lang, unit: &str) -> String {
    if lang == Lang::En {
        return unit.to_string();
    }
    match unit {
        "models" => "mô hình",
        "establishments" => "cơ sở",
        "workers" => "lao động",
        "persons" => "người",
        "learners" => "học viên",
        "events" => "sự kiện",
        "clusters" => "cụm",
        "projects" => "dự án",
        other => other,
    }
    .to_string()
}

pub const TITLE: Pair = (
    "Khuyến công và công nghiệp các tỉnh: số liệu thật đã công bố",
    "Industrial extension and provincial industry: real published data",
);
pub const BANNER: Pair = (
    "Dữ liệu thật đã công bố (Tổng cục Thống kê, Bộ Công Thương, báo chí), không phải dữ liệu mẫu. Chưa có bảng chi khuyến công theo tỉnh và năm nào được công bố, nên báo cáo không ước lượng tác động của chi tiêu và không đánh dấu tỉnh nào.",
    "Real published data (statistics office, Ministry of Industry and Trade, press), not sample data. No table of khuyến công spending by province and year is published, so this report estimates no effect of spending and flags no province.",
);
pub const SECTION_MARK: Pair = ("Dữ liệu thật đã công bố", "Real published data");
pub const CONTENTS: Pair = ("Mục lục", "Contents");
pub const SEC_FINDINGS: Pair = ("Phát hiện chính", "Key findings");
pub const SEC_EMPLOYMENT: Pair = (
    "Lao động trong doanh nghiệp công nghiệp theo tỉnh, 2019–2024",
    "Employment in industrial enterprises by province, 2019–2024",
);
pub const SEC_IIP: Pair = (
    "Chỉ số sản xuất công nghiệp theo tỉnh",
    "Industrial production index by province",
);
pub const SEC_BUDGET: Pair = ("Kinh phí khuyến công", "Khuyến công budget");
pub const SEC_TARGETS: Pair = ("Mục tiêu và kết quả", "Targets and results");
pub const SEC_FACTS: Pair = (
    "Các con số chi khuyến công cấp tỉnh đã công bố",
    "Province-level khuyến công spending figures in print",
);
pub const SEC_GAPS: Pair = (
    "Những gì số liệu công bố chưa cho phép",
    "What the public record does not allow",
);
pub const SEC_SOURCES: Pair = ("Dữ liệu, nguồn và phương pháp", "Data, sources and method");

pub const FIND_EMP: Pair = (
    "Ngày 01/12/{year}, {above}/{n} tỉnh có chỉ số sử dụng lao động của doanh nghiệp công nghiệp trên 100 (nhiều lao động hơn cùng thời điểm năm trước); trung vị {median}; cao nhất {max_name} ({max}), thấp nhất {min_name} ({min}).",
    "On 1 December {year}, {above} of {n} provinces had an employment index of industrial enterprises above 100 (more workers than a year earlier); median {median}; highest {max_name} ({max}), lowest {min_name} ({min}).",
);
pub const FIND_EMP_NATIONAL: Pair = (
    "Cả nước: chỉ số sử dụng lao động công nghiệp (cùng thời điểm năm trước = 100) {series}.",
    "Whole country: industrial employment index (same date a year earlier = 100) {series}.",
);
pub const FIND_IIP: Pair = (
    "Chỉ số sản xuất công nghiệp (năm trước = 100), {y0}–{y1}: {below} trong {cells} giá trị tỉnh-năm dưới 100; trung vị năm {y1} là {median}, cao nhất {max_name} ({max}).",
    "Industrial production index (previous year = 100), {y0}–{y1}: {below} of {cells} province-year values were below 100; the {y1} median was {median}, the highest {max_name} ({max}).",
);
pub const FIND_BUDGET: Pair = (
    "Kinh phí khuyến công được duyệt cả nước {period}: {total} tỷ đồng (khoảng {avg} tỷ đồng/năm); phần của khuyến công quốc gia chiếm {share}%. Không có con số cả nước cho từng năm riêng.",
    "The approved khuyến công budget nationwide for {period} was {total} billion VND (about {avg} billion a year); the national programme's share was {share}%. No national figure for a single year is published.",
);
pub const FIND_TARGETS: Pair = (
    "{matched}/{targets} mục tiêu có kết quả công bố cho cùng giai đoạn; {results} con số kết quả khác ứng với giai đoạn khác hoặc không rõ.",
    "{matched} of {targets} targets have a result published for the same period; {results} other result figures refer to other or unclear periods.",
);
pub const FIND_FACTS: Pair = (
    "{n} con số chi khuyến công cấp tỉnh đã công bố, của {provinces} tỉnh; {lower} là cận dưới (\"hơn\", \"trên\"); giai đoạn từ một phần năm đến {longest} năm, nên không ghép được thành bảng tỉnh × năm.",
    "{n} published province-level spending figures cover {provinces} provinces; {lower} are lower bounds (\"over\", \"more than\"); their periods run from part of a year to {longest} years, so they do not form a province × year table.",
);

pub const T_MAP: Pair = (
    "{above}/{n} tỉnh tăng lao động công nghiệp so với 01/12/{prev}",
    "{above} of {n} provinces employed more industrial workers than on 1 Dec {prev}",
);
pub const S_MAP: Pair = (
    "Chỉ số sử dụng lao động của doanh nghiệp công nghiệp tại 01/12/{year}, cùng thời điểm năm trước = 100; 63 tỉnh (bản đồ trước 01/7/2025). Số trên mỗi ô là giá trị công bố.",
    "Employment index of industrial enterprises on 1 December {year}, same date a year earlier = 100; 63 provinces (map before 1 July 2025). The number on each tile is the published value.",
);
pub const T_BUDGET: Pair = (
    "{period}: {total} tỷ đồng khuyến công được duyệt, khoảng {avg} tỷ đồng/năm",
    "{period}: {total} billion VND of khuyến công approved, about {avg} billion a year",
);
pub const T_BUDGET_NONE: Pair = (
    "Không có con số kinh phí khuyến công cả nước nào được công bố",
    "No national khuyến công budget figure is published",
);
pub const S_BUDGET: Pair = (
    "Kinh phí khuyến công cả nước, tỷ đồng/năm: con số công bố cho cả giai đoạn chia đều cho các năm; màu nhạt là phần tính từ con số công bố (tỷ lệ 36,6%), × là năm không có con số.",
    "National khuyến công budget, billion VND a year: a figure published for a whole period is spread evenly over its years; pale fill is arithmetic on published figures (the 36.6% share); × marks a year with no figure.",
);
pub const T_TARGETS: Pair = (
    "{matched}/{targets} mục tiêu khuyến công có kết quả công bố cùng giai đoạn",
    "{matched} of {targets} khuyến công targets have a result for the same period",
);
pub const S_TARGETS: Pair = (
    "Mục tiêu (Quyết định 1881/QĐ-TTg, dự thảo chương trình đến 2020) và kết quả đã công bố, theo nhóm; độ dài thanh so với giá trị lớn nhất cùng đơn vị trong nhóm, số ghi bên cạnh là giá trị công bố.",
    "Targets (Decision 1881/QĐ-TTg, the draft programme to 2020) and published results, by group; bar length relative to the largest value of the same unit in its group, the number beside it is the published value.",
);
pub const SOURCE_LINE: Pair = (
    "Nguồn: {sources}. Dữ liệu thật đã công bố.",
    "Source: {sources}. Real published data.",
);

pub const NO_VALUE: Pair = ("không có số liệu", "no value");
pub const AXIS_BN_PER_YEAR: Pair = ("tỷ đồng/năm", "billion VND a year");
pub const LEG_TOTAL: Pair = (
    "Tổng khuyến công quốc gia và địa phương (công bố)",
    "National and local together (published)",
);
pub const LEG_NATIONAL: Pair = ("Khuyến công quốc gia (KCQG)", "National programme (KCQG)");
pub const LEG_LOCAL: Pair = (
    "Khuyến công địa phương (KCĐP)",
    "Provincial programmes (KCĐP)",
);
pub const LEG_NO_FIGURE: Pair = (
    "Năm không có con số công bố",
    "Year with no published figure",
);
pub const LEG_TARGET: Pair = ("Mục tiêu", "Target");
pub const LEG_DRAFT: Pair = ("Mục tiêu dự thảo", "Draft target");
pub const LEG_RESULT: Pair = ("Kết quả công bố", "Published result");

pub const THEME_MODELS: Pair = (
    "Mô hình trình diễn kỹ thuật",
    "Technical demonstration models",
);
pub const THEME_MACHINERY: Pair = (
    "Hỗ trợ máy móc, công nghệ cho cơ sở",
    "Machinery and technology support to establishments",
);
pub const THEME_TRAINING: Pair = ("Đào tạo", "Training");
pub const THEME_FAIRS: Pair = ("Hội chợ, triển lãm", "Fairs and exhibitions");
pub const THEME_CLUSTERS: Pair = ("Cụm công nghiệp", "Industrial clusters");

pub const KIND_TARGET: Pair = ("Mục tiêu", "Target");
pub const KIND_DRAFT: Pair = ("Mục tiêu dự thảo", "Draft target");
pub const KIND_RESULT: Pair = ("Kết quả", "Result");

pub const GAP_TABLE: Pair = (
    "Không có bảng chi khuyến công theo tỉnh và năm: phụ lục phân bổ kinh phí của Bộ Công Thương không được công bố dưới dạng số liệu.",
    "No table of khuyến công spending by province and year: the ministry's allocation annexes are not published as data.",
);
pub const GAP_EFFECTS: Pair = (
    "Vì vậy các bước bảng dữ liệu tỉnh-năm, mô hình tác động và đánh dấu hỗ trợ dàn trải không áp dụng cho lần chạy này (ghi trong manifest là \"not_applicable\"); báo cáo không nói chi tiêu có tác động hay không.",
    "So the province-year panel, the effect models and the flags of scattered support do not apply to this run (recorded in the manifest as \"not_applicable\"); the report says nothing about whether spending had an effect.",
);
pub const GAP_NATIONAL_YEARS: Pair = (
    "Không có kinh phí khuyến công quốc gia cho từng năm 2013–2025, cũng không có tổng khuyến công địa phương cả nước theo năm.",
    "No national KCQG allocation for any single year 2013–2025, and no yearly national total of provincial programmes.",
);
pub const GAP_IIP: Pair = (
    "Chỉ số sản xuất công nghiệp theo tỉnh sau năm 2016 chưa có ở dạng đọc được trong dự án; lao động công nghiệp theo tỉnh chỉ có từ 2019.",
    "The industrial production index by province after 2016 is not in a form the project could read; industrial employment by province is available from 2019 only.",
);
pub const GAP_FACTS: Pair = (
    "Các con số cấp tỉnh khác nhau về giai đoạn, nguồn vốn và loại số (kế hoạch, phê duyệt, giải ngân) và nhiều số là cận dưới: chúng được liệt kê, không cộng lại.",
    "The province-level figures differ in period, fund and kind (plan, approval, disbursement), and many are lower bounds: they are listed, never added up.",
);
pub const STAGE_STATUS: Pair = ("Trạng thái các bước", "Stage status");
pub const NOT_APPLICABLE: Pair = ("không áp dụng", "not applicable");
pub const RAN: Pair = ("đã chạy", "ran");
pub const NA_REASON: Pair = (
    "không có số liệu chi khuyến công theo tỉnh: quy trình không có nguồn loại \"funding\", nên không ước lượng được tác động theo tỉnh và không đánh dấu được tỉnh nào",
    "no province spending data: the pipeline has no source of kind \"funding\", so province effects and flags cannot be estimated",
);

pub const H_PROVINCE: Pair = ("Tỉnh", "Province");
pub const H_ACTIVITY: Pair = ("Nhóm hoạt động", "Activity group");
pub const H_PROJECTS: Pair = ("Số đề án", "Projects");
pub const ACTIVITY_NOTE: Pair = (
    "Kinh phí theo nhóm hoạt động, như tỉnh hoặc Bộ Công Thương công bố (nhóm giữ nguyên cách gọi của nơi công bố):",
    "Money by activity group, as a province or the ministry published it (groups in the publisher's words):",
);
pub const H_CODE: Pair = ("Mã", "Code");
pub const H_RECORD: Pair = ("Mã dòng", "Record");
pub const H_SCOPE: Pair = ("Phạm vi", "Scope");
pub const H_AREA: Pair = ("Địa bàn", "Area");
pub const H_PERIOD: Pair = ("Giai đoạn", "Period");
pub const H_FUND: Pair = ("Nguồn vốn", "Fund");
pub const H_MEASURE: Pair = ("Loại số", "Measure");
pub const H_AMOUNT: Pair = ("Triệu đồng", "Million VND");
pub const H_AS_PUBLISHED: Pair = ("Như công bố", "As published");
pub const H_DERIVED: Pair = ("Tính ra", "Derived");
pub const H_CONFIDENCE: Pair = ("Độ tin cậy", "Confidence");
pub const H_QUALIFIER: Pair = ("Ghi chú số", "Qualifier");
pub const H_SOURCE: Pair = ("Nguồn", "Source");
pub const H_PROGRAMME: Pair = ("Chương trình", "Programme");
pub const H_ITEM: Pair = ("Nội dung", "Item");
pub const H_KIND: Pair = ("Loại", "Kind");
pub const H_VALUE: Pair = ("Giá trị", "Value");
pub const H_UNIT: Pair = ("Đơn vị", "Unit");
pub const H_FILE: Pair = ("Tệp", "File");
pub const H_ROWS_IN: Pair = ("Dòng vào", "Rows in");
pub const H_CLEAN: Pair = ("Dòng sạch", "Clean");
pub const H_REJECTED: Pair = ("Bị loại", "Rejected");
pub const H_SKIPPED: Pair = ("Bỏ qua", "Skipped");
pub const H_STAGE: Pair = ("Bước", "Stage");
pub const H_STATUS: Pair = ("Trạng thái", "Status");
pub const H_LINE: Pair = ("Dòng", "Line");
pub const H_REASON: Pair = ("Lý do", "Reason");
pub const NATIONAL_ROW: Pair = ("Cả nước", "Whole country");
pub const YES: Pair = ("có", "yes");
pub const NO: Pair = ("không", "no");

pub const METHOD: Pair = (
    "Các chỉ số được lấy nguyên như công bố (không ước lượng, không nội suy). Chỉ số là tỷ số nên không cộng giữa các tỉnh và không chuyển sang bản đồ 34 đơn vị. Kinh phí cả giai đoạn được chia đều cho các năm chỉ để vẽ biểu đồ; bảng giữ nguyên con số công bố.",
    "Indices are shown as published (nothing estimated or interpolated). Indices are ratios, so they are never added across provinces or carried onto the 34-unit map. A budget published for a whole period is spread evenly over its years only to draw the chart; the tables keep the published figure.",
);
pub const EMP_TABLE_NOTE: Pair = (
    "Cùng thời điểm năm trước = 100; ô trống: tỉnh không có trong bảng công bố năm đó.",
    "Same date a year earlier = 100; a blank cell: the province is not in that year's published table.",
);
pub const IIP_TABLE_NOTE: Pair = ("Năm trước = 100.", "Previous year = 100.");
pub const NO_IIP: Pair = (
    "Lần chạy này không có nguồn chỉ số sản xuất công nghiệp theo tỉnh.",
    "This run has no source of the industrial production index by province.",
);
pub const NO_EMPLOYMENT: Pair = (
    "Lần chạy này không có nguồn chỉ số sử dụng lao động theo tỉnh.",
    "This run has no source of the employment index by province.",
);
pub const NO_PROGRAMME: Pair = (
    "Tệp quy trình không nêu tệp nào của chương trình ([programme]).",
    "The pipeline file names no programme file ([programme]).",
);
pub const PROGRAMME_REJECTED: Pair = (
    "Dòng bị loại của các tệp chương trình",
    "Rejected rows of the programme files",
);
pub const PROGRAM_VERSION: Pair = ("Phiên bản chương trình", "Program version");
pub const CHART_FILES: Pair = ("Tệp", "Files");

/// Every pair, for the placeholder and NFC tests.
pub const ALL: &[Pair] = &[
    TITLE,
    BANNER,
    SECTION_MARK,
    CONTENTS,
    SEC_FINDINGS,
    SEC_EMPLOYMENT,
    SEC_IIP,
    SEC_BUDGET,
    SEC_TARGETS,
    SEC_FACTS,
    SEC_GAPS,
    SEC_SOURCES,
    FIND_EMP,
    FIND_EMP_NATIONAL,
    FIND_IIP,
    FIND_BUDGET,
    FIND_TARGETS,
    FIND_FACTS,
    T_MAP,
    S_MAP,
    T_BUDGET,
    T_BUDGET_NONE,
    S_BUDGET,
    T_TARGETS,
    S_TARGETS,
    SOURCE_LINE,
    NO_VALUE,
    AXIS_BN_PER_YEAR,
    LEG_TOTAL,
    LEG_NATIONAL,
    LEG_LOCAL,
    LEG_NO_FIGURE,
    LEG_TARGET,
    LEG_DRAFT,
    LEG_RESULT,
    THEME_MODELS,
    THEME_MACHINERY,
    THEME_TRAINING,
    THEME_FAIRS,
    THEME_CLUSTERS,
    KIND_TARGET,
    KIND_DRAFT,
    KIND_RESULT,
    GAP_TABLE,
    GAP_EFFECTS,
    GAP_NATIONAL_YEARS,
    GAP_IIP,
    GAP_FACTS,
    STAGE_STATUS,
    NOT_APPLICABLE,
    RAN,
    NA_REASON,
    H_PROVINCE,
    H_ACTIVITY,
    H_PROJECTS,
    ACTIVITY_NOTE,
    H_CODE,
    H_RECORD,
    H_SCOPE,
    H_AREA,
    H_PERIOD,
    H_FUND,
    H_MEASURE,
    H_AMOUNT,
    H_AS_PUBLISHED,
    H_DERIVED,
    H_CONFIDENCE,
    H_QUALIFIER,
    H_SOURCE,
    H_PROGRAMME,
    H_ITEM,
    H_KIND,
    H_VALUE,
    H_UNIT,
    H_FILE,
    H_ROWS_IN,
    H_CLEAN,
    H_REJECTED,
    H_SKIPPED,
    H_STAGE,
    H_STATUS,
    H_LINE,
    H_REASON,
    NATIONAL_ROW,
    YES,
    NO,
    METHOD,
    EMP_TABLE_NOTE,
    IIP_TABLE_NOTE,
    NO_IIP,
    NO_EMPLOYMENT,
    NO_PROGRAMME,
    PROGRAMME_REJECTED,
    PROGRAM_VERSION,
    CHART_FILES,
];

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    fn placeholders(s: &str) -> Vec<String> {
        let mut v: Vec<String> = s
            .split('{')
            .skip(1)
            .filter_map(|p| p.split_once('}').map(|(k, _)| k.to_string()))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn both_languages_carry_the_same_placeholders_in_nfc_and_never_say_synthetic() {
        for (vi, en) in ALL {
            assert_eq!(placeholders(vi), placeholders(en), "{en}");
            assert_eq!(vi.nfc().collect::<String>(), *vi, "{vi}");
            assert!(!vi.to_lowercase().contains("tổng hợp (giả lập)"));
            assert!(!en.to_lowercase().contains("synthetic"), "{en}");
        }
    }
}
