//! Worlds of the simulation study: growth and support on the real 63 provinces × 20
//! manufacturing divisions × 2012–2024, drawn from one seed, each breaking one assumption a
//! naive estimator relies on.
//!
//! Growth of cell (p, s) in year t:
//! `g = μ_ps + d_t + σ_st + π_pt + (z_pst − z_ps,t−1) + ε_pst + β · D_ps,t−1`, with a cell trend
//! μ (sd 0.015), a national year effect d, sector × year shocks σ (sd 0.02), a transient level
//! component z (AR(1), ρ = 0.3, innovation sd 0.06: a bad year partly rebounds by itself) and
//! idiosyncratic noise ε (sd 0.02). Half of the provinces spread many grants below 300 million
//! VND over 8–16 sectors a year ("scattered"); the others give 2–5 larger grants.

use crate::models::province::CellPanel;
use crate::stats::rng::Rng;

pub const FIRST_YEAR: i32 = 2012;
pub const N_YEARS: usize = 13;
pub const N_SECTORS: usize = 20;
/// The planted effect in the effect worlds: 4 log points (1.6 times the default minimum effect).
pub const EFFECT: f64 = 0.04;

/// A world of the study.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum World {
    /// Support at random, shocks independent across sectors, no effect.
    Independent,
    /// Provincial budget cycles (more sectors funded in a province's good years, which persist),
    /// shocks common to all sectors of a province-year, a third of provinces funding one
    /// sector; no effect.
    BudgetCycles,
    /// Support goes to the sectors that had the worst year; no effect.
    AfterBadYear,
    /// A real effect of `EFFECT` in every province, support at random.
    Effect,
    /// A real effect in every province, with the budget cycles, province-year shocks and
    /// one-sector provinces of `BudgetCycles`.
    EffectBudgetCycles,
    /// A real effect in every province, each supporting 1–3 sectors a year from a pool of 4:
    /// estimates that rest on 3 or 4 supported cells (the per-province degrees of freedom).
    FewSectors,
}

impl World {
    pub const ALL: [World; 6] = [
        World::Independent,
        World::BudgetCycles,
        World::AfterBadYear,
        World::Effect,
        World::EffectBudgetCycles,
        World::FewSectors,
    ];

    pub fn label(self) -> &'static str {
        match self {
            World::Independent => "no effect, independent",
            World::BudgetCycles => "no effect, budget cycles + province shocks + one-sector focus",
            World::AfterBadYear => "no effect, support after a bad year",
            World::Effect => "effect 0.04 everywhere, independent",
            World::EffectBudgetCycles => "effect 0.04 everywhere, budget cycles",
            World::FewSectors => "effect 0.04 everywhere, 3–4 supported sectors per province",
        }
    }

    pub fn effect(self) -> f64 {
        match self {
            World::Effect | World::EffectBudgetCycles | World::FewSectors => EFFECT,
            _ => 0.0,
        }
    }

    fn cycles(self) -> bool {
        matches!(self, World::BudgetCycles | World::EffectBudgetCycles)
    }
}

/// One grant of a drawn world.
#[derive(Debug, Clone, Copy)]
pub struct SimGrant {
    pub p: usize,
    pub s: usize,
    pub t: usize,
    pub amount: f64,
}

/// A drawn world: the panel the estimator sees, the grants (for concentration) and the truth.
pub struct Drawn {
    pub panel: CellPanel,
    pub grants: Vec<SimGrant>,
    /// Per province: support pattern is scattered (many small grants over many sectors).
    pub scattered: Vec<bool>,
}

