//! Ordinary least squares with fixed effects absorbed (fixest's `feols`): singleton removal,
//! demeaning, collinearity screening, and iid / heteroskedastic (HC1) / one- and two-way
//! clustered (CRV1) variances with the small-sample conventions of fixest ≥ 0.13 and
//! pyfixest ≥ 0.40:
//!
//! * K = regressors + Σ fixed-effect levels − (number of effects − 1), less the levels of every
//!   effect nested in a cluster variable (each such effect then counts one back);
//! * iid: σ² = RSS/(N−K); hetero: N/(N−K) on the HC0 sandwich; clustered: (N−1)/(N−K) ·
//!   G/(G−1), with G the smallest number of clusters for two-way clustering
//!   (V = V₁ + V₂ − V₁₂, all three with that same factor);
//! * t distribution with N−K degrees of freedom (iid, hetero) or G−1 (clustered).

use super::StatsError;
use super::demean::{Demeaner, Factor, drop_singletons};
use super::linalg;
use statrs::distribution::{ContinuousCDF, StudentsT};

/// A named numeric column.
#[derive(Debug, Clone, Copy)]
pub struct Column<'a> {
    pub name: &'a str,
    pub values: &'a [f64],
}

/// A named integer-coded grouping (a fixed effect or a cluster variable).
#[derive(Debug, Clone, Copy)]
pub struct Groups<'a> {
    pub name: &'a str,
    pub codes: &'a [u32],
}

/// Which variance estimator to use.
#[derive(Debug, Clone)]
pub enum Vcov<'a> {
    Iid,
    Hetero,
    /// One or two cluster variables.
    Cluster(Vec<Groups<'a>>),
}

/// How fixed effects enter K of the small-sample factor (fixest's `fixef.K`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FixefK {
    /// Levels of an effect nested in a cluster variable are not counted (fixest's default).
    #[default]
    Nested,
    /// Every level counts (Stata's `areg`, statsmodels with dummies).
    Full,
    /// No fixed-effect level counts.
    None,
}

/// Small-sample conventions (fixest's `ssc()`): fixest's defaults unless changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Ssc {
    pub fixef_k: FixefK,
    /// G/(G−1) on clustered variances.
    pub cluster_adj: bool,
    /// Normal instead of t distribution for p-values and intervals.
    pub normal: bool,
}

impl Default for Ssc {
    fn default() -> Self {
        Ssc {
            fixef_k: FixefK::Nested,
            cluster_adj: true,
            normal: false,
        }
    }
}

/// What to fit. All slices have the same length N; rows with `keep[i] == false` (if given) are
/// left out before anything else.
#[derive(Debug, Clone)]
pub struct FeolsSpec<'a> {
    pub y: Column<'a>,
    pub regressors: Vec<Column<'a>>,
    pub fixed_effects: Vec<Groups<'a>>,
    pub vcov: Vcov<'a>,
    pub drop_singletons: bool,
    /// Relative convergence tolerance of the demeaning.
    pub tol: f64,
    pub max_iter: usize,
    pub keep: Option<&'a [bool]>,
    /// Observation weights (weighted least squares, as fixest's `weights`): rows with weight 0
    /// are left out (counted in `n_zero_weight`), a negative weight is an error, a missing
    /// (non-finite) weight leaves the row out like any missing value.
    pub weights: Option<&'a [f64]>,
    pub ssc: Ssc,
}

/// Default demeaning tolerance: tight enough to agree with fixest/pyfixest to 1e-8 relative.
pub const DEFAULT_TOL: f64 = 1e-10;
pub const DEFAULT_MAX_ITER: usize = 10_000;
/// Name of the intercept term added when there are no fixed effects (as fixest names it).
pub const INTERCEPT: &str = "(Intercept)";
/// Relative pivot below which a regressor counts as collinear (fixest's `collin.tol`).
pub const COLLIN_TOL: f64 = 1e-10;

