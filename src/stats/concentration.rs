//! How concentrated support is: Herfindahl–Hirschman index, effective number, Gini and Theil
//! indices of grant sizes, and the share of small grants.

/// HHI of shares: Σ (xᵢ / Σx)². `None` when the total is not positive.
pub fn hhi(amounts: &[f64]) -> Option<f64> {
    let total: f64 = amounts.iter().sum();
    if total <= 0.0 || !total.is_finite() {
        return None;
    }
    Some(amounts.iter().map(|a| (a / total).powi(2)).sum())
}

/// Effective number of categories, 1 / HHI.
pub fn effective_number(amounts: &[f64]) -> Option<f64> {
    hhi(amounts).map(|h| 1.0 / h)
}

/// Gini coefficient of non-negative values (population form: mean absolute difference over
/// twice the mean). 0 when all are equal; (n−1)/n when one holds everything.
pub fn gini(values: &[f64]) -> Option<f64> {
    let n = values.len();
    let total: f64 = values.iter().sum();
    if n == 0 || total <= 0.0 {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    // Σ (2i − n − 1) xᵢ over sorted values, i from 1.
    let weighted: f64 = sorted
        .iter()
        .enumerate()
        .map(|(i, x)| (2.0 * (i as f64 + 1.0) - n as f64 - 1.0) * x)
        .sum();
    Some(weighted / (n as f64 * total))
}

/// Theil T index: (1/n) Σ (xᵢ/μ) ln(xᵢ/μ), with 0·ln 0 = 0. 0 when all are equal; ln n at most.
pub fn theil(values: &[f64]) -> Option<f64> {
    let n = values.len();
    let total: f64 = values.iter().sum();
    if n == 0 || total <= 0.0 {
        return None;
    }
    let mean = total / n as f64;
    Some(
        values
            .iter()
            .filter(|x| **x > 0.0)
            .map(|x| (x / mean) * (x / mean).ln())
            .sum::<f64>()
            / n as f64,
    )
}

/// Share of values strictly below `threshold`.
pub fn share_below(values: &[f64], threshold: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    Some(values.iter().filter(|v| **v < threshold).count() as f64 / values.len() as f64)
}

/// Median (mean of the middle pair for even counts).
pub fn median(values: &[f64]) -> Option<f64> {
    quantile(values, 0.5)
}

/// Quantile with linear interpolation between order statistics (R's type 7, numpy's default).
pub fn quantile(values: &[f64], q: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let h = (sorted.len() - 1) as f64 * q.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

/// Points of the Lorenz curve: (cumulative share of grants, cumulative share of money), from
/// (0, 0) to (1, 1), grants sorted from smallest.
pub fn lorenz(values: &[f64]) -> Vec<(f64, f64)> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let total: f64 = sorted.iter().sum();
    let n = sorted.len() as f64;
    let mut points = vec![(0.0, 0.0)];
    let mut cum = 0.0;
    for (i, v) in sorted.iter().enumerate() {
        cum += v;
        points.push((
            (i + 1) as f64 / n,
            if total > 0.0 { cum / total } else { 0.0 },
        ));
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-12, "{a} vs {b}");
    }

    #[test]
    fn hhi_and_effective_number_by_hand() {
        // Shares 0.5, 0.3, 0.2: 0.25 + 0.09 + 0.04 = 0.38.
        close(hhi(&[50.0, 30.0, 20.0]).unwrap(), 0.38);
        close(effective_number(&[50.0, 30.0, 20.0]).unwrap(), 1.0 / 0.38);
        // Four equal sectors: effective number 4.
        close(effective_number(&[7.0; 4]).unwrap(), 4.0);
        assert_eq!(hhi(&[]), None);
        assert_eq!(hhi(&[0.0, 0.0]), None);
    }

    #[test]
    fn gini_by_hand() {
        close(gini(&[5.0; 6]).unwrap(), 0.0);
        // One of four holds everything: (n−1)/n = 0.75.
        close(gini(&[0.0, 0.0, 0.0, 10.0]).unwrap(), 0.75);
        // 1,2,3,4: Σ|xi−xj| over ordered pairs = 20, 2 n² μ = 2·16·2.5 = 80 → 0.25.
        close(gini(&[4.0, 1.0, 3.0, 2.0]).unwrap(), 0.25);
    }

    #[test]
    fn theil_by_hand() {
        close(theil(&[3.0; 5]).unwrap(), 0.0);
        // One of n holds everything: ln n.
        close(theil(&[0.0, 0.0, 9.0]).unwrap(), 3f64.ln());
        // 1 and 3: μ=2; (0.5 ln 0.5 + 1.5 ln 1.5)/2.
        close(
            theil(&[1.0, 3.0]).unwrap(),
            (0.5 * 0.5f64.ln() + 1.5 * 1.5f64.ln()) / 2.0,
        );
    }

    #[test]
    fn quantiles_and_shares_by_hand() {
        close(median(&[5.0, 1.0, 3.0]).unwrap(), 3.0);
        close(median(&[4.0, 1.0, 3.0, 2.0]).unwrap(), 2.5);
        close(quantile(&[1.0, 2.0, 3.0, 4.0, 5.0], 0.75).unwrap(), 4.0);
        close(
            share_below(&[100.0, 200.0, 600.0, 900.0], 500.0).unwrap(),
            0.5,
        );
        let l = lorenz(&[1.0, 3.0]);
        assert_eq!(l, vec![(0.0, 0.0), (0.5, 0.25), (1.0, 1.0)]);
    }
}
