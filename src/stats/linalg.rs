//! Small dense symmetric algebra for the k × k normal equations of a regression (k is the number
//! of regressors, rarely above a few dozen): Cholesky factorisation, solves and the inverse.
//! Matrices are row-major `Vec<f64>` of length k².

/// Lower-triangular Cholesky factor of a symmetric positive definite matrix, or `None` when a
/// pivot is not positive (the matrix is singular or indefinite).
pub fn cholesky(a: &[f64], k: usize) -> Option<Vec<f64>> {
    debug_assert_eq!(a.len(), k * k);
    let mut l = vec![0.0; k * k];
    for j in 0..k {
        let mut d = a[j * k + j];
        for p in 0..j {
            d -= l[j * k + p] * l[j * k + p];
        }
        if d <= 0.0 || !d.is_finite() {
            return None;
        }
        let d = d.sqrt();
        l[j * k + j] = d;
        for i in j + 1..k {
            let mut s = a[i * k + j];
            for p in 0..j {
                s -= l[i * k + p] * l[j * k + p];
            }
            l[i * k + j] = s / d;
        }
    }
    Some(l)
}

/// Solves `L Lᵀ x = b` given the Cholesky factor `l`.
pub fn cholesky_solve(l: &[f64], k: usize, b: &[f64]) -> Vec<f64> {
    let mut z = b.to_vec();
    for i in 0..k {
        let mut s = z[i];
        for p in 0..i {
            s -= l[i * k + p] * z[p];
        }
        z[i] = s / l[i * k + i];
    }
    for i in (0..k).rev() {
        let mut s = z[i];
        for p in i + 1..k {
            s -= l[p * k + i] * z[p];
        }
        z[i] = s / l[i * k + i];
    }
    z
}

/// Inverse of a symmetric positive definite matrix from its Cholesky factor.
pub fn cholesky_inverse(l: &[f64], k: usize) -> Vec<f64> {
    let mut inv = vec![0.0; k * k];
    let mut e = vec![0.0; k];
    for j in 0..k {
        e.iter_mut().for_each(|v| *v = 0.0);
        e[j] = 1.0;
        let col = cholesky_solve(l, k, &e);
        for i in 0..k {
            inv[i * k + j] = col[i];
        }
    }
    // Symmetrise so that rounding never makes the variance matrix asymmetric.
    for i in 0..k {
        for j in i + 1..k {
            let m = 0.5 * (inv[i * k + j] + inv[j * k + i]);
            inv[i * k + j] = m;
            inv[j * k + i] = m;
        }
    }
    inv
}

