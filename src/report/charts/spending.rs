//! The chart spending_over_time: spending by activity (stacked areas) and by source (lines), per year.

use super::kit::*;
use super::kit::{BLUE, GREEN, PURPLE, VERMILLION};
use super::{Plot, Prepared};
use crate::report::Lang;
use crate::report::i18n::{self, K, num, t, tf};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use std::collections::{BTreeMap, BTreeSet};

pub struct Spending {
    pub years: Vec<i32>,
    /// (label, billion VND per year), largest total first.
    pub activities: Vec<(String, Vec<f64>)>,
    pub sources: Vec<(String, Vec<f64>)>,
}

impl Spending {
    pub(super) fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        inner: &DrawingArea<DB, Shift>,
        lang: Lang,
    ) -> DR {
        let nfmt0 = move |v: &f64| num(lang, *v, 0);
        let nfmt1 = move |v: &f64| num(lang, *v, 1);
        let Spending {
            years,
            activities,
            sources,
        } = self;
        let (w, _) = inner.dim_in_pixel();
        let (left, right) = inner.split_horizontally(w * 63 / 100);
        let n = years.len();
        let x = padded(years.iter().map(|y| *y as f64), 0.02);
        let mut cum = vec![vec![0.0; n]];
        for (_, v) in activities {
            let prev = cum.last().cloned().unwrap_or_default();
            cum.push(prev.iter().zip(v).map(|(a, b)| a + b).collect());
        }
        let ymax = cum
            .last()
            .map_or(1.0, |c| c.iter().cloned().fold(0.0, f64::max));
        let chart = axes(
            &left,
            &Axes {
                x: x.clone(),
                y: 0.0..(ymax * 1.05).max(1e-9),
                x_desc: t(lang, K::AxisYear).into(),
                y_desc: t(lang, K::AxisBillionVnd).into(),
                x_fmt: &year_fmt,
                y_fmt: if ymax < 10.0 { &nfmt1 } else { &nfmt0 },
                right_margin: 190,
                caption: None,
                x_labels: n.min(13),
            },
        )?;
        let pa = chart.plotting_area();
        for (i, _) in activities.iter().enumerate() {
            let mut pts: Vec<(f64, f64)> = years
                .iter()
                .zip(&cum[i + 1])
                .map(|(y, v)| (*y as f64, *v))
                .collect();
            pts.extend(
                years
                    .iter()
                    .zip(&cum[i])
                    .rev()
                    .map(|(y, v)| (*y as f64, *v)),
            );
            pa.draw(&Polygon::new(pts, CATEGORY[i % CATEGORY.len()].filled()))
                .d()?;
            let top: Vec<(f64, f64)> = years
                .iter()
                .zip(&cum[i + 1])
                .map(|(y, v)| (*y as f64, *v))
                .collect();
            pa.draw(&PathElement::new(top, WHITE.stroke_width(1))).d()?;
        }
        // Direct labels beside the last year, each with its colour swatch.
        if let Some(last) = years.last() {
            let xp = chart.backend_coord(&(*last as f64, 0.0)).0 + 14;
            let mids: Vec<(i32, usize)> = (0..activities.len())
                .map(|i| {
                    let mid = (cum[i][n - 1] + cum[i + 1][n - 1]) / 2.0;
                    (chart.backend_coord(&(*last as f64, mid)).1, i)
                })
                .collect();
            let (_, y_range) = left.get_pixel_range();
            for (yp, i) in spread(mids, 21, y_range.start + 6, y_range.end - 60) {
                marker(root, (xp + 5, yp), Shape::Square, CATEGORY[i % 9], 5)?;
                text(
                    root,
                    &activities[i].0,
                    (xp + 15, yp),
                    13.0,
                    BLACK,
                    (HPos::Left, VPos::Center),
                )?;
            }
        }
        let smax = sources
            .iter()
            .flat_map(|(_, v)| v.iter().cloned())
            .fold(0.0, f64::max);
        let chart = axes(
            &right,
            &Axes {
                x,
                y: 0.0..(smax * 1.25).max(1e-9),
                x_desc: t(lang, K::AxisYear).into(),
                y_desc: t(lang, K::AxisBillionVnd).into(),
                x_fmt: &year_fmt,
                y_fmt: if smax < 10.0 { &nfmt1 } else { &nfmt0 },
                right_margin: 10,
                caption: None,
                x_labels: 5,
            },
        )?;
        let shapes = [
            Shape::Circle,
            Shape::Triangle,
            Shape::Square,
            Shape::Diamond,
        ];
        let colors = [BLUE, VERMILLION, GREEN, PURPLE];
        let mut items = Vec::new();
        for (i, (label, v)) in sources.iter().enumerate() {
            let pts: Vec<(f64, f64)> = years.iter().zip(v).map(|(y, v)| (*y as f64, *v)).collect();
            chart
                .plotting_area()
                .draw(&PathElement::new(
                    pts.clone(),
                    colors[i % 4].stroke_width(2),
                ))
                .d()?;
            for p in &pts {
                marker(
                    root,
                    chart.backend_coord(p),
                    shapes[i % 4],
                    colors[i % 4],
                    4,
                )?;
            }
            items.push((shapes[i % 4], colors[i % 4], label.clone()));
        }
        let (xr, yr) = right.get_pixel_range();
        legend(root, (xr.start + 90, yr.start + 14), &items)?;
        Ok(())
    }
}