/// Draws one world.
pub fn draw(world: World, provinces: &[String], rng: &mut Rng) -> Drawn {
    let np = provinces.len();
    let (ns, nt) = (N_SECTORS, N_YEARS);
    let idx = |p: usize, s: usize, t: usize| (p * ns + s) * nt + t;

    // Province types: half scattered; with budget cycles a third fund a single sector.
    let mut order: Vec<usize> = (0..np).collect();
    rng.shuffle(&mut order);
    let mut scattered = vec![false; np];
    let mut single = vec![false; np];
    for (k, &p) in order.iter().enumerate() {
        if world.cycles() && k < np / 3 {
            single[p] = true;
        } else if k % 2 == 0 && world != World::FewSectors {
            scattered[p] = true;
        }
    }

    // Shocks.
    let year_effect: Vec<f64> = (0..nt).map(|_| 0.05 + 0.02 * rng.normal()).collect();
    let sector_year: Vec<f64> = (0..ns * nt).map(|_| 0.02 * rng.normal()).collect();
    let mut province_year = vec![0.0; np * nt];
    if world.cycles() {
        for p in 0..np {
            let mut v = 0.04 * rng.normal();
            for t in 0..nt {
                v = 0.7 * v + 0.03 * rng.normal();
                province_year[p * nt + t] = v;
            }
        }
    }
    let mut base = vec![f64::NAN; np * ns * nt];
    for p in 0..np {
        for s in 0..ns {
            let trend = 0.015 * rng.normal();
            let mut z = 0.06 * rng.normal() / (1.0f64 - 0.09).sqrt();
            for t in 0..nt {
                let z_new = 0.3 * z + 0.06 * rng.normal();
                let g = trend
                    + year_effect[t]
                    + sector_year[s * nt + t]
                    + province_year[p * nt + t]
                    + (z_new - z)
                    + 0.02 * rng.normal();
                z = z_new;
                // The first year has no previous level, so no growth.
                if t > 0 {
                    base[idx(p, s, t)] = g;
                }
            }
        }
    }

    // Support.
    let mut spend = vec![0.0; np * ns * nt];
    let mut grants = Vec::new();
    for p in 0..np {
        let mut pool: Vec<usize> = (0..ns).collect();
        rng.shuffle(&mut pool);
        let pool_size = if single[p] {
            1
        } else if world == World::FewSectors {
            4
        } else if scattered[p] {
            16
        } else {
            6
        };
        let pool = &pool[..pool_size];
        for t in 0..nt {
            let mut k = if single[p] {
                1
            } else if world == World::FewSectors {
                1 + rng.below(3)
            } else if scattered[p] {
                8 + rng.below(9)
            } else {
                2 + rng.below(4)
            };
            if world.cycles() {
                // More sectors in good years (a province-year shock of +0.04 adds about half).
                let f = (12.0 * province_year[p * nt + t]).exp();
                k = ((k as f64 * f).round() as usize).clamp(0, pool_size);
                if single[p] {
                    k = usize::from(province_year[p * nt + t] > 0.0);
                }
            }
            let chosen: Vec<usize> = if world == World::AfterBadYear && t > 0 {
                // The sectors of the pool with the worst growth last year (the year the plan
                // was made), when that year is known.
                let mut by_growth: Vec<(f64, usize)> = pool
                    .iter()
                    .map(|&s| {
                        let g = base[idx(p, s, t - 1)];
                        (if g.is_finite() { g } else { rng.normal() }, s)
                    })
                    .collect();
                by_growth.sort_by(|a, b| a.0.total_cmp(&b.0));
                by_growth.iter().take(k).map(|x| x.1).collect()
            } else {
                let mut v = pool.to_vec();
                rng.shuffle(&mut v);
                v.truncate(k);
                v
            };
            for s in chosen {
                let n = if scattered[p] { 1 + rng.below(2) } else { 1 };
                for _ in 0..n {
                    let amount = if scattered[p] {
                        40.0 + 250.0 * rng.uniform()
                    } else {
                        300.0 * (10.0f64).powf(rng.uniform())
                    };
                    spend[idx(p, s, t)] += amount;
                    grants.push(SimGrant { p, s, t, amount });
                }
            }
        }
    }

    // The effect: growth the year after a supported year.
    let beta = world.effect();
    let mut growth = base;
    for p in 0..np {
        for s in 0..ns {
            for t in 1..nt {
                if spend[idx(p, s, t - 1)] > 0.0 {
                    growth[idx(p, s, t)] += beta;
                }
            }
        }
    }
    Drawn {
        panel: CellPanel {
            provinces: provinces.to_vec(),
            n_sectors: ns,
            first_year: FIRST_YEAR,
            n_years: nt,
            growth,
            spend,
        },
        grants,
        scattered,
    }
}
