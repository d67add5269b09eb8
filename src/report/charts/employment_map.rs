//! The real-data chart employment_map: every province as a tile of the 63-province map, coloured
//! by its employment (or production) index band, with the value written on the tile; and its
//! preparation from the latest year of the employment index.

use super::kit::{
    BLUE, Csv, DR, GREY, LIGHT, ORANGE, SKY, VERMILLION, d, text, text_width, tile_layout, wrap,
};
use super::real::{Plot, RealChart, source_line};
use crate::realdata::indices::{IndexMeasure, IndexValue, YearSummary};
use crate::reference::Boundary;
use crate::report::Lang;
use crate::report::i18n::num;
use crate::report::real_tables::by_year;
use crate::report::real_text::{self as rt, tr, trf};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

#[derive(Debug, Clone)]
pub struct Tile {
    pub row: i32,
    pub col: i32,
    pub code: String,
    pub name: String,
    pub value: Option<f64>,
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

/// The tiles of the 63-province map with each province's value (`None` when absent).
pub fn map_tiles(values: &std::collections::BTreeMap<String, f64>) -> Vec<Tile> {
    tile_layout(Boundary::B2008)
        .into_iter()
        .map(|(code, row, col)| Tile {
            name: crate::report::province_name(&code, Boundary::B2008),
            value: values.get(&code).copied(),
            code,
            row,
            col,
        })
        .collect()
}

/// The map of the employment index in the year `s` summarises (the latest), titled by how many
/// provinces were above the year before; the source line names that year's data tables.
pub fn prepare(index: &[IndexValue], s: &YearSummary, sources: &[String], lang: Lang) -> RealChart {
    let values = by_year(index, IndexMeasure::EmploymentIndex)
        .remove(&s.year)
        .unwrap_or_default();
    let tiles = map_tiles(&values);
    let mut csv = Csv::new(&[
        "province_code",
        "province_name",
        "row",
        "col",
        "employment_index",
    ]);
    for t in &tiles {
        csv.row(vec![
            t.code.clone(),
            t.name.clone(),
            t.row.to_string(),
            t.col.to_string(),
            t.value.map(|v| v.to_string()).unwrap_or_default(),
        ]);
    }
    RealChart {
        name: "employment_map",
        title: trf(
            lang,
            rt::T_MAP,
            &[
                ("above", &s.above.to_string()),
                ("n", &s.provinces.to_string()),
                ("prev", &(s.year - 1).to_string()),
            ],
        ),
        subtitle: trf(lang, rt::S_MAP, &[("year", &s.year.to_string())]),
        source: source_line(lang, sources, |f| {
            f.contains(&s.year.to_string()) && f.ends_with(".xlsx")
        }),
        plot: Plot::Map {
            tiles,
            year: s.year,
        },
        csv,
    }
}

/// Draws the legend row and the tiles between `top` and `bottom`.
pub(super) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    tiles: &[Tile],
    year: i32,
    (top, bottom): (i32, i32),
    w: i32,
    lang: Lang,
) -> DR {
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
        x += 44 + text_width(root, label, 14.0) as i32;
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
        let name = wrap(root, &t.name, 11.0, (cell_w - 8).max(0) as u32);
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
