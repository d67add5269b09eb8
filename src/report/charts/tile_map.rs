//! The chart flag_map: every province as a tile on a grid map, coloured and marked by its status.

use super::kit::GREY;
use super::kit::*;
use super::{Plot, Prepared};
use crate::contract::vocab::FlagStatus;
use crate::report::findings::Findings;
use crate::report::i18n::{self, K, t, tf};
use crate::report::{Lang, ReportContext, province_name};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

pub struct TileMap {
    /// (row, col, name, status)
    pub tiles: Vec<(i32, i32, String, Option<FlagStatus>)>,
    pub flagged_names: Vec<String>,
}

impl TileMap {
    /// Pixels: wide enough for the legend, tall enough for every tile row.
    pub(super) fn size(&self) -> (u32, u32) {
        let rows = self.tiles.iter().map(|t| t.0).max().unwrap_or(0) + 1;
        (1100, (rows as u32 * 48 + 200).clamp(800, 1400))
    }

    pub(super) fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        inner: &DrawingArea<DB, Shift>,
        lang: Lang,
    ) -> DR {
        let TileMap {
            tiles,
            flagged_names,
        } = self;
        let (w, h) = inner.dim_in_pixel();
        let (xr, yr) = inner.get_pixel_range();
        let rows = tiles.iter().map(|t| t.0).max().unwrap_or(0) + 1;
        let cols = tiles.iter().map(|t| t.1).max().unwrap_or(0) + 1;
        let map_w = (w as i32 * 62 / 100).max(1);
        let cell_w = map_w / cols;
        let cell_h = (h as i32 / rows).min(cell_w);
        for (r, c, name, status) in tiles {
            let (shape, color, fill) = status_style(*status);
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
            .map(|s| Some(*s))
            .chain([None])
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
}

/// The chart's numbers, frame and CSV.
pub(super) fn prepare(facts: &Findings, ctx: &ReportContext, frame: &FrameFn) -> Prepared {
    let lang = ctx.lang;
    let mut csv = Csv::new(&["province_code", "province_name", "row", "col", "status"]);
    let tiles: Vec<(i32, i32, String, Option<FlagStatus>)> = tile_layout(ctx.boundary)
        .into_iter()
        .map(|(code, r, c)| {
            let status = facts.status_by_province.get(&code).copied();
            let name = province_name(&code, ctx.boundary);
            csv.row(vec![
                code,
                name.clone(),
                r.to_string(),
                c.to_string(),
                status
                    .map(FlagStatus::as_str)
                    .unwrap_or_default()
                    .to_string(),
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
        plot: Plot::TileMap(TileMap {
            tiles,
            flagged_names,
        }),
        csv,
    }
}
