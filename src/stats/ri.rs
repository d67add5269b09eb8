//! Randomization inference for a treatment assigned to clusters (provinces): the treatment
//! paths of the clusters are reshuffled among them, the model re-estimated each time, and the
//! observed coefficient compared with that permutation distribution. Under the sharp null of
//! no effect the test is exact whatever the number of treated clusters, which is why it
//! complements cluster-robust inference when only a handful of provinces were treated.
//!
//! A cluster's path is its treatment value at each time (or a single value when no time is
//! given), so staggered timing moves with the cluster. The statistic is the coefficient
//! (fixest/pyfixest `ritest` "randomization-c"); the p-value is (1 + #{|β*| ≥ |β|}) / (1 + P),
//! which is valid for randomly drawn permutations (Phipson & Smyth 2010). Each permutation
//! demeans the permuted treatment (the other regressors and the fixed effects are partialled
//! out once, by Frisch–Waugh–Lovell). Permutation p uses a generator seeded from (seed, p).

use super::StatsError;
use super::demean::{Demeaner, Factor};
use super::feols::{self, FeolsSpec, Groups, Vcov, dot};
use super::linalg;
use super::rng::Rng;
use rayon::prelude::*;
use std::collections::HashMap;

/// Settings of randomization inference.
#[derive(Debug, Clone)]
pub struct RiOptions {
    pub permutations: usize,
    pub seed: u64,
}

impl Default for RiOptions {
    fn default() -> Self {
        RiOptions {
            permutations: 999,
            seed: crate::stats::DEFAULT_SEED,
        }
    }
}

/// The permutation test's answer.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RiResult {
    pub term: String,
    pub unit: String,
    pub estimate: f64,
    pub p_value: f64,
    pub permutations: usize,
    pub seed: u64,
    pub clusters: usize,
    /// Clusters with any non-zero treatment.
    pub treated_clusters: usize,
    /// 2.5% and 97.5% quantiles of the permuted coefficients (the null distribution).
    pub null_q025: f64,
    pub null_q975: f64,
    /// Randomization-t: the t statistic of the fitted model (its variance), and the share of
    /// permutations whose t is at least as extreme (fixest/pyfixest "randomization-t").
    pub t_statistic: f64,
    pub t_p_value: f64,
    /// True when every distinct permutation was used once (few clusters): the p-values are
    /// then exact, counted as #{at least as extreme} / #permutations.
    pub exact: bool,
    /// Column whose levels the permutations stayed within, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub strata: Option<String>,
}

/// Every permutation of `0..n`, in lexicographic order.
fn all_permutations(n: usize) -> Vec<Vec<u32>> {
    let mut out = Vec::new();
    let mut p: Vec<u32> = (0..n as u32).collect();
    loop {
        out.push(p.clone());
        // Next permutation (lexicographic); stop after the last.
        let Some(i) = (1..n).rev().find(|&i| p[i - 1] < p[i]) else {
            return out;
        };
        let j = (i..n).rev().find(|&j| p[j] > p[i - 1]).unwrap_or(i);
        p.swap(i - 1, j);
        p[i..].reverse();
    }
}

/// Largest number of row values the demeaned path pieces may hold (128 MiB of f64).
const PIECE_CELLS: usize = 1 << 24;

/// The distinct non-zero treatment paths (rows of the cluster × time table) and, for the
/// cached route, which (receiving cluster, path) piece each pair maps to.
struct PathPieces {
    /// Distinct path of each cluster as donor (None: never treated).
    path_of: Vec<Option<usize>>,
    /// A donor cluster of each distinct path (its row of the table is the path).
    donor: Vec<usize>,
}

impl PathPieces {
    /// None when the pieces would cost more than demeaning every permutation, or too much memory.
    fn new(
        table: &[f64],
        g: usize,
        n_times: usize,
        unit_codes: &[u32],
        n_perms: usize,
    ) -> Option<PathPieces> {
        let mut ids: HashMap<Vec<u64>, usize> = HashMap::new();
        let mut donor = Vec::new();
        let mut path_of = vec![None; g];
        let mut treated = 0usize;
        for (c, slot) in path_of.iter_mut().enumerate() {
            let row = &table[c * n_times..(c + 1) * n_times];
            if row.iter().all(|v| *v == 0.0) {
                continue;
            }
            treated += 1;
            let key: Vec<u64> = row.iter().map(|v| v.to_bits()).collect();
            let next = ids.len();
            let id = *ids.entry(key).or_insert_with(|| {
                donor.push(c);
                next
            });
            *slot = Some(id);
        }
        let n_pieces = g.checked_mul(donor.len())?;
        let n = unit_codes.len();
        // A demeaning costs some tens of passes over the rows, adding a piece one.
        const DEMEAN_PASSES: usize = 30;
        let cached = n_pieces * DEMEAN_PASSES + n_perms * treated;
        let direct = n_perms * DEMEAN_PASSES;
        (n_pieces.checked_mul(n)? <= PIECE_CELLS && cached < direct)
            .then_some(PathPieces { path_of, donor })
    }

