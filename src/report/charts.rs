//! The report's charts, drawn with plotters into PNG and SVG with the embedded font, each with a
//! CSV of exactly the numbers it plots. Every chart has a title that states its finding (worked
//! out from the plotted numbers), a subtitle with measure, area and period, units on the axes
//! and a source line. Colours are the Okabe–Ito palette, and meaning never rides on colour
//! alone: categories also differ by marker shape, fill or a direct label.

use super::data::{EventRow, ReportData};
use super::findings::Findings;
use super::i18n::{self, K, num, t, tf};
use super::{Lang, ReportContext, province_name};
use crate::error::{Error, Result};
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

const TILE_GRID_63: &str = include_str!("../../data/tile_grid_63.csv");
const TILE_GRID_34: &str = include_str!("../../data/tile_grid_34.csv");

/// Scale of every font size: plotters draws a size-s font with s / 1.24 pixels per em, so
/// sizes are raised to read at report width.
const FS: f64 = 1.25;

/// Okabe–Ito colours.
pub const BLUE: RGBColor = RGBColor(0, 114, 178);
pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
pub const SKY: RGBColor = RGBColor(86, 180, 233);
pub const GREEN: RGBColor = RGBColor(0, 158, 115);
pub const YELLOW: RGBColor = RGBColor(240, 228, 66);
pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
pub const PURPLE: RGBColor = RGBColor(204, 121, 167);
pub const GREY: RGBColor = RGBColor(110, 110, 110);
pub const LIGHT: RGBColor = RGBColor(215, 215, 215);
const CATEGORY: [RGBColor; 9] = [
    BLUE, ORANGE, GREEN, VERMILLION, SKY, PURPLE, YELLOW, GREY, LIGHT,
];

/// A chart that was written.
#[derive(Debug, Clone)]
pub struct DrawnChart {
    pub name: String,
    pub title: String,
    pub subtitle: String,
    pub png: PathBuf,
    pub svg: PathBuf,
    pub csv: PathBuf,
    pub png_bytes: Vec<u8>,
}

/// A chart that could not be drawn, and why (in the report's language).
#[derive(Debug, Clone)]
pub struct Skipped {
    pub name: String,
    pub why: String,
}

#[derive(Debug, Clone, Default)]
pub struct Charts {
    pub drawn: Vec<DrawnChart>,
    pub skipped: Vec<Skipped>,
}

impl Charts {
    pub fn get(&self, name: &str) -> Option<&DrawnChart> {
        self.drawn.iter().find(|c| c.name == name)
    }
}

type DR = std::result::Result<(), String>;

trait D<T> {
    fn d(self) -> std::result::Result<T, String>;
}

impl<T, E: std::fmt::Debug> D<T> for std::result::Result<T, E> {
    fn d(self) -> std::result::Result<T, String> {
        self.map_err(|e| format!("{e:?}"))
    }
}

/// The plotted numbers, written beside each chart.
pub struct Csv {
    text: String,
}

fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

impl Csv {
    pub fn new(header: &[&str]) -> Self {
        let mut c = Csv {
            text: String::new(),
        };
        c.row(header.iter().map(|s| s.to_string()).collect());
        c
    }

    pub fn row(&mut self, cells: Vec<String>) {
        let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        self.text.push_str(&line.join(","));
        self.text.push('\n');
    }

    pub fn text(&self) -> &str {
        &self.text
    }
}

fn f(x: Option<f64>) -> String {
    x.map(|v| format!("{v}")).unwrap_or_default()
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    Circle,
    Hollow,
    Triangle,
    Square,
    Cross,
    Diamond,
}

