//! The chart concentration: effective number of sectors against the small-grant share of each province in the main window, with the scattered thresholds.

use super::kit::GREY;
use super::kit::*;
use super::{Plot, Prepared};
use crate::contract::vocab::FlagStatus;
use crate::report::data::ReportData;
use crate::report::i18n::{self, K, num, t, tf};
use crate::report::{Lang, ReportContext, province_name};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

pub struct Concentration {
    /// (x, y, name, status)
    pub points: Vec<(f64, f64, String, FlagStatus)>,
    pub thresholds: (Option<f64>, Option<f64>),
}

impl Concentration {
    pub(super) fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        inner: &DrawingArea<DB, Shift>,
        lang: Lang,
    ) -> DR {
        let nfmt0 = move |v: &f64| num(lang, *v, 0);
        let nfmt1 = move |v: &f64| num(lang, *v, 1);
        let Concentration { points, thresholds } = self;
        // Extra room on the right for the labels of the most scattered provinces.
        let x = padded(points.iter().map(|p| p.0), 0.08);
        let x = x.start..(x.end + (x.end - x.start) * 0.12);
        let y = padded(points.iter().map(|p| p.1), 0.08);
        let chart = axes(
            inner,
            &Axes {
                x: x.clone(),
                y: y.clone(),
                x_desc: t(lang, K::AxisEffSectors).into(),
                y_desc: t(lang, K::AxisSmallShare).into(),
                x_fmt: &nfmt1,
                y_fmt: &nfmt0,
                right_margin: 250,
                caption: None,
                x_labels: 8,
            },
        )?;
        let pa = chart.plotting_area();
        if let (Some(tx), _) = thresholds
            && x.contains(tx)
        {
            pa.draw(&DashedPathElement::new(
                vec![(*tx, y.start), (*tx, y.end)],
                6,
                4,
                GREY.stroke_width(1),
            ))
            .d()?;
        }
        if let (_, Some(ty)) = thresholds
            && y.contains(ty)
        {
            pa.draw(&DashedPathElement::new(
                vec![(x.start, *ty), (x.end, *ty)],
                6,
                4,
                GREY.stroke_width(1),
            ))
            .d()?;
        }
        // Flagged last, so their markers and labels sit on top.
        let mut order: Vec<&(f64, f64, String, FlagStatus)> = points.iter().collect();
        order.sort_by_key(|p| p.3 == FlagStatus::Flagged);
        let mut marks: Vec<(i32, i32)> = Vec::new();
        for (px, py, _, status) in &order {
            let (shape, color, _) = status_style(Some(*status));
            let at = chart.backend_coord(&(*px, *py));
            let r = if *status == FlagStatus::Flagged { 7 } else { 5 };
            marker(root, at, shape, color, r)?;
            marks.push(at);
        }
        let labels: Vec<((i32, i32), &str)> = order
            .iter()
            .zip(&marks)
            .filter(|(p, _)| p.3 == FlagStatus::Flagged)
            .map(|(p, at)| (*at, p.2.as_str()))
            .collect();
        place_labels(root, &labels, &marks)?;
        let items: Vec<(Shape, RGBColor, String)> = STATUSES
            .iter()
            .map(|s| {
                let (shape, color, _) = status_style(Some(*s));
                (shape, color, i18n::status(lang, Some(*s)))
            })
            .collect();
        let (xr, yr) = inner.get_pixel_range();
        legend(root, (xr.end - 235, yr.start + 20), &items)
    }
}

/// The chart's numbers, frame and CSV.
pub(super) fn prepare(
    d: &ReportData,
    (p0, p1): (i32, i32),
    ctx: &ReportContext,
    frame: &FrameFn,
) -> Prepared {
    let lang = ctx.lang;
    let mut csv = Csv::new(&[
        "province_code",
        "province_name",
        "eff_sectors",
        "small_grant_share_pct",
        "status",
    ]);
    let mut points = Vec::new();
    for r in d
        .flags
        .iter()
        .filter(|r| r.period_start == p0 && r.period_end == p1)
    {
        if let (Some(x), Some(y)) = (r.eff_sectors, r.small_grant_share) {
            let name = province_name(&r.province_code, ctx.boundary);
            csv.row(vec![
                r.province_code.clone(),
                name.clone(),
                format!("{x}"),
                format!("{}", y * 100.0),
                r.status.as_str().to_string(),
            ]);
            points.push((x, y * 100.0, name, r.status));
        }
    }
    let params = d.manifest.as_ref().and_then(|m| m.flag_params.as_ref());
    // The thresholds the flags stage applied in this window (derived from the data unless the
    // pipeline fixed them), else the configured ones.
    let window_rows = || {
        d.flags
            .iter()
            .filter(|r| r.period_start == p0 && r.period_end == p1)
    };
    let tx = window_rows()
        .find_map(|r| r.threshold_eff_sectors)
        .filter(|v| v.is_finite())
        .or_else(|| params.map(|p| p.scattered_eff_sectors));
    // A share (0–1) in the flags table and in the parameters; plotted in percent.
    let ty = window_rows()
        .find_map(|r| r.threshold_small_share)
        .filter(|v| v.is_finite())
        .or_else(|| params.map(|p| p.scattered_small_share))
        .map(|v| v * 100.0);
    let n = points.iter().filter(|p| p.3 == FlagStatus::Flagged).count();
    Prepared {
        name: "concentration",
        frame: frame(
            tf(lang, K::T4, &[("n", &n.to_string())]),
            tf(
                lang,
                K::S4,
                &[("p0", &p0.to_string()), ("p1", &p1.to_string())],
            ),
        ),
        plot: Plot::Concentration(Concentration {
            points,
            thresholds: (tx, ty),
        }),
        csv,
    }
}
