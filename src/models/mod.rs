//! Linear models on tables: the formula language, reading CSV/Parquet model data, turning a
//! polars `DataFrame` into the `stats::feols` problem, and presenting results (`model --format
//! json` as CONTRACT.md defines it, and an etable-like text table). The numerics live in
//! `crate::stats`; this module is the glue that knows column names and files.

pub mod data;
pub mod event_study;
pub mod formula;
pub mod province;
pub mod sector;
pub mod stage;

use crate::error::{Error, Result};
use crate::stats::bootstrap::{self, BootWeights, BootstrapResult};
use crate::stats::feols::{self, Column, FeolsSpec, Groups, Term, Vcov};
use data::{Coded, MISSING_CODE};
use formula::{Formula, RhsTerm};
use polars::prelude::DataFrame;
use serde::Serialize;
use serde::ser::SerializeMap;
use std::path::Path;

pub use data::read_table;

/// Variance estimator named as on the command line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum VcovSpec {
    #[default]
    Iid,
    Hetero,
    /// One or two cluster columns.
    Cluster(Vec<String>),
}

impl VcovSpec {
    /// Parses `iid`, `hetero` (or `hc1`), `cluster:VAR` or `cluster:VAR1+VAR2`.
    pub fn parse(text: &str) -> Result<VcovSpec> {
        let t = text.trim();
        match t.to_ascii_lowercase().as_str() {
            "iid" => return Ok(VcovSpec::Iid),
            "hetero" | "hc1" => return Ok(VcovSpec::Hetero),
            _ => {}
        }
        if let Some(rest) = t.strip_prefix("cluster:") {
            let vars: Vec<String> = rest.split('+').map(|s| s.trim().to_string()).collect();
            if vars.iter().any(String::is_empty) || vars.is_empty() || vars.len() > 2 {
                return Err(Error::Usage(format!(
                    "--vcov {text}: name one or two cluster columns, as cluster:VAR or cluster:VAR1+VAR2"
                )));
            }
            return Ok(VcovSpec::Cluster(vars));
        }
        Err(Error::Usage(format!(
            "--vcov {text}: expected iid, hetero, cluster:VAR or cluster:VAR1+VAR2"
        )))
    }
}

impl std::fmt::Display for VcovSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VcovSpec::Iid => write!(f, "iid"),
            VcovSpec::Hetero => write!(f, "hetero"),
            VcovSpec::Cluster(v) => write!(f, "cluster:{}", v.join("+")),
        }
    }
}

/// A restricted wild cluster bootstrap for one coefficient (null: coefficient = 0).
#[derive(Debug, Clone, PartialEq)]
pub struct BootstrapSpec {
    pub term: String,
    pub draws: usize,
    pub seed: u64,
    pub weights: BootWeights,
    /// Cluster column; defaults to the first cluster variable of the vcov.
    pub cluster: Option<String>,
}

impl BootstrapSpec {
    pub fn new(term: impl Into<String>) -> Self {
        BootstrapSpec {
            term: term.into(),
            draws: bootstrap::DEFAULT_DRAWS,
            seed: 20_201_126,
            weights: BootWeights::Webb,
            cluster: None,
        }
    }
}

/// How to fit.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelOptions {
    pub vcov: VcovSpec,
    pub drop_singletons: bool,
    pub tol: f64,
    pub bootstrap: Option<BootstrapSpec>,
}

impl Default for ModelOptions {
    fn default() -> Self {
        ModelOptions {
            vcov: VcovSpec::Iid,
            drop_singletons: true,
            tol: feols::DEFAULT_TOL,
            bootstrap: None,
        }
    }
}

/// Rows left out of the fit, by reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Dropped {
    pub missing: usize,
    pub singletons: usize,
}

/// Name → level count, serialised as a JSON object that keeps the formula's order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FixedEffectCounts(pub Vec<(String, usize)>);

impl Serialize for FixedEffectCounts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// A fitted model in the `model --format json` shape of CONTRACT.md.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelResult {
    pub formula: String,
    pub nobs: usize,
    pub dropped: Dropped,
    pub fixed_effects: FixedEffectCounts,
    pub vcov: String,
    pub df_t: u64,
    pub r2: f64,
    pub r2_within: Option<f64>,
    pub coefficients: Vec<Term>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub collinear: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bootstrap: Option<BootstrapResult>,
}

