//! The report's "since the last run" section: one sentence per province-window whose verdict,
//! flag or scattered call changed when the flags were last recomputed, from
//! `flags/changes.parquet` (the report computes nothing).

use super::data::ChangeRow;
use super::i18n::{K, t, tf, verdict};
use super::{Lang, ReportContext, province_name};
use crate::contract::vocab::ChangeCode;

fn years(start: Option<i32>, end: Option<i32>) -> (String, String) {
    (
        start.map(|y| y.to_string()).unwrap_or_default(),
        end.map(|y| y.to_string()).unwrap_or_default(),
    )
}

fn verdict_name(lang: Lang, v: &Option<String>) -> String {
    v.as_deref()
        .map(|v| verdict(lang, v))
        .unwrap_or_else(|| "–".to_string())
}

/// One sentence for a change.
pub fn sentence(c: &ChangeRow, ctx: &ReportContext) -> String {
    let lang = ctx.lang;
    let name = c
        .province_name
        .clone()
        .map(|n| crate::text::clean(&n))
        .unwrap_or_else(|| province_name(&c.province_code, ctx.boundary));
    let before = verdict_name(lang, &c.verdict_before);
    let now = verdict_name(lang, &c.verdict_now);
    let codes: Vec<ChangeCode> = c.change.split(';').filter_map(ChangeCode::parse).collect();
    if codes.contains(&ChangeCode::NewWindow) {
        let (y0, y1) = years(c.period_start, c.period_end);
        return tf(
            lang,
            K::ChangeNew,
            &[("name", &name), ("y0", &y0), ("y1", &y1), ("now", &now)],
        ) + ".";
    }
    if codes.contains(&ChangeCode::WindowGone) {
        let (y0, y1) = years(c.period_start_before, c.period_end_before);
        return tf(
            lang,
            K::ChangeGone,
            &[
                ("name", &name),
                ("y0", &y0),
                ("y1", &y1),
                ("before", &before),
            ],
        ) + ".";
    }
    let (y0, y1) = years(c.period_start, c.period_end);
    let mut parts = vec![tf(
        lang,
        K::ChangeVerdict,
        &[
            ("name", &name),
            ("y0", &y0),
            ("y1", &y1),
            ("before", &before),
            ("now", &now),
        ],
    )];
    match (c.flagged_before, c.flagged_now) {
        (Some(false) | None, Some(true)) => parts.push(t(lang, K::ChangeNowFlagged).into()),
        (Some(true), Some(false) | None) => parts.push(t(lang, K::ChangeNoLongerFlagged).into()),
        _ => {}
    }
    match (c.scattered_before, c.scattered_now) {
        (Some(false) | None, Some(true)) => parts.push(t(lang, K::ChangeNowScattered).into()),
        (Some(true), Some(false) | None) => parts.push(t(lang, K::ChangeNoLongerScattered).into()),
        _ => {}
    }
    if codes.contains(&ChangeCode::WindowExtended)
        && let Some(end) = c.period_end_before
    {
        parts.push(tf(lang, K::ChangeExtended, &[("end", &end.to_string())]));
    }
    parts.join("; ") + "."
}

/// The section's introduction and sentences; empty when nothing changed.
pub fn sentences(changes: &[ChangeRow], ctx: &ReportContext) -> Vec<String> {
    if changes.is_empty() {
        return Vec::new();
    }
    let mut out = vec![tf(
        ctx.lang,
        K::ChangesIntro,
        &[("n", &changes.len().to_string())],
    )];
    out.extend(changes.iter().map(|c| sentence(c, ctx)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::Boundary;

    fn ctx(lang: Lang) -> ReportContext {
        ReportContext {
            pipeline_name: "t".into(),
            boundary: Boundary::B2008,
            synthetic: true,
            lang,
            sources: vec![],
            pilot_provinces: vec![],
            pilot_start: None,
            small_grant_mvnd: 300.0,
        }
    }

    #[test]
    fn a_changed_verdict_reads_as_a_sentence_in_both_languages() {
        let c = ChangeRow {
            province_code: "70".into(),
            province_name: None,
            change: "VERDICT;FLAG;WINDOW_EXTENDED".into(),
            period_start_before: Some(2012),
            period_end_before: Some(2022),
            period_start: Some(2012),
            period_end: Some(2023),
            verdict_before: Some("inconclusive".into()),
            verdict_now: Some("low".into()),
            flagged_before: Some(false),
            flagged_now: Some(true),
            scattered_before: Some(true),
            scattered_now: Some(true),
        };
        assert_eq!(
            sentence(&c, &ctx(Lang::En)),
            "Bình Phước, support years 2012–2023: effect verdict Inconclusive → Low; now flagged; \
             the window ended in 2022 before."
        );
        assert_eq!(
            sentence(&c, &ctx(Lang::Vi)),
            "Bình Phước, hỗ trợ 2012–2023: kết luận tác động Chưa kết luận → Thấp; nay bị đánh dấu; \
             giai đoạn trước đây kết thúc năm 2022."
        );
        assert!(sentences(&[], &ctx(Lang::En)).is_empty());
        assert_eq!(sentences(&[c], &ctx(Lang::En)).len(), 2);
    }
}