/// The chart's numbers, frame and CSV.
pub(super) fn prepare(
    rows: &[crate::report::data::SpendRow],
    lang: Lang,
    frame: &FrameFn,
) -> Prepared {
    let years: Vec<i32> = rows
        .iter()
        .map(|r| r.year)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let idx: BTreeMap<i32, usize> = years.iter().enumerate().map(|(i, y)| (*y, i)).collect();
    let mut acts: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    let mut srcs: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for r in rows {
        acts.entry(&r.activity)
            .or_insert_with(|| vec![0.0; years.len()])[idx[&r.year]] += r.amount_mvnd / 1000.0;
        srcs.entry(&r.source)
            .or_insert_with(|| vec![0.0; years.len()])[idx[&r.year]] += r.amount_mvnd / 1000.0;
    }
    let mut acts: Vec<(&str, Vec<f64>)> = acts.into_iter().collect();
    acts.sort_by(|a, b| {
        b.1.iter()
            .sum::<f64>()
            .total_cmp(&a.1.iter().sum::<f64>())
            .then(a.0.cmp(b.0))
    });
    let mut csv = Csv::new(&["year", "group", "category", "amount_bvnd"]);
    for (a, v) in &acts {
        for (y, x) in years.iter().zip(v) {
            csv.row(vec![
                y.to_string(),
                "activity".into(),
                a.to_string(),
                format!("{x}"),
            ]);
        }
    }
    for (s, v) in &srcs {
        for (y, x) in years.iter().zip(v) {
            csv.row(vec![
                y.to_string(),
                "source".into(),
                s.to_string(),
                format!("{x}"),
            ]);
        }
    }
    let totals: Vec<f64> = (0..years.len())
        .map(|i| acts.iter().map(|(_, v)| v[i]).sum())
        .collect();
    let (peak_i, peak) = totals
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map(|(i, v)| (i, *v))
        .unwrap_or((0, 0.0));
    let (y0, y1) = span(years.iter().copied());
    Prepared {
        name: "spending_over_time",
        frame: frame(
            tf(
                lang,
                K::T1,
                &[
                    ("peak", &num(lang, peak, if peak < 100.0 { 1 } else { 0 })),
                    ("year", &years.get(peak_i).copied().unwrap_or(0).to_string()),
                ],
            ),
            tf(lang, K::S1, &[("y0", &y0), ("y1", &y1)]),
        ),
        plot: Plot::Spending(Spending {
            years: years.clone(),
            activities: acts
                .into_iter()
                .map(|(a, v)| (i18n::activity(lang, a), v))
                .collect(),
            sources: srcs
                .into_iter()
                .map(|(s, v)| (i18n::source(lang, s), v))
                .collect(),
        }),
        csv,
    }
}
