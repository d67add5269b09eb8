//! Absorbing fixed effects: recursive singleton removal, dense re-coding of group codes, and the
//! alternating-projections demeaner (Gauss–Seidel sweeps over the fixed effects with Irons–Tuck
//! acceleration, as fixest does).
//!
//! The demeaner iterates in the space of fixed-effect coefficients rather than on the N-long
//! column: one sweep updates every effect's group means from the column and the other effects'
//! current coefficients, so the working memory is the size of the effects, not of the data, and
//! the column is touched once more at the end to subtract the fitted effects in place.

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
    // Work on dense codes of the rows still in play (input codes may be sparse or carry a
    // missing marker on excluded rows).
    let all: Vec<bool> = keep.to_vec();
    let dense: Vec<Factor> = fes
        .iter()
        .map(|f| Factor::from_codes_masked(f, Some(&all)))
        .collect();
    let rows: Vec<usize> = (0..keep.len()).filter(|&i| keep[i]).collect();
    let mut counts: Vec<Vec<u32>> = dense.iter().map(|f| f.counts()).collect();
    let fes: Vec<&[u32]> = dense.iter().map(|f| f.codes.as_slice()).collect();
    // `alive[r]` tracks row rows[r]; dense codes are indexed by r.
    let mut alive = vec![true; rows.len()];
    loop {
        let mut changed = false;
        for r in 0..rows.len() {
            if !alive[r] {
                continue;
            }
            if fes
                .iter()
                .zip(&counts)
                .any(|(f, cnt)| cnt[f[r] as usize] == 1)
            {
                alive[r] = false;
                keep[rows[r]] = false;
                dropped += 1;
                changed = true;
                for (f, cnt) in fes.iter().zip(counts.iter_mut()) {
                    cnt[f[r] as usize] -= 1;
                }
            }
        }
        if !changed {
            return dropped;
        }
    }
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
    pub tol: f64,
    pub max_iter: usize,
}

impl<'a> Demeaner<'a> {
    pub fn new(factors: &'a [Factor], tol: f64, max_iter: usize) -> Self {
        let inv_counts = factors
            .iter()
            .map(|f| {
                f.counts()
                    .into_iter()
                    .map(|c| if c == 0 { 0.0 } else { 1.0 / c as f64 })
                    .collect()
            })
            .collect();
        Demeaner {
            factors,
            inv_counts,
            tol,
            max_iter,
        }
    }

    /// Demeans every column in place, columns in parallel.
    pub fn demean_all(&self, cols: &mut [Vec<f64>]) -> Vec<DemeanInfo> {
        cols.par_iter_mut().map(|c| self.demean(c)).collect()
    }

    /// Demeans one column in place.
    pub fn demean(&self, y: &mut [f64]) -> DemeanInfo {
        let q = self.factors.len();
        if q == 0 {
            return DemeanInfo {
                iterations: 0,
                converged: true,
            };
        }
        // Per-effect sums of the column: a sweep then only needs the other effects' coefficients.
        let sums: Vec<Vec<f64>> = self
            .factors
            .iter()
            .map(|f| {
                let mut s = vec![0.0; f.levels];
                for (&c, &v) in f.codes.iter().zip(y.iter()) {
                    s[c as usize] += v;
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
        let total: usize = self.factors.iter().map(|f| f.levels).sum();
        let mut x = vec![0.0; total];
        let mut info = DemeanInfo {
            iterations: 0,
            converged: true,
        };
        if q == 1 {
            self.sweep(&sums, &offsets, &mut x);
            info.iterations = 1;
        } else {
            let mut gx = vec![0.0; total];
            let mut ggx = vec![0.0; total];
            info.converged = false;
            while info.iterations < self.max_iter {
                gx.copy_from_slice(&x);
                self.sweep(&sums, &offsets, &mut gx);
                info.iterations += 1;
                if self.close(&x, &gx) {
                    x.copy_from_slice(&gx);
                    info.converged = true;
                    break;
                }
                ggx.copy_from_slice(&gx);
                self.sweep(&sums, &offsets, &mut ggx);
                info.iterations += 1;
                if self.close(&gx, &ggx) {
                    x.copy_from_slice(&ggx);
                    info.converged = true;
                    break;
                }
                // Irons–Tuck extrapolation from X, G(X), G(G(X)).
                let mut vprod = 0.0;
                let mut ssq = 0.0;
                for i in 0..total {
                    let d_gx = ggx[i] - gx[i];
                    let d2 = d_gx - gx[i] + x[i];
                    vprod += d_gx * d2;
                    ssq += d2 * d2;
                }
                if ssq == 0.0 || !ssq.is_finite() {
                    x.copy_from_slice(&ggx);
                } else {
                    let coef = vprod / ssq;
                    for i in 0..total {
                        x[i] = ggx[i] - coef * (ggx[i] - gx[i]);
                    }
                }
            }
        }
        // Subtract the fitted effects from the column.
        for (i, v) in y.iter_mut().enumerate() {
            let mut fit = 0.0;
            for (f, &o) in self.factors.iter().zip(&offsets) {
                fit += x[o + f.codes[i] as usize];
            }
            *v -= fit;
        }
        info
    }

    fn close(&self, a: &[f64], b: &[f64]) -> bool {
        a.iter()
            .zip(b)
            .all(|(&u, &v)| (u - v).abs() <= self.tol * (0.1 + u.abs()))
    }

    /// One Gauss–Seidel sweep: each effect's coefficients become the group means of the column
    /// minus the other effects' current coefficients.
    fn sweep(&self, sums: &[Vec<f64>], offsets: &[usize], x: &mut [f64]) {
        let q = self.factors.len();
        let mut acc: Vec<f64> = Vec::new();
        for target in 0..q {
            let f = &self.factors[target];
            acc.clear();
            acc.extend_from_slice(&sums[target]);
            if q == 2 {
                // The common two-effect case without the inner loop over effects.
                let other = &self.factors[1 - target];
                let o = offsets[1 - target];
                let ox = &x[o..o + other.levels];
                for (&c, &d) in f.codes.iter().zip(&other.codes) {
                    acc[c as usize] -= ox[d as usize];
                }
            } else {
                for i in 0..f.codes.len() {
                    let mut s = 0.0;
                    for (r, (g, &o)) in self.factors.iter().zip(offsets).enumerate() {
                        if r != target {
                            s += x[o + g.codes[i] as usize];
                        }
                    }
                    acc[f.codes[i] as usize] -= s;
                }
            }
            let o = offsets[target];
            for (l, (a, w)) in acc.iter().zip(&self.inv_counts[target]).enumerate() {
                x[o + l] = a * w;
            }
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
