//! The chart event_study: the pilot's effect by year relative to its start, with clustered and wild-bootstrap intervals.

use super::kit::*;
use super::kit::{BLUE, GREY, VERMILLION};
use super::{Plot, Prepared};
use crate::report::Lang;
use crate::report::data::EventRow;
use crate::report::findings::Findings;
use crate::report::i18n::{K, num, t, tf};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

pub struct Event {
    pub rows: Vec<EventRow>,
}

impl Event {
    pub(super) fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        inner: &DrawingArea<DB, Shift>,
        lang: Lang,
    ) -> DR {
        let nfmt2 = move |v: &f64| num(lang, *v, 2);
        let Event { rows } = self;
        let x = padded(rows.iter().map(|r| r.rel_year as f64), 0.0);
        let x = (x.start - 0.6)..(x.end + 0.6);
        let vals = rows.iter().flat_map(|r| {
            [
                Some(r.estimate),
                r.conf_low,
                r.conf_high,
                r.conf_low_wild,
                r.conf_high_wild,
                Some(0.0),
            ]
            .into_iter()
            .flatten()
        });
        let y = padded(vals, 0.08);
        let chart = axes(
            inner,
            &Axes {
                x: x.clone(),
                y: y.clone(),
                x_desc: t(lang, K::AxisRelYear).into(),
                y_desc: t(lang, K::AxisEffectLog).into(),
                x_fmt: &year_fmt,
                y_fmt: &nfmt2,
                right_margin: 20,
                caption: None,
                x_labels: rows.len().max(2),
            },
        )?;
        let pa = chart.plotting_area();
        pa.draw(&PathElement::new(
            vec![(x.start, 0.0), (x.end, 0.0)],
            BLACK.stroke_width(1),
        ))
        .d()?;
        pa.draw(&DashedPathElement::new(
            vec![(-0.5, y.start), (-0.5, y.end)],
            8,
            5,
            GREY.stroke_width(2),
        ))
        .d()?;
        let top = chart.backend_coord(&(-0.5, y.end));
        text(
            root,
            t(lang, K::LegPilotStart),
            (top.0 + 6, top.1 + 4),
            13.0,
            GREY,
            (HPos::Left, VPos::Top),
        )?;
        // The reference period is fixed at zero by construction: no interval to draw.
        for r in rows {
            let xv = r.rel_year as f64;
            if r.reference {
                marker(
                    root,
                    chart.backend_coord(&(xv, 0.0)),
                    Shape::Hollow,
                    BLACK,
                    7,
                )?;
                continue;
            }
            if let (Some(lo), Some(hi)) = (r.conf_low, r.conf_high) {
                pa.draw(&PathElement::new(
                    vec![(xv - 0.09, lo), (xv - 0.09, hi)],
                    BLUE.mix(0.75).stroke_width(7),
                ))
                .d()?;
            }
            if let (Some(lo), Some(hi)) = (r.conf_low_wild, r.conf_high_wild) {
                let s = VERMILLION.stroke_width(2);
                pa.draw(&PathElement::new(vec![(xv + 0.09, lo), (xv + 0.09, hi)], s))
                    .d()?;
                for v in [lo, hi] {
                    let c = chart.backend_coord(&(xv + 0.09, v));
                    root.draw(&PathElement::new(vec![(c.0 - 6, c.1), (c.0 + 6, c.1)], s))
                        .d()?;
                }
            }
            let at = chart.backend_coord(&(xv, r.estimate));
            if r.reference {
                marker(root, at, Shape::Hollow, BLACK, 7)?;
            } else {
                marker(root, at, Shape::Circle, BLACK, 5)?;
            }
        }
        let (xr, yr) = inner.get_pixel_range();
        legend(
            root,
            (xr.start + 95, yr.start + 16),
            &[
                (Shape::Square, BLUE, t(lang, K::LegClustered).into()),
                (Shape::Cross, VERMILLION, t(lang, K::LegWild).into()),
                (Shape::Hollow, BLACK, t(lang, K::LegReference).into()),
            ],
        )
    }
}

/// The chart's numbers, frame and CSV.
pub(super) fn prepare(
    rows: &[EventRow],
    facts: &Findings,
    lang: Lang,
    frame: &FrameFn,
) -> Prepared {
    let mut csv = Csv::new(&[
        "rel_year",
        "estimate",
        "conf_low",
        "conf_high",
        "conf_low_wild",
        "conf_high_wild",
        "reference",
    ]);
    for r in rows {
        csv.row(vec![
            r.rel_year.to_string(),
            format!("{}", r.estimate),
            f(r.conf_low),
            f(r.conf_high),
            f(r.conf_low_wild),
            f(r.conf_high_wild),
            r.reference.to_string(),
        ]);
    }
    let (k, n) = facts.event_clear.unwrap_or((0, 0));
    let start = facts
        .pilot_start
        .map(|s| s.to_string())
        .unwrap_or_else(|| t(lang, K::NotAvailable).to_string());
    Prepared {
        name: "event_study",
        frame: frame(
            tf(lang, K::T5, &[("k", &k.to_string()), ("n", &n.to_string())]),
            tf(lang, K::S5, &[("start", &start)]),
        ),
        plot: Plot::Event(Event {
            rows: rows.to_vec(),
        }),
        csv,
    }
}
