//! Exact two-way demeaning when one of the two fixed effects has few levels (a firm × year
//! panel: hundreds of thousands of firms, a dozen years). Instead of iterating, the small
//! effect's coefficients solve a K×K system once the large effect is projected out:
//! with D_b the large effect's dummies and D_s the small one's,
//! (D_s' M_b D_s) β = D_s' M_b y, where M_b subtracts large-group means. The K×K matrix
//! A = diag(n_t) − Σ_f c_f c_f' / n_f (c_f: the large level f's row counts per small level)
//! depends only on the group codes, so it is built and factored once; each column then costs
//! two passes over the rows plus one over the (large level, small level) cells. The answer is
//! the exact projection, which the alternating projections only approach to their tolerance.

use super::demean::Factor;
use super::linalg;
use rayon::prelude::*;

/// Largest number of small-effect levels solved directly (the K×K factorisation stays cheap).
const MAX_SMALL_LEVELS: usize = 512;
/// Fewest rows for which the solve replaces iterating: below, the alternating projections take
/// milliseconds anyway, and small problems keep exactly the numbers they always had.
const MIN_ROWS: usize = 50_000;
/// Relative pivot below which the system counts as singular (effects not connected, or nearly
/// so); the caller then iterates instead.
const PIVOT_TOL: f64 = 1e-9;

/// The factored two-way system of one pair of fixed effects.
#[derive(Debug)]
pub struct TwoWay {
    big: usize,
    small: usize,
    k: usize,
    /// Per large level f, the cells `off[f]..off[f + 1]` of (small level, row count).
    off: Vec<usize>,
    cell_small: Vec<u32>,
    cell_count: Vec<f64>,
    inv_big: Vec<f64>,
    /// Cholesky factor of A with the last small level dropped (its coefficient fixed at 0).
    chol: Vec<f64>,
}

impl TwoWay {
    /// None unless there are at least `MIN_ROWS` rows and `build` succeeds.
    pub fn new(factors: &[Factor]) -> Option<TwoWay> {
        if factors.first().is_none_or(|f| f.codes.len() < MIN_ROWS) {
            return None;
        }
        Self::build(factors)
    }

    /// None unless there are exactly two effects, the smaller one has between 2 and
    /// `MAX_SMALL_LEVELS` levels and K² ≤ rows (the solve never dominates), and the system is
    /// well determined (the two effects connect every small level).
    pub fn build(factors: &[Factor]) -> Option<TwoWay> {
        if factors.len() != 2 {
            return None;
        }
        let (big, small) = if factors[0].levels >= factors[1].levels {
            (0, 1)
        } else {
            (1, 0)
        };
        let (fb, fs) = (&factors[big], &factors[small]);
        let (n, k, nb) = (fb.codes.len(), fs.levels, fb.levels);
        if !(2..=MAX_SMALL_LEVELS).contains(&k) || k * k > n {
            return None;
        }
        // Rows grouped by large level: as they come when the data are sorted by it (a panel
        // sorted by unit; the codes are numbered in order of first appearance), otherwise by a
        // counting sort.
        let mut start = vec![0usize; nb + 1];
        for &c in &fb.codes {
            start[c as usize + 1] += 1;
        }
        for f in 0..nb {
            start[f + 1] += start[f];
        }
        let sorted = fb.codes.windows(2).all(|w| w[0] <= w[1]);
        let regrouped: Vec<u32>;
        let grouped: &[u32] = if sorted {
            &fs.codes
        } else {
            let mut fill = start.clone();
            let mut g = vec![0u32; n];
            for (&b, &s) in fb.codes.iter().zip(&fs.codes) {
                g[fill[b as usize]] = s;
                fill[b as usize] += 1;
            }
            regrouped = g;
            &regrouped
        };
        let mut mark = vec![usize::MAX; k];
        let mut off = Vec::with_capacity(nb + 1);
        off.push(0);
        let mut cell_small: Vec<u32> = Vec::new();
        let mut cell_count: Vec<f64> = Vec::new();
        for f in 0..nb {
            let base = cell_small.len();
            for &s in &grouped[start[f]..start[f + 1]] {
                let m = mark[s as usize];
                if m != usize::MAX && m >= base {
                    cell_count[m] += 1.0;
                } else {
                    mark[s as usize] = cell_small.len();
                    cell_small.push(s);
                    cell_count.push(1.0);
                }
            }
            off.push(cell_small.len());
        }
        let inv_big: Vec<f64> = (0..nb)
            .map(|f| {
                let c = (start[f + 1] - start[f]) as f64;
                if c == 0.0 { 0.0 } else { 1.0 / c }
            })
            .collect();
        let mut a = vec![0.0; k * k];
        for &s in &fs.codes {
            a[s as usize * k + s as usize] += 1.0;
        }
        for f in 0..nb {
            let cells = off[f]..off[f + 1];
            for e in cells.clone() {
                let (t, w) = (cell_small[e] as usize, cell_count[e] * inv_big[f]);
                for g in cells.clone() {
                    a[t * k + cell_small[g] as usize] -= w * cell_count[g];
                }
            }
        }
        let k1 = k - 1;
        let mut reduced = vec![0.0; k1 * k1];
        for i in 0..k1 {
            reduced[i * k1..(i + 1) * k1].copy_from_slice(&a[i * k..i * k + k1]);
        }
        let chol = linalg::cholesky(&reduced, k1)?;
        let well = (0..k1).all(|i| chol[i * k1 + i].powi(2) > PIVOT_TOL * reduced[i * k1 + i]);
        well.then_some(TwoWay {
            big,
            small,
            k,
            off,
            cell_small,
            cell_count,
            inv_big,
            chol,
        })
    }

