//! The text table of `khuyencong model`: models side by side in the manner of fixest's
//! `etable`.

use super::ModelResult;

fn stars(p: f64) -> &'static str {
    if p < 0.01 {
        "***"
    } else if p < 0.05 {
        "**"
    } else if p < 0.1 {
        "*"
    } else {
        ""
    }
}

/// Four significant digits (at least four decimals), scientific notation outside [1e-6, 1e6).
fn num(v: f64) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    let a = v.abs();
    if a == 0.0 {
        return "0".into();
    }
    if !(1e-6..1e6).contains(&a) {
        return format!("{v:.3e}");
    }
    let decimals = if a >= 1.0 {
        4
    } else {
        (3 - a.log10().floor() as i32).max(4) as usize
    };
    format!("{v:.decimals$}")
}

/// A side-by-side table of models in the manner of fixest's `etable`: estimates with
/// significance stars (*** p < 0.01, ** p < 0.05, * p < 0.1), standard errors in parentheses
/// below, then fixed effects, variance type, observations and fit.
pub fn format_table(results: &[ModelResult]) -> String {
    let mut terms: Vec<String> = Vec::new();
    let mut fes: Vec<String> = Vec::new();
    for r in results {
        for t in &r.coefficients {
            if !terms.contains(&t.term) {
                terms.push(t.term.clone());
            }
        }
        for (f, _) in &r.fixed_effects.0 {
            if !fes.contains(f) {
                fes.push(f.clone());
            }
        }
    }
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut header = vec![String::new()];
    header.extend((1..=results.len()).map(|i| format!("({i})")));
    rows.push(header);
    let mut dep = vec!["Dependent var.".to_string()];
    dep.extend(
        results
            .iter()
            .map(|r| crate::text::clean(r.formula.split('~').next().unwrap_or("").trim())),
    );
    rows.push(dep);
    rows.push(vec![]);
    for t in &terms {
        let mut est = vec![crate::text::clean(t)];
        let mut se = vec![String::new()];
        for r in results {
            match r.coefficient(t) {
                Some(c) => {
                    est.push(format!("{}{}", num(c.estimate), stars(c.p_value)));
                    se.push(format!("({})", num(c.std_error)));
                }
                None => {
                    est.push(String::new());
                    se.push(String::new());
                }
            }
        }
        rows.push(est);
        rows.push(se);
    }
    if !fes.is_empty() {
        rows.push(vec!["Fixed-effects".into()]);
        for f in &fes {
            let mut row = vec![crate::text::clean(f)];
            row.extend(results.iter().map(|r| {
                if r.fixed_effects.0.iter().any(|(n, _)| n == f) {
                    "Yes".to_string()
                } else {
                    "No".to_string()
                }
            }));
            rows.push(row);
        }
    }
    rows.push(vec![]);
    type Cell = fn(&ModelResult) -> String;
    let footer: [(&str, Cell); 4] = [
        ("S.E. type", |r| r.vcov.clone()),
        ("Observations", |r| r.nobs.to_string()),
        ("R2", |r| format!("{:.5}", r.r2)),
        ("Within R2", |r| {
            r.r2_within.map(|v| format!("{v:.5}")).unwrap_or_default()
        }),
    ];
    for (label, f) in footer {
        let mut row = vec![label.to_string()];
        row.extend(results.iter().map(f));
        rows.push(row);
    }
    if results.iter().any(|r| r.weights.is_some()) {
        let mut row = vec!["Weights".to_string()];
        row.extend(
            results
                .iter()
                .map(|r| crate::text::clean(r.weights.as_deref().unwrap_or("—"))),
        );
        rows.push(row);
    }
    if results.iter().any(|r| !r.converged) {
        let mut row = vec!["Converged".to_string()];
        row.extend(
            results
                .iter()
                .map(|r| if r.converged { "yes" } else { "NO" }.to_string()),
        );
        rows.push(row);
    }
    for r in results {
        if let Some(b) = &r.bootstrap {
            let mut row = vec![format!("WCR bootstrap p ({})", b.term)];
            // No draw as extreme as the data: the p-value is below one in `draws`.
            let p = if b.p_value == 0.0 && b.draws > 0 {
                format!("< {}", num(1.0 / b.draws as f64))
            } else {
                num(b.p_value)
            };
            row.push(format!("{p} [{}, {}]", num(b.conf_low), num(b.conf_high)));
            rows.push(row);
        }
    }
    for r in results {
        if let Some(ri) = &r.ri {
            rows.push(vec![
                format!("RI p ({}; coef / t)", ri.term),
                format!("{} / {}", num(ri.p_value), num(ri.t_p_value)),
            ]);
        }
    }
    let ncol = results.len() + 1;
    let width = |j: usize| {
        rows.iter()
            .filter_map(|r| r.get(j))
            .map(|s| s.chars().count())
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..ncol).map(width).collect();
    let total: usize = widths.iter().sum::<usize>() + 2 * (ncol - 1);
    let mut out = String::new();
    for r in &rows {
        if r.is_empty() {
            out.push_str(&"_".repeat(total));
            out.push('\n');
            continue;
        }
        let mut line = String::new();
        for (j, cell) in r.iter().enumerate() {
            let pad = widths[j].saturating_sub(cell.chars().count());
            if j == 0 {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            } else {
                line.push_str("  ");
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push_str("---\nSignif. codes: *** 0.01, ** 0.05, * 0.1\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_numbers_keep_four_significant_digits() {
        assert_eq!(num(0.000_394_373_5), "0.0003944");
        assert_eq!(num(0.984_663_3), "0.9847");
        assert_eq!(num(-12.345_67), "-12.3457");
        assert_eq!(num(2.5e-9), "2.500e-9");
        assert_eq!(num(f64::NAN), "—");
        assert_eq!(num(0.0), "0");
    }
}