impl<'a> FeolsSpec<'a> {
    pub fn new(y: Column<'a>, regressors: Vec<Column<'a>>, fixed_effects: Vec<Groups<'a>>) -> Self {
        FeolsSpec {
            y,
            regressors,
            fixed_effects,
            vcov: Vcov::Iid,
            drop_singletons: true,
            tol: DEFAULT_TOL,
            max_iter: DEFAULT_MAX_ITER,
            keep: None,
            weights: None,
            ssc: Ssc::default(),
        }
    }
}

/// One estimated coefficient with its inference.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Term {
    pub term: String,
    pub estimate: f64,
    pub std_error: f64,
    pub statistic: f64,
    pub p_value: f64,
    pub conf_low: f64,
    pub conf_high: f64,
}

/// The result of `feols`.
#[derive(Debug, Clone)]
pub struct FeolsFit {
    pub terms: Vec<Term>,
    /// Variance matrix of the estimated terms (row-major, `terms.len()²`).
    pub vcov: Vec<f64>,
    pub nobs: usize,
    pub n_singletons: usize,
    /// Rows left out for a zero weight.
    pub n_zero_weight: usize,
    /// Levels of each fixed effect among the rows used, in the order given.
    pub fe_levels: Vec<(String, usize)>,
    /// Degrees of freedom of the t distribution.
    pub df_t: f64,
    /// K of the small-sample correction.
    pub df_k: usize,
    pub r2: f64,
    /// Within R² (None without fixed effects).
    pub r2_within: Option<f64>,
    pub rss: f64,
    /// Regressors dropped as collinear (with other regressors or with the fixed effects).
    pub collinear: Vec<String>,
    /// Per input row: used in the fit.
    pub kept: Vec<bool>,
    /// Residuals of the rows used, in row order.
    pub residuals: Vec<f64>,
    /// Demeaning iterations (largest over the columns) and whether every column converged.
    pub demean_iterations: usize,
    pub converged: bool,
    /// Number of clusters per cluster variable (empty unless clustered).
    pub n_clusters: Vec<usize>,
    /// The factor the variance was multiplied by ((N−1)/(N−K) · G/(G−1) when clustered,
    /// N/(N−K) hetero, 1 iid whose σ² divides by N−K) and the conventions used.
    pub ssc_factor: f64,
    pub ssc: Ssc,
    /// A two-way clustered variance that was not positive semi-definite had its negative
    /// eigenvalues set to zero (as fixest does).
    pub eigenvalue_fix: bool,
}

impl FeolsFit {
    pub fn term(&self, name: &str) -> Option<&Term> {
        self.terms.iter().find(|t| t.term == name)
    }
}

/// The demeaned problem after row selection: what the variance, the bootstrap and
/// randomization inference all work on.
#[derive(Debug)]
pub struct Design {
    pub n_input: usize,
    pub kept: Vec<bool>,
    pub n_singletons: usize,
    pub n_zero_weight: usize,
    /// Weights of the rows used (None: unweighted). `y` and `x` are already multiplied by
    /// their square roots, so ordinary least squares on them is weighted least squares.
    pub weights: Option<Vec<f64>>,
    pub factors: Vec<Factor>,
    pub fe_names: Vec<String>,
    /// Demeaned outcome and the regressors that survived the collinearity screen (with the
    /// intercept first when there are no fixed effects).
    pub y: Vec<f64>,
    pub x: Vec<Vec<f64>>,
    pub names: Vec<String>,
    pub collinear: Vec<String>,
    /// Σ(y − ȳ)² of the raw outcome on the rows used.
    pub tss: f64,
    pub demean_iterations: usize,
    pub converged: bool,
    pub tol: f64,
    pub max_iter: usize,
}

fn check_len(n: usize, name: &str, len: usize) -> Result<(), StatsError> {
    if len != n {
        return Err(StatsError::Invalid(format!(
            "column {name} has {len} values, expected {n}"
        )));
    }
    Ok(())
}

