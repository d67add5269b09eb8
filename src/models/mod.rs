//! Linear models on tables: the formula language, reading CSV/Parquet model data, turning a
//! polars `DataFrame` into the `stats::feols` problem, and presenting results (`model --format
//! json` as docs/MODEL.md defines it, and an etable-like text table). The numerics live in
//! `crate::stats`; this module is the glue that knows column names and files.

mod command;
pub mod data;
mod effect;
pub mod event_study;
pub mod expr;
pub mod formula;
mod params;
pub mod pilot;
pub mod province;
pub mod sector;
pub mod stage;
mod table;

pub use command::{ModelCommand, RiSpec, parse_panel_id, run_model_command};
pub use effect::{Unit, UnitEffect};
pub use params::{ModelSpec, ModelsParams};
pub use table::format_table;

use crate::error::{Error, Result};
use crate::stats::bootstrap::{self, BootWeights, BootstrapResult};
use crate::stats::feols::{self, Column, FeolsSpec, Groups, Term, Vcov};
use data::{Coded, MISSING_CODE};
use formula::{Formula, RhsTerm};
use polars::prelude::DataFrame;
use serde::Serialize;
use serde::ser::SerializeMap;

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
            seed: crate::stats::DEFAULT_SEED,
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
    /// Most demeaning iterations before giving up (reported as `converged: false`).
    pub max_iter: usize,
    pub bootstrap: Option<BootstrapSpec>,
    /// Column of observation weights (weighted least squares).
    pub weights: Option<String>,
    /// The panel's unit and time columns, for `l()` and `f()` in formulas.
    pub panel_id: Option<(String, String)>,
    /// Small-sample conventions (fixest's defaults unless changed).
    pub ssc: feols::Ssc,
}

/// Parses `--ssc fixef.K=nested|full|none,cluster.adj=true|false,dist=t|normal` (any subset, in
/// any order; what is not named keeps fixest's default).
pub fn parse_ssc(text: &str) -> Result<feols::Ssc> {
    let mut ssc = feols::Ssc::default();
    let bad = |part: &str| {
        Error::Usage(format!(
            "--ssc {text}: cannot read \"{part}\"; use fixef.K=nested|full|none, \
             cluster.adj=true|false, dist=t|normal, separated by commas"
        ))
    };
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (key, value) = part.split_once('=').ok_or_else(|| bad(part))?;
        match (key.trim(), value.trim()) {
            ("fixef.K", "nested") => ssc.fixef_k = feols::FixefK::Nested,
            ("fixef.K", "full") => ssc.fixef_k = feols::FixefK::Full,
            ("fixef.K", "none") => ssc.fixef_k = feols::FixefK::None,
            ("cluster.adj", "true" | "TRUE") => ssc.cluster_adj = true,
            ("cluster.adj", "false" | "FALSE") => ssc.cluster_adj = false,
            ("dist", "t") => ssc.normal = false,
            ("dist", "normal") => ssc.normal = true,
            _ => return Err(bad(part)),
        }
    }
    Ok(ssc)
}

/// The small-sample conventions and factor a fit used, as `model --format json` reports them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SscReport {
    pub fixef_k: feols::FixefK,
    pub cluster_adj: bool,
    pub dist: &'static str,
    /// K of (N−1)/(N−K), and the factor the variance was multiplied by.
    pub k: usize,
    pub factor: f64,
}

impl SscReport {
    pub fn of(fit: &feols::FeolsFit) -> Self {
        SscReport {
            fixef_k: fit.ssc.fixef_k,
            cluster_adj: fit.ssc.cluster_adj,
            dist: if fit.ssc.normal { "normal" } else { "t" },
            k: fit.df_k,
            factor: fit.ssc_factor,
        }
    }
}

impl Default for ModelOptions {
    fn default() -> Self {
        ModelOptions {
            vcov: VcovSpec::Iid,
            drop_singletons: true,
            tol: feols::DEFAULT_TOL,
            max_iter: feols::DEFAULT_MAX_ITER,
            bootstrap: None,
            weights: None,
            panel_id: None,
            ssc: feols::Ssc::default(),
        }
    }
}

