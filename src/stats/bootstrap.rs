//! Restricted wild cluster bootstrap (WCR, "wild cluster bootstrap-t with the null imposed";
//! Cameron, Gelbach & Miller 2008; MacKinnon & Webb 2017) for one coefficient, with its
//! confidence interval by test inversion.
//!
//! Method. Fixed effects are projected out first (the bootstrap runs on the demeaned design,
//! as pyfixest's `wildboottest` does; exact when the effects are nested in the clusters). For a
//! null β_j = r the restricted model gives fitted values ŷ_r and residuals u_r; each draw builds
//! y* = ŷ_r + w_g u_r with one weight w_g per cluster (Rademacher ±1, or Webb's six-point
//! ±√½, ±1, ±√1.5), re-estimates, and computes the CRV1 t statistic t* of β*_j − r. Because OLS
//! is linear, a draw costs O(G·k) with the cluster-level scores precomputed, so 9,999 draws are
//! cheap. The p-value is symmetric: share of draws with |t*| ≥ |t|. The interval collects the r
//! whose p-value exceeds α, found by bisection on each side of the estimate with the same draws
//! for every r (so the p-value is a deterministic function of r). A draw's numerator and cluster
//! terms are linear in r, so they are computed once per draw (`DrawCache`) and each of the
//! interval's ~60 tests costs O(G) per draw.
//!
//! Draw b uses its own generator seeded from (seed, b), so results do not depend on the number
//! of threads. With Rademacher weights and 2^G ≤ draws (few clusters), every sign pattern is used
//! once instead, which makes the p-value exact for that weight distribution.

use super::StatsError;
use super::feols::{self, FeolsSpec, Groups, Vcov, dot};
use super::linalg;
use super::rng::Rng;
use rayon::prelude::*;

pub const DEFAULT_DRAWS: usize = 9_999;

/// Distribution of the cluster weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BootWeights {
    Rademacher,
    /// Webb's six-point distribution, better than Rademacher with fewer than about a dozen
    /// clusters (Rademacher then has only 2^G distinct draws).
    Webb,
}

impl BootWeights {
    fn draw(self, rng: &mut Rng) -> f64 {
        match self {
            BootWeights::Rademacher => {
                if rng.next_u64() >> 63 == 0 {
                    -1.0
                } else {
                    1.0
                }
            }
            BootWeights::Webb => {
                const W: [f64; 6] = [
                    -1.224_744_871_391_589,
                    -1.0,
                    -std::f64::consts::FRAC_1_SQRT_2,
                    std::f64::consts::FRAC_1_SQRT_2,
                    1.0,
                    1.224_744_871_391_589,
                ];
                W[rng.below(6)]
            }
        }
    }
}

/// Settings of the bootstrap.
#[derive(Debug, Clone)]
pub struct WildOptions {
    pub draws: usize,
    pub seed: u64,
    pub weights: BootWeights,
    /// The null value r of H0: β_j = r for the p-value.
    pub null: f64,
    /// 1 − confidence level of the interval.
    pub alpha: f64,
    /// Whether to invert the test for an interval (about 60 more tests, each O(G) per draw).
    pub conf_int: bool,
}

impl Default for WildOptions {
    fn default() -> Self {
        WildOptions {
            draws: DEFAULT_DRAWS,
            seed: crate::stats::DEFAULT_SEED,
            weights: BootWeights::Webb,
            null: 0.0,
            alpha: 0.05,
            conf_int: true,
        }
    }
}

/// The bootstrap's answer for one coefficient.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BootstrapResult {
    pub term: String,
    pub method: &'static str,
    pub cluster: String,
    pub clusters: usize,
    pub weights: BootWeights,
    pub draws: usize,
    /// True when every Rademacher sign pattern was used (2^G of them) instead of random draws.
    pub enumerated: bool,
    pub seed: u64,
    pub null: f64,
    pub estimate: f64,
    /// CRV1 t statistic of the estimate against the null, as in the fitted table.
    pub statistic: f64,
    pub p_value: f64,
    pub conf_low: f64,
    pub conf_high: f64,
}

