//! Reason codes of a flag and their sentences in Vietnamese and English. Effects are written in
//! percentage points of growth (0.025 log points ≈ 2.5 pp), the unit the minimum effect is set in.

use super::{Flag, FlagParams};
use crate::contract::vocab::ReasonCode;

fn num(v: Option<f64>, d: usize) -> String {
    v.map_or("–".to_string(), |v| format!("{v:.d$}"))
}

/// Log points as signed percentage points, one decimal.
fn pp(v: Option<f64>) -> String {
    v.map_or("–".to_string(), |v| format!("{:+.1}", 100.0 * v))
}

/// The sentence of one reason code, (Vietnamese, English).
pub(super) fn sentence(code: ReasonCode, f: &Flag, params: &FlagParams) -> (String, String) {
    let c = &f.conc;
    let e = &f.effect.est;
    let level = format!("{:.0}%", 100.0 * f.level);
    let (lo, hi) = (f.interval.map(|c| c.0), f.interval.map(|c| c.1));
    let min_pp = format!("{:.1}", 100.0 * params.min_effect);
    let rank = |r: Option<f64>| r.map_or(String::new(), |r| format!(" {:.0}", 100.0 * r));
    match code {
        ReasonCode::ManySectors => (
            format!(
                "hỗ trợ trải trên {} ngành tương đương (ngưỡng {:.1}; hạng phần trăm{} trên 100)",
                num(c.eff_sectors, 1),
                f.thresholds.0,
                rank(f.rank_eff)
            ),
            format!(
                "support spread over {} effective sectors (threshold {:.1}; percent rank{} of 100)",
                num(c.eff_sectors, 1),
                f.thresholds.0,
                rank(f.rank_eff)
            ),
        ),
        ReasonCode::SmallGrants => (
            format!(
                "{}% số khoản hỗ trợ là khoản nhỏ (ngưỡng {:.0}%)",
                num(c.small_grant_share.map(|s| s * 100.0), 0),
                f.thresholds.1 * 100.0
            ),
            format!(
                "{}% of grants are small (threshold {:.0}%)",
                num(c.small_grant_share.map(|s| s * 100.0), 0),
                f.thresholds.1 * 100.0
            ),
        ),
        ReasonCode::ClearEffect => (
            format!(
                "tác động rõ: tăng trưởng ngành được hỗ trợ năm sau cao hơn {} điểm % \
                 (khoảng tin cậy {level}: {} đến {})",
                pp(e.estimate),
                pp(lo),
                pp(hi)
            ),
            format!(
                "clear effect: supported sectors grew {} pp faster the next year \
                 ({level} interval {} to {})",
                pp(e.estimate),
                pp(lo),
                pp(hi)
            ),
        ),
        ReasonCode::EffectBelowMinimum => (
            format!(
                "tác động thấp: {} điểm % (khoảng tin cậy {level}: {} đến {}), cận trên dưới mức \
                 tối thiểu {min_pp} điểm %",
                pp(e.estimate),
                pp(lo),
                pp(hi)
            ),
            format!(
                "low effect: {} pp ({level} interval {} to {}), upper bound below the minimum \
                 of {min_pp} pp",
                pp(e.estimate),
                pp(lo),
                pp(hi)
            ),
        ),
        ReasonCode::IntervalTooWide => (
            format!(
                "chưa kết luận được: {} điểm % (khoảng tin cậy {level}: {} đến {}) vừa có thể bằng 0 \
                 vừa có thể vượt mức tối thiểu {min_pp} điểm %",
                pp(e.estimate),
                pp(lo),
                pp(hi)
            ),
            format!(
                "effect unknown: {} pp ({level} interval {} to {}) could be zero or above the \
                 minimum of {min_pp} pp",
                pp(e.estimate),
                pp(lo),
                pp(hi)
            ),
        ),
        ReasonCode::PlaceboFailed => (
            format!(
                "kiểm tra giả (placebo) không đạt: năm trước khi được hỗ trợ, ngành tăng trưởng \
                 khác {} điểm % (khoảng {} đến {}), nên khác biệt sau hỗ trợ có thể không do hỗ trợ",
                pp(e.placebo),
                pp(f.placebo_interval.map(|c| c.0)),
                pp(f.placebo_interval.map(|c| c.1))
            ),
            format!(
                "placebo check failed: in the year before support the sectors grew {} pp \
                 differently (interval {} to {}), so the difference after support may not be its \
                 effect",
                pp(e.placebo),
                pp(f.placebo_interval.map(|c| c.0)),
                pp(f.placebo_interval.map(|c| c.1))
            ),
        ),
        ReasonCode::FewSupportedCells => (
            format!(
                "chỉ {} ngành được hỗ trợ (cần ít nhất {}) để ước lượng tác động riêng của tỉnh",
                e.supported_cells, params.min_supported_cells
            ),
            format!(
                "only {} supported sectors ({} needed) for a province-specific estimate",
                e.supported_cells, params.min_supported_cells
            ),
        ),
        ReasonCode::NoComparison => (
            format!(
                "chỉ {} ngành không được hỗ trợ trong các năm có hỗ trợ để so sánh (cần {})",
                e.comparison_cells, params.min_comparison_cells
            ),
            format!(
                "only {} unsupported sectors to compare with in supported years ({} needed)",
                e.comparison_cells, params.min_comparison_cells
            ),
        ),
        ReasonCode::NoEstimate => (
            "không ước lượng được: hỗ trợ không thay đổi giữa các ngành trong cùng năm".to_string(),
            "no estimate: support does not vary across sectors within the province's years"
                .to_string(),
        ),
    }
}

/// Vietnamese writes the decimal mark as a comma: "14.7" → "14,7" (only between digits).
pub(super) fn vi_decimals(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let between_digits = i > 0
                && chars[i - 1].is_ascii_digit()
                && chars.get(i + 1).is_some_and(char::is_ascii_digit);
            if c == '.' && between_digits { ',' } else { c }
        })
        .collect()
}

pub(super) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
