//! Absorbing fixed effects: recursive singleton removal, dense re-coding of group codes, and the
//! alternating-projections demeaner (Gauss–Seidel sweeps over the fixed effects with Irons–Tuck
//! acceleration, as fixest does). Two effects of which one has few levels, on large data, are
//! solved exactly instead (`twoway`).
//!
//! The demeaner iterates in the space of fixed-effect coefficients rather than on the N-long
//! column: one sweep updates every effect's group means from the column and the other effects'
//! current coefficients, so the working memory is the size of the effects, not of the data, and
//! the column is touched once more at the end to subtract the fitted effects in place.

use super::twoway::TwoWay;
use rayon::prelude::*;

/// Group codes of one fixed effect, re-coded densely to `0..levels`.
#[derive(Debug, Clone)]
pub struct Factor {
    pub codes: Vec<u32>,
    pub levels: usize,
}

impl Factor {
    /// Re-codes arbitrary `u32` codes densely in order of first appearance.
    pub fn from_codes(codes: &[u32]) -> Factor {
        Self::from_codes_masked(codes, None)
    }

    /// Re-codes only the rows where `keep` is true (the rest are skipped, not coded).
    pub fn from_codes_masked(codes: &[u32], keep: Option<&[bool]>) -> Factor {
        let kept = |i: usize| keep.is_none_or(|k| k[i]);
        let mut max = 0usize;
        let mut n_keep = 0usize;
        for (i, &c) in codes.iter().enumerate() {
            if kept(i) {
                max = max.max(c as usize);
                n_keep += 1;
            }
        }
        let mut out = Vec::with_capacity(n_keep);
        if max <= 4 * n_keep + 1024 {
            // Compact codes (the usual case): a lookup table beats hashing.
            let mut map = vec![u32::MAX; max + 1];
            let mut levels = 0u32;
            for (i, &c) in codes.iter().enumerate() {
                if !kept(i) {
                    continue;
                }
                let slot = &mut map[c as usize];
                if *slot == u32::MAX {
                    *slot = levels;
                    levels += 1;
                }
                out.push(*slot);
            }
            return Factor {
                codes: out,
                levels: levels as usize,
            };
        }
        let mut map = std::collections::HashMap::new();
        for (i, &c) in codes.iter().enumerate() {
            if kept(i) {
                let next = map.len() as u32;
                out.push(*map.entry(c).or_insert(next));
            }
        }
        Factor {
            codes: out,
            levels: map.len(),
        }
    }

    pub fn counts(&self) -> Vec<u32> {
        let mut n = vec![0u32; self.levels];
        for &c in &self.codes {
            n[c as usize] += 1;
        }
        n
    }

    /// True when every level of `self` falls within one level of `outer`.
    pub fn nested_in(&self, outer: &Factor) -> bool {
        let mut seen = vec![u32::MAX; self.levels];
        for (&c, &o) in self.codes.iter().zip(&outer.codes) {
            let s = &mut seen[c as usize];
            if *s == u32::MAX {
                *s = o;
            } else if *s != o {
                return false;
            }
        }
        true
    }

    /// The interaction of two factors over the same rows (`a^b`).
    pub fn interact(a: &Factor, b: &Factor) -> Factor {
        let combined: Vec<u64> = a
            .codes
            .iter()
            .zip(&b.codes)
            .map(|(&x, &y)| x as u64 * b.levels as u64 + y as u64)
            .collect();
        let mut map = std::collections::HashMap::with_capacity(a.levels.max(b.levels));
        let mut codes = Vec::with_capacity(combined.len());
        for v in combined {
            let next = map.len() as u32;
            codes.push(*map.entry(v).or_insert(next));
        }
        Factor {
            levels: map.len(),
            codes,
        }
    }
}

