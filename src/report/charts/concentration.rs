//! The chart concentration: effective number of sectors against the small-grant share of each province in the main window, with the scattered thresholds.

use super::kit::GREY;
use super::kit::*;
use super::{Plot, Prepared};
use crate::report::data::ReportData;
use crate::report::i18n::{self, K, num, t, tf};
use crate::report::{Lang, ReportContext, province_name};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

pub struct Concentration {
    /// (x, y, name, status)
    pub points: Vec<(f64, f64, String, String)>,
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
        let mut order: Vec<&(f64, f64, String, String)> = points.iter().collect();
        order.sort_by_key(|p| p.3 == "flagged");
        let mut marks: Vec<(i32, i32)> = Vec::new();
        for (px, py, _, status) in &order {
            let (shape, color, _) = status_style(status);
            let at = chart.backend_coord(&(*px, *py));
            let r = if status == "flagged" { 7 } else { 5 };
            marker(root, at, shape, color, r)?;
            marks.push(at);
        }
        let labels: Vec<((i32, i32), &str)> = order
            .iter()
            .zip(&marks)
            .filter(|(p, _)| p.3 == "flagged")
            .map(|(p, at)| (*at, p.2.as_str()))
            .collect();
        place_labels(root, &labels, &marks)?;
        let items: Vec<(Shape, RGBColor, String)> = STATUSES
            .iter()
            .map(|s| {
                let (shape, color, _) = status_style(s);
                (shape, color, i18n::status(lang, s))
            })
            .collect();
        let (xr, yr) = inner.get_pixel_range();
        legend(root, (xr.end - 235, yr.start + 20), &items)
    }
}

/// Numeric parameters of the flags stage in the manifest, flattened to (key, value).
pub fn flag_parameters(manifest: Option<&serde_json::Value>) -> Vec<(String, String)> {
    fn find_stage(v: &serde_json::Value) -> Option<&serde_json::Value> {
        match v {
            serde_json::Value::Object(map) => {
                if let Some(s) = map.get("flags") {
                    return Some(s);
                }
                if let Some(s) = map.get("stages") {
                    return find_stage(s);
                }
                None
            }
            serde_json::Value::Array(items) => items.iter().find(|i| {
                ["stage", "name"]
                    .iter()
                    .any(|k| i.get(k).and_then(|n| n.as_str()) == Some("flags"))
            }),
            _ => None,
        }
    }
    fn flatten(prefix: &str, v: &serde_json::Value, out: &mut Vec<(String, String)>) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    let key = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    flatten(&key, v, out);
                }
            }
            serde_json::Value::String(s) => out.push((prefix.to_string(), s.clone())),
            other => out.push((prefix.to_string(), other.to_string())),
        }
    }
    let mut out = Vec::new();
    if let Some(stage) = manifest.and_then(find_stage)
        && let Some(params) = stage.get("parameters").or_else(|| stage.get("params"))
    {
        flatten("", params, &mut out);
    }
    out
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
                r.status.clone(),
            ]);
            points.push((x, y * 100.0, name, r.status.clone()));
        }
    }
    let params = flag_parameters(d.manifest.as_ref());
    let find = |pred: &dyn Fn(&str) -> bool| {
        params
            .iter()
            .find(|(k, _)| pred(&k.to_ascii_lowercase()))
            .and_then(|(_, v)| v.parse::<f64>().ok())
    };
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
        .or_else(|| find(&|k| k.contains("eff") && k.contains("sector")));
    let ty = window_rows()
        .find_map(|r| r.threshold_small_share)
        .filter(|v| v.is_finite())
        .or_else(|| find(&|k| k.contains("small") && k.contains("share")))
        .map(|v| if v <= 1.0 { v * 100.0 } else { v });
    let n = points.iter().filter(|p| p.3 == "flagged").count();
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