impl ModelResult {
    pub fn coefficient(&self, term: &str) -> Option<&Term> {
        self.coefficients.iter().find(|t| t.term == term)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
}

/// The numeric problem built from a table and a formula: owned columns plus the row mask.
pub struct ModelData {
    pub formula: Formula,
    pub y: Vec<f64>,
    pub x: Vec<(String, Vec<f64>)>,
    pub fe: Vec<(String, Vec<u32>)>,
    pub clusters: Vec<(String, Vec<u32>)>,
    /// Rows with no missing value in any column the model uses.
    pub complete: Vec<bool>,
    pub missing: usize,
}

impl ModelData {
    /// The `stats` spec over these columns.
    pub fn spec(&self, opts: &ModelOptions) -> FeolsSpec<'_> {
        let mut spec = FeolsSpec::new(
            Column {
                name: &self.formula.lhs,
                values: &self.y,
            },
            self.x
                .iter()
                .map(|(n, v)| Column { name: n, values: v })
                .collect(),
            self.fe
                .iter()
                .map(|(n, c)| Groups { name: n, codes: c })
                .collect(),
        );
        spec.vcov = match opts.vcov {
            VcovSpec::Iid => Vcov::Iid,
            VcovSpec::Hetero => Vcov::Hetero,
            VcovSpec::Cluster(_) => Vcov::Cluster(
                self.clusters
                    .iter()
                    .map(|(n, c)| Groups { name: n, codes: c })
                    .collect(),
            ),
        };
        spec.drop_singletons = opts.drop_singletons;
        spec.tol = opts.tol;
        spec.keep = Some(&self.complete);
        spec
    }
}

fn unknown_column(df: &DataFrame, formula: &Formula, name: &str) -> Error {
    let available: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    let at = formula
        .position_of(name)
        .map(|p| format!(" (position {p} of the formula)"))
        .unwrap_or_default();
    Error::Model(format!(
        "unknown column {name}{at}; the data has: {}",
        available.join(", ")
    ))
}

fn combine_codes(parts: &[Coded]) -> Vec<u32> {
    let mut codes = parts[0].codes.clone();
    for p in &parts[1..] {
        let mut map = std::collections::HashMap::new();
        for (c, &d) in codes.iter_mut().zip(&p.codes) {
            if *c == MISSING_CODE || d == MISSING_CODE {
                *c = MISSING_CODE;
                continue;
            }
            let next = map.len() as u32;
            *c = *map.entry((*c, d)).or_insert(next);
        }
    }
    codes
}

/// Expands `i(var[, by], ref = …)` into indicator columns named `var::level[:by]`.
fn indicator_columns(
    df: &DataFrame,
    var: &str,
    by: Option<&str>,
    refs: &[String],
) -> Result<Vec<(String, Vec<f64>)>> {
    let col = df
        .column(var)
        .map_err(|_| Error::Model(format!("no column named {var}")))?;
    // Numeric levels are named as fixest prints numbers (`-3`, not `-3.0`).
    let labels: Vec<Option<String>> = if col.dtype().is_primitive_numeric() {
        data::numeric(df, var)?
            .into_iter()
            .map(|v| (!v.is_nan()).then(|| formula::format_level(v)))
            .collect()
    } else {
        let coded = data::groups(df, var)?;
        coded
            .codes
            .iter()
            .map(|&c| (c != MISSING_CODE).then(|| coded.labels[c as usize].clone()))
            .collect()
    };
    let mut distinct: Vec<String> = Vec::new();
    {
        let mut seen = std::collections::HashSet::new();
        for l in labels.iter().flatten() {
            if seen.insert(l.as_str()) {
                distinct.push(l.clone());
            }
        }
    }
    for r in refs {
        if !distinct.contains(r) {
            return Err(Error::Model(format!(
                "i({var}): reference level {r} does not occur in column {var}"
            )));
        }
    }
    let order = data::sorted_levels(&distinct);
    let weights = by.map(|b| data::numeric(df, b)).transpose()?;
    let mut out = Vec::new();
    for idx in order {
        let level = &distinct[idx];
        if refs.contains(level) {
            continue;
        }
        let name = match by {
            Some(b) => format!("{var}::{level}:{b}"),
            None => format!("{var}::{level}"),
        };
        let values: Vec<f64> = labels
            .iter()
            .enumerate()
            .map(|(i, l)| match l {
                None => f64::NAN,
                Some(l) => {
                    let w = weights.as_ref().map_or(1.0, |w| w[i]);
                    if l == level { w } else { 0.0 * w }
                }
            })
            .collect();
        out.push((name, values));
    }
    Ok(out)
}