/// Rows to keep after removing, recursively, every observation that is alone in a level of any
/// fixed effect (its effect would fit it perfectly and it would carry no information).
/// `keep` enters with rows already excluded (e.g. missing values) marked false.
pub fn drop_singletons(fes: &[&[u32]], keep: &mut [bool]) -> usize {
    let mut dropped = 0;
    if fes.is_empty() {
        return 0;
    }
    // Common case first: when no level of any effect holds a single row there is nothing to
    // remove, which one counting pass per effect shows (codes in a compact range only).
    if fes.iter().all(|f| no_singleton_level(f, keep)) {
        return 0;
    }
    // Work on dense codes of the rows still in play (input codes may be sparse or carry a
    // missing marker on excluded rows); dense row r is the r-th row initially kept.
    let initial: Vec<bool> = keep.to_vec();
    let dense: Vec<Factor> = fes
        .iter()
        .map(|f| Factor::from_codes_masked(f, Some(&initial)))
        .collect();
    let mut counts: Vec<Vec<u32>> = dense.iter().map(|f| f.counts()).collect();
    loop {
        let mut changed = false;
        let mut r = 0usize;
        for i in 0..keep.len() {
            if !initial[i] {
                continue;
            }
            let this = r;
            r += 1;
            if !keep[i] {
                continue;
            }
            if dense
                .iter()
                .zip(&counts)
                .any(|(f, cnt)| cnt[f.codes[this] as usize] == 1)
            {
                keep[i] = false;
                dropped += 1;
                changed = true;
                for (f, cnt) in dense.iter().zip(counts.iter_mut()) {
                    cnt[f.codes[this] as usize] -= 1;
                }
            }
        }
        if !changed {
            return dropped;
        }
    }
}

/// True when every level of `codes` among the kept rows holds at least two rows; false also
/// when the codes are too sparse to count in a table (the caller then checks row by row).
fn no_singleton_level(codes: &[u32], keep: &[bool]) -> bool {
    let max = codes
        .iter()
        .zip(keep)
        .filter(|(_, k)| **k)
        .map(|(&c, _)| c)
        .max();
    let Some(max) = max else {
        return true;
    };
    if max as usize > 4 * codes.len() + 1024 {
        return false;
    }
    let mut count = vec![0u8; max as usize + 1];
    for (&c, &k) in codes.iter().zip(keep) {
        if k {
            let n = &mut count[c as usize];
            *n = n.saturating_add(1);
        }
    }
    !count.contains(&1)
}

/// Outcome of demeaning one column.
#[derive(Debug, Clone, Copy)]
pub struct DemeanInfo {
    pub iterations: usize,
    pub converged: bool,
}

/// Projects columns onto the orthogonal complement of the fixed-effect dummies.
#[derive(Debug)]
pub struct Demeaner<'a> {
    factors: &'a [Factor],
    inv_counts: Vec<Vec<f64>>,
    /// Observation weights (weighted least squares): group means become weighted means.
    weights: Option<&'a [f64]>,
    /// Exact solve for two effects of which one has few levels (unweighted only).
    direct: Option<TwoWay>,
    pub tol: f64,
    pub max_iter: usize,
}

impl<'a> Demeaner<'a> {
    pub fn new(factors: &'a [Factor], tol: f64, max_iter: usize) -> Self {
        Self::weighted(factors, None, tol, max_iter)
    }

    /// A demeaner that always iterates (no exact two-way solve), to check the solve against.
    pub fn iterative(factors: &'a [Factor], tol: f64, max_iter: usize) -> Self {
        let mut d = Self::new(factors, tol, max_iter);
        d.direct = None;
        d
    }

    /// A demeaner whose projections are weighted by `weights` (one per row, positive): the
    /// result is orthogonal to the dummies in the weighted inner product, as WLS needs.
    pub fn weighted(
        factors: &'a [Factor],
        weights: Option<&'a [f64]>,
        tol: f64,
        max_iter: usize,
    ) -> Self {
        let inv_counts = factors
            .iter()
            .map(|f| {
                let totals: Vec<f64> = match weights {
                    None => f.counts().into_iter().map(f64::from).collect(),
                    Some(w) => {
                        let mut t = vec![0.0; f.levels];
                        for (&c, &wi) in f.codes.iter().zip(w) {
                            t[c as usize] += wi;
                        }
                        t
                    }
                };
                totals
                    .into_iter()
                    .map(|c| if c == 0.0 { 0.0 } else { 1.0 / c })
                    .collect()
            })
            .collect();
        let direct = if weights.is_none() {
            TwoWay::new(factors)
        } else {
            None
        };
        Demeaner {
            factors,
            inv_counts,
            weights,
            direct,
            tol,
            max_iter,
        }
    }

