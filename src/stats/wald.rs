//! Joint Wald tests of several coefficients being zero (fixest's `wald()`): the statistic
//! W = b'V⁻¹b / q, compared with an F distribution with q and `df2` degrees of freedom, `df2`
//! being the degrees of freedom of the model's t tests (G − 1 when clustered).

use super::StatsError;
use super::linalg;
use statrs::distribution::{ContinuousCDF, FisherSnedecor};

/// The answer of a joint test.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct WaldTest {
    /// The coefficients tested (all zero under the null).
    pub terms: Vec<String>,
    /// F statistic (W / q).
    pub statistic: f64,
    pub df1: usize,
    pub df2: f64,
    pub p_value: f64,
}

/// Tests b = 0 jointly with variance `vcov` (row-major, q × q). Fails when the variance is not
/// positive definite (for instance when fewer clusters than coefficients make it singular).
pub fn wald(
    terms: &[String],
    beta: &[f64],
    vcov: &[f64],
    df2: f64,
) -> Result<WaldTest, StatsError> {
    let q = beta.len();
    if q == 0 || vcov.len() != q * q || terms.len() != q {
        return Err(StatsError::Invalid(
            "a Wald test needs at least one coefficient and a matching variance".into(),
        ));
    }
    let l = linalg::cholesky(vcov, q).ok_or_else(|| {
        StatsError::Invalid(format!(
            "the variance of {} is not positive definite (too few clusters for {q} \
             coefficients?); no joint test",
            terms.join(", ")
        ))
    })?;
    let x = linalg::cholesky_solve(&l, q, beta);
    let w: f64 = beta.iter().zip(&x).map(|(a, b)| a * b).sum();
    let stat = w / q as f64;
    let dist = FisherSnedecor::new(q as f64, df2)
        .map_err(|e| StatsError::Invalid(format!("F distribution ({q}, {df2}): {e}")))?;
    let p_value = if stat.is_finite() {
        dist.sf(stat)
    } else {
        f64::NAN
    };
    Ok(WaldTest {
        terms: terms.to_vec(),
        statistic: stat,
        df1: q,
        df2,
        p_value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_coefficient_is_the_squared_t_test() {
        // b = 2, se = 0.8: t = 2.5, F = 6.25; with 20 df the two-sided t p-value is 0.0212335 (numerical integration of the t density).
        let t = wald(&["x".into()], &[2.0], &[0.64], 20.0).unwrap();
        assert!((t.statistic - 6.25).abs() < 1e-12);
        assert!((t.p_value - 0.021_233_5).abs() < 1e-6, "{}", t.p_value);
    }

    #[test]
    fn two_correlated_coefficients_by_hand() {
        // V = [[1, .5], [.5, 1]], b = (1, 1): V⁻¹ = [[4/3, -2/3], [-2/3, 4/3]],
        // b'V⁻¹b = 4/3 - 4/3 + 4/3 = 4/3, F = 2/3.
        let names = vec!["a".to_string(), "b".to_string()];
        let t = wald(&names, &[1.0, 1.0], &[1.0, 0.5, 0.5, 1.0], 1e9).unwrap();
        assert!((t.statistic - 2.0 / 3.0).abs() < 1e-12);
        // With df2 → ∞, q·F is χ²(2): P(χ²₂ > 4/3) = exp(-2/3) = 0.513417.
        assert!(
            (t.p_value - (-2.0f64 / 3.0).exp()).abs() < 1e-5,
            "{}",
            t.p_value
        );
        let singular = wald(&names, &[1.0, 1.0], &[1.0, 1.0, 1.0, 1.0], 10.0);
        assert!(singular.is_err());
    }
}