    fn len(&self) -> usize {
        self.path_of.len() * self.donor.len()
    }

    /// The piece of cluster `c` receiving donor `d`'s path, if that path is non-zero.
    fn index(&self, c: usize, d: usize) -> Option<usize> {
        self.path_of[d].map(|q| c * self.donor.len() + q)
    }

    /// Piece `i` before demeaning: its path on its cluster's rows, zero elsewhere.
    fn raw(
        &self,
        i: usize,
        table: &[f64],
        n_times: usize,
        unit_codes: &[u32],
        time_codes: Option<&Vec<u32>>,
    ) -> Vec<f64> {
        let (c, q) = (i / self.donor.len(), i % self.donor.len());
        let path = &table[self.donor[q] * n_times..(self.donor[q] + 1) * n_times];
        match time_codes {
            Some(tc) => unit_codes
                .iter()
                .zip(tc)
                .map(|(&u, &t)| {
                    if u as usize == c {
                        path[t as usize]
                    } else {
                        0.0
                    }
                })
                .collect(),
            None => unit_codes
                .iter()
                .map(|&u| if u as usize == c { path[0] } else { 0.0 })
                .collect(),
        }
    }
}

/// Runs randomization inference for regressor `term`, whose values are permuted between the
/// levels of `unit` (paths over `time` when given).
pub fn randomization_inference(
    spec: &FeolsSpec,
    term: &str,
    unit: Groups,
    time: Option<&[u32]>,
    opts: &RiOptions,
) -> Result<RiResult, StatsError> {
    randomization_inference_within(spec, term, unit, time, None, opts)
}

/// As `randomization_inference`, with permutations only among clusters of the same stratum
/// (`strata`: per-row codes, constant within a cluster).
pub fn randomization_inference_within(
    spec: &FeolsSpec,
    term: &str,
    unit: Groups,
    time: Option<&[u32]>,
    strata: Option<Groups>,
    opts: &RiOptions,
) -> Result<RiResult, StatsError> {
    permutation_test(spec, term, unit, time, strata, opts, true)
}