/// Selects rows, removes singletons, demeans and screens collinear regressors.
pub fn prepare(spec: &FeolsSpec) -> Result<Design, StatsError> {
    let n = spec.y.values.len();
    for c in &spec.regressors {
        check_len(n, c.name, c.values.len())?;
    }
    for g in &spec.fixed_effects {
        check_len(n, g.name, g.codes.len())?;
    }
    if let Vcov::Cluster(cs) = &spec.vcov {
        if cs.is_empty() || cs.len() > 2 {
            return Err(StatsError::Invalid(
                "clustering takes one or two cluster variables".into(),
            ));
        }
        for g in cs {
            check_len(n, g.name, g.codes.len())?;
        }
    }
    let mut kept: Vec<bool> = match spec.keep {
        Some(k) => {
            check_len(n, "keep", k.len())?;
            k.to_vec()
        }
        None => vec![true; n],
    };
    // Non-finite values cannot enter a least-squares fit; the caller counts its own missing rows.
    // Column by column: each pass vectorises.
    for c in std::iter::once(&spec.y).chain(&spec.regressors) {
        for (k, v) in kept.iter_mut().zip(c.values) {
            *k &= v.is_finite();
        }
    }
    let mut n_zero_weight = 0;
    if let Some(w) = spec.weights {
        check_len(n, "weights", w.len())?;
        for (i, k) in kept.iter_mut().enumerate() {
            if !*k {
                continue;
            }
            let wi = w[i];
            if !wi.is_finite() {
                *k = false;
            } else if wi < 0.0 {
                return Err(StatsError::Invalid(format!(
                    "negative weight {wi} in row {}; weights must be zero or positive",
                    i + 1
                )));
            } else if wi == 0.0 {
                *k = false;
                n_zero_weight += 1;
            }
        }
    }
    let fe_slices: Vec<&[u32]> = spec.fixed_effects.iter().map(|g| g.codes).collect();
    let n_singletons = if spec.drop_singletons {
        drop_singletons(&fe_slices, &mut kept)
    } else {
        0
    };
    let nobs = kept.iter().filter(|&&b| b).count();
    if nobs == 0 {
        return Err(StatsError::TooFewObservations(
            "no rows left to fit after removing missing values and singletons".into(),
        ));
    }
    let all_kept = nobs == n;
    // Each effect coded on its own thread (independent work, so the same codes either way).
    let factors: Vec<Factor> = {
        use rayon::prelude::*;
        let mask = (!all_kept).then_some(kept.as_slice());
        fe_slices
            .par_iter()
            .map(|c| Factor::from_codes_masked(c, mask))
            .collect()
    };
    let select = |v: &[f64]| -> Vec<f64> {
        if all_kept {
            return v.to_vec();
        }
        v.iter()
            .zip(&kept)
            .filter(|(_, k)| **k)
            .map(|(x, _)| *x)
            .collect()
    };
    let weights: Option<Vec<f64>> = spec.weights.map(select);
    let mut names: Vec<String> = Vec::new();
    let mut sources: Vec<&[f64]> = vec![spec.y.values];
    for c in &spec.regressors {
        sources.push(c.values);
        names.push(c.name.to_string());
    }
    let mut cols: Vec<Vec<f64>> = {
        use rayon::prelude::*;
        sources.par_iter().map(|v| select(v)).collect()
    };
    if factors.is_empty() {
        cols.insert(1, vec![1.0; nobs]);
        names.insert(0, INTERCEPT.to_string());
    }
    let (tss, raw_ss): (f64, Vec<f64>) = match &weights {
        None => {
            let m = cols[0].iter().sum::<f64>() / nobs as f64;
            (
                cols[0].iter().map(|v| (v - m).powi(2)).sum(),
                cols[1..]
                    .iter()
                    .map(|c| c.iter().map(|v| v * v).sum())
                    .collect(),
            )
        }
        Some(w) => {
            let sw: f64 = w.iter().sum();
            let m = cols[0].iter().zip(w).map(|(v, w)| v * w).sum::<f64>() / sw;
            (
                cols[0]
                    .iter()
                    .zip(w)
                    .map(|(v, w)| w * (v - m).powi(2))
                    .sum(),
                cols[1..]
                    .iter()
                    .map(|c| c.iter().zip(w).map(|(v, w)| w * v * v).sum())
                    .collect(),
            )
        }
    };
    let clock = std::time::Instant::now();
    let demeaner = Demeaner::weighted(&factors, weights.as_deref(), spec.tol, spec.max_iter);
    let infos = demeaner.demean_all(&mut cols);
    if let Some(w) = &weights {
        let root: Vec<f64> = w.iter().map(|v| v.sqrt()).collect();
        for c in cols.iter_mut() {
            for (v, r) in c.iter_mut().zip(&root) {
                *v *= r;
            }
        }
    }
    tracing::debug!(
        secs = clock.elapsed().as_secs_f64(),
        iterations = infos.iter().map(|i| i.iterations).max().unwrap_or(0),
        singletons = n_singletons,
        "feols: demeaned"
    );
    let demean_iterations = infos.iter().map(|i| i.iterations).max().unwrap_or(0);
    let converged = infos.iter().all(|i| i.converged);
    if !converged {
        tracing::warn!(
            max_iter = spec.max_iter,
            tol = spec.tol,
            "fixed-effect demeaning did not converge; estimates may be inexact"
        );
    }
    let y = cols.remove(0);

    // Sequential Cholesky on X'X: a regressor whose pivot is (relatively) zero is explained by
    // the earlier ones or by the fixed effects, and is dropped, as fixest does.
    let k_all = cols.len();
    let mut keep_col = vec![false; k_all];
    let mut l_rows: Vec<Vec<f64>> = Vec::new(); // rows of L for kept columns
    let mut kept_idx: Vec<usize> = Vec::new();
    for j in 0..k_all {
        let ajj: f64 = cols[j].iter().map(|v| v * v).sum();
        // Also catches NaN sums (ajj compares false).
        if ajj.partial_cmp(&(COLLIN_TOL * raw_ss[j])) != Some(std::cmp::Ordering::Greater)
            || ajj == 0.0
        {
            continue;
        }
        let cross: Vec<f64> = kept_idx.iter().map(|&p| dot(&cols[p], &cols[j])).collect();
        let mut row = Vec::with_capacity(kept_idx.len() + 1);
        for (pi, lp) in l_rows.iter().enumerate() {
            let mut s = cross[pi];
            for q in 0..pi {
                s -= lp[q] * row[q];
            }
            row.push(s / lp[pi]);
        }
        let d = ajj - row.iter().map(|v| v * v).sum::<f64>();
        if d <= COLLIN_TOL * ajj {
            continue;
        }
        row.push(d.sqrt());
        l_rows.push(row);
        kept_idx.push(j);
        keep_col[j] = true;
    }
    let mut x = Vec::with_capacity(kept_idx.len());
    let mut kept_names = Vec::new();
    let mut collinear = Vec::new();
    for (j, (c, name)) in cols.into_iter().zip(names).enumerate() {
        if keep_col[j] {
            x.push(c);
            kept_names.push(name);
        } else {
            collinear.push(name);
        }
    }
    Ok(Design {
        n_input: n,
        kept,
        n_singletons,
        n_zero_weight,
        weights,
        factors,
        fe_names: spec
            .fixed_effects
            .iter()
            .map(|g| g.name.to_string())
            .collect(),
        y,
        x,
        names: kept_names,
        collinear,
        tss,
        demean_iterations,
        converged,
        tol: spec.tol,
        max_iter: spec.max_iter,
    })
}