fn marker<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    shape: Shape,
    color: RGBColor,
    r: i32,
) -> DR {
    let fill = color.filled();
    let edge = ShapeStyle::from(BLACK.mix(0.7)).stroke_width(1);
    match shape {
        Shape::Circle => {
            root.draw(&Circle::new((x, y), r, fill)).d()?;
            root.draw(&Circle::new((x, y), r, edge)).d()
        }
        Shape::Hollow => root
            .draw(&Circle::new((x, y), r, color.stroke_width(2)))
            .d(),
        Shape::Triangle => {
            let pts = vec![(x, y - r - 2), (x - r - 1, y + r), (x + r + 1, y + r)];
            root.draw(&Polygon::new(pts.clone(), fill)).d()?;
            let mut outline = pts.clone();
            outline.push(pts[0]);
            root.draw(&PathElement::new(outline, edge)).d()
        }
        Shape::Square => {
            root.draw(&Rectangle::new([(x - r, y - r), (x + r, y + r)], fill))
                .d()?;
            root.draw(&Rectangle::new([(x - r, y - r), (x + r, y + r)], edge))
                .d()
        }
        Shape::Cross => {
            let s = color.stroke_width(3);
            root.draw(&PathElement::new(vec![(x - r, y - r), (x + r, y + r)], s))
                .d()?;
            root.draw(&PathElement::new(vec![(x - r, y + r), (x + r, y - r)], s))
                .d()
        }
        Shape::Diamond => {
            let pts = vec![
                (x, y - r - 1),
                (x + r + 1, y),
                (x, y + r + 1),
                (x - r - 1, y),
            ];
            root.draw(&Polygon::new(pts, fill)).d()
        }
    }
}

fn text<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &str,
    at: (i32, i32),
    size: f64,
    color: RGBColor,
    pos: (HPos, VPos),
) -> DR {
    let style = TextStyle::from(("sans-serif", size * FS).into_font())
        .color(&color)
        .pos(Pos::new(pos.0, pos.1));
    root.draw(&Text::new(crate::text::clean(s), at, style)).d()
}

fn text_width<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, s: &str, size: f64) -> u32 {
    let style = TextStyle::from(("sans-serif", size * FS).into_font());
    root.estimate_text_size(s, &style)
        .map(|(w, _)| w)
        .unwrap_or(s.chars().count() as u32 * size as u32 / 2)
}

/// Splits `s` into lines no wider than `width` pixels at `size`.
fn wrap<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &str,
    size: f64,
    width: u32,
) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && text_width(root, &candidate, size) > width {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

struct Frame {
    title: String,
    subtitle: String,
    source: String,
}

/// Title, subtitle and source line; returns the area left for the plot.
fn draw_frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    frame: &Frame,
) -> std::result::Result<DrawingArea<DB, Shift>, String> {
    root.fill(&WHITE).d()?;
    let (w, h) = root.dim_in_pixel();
    text(
        root,
        &frame.title,
        (28, 16),
        30.0,
        BLACK,
        (HPos::Left, VPos::Top),
    )?;
    let lines = wrap(root, &frame.subtitle, 17.0, w - 56);
    for (i, line) in lines.iter().take(2).enumerate() {
        text(
            root,
            line,
            (28, 62 + 25 * i as i32),
            17.0,
            RGBColor(70, 70, 70),
            (HPos::Left, VPos::Top),
        )?;
    }
    text(
        root,
        &frame.source,
        (28, h as i32 - 10),
        13.0,
        GREY,
        (HPos::Left, VPos::Bottom),
    )?;
    let top = 72 + 25 * lines.len().min(2) as u32 + 8;
    Ok(root.margin(top, 34, 12, 24))
}

type Chart2d<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

struct Axes<'f> {
    x: Range<f64>,
    y: Range<f64>,
    x_desc: String,
    y_desc: String,
    x_fmt: &'f dyn Fn(&f64) -> String,
    y_fmt: &'f dyn Fn(&f64) -> String,
    right_margin: u32,
    caption: Option<String>,
    x_labels: usize,
}

fn axes<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    a: &Axes<'_>,
) -> std::result::Result<Chart2d<'a, DB>, String> {
    let mut builder = ChartBuilder::on(area);
    builder
        .margin(8)
        .margin_right(a.right_margin)
        .x_label_area_size(48)
        .y_label_area_size(72);
    if let Some(c) = &a.caption {
        builder.caption(crate::text::clean(c), ("sans-serif", 17.0 * FS));
    }
    let mut chart = builder.build_cartesian_2d(a.x.clone(), a.y.clone()).d()?;
    chart
        .configure_mesh()
        .x_desc(crate::text::clean(&a.x_desc))
        .y_desc(crate::text::clean(&a.y_desc))
        .axis_desc_style(("sans-serif", 15.0 * FS))
        .label_style(("sans-serif", 13.0 * FS))
        .x_label_formatter(a.x_fmt)
        .y_label_formatter(a.y_fmt)
        .x_labels(a.x_labels)
        .y_labels(7)
        .max_light_lines(0)
        .bold_line_style(RGBColor(232, 232, 232))
        .draw()
        .d()?;
    Ok(chart)
}