    /// Demeans every column in place. The columns go through the sweeps together, their
    /// coefficients interleaved (level-major), so each pass reads the group codes once and one
    /// cache line serves every column; demeaning is memory-bound, so this beats one thread per
    /// column. Convergence is declared when every column has converged.
    pub fn demean_all(&self, cols: &mut [Vec<f64>]) -> Vec<DemeanInfo> {
        let mut refs: Vec<&mut [f64]> = cols.iter_mut().map(|c| c.as_mut_slice()).collect();
        let info = self.demean_joint(&mut refs);
        vec![info; cols.len()]
    }

    /// Demeans one column in place.
    pub fn demean(&self, y: &mut [f64]) -> DemeanInfo {
        self.demean_joint(&mut [y])
    }

    fn demean_joint(&self, cols: &mut [&mut [f64]]) -> DemeanInfo {
        let q = self.factors.len();
        let m = cols.len();
        if q == 0 || m == 0 {
            return DemeanInfo {
                iterations: 0,
                converged: true,
            };
        }
        if let Some(direct) = &self.direct {
            direct.demean_all(self.factors, cols);
            return DemeanInfo {
                iterations: 1,
                converged: true,
            };
        }
        // Per-effect sums of the columns: a sweep then only needs the other effects'
        // coefficients, never the columns themselves.
        let sums: Vec<Vec<f64>> = self
            .factors
            .par_iter()
            .map(|f| {
                let mut s = vec![0.0; f.levels * m];
                for (j, col) in cols.iter().enumerate() {
                    match self.weights {
                        None => {
                            for (&c, &v) in f.codes.iter().zip(col.iter()) {
                                s[c as usize * m + j] += v;
                            }
                        }
                        Some(w) => {
                            for ((&c, &v), &wi) in f.codes.iter().zip(col.iter()).zip(w) {
                                s[c as usize * m + j] += wi * v;
                            }
                        }
                    }
                }
                s
            })
            .collect();
        let offsets: Vec<usize> = self
            .factors
            .iter()
            .scan(0, |acc, f| {
                let o = *acc;
                *acc += f.levels;
                Some(o)
            })
            .collect();
        let total: usize = self.factors.iter().map(|f| f.levels).sum::<usize>() * m;
        let mut x = vec![0.0; total];
        let mut info = DemeanInfo {
            iterations: 0,
            converged: true,
        };
        if q == 1 {
            self.sweep(&sums, &offsets, m, &mut x);
            info.iterations = 1;
        } else {
            let mut gx = vec![0.0; total];
            let mut ggx = vec![0.0; total];
            info.converged = false;
            while info.iterations < self.max_iter {
                gx.copy_from_slice(&x);
                self.sweep(&sums, &offsets, m, &mut gx);
                info.iterations += 1;
                if self.close(&x, &gx) {
                    x.copy_from_slice(&gx);
                    info.converged = true;
                    break;
                }
                ggx.copy_from_slice(&gx);
                self.sweep(&sums, &offsets, m, &mut ggx);
                info.iterations += 1;
                if self.close(&gx, &ggx) {
                    x.copy_from_slice(&ggx);
                    info.converged = true;
                    break;
                }
                // Irons–Tuck extrapolation from X, G(X), G(G(X)), column by column.
                let mut vprod = vec![0.0; m];
                let mut ssq = vec![0.0; m];
                for ((xs, gs), ggs) in x
                    .chunks_exact(m)
                    .zip(gx.chunks_exact(m))
                    .zip(ggx.chunks_exact(m))
                {
                    for j in 0..m {
                        let d_gx = ggs[j] - gs[j];
                        let d2 = d_gx - gs[j] + xs[j];
                        vprod[j] += d_gx * d2;
                        ssq[j] += d2 * d2;
                    }
                }
                let coef: Vec<Option<f64>> = (0..m)
                    .map(|j| (ssq[j] != 0.0 && ssq[j].is_finite()).then(|| vprod[j] / ssq[j]))
                    .collect();
                for ((xs, gs), ggs) in x
                    .chunks_exact_mut(m)
                    .zip(gx.chunks_exact(m))
                    .zip(ggx.chunks_exact(m))
                {
                    for j in 0..m {
                        xs[j] = match coef[j] {
                            Some(c) => ggs[j] - c * (ggs[j] - gs[j]),
                            None => ggs[j],
                        };
                    }
                }
            }
        }
        // Subtract the fitted effects from the columns.
        let x = &x;
        cols.par_iter_mut().enumerate().for_each(|(j, col)| {
            for (i, v) in col.iter_mut().enumerate() {
                let mut fit = 0.0;
                for (f, &o) in self.factors.iter().zip(&offsets) {
                    fit += x[(o + f.codes[i] as usize) * m + j];
                }
                *v -= fit;
            }
        });
        info
    }