#[inline]
pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    // Four accumulators keep the sum vectorisable without changing the answer beyond rounding.
    let mut s = [0.0f64; 4];
    let ca = a.chunks_exact(4);
    let cb = b.chunks_exact(4);
    let ra = ca.remainder();
    let rb = cb.remainder();
    for (x, y) in ca.zip(cb) {
        for l in 0..4 {
            s[l] += x[l] * y[l];
        }
    }
    let mut t = (s[0] + s[1]) + (s[2] + s[3]);
    for (x, y) in ra.iter().zip(rb) {
        t += x * y;
    }
    t
}

impl Design {
    pub fn nobs(&self) -> usize {
        self.y.len()
    }

    /// X'X of the demeaned regressors (row-major).
    pub fn xtx(&self) -> Vec<f64> {
        let k = self.x.len();
        let mut a = vec![0.0; k * k];
        for i in 0..k {
            for j in 0..=i {
                let v = dot(&self.x[i], &self.x[j]);
                a[i * k + j] = v;
                a[j * k + i] = v;
            }
        }
        a
    }

    /// Selects the used rows of an input-length code column and re-codes them densely.
    pub fn factor_of(&self, codes: &[u32]) -> Factor {
        Factor::from_codes_masked(codes, Some(&self.kept))
    }

