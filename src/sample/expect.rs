//! What the panel regression of the design should estimate on this very sample: the exact
//! expectation of the within slope given the drawn spending, E[b | X] = Σ x̃ᵢ·E[yᵢ | X] / Σ x̃ᵢ²,
//! where x̃ is ln(1 + last year's support) net of cell and sector × year means. With effects
//! that differ across provinces a pooled fit targets this weighted mix, not 0.012, so tests of a
//! pooled model compare with it.

use super::dgp::{self, Group, World};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Expected {
    pub formula: &'static str,
    /// Over all 63 provinces (a mix of beta = 0.012 and beta = 0).
    pub all_provinces: f64,
    /// Over the provinces with an effect (beta = 0.012, pilots included).
    pub effect_provinces: f64,
    /// Over the no-effect groups (beta = 0).
    pub no_effect_provinces: f64,
    /// Observations (cells with output in both years) in the all-province fit.
    pub nobs_all_provinces: usize,
}

pub fn expected(world: &World) -> Expected {
    let all = slope(world, |_| true);
    let effect = slope(world, |g| g.beta() > 0.0);
    let none = slope(world, |g| g.beta() == 0.0);
    Expected {
        formula: "dlog_output ~ log_spend_lag1 | province_code^sector_code + sector_code^year",
        all_provinces: all.0,
        effect_provinces: effect.0,
        no_effect_provinces: none.0,
        nobs_all_provinces: all.1,
    }
}

/// (expected slope, observations) on the provinces whose group passes `keep`.
fn slope(world: &World, keep: impl Fn(Group) -> bool) -> (f64, usize) {
    let support = world.support();
    let ns = world.sectors.len();
    let pilot_sector = world.sectors.iter().position(|s| *s == dgp::PILOT_SECTOR);
    let (mut x, mut mean_y, mut cell, mut sector_year) = (vec![], vec![], vec![], vec![]);
    for (p, group) in world.groups.iter().enumerate() {
        if !keep(*group) {
            continue;
        }
        for (s, (spend, out)) in support[p].iter().zip(&world.output[p]).enumerate() {
            for t in 1..dgp::N_YEARS {
                if out[t].output_milli.is_none() || out[t - 1].output_milli.is_none() {
                    continue;
                }
                let xi = spend[t - 1].ln_1p();
                let year = dgp::FIRST_YEAR + t as i32;
                let pilot =
                    *group == Group::Pilot && Some(s) == pilot_sector && year >= dgp::PILOT_START;
                // The parts of E[dlog Y | X] that the fixed effects do not absorb.
                mean_y.push(group.beta() * xi + if pilot { dgp::PILOT_GROWTH } else { 0.0 });
                x.push(xi);
                cell.push(p * ns + s);
                sector_year.push(s * dgp::N_YEARS + t);
            }
        }
    }
    let x_tilde = demean(&x, &[&cell, &sector_year]);
    let sxx: f64 = x_tilde.iter().map(|v| v * v).sum();
    let sxy: f64 = x_tilde.iter().zip(&mean_y).map(|(a, b)| a * b).sum();
    (sxy / sxx, x.len())
}

/// Removes the means of several groupings by alternating projections.
fn demean(v: &[f64], groupings: &[&[usize]]) -> Vec<f64> {
    let mut v = v.to_vec();
    let sizes: Vec<usize> = groupings
        .iter()
        .map(|g| g.iter().max().map_or(0, |m| m + 1))
        .collect();
    for _ in 0..1000 {
        let mut change: f64 = 0.0;
        for (g, &n) in groupings.iter().zip(&sizes) {
            let (mut sum, mut count) = (vec![0.0; n], vec![0.0; n]);
            for (i, &k) in g.iter().enumerate() {
                sum[k] += v[i];
                count[k] += 1.0;
            }
            for (i, &k) in g.iter().enumerate() {
                let m = sum[k] / count[k];
                v[i] -= m;
                change = change.max(m.abs());
            }
        }
        if change < 1e-13 {
            break;
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demeaning_removes_both_groupings() {
        // Two-way additive data are wiped out entirely.
        let a = [0usize, 0, 1, 1, 2, 2];
        let b = [0usize, 1, 0, 1, 0, 1];
        let v: Vec<f64> = a
            .iter()
            .zip(&b)
            .map(|(i, j)| [1.0, 5.0, -2.0][*i] + [0.5, 3.0][*j])
            .collect();
        assert!(demean(&v, &[&a, &b]).iter().all(|r| r.abs() < 1e-9));
    }

    #[test]
    fn expected_slopes_bracket_the_planted_beta() {
        let world = World::build(crate::sample::DEFAULT_SEED).unwrap();
        let e = expected(&world);
        // Effect provinces: 0.012 plus a small pull from the pilot's concurrent growth.
        assert!((e.effect_provinces - dgp::BETA).abs() < 0.001, "{e:?}");
        assert!(e.no_effect_provinces.abs() < 1e-12, "{e:?}");
        assert!(
            e.all_provinces > 0.0 && e.all_provinces < e.effect_provinces,
            "{e:?}"
        );
    }
}