/// (min, max) padded by `pad` of the span; a flat range gets a unit span.
fn padded(values: impl Iterator<Item = f64>, pad: f64) -> Range<f64> {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return 0.0..1.0;
    }
    if (hi - lo).abs() < 1e-12 {
        return (lo - 0.5)..(hi + 0.5);
    }
    let p = (hi - lo) * pad;
    (lo - p)..(hi + p)
}

/// Moves label positions (pixels) apart so no two are closer than `gap`, staying in [lo, hi].
fn spread(mut ys: Vec<(i32, usize)>, gap: i32, lo: i32, hi: i32) -> Vec<(i32, usize)> {
    ys.sort();
    for i in 1..ys.len() {
        if ys[i].0 < ys[i - 1].0 + gap {
            ys[i].0 = ys[i - 1].0 + gap;
        }
    }
    if let Some(last) = ys.last().map(|l| l.0)
        && last > hi
    {
        let shift = last - hi;
        for y in ys.iter_mut() {
            y.0 -= shift;
        }
        for i in (0..ys.len().saturating_sub(1)).rev() {
            if ys[i].0 > ys[i + 1].0 - gap {
                ys[i].0 = ys[i + 1].0 - gap;
            }
        }
    }
    for y in ys.iter_mut() {
        y.0 = y.0.max(lo);
    }
    ys
}

fn legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    at: (i32, i32),
    items: &[(Shape, RGBColor, String)],
) -> DR {
    let mut y = at.1;
    for (shape, color, label) in items {
        marker(root, (at.0 + 7, y), *shape, *color, 6)?;
        text(
            root,
            label,
            (at.0 + 20, y),
            14.0,
            BLACK,
            (HPos::Left, VPos::Center),
        )?;
        y += 24;
    }
    Ok(())
}

/// Labels beside their markers: right of the marker, moved down until they cover no marker
/// and no earlier label; a displaced label gets a thin leader line to its marker.
fn place_labels<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    labels: &[((i32, i32), &str)],
    marks: &[(i32, i32)],
) -> DR {
    let mut boxes: Vec<(i32, i32, i32, i32)> = Vec::new();
    for (at, name) in labels {
        let w = text_width(root, name, 13.0) as i32;
        let hits = |ly: i32, boxes: &[(i32, i32, i32, i32)]| {
            let (x0, x1, y0, y1) = (at.0 + 10, at.0 + 12 + w, ly - 8, ly + 8);
            marks
                .iter()
                .any(|m| m != at && m.0 + 7 > x0 && m.0 - 7 < x1 && m.1 + 7 > y0 && m.1 - 7 < y1)
                || boxes
                    .iter()
                    .any(|b| b.0 < x1 && b.1 > x0 && b.2 < y1 && b.3 > y0)
        };
        let mut ly = at.1;
        let mut tries = 0;
        while hits(ly, &boxes) && tries < 12 {
            ly += 15;
            tries += 1;
        }
        if ly != at.1 {
            root.draw(&PathElement::new(
                vec![(at.0 + 4, at.1 + 4), (at.0 + 10, ly)],
                GREY.stroke_width(1),
            ))
            .d()?;
        }
        boxes.push((at.0 + 10, at.0 + 12 + w, ly - 8, ly + 8));
        text(
            root,
            name,
            (at.0 + 11, ly),
            13.0,
            BLACK,
            (HPos::Left, VPos::Center),
        )?;
    }
    Ok(())
}

