//! The report's charts, drawn with plotters into PNG and SVG with the embedded font, each with a
//! CSV of exactly the numbers it plots. Every chart has a title that states its finding (worked
//! out from the plotted numbers), a subtitle with measure, area and period, units on the axes
//! and a source line. Colours are the Okabe–Ito palette, and meaning never rides on colour
//! alone: categories also differ by marker shape, fill or a direct label.
//!
//! This module lists the charts and dispatches; `kit` holds what they share, and each chart's
//! file holds both its data preparation and its drawing.

pub mod concentration;
pub mod employment_map;
pub mod event;
pub mod kit;
pub mod lorenz;
pub mod multiples;
pub mod national_budget;
pub mod plan;
pub mod real;
pub mod scatter;
pub mod spending;
pub mod targets_results;
pub mod tile_map;

pub use kit::{
    BLUE, Csv, GREEN, GREY, LIGHT, ORANGE, PURPLE, SKY, VERMILLION, YELLOW, tile_layout,
};

use super::data::ReportData;
use super::findings::Findings;
use super::i18n::{K, t, tf};
use super::{Lang, ReportContext};
use crate::error::{Error, Result};
use kit::{D, DR, Frame, draw_frame};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::{Path, PathBuf};

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

/// One chart's drawing: the numbers it plots, prepared by its own module.
enum Plot {
    Spending(spending::Spending),
    Scatter(scatter::Scatter),
    Lorenz(lorenz::Lorenz),
    Concentration(concentration::Concentration),
    Event(event::Event),
    Multiples(multiples::Multiples),
    TileMap(tile_map::TileMap),
    Plan(plan::Plan),
}

impl Plot {
    fn size(&self) -> (u32, u32) {
        match self {
            Plot::TileMap(m) => m.size(),
            _ => (1200, 800),
        }
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        inner: &DrawingArea<DB, Shift>,
        lang: Lang,
    ) -> DR {
        match self {
            Plot::Spending(p) => p.draw(root, inner, lang),
            Plot::Scatter(p) => p.draw(root, inner, lang),
            Plot::Lorenz(p) => p.draw(root, inner, lang),
            Plot::Concentration(p) => p.draw(root, inner, lang),
            Plot::Event(p) => p.draw(root, inner, lang),
            Plot::Multiples(p) => p.draw(root, inner, lang),
            Plot::TileMap(p) => p.draw(root, inner, lang),
            Plot::Plan(p) => p.draw(root, inner, lang),
        }
    }
}

/// A chart ready to draw: its file name, frame, plot and the CSV of its numbers.
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
        Some(rows) if !rows.is_empty() => Ok(spending::prepare(rows, lang, &frame)),
        _ => skip(
            "spending_over_time",
            absent(d.spending.is_some(), "indicators/spending_by_year.parquet"),
        ),
    });
    prepared.push(match &d.growth {
        Some(rows) if !rows.is_empty() => Ok(scatter::prepare(rows, d, facts, ctx, &frame)),
        _ => skip(
            "spending_vs_growth",
            absent(d.growth.is_some(), "indicators/growth.parquet"),
        ),
    });
    prepared.push(match &d.lorenz {
        Some(points) if !points.is_empty() => Ok(lorenz::prepare(
            points,
            d.national.as_ref(),
            facts,
            lang,
            &frame,
        )),
        _ => skip(
            "lorenz_grants",
            absent(d.lorenz.is_some(), "indicators/lorenz.parquet"),
        ),
    });
    prepared.push(match facts.main_window {
        Some(w) => Ok(concentration::prepare(d, w, ctx, &frame)),
        None => skip("concentration", absent(true, "flags/flags.parquet")),
    });
    prepared.push(match &d.event_study {
        Some(rows) if !rows.is_empty() => Ok(event::prepare(rows, facts, lang, &frame)),
        _ => skip(
            "event_study",
            absent(d.event_study.is_some(), "models/event_study.parquet"),
        ),
    });
    prepared.push(match (&d.growth, facts.pilots.is_empty()) {
        (Some(rows), false) => {
            multiples::prepare(rows, facts, ctx, &frame).ok_or_else(|| Skipped {
                name: "output_small_multiples".into(),
                why: t(lang, K::NoPilots).into(),
            })
        }
        (None, _) => skip(
            "output_small_multiples",
            missing("indicators/growth.parquet"),
        ),
        (_, true) => skip("output_small_multiples", t(lang, K::NoPilots).into()),
    });
    prepared.push(Ok(tile_map::prepare(facts, ctx, &frame)));
    prepared.push(match &d.achievement {
        Some(rows) => plan::prepare(rows, lang, &frame).ok_or_else(|| Skipped {
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

#[cfg(test)]
mod tests {
    use super::kit::*;
    use std::collections::BTreeSet;

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
}