/// Rows left out of the fit, by reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Dropped {
    pub missing: usize,
    pub singletons: usize,
    /// Rows with weight zero (left out, as fixest does).
    #[serde(skip_serializing_if = "is_zero")]
    pub zero_weight: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
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

/// A fitted model in the `model --format json` shape (docs/MODEL.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelResult {
    pub formula: String,
    pub nobs: usize,
    pub dropped: Dropped,
    pub fixed_effects: FixedEffectCounts,
    pub vcov: String,
    /// Weight column, when the fit is weighted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weights: Option<String>,
    pub df_t: u64,
    pub r2: f64,
    pub r2_within: Option<f64>,
    pub coefficients: Vec<Term>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub collinear: Vec<String>,
    /// Whether the fixed-effect demeaning converged, and its iterations (largest over columns).
    pub converged: bool,
    pub iterations: usize,
    pub ssc: SscReport,
    /// A two-way clustered variance had negative eigenvalues set to zero (fixest ≥ 0.13).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub eigenvalue_fix: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bootstrap: Option<BootstrapResult>,
    /// For a `sunab()` model: the cohort × period estimates behind the aggregated terms, the
    /// joint pre-trend test and the always-treated cohorts left out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sunab: Option<SunabDetail>,
    /// Randomization inference for one term (`--ri`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ri: Option<crate::stats::ri::RiResult>,
}

/// What a `sunab()` model reports beside its aggregated terms.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SunabDetail {
    pub cohort_terms: Vec<Term>,
    pub pretrend: Option<crate::stats::wald::WaldTest>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pretrend_note: Option<String>,
    pub always_treated: Vec<i64>,
    pub always_treated_rows: usize,
}

/// Fits a formula holding `sunab(cohort, period)`: the other right-hand terms must be plain
/// columns (controls) and the fixed effects are absorbed as written.
fn fit_sunab(df: &DataFrame, f: &Formula, opts: &ModelOptions) -> Result<ModelResult> {
    let mut sunab = None;
    let mut controls = Vec::new();
    for t in &f.rhs {
        match t {
            RhsTerm::SunAb { cohort, period } if sunab.is_none() => {
                sunab = Some((cohort.clone(), period.clone()))
            }
            RhsTerm::Var(v) => controls.push(v.clone()),
            _ => {
                return Err(Error::Model(
                    "with sunab(), the other terms must be plain columns (one sunab() per model)"
                        .into(),
                ));
            }
        }
    }
    let Some((cohort, period)) = sunab else {
        return Err(Error::Model("no sunab() term".into()));
    };
    if f.fixed_effects.is_empty() {
        return Err(Error::Model(
            "sunab() needs fixed effects, usually the unit and the period: y ~ sunab(cohort, \
             period) | unit + period"
                .into(),
        ));
    }
    if opts.weights.is_some() {
        return Err(Error::Model(
            "sunab() with --weights is not supported; fit without weights".into(),
        ));
    }
    let mut spec = event_study::SunAbraham::new(&f.lhs, &f.fixed_effects[0][0], &period, &cohort);
    spec.controls = controls;
    spec.vcov = opts.vcov.clone();
    spec.fixed_effects = Some(f.fixed_effects.clone());
    let es = event_study::sun_abraham(df, &spec)?;
    let mut model = es.model;
    model.formula = f.text.clone();
    if let Some(b) = &opts.bootstrap {
        model.bootstrap = Some(event_study::wild_aggregate(df, &spec, &b.term, b)?);
    }
    model.sunab = Some(SunabDetail {
        cohort_terms: es.cohort_terms,
        pretrend: es.pretrend,
        pretrend_note: es.pretrend_note,
        always_treated: es.always_treated,
        always_treated_rows: es.always_treated_rows,
    });
    Ok(model)
}