    fn close(&self, a: &[f64], b: &[f64]) -> bool {
        a.iter()
            .zip(b)
            .all(|(&u, &v)| (u - v).abs() <= self.tol * (0.1 + u.abs()))
    }

    /// One Gauss–Seidel sweep: each effect's coefficients become the group means of the columns
    /// minus the other effects' current coefficients. `x` holds `m` interleaved columns.
    fn sweep(&self, sums: &[Vec<f64>], offsets: &[usize], m: usize, x: &mut [f64]) {
        let q = self.factors.len();
        let mut acc: Vec<f64> = Vec::new();
        for target in 0..q {
            let f = &self.factors[target];
            acc.clear();
            acc.extend_from_slice(&sums[target]);
            if let Some(w) = self.weights {
                for (i, (&code, &wi)) in f.codes.iter().zip(w).enumerate() {
                    let base = code as usize * m;
                    for (r, (g, &o)) in self.factors.iter().zip(offsets).enumerate() {
                        if r != target {
                            let src = (o + g.codes[i] as usize) * m;
                            for j in 0..m {
                                acc[base + j] -= wi * x[src + j];
                            }
                        }
                    }
                }
            } else if q == 2 {
                let other = &self.factors[1 - target];
                let o = offsets[1 - target] * m;
                let ox = &x[o..o + other.levels * m];
                match m {
                    1 => two_way_pass::<1>(&f.codes, &other.codes, ox, &mut acc),
                    2 => two_way_pass::<2>(&f.codes, &other.codes, ox, &mut acc),
                    3 => two_way_pass::<3>(&f.codes, &other.codes, ox, &mut acc),
                    4 => two_way_pass::<4>(&f.codes, &other.codes, ox, &mut acc),
                    _ => two_way_pass_dyn(&f.codes, &other.codes, ox, &mut acc, m),
                }
            } else if q == 3 {
                // The two other effects, in effect order (the same subtractions, in the same
                // order, as the generic loop below: the same bits).
                let r: Vec<usize> = (0..3).filter(|&r| r != target).collect();
                let part = |r: usize| {
                    let o = offsets[r] * m;
                    (
                        self.factors[r].codes.as_slice(),
                        &x[o..o + self.factors[r].levels * m],
                    )
                };
                let (a, b) = (part(r[0]), part(r[1]));
                match m {
                    1 => three_way_pass::<1>(&f.codes, a, b, &mut acc),
                    2 => three_way_pass::<2>(&f.codes, a, b, &mut acc),
                    3 => three_way_pass::<3>(&f.codes, a, b, &mut acc),
                    4 => three_way_pass::<4>(&f.codes, a, b, &mut acc),
                    _ => three_way_pass_dyn(&f.codes, a, b, &mut acc, m),
                }
            } else {
                for i in 0..f.codes.len() {
                    let base = f.codes[i] as usize * m;
                    for (r, (g, &o)) in self.factors.iter().zip(offsets).enumerate() {
                        if r != target {
                            let src = (o + g.codes[i] as usize) * m;
                            for j in 0..m {
                                acc[base + j] -= x[src + j];
                            }
                        }
                    }
                }
            }
            let o = offsets[target] * m;
            for (l, w) in self.inv_counts[target].iter().enumerate() {
                for j in 0..m {
                    x[o + l * m + j] = acc[l * m + j] * w;
                }
            }
        }
    }
}