/// The test itself; `use_pieces` false forces one demeaning per permutation (to check the
/// cached route against it).
fn permutation_test(
    spec: &FeolsSpec,
    term: &str,
    unit: Groups,
    time: Option<&[u32]>,
    strata: Option<Groups>,
    opts: &RiOptions,
    use_pieces: bool,
) -> Result<RiResult, StatsError> {
    let clock = std::time::Instant::now();
    let n_in = spec.y.values.len();
    if unit.codes.len() != n_in || time.is_some_and(|t| t.len() != n_in) {
        return Err(StatsError::Invalid(
            "unit and time columns must have one value per row".into(),
        ));
    }
    if opts.permutations == 0 {
        return Err(StatsError::Invalid(
            "at least one permutation is needed".into(),
        ));
    }
    let j_in = spec
        .regressors
        .iter()
        .position(|c| c.name == term)
        .ok_or_else(|| StatsError::Invalid(format!("no regressor named {term}")))?;
    let mut plain = spec.clone();
    plain.vcov = Vcov::Iid;
    let design = feols::prepare(&plain)?;
    let j = design.names.iter().position(|n| n == term).ok_or_else(|| {
        StatsError::Invalid(format!("{term} was dropped as collinear; nothing to test"))
    })?;
    let rows: Vec<usize> = (0..n_in).filter(|&i| design.kept[i]).collect();
    let units = design.factor_of(unit.codes);
    let times = time.map(|t| design.factor_of(t));
    let g = units.levels;
    if g < 2 {
        return Err(StatsError::TooFewObservations(
            "randomization inference needs at least two clusters".into(),
        ));
    }
    let d_raw: Vec<f64> = rows
        .iter()
        .map(|&i| spec.regressors[j_in].values[i])
        .collect();

    // Each cluster's treatment path: value per time (or one value), which must be unique.
    let mut path: HashMap<(u32, u32), f64> = HashMap::new();
    for (r, &d) in d_raw.iter().enumerate() {
        let key = (units.codes[r], times.as_ref().map_or(0, |t| t.codes[r]));
        match path.get(&key) {
            Some(&v) if v != d => {
                return Err(StatsError::Invalid(format!(
                    "{term} varies within a {}{} cell; randomization inference permutes whole \
                     cluster paths, so the treatment must be constant there",
                    unit.name,
                    if times.is_some() { " × time" } else { "" }
                )));
            }
            _ => {
                path.insert(key, d);
            }
        }
    }
    // Clusters by stratum (one stratum without strata).
    let mut stratum_of = vec![u32::MAX; g];
    if let Some(st) = &strata {
        if st.codes.len() != n_in {
            return Err(StatsError::Invalid(
                "the strata column must have one value per row".into(),
            ));
        }
        let sf = design.factor_of(st.codes);
        for (r, &c) in units.codes.iter().enumerate() {
            let s = &mut stratum_of[c as usize];
            if *s == u32::MAX {
                *s = sf.codes[r];
            } else if *s != sf.codes[r] {
                return Err(StatsError::Invalid(format!(
                    "strata column {} varies within a {} cluster; strata must group whole \
                     clusters",
                    st.name, unit.name
                )));
            }
        }
    } else {
        stratum_of.iter_mut().for_each(|s| *s = 0);
    }
    let n_strata = stratum_of
        .iter()
        .map(|&s| s as usize + 1)
        .max()
        .unwrap_or(1);
    let members: Vec<Vec<u32>> = (0..n_strata)
        .map(|s| {
            (0..g as u32)
                .filter(|&c| stratum_of[c as usize] == s as u32)
                .collect()
        })
        .collect();
    // All distinct permutations when there are few enough (exact p-values).
    let total: Option<usize> = members.iter().try_fold(1usize, |acc, m| {
        (1..=m.len()).try_fold(acc, |a, k| a.checked_mul(k))
    });
    let enumerate = total.is_some_and(|t| t <= opts.permutations);
    let perm_list: Vec<Vec<u32>> = if enumerate {
        let mut list: Vec<Vec<u32>> = vec![(0..g as u32).collect()];
        for m in &members {
            let local = all_permutations(m.len());
            let mut next = Vec::with_capacity(list.len() * local.len());
            for base in &list {
                for lp in &local {
                    let mut p = base.clone();
                    for (i, &c) in m.iter().enumerate() {
                        p[c as usize] = m[lp[i] as usize];
                    }
                    next.push(p);
                }
            }
            list = next;
        }
        list
    } else {
        Vec::new()
    };
    let n_perms = if enumerate {
        perm_list.len()
    } else {
        opts.permutations
    };
    let treated_clusters = (0..g as u32)
        .filter(|&c| path.iter().any(|((u, _), v)| *u == c && *v != 0.0))
        .count();

    // Partial out the other regressors once: r_y = M_W ỹ, and W̃ with its Cholesky factor.
    let others: Vec<&Vec<f64>> = (0..design.x.len())
        .filter(|&c| c != j)
        .map(|c| &design.x[c])
        .collect();
    let kw = others.len();
    let mut wtw = vec![0.0; kw * kw];
    for a in 0..kw {
        for b in 0..kw {
            wtw[a * kw + b] = dot(others[a], others[b]);
        }
    }
    let lw = if kw > 0 {
        Some(
            linalg::cholesky(&wtw, kw)
                .ok_or_else(|| StatsError::Invalid("the other regressors are collinear".into()))?,
        )
    } else {
        None
    };
    let partial = |v: &[f64]| -> Vec<f64> {
        let mut out = v.to_vec();
        if let Some(l) = &lw {
            let rhs: Vec<f64> = others.iter().map(|w| dot(w, v)).collect();
            let coef = linalg::cholesky_solve(l, kw, &rhs);
            for (c, w) in coef.iter().zip(&others) {
                for (o, x) in out.iter_mut().zip(w.iter()) {
                    *o -= c * x;
                }
            }
        }
        out
    };
    let r_y = partial(&design.y);
    let demeaner = Demeaner::weighted(
        &design.factors,
        design.weights.as_deref(),
        design.tol,
        design.max_iter,
    );
    let root_w: Option<Vec<f64>> = design
        .weights
        .as_ref()
        .map(|w| w.iter().map(|v| v.sqrt()).collect());
    // The t statistic's variance as the model's, by Frisch–Waugh–Lovell, without the
    // small-sample factor (a constant that cancels in the comparison).
    let var_parts: Vec<(Factor, f64)> = match &spec.vcov {
        Vcov::Cluster(cs) => {
            let fs: Vec<Factor> = cs.iter().map(|c| design.factor_of(c.codes)).collect();
            let mut parts: Vec<(Factor, f64)> = fs.iter().map(|f| (f.clone(), 1.0)).collect();
            if fs.len() == 2 {
                parts.push((Factor::interact(&fs[0], &fs[1]), -1.0));
            }
            parts
        }
        _ => Vec::new(),
    };
    let hetero = matches!(spec.vcov, Vcov::Hetero);
    let stat_of = |dp: &[f64]| -> (f64, f64) {
        let dd = dot(dp, dp);
        let b = dot(dp, &r_y) / dd;
        let e: Vec<f64> = r_y.iter().zip(dp).map(|(y, d)| y - b * d).collect();
        let meat = if !var_parts.is_empty() {
            var_parts
                .iter()
                .map(|(f, sign)| {
                    let mut s = vec![0.0; f.levels];
                    for ((&c, di), ei) in f.codes.iter().zip(dp).zip(&e) {
                        s[c as usize] += di * ei;
                    }
                    sign * s.iter().map(|v| v * v).sum::<f64>()
                })
                .sum::<f64>()
        } else if hetero {
            dp.iter().zip(&e).map(|(d, e)| d * d * e * e).sum::<f64>()
        } else {
            dot(&e, &e) * dd
        };
        let var = meat / (dd * dd);
        (b, if var > 0.0 { b / var.sqrt() } else { f64::NAN })
    };
    let coef_of = |d: &[f64]| -> (f64, f64) {
        let mut dd = d.to_vec();
        demeaner.demean(&mut dd);
        if let Some(r) = &root_w {
            for (v, r) in dd.iter_mut().zip(r) {
                *v *= r;
            }
        }
        stat_of(&partial(&dd))
    };
    let (estimate, t_raw) = stat_of(&partial(&design.x[j]));
    let t_statistic = feols::feols(spec)
        .ok()
        .and_then(|f| f.term(term).map(|t| t.statistic))
        .unwrap_or(f64::NAN);
    let unit_codes = &units.codes;
    let time_codes = times.as_ref().map(|t| &t.codes);
    // The paths as a dense cluster × time table (0 where a cluster has no row at that time), so
    // a permutation's treatment column is a table lookup per row.
    let n_times = times.as_ref().map_or(1, |t| t.levels);
    let mut table = vec![0.0; g * n_times];
    for (&(u, t), &v) in &path {
        table[u as usize * n_times + t as usize] = v;
    }
    let perm_of = |p: usize| -> Vec<u32> {
        if enumerate {
            perm_list[p].clone()
        } else {
            let mut rng = Rng::new(opts.seed ^ (p as u64 + 1).wrapping_mul(0xD1B5_4A32_D192_ED03));
            let mut perm: Vec<u32> = (0..g as u32).collect();
            for m in &members {
                let mut shuffled = m.clone();
                rng.shuffle(&mut shuffled);
                for (&c, &to) in m.iter().zip(&shuffled) {
                    perm[c as usize] = to;
                }
            }
            perm
        }
    };
    // A permuted column is a sum over clusters of "cluster c's rows carry donor perm[c]'s path",
    // and demeaning is linear, so when few distinct paths are non-zero the demeaned pieces
    // (cluster × distinct path) are computed once and each permutation only adds up the pieces
    // of the clusters that receive a treated path.
    let pieces = PathPieces::new(&table, g, n_times, unit_codes, n_perms).filter(|_| use_pieces);
    let draws: Vec<(f64, f64)> = match &pieces {
        Some(pc) => {
            let demeaned: Vec<Vec<f64>> = (0..pc.len())
                .into_par_iter()
                .map(|i| {
                    let mut v = pc.raw(i, &table, n_times, unit_codes, time_codes);
                    demeaner.demean(&mut v);
                    v
                })
                .collect();
            (0..n_perms)
                .into_par_iter()
                .map(|p| {
                    let perm = perm_of(p);
                    let mut dd = vec![0.0; unit_codes.len()];
                    for (c, &donor) in perm.iter().enumerate() {
                        if let Some(i) = pc.index(c, donor as usize) {
                            for (o, v) in dd.iter_mut().zip(&demeaned[i]) {
                                *o += v;
                            }
                        }
                    }
                    if let Some(r) = &root_w {
                        for (v, r) in dd.iter_mut().zip(r) {
                            *v *= r;
                        }
                    }
                    stat_of(&partial(&dd))
                })
                .collect()
        }
        None => (0..n_perms)
            .into_par_iter()
            .map(|p| {
                let perm = perm_of(p);
                // Row of cluster c takes the path of cluster perm[c] at its own time; a time
                // the donor cluster never had counts as untreated.
                let d: Vec<f64> = match time_codes {
                    Some(tc) => unit_codes
                        .iter()
                        .zip(tc)
                        .map(|(&u, &t)| table[perm[u as usize] as usize * n_times + t as usize])
                        .collect(),
                    None => unit_codes
                        .iter()
                        .map(|&u| table[perm[u as usize] as usize])
                        .collect(),
                };
                coef_of(&d)
            })
            .collect(),
    };
    tracing::debug!(
        secs = clock.elapsed().as_secs_f64(),
        permutations = n_perms,
        rows = rows.len(),
        "randomization inference"
    );
    let perms: Vec<f64> = draws.iter().map(|d| d.0).collect();
    let thresh = estimate.abs() * (1.0 - 1e-12);
    let exceed = perms.iter().filter(|b| b.abs() >= thresh).count();
    let t_thresh = t_raw.abs() * (1.0 - 1e-12);
    let t_exceed = draws.iter().filter(|d| d.1.abs() >= t_thresh).count();
    // Sampled permutations: (1 + #) / (1 + P); all of them (the identity included): # / P.
    let pv = |k: usize| {
        if enumerate {
            k as f64 / n_perms as f64
        } else {
            (1 + k) as f64 / (1 + n_perms) as f64
        }
    };
    let mut sorted: Vec<f64> = perms.iter().copied().filter(|v| v.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    let q = |p: f64| {
        if sorted.is_empty() {
            return f64::NAN;
        }
        let pos = p * (sorted.len() - 1) as f64;
        let lo = pos.floor() as usize;
        let hi = pos.ceil() as usize;
        sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
    };
    Ok(RiResult {
        term: term.to_string(),
        unit: unit.name.to_string(),
        estimate,
        p_value: pv(exceed),
        permutations: n_perms,
        seed: opts.seed,
        clusters: g,
        treated_clusters,
        null_q025: q(0.025),
        null_q975: q(0.975),
        t_statistic,
        t_p_value: pv(t_exceed),
        exact: enumerate,
        strata: strata.map(|s| s.name.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::feols::Column;

    /// Province × year panel: `treated` provinces get d = 1 from year 3 on; y has province and
    /// year effects and an effect `tau` of d.
    fn data(
        seed: u64,
        g: usize,
        treated: usize,
        tau: f64,
    ) -> (Vec<f64>, Vec<f64>, Vec<u32>, Vec<u32>) {
        let mut rng = Rng::new(seed);
        let (mut y, mut d, mut unit, mut time) = (vec![], vec![], vec![], vec![]);
        let year: Vec<f64> = (0..6).map(|_| rng.normal()).collect();
        for c in 0..g {
            let a = rng.normal();
            for (t, yt) in year.iter().enumerate() {
                let di = if c < treated && t >= 3 { 1.0 } else { 0.0 };
                y.push(a + yt + tau * di + rng.normal());
                d.push(di);
                unit.push(c as u32);
                time.push(t as u32);
            }
        }
        (y, d, unit, time)
    }

    fn run(seed: u64, tau: f64, perms: usize) -> RiResult {
        let (y, d, unit, time) = data(seed, 20, 5, tau);
        let spec = FeolsSpec::new(
            Column {
                name: "y",
                values: &y,
            },
            vec![Column {
                name: "d",
                values: &d,
            }],
            vec![
                Groups {
                    name: "prov",
                    codes: &unit,
                },
                Groups {
                    name: "year",
                    codes: &time,
                },
            ],
        );
        let opts = RiOptions {
            permutations: perms,
            seed,
        };
        randomization_inference(
            &spec,
            "d",
            Groups {
                name: "prov",
                codes: &unit,
            },
            Some(&time),
            &opts,
        )
        .unwrap()
    }

    #[test]
    fn results_do_not_depend_on_the_thread_count() {
        let pool = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
        };
        let one = pool(1).install(|| run(3, 0.2, 199));
        let two = pool(2).install(|| run(3, 0.2, 199));
        assert_eq!(one, two);
        assert!(!one.exact && one.permutations == 199);
    }

    #[test]
    fn estimate_equals_feols_and_planted_effect_is_found() {
        let (y, d, unit, time) = data(3, 20, 5, 1.5);
        let spec = FeolsSpec::new(
            Column {
                name: "y",
                values: &y,
            },
            vec![Column {
                name: "d",
                values: &d,
            }],
            vec![
                Groups {
                    name: "prov",
                    codes: &unit,
                },
                Groups {
                    name: "year",
                    codes: &time,
                },
            ],
        );
        let fit = feols::feols(&spec).unwrap();
        let r = run(3, 1.5, 499);
        assert!((r.estimate - fit.term("d").unwrap().estimate).abs() < 1e-9);
        assert_eq!(r.treated_clusters, 5);
        assert_eq!(r.clusters, 20);
        // C(20,5) = 15504 assignments; a 1.5 effect with unit noise is far in the tail.
        assert!(r.p_value < 0.01, "{}", r.p_value);
        assert!(r.null_q025 < 0.0 && r.null_q975 > 0.0);
    }

    #[test]
    fn rejection_rate_under_the_null_is_at_most_nominal() {
        // Exact test: P(p ≤ 0.05) ≤ 0.05. 150 data sets → about 7.5 rejections (sd ≈ 2.7).
        let rejections = (0..150u64)
            .filter(|&s| run(500 + s, 0.0, 99).p_value <= 0.05)
            .count();
        assert!((1..=16).contains(&rejections), "{rejections} of 150");
    }

    #[test]
    fn cached_path_pieces_match_demeaning_every_permutation() {
        // Staggered paths (two distinct non-zero paths) and unequal cluster sizes.
        let mut rng = Rng::new(17);
        let (mut y, mut d, mut unit, mut time) = (vec![], vec![], vec![], vec![]);
        for c in 0..15u32 {
            for t in 0..(5 + c % 3) {
                let start = match c {
                    0 | 1 => Some(2),
                    2 => Some(4),
                    _ => None,
                };
                let di = if start.is_some_and(|s| t >= s) {
                    1.0
                } else {
                    0.0
                };
                y.push(c as f64 * 0.1 + t as f64 * 0.2 + 0.7 * di + rng.normal());
                d.push(di);
                unit.push(c);
                time.push(t);
            }
        }
        let x: Vec<f64> = (0..y.len()).map(|_| rng.normal()).collect();
        let mut spec = FeolsSpec::new(
            Column {
                name: "y",
                values: &y,
            },
            vec![
                Column {
                    name: "d",
                    values: &d,
                },
                Column {
                    name: "x",
                    values: &x,
                },
            ],
            vec![
                Groups {
                    name: "prov",
                    codes: &unit,
                },
                Groups {
                    name: "year",
                    codes: &time,
                },
            ],
        );
        spec.vcov = Vcov::Cluster(vec![Groups {
            name: "prov",
            codes: &unit,
        }]);
        let unit_g = || Groups {
            name: "prov",
            codes: &unit,
        };
        let opts = RiOptions {
            permutations: 299,
            seed: 5,
        };
        let a = permutation_test(&spec, "d", unit_g(), Some(&time), None, &opts, true).unwrap();
        let b = permutation_test(&spec, "d", unit_g(), Some(&time), None, &opts, false).unwrap();
        assert_eq!(a.p_value, b.p_value);
        assert_eq!(a.t_p_value, b.t_p_value);
        for (u, v) in [(a.null_q025, b.null_q025), (a.null_q975, b.null_q975)] {
            assert!((u - v).abs() <= 1e-8 * v.abs().max(1.0), "{u} vs {v}");
        }
        assert!(b.null_q025 < b.null_q975);
    }

    #[test]
    fn treatment_varying_within_a_cell_is_refused() {
        let y = [1.0, 2.0, 3.0, 4.0];
        let d = [0.0, 1.0, 0.0, 0.0];
        let unit = [0u32, 0, 1, 1];
        let spec = FeolsSpec::new(
            Column {
                name: "y",
                values: &y,
            },
            vec![Column {
                name: "d",
                values: &d,
            }],
            vec![],
        );
        let e = randomization_inference(
            &spec,
            "d",
            Groups {
                name: "prov",
                codes: &unit,
            },
            None,
            &RiOptions::default(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("varies within a prov cell"), "{e}");
    }
}