/// `A B A` for symmetric k × k `A` and `B` (the sandwich of a robust variance).
pub fn sandwich(a: &[f64], b: &[f64], k: usize) -> Vec<f64> {
    let mut ab = vec![0.0; k * k];
    for i in 0..k {
        for p in 0..k {
            let aip = a[i * k + p];
            if aip == 0.0 {
                continue;
            }
            for j in 0..k {
                ab[i * k + j] += aip * b[p * k + j];
            }
        }
    }
    let mut out = vec![0.0; k * k];
    for i in 0..k {
        for p in 0..k {
            let v = ab[i * k + p];
            for j in 0..k {
                out[i * k + j] += v * a[p * k + j];
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverse_of_known_matrix() {
        // [[4,2],[2,3]] has determinant 8 and inverse [[3,-2],[-2,4]]/8.
        let a = [4.0, 2.0, 2.0, 3.0];
        let l = cholesky(&a, 2).unwrap();
        assert!((l[0] - 2.0).abs() < 1e-15 && (l[2] - 1.0).abs() < 1e-15);
        assert!((l[3] - 2f64.sqrt()).abs() < 1e-15);
        let inv = cholesky_inverse(&l, 2);
        let want = [0.375, -0.25, -0.25, 0.5];
        for (g, w) in inv.iter().zip(want) {
            assert!((g - w).abs() < 1e-15, "{inv:?}");
        }
        let x = cholesky_solve(&l, 2, &[8.0, 7.0]);
        // 4x + 2y = 8, 2x + 3y = 7 → x = 1.25, y = 1.5
        assert!((x[0] - 1.25).abs() < 1e-14 && (x[1] - 1.5).abs() < 1e-14);
    }

    #[test]
    fn singular_matrix_is_refused() {
        assert!(cholesky(&[1.0, 1.0, 1.0, 1.0], 2).is_none());
    }

    #[test]
    fn sandwich_matches_hand_product() {
        let a = [2.0, 1.0, 1.0, 3.0];
        let b = [1.0, 0.0, 0.0, 2.0];
        // A B = [[2,2],[1,6]]; (A B) A = [[6,8],[8,19]]
        assert_eq!(sandwich(&a, &b, 2), vec![6.0, 8.0, 8.0, 19.0]);
    }
}

/// Symmetric eigen-decomposition by cyclic Jacobi rotations: (eigenvalues, eigenvectors as the
/// columns of a row-major k × k matrix).
pub fn symmetric_eigen(a: &[f64], k: usize) -> (Vec<f64>, Vec<f64>) {
    let mut m = a.to_vec();
    let mut v = vec![0.0; k * k];
    for i in 0..k {
        v[i * k + i] = 1.0;
    }
    for _sweep in 0..100 {
        let off: f64 = (0..k)
            .flat_map(|i| (0..k).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| m[i * k + j] * m[i * k + j])
            .sum();
        let scale: f64 = (0..k).map(|i| m[i * k + i] * m[i * k + i]).sum::<f64>();
        if off <= 1e-30 * scale.max(f64::MIN_POSITIVE) {
            break;
        }
        for p in 0..k {
            for q in p + 1..k {
                let apq = m[p * k + q];
                if apq == 0.0 {
                    continue;
                }
                let theta = (m[q * k + q] - m[p * k + p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for r in 0..k {
                    let (mrp, mrq) = (m[r * k + p], m[r * k + q]);
                    m[r * k + p] = c * mrp - s * mrq;
                    m[r * k + q] = s * mrp + c * mrq;
                }
                for r in 0..k {
                    let (mpr, mqr) = (m[p * k + r], m[q * k + r]);
                    m[p * k + r] = c * mpr - s * mqr;
                    m[q * k + r] = s * mpr + c * mqr;
                }
                for r in 0..k {
                    let (vrp, vrq) = (v[r * k + p], v[r * k + q]);
                    v[r * k + p] = c * vrp - s * vrq;
                    v[r * k + q] = s * vrp + c * vrq;
                }
            }
        }
    }
    ((0..k).map(|i| m[i * k + i]).collect(), v)
}

/// The nearest positive semi-definite matrix by eigenvalue clipping (negative eigenvalues set
/// to zero; Cameron, Gelbach & Miller 2011), or None when `a` has no negative eigenvalue.
pub fn psd_fix(a: &[f64], k: usize) -> Option<Vec<f64>> {
    if k == 0 {
        return None;
    }
    let (vals, vecs) = symmetric_eigen(a, k);
    let top = vals.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if vals.iter().all(|&l| l >= -1e-12 * top) {
        return None;
    }
    let mut out = vec![0.0; k * k];
    for (c, &l) in vals.iter().enumerate() {
        if l <= 0.0 {
            continue;
        }
        for i in 0..k {
            for j in 0..k {
                out[i * k + j] += l * vecs[i * k + c] * vecs[j * k + c];
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod eigen_tests {
    use super::*;

    #[test]
    fn clipping_by_hand_on_two_by_two() {
        // [[1, 2], [2, 1]]: eigenvalues 3 (vector (1, 1)/√2) and −1 (vector (1, −1)/√2).
        // Clipped: 3 · ½ [[1, 1], [1, 1]].
        let fixed = psd_fix(&[1.0, 2.0, 2.0, 1.0], 2).unwrap();
        for v in fixed {
            assert!((v - 1.5).abs() < 1e-12, "{v}");
        }
        assert!(psd_fix(&[2.0, 1.0, 1.0, 2.0], 2).is_none());
    }

    #[test]
    fn decomposition_rebuilds_a_three_by_three() {
        let a = [4.0, 1.0, -2.0, 1.0, 2.0, 0.5, -2.0, 0.5, -3.0];
        let (vals, vecs) = symmetric_eigen(&a, 3);
        // Trace and determinant are kept: 4 + 2 − 3 = 3; det by cofactors = 4(−6.25) − 1(−2) − 2(4.5) = −32.
        assert!((vals.iter().sum::<f64>() - 3.0).abs() < 1e-10);
        assert!((vals.iter().product::<f64>() + 32.0).abs() < 1e-9);
        for i in 0..3 {
            for j in 0..3 {
                let r: f64 = (0..3)
                    .map(|c| vals[c] * vecs[i * 3 + c] * vecs[j * 3 + c])
                    .sum();
                assert!((r - a[i * 3 + j]).abs() < 1e-10);
            }
        }
    }
}