/// `acc[c] -= ox[d]` over all rows for `M` interleaved columns. Rows of one group often come in
/// runs (panels sorted by unit), so the other effect's coefficients are summed in registers over
/// a run and subtracted once, avoiding a store-to-load chain per row.
fn two_way_pass<const M: usize>(codes: &[u32], other: &[u32], ox: &[f64], acc: &mut [f64]) {
    let mut cur = usize::MAX;
    let mut run = [0.0f64; M];
    for (&c, &d) in codes.iter().zip(other) {
        let c = c as usize;
        if c != cur {
            if cur != usize::MAX {
                let a: &mut [f64; M] = (&mut acc[cur * M..cur * M + M])
                    .try_into()
                    .unwrap_or_else(|_| unreachable!());
                for j in 0..M {
                    a[j] -= run[j];
                }
            }
            run = [0.0; M];
            cur = c;
        }
        let d = d as usize;
        let src: &[f64; M] = (&ox[d * M..d * M + M])
            .try_into()
            .unwrap_or_else(|_| unreachable!());
        for j in 0..M {
            run[j] += src[j];
        }
    }
    if cur != usize::MAX {
        for j in 0..M {
            acc[cur * M + j] -= run[j];
        }
    }
}

/// `acc[c] -= xa[d]; acc[c] -= xb[e]` over all rows for `M` interleaved columns (three effects).
fn three_way_pass<const M: usize>(
    codes: &[u32],
    (ca, xa): (&[u32], &[f64]),
    (cb, xb): (&[u32], &[f64]),
    acc: &mut [f64],
) {
    for ((&c, &d), &e) in codes.iter().zip(ca).zip(cb) {
        let (c, d, e) = (c as usize * M, d as usize * M, e as usize * M);
        let sa: &[f64; M] = (&xa[d..d + M])
            .try_into()
            .unwrap_or_else(|_| unreachable!());
        let sb: &[f64; M] = (&xb[e..e + M])
            .try_into()
            .unwrap_or_else(|_| unreachable!());
        let a: &mut [f64; M] = (&mut acc[c..c + M])
            .try_into()
            .unwrap_or_else(|_| unreachable!());
        for j in 0..M {
            a[j] -= sa[j];
            a[j] -= sb[j];
        }
    }
}

fn three_way_pass_dyn(
    codes: &[u32],
    (ca, xa): (&[u32], &[f64]),
    (cb, xb): (&[u32], &[f64]),
    acc: &mut [f64],
    m: usize,
) {
    for ((&c, &d), &e) in codes.iter().zip(ca).zip(cb) {
        let (c, d, e) = (c as usize * m, d as usize * m, e as usize * m);
        for j in 0..m {
            acc[c + j] -= xa[d + j];
            acc[c + j] -= xb[e + j];
        }
    }
}