fn status_style(status: &str) -> (Shape, RGBColor, RGBColor) {
    // (marker, marker colour, tile fill)
    match status {
        "flagged" => (Shape::Triangle, VERMILLION, RGBColor(245, 183, 150)),
        "focused_low_impact" => (Shape::Cross, ORANGE, RGBColor(251, 226, 166)),
        "scattered_effective" => (Shape::Square, BLUE, RGBColor(192, 223, 243)),
        "ok" => (Shape::Circle, GREEN, RGBColor(199, 236, 220)),
        "insufficient_data" => (Shape::Hollow, GREY, RGBColor(236, 236, 236)),
        "scattered_effect_unknown" => (Shape::Square, GREY, RGBColor(214, 214, 230)),
        "effect_unknown" => (Shape::Circle, GREY, RGBColor(228, 228, 228)),
        _ => (Shape::Hollow, LIGHT, WHITE),
    }
}

const STATUSES: [&str; 7] = [
    "flagged",
    "focused_low_impact",
    "scattered_effect_unknown",
    "scattered_effective",
    "effect_unknown",
    "ok",
    "insufficient_data",
];

enum Plot {
    Spending {
        years: Vec<i32>,
        /// (label, billion VND per year), largest total first.
        activities: Vec<(String, Vec<f64>)>,
        sources: Vec<(String, Vec<f64>)>,
    },
    Scatter {
        /// (x, y, label, flagged)
        points: Vec<(f64, f64, String, bool)>,
        /// (slope, slope low, slope high) in plotted units, through the points' centroid.
        line: Option<(f64, f64, f64)>,
        x_desc: String,
    },
    Lorenz {
        points: Vec<(f64, f64)>,
    },
    Concentration {
        /// (x, y, name, status)
        points: Vec<(f64, f64, String, String)>,
        thresholds: (Option<f64>, Option<f64>),
    },
    Event {
        rows: Vec<EventRow>,
    },
    Multiples {
        years: Vec<i32>,
        panels: Vec<(String, Vec<Option<f64>>)>,
        median: Vec<Option<f64>>,
        q1: Vec<Option<f64>>,
        q3: Vec<Option<f64>>,
        start: Option<i32>,
    },
    TileMap {
        /// (row, col, name, status)
        tiles: Vec<(i32, i32, String, String)>,
        flagged_names: Vec<String>,
    },
    Plan {
        years: Vec<i32>,
        planned: Vec<Option<f64>>,
        disbursed: Vec<Option<f64>>,
        trainee_rate: Vec<Option<f64>>,
        model_rate: Vec<Option<f64>>,
    },
}

fn year_fmt(v: &f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        String::new()
    }
}