    /// Σ fixed-effect levels − (effects − 1): the fixed-effect parameters that are identified.
    fn k_fe_adjusted(&self, nested: &[bool]) -> usize {
        let q = self.factors.len();
        if q == 0 {
            return 0;
        }
        let k_fe: usize = self.factors.iter().map(|f| f.levels).sum();
        let k_fe_adj = k_fe - (q - 1);
        let n_nested = nested.iter().filter(|&&b| b).count();
        if n_nested == 0 {
            return k_fe_adj;
        }
        let k_nested: usize = self
            .factors
            .iter()
            .zip(nested)
            .filter(|(_, b)| **b)
            .map(|(f, _)| f.levels)
            .sum();
        k_fe_adj + n_nested - k_nested
    }
}

/// Fits the model.
pub fn feols(spec: &FeolsSpec) -> Result<FeolsFit, StatsError> {
    let design = prepare(spec)?;
    let clusters: Vec<(String, Factor)> = match &spec.vcov {
        Vcov::Cluster(cs) => cs
            .iter()
            .map(|g| (g.name.to_string(), design.factor_of(g.codes)))
            .collect(),
        _ => Vec::new(),
    };
    let kind = match &spec.vcov {
        Vcov::Iid => VcovKind::Iid,
        Vcov::Hetero => VcovKind::Hetero,
        Vcov::Cluster(_) => VcovKind::Cluster,
    };
    fit_design(design, kind, &clusters, spec.ssc)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VcovKind {
    Iid,
    Hetero,
    Cluster,
}

/// Estimates and inference on a prepared design. `clusters` are factors over the design's rows.
pub fn fit_design(
    design: Design,
    kind: VcovKind,
    clusters: &[(String, Factor)],
    ssc: Ssc,
) -> Result<FeolsFit, StatsError> {
    let n = design.nobs();
    let k = design.x.len();
    let xtx = design.xtx();
    let xty: Vec<f64> = design.x.iter().map(|c| dot(c, &design.y)).collect();
    let (beta, bread) = if k > 0 {
        let l = linalg::cholesky(&xtx, k).ok_or_else(|| {
            StatsError::Invalid("the regressors are collinear; X'X cannot be inverted".into())
        })?;
        (
            linalg::cholesky_solve(&l, k, &xty),
            linalg::cholesky_inverse(&l, k),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let mut resid = design.y.clone();
    for (b, c) in beta.iter().zip(&design.x) {
        for (r, v) in resid.iter_mut().zip(c) {
            *r -= b * v;
        }
    }
    let rss: f64 = resid.iter().map(|r| r * r).sum();
    let yd_ss: f64 = design.y.iter().map(|v| v * v).sum();

    let nested: Vec<bool> = design
        .factors
        .iter()
        .map(|f| {
            let mut any = clusters.iter().any(|(_, c)| f.nested_in(c));
            if !any && clusters.len() == 2 {
                any = f.nested_in(&Factor::interact(&clusters[0].1, &clusters[1].1));
            }
            any
        })
        .collect();
    let df_k = k + match ssc.fixef_k {
        FixefK::Nested => design.k_fe_adjusted(if kind == VcovKind::Cluster {
            &nested
        } else {
            &[]
        }),
        FixefK::Full => design.k_fe_adjusted(&[]),
        FixefK::None => 0,
    };
    if n <= df_k {
        return Err(StatsError::TooFewObservations(format!(
            "{n} observations for {df_k} parameters"
        )));
    }
    let nf = n as f64;
    let mut ssc_factor = 1.0;
    let mut eigenvalue_fix = false;
    let (vcov, df_t, n_clusters) = match kind {
        VcovKind::Iid => {
            let s2 = rss / (nf - df_k as f64);
            (
                bread.iter().map(|b| b * s2).collect::<Vec<f64>>(),
                nf - df_k as f64,
                Vec::new(),
            )
        }
        VcovKind::Hetero => {
            let mut meat = vec![0.0; k * k];
            for (i, r) in resid.iter().enumerate() {
                let u2 = r * r;
                for a in 0..k {
                    let xa = design.x[a][i] * u2;
                    for b in 0..=a {
                        meat[a * k + b] += xa * design.x[b][i];
                    }
                }
            }
            symmetrise_lower(&mut meat, k);
            let adj = nf / (nf - df_k as f64);
            ssc_factor = adj;
            let v = linalg::sandwich(&bread, &meat, k);
            (
                v.iter().map(|x| x * adj).collect(),
                nf - df_k as f64,
                Vec::new(),
            )
        }
        VcovKind::Cluster => {
            if clusters.is_empty() || clusters.len() > 2 {
                return Err(StatsError::Invalid(
                    "clustering takes one or two cluster variables".into(),
                ));
            }
            let mut parts: Vec<(Factor, f64)> =
                clusters.iter().map(|(_, f)| (f.clone(), 1.0)).collect();
            if clusters.len() == 2 {
                parts.push((Factor::interact(&clusters[0].1, &clusters[1].1), -1.0));
            }
            let g_min = clusters.iter().map(|(_, f)| f.levels).min().unwrap_or(0);
            if g_min < 2 {
                return Err(StatsError::TooFewObservations(
                    "clustered variance needs at least two clusters".into(),
                ));
            }
            let g = g_min as f64;
            let g_adj = if ssc.cluster_adj { g / (g - 1.0) } else { 1.0 };
            let adj = (nf - 1.0) / (nf - df_k as f64) * g_adj;
            ssc_factor = adj;
            let mut v = vec![0.0; k * k];
            for (f, sign) in &parts {
                let meat = cluster_meat(&design.x, &resid, f);
                let part = linalg::sandwich(&bread, &meat, k);
                for (acc, p) in v.iter_mut().zip(part) {
                    *acc += sign * adj * p;
                }
            }
            // fixest ≥ 0.13: a multiway variance with a negative variance on its diagonal
            // (a standard error that would be NaN) is made positive semi-definite.
            if clusters.len() == 2
                && (0..k).any(|j| v[j * k + j] < 0.0)
                && let Some(fixed) = linalg::psd_fix(&v, k)
            {
                v = fixed;
                eigenvalue_fix = true;
                tracing::info!(
                    "two-way clustered variance was not positive semi-definite; negative \
                     eigenvalues set to zero"
                );
            }
            (v, g - 1.0, clusters.iter().map(|(_, f)| f.levels).collect())
        }
    };
    let terms = if ssc.normal {
        make_terms(&design.names, &beta, &vcov, f64::INFINITY)?
    } else {
        make_terms(&design.names, &beta, &vcov, df_t)?
    };
    let r2 = if design.tss > 0.0 {
        1.0 - rss / design.tss
    } else {
        f64::NAN
    };
    let r2_within = (!design.factors.is_empty()).then(|| {
        if yd_ss > 0.0 {
            1.0 - rss / yd_ss
        } else {
            f64::NAN
        }
    });
    Ok(FeolsFit {
        terms,
        vcov,
        nobs: n,
        n_singletons: design.n_singletons,
        n_zero_weight: design.n_zero_weight,
        fe_levels: design
            .fe_names
            .iter()
            .cloned()
            .zip(design.factors.iter().map(|f| f.levels))
            .collect(),
        df_t,
        df_k,
        r2,
        r2_within,
        rss,
        collinear: design.collinear,
        kept: design.kept,
        residuals: resid,
        demean_iterations: design.demean_iterations,
        converged: design.converged,
        n_clusters,
        ssc_factor,
        ssc,
        eigenvalue_fix,
    })
}

fn symmetrise_lower(m: &mut [f64], k: usize) {
    for a in 0..k {
        for b in 0..a {
            m[b * k + a] = m[a * k + b];
        }
    }
}

/// Σ_g s_g s_gᵀ with s_g = Σ_{i∈g} x_i u_i.
pub(crate) fn cluster_meat(x: &[Vec<f64>], resid: &[f64], f: &Factor) -> Vec<f64> {
    let k = x.len();
    let mut scores = vec![0.0; f.levels * k];
    for (i, &c) in f.codes.iter().enumerate() {
        let u = resid[i];
        let row = &mut scores[c as usize * k..(c as usize + 1) * k];
        for (a, col) in x.iter().enumerate() {
            row[a] += col[i] * u;
        }
    }
    let mut meat = vec![0.0; k * k];
    for s in scores.chunks_exact(k.max(1)) {
        for a in 0..k {
            for b in 0..=a {
                meat[a * k + b] += s[a] * s[b];
            }
        }
    }
    symmetrise_lower(&mut meat, k);
    meat
}

/// t statistics, two-sided p-values and 95% intervals from a t distribution with `df`.
pub fn make_terms(
    names: &[String],
    beta: &[f64],
    vcov: &[f64],
    df: f64,
) -> Result<Vec<Term>, StatsError> {
    let k = beta.len();
    // df = ∞: the normal distribution.
    let normal = statrs::distribution::Normal::new(0.0, 1.0)
        .map_err(|e| StatsError::Invalid(format!("normal distribution: {e}")))?;
    let dist = if df.is_infinite() {
        None
    } else {
        Some(
            StudentsT::new(0.0, 1.0, df)
                .map_err(|e| StatsError::Invalid(format!("t distribution with {df} df: {e}")))?,
        )
    };
    let sf = |x: f64| dist.as_ref().map_or_else(|| normal.sf(x), |d| d.sf(x));
    let crit = dist
        .as_ref()
        .map_or_else(|| normal.inverse_cdf(0.975), |d| d.inverse_cdf(0.975));
    Ok((0..k)
        .map(|j| {
            // A two-way clustered variance can come out negative; pyfixest then reports NaN
            // rather than an invented zero, and so do we.
            let v = vcov[j * k + j];
            let se = if v >= 0.0 { v.sqrt() } else { f64::NAN };
            let t = beta[j] / se;
            Term {
                term: names[j].clone(),
                estimate: beta[j],
                std_error: se,
                statistic: t,
                // statrs panics on NaN input.
                p_value: if t.is_nan() {
                    f64::NAN
                } else {
                    2.0 * sf(t.abs())
                },
                conf_low: beta[j] - crit * se,
                conf_high: beta[j] + crit * se,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * a.abs().max(b.abs()) + 1e-14
    }

    #[test]
    fn simple_regression_by_hand() {
        // y = 1 + 2x + e with e = (0.1, -0.2, 0.1, 0.0): x̄ = 2.5, Sxx = 5.
        let x = [1.0, 2.0, 3.0, 4.0];
        let y = [3.1, 4.8, 7.1, 9.0];
        let spec = FeolsSpec::new(
            Column {
                name: "y",
                values: &y,
            },
            vec![Column {
                name: "x",
                values: &x,
            }],
            vec![],
        );
        let fit = feols(&spec).unwrap();
        // Sxy = Σ(x−x̄)(y−ȳ) = -1.5*-2.9 + -0.5*-1.2 + 0.5*1.1 + 1.5*3.0 = 10.0 (ȳ = 6.0)
        let b = 10.0 / 5.0;
        let a = 6.0 - b * 2.5;
        assert!(close(fit.term("x").unwrap().estimate, b, 1e-12));
        assert!(close(fit.term(INTERCEPT).unwrap().estimate, a, 1e-12));
        // residuals: 3.1-3.0=0.1, 4.8-5.0=-0.2, 7.1-7.0=0.1, 9.0-9.0=0 → RSS = 0.06
        assert!(close(fit.rss, 0.06, 1e-10));
        let se_b = (0.06 / 2.0 / 5.0f64).sqrt();
        assert!(close(fit.term("x").unwrap().std_error, se_b, 1e-10));
        assert_eq!(fit.df_t, 2.0);
        // TSS = 2.9²+1.2²+1.1²+3² = 20.06
        assert!(close(fit.r2, 1.0 - 0.06 / 20.06, 1e-12));
        // t crit for 2 df at 0.975 is 4.302652729749464
        let t = fit.term("x").unwrap();
        assert!(close(
            t.conf_high - t.estimate,
            4.302_652_729_749_464 * se_b,
            1e-9
        ));
    }

    #[test]
    fn collinear_regressor_is_dropped_and_named() {
        let x1 = [1.0, 2.0, 3.0, 4.0, 5.0];
        let x2: Vec<f64> = x1.iter().map(|v| 2.0 * v).collect();
        let y = [1.0, 3.0, 2.0, 5.0, 4.0];
        let spec = FeolsSpec::new(
            Column {
                name: "y",
                values: &y,
            },
            vec![
                Column {
                    name: "x1",
                    values: &x1,
                },
                Column {
                    name: "x2",
                    values: &x2,
                },
            ],
            vec![],
        );
        let fit = feols(&spec).unwrap();
        assert_eq!(fit.collinear, vec!["x2".to_string()]);
        // Sxy = (-2)(-2)+(-1)(0)+0+(1)(2)+(2)(1) = 8, Sxx = 10
        assert!(close(fit.term("x1").unwrap().estimate, 0.8, 1e-12));
    }

    #[test]
    fn fixed_effect_absorbs_group_constant_regressor() {
        let g = [0u32, 0, 1, 1, 2, 2];
        let w = [1.0, 1.0, 5.0, 5.0, 2.0, 2.0];
        let x = [1.0, 2.0, 1.0, 3.0, 0.0, 1.0];
        let y = [1.0, 2.0, 2.0, 6.0, 1.0, 2.5];
        let mut spec = FeolsSpec::new(
            Column {
                name: "y",
                values: &y,
            },
            vec![
                Column {
                    name: "w",
                    values: &w,
                },
                Column {
                    name: "x",
                    values: &x,
                },
            ],
            vec![Groups {
                name: "g",
                codes: &g,
            }],
        );
        spec.vcov = Vcov::Iid;
        let fit = feols(&spec).unwrap();
        assert_eq!(fit.collinear, vec!["w".to_string()]);
        // Within: x̃ = (-.5,.5,-1,1,-.5,.5), ỹ = (-.5,.5,-2,2,-.75,.75)
        // Σx̃ỹ = .25+.25+2+2+.375+.375 = 5.25, Σx̃² = .25+.25+1+1+.25+.25 = 3
        assert!(close(fit.term("x").unwrap().estimate, 1.75, 1e-12));
        // K = 1 + 3 levels → df = 6 − 4 = 2
        assert_eq!(fit.df_t, 2.0);
        assert_eq!(fit.fe_levels, vec![("g".to_string(), 3)]);
    }
}
