//! Charts of the real-data report: the provinces on the tile map by employment index, the
//! national budget by year, and targets against results. Drawn with plotters into PNG and SVG
//! with the embedded font, each with a CSV of exactly the numbers it shows; titles state the
//! finding and are worked out by the caller from the same numbers. Colours are Okabe–Ito, and
//! every coloured mark also carries its number or a shape, so nothing rides on colour alone.

use super::Lang;
use super::charts::{BLUE, Csv, DrawnChart, GREY, LIGHT, ORANGE, SKY, VERMILLION, tile_layout};
use super::i18n::num;
use super::real_text::{self as rt, tr};
use crate::error::{Error, Result};
use crate::reference::Boundary;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::Path;

/// Font scale shared with the main report's charts.
const FS: f64 = 1.25;

type DR = std::result::Result<(), String>;

fn d<T, E: std::fmt::Debug>(r: std::result::Result<T, E>) -> std::result::Result<T, String> {
    r.map_err(|e| format!("{e:?}"))
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
    d(root.draw(&Text::new(crate::text::clean(s), at, style)))
}

fn text_width<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, s: &str, size: f64) -> i32 {
    let style = TextStyle::from(("sans-serif", size * FS).into_font());
    root.estimate_text_size(s, &style)
        .map(|(w, _)| w as i32)
        .unwrap_or(s.chars().count() as i32 * size as i32 / 2)
}

fn wrap<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &str,
    size: f64,
    width: i32,
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

/// A tile of the employment map: grid row and column, name, value.
#[derive(Debug, Clone)]
pub struct Tile {
    pub row: i32,
    pub col: i32,
    pub code: String,
    pub name: String,
    pub value: Option<f64>,
}

/// One bar of the budget chart: a year, the programme's money in it (billion VND a year).
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetBar {
    pub year: i32,
    /// National programme (KCQG), provinces' programmes (KCĐP): stacked.
    pub national: Option<f64>,
    pub local: Option<f64>,
    /// Both together, when published as one figure: drawn as an outline.
    pub total: Option<f64>,
    /// Some part of the bar is arithmetic on published figures, not a figure itself.
    pub derived: bool,
}

/// One bar of the targets chart.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetBar {
    pub theme: String,
    /// "target", "draft_target" or "result".
    pub kind: &'static str,
    pub label: String,
    pub value: f64,
    pub unit: String,
    /// Bar length as a share of the largest value of its theme in the same unit.
    pub share: f64,
}

pub enum Plot {
    Map { tiles: Vec<Tile>, year: i32 },
    Budget { bars: Vec<BudgetBar> },
    Targets { bars: Vec<TargetBar> },
}

/// A chart ready to draw.
pub struct RealChart {
    pub name: &'static str,
    pub title: String,
    pub subtitle: String,
    pub source: String,
    pub plot: Plot,
    pub csv: Csv,
}

/// Colour band of an employment or production index.
pub fn index_band(v: Option<f64>) -> (RGBColor, RGBColor, usize) {
    match v {
        None => (LIGHT, BLACK, 4),
        Some(v) if v >= 105.0 => (BLUE, WHITE, 0),
        Some(v) if v >= 100.0 => (SKY, BLACK, 1),
        Some(v) if v >= 95.0 => (ORANGE, BLACK, 2),
        Some(_) => (VERMILLION, WHITE, 3),
    }
}

impl RealChart {
    fn size(&self) -> (u32, u32) {
        match &self.plot {
            Plot::Map { .. } => (1100, 1500),
            Plot::Budget { .. } => (1200, 700),
            Plot::Targets { bars } => (1200, 260 + 40 * bars.len() as u32 + 30 * 6),
        }
    }

