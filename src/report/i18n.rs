//! The one translation table of the report: every label, heading and sentence the report or a
//! chart shows, as key → (Vietnamese, English). Templates hold `{name}` placeholders that
//! [`tf`] fills; both languages of a key carry the same placeholders (a test checks it).
//! Also number formatting by language ("3.916,7" in Vietnamese, "3,916.7" in English).

use super::Lang;
use crate::contract::vocab::FlagStatus;

macro_rules! table {
    ($($key:ident => ($vi:expr, $en:expr)),* $(,)?) => {
        /// A translatable text.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum K { $($key),* }

        /// Every key, for tests.
        pub const ALL: &[K] = &[$(K::$key),*];

        impl K {
            /// (Vietnamese, English).
            pub fn pair(self) -> (&'static str, &'static str) {
                match self { $(K::$key => ($vi, $en)),* }
            }
        }
    };
}

table! {
    ReportTitle => ("Khuyến công và tăng trưởng công nghiệp nông thôn: báo cáo", "Industrial extension and rural industrial growth: report"),
    Pipeline => ("Quy trình", "Pipeline"),
    SyntheticBanner => ("Dữ liệu mẫu tổng hợp (giả lập): các con số minh hoạ phương pháp, không mô tả tỉnh nào trong thực tế.", "Synthetic sample data: the numbers illustrate the method and describe no real province."),
    SecFindings => ("Phát hiện chính", "Key findings"),
    SecMoney => ("Tiền đã đi đâu", "Where the money went"),
    SecScattered => ("Hỗ trợ dàn trải, hiệu quả thấp", "Scattered and low-impact support"),
    SecEffects => ("Tác động", "Effects"),
    SecQuality => ("Chất lượng dữ liệu", "Data quality"),
    SecMethod => ("Phương pháp và nguồn", "Method and sources"),
    Contents => ("Mục lục", "Contents"),
    SecChanges => ("Thay đổi so với lần chạy trước", "Since the last run"),
    ChangesIntro => ("{n} kết luận theo tỉnh và giai đoạn đã thay đổi khi bảng đánh dấu được tính lại (chi tiết: flags/changes.parquet).", "{n} province verdicts changed when the flags were last recomputed (details: flags/changes.parquet)."),
    ChangeVerdict => ("{name}, hỗ trợ {y0}–{y1}: kết luận tác động {before} → {now}", "{name}, support years {y0}–{y1}: effect verdict {before} → {now}"),
    ChangeNew => ("{name}, hỗ trợ {y0}–{y1}: giai đoạn mới được đánh giá, kết luận {now}", "{name}, support years {y0}–{y1}: newly assessed, verdict {now}"),
    ChangeGone => ("{name}, hỗ trợ {y0}–{y1}: không còn được đánh giá (trước đây: {before})", "{name}, support years {y0}–{y1}: no longer assessed (was {before})"),
    ChangeExtended => ("giai đoạn trước đây kết thúc năm {end}", "the window ended in {end} before"),
    ChangeNowFlagged => ("nay bị đánh dấu", "now flagged"),
    ChangeNoLongerFlagged => ("không còn bị đánh dấu", "no longer flagged"),
    ChangeNowScattered => ("nay bị coi là dàn trải", "now scattered"),
    ChangeNoLongerScattered => ("không còn bị coi là dàn trải", "no longer scattered"),
    ChartFiles => ("Tệp", "Files"),

    FindFlagged => ("{n}/{m} tỉnh bị đánh dấu hỗ trợ dàn trải, hiệu quả thấp: {names}.", "{n} of {m} provinces were flagged for scattered, low-impact support: {names}."),
    FindNoneFlagged => ("Không tỉnh nào bị đánh dấu hỗ trợ dàn trải, hiệu quả thấp ({m} tỉnh được đánh giá).", "No province was flagged for scattered, low-impact support ({m} provinces assessed)."),
    FindInsufficient => ("Chưa đủ dữ liệu để kết luận về: {names}.", "Too little data to judge: {names}."),
    FindSpending => ("Tổng kinh phí {total} tỷ đồng giai đoạn {y0}–{y1}, qua {n} khoản hỗ trợ; nhiều nhất là {activity} ({share}%).", "Programmes spent {total} billion VND in {y0}–{y1} through {n} grants; {activity} took the largest share ({share}%)."),
    FindLorenz => ("Quy mô khoản hỗ trợ chênh lệch (Gini {gini}): 10% khoản lớn nhất chiếm {top}% kinh phí.", "Grant sizes are unequal (Gini {gini}): the largest 10% of grants took {top}% of the money."),
    FindEffectYes => ("Chi tiêu năm trước đi kèm tăng trưởng sản lượng cao hơn: hệ số {b} (KTC 95% {lo} đến {hi}; p cụm {p}; p bootstrap cụm hoang dã {pw}).", "Spending is followed by faster output growth: coefficient {b} (95% CI {lo} to {hi}; clustered p {p}; wild cluster bootstrap p {pw})."),
    FindEffectNo => ("Chưa thấy liên hệ rõ giữa chi tiêu năm trước và tăng trưởng sản lượng: hệ số {b} (KTC 95% {lo} đến {hi}; p cụm {p}; p bootstrap cụm hoang dã {pw}).", "No clear link between lagged spending and output growth: coefficient {b} (95% CI {lo} to {hi}; clustered p {p}; wild cluster bootstrap p {pw})."),
    FindEvent => ("Tỉnh thí điểm: {k}/{n} năm sau khi bắt đầu có tác động khác 0 theo cả hai khoảng tin cậy.", "Pilot provinces: in {k} of {n} years after the start the effect differs from zero under both bands."),
    FindAchievement => ("Giải ngân đạt {rate}% kế hoạch.", "Disbursement reached {rate}% of plan."),
    FindAchTrainees => ("Đào tạo đạt {rate}% chỉ tiêu học viên.", "Training reached {rate}% of its trainee target."),
    FindAchModels => ("Mô hình trình diễn đạt {rate}% chỉ tiêu.", "Demonstration models reached {rate}% of target."),

    T1 => ("Chi tiêu cao nhất {peak} tỷ đồng năm {year}", "Spending peaked at {peak} billion VND in {year}"),
    T2Yes => ("Chi nhiều hơn, sản lượng năm sau tăng nhanh hơn", "More spending, faster output growth the year after"),
    T2No => ("Chưa thấy liên hệ giữa chi tiêu và tăng trưởng", "No clear link between spending and later growth"),
    T3 => ("10% khoản hỗ trợ lớn nhất chiếm {top}% kinh phí", "Top 10% of grants took {top}% of money"),
    T4 => ("{n} tỉnh hỗ trợ dàn trải, hiệu quả chưa rõ", "{n} provinces spread support thin, unclear effect"),
    T5 => ("Tác động thí điểm rõ trong {k}/{n} năm sau", "Pilot effect clear in {k} of {n} later years"),
    T6 => ("{k}/{n} tỉnh thí điểm tăng nhanh hơn trung vị", "{k} of {n} pilot provinces outgrew the comparison median"),
    T7 => ("{n}/{m} tỉnh bị đánh dấu dàn trải, hiệu quả thấp", "{n} of {m} provinces flagged: scattered, low impact"),
    T8 => ("Giải ngân đạt {rate}% kế hoạch, {y0}–{y1}", "Disbursement reached {rate}% of plan, {y0}–{y1}"),

    S1 => ("Kinh phí giải ngân theo nội dung (trái) và theo nguồn (phải); cả nước, {y0}–{y1}", "Disbursed support by activity (left) and by source (right); whole country, {y0}–{y1}"),
    S2 => ("Mỗi điểm một tỉnh: tăng trưởng bình quân theo chi tiêu năm trước, {y0}–{y1}; đường: mô hình {model}, dải: KTC 95%", "One point per province: mean growth against lagged spending, {y0}–{y1}; line: model {model}, band: 95% CI"),
    S2NoModel => ("Mỗi điểm một tỉnh: tăng trưởng bình quân theo chi tiêu năm trước, {y0}–{y1}; chưa có mô hình để vẽ đường", "One point per province: mean growth against lagged spending, {y0}–{y1}; no fitted model to draw"),
    S3 => ("Tỷ lệ cộng dồn kinh phí theo số khoản hỗ trợ; {n} khoản, cả nước, {y0}–{y1}; Gini {gini}", "Cumulative share of money against share of grants; {n} grants, whole country, {y0}–{y1}; Gini {gini}"),
    S4 => ("Mỗi điểm một tỉnh, giai đoạn {p0}–{p1}; tam giác có nhãn: bị đánh dấu", "One point per province, window {p0}–{p1}; labelled triangles: flagged"),
    S5 => ("Sản lượng (log) so với năm trước khi thí điểm, tỉnh thí điểm so với tỉnh khác; thí điểm từ {start}", "Log output relative to the year before the pilot, pilot vs other provinces; pilot from {start}"),
    S6 => ("Sản lượng CNNT, chỉ số (năm đầu = 100), {y0}–{y1}; dải xám: nửa giữa các tỉnh so sánh", "Rural industrial output, index (first year = 100), {y0}–{y1}; grey band: middle half of comparison provinces"),
    S7 => ("Trạng thái đánh giá mỗi tỉnh, mọi giai đoạn; bản đồ: {boundary}", "Assessment status per province, all windows; map: {boundary}"),
    S8 => ("Kế hoạch và giải ngân (tỷ đồng, trái), thực hiện so với chỉ tiêu (%, phải); cả nước", "Planned and disbursed (billion VND, left), achieved vs target (%, right); whole country"),

    SourceLine => ("Nguồn: {sources}; tính toán bằng khuyencong", "Source: {sources}; computed with khuyencong"),
    SourceSynthetic => ("dữ liệu mẫu tổng hợp (giả lập)", "synthetic sample data"),

    AxisYear => ("Năm", "Year"),
    AxisBillionVnd => ("Tỷ đồng", "Billion VND"),
    AxisGrantShare => ("Tỷ lệ cộng dồn số khoản hỗ trợ (%)", "Cumulative share of grants (%)"),
    AxisMoneyShare => ("Tỷ lệ cộng dồn kinh phí (%)", "Cumulative share of money (%)"),
    AxisEffSectors => ("Số ngành hiệu dụng (1/HHI)", "Effective number of sectors (1/HHI)"),
    AxisSmallShare => ("Tỷ lệ khoản hỗ trợ nhỏ (%)", "Share of small grants (%)"),
    AxisRelYear => ("Số năm kể từ khi thí điểm", "Years since pilot start"),
    AxisEffectLog => ("Tác động lên log sản lượng", "Effect on log output"),
    AxisIndex => ("Chỉ số sản lượng (năm đầu = 100)", "Output index (first year = 100)"),
    AxisLogSpend => ("Bình quân log(1 + chi tiêu năm trước, triệu đồng)", "Mean log(1 + lagged spending, million VND)"),
    AxisGrowth => ("Tăng trưởng sản lượng bình quân (%/năm)", "Mean output growth (%/year)"),
    AxisAchievement => ("Thực hiện so với chỉ tiêu (%)", "Achieved vs target (%)"),

    LegClustered => ("KTC 95% sai số chuẩn cụm", "95% CI, clustered SE"),
    LegWild => ("KTC 95% bootstrap cụm hoang dã", "95% CI, wild cluster bootstrap"),
    LegReference => ("Năm tham chiếu (ước lượng = 0)", "Reference year (estimate = 0)"),
    LegFlagged => ("Bị đánh dấu", "Flagged"),
    LegNotFlagged => ("Không bị đánh dấu", "Not flagged"),
    LegFitted => ("Đường ước lượng (mô hình)", "Fitted line (model)"),
    LegBand => ("KTC 95% của độ dốc", "95% CI of the slope"),
    LegEquality => ("Phân bổ đều", "Perfect equality"),
    LegPilot => ("Tỉnh thí điểm", "Pilot province"),
    LegComparison => ("Trung vị các tỉnh so sánh", "Comparison median"),
    LegPilotStart => ("Bắt đầu thí điểm", "Pilot start"),
    LegPlanned => ("Kế hoạch", "Planned"),
    LegDisbursed => ("Giải ngân", "Disbursed"),
    LegTrainees => ("Học viên", "Trainees"),
    LegModels => ("Mô hình", "Models"),
    LegTarget => ("Chỉ tiêu (100%)", "Target (100%)"),
    LegProvince => ("Tỉnh", "Province"),

    ActDemonstration => ("Mô hình trình diễn", "Demonstration models"),
    ActMachinery => ("Máy móc thiết bị", "Machinery"),
    ActTraining => ("Đào tạo nghề", "Training"),
    ActManagement => ("Năng lực quản lý", "Management capacity"),
    ActTradePromotion => ("Xúc tiến thương mại", "Trade promotion"),
    ActConsulting => ("Tư vấn", "Consulting"),
    ActConference => ("Hội nghị, hội thảo", "Conferences"),
    ActInformation => ("Thông tin, tuyên truyền", "Information"),
    ActOther => ("Khác", "Other"),
    SrcNational => ("Khuyến công quốc gia", "National"),
    SrcLocal => ("Khuyến công địa phương", "Local"),
    SrcOther => ("Nguồn khác, đối ứng", "Other, counterpart"),

    PilotAtt => ("Tác động bình quân của thí điểm sau khi bắt đầu (ATT, thí điểm từ {starts}): {att} (p cụm {p}; bootstrap cụm hoang dã theo {cluster}, {g} cụm, trọng số {weights}: p {pw}, KTC 95% {lo} đến {hi}; suy luận hoán vị, {perms} lần hoán vị đường xử lý giữa các tỉnh: p {pri}).", "Average pilot effect after the start (ATT, pilot from {starts}): {att} (clustered p {p}; wild cluster bootstrap by {cluster}, {g} clusters, {weights} weights: p {pw}, 95% CI {lo} to {hi}; randomization inference, {perms} reshuffles of treatment paths among provinces: p {pri})."),
    PilotFewTreated => ("Cảnh báo: chỉ {t} tỉnh được thí điểm (dưới khoảng 10), nên sai số chuẩn theo cụm quá lạc quan; hãy dựa vào p bootstrap và p hoán vị.", "Warning: only {t} provinces were in the pilot (fewer than about 10), so clustered standard errors are too optimistic; rely on the bootstrap and randomization-inference p-values."),
    PilotPretrend => ("Kiểm định đồng thời xu hướng trước thí điểm (mọi năm trước, trừ năm gốc, bằng 0): F({df1}, {df2}) = {f}, p {p}.", "Joint pre-trend test (every pre-pilot year other than the reference is zero): F({df1}, {df2}) = {f}, p {p}."),
    PilotAlwaysTreated => ("Bỏ khỏi ước lượng các năm bắt đầu không có năm quan sát nào trước đó: {years}.", "Start years with no earlier observed year were left out of the estimation: {years}."),

    StFlagged => ("Dàn trải, hiệu quả thấp", "Scattered, low impact"),
    StScatteredEffective => ("Dàn trải, có hiệu quả", "Scattered, effective"),
    StFocusedLowImpact => ("Tập trung, hiệu quả thấp", "Focused, low impact"),
    StOk => ("Không bị đánh dấu", "Not flagged"),
    StInsufficient => ("Chưa đủ dữ liệu", "Insufficient data"),
    StNoData => ("Không có dữ liệu", "No data"),
    StScatteredUnknown => ("Dàn trải, chưa rõ tác động", "Scattered, effect unknown"),
    StEffectUnknown => ("Không dàn trải, chưa rõ tác động", "Not scattered, effect unknown"),
    VerdictClear => ("Rõ", "Clear"),
    VerdictLow => ("Thấp", "Low"),
    VerdictInconclusive => ("Chưa kết luận", "Inconclusive"),
    VerdictInsufficient => ("Chưa đủ dữ liệu", "Insufficient"),
    ColVerdict => ("Kết luận tác động", "Effect verdict"),
    ColPlacebo => ("Kiểm tra giả, điểm % (khoảng)", "Placebo, pp (interval)"),
    PlaceboFailed => ("không đạt", "failed"),
    FindVerdicts => ("Giai đoạn hỗ trợ {y0}–{y1} (tăng trưởng năm sau): tác động rõ ở {clear} tỉnh, thấp ở {low}, chưa kết luận ở {inconclusive}, chưa đủ dữ liệu ở {insufficient}; kiểm tra giả không đạt ở {placebo} tỉnh. Tỉnh bị đánh dấu khi hỗ trợ dàn trải (từ {eff} ngành tương đương và từ {small}% khoản nhỏ) và tác động thấp (cận trên khoảng tin cậy {level}% dưới {min} điểm % tăng trưởng); {unknown} tỉnh dàn trải nhưng chưa rõ tác động không bị đánh dấu.", "Support years {y0}–{y1} (growth the year after): a clear effect in {clear} provinces, low in {low}, inconclusive in {inconclusive}, insufficient data in {insufficient}; the placebo check failed in {placebo}. A province is flagged when its support is scattered (at least {eff} effective sectors and {small}% small grants) and its effect is low (the top of its {level}% interval below {min} percentage points of growth); {unknown} scattered provinces whose effect is unknown are not flagged."),

    Boundary2008 => ("63 tỉnh, thành phố (trước 1/7/2025, mã GSO)", "63 provinces (before 1 July 2025, GSO codes)"),
    Boundary2025 => ("34 tỉnh, thành phố (từ 1/7/2025, Nghị quyết 202/2025/QH15)", "34 provinces (from 1 July 2025, Resolution 202/2025/QH15)"),

    ColRank => ("Hạng", "Rank"),
    ColProvince => ("Tỉnh", "Province"),
    ColPeriod => ("Giai đoạn", "Period"),
    ColGrants => ("Số khoản", "Grants"),
    ColMedianGrant => ("Khoản trung vị (triệu đồng)", "Median grant (million VND)"),
    ColSmallShare => ("Tỷ lệ khoản nhỏ (%)", "Small grants (%)"),
    ColEffSectors => ("Số ngành hiệu dụng", "Effective sectors"),
    ColEffect => ("Tác động (KTC 95%)", "Effect (95% CI)"),
    ColEffectPp => ("Tác động, điểm % (khoảng tin cậy)", "Effect, pp (interval)"),
    ColQValue => ("q (BH)", "q (BH)"),
    ColReasons => ("Lý do", "Reasons"),
    ColStatus => ("Trạng thái", "Status"),
    ColModel => ("Mô hình", "Model"),
    ColTerm => ("Biến", "Term"),
    ColEstimate => ("Hệ số", "Estimate"),
    ColCiClustered => ("KTC 95% (sai số cụm)", "95% CI (clustered)"),
    ColPClustered => ("p (sai số chuẩn cụm)", "p (clustered SE)"),
    ColPWild => ("p (bootstrap cụm hoang dã)", "p (wild cluster bootstrap)"),
    ColCiWild => ("KTC 95% (bootstrap)", "95% CI (bootstrap)"),
    ColFile => ("Tệp", "File"),
    ColReason => ("Lý do", "Reason"),
    ColRows => ("Số dòng", "Rows"),
    ColTable => ("Bảng", "Table"),
    ColColumn => ("Cột", "Column"),
    ColMissing => ("Ô trống", "Missing cells"),
    ColYear => ("Năm", "Year"),
    ColSector => ("Ngành", "Sector"),
    ColActivity => ("Nội dung", "Activity"),
    ColBeneficiary => ("Đơn vị thụ hưởng", "Beneficiary"),
    ColAmount => ("Kinh phí (triệu đồng)", "Amount (million VND)"),
    ColParameter => ("Tham số", "Parameter"),
    ColValue => ("Giá trị", "Value"),

    TopGrants => ("Các khoản hỗ trợ lớn nhất", "Largest grants"),
    RankedTable => ("Xếp hạng các trường hợp bị đánh dấu", "Flagged cases, ranked"),
    NoFlaggedRows => ("Không có trường hợp nào bị đánh dấu.", "No case was flagged."),
    AllAssessed => ("Mọi tỉnh và giai đoạn được đánh giá", "Every province and window assessed"),
    ModelTable => ("Hệ số của các mô hình (sai số chuẩn cụm và bootstrap cụm hoang dã)", "Model coefficients (clustered standard errors and wild cluster bootstrap)"),
    ModelNote => ("p cụm: kiểm định t với sai số chuẩn theo cụm tỉnh, G−1 bậc tự do. p bootstrap: bootstrap cụm hoang dã (trọng số Rademacher/Webb), đáng tin hơn khi có ít tỉnh được xử lý.", "Clustered p: t test with province-clustered standard errors and G−1 degrees of freedom. Bootstrap p: wild cluster bootstrap (Rademacher/Webb weights), more reliable when few provinces are treated."),
    NoModels => ("Chưa có mô hình nào được ước lượng.", "No model has been fitted."),
    RejectedRows => ("Dòng bị loại theo lý do", "Rejected rows by reason"),
    NoRejected => ("Không dòng nào bị loại.", "No row was rejected."),
    MissingCellsHead => ("Ô trống theo cột", "Missing cells by column"),
    NoMissingCells => ("Không có ô trống.", "No missing cells."),
    PanelMissing => ("Bảng panel: {n} dòng, {k} dòng thiếu sản lượng, năm {y0}–{y1}.", "Panel: {n} rows, {k} rows without output, years {y0}–{y1}."),
    BoundaryUsed => ("Bản đồ hành chính dùng trong phân tích: {boundary}.", "Province map used throughout: {boundary}."),
    MissingTables => ("Không tìm thấy (các phần liên quan bị bỏ qua): {tables}.", "Not found (the parts that need them are left out): {tables}."),
    ChartSkipped => ("Không vẽ biểu đồ \"{chart}\": {why}.", "Chart \"{chart}\" not drawn: {why}."),
    NoPlans => ("không có số liệu kế hoạch", "no plan figures in the data"),
    NoPilots => ("không có tỉnh thí điểm", "no pilot provinces"),
    NoTable => ("thiếu bảng {table}", "table {table} is missing"),
    EmptyTable => ("bảng {table} không có dòng dùng được", "table {table} has no usable rows"),
    MethodFlags => ("Một tỉnh trong một giai đoạn hỗ trợ bị coi là dàn trải khi số ngành hiệu dụng (1/HHI kinh phí theo ngành) và tỷ lệ khoản hỗ trợ nhỏ đều từ ngưỡng trở lên (ngưỡng tuyệt đối, nêu ở phần phát hiện chính). Tác động của tỉnh là mức tăng trưởng thêm của ngành được hỗ trợ trong năm sau so với các năm không được hỗ trợ, đã loại bỏ cú sốc chung của tỉnh trong năm, của ngành trong năm và xu hướng riêng của từng ngành ở tỉnh; khoảng tin cậy 90% dùng số ô tỉnh–ngành được hỗ trợ. Kết luận: \"thấp\" khi cận trên dưới mức tối thiểu, \"rõ\" khi cận dưới trên 0 và kiểm tra giả đạt, \"chưa kết luận\" khi không phải hai trường hợp trên hoặc kiểm tra giả không đạt, \"chưa đủ dữ liệu\" khi tỉnh có quá ít ô được hỗ trợ. Bị đánh dấu = dàn trải và tác động thấp; dàn trải nhưng chưa kết luận thì không bị đánh dấu.", "A province in a window of support years is scattered when both its effective number of sectors (1/HHI of spending across sectors) and its share of small grants are at or above their thresholds (absolute, stated among the key findings). Its effect is how much faster a supported sector grew in the following year than in its unsupported years, net of shocks common to the province in that year, to the sector in that year, and of each province-sector's own growth; the 90% interval counts the province's supported province-sector cells. Verdicts: \"low\" when the top of the interval is below the minimum effect, \"clear\" when its bottom is above zero and the placebo check passes, \"inconclusive\" otherwise or when the placebo check fails, \"insufficient\" when the province has too few supported cells. Flagged = scattered and low; scattered but inconclusive is never flagged."),
    MethodEffects => ("Mô hình hồi quy tác động cố định theo cú pháp fixest; sai số chuẩn theo cụm tỉnh; giá trị p bootstrap cụm hoang dã đặt cạnh giá trị p cụm.", "Fixed-effects regressions in fixest syntax; province-clustered standard errors; wild cluster bootstrap p-values beside the clustered ones."),
    Thresholds => ("Tham số của bước đánh dấu", "Parameters of the flags stage"),
    NoThresholds => ("Tệp manifest không ghi tham số của bước đánh dấu.", "The manifest holds no parameters for the flags stage."),
    DataSources => ("Nguồn dữ liệu", "Data sources"),
    ReferenceSources => ("Danh mục tỉnh (GSO), Nghị quyết 202/2025/QH15 và danh mục ngành VSIC 2018 đi kèm chương trình.", "Province lists (GSO), Resolution 202/2025/QH15 and the VSIC 2018 divisions shipped with the program."),
    FontNote => ("Phông chữ biểu đồ: Noto Sans (SIL Open Font License 1.1).", "Chart font: Noto Sans (SIL Open Font License 1.1)."),
    ProgramVersion => ("Phiên bản chương trình", "Program version"),
    Language => ("Ngôn ngữ", "Language"),
    Yes => ("có", "yes"),
    No => ("không", "no"),
    NotAvailable => ("không có", "n/a"),
    DefaultValue => ("mặc định (tính từ dữ liệu)", "default (derived from the data)"),
    Others => ("và {n} tỉnh khác", "and {n} more"),
}