fn has_sunab(f: &Formula) -> bool {
    f.rhs.iter().any(|t| matches!(t, RhsTerm::SunAb { .. }))
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
    pub weights: Option<Vec<f64>>,
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
        spec.max_iter = opts.max_iter;
        spec.keep = Some(&self.complete);
        spec.weights = self.weights.as_deref();
        spec.ssc = opts.ssc;
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

pub(crate) fn combine_codes(parts: &[Coded]) -> Vec<u32> {
    combine_code_columns(parts.iter().map(|p| p.codes.clone()).collect())
}

/// The interaction of group-code columns (one column: itself, not copied): equal tuples share
/// a code, and a row missing any part is missing.
fn combine_code_columns(mut parts: Vec<Vec<u32>>) -> Vec<u32> {
    let rest = parts.split_off(1.min(parts.len()));
    let mut codes = parts.pop().unwrap_or_default();
    for p in &rest {
        let mut map = std::collections::HashMap::new();
        for (c, &d) in codes.iter_mut().zip(p) {
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

/// The outcome and the regressor columns of a formula (terms checked to be distinct).
#[allow(clippy::type_complexity)]
fn numeric_columns(
    df: &DataFrame,
    formula: &Formula,
    opts: &ModelOptions,
) -> Result<(Vec<f64>, Vec<(String, Vec<f64>)>)> {
    let y = data::numeric(df, &formula.lhs)?;
    let needs_panel = formula
        .rhs
        .iter()
        .any(|t| matches!(t, RhsTerm::Numeric(e) if e.has_lag()));
    let panel = match (&opts.panel_id, needs_panel) {
        (Some((u, t)), true) => Some(expr::PanelIndex::new(df, u, t)?),
        _ => None,
    };
    let mut x: Vec<(String, Vec<f64>)> = Vec::new();
    for t in &formula.rhs {
        match t {
            RhsTerm::Numeric(e) => x.push((e.name(), expr::eval(e, df, panel.as_ref())?)),
            RhsTerm::Var(v) => x.push((v.clone(), data::numeric(df, v)?)),
            RhsTerm::SunAb { .. } => {
                return Err(Error::Model(
                    "sunab() is fitted by fit_formula, not as a column".into(),
                ));
            }
            RhsTerm::Indicator { var, by, refs } => {
                x.extend(indicator_columns(df, var, by.as_deref(), refs)?)
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    for (n, _) in &x {
        if !seen.insert(n.as_str()) {
            return Err(Error::Model(format!(
                "term {n} appears twice in the formula"
            )));
        }
    }
    Ok((y, x))
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
    // The numeric columns and the group codes are independent: read them on two threads.
    let (numeric, grouped) = rayon::join(
        || numeric_columns(df, &formula, opts),
        || -> Vec<Result<Vec<u32>>> {
            use rayon::prelude::*;
            let names: Vec<&str> = formula
                .fixed_effects
                .iter()
                .flatten()
                .chain(&cluster_names)
                .map(String::as_str)
                .collect();
            names.par_iter().map(|c| data::group_codes(df, c)).collect()
        },
    );
    let (y, x) = numeric?;
    let mut grouped = grouped.into_iter();
    let mut fe = Vec::new();
    for parts in &formula.fixed_effects {
        let coded: Vec<Vec<u32>> = grouped.by_ref().take(parts.len()).collect::<Result<_>>()?;
        fe.push((Formula::fe_name(parts), combine_code_columns(coded)));
    }
    let mut clusters = Vec::new();
    for (c, codes) in cluster_names.iter().zip(grouped) {
        clusters.push((c.clone(), codes?));
    }
    let weights = match &opts.weights {
        None => None,
        Some(w) => {
            if !has(w) {
                return Err(Error::Model(format!(
                    "unknown weight column {w} in --weights; the data has: {}",
                    df.get_column_names()
                        .iter()
                        .map(|s| s.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
            let v = data::numeric(df, w)?;
            if let Some(i) = v.iter().position(|x| *x < 0.0) {
                return Err(Error::Model(format!(
                    "weight column {w}: negative weight {} in data row {}; weights must be zero \
                     (row left out) or positive",
                    v[i],
                    i + 1
                )));
            }
            Some(v)
        }
    };
    // Column by column (each pass vectorises), the same rows as testing every column per row.
    let n = y.len();
    let mut complete = vec![true; n];
    let mut mark_f64 = |v: &[f64]| {
        for (ok, x) in complete.iter_mut().zip(v) {
            *ok &= !x.is_nan();
        }
    };
    mark_f64(&y);
    for (_, v) in &x {
        mark_f64(v);
    }
    if let Some(w) = &weights {
        mark_f64(w);
    }
    for (_, c) in fe.iter().chain(&clusters) {
        for (ok, &code) in complete.iter_mut().zip(c) {
            *ok &= code != MISSING_CODE;
        }
    }
    let missing = complete.iter().filter(|ok| !**ok).count();
    Ok(ModelData {
        formula,
        y,
        x,
        fe,
        clusters,
        weights,
        complete,
        missing,
    })
}

/// Fits `formula` on `df`. Bad formulas and unknown columns are `Error::Model`.
pub fn fit_formula(df: &DataFrame, formula: &str, opts: &ModelOptions) -> Result<ModelResult> {
    let f = formula::parse(formula)?;
    if has_sunab(&f) {
        return fit_sunab(df, &f, opts);
    }
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
            zero_weight: fit.n_zero_weight,
        },
        fixed_effects: FixedEffectCounts(fit.fe_levels.clone()),
        vcov: opts.vcov.to_string(),
        weights: opts.weights.clone(),
        df_t: fit.df_t.round().max(0.0) as u64,
        r2: fit.r2,
        r2_within: fit.r2_within,
        converged: fit.converged,
        iterations: fit.demean_iterations,
        ssc: SscReport::of(&fit),
        eigenvalue_fix: fit.eigenvalue_fix,
        coefficients: fit.terms,
        collinear: fit.collinear,
        bootstrap: boot,
        sunab: None,
        ri: None,
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
    randomization_inference_within(df, formula, opts, term, unit, time, None, ri)
}

/// As `randomization_inference`, permuting only among units of the same level of `strata`.
#[allow(clippy::too_many_arguments)]
pub fn randomization_inference_within(
    df: &DataFrame,
    formula: &str,
    opts: &ModelOptions,
    term: &str,
    unit: &str,
    time: Option<&str>,
    strata: Option<&str>,
    ri: &crate::stats::ri::RiOptions,
) -> Result<crate::stats::ri::RiResult> {
    let md = model_data(df, formula, opts)?;
    for c in std::iter::once(unit).chain(time).chain(strata) {
        if df.column(c).is_err() {
            return Err(Error::Model(format!(
                "unknown column {c} for randomization inference"
            )));
        }
    }
    let unit_codes = data::groups(df, unit)?.codes;
    let time_codes = time.map(|t| data::groups(df, t)).transpose()?;
    let strata_codes = strata.map(|s| data::groups(df, s)).transpose()?;
    // Rows missing the unit or time cannot be permuted; leave them out like other missing rows.
    let mut complete = md.complete.clone();
    for (i, ok) in complete.iter_mut().enumerate() {
        if unit_codes[i] == MISSING_CODE
            || time_codes
                .as_ref()
                .is_some_and(|t| t.codes[i] == MISSING_CODE)
            || strata_codes
                .as_ref()
                .is_some_and(|t| t.codes[i] == MISSING_CODE)
        {
            *ok = false;
        }
    }
    let mut spec = md.spec(opts);
    spec.keep = Some(&complete);
    Ok(crate::stats::ri::randomization_inference_within(
        &spec,
        term,
        Groups {
            name: unit,
            codes: &unit_codes,
        },
        time_codes.as_ref().map(|t| t.codes.as_slice()),
        strata.zip(strata_codes.as_ref()).map(|(n, c)| Groups {
            name: n,
            codes: &c.codes,
        }),
        ri,
    )?)
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
}