impl Plot {
    fn size(&self) -> (u32, u32) {
        match self {
            Plot::TileMap { tiles, .. } => {
                let rows = tiles.iter().map(|t| t.0).max().unwrap_or(0) + 1;
                (1100, (rows as u32 * 48 + 200).clamp(800, 1400))
            }
            _ => (1200, 800),
        }
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        inner: &DrawingArea<DB, Shift>,
        lang: Lang,
    ) -> DR {
        let nfmt0 = move |v: &f64| num(lang, *v, 0);
        let nfmt1 = move |v: &f64| num(lang, *v, 1);
        let nfmt2 = move |v: &f64| num(lang, *v, 2);
        match self {
            Plot::Spending {
                years,
                activities,
                sources,
            } => {
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
                    let pts: Vec<(f64, f64)> =
                        years.iter().zip(v).map(|(y, v)| (*y as f64, *v)).collect();
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
            Plot::Scatter {
                points,
                line,
                x_desc,
            } => {
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
            Plot::Lorenz { points } => {
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
                let scaled: Vec<(f64, f64)> =
                    points.iter().map(|(a, b)| (a * 100.0, b * 100.0)).collect();
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
            Plot::Concentration { points, thresholds } => {
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
            Plot::Event { rows } => {
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
            Plot::Multiples {
                years,
                panels,
                median,
                q1,
                q3,
                start,
            } => {
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
            Plot::TileMap {
                tiles,
                flagged_names,
            } => {
                let (w, h) = inner.dim_in_pixel();
                let (xr, yr) = inner.get_pixel_range();
                let rows = tiles.iter().map(|t| t.0).max().unwrap_or(0) + 1;
                let cols = tiles.iter().map(|t| t.1).max().unwrap_or(0) + 1;
                let map_w = (w as i32 * 62 / 100).max(1);
                let cell_w = map_w / cols;
                let cell_h = (h as i32 / rows).min(cell_w);
                for (r, c, name, status) in tiles {
                    let (shape, color, fill) = status_style(status);
                    let x0 = xr.start + c * cell_w;
                    let y0 = yr.start + r * cell_h;
                    let rect = [(x0 + 2, y0 + 2), (x0 + cell_w - 2, y0 + cell_h - 2)];
                    root.draw(&Rectangle::new(rect, fill.filled())).d()?;
                    root.draw(&Rectangle::new(rect, GREY.stroke_width(1))).d()?;
                    marker(root, (x0 + 11, y0 + 11), shape, color, 4)?;
                    let size = 12.0;
                    let lines = wrap(root, name, size, (cell_w - 8).max(10) as u32);
                    let lh = 16;
                    let total = lh * lines.len() as i32;
                    for (i, line) in lines.iter().enumerate() {
                        text(
                            root,
                            line,
                            (
                                x0 + cell_w / 2 + 4,
                                y0 + cell_h / 2 - total / 2 + lh * i as i32 + lh / 2 + 2,
                            ),
                            size,
                            BLACK,
                            (HPos::Center, VPos::Center),
                        )?;
                    }
                }
                let lx = xr.start + map_w + 30;
                let items: Vec<(Shape, RGBColor, String)> = STATUSES
                    .iter()
                    .chain(&[""])
                    .map(|s| {
                        let (shape, color, _) = status_style(s);
                        (shape, color, i18n::status(lang, s))
                    })
                    .collect();
                legend(root, (lx, yr.start + 12), &items)?;
                let mut y = yr.start + 12 + 24 * items.len() as i32 + 20;
                text(
                    root,
                    &format!("{}:", t(lang, K::LegFlagged)),
                    (lx, y),
                    15.0,
                    BLACK,
                    (HPos::Left, VPos::Center),
                )?;
                for (i, name) in flagged_names.iter().enumerate().take(30) {
                    y += 23;
                    text(
                        root,
                        &format!("{}. {name}", i + 1),
                        (lx + 6, y),
                        14.0,
                        BLACK,
                        (HPos::Left, VPos::Center),
                    )?;
                }
                Ok(())
            }
            Plot::Plan {
                years,
                planned,
                disbursed,
                trainee_rate,
                model_rate,
            } => {
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
    }
}

struct Prepared {
    name: &'static str,
    frame: Frame,
    plot: Plot,
    csv: Csv,
}

fn render(dir: &Path, p: &Prepared, lang: Lang) -> Result<DrawnChart> {
    let started = std::time::Instant::now();
    let size = p.plot.size();
    let fail = |e: String| Error::Other(format!("cannot draw chart {}: {e}", p.name));
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        let inner = draw_frame(&root, &p.frame).map_err(fail)?;
        p.plot.draw(&root, &inner, lang).map_err(fail)?;
        root.present().d().map_err(fail)?;
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let svg_path = dir.join(format!("{}.svg", p.name));
    crate::io::write_atomic(&svg_path, svg.as_bytes())?;
    let png_path = dir.join(format!("{}.png", p.name));
    // The bitmap encoder picks the format from the extension, so the temporary name ends in .png;
    // the rename makes the final file appear whole.
    let tmp = dir.join(format!(".{}.{}.tmp.png", p.name, std::process::id()));
    let drawn = (|| {
        let root = BitMapBackend::new(&tmp, size).into_drawing_area();
        let inner = draw_frame(&root, &p.frame)?;
        p.plot.draw(&root, &inner, lang)?;
        root.present().d()
    })();
    if let Err(e) = drawn {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(e));
    }
    std::fs::rename(&tmp, &png_path).map_err(|e| Error::io(&png_path, e))?;
    let png_bytes = std::fs::read(&png_path).map_err(|e| Error::io(&png_path, e))?;
    let csv_path = dir.join(format!("{}.csv", p.name));
    crate::io::write_atomic(&csv_path, p.csv.text().as_bytes())?;
    tracing::debug!(
        chart = p.name,
        ms = started.elapsed().as_millis() as u64,
        "chart drawn"
    );
    Ok(DrawnChart {
        name: p.name.to_string(),
        title: p.frame.title.clone(),
        subtitle: p.frame.subtitle.clone(),
        png: png_path,
        svg: svg_path,
        csv: csv_path,
        png_bytes,
    })
}

/// Draws every chart the data allow; the others are listed with the reason.
pub fn render_all(
    dir: &Path,
    d: &ReportData,
    facts: &Findings,
    ctx: &ReportContext,
) -> Result<Charts> {
    let lang = ctx.lang;
    let source = Findings::source_line(ctx);
    let frame = |title: String, subtitle: String| Frame {
        title: crate::text::clean(&title),
        subtitle: crate::text::clean(&subtitle),
        source: source.clone(),
    };
    let missing = |table: &str| tf(lang, K::NoTable, &[("table", table)]);
    // "Missing" when the file is absent, "no usable rows" when it is there but empty.
    let absent = |present: bool, table: &str| {
        if present {
            tf(lang, K::EmptyTable, &[("table", table)])
        } else {
            missing(table)
        }
    };
    let mut prepared: Vec<std::result::Result<Prepared, Skipped>> = Vec::new();
    let skip = |name: &str, why: String| {
        Err(Skipped {
            name: name.to_string(),
            why,
        })
    };

    prepared.push(match &d.spending {
        Some(rows) if !rows.is_empty() => Ok(spending(rows, lang, &frame)),
        _ => skip(
            "spending_over_time",
            absent(d.spending.is_some(), "indicators/spending_by_year.parquet"),
        ),
    });
    prepared.push(match &d.growth {
        Some(rows) if !rows.is_empty() => Ok(scatter(rows, d, facts, ctx, &frame)),
        _ => skip(
            "spending_vs_growth",
            absent(d.growth.is_some(), "indicators/growth.parquet"),
        ),
    });
    prepared.push(match &d.grants {
        Some(g) if g.iter().any(|g| g.amount_mvnd > 0.0) => Ok(lorenz(g, facts, lang, &frame)),
        _ => skip(
            "lorenz_grants",
            absent(d.grants.is_some(), "clean/funding.parquet"),
        ),
    });
    prepared.push(match facts.main_window {
        Some(w) => Ok(concentration(d, w, ctx, &frame)),
        None => skip("concentration", absent(true, "flags/flags.parquet")),
    });
    prepared.push(match &d.event_study {
        Some(rows) if !rows.is_empty() => Ok(event(rows, facts, lang, &frame)),
        _ => skip(
            "event_study",
            absent(d.event_study.is_some(), "models/event_study.parquet"),
        ),
    });
    prepared.push(match (&d.growth, facts.pilots.is_empty()) {
        (Some(rows), false) => multiples(rows, facts, ctx, &frame).ok_or_else(|| Skipped {
            name: "output_small_multiples".into(),
            why: t(lang, K::NoPilots).into(),
        }),
        (None, _) => skip(
            "output_small_multiples",
            missing("indicators/growth.parquet"),
        ),
        (_, true) => skip("output_small_multiples", t(lang, K::NoPilots).into()),
    });
    prepared.push(Ok(tile_map(facts, ctx, &frame)));
    prepared.push(match &d.achievement {
        Some(rows) => plan(rows, lang, &frame).ok_or_else(|| Skipped {
            name: "plan_vs_achievement".into(),
            why: t(lang, K::NoPlans).into(),
        }),
        None => skip(
            "plan_vs_achievement",
            missing("indicators/achievement.parquet"),
        ),
    });

    // Charts are independent: draw them in parallel, keep their order.
    use rayon::prelude::*;
    let mut charts = Charts::default();
    let drawn: Vec<Option<Result<DrawnChart>>> = prepared
        .par_iter()
        .map(|p| p.as_ref().ok().map(|p| render(dir, p, lang)))
        .collect();
    for (p, d) in prepared.into_iter().zip(drawn) {
        match (p, d) {
            (_, Some(d)) => charts.drawn.push(d?),
            (Err(s), None) => charts.skipped.push(s),
            (Ok(_), None) => {}
        }
    }
    Ok(charts)
}

type FrameFn<'a> = dyn Fn(String, String) -> Frame + 'a;

fn span(years: impl Iterator<Item = i32> + Clone) -> (String, String) {
    let lo = years.clone().min().unwrap_or(0);
    let hi = years.max().unwrap_or(0);
    (lo.to_string(), hi.to_string())
}

fn spending(rows: &[super::data::SpendRow], lang: Lang, frame: &FrameFn) -> Prepared {
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
        plot: Plot::Spending {
            years: years.clone(),
            activities: acts
                .into_iter()
                .map(|(a, v)| (i18n::activity(lang, a), v))
                .collect(),
            sources: srcs
                .into_iter()
                .map(|(s, v)| (i18n::source(lang, s), v))
                .collect(),
        },
        csv,
    }
}

fn scatter(
    rows: &[super::data::GrowthRow],
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
        plot: Plot::Scatter {
            points,
            line,
            x_desc: if log_x {
                t(lang, K::AxisLogSpend).to_string()
            } else {
                format!("{} ({})", t(lang, K::LegDisbursed), "million VND")
            },
        },
        csv,
    }
}

fn lorenz(
    grants: &[super::data::Grant],
    facts: &Findings,
    lang: Lang,
    frame: &FrameFn,
) -> Prepared {
    let amounts: Vec<f64> = grants
        .iter()
        .map(|g| g.amount_mvnd)
        .filter(|a| *a > 0.0)
        .collect();
    let full = crate::stats::concentration::lorenz(&amounts);
    // At most ~200 points: enough to draw the curve, small enough for the SVG.
    let step = (full.len() / 200).max(1);
    let mut points: Vec<(f64, f64)> = full.iter().step_by(step).copied().collect();
    if let Some(last) = full.last()
        && points.last() != Some(last)
    {
        points.push(*last);
    }
    let mut csv = Csv::new(&["share_of_grants", "share_of_money"]);
    for (a, b) in &points {
        csv.row(vec![format!("{a}"), format!("{b}")]);
    }
    let gini = facts.gini.unwrap_or(f64::NAN);
    let top = facts.top10_share.unwrap_or(f64::NAN) * 100.0;
    let (y0, y1) = span(grants.iter().map(|g| g.year));
    Prepared {
        name: "lorenz_grants",
        frame: frame(
            tf(lang, K::T3, &[("top", &num(lang, top, 0))]),
            tf(
                lang,
                K::S3,
                &[
                    ("n", &num(lang, amounts.len() as f64, 0)),
                    ("y0", &y0),
                    ("y1", &y1),
                    ("gini", &num(lang, gini, 2)),
                ],
            ),
        ),
        plot: Plot::Lorenz { points },
        csv,
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

fn concentration(
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
        plot: Plot::Concentration {
            points,
            thresholds: (tx, ty),
        },
        csv,
    }
}

fn event(rows: &[EventRow], facts: &Findings, lang: Lang, frame: &FrameFn) -> Prepared {
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
        plot: Plot::Event {
            rows: rows.to_vec(),
        },
        csv,
    }
}

fn multiples(
    rows: &[super::data::GrowthRow],
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
        plot: Plot::Multiples {
            years,
            panels,
            median,
            q1,
            q3,
            start: facts.pilot_start,
        },
        csv,
    })
}

/// The tile layout of a map: (code, row, col).
pub fn tile_layout(boundary: crate::reference::Boundary) -> Vec<(String, i32, i32)> {
    let text = match boundary {
        crate::reference::Boundary::B2008 => TILE_GRID_63,
        crate::reference::Boundary::B2025 => TILE_GRID_34,
    };
    crate::text::split_csv(text)
        .into_iter()
        .skip(1)
        .filter_map(|r| {
            Some((
                r.first()?.clone(),
                r.get(1)?.parse().ok()?,
                r.get(2)?.parse().ok()?,
            ))
        })
        .collect()
}

fn tile_map(facts: &Findings, ctx: &ReportContext, frame: &FrameFn) -> Prepared {
    let lang = ctx.lang;
    let mut csv = Csv::new(&["province_code", "province_name", "row", "col", "status"]);
    let tiles: Vec<(i32, i32, String, String)> = tile_layout(ctx.boundary)
        .into_iter()
        .map(|(code, r, c)| {
            let status = facts
                .status_by_province
                .get(&code)
                .cloned()
                .unwrap_or_default();
            let name = province_name(&code, ctx.boundary);
            csv.row(vec![
                code,
                name.clone(),
                r.to_string(),
                c.to_string(),
                status.clone(),
            ]);
            (r, c, name, status)
        })
        .collect();
    let flagged_names: Vec<String> = facts
        .flagged
        .iter()
        .map(|c| province_name(c, ctx.boundary))
        .collect();
    Prepared {
        name: "flag_map",
        frame: frame(
            tf(
                lang,
                K::T7,
                &[
                    ("n", &facts.flagged.len().to_string()),
                    ("m", &facts.assessed.len().to_string()),
                ],
            ),
            tf(
                lang,
                K::S7,
                &[("boundary", Findings::boundary_label(lang, ctx.boundary))],
            ),
        ),
        plot: Plot::TileMap {
            tiles,
            flagged_names,
        },
        csv,
    }
}

fn plan(rows: &[super::data::AchievementRow], lang: Lang, frame: &FrameFn) -> Option<Prepared> {
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
        plot: Plot::Plan {
            years,
            planned,
            disbursed,
            trainee_rate,
            model_rate,
        },
        csv,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_keeps_labels_apart_and_inside() {
        let out = spread(vec![(100, 0), (102, 1), (300, 2)], 18, 0, 400);
        let ys: Vec<i32> = out.iter().map(|p| p.0).collect();
        assert_eq!(ys, vec![100, 118, 300]);
        // Pushed past the bottom: the stack moves up as a block.
        let out = spread(vec![(395, 0), (396, 1)], 18, 0, 400);
        let ys: Vec<i32> = out.iter().map(|p| p.0).collect();
        assert_eq!(ys, vec![382, 400]);
    }

    #[test]
    fn csv_cells_are_quoted_when_needed() {
        let mut c = Csv::new(&["a", "b"]);
        c.row(vec!["x, y".into(), "say \"hi\"".into()]);
        assert_eq!(c.text(), "a,b\n\"x, y\",\"say \"\"hi\"\"\"\n");
    }

    #[test]
    fn tile_layouts_cover_each_map_once() {
        use crate::reference::{Boundary, Reference};
        for b in [Boundary::B2008, Boundary::B2025] {
            let layout = tile_layout(b);
            let mut codes: Vec<&str> = layout.iter().map(|t| t.0.as_str()).collect();
            codes.sort_unstable();
            assert_eq!(codes, Reference::get().codes(b), "{b:?}");
            let cells: BTreeSet<(i32, i32)> = layout.iter().map(|t| (t.1, t.2)).collect();
            assert_eq!(
                cells.len(),
                layout.len(),
                "two provinces share a tile on {b:?}"
            );
        }
        // North at the top: Hà Giang (02) above Hà Nội (01) above Cà Mau (96).
        let l = tile_layout(Boundary::B2008);
        let row = |c: &str| l.iter().find(|t| t.0 == c).unwrap().1;
        assert!(row("02") < row("01") && row("01") < row("96"));
    }

    #[test]
    fn flag_parameters_are_found_in_either_manifest_shape() {
        let m = serde_json::json!({"stages": {"flags": {"parameters": {"min_eff_sectors": 4.5, "window": "rolling3"}}}});
        let p = flag_parameters(Some(&m));
        assert!(p.contains(&("min_eff_sectors".to_string(), "4.5".to_string())));
        assert!(p.contains(&("window".to_string(), "rolling3".to_string())));
        let m = serde_json::json!({"stages": [{"stage": "flags", "params": {"small_share": 0.6}}]});
        assert_eq!(
            flag_parameters(Some(&m)),
            vec![("small_share".to_string(), "0.6".to_string())]
        );
        assert!(flag_parameters(None).is_empty());
    }
}
