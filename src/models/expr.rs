//! Numeric terms of a formula beyond a plain column: products (`x1:x2`), the functions
//! `log()`, `exp()`, `sqrt()`, arithmetic inside `I()` (`+ - * / ^`), and the panel operators
//! `l(x, k)` (lag) and `f(x, k)` (lead). Each term prints under the name fixest gives it
//! (`x1:x2`, `log(x3)`, `I(x2^2)`, `l(x1, 1)`), and evaluates to one value per row, NaN where
//! any input is missing or the result is not finite (a log of zero, a lag whose period is not
//! in the data), so the row is left out like any row with a missing value.

use super::data;
use crate::error::{Error, Result};
use polars::prelude::DataFrame;
use std::collections::HashMap;

/// A numeric expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Col(String),
    Num(f64),
    /// `log`, `exp` or `sqrt`.
    Func(String, Box<Expr>),
    /// `+ - * / ^` inside `I()`.
    Bin(char, Box<Expr>, Box<Expr>),
    Neg(Box<Expr>),
    /// `I(expr)`: arithmetic as written.
    Identity(Box<Expr>),
    /// `l(x, k)` for k > 0, `f(x, k)` stored as k < 0: the value k periods earlier (later) for
    /// the same panel unit.
    Lag(Box<Expr>, i64),
    /// `a:b:…`: the product of its factors.
    Product(Vec<Expr>),
}

fn prec(op: char) -> u8 {
    match op {
        '+' | '-' => 1,
        '*' | '/' => 2,
        _ => 3,
    }
}

impl Expr {
    /// The term name, as fixest prints it.
    pub fn name(&self) -> String {
        match self {
            Expr::Col(c) => c.clone(),
            Expr::Num(v) => super::formula::format_level(*v),
            Expr::Func(f, a) => format!("{f}({})", a.name()),
            Expr::Identity(a) => format!("I({})", a.name()),
            Expr::Neg(a) => match **a {
                Expr::Bin(..) => format!("-({})", a.name()),
                _ => format!("-{}", a.name()),
            },
            Expr::Bin(op, a, b) => {
                let p = prec(*op);
                let wrap = |e: &Expr, right: bool| match e {
                    Expr::Bin(o, ..) if prec(*o) < p || (right && prec(*o) == p && *op != '^') => {
                        format!("({})", e.name())
                    }
                    Expr::Bin(..) if *op == '^' => format!("({})", e.name()),
                    Expr::Neg(_) if *op == '^' && !right => format!("({})", e.name()),
                    _ => e.name(),
                };
                if *op == '^' {
                    format!("{}^{}", wrap(a, false), wrap(b, true))
                } else {
                    format!("{} {op} {}", wrap(a, false), wrap(b, true))
                }
            }
            Expr::Lag(a, k) if *k >= 0 => format!("l({}, {k})", a.name()),
            Expr::Lag(a, k) => format!("f({}, {})", a.name(), -k),
            Expr::Product(parts) => parts.iter().map(Expr::name).collect::<Vec<_>>().join(":"),
        }
    }

    /// True when the expression uses a lag or lead (and so needs the panel's unit and time).
    pub fn has_lag(&self) -> bool {
        match self {
            Expr::Lag(..) => true,
            Expr::Col(_) | Expr::Num(_) => false,
            Expr::Func(_, a) | Expr::Neg(a) | Expr::Identity(a) => a.has_lag(),
            Expr::Bin(_, a, b) => a.has_lag() || b.has_lag(),
            Expr::Product(p) => p.iter().any(Expr::has_lag),
        }
    }
}

/// The panel's unit and time, for lags and leads: row of each (unit, time).
pub struct PanelIndex {
    unit: Vec<u32>,
    time: Vec<i64>,
    at: HashMap<(u32, i64), usize>,
}

impl PanelIndex {
    /// Builds the index from `--panel-id UNIT,TIME`; the time column must hold whole numbers
    /// and each (unit, time) pair may occur once.
    pub fn new(df: &DataFrame, unit: &str, time: &str) -> Result<PanelIndex> {
        for c in [unit, time] {
            if df.column(c).is_err() {
                return Err(Error::Model(format!(
                    "--panel-id: no column named {c} in the data"
                )));
            }
        }
        let u = data::groups(df, unit)?.codes;
        let t = data::numeric(df, time)?;
        let mut at = HashMap::with_capacity(u.len());
        let mut tt = Vec::with_capacity(t.len());
        for (i, (&ui, &ti)) in u.iter().zip(&t).enumerate() {
            if ti.is_nan() || ui == data::MISSING_CODE {
                tt.push(i64::MIN);
                continue;
            }
            if ti.fract() != 0.0 {
                return Err(Error::Model(format!(
                    "--panel-id: time column {time} holds {ti} in data row {}; lags need whole \
                     periods",
                    i + 1
                )));
            }
            let ti = ti as i64;
            tt.push(ti);
            if let Some(prev) = at.insert((ui, ti), i) {
                return Err(Error::Model(format!(
                    "--panel-id: {unit} and {time} repeat in data rows {} and {}; a lag needs \
                     one row per unit and period",
                    prev + 1,
                    i + 1
                )));
            }
        }
        Ok(PanelIndex {
            unit: u,
            time: tt,
            at,
        })
    }
}

