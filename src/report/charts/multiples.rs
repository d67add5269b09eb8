//! The chart output_small_multiples: each pilot province's output (index, first year = 100) against the comparison provinces' median and quartiles.

use super::kit::*;
use super::kit::{GREY, LIGHT, VERMILLION};
use super::{Plot, Prepared};
use crate::report::findings::Findings;
use crate::report::i18n::{K, num, t, tf};
use crate::report::{Lang, ReportContext, province_name};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use std::collections::{BTreeMap, BTreeSet};

pub struct Multiples {
    pub years: Vec<i32>,
    pub panels: Vec<(String, Vec<Option<f64>>)>,
    pub median: Vec<Option<f64>>,
    pub q1: Vec<Option<f64>>,
    pub q3: Vec<Option<f64>>,
    pub start: Option<i32>,
}

impl Multiples {
    pub(super) fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        inner: &DrawingArea<DB, Shift>,
        lang: Lang,
    ) -> DR {
        let nfmt0 = move |v: &f64| num(lang, *v, 0);
        let Multiples {
            years,
            panels,
            median,
            q1,
            q3,
            start,
        } = self;
        let n = panels.len().max(1);
        let cols = if n <= 3 { n } else { n.div_ceil(2) };
        let rows = n.div_ceil(cols);
        let (xr, yr) = inner.get_pixel_range();
        legend(
            root,
            (xr.start + 10, yr.start + 8),
            &[
                (Shape::Circle, VERMILLION, t(lang, K::LegPilot).into()),
                (Shape::Diamond, GREY, t(lang, K::LegComparison).into()),
            ],
        )?;
        root.draw(&DashedPathElement::new(
            vec![(xr.start + 307, yr.start), (xr.start + 307, yr.start + 18)],
            3,
            3,
            GREY.stroke_width(1),
        ))
        .d()?;
        text(
            root,
            t(lang, K::LegPilotStart),
            (xr.start + 320, yr.start + 8),
            14.0,
            BLACK,
            (HPos::Left, VPos::Center),
        )?;
        let body = inner.margin(52, 0, 0, 0);
        let areas = body.split_evenly((rows, cols));
        let vals = panels
            .iter()
            .flat_map(|(_, v)| v.iter().flatten().cloned())
            .chain(q1.iter().flatten().cloned())
            .chain(q3.iter().flatten().cloned())
            .chain(median.iter().flatten().cloned());
        let y = padded(vals, 0.06);
        let x = padded(years.iter().map(|y| *y as f64), 0.03);
        for ((name, series), area) in panels.iter().zip(areas.iter()) {
            let chart = axes(
                area,
                &Axes {
                    x: x.clone(),
                    y: y.clone(),
                    x_desc: t(lang, K::AxisYear).into(),
                    y_desc: t(lang, K::AxisIndex).into(),
                    x_fmt: &year_fmt,
                    y_fmt: &nfmt0,
                    right_margin: 12,
                    caption: Some(name.clone()),
                    x_labels: 5,
                },
            )?;
            let pa = chart.plotting_area();
            let band: Vec<(f64, f64)> = years
                .iter()
                .zip(q3)
                .filter_map(|(yr, v)| v.map(|v| (*yr as f64, v)))
                .chain(
                    years
                        .iter()
                        .zip(q1)
                        .rev()
                        .filter_map(|(yr, v)| v.map(|v| (*yr as f64, v))),
                )
                .collect();
            pa.draw(&Polygon::new(band, LIGHT.mix(0.7).filled())).d()?;
            let med: Vec<(f64, f64)> = years
                .iter()
                .zip(median)
                .filter_map(|(yr, v)| v.map(|v| (*yr as f64, v)))
                .collect();
            pa.draw(&DashedPathElement::new(med, 7, 4, GREY.stroke_width(2)))
                .d()?;
            if let Some(s) = start {
                pa.draw(&DashedPathElement::new(
                    vec![(*s as f64, y.start), (*s as f64, y.end)],
                    3,
                    4,
                    GREY.stroke_width(1),
                ))
                .d()?;
            }
            let own: Vec<(f64, f64)> = years
                .iter()
                .zip(series)
                .filter_map(|(yr, v)| v.map(|v| (*yr as f64, v)))
                .collect();
            pa.draw(&PathElement::new(own.clone(), VERMILLION.stroke_width(3)))
                .d()?;
            for p in &own {
                marker(root, chart.backend_coord(p), Shape::Circle, VERMILLION, 3)?;
            }
        }
        Ok(())
    }
}

