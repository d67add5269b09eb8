//! The real-data report's charts: the frame they share (a title over up to two lines, a
//! subtitle, the source line), the dispatcher to each chart's file (`employment_map`,
//! `national_budget`, `targets_results`, each of which prepares its own numbers, CSV and title)
//! and the writer of PNG, SVG and CSV. Titles state the finding and are worked out from the
//! plotted numbers. Colours are Okabe–Ito, and
//! every coloured mark also carries its number or a shape, so nothing rides on colour alone.

pub use super::employment_map::{Tile, index_band, map_tiles};
use super::kit::{Csv, DR, GREY, d, text, wrap};
pub use super::national_budget::BudgetBar;
pub use super::targets_results::TargetBar;
use super::{DrawnChart, employment_map, national_budget, targets_results};
use crate::error::{Error, Result};
use crate::report::Lang;
use crate::report::real_text::{self as rt, trf};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use std::path::Path;

/// The source line of a chart: only the input files whose names pass `keep`.
pub fn source_line(lang: Lang, sources: &[String], keep: impl Fn(&str) -> bool) -> String {
    let files: Vec<&str> = sources
        .iter()
        .map(String::as_str)
        .filter(|f| keep(f))
        .collect();
    trf(lang, rt::SOURCE_LINE, &[("sources", &files.join(", "))])
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
        for line in wrap(root, &self.title, 28.0, (w as i32 - 56).max(0) as u32)
            .iter()
            .take(2)
        {
            text(root, line, (28, y), 28.0, BLACK, (HPos::Left, VPos::Top))?;
            y += 42;
        }
        y += 4;
        for line in wrap(root, &self.subtitle, 16.0, (w as i32 - 56).max(0) as u32)
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
                employment_map::draw(root, tiles, *year, (top, bottom), w, lang)
            }
            Plot::Budget { bars } => national_budget::draw(root, bars, (top, bottom), w, lang),
            Plot::Targets { bars } => targets_results::draw(root, bars, top, w, lang),
        }
    }
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