/// Evaluates an expression over every row of `df`.
pub fn eval(e: &Expr, df: &DataFrame, panel: Option<&PanelIndex>) -> Result<Vec<f64>> {
    let finite = |v: f64| if v.is_finite() { v } else { f64::NAN };
    Ok(match e {
        Expr::Col(c) => data::numeric(df, c)?,
        Expr::Num(v) => vec![*v; df.height()],
        Expr::Func(f, a) => {
            let g: fn(f64) -> f64 = match f.as_str() {
                "log" => f64::ln,
                "exp" => f64::exp,
                _ => f64::sqrt,
            };
            eval(a, df, panel)?
                .into_iter()
                .map(|v| finite(g(v)))
                .collect()
        }
        Expr::Identity(a) => eval(a, df, panel)?,
        Expr::Neg(a) => eval(a, df, panel)?.into_iter().map(|v| -v).collect(),
        Expr::Bin(op, a, b) => {
            let (x, y) = (eval(a, df, panel)?, eval(b, df, panel)?);
            x.into_iter()
                .zip(y)
                .map(|(u, v)| {
                    finite(match op {
                        '+' => u + v,
                        '-' => u - v,
                        '*' => u * v,
                        '/' => u / v,
                        _ => u.powf(v),
                    })
                })
                .collect()
        }
        Expr::Product(parts) => {
            let mut acc = vec![1.0; df.height()];
            for p in parts {
                for (a, v) in acc.iter_mut().zip(eval(p, df, panel)?) {
                    *a = finite(*a * v);
                }
            }
            acc
        }
        Expr::Lag(a, k) => {
            let Some(p) = panel else {
                return Err(Error::Usage(format!(
                    "{} needs the panel's unit and time: add --panel-id UNIT,TIME",
                    e.name()
                )));
            };
            let v = eval(a, df, panel)?;
            (0..v.len())
                .map(|i| {
                    if p.time[i] == i64::MIN {
                        return f64::NAN;
                    }
                    p.at.get(&(p.unit[i], p.time[i] - k))
                        .map_or(f64::NAN, |&j| v[j])
                })
                .collect()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::{Expr, PanelIndex, eval};
    use polars::prelude::df;

    #[test]
    fn names_follow_fixest() {
        let c = |s: &str| Box::new(Expr::Col(s.into()));
        assert_eq!(
            Expr::Identity(Box::new(Expr::Bin('^', c("x2"), Box::new(Expr::Num(2.0))))).name(),
            "I(x2^2)"
        );
        let sum = Expr::Bin('+', c("a"), c("b"));
        assert_eq!(
            Expr::Identity(Box::new(Expr::Bin('*', Box::new(sum.clone()), c("c")))).name(),
            "I((a + b) * c)"
        );
        assert_eq!(Expr::Bin('-', c("a"), Box::new(sum)).name(), "a - (a + b)");
        assert_eq!(Expr::Func("log".into(), c("w")).name(), "log(w)");
        assert_eq!(Expr::Lag(c("x1"), 1).name(), "l(x1, 1)");
        assert_eq!(Expr::Lag(c("x1"), -2).name(), "f(x1, 2)");
        assert_eq!(
            Expr::Product(vec![Expr::Col("x1".into()), Expr::Col("x2".into())]).name(),
            "x1:x2"
        );
    }

    #[test]
    fn lags_follow_the_panel_not_the_row_order() {
        // Firm 1 skips 2012: its 2013 row has no lag. Rows are not sorted.
        let df = df!(
            "firm" => [1i64, 1, 1, 2, 2],
            "year" => [2013i64, 2010, 2011, 2011, 2010],
            "x" => [13.0, 10.0, 11.0, 21.0, 20.0]
        )
        .unwrap();
        let p = PanelIndex::new(&df, "firm", "year").unwrap();
        let lag = eval(
            &Expr::Lag(Box::new(Expr::Col("x".into())), 1),
            &df,
            Some(&p),
        )
        .unwrap();
        assert!(lag[0].is_nan());
        assert!(lag[1].is_nan());
        assert_eq!(lag[2], 10.0);
        assert_eq!(lag[3], 20.0);
        assert!(lag[4].is_nan());
        let lead = eval(
            &Expr::Lag(Box::new(Expr::Col("x".into())), -1),
            &df,
            Some(&p),
        )
        .unwrap();
        assert_eq!(lead[1], 11.0);
        assert!(lead[2].is_nan());
        let e = eval(&Expr::Lag(Box::new(Expr::Col("x".into())), 1), &df, None).unwrap_err();
        assert!(e.to_string().contains("--panel-id"), "{e}");
        let dup = df!("firm" => [1i64, 1], "year" => [2010i64, 2010], "x" => [1.0, 2.0]).unwrap();
        let e = PanelIndex::new(&dup, "firm", "year").err().unwrap();
        assert!(e.to_string().contains("rows 1 and 2"), "{e}");
    }

    #[test]
    fn log_of_zero_is_missing() {
        let df = df!("w" => [1.0f64, 0.0, std::f64::consts::E]).unwrap();
        let v = eval(
            &Expr::Func("log".into(), Box::new(Expr::Col("w".into()))),
            &df,
            None,
        )
        .unwrap();
        assert_eq!(v[0], 0.0);
        assert!(v[1].is_nan());
        assert!((v[2] - 1.0).abs() < 1e-15);
    }
}