/// The chart's numbers, frame and CSV.
pub(super) fn prepare(
    rows: &[crate::report::data::GrowthRow],
    facts: &Findings,
    ctx: &ReportContext,
    frame: &FrameFn,
) -> Option<Prepared> {
    let lang = ctx.lang;
    let years: Vec<i32> = rows
        .iter()
        .filter(|r| r.output_bvnd.is_some())
        .map(|r| r.year)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let first = *years.first()?;
    let idx: BTreeMap<i32, usize> = years.iter().enumerate().map(|(i, y)| (*y, i)).collect();
    let mut series: BTreeMap<&str, Vec<Option<f64>>> = BTreeMap::new();
    for r in rows {
        if let (Some(o), Some(i)) = (r.output_bvnd, idx.get(&r.year)) {
            series
                .entry(&r.province_code)
                .or_insert_with(|| vec![None; years.len()])[*i] = Some(o);
        }
    }
    // Index 100 in the first year; provinces without output that year cannot be indexed.
    let indexed: BTreeMap<&str, Vec<Option<f64>>> = series
        .into_iter()
        .filter_map(|(c, v)| {
            let base = v[0].filter(|b| *b > 0.0)?;
            Some((c, v.iter().map(|x| x.map(|x| x / base * 100.0)).collect()))
        })
        .collect();
    let pilots: BTreeSet<&str> = facts.pilots.iter().map(String::as_str).collect();
    let q = |p: f64| -> Vec<Option<f64>> {
        (0..years.len())
            .map(|i| {
                let vals: Vec<f64> = indexed
                    .iter()
                    .filter(|(c, _)| !pilots.contains(*c))
                    .filter_map(|(_, v)| v[i])
                    .collect();
                crate::stats::concentration::quantile(&vals, p)
            })
            .collect()
    };
    let (q1, median, q3) = (q(0.25), q(0.5), q(0.75));
    let panels: Vec<(String, Vec<Option<f64>>)> = facts
        .pilots
        .iter()
        .filter_map(|c| {
            indexed
                .get(c.as_str())
                .map(|v| (province_name(c, ctx.boundary), v.clone()))
        })
        .take(6)
        .collect();
    if panels.is_empty() {
        return None;
    }
    let mut csv = Csv::new(&["year", "series", "index_first_year_100"]);
    for (i, y) in years.iter().enumerate() {
        for (name, v) in &panels {
            csv.row(vec![y.to_string(), name.clone(), f(v[i])]);
        }
        csv.row(vec![y.to_string(), "comparison_q1".into(), f(q1[i])]);
        csv.row(vec![
            y.to_string(),
            "comparison_median".into(),
            f(median[i]),
        ]);
        csv.row(vec![y.to_string(), "comparison_q3".into(), f(q3[i])]);
    }
    let last_med = median.last().copied().flatten();
    let k = panels
        .iter()
        .filter(|(_, v)| match (v.last().copied().flatten(), last_med) {
            (Some(a), Some(m)) => a > m,
            _ => false,
        })
        .count();
    let (y0, y1) = (
        first.to_string(),
        years.last().copied().unwrap_or(first).to_string(),
    );
    Some(Prepared {
        name: "output_small_multiples",
        frame: frame(
            tf(
                lang,
                K::T6,
                &[("k", &k.to_string()), ("n", &panels.len().to_string())],
            ),
            tf(lang, K::S6, &[("y0", &y0), ("y1", &y1)]),
        ),
        plot: Plot::Multiples(Multiples {
            years,
            panels,
            median,
            q1,
            q3,
            start: facts.pilot_start,
        }),
        csv,
    })
}
