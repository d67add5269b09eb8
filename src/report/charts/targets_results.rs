//! The real-data chart targets_results: the programme's targets (adopted and draft) and its
//! results as bars, grouped by theme, each bar scaled within its theme and unit; and its
//! preparation from the targets file (which targets have a result of the same period).

use super::kit::{BLUE, ORANGE};
use super::kit::{Csv, DR, GREY, d, text, text_width};
use super::real::{Plot, RealChart, source_line};
use crate::report::Lang;
use crate::report::i18n::num;
use crate::report::real_data::TargetRec;
use crate::report::real_text::{self as rt, tr, trf, unit_label};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// One bar of the targets chart.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetBar {
    pub theme: String,
    /// "target", "draft_target" or "result".
    pub kind: &'static str,
    pub label: String,
    pub value: f64,
    pub unit: String,
    /// Bar length as a share of the largest value of its theme in the same unit.
    pub share: f64,
}

/// Targets with a published value, how many of them have a result of the same group and
/// period, and how many results match no target's period.
pub fn target_match(rows: &[TargetRec]) -> (usize, usize, usize) {
    let is_target = |r: &TargetRec| r.kind == "target" || r.kind == "draft_target";
    let targets: Vec<&TargetRec> = rows
        .iter()
        .filter(|r| is_target(r) && r.theme != "other" && r.value.is_some())
        .collect();
    let results: Vec<&TargetRec> = rows
        .iter()
        .filter(|r| r.kind == "result" && r.theme != "other" && r.value.is_some())
        .collect();
    let same = |t: &TargetRec, r: &TargetRec| t.theme == r.theme && t.period == r.period;
    let matched = targets
        .iter()
        .filter(|t| results.iter().any(|r| same(t, r)))
        .count();
    let unmatched = results
        .iter()
        .filter(|r| !targets.iter().any(|t| same(t, r)))
        .count();
    (targets.len(), matched, unmatched)
}

fn theme_label(lang: Lang, theme: &str) -> Option<&'static str> {
    let p = match theme {
        "demonstration_models" => rt::THEME_MODELS,
        "machinery_support" => rt::THEME_MACHINERY,
        "training" => rt::THEME_TRAINING,
        "fairs" => rt::THEME_FAIRS,
        "clusters" => rt::THEME_CLUSTERS,
        _ => return None,
    };
    Some(tr(lang, p))
}

fn kind_label(lang: Lang, kind: &str) -> &'static str {
    tr(
        lang,
        match kind {
            "target" => rt::KIND_TARGET,
            "draft_target" => rt::KIND_DRAFT,
            _ => rt::KIND_RESULT,
        },
    )
}

/// The bars of the targets chart, grouped by theme in a fixed order.
pub fn target_bars(rows: &[TargetRec], lang: Lang) -> Vec<TargetBar> {
    let order = [
        "demonstration_models",
        "machinery_support",
        "training",
        "fairs",
        "clusters",
    ];
    let rank = |k: &str| match k {
        "target" => 0,
        "draft_target" => 1,
        _ => 2,
    };
    let mut out = Vec::new();
    for theme in order {
        let mut rs: Vec<&TargetRec> = rows
            .iter()
            .filter(|r| r.theme == theme && r.value.is_some() && r.kind != "other")
            .collect();
        if rs.is_empty() {
            continue;
        }
        rs.sort_by_key(|r| (rank(&r.kind), r.record_id.clone()));
        // Bars compare only values of one unit: 10,000 workers and 600 managers are not
        // drawn against 239 projects.
        let max_of = |unit: &str| {
            rs.iter()
                .filter(|r| r.unit == unit)
                .filter_map(|r| r.value)
                .fold(0.0, f64::max)
                .max(1e-9)
        };
        for r in rs.iter() {
            let max = max_of(&r.unit);
            let kind: &'static str = match r.kind.as_str() {
                "target" => "target",
                "draft_target" => "draft_target",
                _ => "result",
            };
            let v = r.value.unwrap_or(0.0);
            let item: String = r.item.chars().take(38).collect();
            out.push(TargetBar {
                theme: theme_label(lang, theme).unwrap_or(theme).to_string(),
                kind,
                label: format!("{} {} · {item}", kind_label(lang, kind), r.period),
                value: v,
                unit: unit_label(lang, &r.unit),
                share: v / max,
            });
        }
    }
    out
}