    /// Demeans every column in place (columns in parallel; each column's arithmetic is fixed,
    /// so the result does not depend on the number of threads).
    pub fn demean_all(&self, factors: &[Factor], cols: &mut [&mut [f64]]) {
        cols.par_iter_mut().for_each(|c| self.demean(factors, c));
    }

    fn demean(&self, factors: &[Factor], y: &mut [f64]) {
        let (fb, fs) = (&factors[self.big], &factors[self.small]);
        let k = self.k;
        let mut sb = vec![0.0; fb.levels];
        let mut ss = vec![0.0; k];
        for ((&b, &s), &v) in fb.codes.iter().zip(&fs.codes).zip(y.iter()) {
            sb[b as usize] += v;
            ss[s as usize] += v;
        }
        // Right-hand side D_s' M_b y = small sums − Σ_f c_f · (large mean f).
        let mut rhs = ss;
        for (f, &s) in sb.iter().enumerate() {
            let mean = s * self.inv_big[f];
            for e in self.off[f]..self.off[f + 1] {
                rhs[self.cell_small[e] as usize] -= self.cell_count[e] * mean;
            }
        }
        let mut beta = linalg::cholesky_solve(&self.chol, k - 1, &rhs[..k - 1]);
        beta.push(0.0);
        let alpha: Vec<f64> = sb
            .iter()
            .enumerate()
            .map(|(f, &s)| {
                let mut fit = s;
                for e in self.off[f]..self.off[f + 1] {
                    fit -= self.cell_count[e] * beta[self.cell_small[e] as usize];
                }
                fit * self.inv_big[f]
            })
            .collect();
        for ((v, &b), &s) in y.iter_mut().zip(&fb.codes).zip(&fs.codes) {
            *v -= alpha[b as usize] + beta[s as usize];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::demean::Demeaner;

    #[test]
    fn direct_solve_matches_converged_alternating_projections() {
        // Unbalanced firm × year panel: 300 firms over 8 years, each seen 3 to 8 years.
        let mut rng = crate::stats::rng::Rng::new(4);
        let (mut firm, mut year, mut y) = (vec![], vec![], vec![]);
        for f in 0..300u32 {
            let len = 3 + rng.below(6) as u32;
            let first = rng.below((9 - len) as usize) as u32;
            for t in first..first + len {
                firm.push(f);
                year.push(t);
                y.push(f as f64 * 0.01 + t as f64 * 0.3 + rng.normal());
            }
        }
        let fs = vec![Factor::from_codes(&firm), Factor::from_codes(&year)];
        let direct = TwoWay::build(&fs).expect("connected panel");
        let mut a = y.clone();
        direct.demean_all(&fs, &mut [&mut a]);
        // Orthogonal to every dummy: sums within each firm and each year vanish.
        for f in &fs {
            let mut s = vec![0.0; f.levels];
            for (&c, &v) in f.codes.iter().zip(&a) {
                s[c as usize] += v;
            }
            assert!(s.iter().all(|v| v.abs() < 1e-10), "{s:?}");
        }
        // Rows in another order (not grouped by firm): the same residuals, row for row.
        let rev = |v: &[u32]| v.iter().rev().copied().collect::<Vec<u32>>();
        let fr = vec![
            Factor::from_codes(&rev(&firm)),
            Factor::from_codes(&rev(&year)),
        ];
        let mut r: Vec<f64> = y.iter().rev().copied().collect();
        TwoWay::build(&fr)
            .expect("connected")
            .demean_all(&fr, &mut [&mut r]);
        for (u, v) in r.iter().rev().zip(&a) {
            assert!((u - v).abs() < 1e-12, "{u} vs {v}");
        }
        let mut b = y.clone();
        let info = Demeaner::iterative(&fs, 1e-15, 100_000).demean(&mut b);
        assert!(info.converged);
        for (u, v) in a.iter().zip(&b) {
            assert!((u - v).abs() < 1e-11, "{u} vs {v}");
        }
    }

    #[test]
    fn disconnected_effects_fall_back_to_iterating() {
        // Firms 0–1 only in years 0–1, firms 2–3 only in years 2–3: two separate components.
        let firm: Vec<u32> = (0..16).map(|i| i / 4).collect();
        let year: Vec<u32> = (0..16).map(|i| (i / 8) * 2 + i % 2).collect();
        let fs = vec![Factor::from_codes(&firm), Factor::from_codes(&year)];
        assert!(TwoWay::build(&fs).is_none());
    }
}
