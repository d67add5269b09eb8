//! The chart spending_vs_growth: each province's mean spending against its mean output growth, with the main model's slope and band.

use super::kit::*;
use super::kit::{BLUE, GREY, SKY, VERMILLION};
use super::{Plot, Prepared};
use crate::report::data::ReportData;
use crate::report::findings::Findings;
use crate::report::i18n::{K, num, t, tf};
use crate::report::{Lang, ReportContext, province_name};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

pub struct Scatter {
    /// (x, y, label, flagged)
    pub points: Vec<(f64, f64, String, bool)>,
    /// (slope, slope low, slope high) in plotted units, through the points' centroid.
    pub line: Option<(f64, f64, f64)>,
    pub x_desc: String,
}

impl Scatter {
    pub(super) fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        inner: &DrawingArea<DB, Shift>,
        lang: Lang,
    ) -> DR {
        let nfmt1 = move |v: &f64| num(lang, *v, 1);
        let Scatter {
            points,
            line,
            x_desc,
        } = self;
        let x = padded(points.iter().map(|p| p.0), 0.06);
        let mut ys: Vec<f64> = points.iter().map(|p| p.1).collect();
        ys.push(0.0);
        let y = padded(ys.into_iter(), 0.08);
        let chart = axes(
            inner,
            &Axes {
                x: x.clone(),
                y: y.clone(),
                x_desc: x_desc.clone(),
                y_desc: t(lang, K::AxisGrowth).into(),
                x_fmt: &nfmt1,
                y_fmt: &nfmt1,
                right_margin: 20,
                caption: None,
                x_labels: 8,
            },
        )?;
        let pa = chart.plotting_area();
        let mut items = Vec::new();
        if let Some((b, lo, hi)) = line {
            let nf = points.len().max(1) as f64;
            let xbar = points.iter().map(|p| p.0).sum::<f64>() / nf;
            let ybar = points.iter().map(|p| p.1).sum::<f64>() / nf;
            let steps = 24;
            let grid: Vec<f64> = (0..=steps)
                .map(|i| x.start + (x.end - x.start) * i as f64 / steps as f64)
                .collect();
            let clamp = |v: f64| v.clamp(y.start, y.end);
            let mut band: Vec<(f64, f64)> = grid
                .iter()
                .map(|gx| {
                    let d = gx - xbar;
                    (*gx, clamp(ybar + (lo * d).max(hi * d)))
                })
                .collect();
            band.extend(grid.iter().rev().map(|gx| {
                let d = gx - xbar;
                (*gx, clamp(ybar + (lo * d).min(hi * d)))
            }));
            pa.draw(&Polygon::new(band, SKY.mix(0.35).filled())).d()?;
            let l: Vec<(f64, f64)> = grid
                .iter()
                .map(|gx| (*gx, clamp(ybar + b * (gx - xbar))))
                .collect();
            pa.draw(&PathElement::new(l, BLUE.stroke_width(3))).d()?;
            items.push((Shape::Square, SKY, t(lang, K::LegBand).to_string()));
            items.push((Shape::Diamond, BLUE, t(lang, K::LegFitted).to_string()));
        }
        for (px, py, _, flagged) in points.iter().filter(|p| !p.3) {
            let _ = flagged;
            marker(
                root,
                chart.backend_coord(&(*px, *py)),
                Shape::Circle,
                GREY,
                5,
            )?;
        }
        let mut labels = Vec::new();
        for (px, py, label, _) in points.iter().filter(|p| p.3) {
            let at = chart.backend_coord(&(*px, *py));
            marker(root, at, Shape::Triangle, VERMILLION, 6)?;
            labels.push((at, label.as_str()));
        }
        let marks: Vec<(i32, i32)> = points
            .iter()
            .map(|p| chart.backend_coord(&(p.0, p.1)))
            .collect();
        place_labels(root, &labels, &marks)?;
        items.push((Shape::Triangle, VERMILLION, t(lang, K::LegFlagged).into()));
        items.push((Shape::Circle, GREY, t(lang, K::LegNotFlagged).into()));
        let (xr, yr) = inner.get_pixel_range();
        legend(root, (xr.start + 100, yr.start + 20), &items)
    }
}

/// The chart's numbers, frame and CSV.
pub(super) fn prepare(
    rows: &[crate::report::data::GrowthRow],
    d: &ReportData,
    facts: &Findings,
    ctx: &ReportContext,
    frame: &FrameFn,
) -> Prepared {
    let lang = ctx.lang;
    let term = facts.main_term.as_ref();
    // The x axis follows the model's regressor: logs when its term is a log, levels otherwise,
    // so that the model's slope can be drawn in the plotted units.
    let log_x = term.is_none_or(|c| c.term.contains("log"));
    let mut acc: BTreeMap<&str, (f64, f64, usize)> = BTreeMap::new();
    for r in rows {
        if let (Some(g), Some(s)) = (r.dlog_output, r.spend_lag1_mvnd) {
            let x = if log_x { (1.0 + s.max(0.0)).ln() } else { s };
            let e = acc.entry(&r.province_code).or_insert((0.0, 0.0, 0));
            e.0 += x;
            e.1 += g * 100.0;
            e.2 += 1;
        }
    }
    let flagged: BTreeSet<&String> = facts.flagged.iter().collect();
    let mut csv = Csv::new(&[
        "province_code",
        "province_name",
        "x",
        "y_growth_pct",
        "n_years",
        "flagged",
    ]);
    let points: Vec<(f64, f64, String, bool)> = acc
        .iter()
        .map(|(code, (x, y, n))| {
            let name = province_name(code, ctx.boundary);
            let fl = flagged.contains(&code.to_string());
            let (mx, my) = (x / *n as f64, y / *n as f64);
            csv.row(vec![
                code.to_string(),
                name.clone(),
                format!("{mx}"),
                format!("{my}"),
                n.to_string(),
                fl.to_string(),
            ]);
            (mx, my, name, fl)
        })
        .collect();
    let line = term.and_then(|c| {
        Some((
            c.estimate * 100.0,
            c.conf_low? * 100.0,
            c.conf_high? * 100.0,
        ))
    });
    if let (Some(c), Some((b, lo, hi))) = (term, line) {
        csv.row(vec![
            "model".into(),
            format!("{}:{}", c.model, c.term),
            String::new(),
            String::new(),
            String::new(),
            format!("slope={b};low={lo};high={hi}"),
        ]);
    }
    let clear = term.is_some_and(|c| {
        c.conf_low.is_some_and(|l| l > 0.0) && c.p_value_wild.is_none_or(|p| p < 0.05)
    });
    let (y0, y1) = span(rows.iter().map(|r| r.year));
    let model = d.main_model().map(|m| m.name.clone()).unwrap_or_default();
    let subtitle = if line.is_some() {
        tf(lang, K::S2, &[("y0", &y0), ("y1", &y1), ("model", &model)])
    } else {
        tf(lang, K::S2NoModel, &[("y0", &y0), ("y1", &y1)])
    };
    Prepared {
        name: "spending_vs_growth",
        frame: frame(
            t(lang, if clear { K::T2Yes } else { K::T2No }).to_string(),
            subtitle,
        ),
        plot: Plot::Scatter(Scatter {
            points,
            line,
            x_desc: if log_x {
                t(lang, K::AxisLogSpend).to_string()
            } else {
                format!("{} ({})", t(lang, K::LegDisbursed), "million VND")
            },
        }),
        csv,
    }
}