    fn frame<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> std::result::Result<(i32, i32), String> {
        d(root.fill(&WHITE))?;
        let (w, h) = root.dim_in_pixel();
        let mut y = 16;
        for line in wrap(root, &self.title, 28.0, w as i32 - 56).iter().take(2) {
            text(root, line, (28, y), 28.0, BLACK, (HPos::Left, VPos::Top))?;
            y += 42;
        }
        y += 4;
        for line in wrap(root, &self.subtitle, 16.0, w as i32 - 56)
            .iter()
            .take(3)
        {
            text(
                root,
                line,
                (28, y),
                16.0,
                RGBColor(70, 70, 70),
                (HPos::Left, VPos::Top),
            )?;
            y += 24;
        }
        text(
            root,
            &self.source,
            (28, h as i32 - 10),
            12.0,
            GREY,
            (HPos::Left, VPos::Bottom),
        )?;
        Ok((y + 10, h as i32 - 36))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, lang: Lang) -> DR {
        let (top, bottom) = self.frame(root)?;
        let (w, _) = root.dim_in_pixel();
        let w = w as i32;
        match &self.plot {
            Plot::Map { tiles, year } => {
                // Legend row under the subtitle.
                let bands = [
                    (Some(106.0), "105+"),
                    (Some(101.0), "100–105"),
                    (Some(96.0), "95–100"),
                    (Some(90.0), "< 95"),
                    (None, tr(lang, rt::NO_VALUE)),
                ];
                let mut x = 28;
                for (v, label) in bands {
                    let (fill, _, _) = index_band(v);
                    d(root.draw(&Rectangle::new(
                        [(x, top), (x + 26, top + 20)],
                        fill.filled(),
                    )))?;
                    d(root.draw(&Rectangle::new(
                        [(x, top), (x + 26, top + 20)],
                        GREY.stroke_width(1),
                    )))?;
                    text(
                        root,
                        label,
                        (x + 32, top + 10),
                        14.0,
                        BLACK,
                        (HPos::Left, VPos::Center),
                    )?;
                    x += 44 + text_width(root, label, 14.0);
                }
                let _ = year;
                let top = top + 36;
                let rows = tiles.iter().map(|t| t.row).max().unwrap_or(0) + 1;
                let cols = tiles.iter().map(|t| t.col).max().unwrap_or(0) + 1;
                let cell_w = (w - 56) / cols.max(1);
                let cell_h = ((bottom - top) / rows.max(1)).min(cell_w);
                let x0 = 28 + (w - 56 - cell_w * cols) / 2;
                for t in tiles {
                    let (fill, ink, _) = index_band(t.value);
                    let x = x0 + t.col * cell_w;
                    let y = top + t.row * cell_h;
                    let rect = [(x + 2, y + 2), (x + cell_w - 2, y + cell_h - 2)];
                    d(root.draw(&Rectangle::new(rect, fill.filled())))?;
                    d(root.draw(&Rectangle::new(rect, GREY.stroke_width(1))))?;
                    let name = wrap(root, &t.name, 11.0, cell_w - 8);
                    let name = name.first().cloned().unwrap_or_default();
                    text(
                        root,
                        &name,
                        (x + cell_w / 2, y + cell_h / 2 - 10),
                        11.0,
                        ink,
                        (HPos::Center, VPos::Center),
                    )?;
                    let value = t
                        .value
                        .map(|v| num(lang, v, 2))
                        .unwrap_or_else(|| "–".into());
                    text(
                        root,
                        &value,
                        (x + cell_w / 2, y + cell_h / 2 + 12),
                        14.0,
                        ink,
                        (HPos::Center, VPos::Center),
                    )?;
                }
                Ok(())
            }
            Plot::Budget { bars } => draw_budget(root, bars, (top, bottom), w, lang),
            Plot::Targets { bars } => draw_targets(root, bars, top, w, lang),
        }
    }
}

