//! The chart plan_vs_achievement: planned against disbursed money, and trainee and model targets reached, per year.

use super::kit::*;
use super::kit::{BLUE, GREEN, GREY, PURPLE};
use super::{Plot, Prepared};
use crate::report::Lang;
use crate::report::i18n::{K, num, t, tf};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use std::collections::BTreeMap;

pub struct Plan {
    pub years: Vec<i32>,
    pub planned: Vec<Option<f64>>,
    pub disbursed: Vec<Option<f64>>,
    pub trainee_rate: Vec<Option<f64>>,
    pub model_rate: Vec<Option<f64>>,
}

impl Plan {
    pub(super) fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        inner: &DrawingArea<DB, Shift>,
        lang: Lang,
    ) -> DR {
        let nfmt0 = move |v: &f64| num(lang, *v, 0);
        let nfmt1 = move |v: &f64| num(lang, *v, 1);
        let Plan {
            years,
            planned,
            disbursed,
            trainee_rate,
            model_rate,
        } = self;
        let (w, _) = inner.dim_in_pixel();
        let (left, right) = inner.split_horizontally(w / 2);
        let x = padded(years.iter().map(|y| *y as f64), 0.0);
        let x = (x.start - 0.6)..(x.end + 0.6);
        let ymax = planned
            .iter()
            .chain(disbursed)
            .flatten()
            .cloned()
            .fold(0.0, f64::max);
        let chart = axes(
            &left,
            &Axes {
                x: x.clone(),
                y: 0.0..(ymax * 1.25).max(1e-9),
                x_desc: t(lang, K::AxisYear).into(),
                y_desc: t(lang, K::AxisBillionVnd).into(),
                x_fmt: &year_fmt,
                y_fmt: if ymax < 10.0 { &nfmt1 } else { &nfmt0 },
                right_margin: 10,
                caption: None,
                x_labels: years.len().min(7),
            },
        )?;
        let pa = chart.plotting_area();
        for ((yr, p), d) in years.iter().zip(planned).zip(disbursed) {
            let xv = *yr as f64;
            if let Some(p) = p {
                pa.draw(&Rectangle::new(
                    [(xv - 0.38, 0.0), (xv - 0.02, *p)],
                    BLUE.stroke_width(2),
                ))
                .d()?;
            }
            if let Some(d) = d {
                pa.draw(&Rectangle::new(
                    [(xv + 0.02, 0.0), (xv + 0.38, *d)],
                    BLUE.filled(),
                ))
                .d()?;
            }
        }
        let (lxr, lyr) = left.get_pixel_range();
        let (lx, ly) = (lxr.start + 95, lyr.start + 16);
        root.draw(&Rectangle::new(
            [(lx, ly - 6), (lx + 14, ly + 6)],
            BLUE.stroke_width(2),
        ))
        .d()?;
        text(
            root,
            t(lang, K::LegPlanned),
            (lx + 20, ly),
            14.0,
            BLACK,
            (HPos::Left, VPos::Center),
        )?;
        root.draw(&Rectangle::new(
            [(lx, ly + 18), (lx + 14, ly + 30)],
            BLUE.filled(),
        ))
        .d()?;
        text(
            root,
            t(lang, K::LegDisbursed),
            (lx + 20, ly + 24),
            14.0,
            BLACK,
            (HPos::Left, VPos::Center),
        )?;

        let rates = trainee_rate
            .iter()
            .chain(model_rate)
            .flatten()
            .cloned()
            .chain([100.0, 0.0]);
        // Headroom above the highest value keeps the legend clear of the lines.
        let y = padded(rates, 0.1);
        let y = y.start.max(0.0)..(y.end * 1.25);
        let chart = axes(
            &right,
            &Axes {
                x: x.clone(),
                y,
                x_desc: t(lang, K::AxisYear).into(),
                y_desc: t(lang, K::AxisAchievement).into(),
                x_fmt: &year_fmt,
                y_fmt: &nfmt0,
                right_margin: 10,
                caption: None,
                x_labels: years.len().min(7),
            },
        )?;
        let pa = chart.plotting_area();
        pa.draw(&DashedPathElement::new(
            vec![(x.start, 100.0), (x.end, 100.0)],
            8,
            5,
            GREY.stroke_width(2),
        ))
        .d()?;
        let mut items = vec![(Shape::Diamond, GREY, t(lang, K::LegTarget).to_string())];
        for (series, shape, color, key) in [
            (trainee_rate, Shape::Circle, GREEN, K::LegTrainees),
            (model_rate, Shape::Triangle, PURPLE, K::LegModels),
        ] {
            let pts: Vec<(f64, f64)> = years
                .iter()
                .zip(series)
                .filter_map(|(yr, v)| v.map(|v| (*yr as f64, v)))
                .collect();
            if pts.is_empty() {
                continue;
            }
            pa.draw(&PathElement::new(pts.clone(), color.stroke_width(2)))
                .d()?;
            for p in &pts {
                marker(root, chart.backend_coord(p), shape, color, 5)?;
            }
            items.push((shape, color, t(lang, key).to_string()));
        }
        let (rxr, ryr) = right.get_pixel_range();
        legend(root, (rxr.start + 95, ryr.start + 16), &items)
    }
}

