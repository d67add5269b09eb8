//! The real-data chart national_budget: the programme's money by year, national and provincial
//! programmes stacked, a total published as one figure drawn as an outline, derived parts marked.

use super::kit::{BLUE, ORANGE};
use super::kit::{DR, GREY, LIGHT, d, text, wrap};
use crate::report::Lang;
use crate::report::i18n::num;
use crate::report::real_text::{self as rt, tr};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// One bar of the budget chart: a year, the programme's money in it (billion VND a year).
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetBar {
    pub year: i32,
    /// National programme (KCQG), provinces' programmes (KCĐP): stacked.
    pub national: Option<f64>,
    pub local: Option<f64>,
    /// Both together, when published as one figure: drawn as an outline.
    pub total: Option<f64>,
    /// Some part of the bar is arithmetic on published figures, not a figure itself.
    pub derived: bool,
}

pub(super) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    bars: &[BudgetBar],
    (top, bottom): (i32, i32),
    w: i32,
    lang: Lang,
) -> DR {
    let Some(y0) = bars.iter().map(|b| b.year).min() else {
        return Ok(());
    };
    let y1 = bars.iter().map(|b| b.year).max().unwrap_or(y0);
    let ymax = bars
        .iter()
        .map(|b| (b.national.unwrap_or(0.0) + b.local.unwrap_or(0.0)).max(b.total.unwrap_or(0.0)))
        .fold(0.0, f64::max)
        .max(1.0)
        * 1.15;
    // Legend on the right.
    let legend_w = 300;
    let (left, right) = (100, w - legend_w - 20);
    let (ptop, pbot) = (top + 10, bottom - 50);
    let n = (y1 - y0 + 1) as f64;
    let slot = (right - left) as f64 / n;
    let px = |year: i32| left + ((year - y0) as f64 * slot) as i32;
    let py = |v: f64| pbot - ((v / ymax) * (pbot - ptop) as f64) as i32;
    // Axes and gridlines.
    let step = nice_step(ymax);
    let mut g = 0.0;
    while g <= ymax {
        d(root.draw(&PathElement::new(
            vec![(left, py(g)), (right, py(g))],
            LIGHT.stroke_width(1),
        )))?;
        text(
            root,
            &num(lang, g, 0),
            (left - 8, py(g)),
            13.0,
            BLACK,
            (HPos::Right, VPos::Center),
        )?;
        g += step;
    }
    text(
        root,
        tr(lang, rt::AXIS_BN_PER_YEAR),
        (28, ptop - 4),
        13.0,
        GREY,
        (HPos::Left, VPos::Bottom),
    )?;
    for year in y0..=y1 {
        let x = px(year) + (slot / 2.0) as i32;
        text(
            root,
            &year.to_string(),
            (x, pbot + 8),
            13.0,
            BLACK,
            (HPos::Center, VPos::Top),
        )?;
        let bw = (slot * 0.7) as i32;
        let xl = x - bw / 2;
        match bars.iter().find(|b| b.year == year) {
            None => {
                text(
                    root,
                    "×",
                    (x, pbot - 10),
                    16.0,
                    GREY,
                    (HPos::Center, VPos::Center),
                )?;
            }
            Some(b) => {
                let mut base = 0.0;
                for (v, color) in [(b.national, BLUE), (b.local, ORANGE)] {
                    if let Some(v) = v {
                        let fill = if b.derived {
                            color.mix(0.55)
                        } else {
                            color.mix(1.0)
                        };
                        d(root.draw(&Rectangle::new(
                            [(xl, py(base + v)), (xl + bw, py(base))],
                            fill.filled(),
                        )))?;
                        base += v;
                    }
                }
                let mut label_v = base;
                if let Some(t) = b.total {
                    d(root.draw(&Rectangle::new(
                        [(xl - 3, py(t)), (xl + bw + 3, pbot)],
                        BLACK.stroke_width(2),
                    )))?;
                    label_v = label_v.max(t);
                }
                text(
                    root,
                    &num(lang, label_v, 0),
                    (x, py(label_v) - 4),
                    12.0,
                    BLACK,
                    (HPos::Center, VPos::Bottom),
                )?;
            }
        }
    }
    d(root.draw(&PathElement::new(
        vec![(left, pbot), (right, pbot)],
        BLACK.stroke_width(1),
    )))?;
    let lx = right + 24;
    let mut ly = ptop + 10;
    for (kind, label) in [
        (0, tr(lang, rt::LEG_TOTAL)),
        (1, tr(lang, rt::LEG_NATIONAL)),
        (2, tr(lang, rt::LEG_LOCAL)),
        (3, tr(lang, rt::LEG_NO_FIGURE)),
    ] {
        match kind {
            0 => d(root.draw(&Rectangle::new(
                [(lx, ly - 9), (lx + 22, ly + 9)],
                BLACK.stroke_width(2),
            )))?,
            1 => d(root.draw(&Rectangle::new(
                [(lx, ly - 9), (lx + 22, ly + 9)],
                BLUE.mix(0.55).filled(),
            )))?,
            2 => d(root.draw(&Rectangle::new(
                [(lx, ly - 9), (lx + 22, ly + 9)],
                ORANGE.mix(0.55).filled(),
            )))?,
            _ => text(
                root,
                "×",
                (lx + 11, ly),
                16.0,
                GREY,
                (HPos::Center, VPos::Center),
            )?,
        }
        for (i, line) in wrap(root, label, 13.0, (legend_w - 40).max(0) as u32)
            .iter()
            .enumerate()
        {
            text(
                root,
                line,
                (lx + 30, ly + 18 * i as i32),
                13.0,
                BLACK,
                (HPos::Left, VPos::Center),
            )?;
        }
        ly += 58;
    }
    Ok(())
}

fn nice_step(max: f64) -> f64 {
    let raw = max / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(mag * 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_round() {
        assert_eq!(nice_step(287.2 * 1.15), 100.0);
        assert_eq!(nice_step(9.0), 2.0);
    }
}