fn draw_budget<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    bars: &[BudgetBar],
    (top, bottom): (i32, i32),
    w: i32,
    lang: Lang,
) -> DR {
    let Some(y0) = bars.iter().map(|b| b.year).min() else {
        return Ok(());
    };
    let y1 = bars.iter().map(|b| b.year).max().unwrap_or(y0);
    let ymax = bars
        .iter()
        .map(|b| (b.national.unwrap_or(0.0) + b.local.unwrap_or(0.0)).max(b.total.unwrap_or(0.0)))
        .fold(0.0, f64::max)
        .max(1.0)
        * 1.15;
    // Legend on the right.
    let legend_w = 300;
    let (left, right) = (100, w - legend_w - 20);
    let (ptop, pbot) = (top + 10, bottom - 50);
    let n = (y1 - y0 + 1) as f64;
    let slot = (right - left) as f64 / n;
    let px = |year: i32| left + ((year - y0) as f64 * slot) as i32;
    let py = |v: f64| pbot - ((v / ymax) * (pbot - ptop) as f64) as i32;
    // Axes and gridlines.
    let step = nice_step(ymax);
    let mut g = 0.0;
    while g <= ymax {
        d(root.draw(&PathElement::new(
            vec![(left, py(g)), (right, py(g))],
            LIGHT.stroke_width(1),
        )))?;
        text(
            root,
            &num(lang, g, 0),
            (left - 8, py(g)),
            13.0,
            BLACK,
            (HPos::Right, VPos::Center),
        )?;
        g += step;
    }
    text(
        root,
        tr(lang, rt::AXIS_BN_PER_YEAR),
        (28, ptop - 4),
        13.0,
        GREY,
        (HPos::Left, VPos::Bottom),
    )?;
    for year in y0..=y1 {
        let x = px(year) + (slot / 2.0) as i32;
        text(
            root,
            &year.to_string(),
            (x, pbot + 8),
            13.0,
            BLACK,
            (HPos::Center, VPos::Top),
        )?;
        let bw = (slot * 0.7) as i32;
        let xl = x - bw / 2;
        match bars.iter().find(|b| b.year == year) {
            None => {
                text(
                    root,
                    "×",
                    (x, pbot - 10),
                    16.0,
                    GREY,
                    (HPos::Center, VPos::Center),
                )?;
            }
            Some(b) => {
                let mut base = 0.0;
                for (v, color) in [(b.national, BLUE), (b.local, ORANGE)] {
                    if let Some(v) = v {
                        let fill = if b.derived {
                            color.mix(0.55)
                        } else {
                            color.mix(1.0)
                        };
                        d(root.draw(&Rectangle::new(
                            [(xl, py(base + v)), (xl + bw, py(base))],
                            fill.filled(),
                        )))?;
                        base += v;
                    }
                }
                let mut label_v = base;
                if let Some(t) = b.total {
                    d(root.draw(&Rectangle::new(
                        [(xl - 3, py(t)), (xl + bw + 3, pbot)],
                        BLACK.stroke_width(2),
                    )))?;
                    label_v = label_v.max(t);
                }
                text(
                    root,
                    &num(lang, label_v, 0),
                    (x, py(label_v) - 4),
                    12.0,
                    BLACK,
                    (HPos::Center, VPos::Bottom),
                )?;
            }
        }
    }
    d(root.draw(&PathElement::new(
        vec![(left, pbot), (right, pbot)],
        BLACK.stroke_width(1),
    )))?;
    let lx = right + 24;
    let mut ly = ptop + 10;
    for (kind, label) in [
        (0, tr(lang, rt::LEG_TOTAL)),
        (1, tr(lang, rt::LEG_NATIONAL)),
        (2, tr(lang, rt::LEG_LOCAL)),
        (3, tr(lang, rt::LEG_NO_FIGURE)),
    ] {
        match kind {
            0 => d(root.draw(&Rectangle::new(
                [(lx, ly - 9), (lx + 22, ly + 9)],
                BLACK.stroke_width(2),
            )))?,
            1 => d(root.draw(&Rectangle::new(
                [(lx, ly - 9), (lx + 22, ly + 9)],
                BLUE.mix(0.55).filled(),
            )))?,
            2 => d(root.draw(&Rectangle::new(
                [(lx, ly - 9), (lx + 22, ly + 9)],
                ORANGE.mix(0.55).filled(),
            )))?,
            _ => text(
                root,
                "×",
                (lx + 11, ly),
                16.0,
                GREY,
                (HPos::Center, VPos::Center),
            )?,
        }
        for (i, line) in wrap(root, label, 13.0, legend_w - 40).iter().enumerate() {
            text(
                root,
                line,
                (lx + 30, ly + 18 * i as i32),
                13.0,
                BLACK,
                (HPos::Left, VPos::Center),
            )?;
        }
        ly += 58;
    }
    Ok(())
}

fn nice_step(max: f64) -> f64 {
    let raw = max / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(mag * 10.0)
}

fn kind_style(kind: &str) -> (RGBColor, bool) {
    match kind {
        "result" => (BLUE, true),
        "target" => (GREY, false),
        _ => (ORANGE, false),
    }
}