/// The chart of targets against results, titled by how many targets have a result; `None`
/// when the file has neither a target with a value nor a result.
pub fn prepare(rows: &[TargetRec], sources: &[String], lang: Lang) -> Option<RealChart> {
    let (targets, matched, others) = target_match(rows);
    if targets == 0 && others == 0 {
        return None;
    }
    let bars = target_bars(rows, lang);
    let mut csv = Csv::new(&["group", "kind", "label", "value", "unit"]);
    for b in &bars {
        csv.row(vec![
            b.theme.clone(),
            b.kind.to_string(),
            b.label.clone(),
            b.value.to_string(),
            b.unit.clone(),
        ]);
    }
    Some(RealChart {
        name: "targets_results",
        title: trf(
            lang,
            rt::T_TARGETS,
            &[
                ("matched", &matched.to_string()),
                ("targets", &targets.to_string()),
            ],
        ),
        subtitle: tr(lang, rt::S_TARGETS).to_string(),
        source: source_line(lang, sources, |f| f.contains("target")),
        plot: Plot::Targets { bars },
        csv,
    })
}

fn kind_style(kind: &str) -> (RGBColor, bool) {
    match kind {
        "result" => (BLUE, true),
        "target" => (GREY, false),
        _ => (ORANGE, false),
    }
}

pub(super) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    bars: &[TargetBar],
    top: i32,
    w: i32,
    lang: Lang,
) -> DR {
    // Legend.
    let mut x = 28;
    for (kind, label) in [
        ("target", tr(lang, rt::LEG_TARGET)),
        ("draft_target", tr(lang, rt::LEG_DRAFT)),
        ("result", tr(lang, rt::LEG_RESULT)),
    ] {
        let (color, filled) = kind_style(kind);
        let rect = [(x, top), (x + 26, top + 18)];
        if filled {
            d(root.draw(&Rectangle::new(rect, color.filled())))?;
        } else {
            d(root.draw(&Rectangle::new(rect, color.mix(0.25).filled())))?;
            d(root.draw(&Rectangle::new(rect, color.stroke_width(2))))?;
        }
        text(
            root,
            label,
            (x + 32, top + 9),
            14.0,
            BLACK,
            (HPos::Left, VPos::Center),
        )?;
        x += 60 + text_width(root, label, 14.0) as i32;
    }
    let label_w = 430;
    let bar_x = 28 + label_w;
    let bar_max = w - bar_x - 220;
    let mut y = top + 44;
    let mut theme = String::new();
    for b in bars {
        if b.theme != theme {
            theme = b.theme.clone();
            y += 8;
            text(
                root,
                &theme,
                (28, y),
                16.0,
                BLACK,
                (HPos::Left, VPos::Center),
            )?;
            y += 30;
        }
        text(
            root,
            &b.label,
            (40, y),
            13.0,
            RGBColor(50, 50, 50),
            (HPos::Left, VPos::Center),
        )?;
        let (color, filled) = kind_style(b.kind);
        let len = ((b.share * bar_max as f64) as i32).max(2);
        let rect = [(bar_x, y - 12), (bar_x + len, y + 12)];
        if filled {
            d(root.draw(&Rectangle::new(rect, color.filled())))?;
        } else {
            d(root.draw(&Rectangle::new(rect, color.mix(0.25).filled())))?;
            d(root.draw(&Rectangle::new(rect, color.stroke_width(2))))?;
        }
        text(
            root,
            &format!("{} {}", num(lang, b.value, 0), b.unit),
            (bar_x + len + 8, y),
            13.0,
            BLACK,
            (HPos::Left, VPos::Center),
        )?;
        y += 40;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(id: &str, kind: &str, theme: &str, period: &str, v: f64) -> TargetRec {
        TargetRec {
            record_id: id.into(),
            programme: String::new(),
            period: period.into(),
            item: "technical demonstration models".into(),
            kind: kind.into(),
            theme: theme.into(),
            value: Some(v),
            value_as_published: v.to_string(),
            unit: "models".into(),
            confidence: "medium".into(),
        }
    }

    #[test]
    fn targets_match_only_on_group_and_period() {
        let rows = vec![
            t("T01", "target", "demonstration_models", "2021-2025", 340.0),
            t("T13", "target", "demonstration_models", "2016-2020", 160.0),
            t("T17", "result", "demonstration_models", "2015", 50.0),
            t("T30", "result", "demonstration_models", "2016-2020", 170.0),
            t("T31", "result", "training", "2021-2025", 9.0),
        ];
        // T13 has T30; T01 has no result of its group for 2021-2025 (T31 is training).
        assert_eq!(target_match(&rows), (2, 1, 2));
        let bars = target_bars(&rows, Lang::En);
        assert_eq!(bars.len(), 5);
        assert_eq!(bars[0].kind, "target");
        assert_eq!(bars[0].value, 340.0);
        assert_eq!(bars[0].share, 1.0);
        assert!((bars[2].share - 50.0 / 340.0).abs() < 1e-12);
        assert_eq!(unit_label(Lang::Vi, "models"), "mô hình");
    }
}