fn two_way_pass_dyn(codes: &[u32], other: &[u32], ox: &[f64], acc: &mut [f64], m: usize) {
    for (&c, &d) in codes.iter().zip(other) {
        let (c, d) = (c as usize * m, d as usize * m);
        for j in 0..m {
            acc[c + j] -= ox[d + j];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn singletons_are_removed_recursively() {
        // Row 3 is alone in fe1 level 9; once it goes, fe2 level 7 keeps only row 2, which goes
        // too. Rows 0 and 1 share both levels and stay.
        let fe1 = [1u32, 1, 2, 9];
        let fe2 = [5u32, 5, 7, 7];
        let mut keep = vec![true; 4];
        let n = drop_singletons(&[&fe1, &fe2], &mut keep);
        assert_eq!(n, 2);
        assert_eq!(keep, vec![true, true, false, false]);
    }

    #[test]
    fn one_way_demeaning_subtracts_group_means() {
        let f = vec![Factor::from_codes(&[0, 0, 1, 1, 1])];
        let d = Demeaner::new(&f, 1e-12, 100);
        let mut y = vec![1.0, 3.0, 2.0, 4.0, 9.0];
        d.demean(&mut y);
        let want = [-1.0, 1.0, -3.0, -1.0, 4.0];
        for (a, b) in y.iter().zip(want) {
            assert!((a - b).abs() < 1e-14, "{y:?}");
        }
    }

    #[test]
    fn two_way_unbalanced_matches_dummy_regression_residuals() {
        // Residuals of y on firm and year dummies, worked out by least squares with full dummies:
        // they must be orthogonal to every dummy (sum to zero within each firm and each year).
        let firm = Factor::from_codes(&[0, 0, 0, 1, 1, 2, 2, 2, 3]);
        let year = Factor::from_codes(&[0, 1, 2, 0, 2, 1, 2, 0, 1]);
        let fs = vec![firm.clone(), year.clone()];
        let d = Demeaner::new(&fs, 1e-14, 10_000);
        let mut y = vec![1.0, 2.5, -0.3, 4.0, 2.0, 0.7, 1.1, -2.0, 3.3];
        let y0 = y.clone();
        let info = d.demean(&mut y);
        assert!(info.converged);
        for f in [&firm, &year] {
            let mut s = vec![0.0; f.levels];
            for (&c, &v) in f.codes.iter().zip(&y) {
                s[c as usize] += v;
            }
            assert!(s.iter().all(|v| v.abs() < 1e-10), "{s:?}");
        }
        // And y - residual lies in the span of the dummies: demeaning it again gives zero.
        let mut fitted: Vec<f64> = y0.iter().zip(&y).map(|(a, b)| a - b).collect();
        d.demean(&mut fitted);
        assert!(fitted.iter().all(|v| v.abs() < 1e-10));
    }

    #[test]
    fn weighted_demeaning_is_orthogonal_in_the_weighted_inner_product() {
        // Residuals of WLS on firm and year dummies satisfy Σ_{i∈g} w_i r_i = 0 in every group.
        let firm = Factor::from_codes(&[0, 0, 0, 1, 1, 2, 2, 2, 3, 3]);
        let year = Factor::from_codes(&[0, 1, 2, 0, 2, 1, 2, 0, 1, 2]);
        let w = [1.0, 2.0, 0.5, 3.0, 1.0, 1.5, 2.5, 0.2, 1.0, 4.0];
        let fs = vec![firm.clone(), year.clone()];
        let d = Demeaner::weighted(&fs, Some(&w), 1e-14, 10_000);
        let mut y = vec![1.0, 2.5, -0.3, 4.0, 2.0, 0.7, 1.1, -2.0, 3.3, 0.4];
        let y0 = y.clone();
        assert!(d.demean(&mut y).converged);
        for f in [&firm, &year] {
            let mut s = vec![0.0; f.levels];
            for ((&c, &v), wi) in f.codes.iter().zip(&y).zip(&w) {
                s[c as usize] += wi * v;
            }
            assert!(s.iter().all(|v| v.abs() < 1e-10), "{s:?}");
        }
        let mut fitted: Vec<f64> = y0.iter().zip(&y).map(|(a, b)| a - b).collect();
        d.demean(&mut fitted);
        assert!(fitted.iter().all(|v| v.abs() < 1e-10));
        // One effect: the weighted group mean, by hand for firm 0: (1·1 + 2·2.5 + 0.5·(−0.3)) / 3.5.
        let one = vec![firm.clone()];
        let mut z = y0.clone();
        Demeaner::weighted(&one, Some(&w), 1e-14, 100).demean(&mut z);
        let mean0 = (1.0 + 5.0 - 0.15) / 3.5;
        assert!((z[0] - (1.0 - mean0)).abs() < 1e-12);
    }

    #[test]
    fn three_way_residuals_are_orthogonal_to_every_dummy() {
        let mut rng = crate::stats::rng::Rng::new(9);
        let n = 400;
        let a: Vec<u32> = (0..n).map(|_| rng.below(30) as u32).collect();
        let b: Vec<u32> = (0..n).map(|_| rng.below(7) as u32).collect();
        let c: Vec<u32> = (0..n).map(|_| rng.below(12) as u32).collect();
        let fs: Vec<Factor> = [&a, &b, &c].iter().map(|v| Factor::from_codes(v)).collect();
        let d = Demeaner::new(&fs, 1e-13, 100_000);
        let mut y: Vec<f64> = (0..n).map(|i| rng.normal() + a[i] as f64 * 0.3).collect();
        let info = d.demean(&mut y);
        assert!(info.converged && info.iterations > 2, "{info:?}");
        for f in &fs {
            let mut s = vec![0.0; f.levels];
            for (&code, &v) in f.codes.iter().zip(&y) {
                s[code as usize] += v;
            }
            assert!(s.iter().all(|v| v.abs() < 1e-8), "{s:?}");
        }
    }

    #[test]
    fn nesting_and_interaction() {
        let firm = Factor::from_codes(&[0, 0, 1, 1, 2]);
        let prov = Factor::from_codes(&[3, 3, 3, 3, 4]);
        assert!(firm.nested_in(&prov));
        assert!(!prov.nested_in(&firm));
        let inter = Factor::interact(&firm, &prov);
        assert_eq!(inter.levels, 3);
        assert_eq!(inter.codes, vec![0, 0, 1, 1, 2]);
    }
}