/// The text of a key in a language.
pub fn t(lang: Lang, key: K) -> &'static str {
    let (vi, en) = key.pair();
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

/// A template with its `{name}` placeholders filled.
pub fn tf(lang: Lang, key: K, args: &[(&str, &str)]) -> String {
    let mut s = t(lang, key).to_string();
    for (name, value) in args {
        s = s.replace(&format!("{{{name}}}"), value);
    }
    s
}

/// A number with `decimals` digits and thousands separators in the language's convention.
pub fn num(lang: Lang, x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return t(lang, K::NotAvailable).to_string();
    }
    let raw = format!("{:.*}", decimals, x.abs());
    let (int, frac) = raw.split_once('.').unwrap_or((&raw, ""));
    let (thousands, point) = match lang {
        Lang::Vi => ('.', ','),
        Lang::En => (',', '.'),
    };
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(thousands);
        }
        grouped.push(c);
    }
    let negative = x < 0.0 && raw.chars().any(|c| c.is_ascii_digit() && c != '0');
    let mut out = String::new();
    if negative {
        // ASCII minus: the chart font's U+2212 is not drawn reliably by the rasteriser.
        out.push('-');
    }
    out.push_str(&grouped);
    if !frac.is_empty() {
        out.push(point);
        out.push_str(frac);
    }
    out
}

