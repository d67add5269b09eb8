//! The chart lorenz_grants: the Lorenz curve of grant sizes against the line of equality.

use super::kit::*;
use super::kit::{GREY, ORANGE, VERMILLION};
use super::{Plot, Prepared};
use crate::report::Lang;
use crate::report::data::NationalGrants;
use crate::report::findings::Findings;
use crate::report::i18n::{K, num, t, tf};
use plotters::coord::Shift;
use plotters::prelude::*;

pub struct Lorenz {
    pub points: Vec<(f64, f64)>,
}

impl Lorenz {
    pub(super) fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        inner: &DrawingArea<DB, Shift>,
        lang: Lang,
    ) -> DR {
        let Lorenz { points } = self;
        let pct = move |v: &f64| num(lang, *v, 0);
        let chart = axes(
            inner,
            &Axes {
                x: 0.0..100.0,
                y: 0.0..100.0,
                x_desc: t(lang, K::AxisGrantShare).into(),
                y_desc: t(lang, K::AxisMoneyShare).into(),
                x_fmt: &pct,
                y_fmt: &pct,
                right_margin: 330,
                caption: None,
                x_labels: 6,
            },
        )?;
        let pa = chart.plotting_area();
        let scaled: Vec<(f64, f64)> = points.iter().map(|(a, b)| (a * 100.0, b * 100.0)).collect();
        let mut gap = scaled.clone();
        gap.push((100.0, 100.0));
        gap.push((0.0, 0.0));
        pa.draw(&Polygon::new(gap, ORANGE.mix(0.25).filled())).d()?;
        pa.draw(&PathElement::new(
            vec![(0.0, 0.0), (100.0, 100.0)],
            GREY.stroke_width(2),
        ))
        .d()?;
        pa.draw(&PathElement::new(scaled, VERMILLION.stroke_width(3)))
            .d()?;
        let (xr, yr) = inner.get_pixel_range();
        legend(
            root,
            (xr.end - 320, yr.start + 40),
            &[
                (
                    Shape::Diamond,
                    VERMILLION,
                    t(lang, K::AxisMoneyShare).into(),
                ),
                (Shape::Diamond, GREY, t(lang, K::LegEquality).into()),
            ],
        )
    }
}

/// The chart's numbers, frame and CSV: the curve of `indicators/lorenz.parquet`, the count,
/// years and Gini of `indicators/national.parquet`.
pub(super) fn prepare(
    points: &[(f64, f64)],
    national: Option<&NationalGrants>,
    facts: &Findings,
    lang: Lang,
    frame: &FrameFn,
) -> Prepared {
    let mut csv = Csv::new(&["share_of_grants", "share_of_money"]);
    for (a, b) in points {
        csv.row(vec![format!("{a}"), format!("{b}")]);
    }
    let gini = facts.gini.unwrap_or(f64::NAN);
    let top = facts.top10_share.unwrap_or(f64::NAN) * 100.0;
    let n = national.map_or(0, |n| n.n_positive_grants);
    let (y0, y1) = span(
        national
            .iter()
            .flat_map(|n| [n.period_start, n.period_end])
            .flatten(),
    );
    Prepared {
        name: "lorenz_grants",
        frame: frame(
            tf(lang, K::T3, &[("top", &num(lang, top, 0))]),
            tf(
                lang,
                K::S3,
                &[
                    ("n", &num(lang, n as f64, 0)),
                    ("y0", &y0),
                    ("y1", &y1),
                    ("gini", &num(lang, gini, 2)),
                ],
            ),
        ),
        plot: Plot::Lorenz(Lorenz {
            points: points.to_vec(),
        }),
        csv,
    }
}
