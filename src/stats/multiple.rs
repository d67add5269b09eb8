//! Multiple testing: Benjamini–Hochberg adjusted p-values (q-values) across provinces.

/// BH-adjusted p-values in the input order, as R's `p.adjust(p, "BH")`. NaN stays NaN and is not
/// counted among the tests.
pub fn benjamini_hochberg(p: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..p.len()).filter(|&i| !p[i].is_nan()).collect();
    let m = idx.len() as f64;
    idx.sort_by(|&a, &b| p[b].total_cmp(&p[a]));
    let mut out = vec![f64::NAN; p.len()];
    let mut running = 1.0f64;
    for (k, &i) in idx.iter().enumerate() {
        let rank = m - k as f64;
        running = running.min(p[i] * m / rank);
        out[i] = running.min(1.0);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_r_p_adjust() {
        // R: p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.5), "BH")
        // [1] 0.02500000 0.05000000 0.05000000 0.02500000 0.50000000
        let q = benjamini_hochberg(&[0.01, 0.04, 0.03, 0.005, 0.5]);
        let expected = [0.025, 0.05, 0.05, 0.025, 0.5];
        for (a, b) in q.iter().zip(expected) {
            assert!((a - b).abs() < 1e-12, "{q:?}");
        }
        let q = benjamini_hochberg(&[f64::NAN, 0.02, 0.04]);
        assert!(q[0].is_nan());
        assert!((q[1] - 0.04).abs() < 1e-12 && (q[2] - 0.04).abs() < 1e-12);
    }
}