/// A p-value: three decimals, or "< 0.001".
pub fn pval(lang: Lang, p: Option<f64>) -> String {
    match p {
        Some(p) if p < 0.001 => format!("< {}", num(lang, 0.001, 3)),
        Some(p) => num(lang, p, 3),
        None => t(lang, K::NotAvailable).to_string(),
    }
}

/// The label of an activity code from the funding table.
pub fn activity(lang: Lang, code: &str) -> String {
    let key = match code {
        "demonstration" => K::ActDemonstration,
        "machinery" => K::ActMachinery,
        "training" => K::ActTraining,
        "management" => K::ActManagement,
        "trade_promotion" => K::ActTradePromotion,
        "consulting" => K::ActConsulting,
        "conference" => K::ActConference,
        "information" => K::ActInformation,
        "other" => K::ActOther,
        unknown => return crate::text::clean(unknown),
    };
    t(lang, key).to_string()
}

/// The label of a funding source code.
pub fn source(lang: Lang, code: &str) -> String {
    let key = match code {
        "national" => K::SrcNational,
        "local" => K::SrcLocal,
        "other" | "counterpart" => K::SrcOther,
        unknown => return crate::text::clean(unknown),
    };
    t(lang, key).to_string()
}

/// The label of a flag status; `None`: no status (a province without data).
pub fn status(lang: Lang, status: Option<FlagStatus>) -> String {
    use FlagStatus::*;
    let key = match status {
        Some(Flagged) => K::StFlagged,
        Some(ScatteredEffective) => K::StScatteredEffective,
        Some(FocusedLowImpact) => K::StFocusedLowImpact,
        Some(Ok) => K::StOk,
        Some(InsufficientData) => K::StInsufficient,
        Some(ScatteredEffectUnknown) => K::StScatteredUnknown,
        Some(EffectUnknown) => K::StEffectUnknown,
        None => K::StNoData,
    };
    t(lang, key).to_string()
}