/// The chart's numbers, frame and CSV.
pub(super) fn prepare(
    rows: &[crate::report::data::AchievementRow],
    lang: Lang,
    frame: &FrameFn,
) -> Option<Prepared> {
    let mut by_year: BTreeMap<i32, [Option<f64>; 6]> = BTreeMap::new();
    let add = |slot: &mut Option<f64>, v: Option<f64>| {
        if let Some(v) = v {
            *slot = Some(slot.unwrap_or(0.0) + v);
        }
    };
    for r in rows {
        let e = by_year.entry(r.year).or_default();
        // Disbursement counts only beside a plan, so the two bars compare like with like.
        if r.planned_mvnd.is_some() {
            add(&mut e[0], r.planned_mvnd.map(|v| v / 1000.0));
            add(&mut e[1], r.disbursed_mvnd.map(|v| v / 1000.0));
        }
        if r.target_trainees.is_some() && r.achieved_trainees.is_some() {
            add(&mut e[2], r.target_trainees);
            add(&mut e[3], r.achieved_trainees);
        }
        if r.target_models.is_some() && r.achieved_models.is_some() {
            add(&mut e[4], r.target_models);
            add(&mut e[5], r.achieved_models);
        }
    }
    by_year.retain(|_, v| v.iter().any(Option::is_some));
    if by_year.is_empty() {
        return None;
    }
    let rate = |a: Option<f64>, t: Option<f64>| match (a, t) {
        (Some(a), Some(t)) if t > 0.0 => Some(a / t * 100.0),
        _ => None,
    };
    let years: Vec<i32> = by_year.keys().copied().collect();
    let planned: Vec<Option<f64>> = by_year.values().map(|v| v[0]).collect();
    let disbursed: Vec<Option<f64>> = by_year.values().map(|v| v[1]).collect();
    let trainee_rate: Vec<Option<f64>> = by_year.values().map(|v| rate(v[3], v[2])).collect();
    let model_rate: Vec<Option<f64>> = by_year.values().map(|v| rate(v[5], v[4])).collect();
    let mut csv = Csv::new(&[
        "year",
        "planned_bvnd",
        "disbursed_bvnd",
        "trainee_rate_pct",
        "model_rate_pct",
    ]);
    for i in 0..years.len() {
        csv.row(vec![
            years[i].to_string(),
            f(planned[i]),
            f(disbursed[i]),
            f(trainee_rate[i]),
            f(model_rate[i]),
        ]);
    }
    let tp: f64 = planned.iter().flatten().sum();
    let td: f64 = disbursed.iter().flatten().sum();
    let overall = if tp > 0.0 { td / tp * 100.0 } else { f64::NAN };
    let (y0, y1) = span(years.iter().copied());
    Some(Prepared {
        name: "plan_vs_achievement",
        frame: frame(
            tf(
                lang,
                K::T8,
                &[("rate", &num(lang, overall, 0)), ("y0", &y0), ("y1", &y1)],
            ),
            t(lang, K::S8).to_string(),
        ),
        plot: Plot::Plan(Plan {
            years,
            planned,
            disbursed,
            trainee_rate,
            model_rate,
        }),
        csv,
    })
}
