//! The kit every chart shares: the Okabe–Ito palette, the frame (title, subtitle, source line),
//! axes, legends, markers, label placement, text wrapping, number formatting for axes and CSVs,
//! the CSV written beside each chart, and the tile layouts of the province maps.

use crate::contract::vocab::FlagStatus;
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::ops::Range;

pub const TILE_GRID_63: &str = include_str!("../../../data/tile_grid_63.csv");
pub const TILE_GRID_34: &str = include_str!("../../../data/tile_grid_34.csv");

/// Scale of every font size: plotters draws a size-s font with s / 1.24 pixels per em, so
/// sizes are raised to read at report width.
pub const FS: f64 = 1.25;

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
pub const CATEGORY: [RGBColor; 9] = [
    BLUE, ORANGE, GREEN, VERMILLION, SKY, PURPLE, YELLOW, GREY, LIGHT,
];

pub type DR = std::result::Result<(), String>;

/// Turns a plotters error into its message (free-function form of `D::d`).
pub fn d<T, E: std::fmt::Debug>(r: std::result::Result<T, E>) -> std::result::Result<T, String> {
    r.map_err(|e| format!("{e:?}"))
}

pub trait D<T> {
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

pub fn f(x: Option<f64>) -> String {
    x.map(|v| format!("{v}")).unwrap_or_default()
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shape {
    Circle,
    Hollow,
    Triangle,
    Square,
    Cross,
    Diamond,
}

pub fn marker<DB: DrawingBackend>(
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

pub fn text<DB: DrawingBackend>(
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

pub fn text_width<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, s: &str, size: f64) -> u32 {
    let style = TextStyle::from(("sans-serif", size * FS).into_font());
    root.estimate_text_size(s, &style)
        .map(|(w, _)| w)
        .unwrap_or(s.chars().count() as u32 * size as u32 / 2)
}

/// Splits `s` into lines no wider than `width` pixels at `size`.
pub fn wrap<DB: DrawingBackend>(
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

pub struct Frame {
    pub title: String,
    pub subtitle: String,
    pub source: String,
}

/// Title, subtitle and source line; returns the area left for the plot.
pub fn draw_frame<DB: DrawingBackend>(
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

pub type Chart2d<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

pub struct Axes<'f> {
    pub x: Range<f64>,
    pub y: Range<f64>,
    pub x_desc: String,
    pub y_desc: String,
    pub x_fmt: &'f dyn Fn(&f64) -> String,
    pub y_fmt: &'f dyn Fn(&f64) -> String,
    pub right_margin: u32,
    pub caption: Option<String>,
    pub x_labels: usize,
}

pub fn axes<'a, DB: DrawingBackend>(
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
pub fn padded(values: impl Iterator<Item = f64>, pad: f64) -> Range<f64> {
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
pub fn spread(mut ys: Vec<(i32, usize)>, gap: i32, lo: i32, hi: i32) -> Vec<(i32, usize)> {
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

pub fn legend<DB: DrawingBackend>(
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
pub fn place_labels<DB: DrawingBackend>(
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

/// The marker, marker colour and tile fill of a flag status; `None`: no data.
pub fn status_style(status: Option<FlagStatus>) -> (Shape, RGBColor, RGBColor) {
    use FlagStatus::*;
    match status {
        Some(Flagged) => (Shape::Triangle, VERMILLION, RGBColor(245, 183, 150)),
        Some(FocusedLowImpact) => (Shape::Cross, ORANGE, RGBColor(251, 226, 166)),
        Some(ScatteredEffective) => (Shape::Square, BLUE, RGBColor(192, 223, 243)),
        Some(Ok) => (Shape::Circle, GREEN, RGBColor(199, 236, 220)),
        Some(InsufficientData) => (Shape::Hollow, GREY, RGBColor(236, 236, 236)),
        Some(ScatteredEffectUnknown) => (Shape::Square, GREY, RGBColor(214, 214, 230)),
        Some(EffectUnknown) => (Shape::Circle, GREY, RGBColor(228, 228, 228)),
        None => (Shape::Hollow, LIGHT, WHITE),
    }
}

/// The flag statuses in the legends' order.
pub const STATUSES: [FlagStatus; 7] = [
    FlagStatus::Flagged,
    FlagStatus::FocusedLowImpact,
    FlagStatus::ScatteredEffectUnknown,
    FlagStatus::ScatteredEffective,
    FlagStatus::EffectUnknown,
    FlagStatus::Ok,
    FlagStatus::InsufficientData,
];

pub fn year_fmt(v: &f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        String::new()
    }
}

pub type FrameFn<'a> = dyn Fn(String, String) -> Frame + 'a;

pub fn span(years: impl Iterator<Item = i32> + Clone) -> (String, String) {
    let lo = years.clone().min().unwrap_or(0);
    let hi = years.max().unwrap_or(0);
    (lo.to_string(), hi.to_string())
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