/// The name of an effect verdict (clear | low | inconclusive | insufficient).
pub fn verdict(lang: Lang, code: &str) -> String {
    let key = match code {
        "clear" => K::VerdictClear,
        "low" => K::VerdictLow,
        "inconclusive" => K::VerdictInconclusive,
        "insufficient" => K::VerdictInsufficient,
        other => return crate::text::clean(other),
    };
    t(lang, key).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholders(s: &str) -> Vec<String> {
        let mut out: Vec<String> = s
            .split('{')
            .skip(1)
            .filter_map(|p| p.split_once('}').map(|(name, _)| name.to_string()))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn every_key_has_both_languages_with_the_same_placeholders() {
        for key in ALL {
            let (vi, en) = key.pair();
            assert!(!vi.trim().is_empty() && !en.trim().is_empty(), "{key:?}");
            assert_eq!(placeholders(vi), placeholders(en), "{key:?}");
            assert_eq!(crate::text::clean(vi), vi, "{key:?} is not NFC");
        }
    }

    #[test]
    fn numbers_follow_the_language() {
        assert_eq!(num(Lang::Vi, 3916.7, 1), "3.916,7");
        assert_eq!(num(Lang::En, 3916.7, 1), "3,916.7");
        assert_eq!(num(Lang::En, 1_234_567.0, 0), "1,234,567");
        assert_eq!(num(Lang::En, -0.04, 2), "-0.04");
        assert_eq!(num(Lang::En, -0.001, 2), "0.00");
        assert_eq!(num(Lang::Vi, 100.0, 0), "100");
        assert_eq!(pval(Lang::En, Some(0.0004)), "< 0.001");
        assert_eq!(pval(Lang::Vi, Some(0.0421)), "0,042");
    }

    #[test]
    fn templates_fill_placeholders() {
        let s = tf(Lang::En, K::T7, &[("n", "3"), ("m", "63")]);
        assert_eq!(s, "3 of 63 provinces flagged: scattered, low impact");
        assert_eq!(activity(Lang::Vi, "training"), "Đào tạo nghề");
        assert_eq!(
            status(Lang::En, Some(FlagStatus::InsufficientData)),
            "Insufficient data"
        );
    }
}