/// Builds the numeric problem: checks every column exists, reads values, marks missing rows.
pub fn model_data(df: &DataFrame, formula_text: &str, opts: &ModelOptions) -> Result<ModelData> {
    let formula = formula::parse(formula_text)?;
    let has = |n: &str| df.column(n).is_ok();
    for c in formula.columns() {
        if !has(&c) {
            return Err(unknown_column(df, &formula, &c));
        }
    }
    let cluster_names: Vec<String> = match &opts.vcov {
        VcovSpec::Cluster(v) => v.clone(),
        _ => Vec::new(),
    };
    for c in &cluster_names {
        if !has(c) {
            return Err(Error::Model(format!(
                "unknown cluster column {c} in --vcov; the data has: {}",
                df.get_column_names()
                    .iter()
                    .map(|s| s.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    let y = data::numeric(df, &formula.lhs)?;
    let mut x: Vec<(String, Vec<f64>)> = Vec::new();
    for t in &formula.rhs {
        match t {
            RhsTerm::Var(v) => x.push((v.clone(), data::numeric(df, v)?)),
            RhsTerm::Indicator { var, by, refs } => {
                x.extend(indicator_columns(df, var, by.as_deref(), refs)?)
            }
        }
    }
    {
        let mut seen = std::collections::HashSet::new();
        for (n, _) in &x {
            if !seen.insert(n.as_str()) {
                return Err(Error::Model(format!(
                    "term {n} appears twice in the formula"
                )));
            }
        }
    }
    let mut fe = Vec::new();
    for parts in &formula.fixed_effects {
        let coded: Vec<Coded> = parts
            .iter()
            .map(|p| data::groups(df, p))
            .collect::<Result<_>>()?;
        fe.push((Formula::fe_name(parts), combine_codes(&coded)));
    }
    let mut clusters = Vec::new();
    for c in &cluster_names {
        clusters.push((c.clone(), data::groups(df, c)?.codes));
    }
    let n = y.len();
    let mut complete = vec![true; n];
    let mut missing = 0;
    for (i, ok) in complete.iter_mut().enumerate() {
        let bad = y[i].is_nan()
            || x.iter().any(|(_, v)| v[i].is_nan())
            || fe.iter().any(|(_, c)| c[i] == MISSING_CODE)
            || clusters.iter().any(|(_, c)| c[i] == MISSING_CODE);
        if bad {
            *ok = false;
            missing += 1;
        }
    }
    Ok(ModelData {
        formula,
        y,
        x,
        fe,
        clusters,
        complete,
        missing,
    })
}

/// Fits `formula` on `df`. Bad formulas and unknown columns are `Error::Model`.
pub fn fit_formula(df: &DataFrame, formula: &str, opts: &ModelOptions) -> Result<ModelResult> {
    fit_model_data(&model_data(df, formula, opts)?, opts)
}

/// Fits a prepared problem (lets a caller free the table before the numerics start).
pub fn fit_model_data(md: &ModelData, opts: &ModelOptions) -> Result<ModelResult> {
    let spec = md.spec(opts);
    let fit = feols::feols(&spec)?;
    let boot = match &opts.bootstrap {
        None => None,
        Some(b) => Some(run_bootstrap(md, &spec, b)?),
    };
    Ok(ModelResult {
        formula: md.formula.text.clone(),
        nobs: fit.nobs,
        dropped: Dropped {
            missing: md.missing,
            singletons: fit.n_singletons,
        },
        fixed_effects: FixedEffectCounts(fit.fe_levels.clone()),
        vcov: opts.vcov.to_string(),
        df_t: fit.df_t.round().max(0.0) as u64,
        r2: fit.r2,
        r2_within: fit.r2_within,
        coefficients: fit.terms,
        collinear: fit.collinear,
        bootstrap: boot,
    })
}

fn run_bootstrap(md: &ModelData, spec: &FeolsSpec, b: &BootstrapSpec) -> Result<BootstrapResult> {
    let cluster_name = match (&b.cluster, md.clusters.first()) {
        (Some(c), _) => c.clone(),
        (None, Some((c, _))) => c.clone(),
        (None, None) => {
            return Err(Error::Model(
                "the wild cluster bootstrap needs a cluster column: use --vcov cluster:VAR".into(),
            ));
        }
    };
    let codes: Vec<u32> = match md.clusters.iter().find(|(n, _)| *n == cluster_name) {
        Some((_, c)) => c.clone(),
        None => {
            return Err(Error::Model(format!(
                "bootstrap cluster column {cluster_name} must also be the --vcov cluster column"
            )));
        }
    };
    let opts = bootstrap::WildOptions {
        draws: b.draws,
        seed: b.seed,
        weights: b.weights,
        ..Default::default()
    };
    Ok(bootstrap::wild_cluster(
        spec,
        &b.term,
        Groups {
            name: &cluster_name,
            codes: &codes,
        },
        &opts,
    )?)
}

/// Randomization inference for `term` of `formula`: its values are permuted between the levels
/// of column `unit` (whole paths over column `time` when given); see `stats::ri`.
pub fn randomization_inference(
    df: &DataFrame,
    formula: &str,
    opts: &ModelOptions,
    term: &str,
    unit: &str,
    time: Option<&str>,
    ri: &crate::stats::ri::RiOptions,
) -> Result<crate::stats::ri::RiResult> {
    let md = model_data(df, formula, opts)?;
    for c in std::iter::once(unit).chain(time) {
        if df.column(c).is_err() {
            return Err(Error::Model(format!(
                "unknown column {c} for randomization inference"
            )));
        }
    }
    let unit_codes = data::groups(df, unit)?.codes;
    let time_codes = time.map(|t| data::groups(df, t)).transpose()?;
    // Rows missing the unit or time cannot be permuted; leave them out like other missing rows.
    let mut complete = md.complete.clone();
    for (i, ok) in complete.iter_mut().enumerate() {
        if unit_codes[i] == MISSING_CODE
            || time_codes
                .as_ref()
                .is_some_and(|t| t.codes[i] == MISSING_CODE)
        {
            *ok = false;
        }
    }
    let mut spec = md.spec(opts);
    spec.keep = Some(&complete);
    Ok(crate::stats::ri::randomization_inference(
        &spec,
        term,
        Groups {
            name: unit,
            codes: &unit_codes,
        },
        time_codes.as_ref().map(|t| t.codes.as_slice()),
        ri,
    )?)
}

/// `khuyencong model`: reads the data, fits, and returns the text to print.
pub fn run_model_command(
    data: &Path,
    formula: &str,
    vcov: &str,
    fixef_rm: &str,
    format: &str,
    bootstrap: Option<BootstrapSpec>,
) -> Result<String> {
    let vcov = VcovSpec::parse(vcov)?;
    let drop_singletons = match fixef_rm {
        "singleton" | "singletons" => true,
        "none" => false,
        other => {
            return Err(Error::Usage(format!(
                "--fixef-rm {other}: expected singleton or none"
            )));
        }
    };
    if !matches!(format, "table" | "json") {
        return Err(Error::Usage(format!(
            "--format {format}: expected table or json"
        )));
    }
    // Parse before reading so a typo is reported without waiting for a large file.
    formula::parse(formula)?;
    let clock = std::time::Instant::now();
    let df = read_table(data)?;
    tracing::debug!(
        rows = df.height(),
        secs = clock.elapsed().as_secs_f64(),
        "model: read data"
    );
    let opts = ModelOptions {
        vcov,
        drop_singletons,
        tol: feols::DEFAULT_TOL,
        bootstrap,
    };
    let md = model_data(&df, formula, &opts)?;
    // The model holds its own columns now; the table's memory can go before the numerics.
    drop(df);
    tracing::debug!(
        secs = clock.elapsed().as_secs_f64(),
        "model: columns extracted"
    );
    let res = fit_model_data(&md, &opts)?;
    tracing::debug!(secs = clock.elapsed().as_secs_f64(), "model: fitted");
    Ok(match format {
        "json" => res.to_json(),
        _ => format_table(std::slice::from_ref(&res)),
    })
}

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
    fn vcov_spec_parses_and_prints_back() {
        assert_eq!(VcovSpec::parse("iid").unwrap(), VcovSpec::Iid);
        assert_eq!(VcovSpec::parse("HC1").unwrap(), VcovSpec::Hetero);
        let two = VcovSpec::parse("cluster:province_code + year").unwrap();
        assert_eq!(
            two,
            VcovSpec::Cluster(vec!["province_code".into(), "year".into()])
        );
        assert_eq!(two.to_string(), "cluster:province_code+year");
        for bad in ["cluster:", "cluster:a+b+c", "robust", "cluster:a+"] {
            let e = VcovSpec::parse(bad).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{bad}");
        }
    }

    #[test]
    fn fixed_effects_serialise_in_formula_order() {
        let f = FixedEffectCounts(vec![("year".into(), 15), ("province_code".into(), 63)]);
        assert_eq!(
            serde_json::to_string(&f).unwrap(),
            r#"{"year":15,"province_code":63}"#
        );
    }

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
