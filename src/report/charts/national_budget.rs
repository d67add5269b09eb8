//! The real-data chart national_budget: the programme's money by year, national and provincial
//! programmes stacked, a total published as one figure drawn as an outline, derived parts marked;
//! and its preparation from the published budget figures (each period's figure spread over its
//! years, the headline figure in the title).

use super::kit::{BLUE, ORANGE};
use super::kit::{Csv, DR, GREY, LIGHT, d, text, wrap};
use super::real::{Plot, RealChart, source_line};
use crate::report::Lang;
use crate::report::i18n::num;
use crate::report::real_data::BudgetRec;
use crate::report::real_text::{self as rt, tr, trf};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use std::collections::BTreeMap;

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

/// The national budget per year: each national figure of a whole period spread evenly over
/// its years (billion VND a year). Counterpart money, shares and figures without a period are
/// left out.
pub fn budget_bars(rows: &[BudgetRec]) -> Vec<BudgetBar> {
    let mut bars: BTreeMap<i32, BudgetBar> = BTreeMap::new();
    for r in rows {
        let (Some(a), Some(b), Some(amount)) = (r.period_start, r.period_end, r.amount_mvnd) else {
            continue;
        };
        if r.scope != "national" || !r.measure.contains("budget") || b < a {
            continue;
        }
        let per_year = amount / 1000.0 / f64::from(b - a + 1);
        for year in a..=b {
            let bar = bars.entry(year).or_insert(BudgetBar {
                year,
                national: None,
                local: None,
                total: None,
                derived: false,
            });
            let slot = match r.fund.as_str() {
                "national" => &mut bar.national,
                "local" => &mut bar.local,
                "total" => &mut bar.total,
                _ => continue,
            };
            *slot = Some(slot.unwrap_or(0.0) + per_year);
            bar.derived |= r.derived;
        }
    }
    bars.into_values().collect()
}

/// The headline national figure: the largest published (not derived) national total budget,
/// and the national programme's published share of that period, if any.
pub fn headline_budget(rows: &[BudgetRec]) -> Option<(&BudgetRec, Option<f64>)> {
    let head = rows
        .iter()
        .filter(|r| {
            r.scope == "national"
                && r.fund == "total"
                && !r.derived
                && r.measure.contains("budget")
                && r.period_start.is_some()
                && r.period_end.is_some()
        })
        .filter_map(|r| r.amount_mvnd.map(|a| (r, a)))
        .max_by(|a, b| a.1.total_cmp(&b.1))?
        .0;
    let share = rows
        .iter()
        .find(|r| {
            r.scope == "national"
                && r.fund == "national"
                && r.measure.starts_with("share")
                && r.period == head.period
        })
        .and_then(|r| r.value.parse::<f64>().ok());
    Some((head, share))
}

/// The headline figure in billion VND: the whole period's total and its average a year.
pub fn headline_amounts(r: &BudgetRec) -> (f64, f64) {
    let years = f64::from(r.period_end.unwrap_or(0) - r.period_start.unwrap_or(0) + 1);
    let total = r.amount_mvnd.unwrap_or(0.0) / 1000.0;
    (total, total / years)
}

/// The chart of the budget by year, titled by the headline figure; `None` when there is neither
/// a bar nor a headline figure.
pub fn prepare(rows: &[BudgetRec], sources: &[String], lang: Lang) -> Option<RealChart> {
    let bars = budget_bars(rows);
    let n0 = |x: f64| num(lang, x, 0);
    let title = match headline_budget(rows) {
        Some((r, _)) => {
            let (total, avg) = headline_amounts(r);
            trf(
                lang,
                rt::T_BUDGET,
                &[
                    ("period", &r.period),
                    ("total", &n0(total)),
                    ("avg", &n0(avg)),
                ],
            )
        }
        None if bars.is_empty() => return None,
        None => tr(lang, rt::T_BUDGET_NONE).to_string(),
    };
    // Years between the first and last bar without a figure are drawn as such.
    let mut csv = Csv::new(&[
        "year",
        "national_bvnd",
        "local_bvnd",
        "total_bvnd",
        "derived",
    ]);
    let f = |v: Option<f64>| v.map(|v| format!("{v}")).unwrap_or_default();
    for b in &bars {
        csv.row(vec![
            b.year.to_string(),
            f(b.national),
            f(b.local),
            f(b.total),
            b.derived.to_string(),
        ]);
    }
    Some(RealChart {
        name: "national_budget",
        title,
        subtitle: tr(lang, rt::S_BUDGET).to_string(),
        source: source_line(lang, sources, |f| f.contains("budget")),
        plot: Plot::Budget { bars },
        csv,
    })
}

pub(super) fn draw<DB: DrawingBackend>(
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
        for (i, line) in wrap(root, label, 13.0, (legend_w - 40).max(0) as u32)
            .iter()
            .enumerate()
        {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn b(
        id: &str,
        fund: &str,
        measure: &str,
        ps: i32,
        pe: i32,
        amt: f64,
        derived: bool,
    ) -> BudgetRec {
        BudgetRec {
            record_id: id.into(),
            scope: "national".into(),
            geo_name: "Cả nước".into(),
            period_start: Some(ps),
            period_end: Some(pe),
            period: format!("{ps}–{pe}"),
            fund: fund.into(),
            measure: measure.into(),
            value: String::new(),
            unit: String::new(),
            amount_mvnd: Some(amt),
            derived,
            confidence: "medium".into(),
            source_url: String::new(),
        }
    }

    #[test]
    fn budget_bars_spread_a_period_evenly() {
        let mut share = b(
            "N02",
            "national",
            "share_of_total_approved_budget",
            2021,
            2025,
            0.0,
            false,
        );
        share.amount_mvnd = None;
        share.value = "36.6".into();
        let rows = vec![
            b(
                "N01",
                "total",
                "approved_budget",
                2021,
                2025,
                1_436_000.0,
                false,
            ),
            share,
            b(
                "N03",
                "national",
                "approved_budget_derived",
                2021,
                2025,
                525_576.0,
                true,
            ),
            b(
                "N06",
                "counterpart",
                "counterpart_capital_mobilised",
                2014,
                2018,
                9_500_000.0,
                false,
            ),
            b(
                "N07",
                "national",
                "proposed_budget_derived",
                2013,
                2013,
                55_417.0,
                true,
            ),
        ];
        let bars = budget_bars(&rows);
        // 2013 and 2021..=2025; the counterpart money and the share are not budget bars.
        assert_eq!(bars.len(), 6);
        assert_eq!(bars[0].year, 2013);
        assert!((bars[0].national.unwrap() - 55.417).abs() < 1e-9);
        assert_eq!(bars[1].year, 2021);
        // 1,436 billion over five years, by hand: 287.2.
        assert!((bars[1].total.unwrap() - 287.2).abs() < 1e-9);
        assert!((bars[1].national.unwrap() - 105.1152).abs() < 1e-9);
        assert!(bars[1].derived);
        let (head, share) = headline_budget(&rows).unwrap();
        assert_eq!(head.record_id, "N01");
        assert_eq!(share, Some(36.6));
    }

    #[test]
    fn steps_are_round() {
        assert_eq!(nice_step(287.2 * 1.15), 100.0);
        assert_eq!(nice_step(9.0), 2.0);
    }
}
