//! The real-data chart targets_results: the programme's targets (adopted and draft) and its
//! results as bars, grouped by theme, each bar scaled within its theme and unit.

use super::kit::{BLUE, ORANGE};
use super::kit::{DR, GREY, d, text, text_width};
use crate::report::Lang;
use crate::report::i18n::num;
use crate::report::real_text::{self as rt, tr};
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