/// Precomputed cluster-level pieces; everything a draw needs.
struct Pieces {
    g: usize,
    k: usize,
    a: Vec<f64>,  // (X'X)^-1, row-major
    aj: Vec<f64>, // row j of it
    s0: Vec<f64>, // G×k scores of M_{-j} y
    s1: Vec<f64>, // G×k scores of M_{-j} x_j
    m: Vec<f64>,  // G×k: Σ_{i∈h} x_i (x_i·a_j)
    beta_j: f64,
    se_obs_unscaled: f64,
    /// Rademacher weights with 2^G ≤ draws: run every sign pattern once instead of sampling.
    enumerate: bool,
}

impl Pieces {
    /// The cluster weights of draw `b` (every draw has its own generator, so the weights do not
    /// depend on the order or the thread the draws run in).
    fn weights_of(&self, b: usize, opts: &WildOptions, w: &mut [f64]) {
        if self.enumerate {
            for (h, wg) in w.iter_mut().enumerate() {
                *wg = if (b >> h) & 1 == 1 { 1.0 } else { -1.0 };
            }
        } else {
            let mut rng = Rng::new(opts.seed ^ (b as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
            for wg in w.iter_mut() {
                *wg = opts.weights.draw(&mut rng);
            }
        }
    }

    /// One draw's bootstrap t numerator and the cluster terms of its variance, for the scores
    /// `s` (G×k) and their projections `p` (G): num = Σ_h w_h p_h and th_h = w_h p_h − m_h·v
    /// with v = A Σ_h w_h s_h. Returns num; `th` receives the G terms.
    #[allow(clippy::too_many_arguments)]
    fn draw_terms(
        &self,
        w: &[f64],
        s: &[f64],
        p: &[f64],
        sw: &mut [f64],
        v: &mut [f64],
        th: &mut [f64],
    ) -> f64 {
        let k = self.k;
        sw.iter_mut().for_each(|x| *x = 0.0);
        let mut num = 0.0;
        for (h, sg) in s.chunks_exact(k).enumerate() {
            num += w[h] * p[h];
            for (acc, x) in sw.iter_mut().zip(sg) {
                *acc += w[h] * x;
            }
        }
        for (row, vi) in v.iter_mut().enumerate() {
            *vi = dot(&self.a[row * k..(row + 1) * k], sw);
        }
        for (h, t) in th.iter_mut().enumerate() {
            *t = w[h] * p[h] - dot(&self.m[h * k..(h + 1) * k], v);
        }
        num
    }

    /// Symmetric bootstrap p-value at null r, and the observed unscaled t.
    fn p_value(&self, r: f64, opts: &WildOptions) -> (f64, f64) {
        let (g, k) = (self.g, self.k);
        let s: Vec<f64> = self
            .s0
            .iter()
            .zip(&self.s1)
            .map(|(a, b)| a - r * b)
            .collect();
        let p: Vec<f64> = s.chunks_exact(k).map(|sg| dot(&self.aj, sg)).collect();
        let t_obs = (self.beta_j - r) / self.se_obs_unscaled;
        let exceed: usize = (0..opts.draws)
            .into_par_iter()
            .map_init(
                || (vec![0.0; g], vec![0.0; k], vec![0.0; k], vec![0.0; g]),
                |(w, sw, v, th), b| {
                    self.weights_of(b, opts, w);
                    let num = self.draw_terms(w, &s, &p, sw, v, th);
                    let den: f64 = th.iter().map(|t| t * t).sum();
                    let t = num / den.sqrt();
                    usize::from(t.abs() >= t_obs.abs() * (1.0 - 1e-12))
                },
            )
            .sum();
        (exceed as f64 / opts.draws as f64, t_obs)
    }
}

/// Every draw's pieces for the confidence interval, computed once. The scores are linear in the
/// null r (s_h(r) = s0_h − r s1_h), hence so are a draw's numerator and cluster terms:
/// num(r) = n0 − r n1 and th_h(r) = t0_h − r t1_h. Testing a new r then costs O(G) per draw
/// instead of O(G·k + k²), which is what makes the ~60 tests of the test inversion cheap.
struct DrawCache {
    g: usize,
    /// Per draw: n0, n1.
    num: Vec<[f64; 2]>,
    /// Per draw, G values each: t0 and t1.
    t0: Vec<f64>,
    t1: Vec<f64>,
    /// Every s1 score is finite (then 0·s1 = 0 and the cache at r = 0 is exact).
    finite: bool,
}

/// Largest draws × clusters for which the interval's per-draw pieces are kept in memory (two
/// f64 per cell: 256 MiB); beyond it every test recomputes its draws.
const CACHE_CELLS: usize = 1 << 24;

impl DrawCache {
    fn new(pieces: &Pieces, opts: &WildOptions) -> Option<DrawCache> {
        let (g, k) = (pieces.g, pieces.k);
        if opts.draws.checked_mul(g).is_none_or(|c| c > CACHE_CELLS) {
            return None;
        }
        let p0: Vec<f64> = pieces
            .s0
            .chunks_exact(k)
            .map(|sg| dot(&pieces.aj, sg))
            .collect();
        let p1: Vec<f64> = pieces
            .s1
            .chunks_exact(k)
            .map(|sg| dot(&pieces.aj, sg))
            .collect();
        let mut num = vec![[0.0; 2]; opts.draws];
        let mut t0 = vec![0.0; opts.draws * g];
        let mut t1 = vec![0.0; opts.draws * g];
        num.par_iter_mut()
            .zip(t0.par_chunks_mut(g))
            .zip(t1.par_chunks_mut(g))
            .enumerate()
            .for_each_init(
                || (vec![0.0; g], vec![0.0; k], vec![0.0; k]),
                |(w, sw, v), (b, ((n, t0), t1))| {
                    pieces.weights_of(b, opts, w);
                    n[0] = pieces.draw_terms(w, &pieces.s0, &p0, sw, v, t0);
                    n[1] = pieces.draw_terms(w, &pieces.s1, &p1, sw, v, t1);
                },
            );
        let finite = pieces.s1.iter().all(|v| v.is_finite());
        Some(DrawCache {
            g,
            num,
            t0,
            t1,
            finite,
        })
    }

    /// The p-value at a null of zero, with the same operations as `Pieces::p_value` (the
    /// variance summed in cluster order), so the same bits.
    fn p_value_at_zero(&self, pieces: &Pieces) -> f64 {
        let t_obs = pieces.beta_j / pieces.se_obs_unscaled;
        let thresh = t_obs.abs() * (1.0 - 1e-12);
        let exceed: usize = self
            .num
            .par_iter()
            .zip(self.t0.par_chunks(self.g))
            .map(|(n, t0)| {
                let den: f64 = t0.iter().map(|t| t * t).sum();
                usize::from((n[0] / den.sqrt()).abs() >= thresh)
            })
            .sum();
        exceed as f64 / self.num.len() as f64
    }

    /// As `Pieces::p_value` at null r, from the cached pieces.
    fn p_value(&self, pieces: &Pieces, r: f64) -> f64 {
        let t_obs = (pieces.beta_j - r) / pieces.se_obs_unscaled;
        let thresh = t_obs.abs() * (1.0 - 1e-12);
        let g = self.g;
        let exceed: usize = self
            .num
            .par_iter()
            .zip(self.t0.par_chunks(g))
            .zip(self.t1.par_chunks(g))
            .map(|((n, t0), t1)| {
                let num = n[0] - r * n[1];
                // Four partial sums: the loop vectorises (a draw's G terms are summed in a
                // different order than `Pieces::p_value` does, a difference of rounding only).
                let mut acc = [0.0f64; 4];
                let (c0, c1) = (t0.chunks_exact(4), t1.chunks_exact(4));
                let (r0, r1) = (c0.remainder(), c1.remainder());
                for (a, b) in c0.zip(c1) {
                    for l in 0..4 {
                        let d = a[l] - r * b[l];
                        acc[l] += d * d;
                    }
                }
                let mut den = (acc[0] + acc[1]) + (acc[2] + acc[3]);
                for (a, b) in r0.iter().zip(r1) {
                    den += (a - r * b).powi(2);
                }
                usize::from((num / den.sqrt()).abs() >= thresh)
            })
            .sum();
        exceed as f64 / self.num.len() as f64
    }
}

/// Runs the restricted wild cluster bootstrap for the coefficient named `term`.
pub fn wild_cluster(
    spec: &FeolsSpec,
    term: &str,
    cluster: Groups,
    opts: &WildOptions,
) -> Result<BootstrapResult, StatsError> {
    let clock = std::time::Instant::now();
    if opts.draws == 0 {
        return Err(StatsError::Invalid(
            "the bootstrap needs at least one draw".into(),
        ));
    }
    if cluster.codes.len() != spec.y.values.len() {
        return Err(StatsError::Invalid(format!(
            "cluster column {} has {} values, expected {}",
            cluster.name,
            cluster.codes.len(),
            spec.y.values.len()
        )));
    }
    // The reported t is the ordinary CRV1 one (same small-sample factors as the fitted table).
    let mut clustered = spec.clone();
    clustered.vcov = Vcov::Cluster(vec![cluster]);
    let official = feols::feols(&clustered)?;
    let mut plain = spec.clone();
    plain.vcov = Vcov::Iid;
    let design = feols::prepare(&plain)?;
    let j = design.names.iter().position(|n| n == term).ok_or_else(|| {
        StatsError::Invalid(format!(
            "no coefficient named {term} to bootstrap (estimated: {})",
            design.names.join(", ")
        ))
    })?;
    let f = design.factor_of(cluster.codes);
    let (g, k, n) = (f.levels, design.x.len(), design.nobs());
    if g < 2 {
        return Err(StatsError::TooFewObservations(
            "the wild cluster bootstrap needs at least two clusters".into(),
        ));
    }
    let xtx = design.xtx();
    let l = linalg::cholesky(&xtx, k)
        .ok_or_else(|| StatsError::Invalid("X'X cannot be inverted".into()))?;
    let a = linalg::cholesky_inverse(&l, k);
    let aj: Vec<f64> = a[j * k..(j + 1) * k].to_vec();
    let beta = linalg::cholesky_solve(
        &l,
        k,
        &design
            .x
            .iter()
            .map(|c| dot(c, &design.y))
            .collect::<Vec<_>>(),
    );

    // Restricted fit pieces: residuals of y and of x_j on the other regressors.
    let others: Vec<usize> = (0..k).filter(|&c| c != j).collect();
    let resid_on_others = |target: &[f64]| -> Result<Vec<f64>, StatsError> {
        let mut r = target.to_vec();
        if others.is_empty() {
            return Ok(r);
        }
        let ko = others.len();
        let mut xo = vec![0.0; ko * ko];
        for (p, &cp) in others.iter().enumerate() {
            for (q, &cq) in others.iter().enumerate() {
                xo[p * ko + q] = xtx[cp * k + cq];
            }
        }
        let lo = linalg::cholesky(&xo, ko)
            .ok_or_else(|| StatsError::Invalid("restricted X'X cannot be inverted".into()))?;
        let rhs: Vec<f64> = others.iter().map(|&c| dot(&design.x[c], target)).collect();
        let gamma = linalg::cholesky_solve(&lo, ko, &rhs);
        for (gm, &c) in gamma.iter().zip(&others) {
            for (ri, xi) in r.iter_mut().zip(&design.x[c]) {
                *ri -= gm * xi;
            }
        }
        Ok(r)
    };
    let u0 = resid_on_others(&design.y)?;
    let e = resid_on_others(&design.x[j])?;
    let mut uhat = design.y.clone();
    for (b, c) in beta.iter().zip(&design.x) {
        for (r, v) in uhat.iter_mut().zip(c) {
            *r -= b * v;
        }
    }
    let mut s0 = vec![0.0; g * k];
    let mut s1 = vec![0.0; g * k];
    let mut su = vec![0.0; g * k];
    let mut m = vec![0.0; g * k];
    for i in 0..n {
        let h = f.codes[i] as usize;
        let xa: f64 = (0..k).map(|c| design.x[c][i] * aj[c]).sum();
        for c in 0..k {
            let x = design.x[c][i];
            s0[h * k + c] += x * u0[i];
            s1[h * k + c] += x * e[i];
            su[h * k + c] += x * uhat[i];
            m[h * k + c] += x * xa;
        }
    }
    let se_obs_unscaled = su
        .chunks_exact(k)
        .map(|s| dot(&aj, s).powi(2))
        .sum::<f64>()
        .sqrt();
    let pieces = Pieces {
        g,
        k,
        a,
        aj,
        s0,
        s1,
        m,
        beta_j: beta[j],
        se_obs_unscaled,
        enumerate: false,
    };
    let mut pieces = pieces;
    let mut opts = opts.clone();
    if opts.weights == BootWeights::Rademacher && g < 30 && (1usize << g) <= opts.draws {
        pieces.enumerate = true;
        opts.draws = 1usize << g;
    }
    let opts = &opts;
    let gf = g as f64;
    let scale = (gf / (gf - 1.0)).sqrt();
    // The interval's cache holds, at r = 0, exactly the numbers a draw computes for the p-value
    // (s0 − 0·s1 = s0), so a null of zero takes its p-value from the cache.
    let cache = if opts.conf_int {
        DrawCache::new(&pieces, opts)
    } else {
        None
    };
    let p_value = match &cache {
        Some(c) if opts.null == 0.0 && c.finite => c.p_value_at_zero(&pieces),
        _ => pieces.p_value(opts.null, opts).0,
    };
    let statistic = official
        .term(term)
        .map_or(f64::NAN, |t| (t.estimate - opts.null) / t.std_error);
    let (mut lo, mut hi) = (f64::NAN, f64::NAN);
    if opts.conf_int {
        let se = se_obs_unscaled * scale;
        let accept = |r: f64| {
            let p = match &cache {
                Some(c) => c.p_value(&pieces, r),
                None => pieces.p_value(r, opts).0,
            };
            p > opts.alpha
        };
        lo = invert(&accept, beta[j], -se);
        hi = invert(&accept, beta[j], se);
    }
    tracing::debug!(
        secs = clock.elapsed().as_secs_f64(),
        draws = opts.draws,
        term,
        "wild bootstrap"
    );
    Ok(BootstrapResult {
        term: term.to_string(),
        method: "WCR (restricted wild cluster bootstrap-t, symmetric p-value)",
        cluster: cluster.name.to_string(),
        clusters: g,
        weights: opts.weights,
        draws: opts.draws,
        enumerated: pieces.enumerate,
        seed: opts.seed,
        null: opts.null,
        estimate: beta[j],
        statistic,
        p_value,
        conf_low: lo,
        conf_high: hi,
    })
}

/// Finds the boundary of the acceptance region starting from the estimate and stepping by
/// `step` (signed) until the null is rejected, then bisecting.
fn invert(accept: &dyn Fn(f64) -> bool, center: f64, step: f64) -> f64 {
    if !(step.is_finite() && step != 0.0) {
        return f64::NAN;
    }
    let mut inside = center;
    let mut width = step;
    let mut outside = center + width;
    let mut tries = 0;
    while accept(outside) {
        inside = outside;
        width *= 2.0;
        outside = center + width;
        tries += 1;
        if tries > 40 {
            return if step > 0.0 {
                f64::INFINITY
            } else {
                f64::NEG_INFINITY
            };
        }
    }
    for _ in 0..50 {
        let mid = 0.5 * (inside + outside);
        if accept(mid) {
            inside = mid;
        } else {
            outside = mid;
        }
        // A hundred-thousandth of a standard error is far below what the draws can resolve.
        if (outside - inside).abs() <= 1e-5 * step.abs() {
            break;
        }
    }
    0.5 * (inside + outside)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::feols::Column;

    /// y = a_g + β x + cluster shock + noise with G clusters.
    fn panel(seed: u64, g: usize, per: usize, beta: f64) -> (Vec<f64>, Vec<f64>, Vec<u32>) {
        let mut rng = Rng::new(seed);
        let (mut y, mut x, mut c) = (Vec::new(), Vec::new(), Vec::new());
        for gi in 0..g {
            let shock = rng.normal();
            let xg = rng.normal();
            for _ in 0..per {
                let xi = xg + rng.normal();
                x.push(xi);
                y.push(1.0 + beta * xi + shock + rng.normal());
                c.push(gi as u32);
            }
        }
        (y, x, c)
    }

    fn run(y: &[f64], x: &[f64], c: &[u32], opts: &WildOptions) -> BootstrapResult {
        let spec = FeolsSpec::new(
            Column {
                name: "y",
                values: y,
            },
            vec![Column {
                name: "x",
                values: x,
            }],
            vec![],
        );
        wild_cluster(
            &spec,
            "x",
            Groups {
                name: "g",
                codes: c,
            },
            opts,
        )
        .unwrap()
    }

    #[test]
    fn results_do_not_depend_on_the_thread_count_or_the_interval_cache() {
        let (y, x, c) = panel(4, 15, 12, 0.3);
        let opts = WildOptions {
            draws: 999,
            ..Default::default()
        };
        let pool = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
        };
        let one = pool(1).install(|| run(&y, &x, &c, &opts));
        let two = pool(2).install(|| run(&y, &x, &c, &opts));
        assert_eq!(one, two);
        assert!(one.conf_low < one.estimate && one.estimate < one.conf_high);
        // The p-value taken from the interval's cache is the one every draw computes afresh.
        let plain = run(
            &y,
            &x,
            &c,
            &WildOptions {
                conf_int: false,
                ..opts.clone()
            },
        );
        assert_eq!(plain.p_value, one.p_value);
    }

    #[test]
    fn statistic_equals_crv1_t_and_interval_brackets_estimate() {
        let (y, x, c) = panel(1, 12, 20, 0.5);
        let opts = WildOptions {
            draws: 399,
            ..Default::default()
        };
        let b = run(&y, &x, &c, &opts);
        let mut spec = FeolsSpec::new(
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
        spec.vcov = Vcov::Cluster(vec![Groups {
            name: "g",
            codes: &c,
        }]);
        let fit = feols::feols(&spec).unwrap();
        let t = fit.term("x").unwrap();
        assert!((b.statistic - t.statistic).abs() < 1e-12 * t.statistic.abs());
        assert!((b.estimate - t.estimate).abs() < 1e-12);
        assert!(b.conf_low < b.estimate && b.estimate < b.conf_high);
        assert!(
            b.p_value < 0.05,
            "planted β = 0.5 should be detected: {}",
            b.p_value
        );
        // Same seed, same answer.
        assert_eq!(run(&y, &x, &c, &opts), b);
    }

    #[test]
    fn rademacher_with_few_clusters_enumerates_every_sign_pattern() {
        let (y, x, c) = panel(4, 6, 10, 0.0);
        let opts = WildOptions {
            draws: 999,
            weights: BootWeights::Rademacher,
            conf_int: false,
            ..Default::default()
        };
        let b = run(&y, &x, &c, &opts);
        assert!(b.enumerated);
        assert_eq!(b.draws, 64);
        // Sign patterns come in ± pairs with equal |t*|, so the p-value is a multiple of 2/64.
        let k = b.p_value * 64.0;
        assert!(
            (k - k.round()).abs() < 1e-9 && (k.round() as i64) % 2 == 0,
            "{}",
            b.p_value
        );
        // Seeds do not matter when enumerating.
        let other = WildOptions { seed: 99, ..opts };
        assert_eq!(run(&y, &x, &c, &other).p_value, b.p_value);
    }

    #[test]
    fn rejection_rate_under_the_null_is_near_nominal() {
        // 200 data sets with β = 0 and 10 clusters: a 5% test should reject about 10 times
        // (binomial sd ≈ 3.1); accept 3..=20.
        let mut rejections = 0;
        for s in 0..200u64 {
            let (y, x, c) = panel(1000 + s, 10, 8, 0.0);
            let opts = WildOptions {
                draws: 199,
                seed: s,
                conf_int: false,
                ..Default::default()
            };
            if run(&y, &x, &c, &opts).p_value <= 0.05 {
                rejections += 1;
            }
        }
        assert!(
            (3..=20).contains(&rejections),
            "{rejections} rejections of 200"
        );
    }
}