fn draw_targets<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    bars: &[TargetBar],
    top: i32,
    w: i32,
    lang: Lang,
) -> DR {
    // Legend.
    let mut x = 28;
    for (kind, label) in [
        ("target", tr(lang, rt::LEG_TARGET)),
        ("draft_target", tr(lang, rt::LEG_DRAFT)),
        ("result", tr(lang, rt::LEG_RESULT)),
    ] {
        let (color, filled) = kind_style(kind);
        let rect = [(x, top), (x + 26, top + 18)];
        if filled {
            d(root.draw(&Rectangle::new(rect, color.filled())))?;
        } else {
            d(root.draw(&Rectangle::new(rect, color.mix(0.25).filled())))?;
            d(root.draw(&Rectangle::new(rect, color.stroke_width(2))))?;
        }
        text(
            root,
            label,
            (x + 32, top + 9),
            14.0,
            BLACK,
            (HPos::Left, VPos::Center),
        )?;
        x += 60 + text_width(root, label, 14.0);
    }
    let label_w = 430;
    let bar_x = 28 + label_w;
    let bar_max = w - bar_x - 220;
    let mut y = top + 44;
    let mut theme = String::new();
    for b in bars {
        if b.theme != theme {
            theme = b.theme.clone();
            y += 8;
            text(
                root,
                &theme,
                (28, y),
                16.0,
                BLACK,
                (HPos::Left, VPos::Center),
            )?;
            y += 30;
        }
        text(
            root,
            &b.label,
            (40, y),
            13.0,
            RGBColor(50, 50, 50),
            (HPos::Left, VPos::Center),
        )?;
        let (color, filled) = kind_style(b.kind);
        let len = ((b.share * bar_max as f64) as i32).max(2);
        let rect = [(bar_x, y - 12), (bar_x + len, y + 12)];
        if filled {
            d(root.draw(&Rectangle::new(rect, color.filled())))?;
        } else {
            d(root.draw(&Rectangle::new(rect, color.mix(0.25).filled())))?;
            d(root.draw(&Rectangle::new(rect, color.stroke_width(2))))?;
        }
        text(
            root,
            &format!("{} {}", num(lang, b.value, 0), b.unit),
            (bar_x + len + 8, y),
            13.0,
            BLACK,
            (HPos::Left, VPos::Center),
        )?;
        y += 40;
    }
    Ok(())
}

/// Draws a chart into `dir` as PNG, SVG and CSV.
pub fn render(dir: &Path, c: &RealChart, lang: Lang) -> Result<DrawnChart> {
    let fail = |e: String| Error::Other(format!("cannot draw chart {}: {e}", c.name));
    let size = c.size();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        c.draw(&root, lang).map_err(fail)?;
        d(root.present()).map_err(fail)?;
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let svg_path = dir.join(format!("{}.svg", c.name));
    crate::io::write_atomic(&svg_path, svg.as_bytes())?;
    let png_path = dir.join(format!("{}.png", c.name));
    let tmp = dir.join(format!(".{}.{}.tmp.png", c.name, std::process::id()));
    let drawn = (|| {
        let root = BitMapBackend::new(&tmp, size).into_drawing_area();
        c.draw(&root, lang)?;
        d(root.present())
    })();
    if let Err(e) = drawn {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(e));
    }
    std::fs::rename(&tmp, &png_path).map_err(|e| Error::io(&png_path, e))?;
    let png_bytes = std::fs::read(&png_path).map_err(|e| Error::io(&png_path, e))?;
    let csv_path = dir.join(format!("{}.csv", c.name));
    crate::io::write_atomic(&csv_path, c.csv.text().as_bytes())?;
    Ok(DrawnChart {
        name: c.name.to_string(),
        title: c.title.clone(),
        subtitle: c.subtitle.clone(),
        png: png_path,
        svg: svg_path,
        csv: csv_path,
        png_bytes,
    })
}

/// The tiles of the 63-province map with each province's value (`None` when absent).
pub fn map_tiles(values: &std::collections::BTreeMap<String, f64>) -> Vec<Tile> {
    tile_layout(Boundary::B2008)
        .into_iter()
        .map(|(code, row, col)| Tile {
            name: super::province_name(&code, Boundary::B2008),
            value: values.get(&code).copied(),
            code,
            row,
            col,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_split_at_95_100_105() {
        assert_eq!(index_band(Some(105.0)).2, 0);
        assert_eq!(index_band(Some(104.99)).2, 1);
        assert_eq!(index_band(Some(100.0)).2, 1);
        assert_eq!(index_band(Some(99.9)).2, 2);
        assert_eq!(index_band(Some(94.9)).2, 3);
        assert_eq!(index_band(None).2, 4);
        assert_eq!(nice_step(287.2 * 1.15), 100.0);
        assert_eq!(nice_step(9.0), 2.0);
    }

    #[test]
    fn every_province_has_a_tile() {
        let mut v = std::collections::BTreeMap::new();
        v.insert("70".to_string(), 101.5);
        let tiles = map_tiles(&v);
        assert_eq!(tiles.len(), 63);
        let bp = tiles.iter().find(|t| t.code == "70").unwrap();
        assert_eq!((bp.name.as_str(), bp.value), ("Bình Phước", Some(101.5)));
        assert_eq!(tiles.iter().filter(|t| t.value.is_none()).count(), 62);
    }
}
