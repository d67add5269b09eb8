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
