//! The data-generating process of the sample: province groups, grants (national and local), and
//! rural industrial output whose growth responds to last year's support with a known elasticity.
//! Everything is drawn from `stats::rng::Rng`, in a fixed order, so one seed gives one world.

use super::phrases;
use crate::error::{Error, Result};
use crate::stats::rng::Rng;

/// First and last year of the sample.
pub const FIRST_YEAR: i32 = 2012;
pub const LAST_YEAR: i32 = 2024;
pub const N_YEARS: usize = (LAST_YEAR - FIRST_YEAR + 1) as usize;

/// Elasticity of output growth to ln(1 + last year's support in million VND), effective groups.
pub const BETA: f64 = 0.012;
/// Standard deviation of the idiosyncratic growth shock.
pub const NOISE_SD: f64 = 0.04;
/// Standard deviation of the cell-specific trend u_ps.
pub const CELL_TREND_SD: f64 = 0.015;

pub const PILOT_CODE: &str = "70";
pub const PILOT_START: i32 = 2018;
pub const PILOT_END: i32 = 2020;
pub const PILOT_SECTOR: &str = "10";
pub const PILOT_GROWTH: f64 = 0.03;
/// Bình Phước's reported average pilot spending, million VND a year, in tenths.
pub const PILOT_BINH_PHUOC_TENTHS: i64 = 39_167;
pub const N_PILOTS: usize = 5;

/// Year effects d_t of the growth equation (2013..=2024); 2020–2021 carry the pandemic dip.
pub const YEAR_EFFECTS: [f64; N_YEARS - 1] = [
    0.000, 0.010, 0.020, 0.010, 0.020, 0.020, 0.015, -0.050, -0.020, 0.030, -0.010, 0.020,
];

/// Relative size of each sector in rural industry (same order as `SECTORS`).
pub(super) const SECTOR_WEIGHTS: [f64; 20] = [
    25.0, 4.0, 5.0, 7.0, 4.0, 6.0, 2.0, 1.0, 3.0, 5.0, 8.0, 3.0, 7.0, 3.0, 2.0, 3.0, 1.5, 6.0, 3.0,
    1.5,
];

/// Provinces with large rural industry (level × 4) and remote mountain provinces (× 0.3).
const BIG_PROVINCES: [&str; 11] = [
    "01", "79", "74", "75", "27", "31", "30", "33", "80", "38", "40",
];
const SMALL_PROVINCES: [&str; 8] = ["02", "04", "06", "11", "12", "14", "62", "67"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Group {
    ScatteredNoEffect,
    ScatteredEffect,
    FocusedNoEffect,
    FocusedEffect,
    Pilot,
}

impl Group {
    pub const ALL: [Group; 5] = [
        Group::ScatteredNoEffect,
        Group::ScatteredEffect,
        Group::FocusedNoEffect,
        Group::FocusedEffect,
        Group::Pilot,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Group::ScatteredNoEffect => "scattered_no_effect",
            Group::ScatteredEffect => "scattered_effect",
            Group::FocusedNoEffect => "focused_no_effect",
            Group::FocusedEffect => "focused_effect",
            Group::Pilot => "pilot",
        }
    }

    pub fn beta(self) -> f64 {
        match self {
            Group::ScatteredNoEffect | Group::FocusedNoEffect => 0.0,
            _ => BETA,
        }
    }

    /// How many provinces the group holds; `FocusedEffect` takes the rest.
    pub fn size(self) -> Option<usize> {
        match self {
            Group::ScatteredNoEffect => Some(6),
            Group::ScatteredEffect => Some(5),
            Group::FocusedNoEffect => Some(5),
            Group::Pilot => Some(N_PILOTS),
            Group::FocusedEffect => None,
        }
    }

    /// The support pattern: (grants a year, grant size in million VND, sectors in the
    /// province's pool, distinct sectors a year, beneficiaries in the pool, national share).
    pub fn pattern(self) -> Pattern {
        match self {
            Group::ScatteredNoEffect | Group::ScatteredEffect => Pattern {
                grants: (10, 16),
                amount_mvnd: (40.0, 250.0),
                pool_sectors: (12, 16),
                sectors_per_year: (8, 10),
                beneficiaries: (40, 60),
                national_share: 0.45,
            },
            Group::FocusedNoEffect => Pattern {
                grants: (1, 3),
                amount_mvnd: (800.0, 3000.0),
                pool_sectors: (2, 3),
                sectors_per_year: (1, 2),
                beneficiaries: (2, 4),
                national_share: 0.62,
            },
            Group::FocusedEffect | Group::Pilot => Pattern {
                grants: (3, 6),
                amount_mvnd: (200.0, 1500.0),
                pool_sectors: (6, 9),
                sectors_per_year: (3, 6),
                beneficiaries: (8, 12),
                national_share: 0.62,
            },
        }
    }
}

#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Pattern {
    pub grants: (usize, usize),
    pub amount_mvnd: (f64, f64),
    pub pool_sectors: (usize, usize),
    pub sectors_per_year: (usize, usize),
    pub beneficiaries: (usize, usize),
    pub national_share: f64,
}

#[derive(Debug, Clone)]
pub struct ProvinceInfo {
    pub code: String,
    pub name: String,
    pub name_ascii: String,
    pub region_id: u8,
    pub region_vi: String,
    pub table_order: u32,
}

#[derive(Debug, Clone)]
pub struct Grant {
    pub year: i32,
    pub province: usize,
    pub sector: usize,
    pub activity: &'static str,
    pub national: bool,
    /// Disbursed (supported) amount, tenths of a million VND.
    pub amount: i64,
    /// Planned amount, tenths of a million VND.
    pub planned: i64,
    pub beneficiary: String,
    pub content: String,
    /// (planned, achieved) trainees on training rows.
    pub trainees: Option<(u32, u32)>,
    /// (planned, achieved) demonstration models on demonstration rows.
    pub models: Option<(u32, u32)>,
}

/// One province × sector × year cell of the output table.
#[derive(Debug, Clone, Copy, Default)]
pub struct OutputCell {
    /// Output in thousandths of a billion VND (million VND); `None` when missing.
    pub output_milli: Option<i64>,
    pub employment: Option<i64>,
    pub establishments: Option<i64>,
}

pub struct World {
    pub seed: u64,
    /// The 63 provinces in code order.
    pub provinces: Vec<ProvinceInfo>,
    pub sectors: Vec<&'static str>,
    pub groups: Vec<Group>,
    /// Pilot amount a year (tenths of a million VND) for pilot provinces.
    pub pilot_amount: Vec<Option<i64>>,
    pub grants: Vec<Grant>,
    /// Indexed `[province][sector][year - FIRST_YEAR]`.
    pub output: Vec<Vec<Vec<OutputCell>>>,
    pub sector_growth: Vec<f64>,
    pub missing_province_years: Vec<(usize, i32)>,
    /// Seed of the stream that chooses how things are written (spellings, text amounts, where
    /// the bad rows go), kept apart from the process itself.
    pub layout_seed: u64,
}

/// Log-uniform draw in [lo, hi].
fn log_uniform(rng: &mut Rng, lo: f64, hi: f64) -> f64 {
    (lo.ln() + rng.uniform() * (hi.ln() - lo.ln())).exp()
}

/// Uniform integer in [lo, hi].
fn between(rng: &mut Rng, lo: usize, hi: usize) -> usize {
    lo + rng.below(hi - lo + 1)
}

pub(super) fn weighted(rng: &mut Rng, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut u = rng.uniform() * total;
    for (i, w) in weights.iter().enumerate() {
        if u < *w {
            return i;
        }
        u -= w;
    }
    weights.len() - 1
}

/// `k` distinct items of `pool` in random order.
fn choose<T: Copy>(rng: &mut Rng, pool: &[T], k: usize) -> Vec<T> {
    let mut v = pool.to_vec();
    rng.shuffle(&mut v);
    v.truncate(k);
    v
}

impl World {
    pub fn build(seed: u64) -> Result<World> {
        let reference = crate::reference::Reference::get();
        let mut provinces: Vec<ProvinceInfo> = reference
            .provinces
            .iter()
            .map(|p| ProvinceInfo {
                code: p.code.clone(),
                name: p.name.clone(),
                name_ascii: p.name_ascii.clone(),
                region_id: p.region_id,
                region_vi: crate::text::clean(&p.region_vi),
                table_order: p.table_order,
            })
            .collect();
        provinces.sort_by(|a, b| a.code.cmp(&b.code));
        let sectors: Vec<&'static str> = super::SECTORS.to_vec();
        for s in &sectors {
            if reference.sector(s).is_none() {
                return Err(Error::Other(format!(
                    "sector {s} is missing from the VSIC reference table"
                )));
            }
        }
        let pilot_index = provinces
            .iter()
            .position(|p| p.code == PILOT_CODE)
            .ok_or_else(|| Error::Other(format!("province {PILOT_CODE} is missing")))?;

        // Independent streams, so that changing one part of the process leaves the others as
        // they were.
        let mut master = Rng::new(seed);
        let mut rng_groups = Rng::new(master.next_u64());
        let mut rng_grants = Rng::new(master.next_u64());
        let mut rng_output = Rng::new(master.next_u64());
        let mut rng_missing = Rng::new(master.next_u64());
        let layout_seed = master.next_u64();

        let groups = assign_groups(&mut rng_groups, provinces.len(), pilot_index);
        let mut pilot_amount = vec![None; provinces.len()];
        for (i, g) in groups.iter().enumerate() {
            if *g == Group::Pilot {
                pilot_amount[i] = Some(if i == pilot_index {
                    PILOT_BINH_PHUOC_TENTHS
                } else {
                    (log_uniform(&mut rng_groups, 2500.0, 4500.0) * 10.0).round() as i64
                });
            }
        }
        let grants = draw_grants(
            &mut rng_grants,
            &provinces,
            &sectors,
            &groups,
            &pilot_amount,
        );

        let mut world = World {
            seed,
            provinces,
            sectors,
            groups,
            pilot_amount,
            grants,
            output: Vec::new(),
            sector_growth: Vec::new(),
            missing_province_years: Vec::new(),
            layout_seed,
        };
        world.draw_output(&mut rng_output);
        world.draw_missing(&mut rng_missing);
        Ok(world)
    }

    /// Total support (national + local), million VND, per `[province][sector][year]`.
    pub fn support(&self) -> Vec<Vec<Vec<f64>>> {
        let mut s = vec![vec![vec![0i64; N_YEARS]; self.sectors.len()]; self.provinces.len()];
        for g in &self.grants {
            s[g.province][g.sector][(g.year - FIRST_YEAR) as usize] += g.amount;
        }
        s.into_iter()
            .map(|ps| {
                ps.into_iter()
                    .map(|cell| cell.into_iter().map(|t| t as f64 / 10.0).collect())
                    .collect()
            })
            .collect()
    }

    fn draw_output(&mut self, rng: &mut Rng) {
        let np = self.provinces.len();
        let ns = self.sectors.len();
        let support = self.support();
        self.sector_growth = (0..ns).map(|_| 0.05 + 0.02 * rng.normal()).collect();
        let pilot_sector = self.sectors.iter().position(|s| *s == PILOT_SECTOR);
        self.output = Vec::with_capacity(np);
        for (p, support_p) in support.iter().enumerate() {
            let code = self.provinces[p].code.as_str();
            let mut log_total = 2500f64.ln() + 0.9 * rng.normal();
            if BIG_PROVINCES.contains(&code) {
                log_total += 4f64.ln();
            }
            if SMALL_PROVINCES.contains(&code) {
                log_total += 0.3f64.ln();
            }
            let total = log_total.exp().clamp(250.0, 60_000.0);
            let raw: Vec<f64> = SECTOR_WEIGHTS
                .iter()
                .map(|w| w * (0.8 * rng.normal()).exp())
                .collect();
            let raw_sum: f64 = raw.iter().sum();
            let beta = self.groups[p].beta();
            let mut cells = Vec::with_capacity(ns);
            for s in 0..ns {
                let trend = CELL_TREND_SD * rng.normal();
                // Output per worker (million VND) and workers per establishment of the cell.
                let productivity = 180.0 * (0.3 * rng.normal()).exp();
                let firm_size = 4.0 * (0.5 * rng.normal()).exp();
                let mut log_y = (total * raw[s] / raw_sum).max(0.5).ln();
                let mut series = Vec::with_capacity(N_YEARS);
                for t in 0..N_YEARS {
                    if t > 0 {
                        let year = FIRST_YEAR + t as i32;
                        let pilot = if self.groups[p] == Group::Pilot
                            && Some(s) == pilot_sector
                            && year >= PILOT_START
                        {
                            PILOT_GROWTH
                        } else {
                            0.0
                        };
                        log_y += self.sector_growth[s]
                            + YEAR_EFFECTS[t - 1]
                            + trend
                            + beta * (1.0 + support_p[s][t - 1]).ln()
                            + pilot
                            + NOISE_SD * rng.normal();
                    }
                    let y = log_y.exp();
                    let milli = ((y * 1000.0).round() as i64).max(1);
                    let prod_t = productivity * 1.04f64.powi(t as i32);
                    let employment = ((y * 1000.0 / prod_t).round() as i64).max(1);
                    let establishments = ((employment as f64 / firm_size).round() as i64).max(1);
                    series.push(OutputCell {
                        output_milli: Some(milli),
                        employment: Some(employment),
                        establishments: Some(establishments),
                    });
                }
                cells.push(series);
            }
            self.output.push(cells);
        }
    }

    /// About 1% of cells go missing: a few whole province-years (a province that did not
    /// report) and some single cells.
    fn draw_missing(&mut self, rng: &mut Rng) {
        let np = self.provinces.len();
        let ns = self.sectors.len();
        let mut whole = Vec::new();
        while whole.len() < 8 {
            let p = rng.below(np);
            let year = FIRST_YEAR + rng.below(N_YEARS) as i32;
            if !whole.contains(&(p, year)) {
                whole.push((p, year));
            }
        }
        for &(p, year) in &whole {
            for s in 0..ns {
                self.output[p][s][(year - FIRST_YEAR) as usize] = OutputCell::default();
            }
        }
        let mut singles = 0;
        while singles < 25 {
            let (p, s, t) = (rng.below(np), rng.below(ns), rng.below(N_YEARS));
            if self.output[p][s][t].output_milli.is_some() {
                self.output[p][s][t] = OutputCell::default();
                singles += 1;
            }
        }
        whole.sort_unstable();
        self.missing_province_years = whole;
    }
}

fn assign_groups(rng: &mut Rng, n: usize, pilot_index: usize) -> Vec<Group> {
    let mut groups = vec![Group::FocusedEffect; n];
    let mut rest: Vec<usize> = (0..n).filter(|&i| i != pilot_index).collect();
    rng.shuffle(&mut rest);
    groups[pilot_index] = Group::Pilot;
    let mut next = rest.into_iter();
    for g in [
        Group::Pilot,
        Group::ScatteredNoEffect,
        Group::ScatteredEffect,
        Group::FocusedNoEffect,
    ] {
        let want = g.size().unwrap_or(0) - usize::from(g == Group::Pilot);
        for i in next.by_ref().take(want) {
            groups[i] = g;
        }
    }
    groups
}

fn draw_grants(
    rng: &mut Rng,
    provinces: &[ProvinceInfo],
    sectors: &[&'static str],
    groups: &[Group],
    pilot_amount: &[Option<i64>],
) -> Vec<Grant> {
    let pilot_sector = sectors.iter().position(|s| *s == PILOT_SECTOR).unwrap_or(0);
    let mut grants = Vec::new();
    for (p, province) in provinces.iter().enumerate() {
        let pattern = groups[p].pattern();
        let n_pool = between(rng, pattern.pool_sectors.0, pattern.pool_sectors.1);
        // Provinces support the sectors they have, big sectors more often.
        let mut pool = Vec::with_capacity(n_pool);
        while pool.len() < n_pool {
            let s = weighted(rng, &SECTOR_WEIGHTS);
            if !pool.contains(&s) {
                pool.push(s);
            }
        }
        let n_ben = between(rng, pattern.beneficiaries.0, pattern.beneficiaries.1);
        let beneficiaries = beneficiary_pool(rng, n_ben);
        for year in FIRST_YEAR..=LAST_YEAR {
            let n = between(rng, pattern.grants.0, pattern.grants.1);
            let k = between(rng, pattern.sectors_per_year.0, pattern.sectors_per_year.1)
                .min(n)
                .min(pool.len());
            let chosen = choose(rng, &pool, k);
            for i in 0..n {
                let sector = if i < k {
                    chosen[i]
                } else {
                    chosen[rng.below(k)]
                };
                let amount = log_uniform(rng, pattern.amount_mvnd.0, pattern.amount_mvnd.1);
                let amount = (amount * 10.0).round() as i64;
                let national = rng.uniform() < pattern.national_share;
                let activity = phrases::ACTIVITIES[weighted(rng, &phrases::ACTIVITY_WEIGHTS)];
                let beneficiary = beneficiaries[rng.below(beneficiaries.len())].clone();
                grants.push(ordinary_grant(
                    rng,
                    year,
                    p,
                    sector,
                    sectors[sector],
                    activity,
                    national,
                    amount,
                    beneficiary,
                ));
            }
            if let Some(amount) =
                pilot_amount[p].filter(|_| (PILOT_START..=PILOT_END).contains(&year))
            {
                let product = if province.code == PILOT_CODE {
                    phrases::PILOT_PRODUCT
                } else {
                    let ps = phrases::products(PILOT_SECTOR);
                    ps[rng.below(ps.len())]
                };
                let planned_trainees = 60;
                let achieved = planned_trainees - 5 * between(rng, 1, 3) as u32;
                grants.push(Grant {
                    year,
                    province: p,
                    sector: pilot_sector,
                    activity: "demonstration",
                    national: true,
                    amount,
                    planned: amount,
                    beneficiary: beneficiaries[0].clone(),
                    content: phrases::PILOT_TEMPLATE.replace("{p}", product),
                    trainees: Some((planned_trainees, achieved)),
                    models: Some((1, 1)),
                });
            }
        }
    }
    grants
}

#[allow(clippy::too_many_arguments)]
pub(super) fn ordinary_grant(
    rng: &mut Rng,
    year: i32,
    province: usize,
    sector: usize,
    sector_code: &str,
    activity: &'static str,
    national: bool,
    amount: i64,
    beneficiary: String,
) -> Grant {
    // Most projects disburse their plan; some fall short, a few exceed it slightly.
    let u = rng.uniform();
    let planned = if u < 0.78 {
        amount
    } else if u < 0.96 {
        (amount as f64 / (0.70 + 0.28 * rng.uniform())).round() as i64
    } else {
        (amount as f64 / (1.0 + 0.05 * rng.uniform())).round() as i64
    };
    let templates = phrases::TEMPLATES
        .iter()
        .find(|(a, _)| *a == activity)
        .map(|(_, t)| *t)
        .unwrap_or(&["{p}"]);
    let template = templates[rng.below(templates.len())];
    let products = phrases::products(sector_code);
    let product = products[rng.below(products.len())];
    let trainees = (activity == "training").then(|| {
        let planned = 5 * between(rng, 6, 30) as u32;
        let achieved = if rng.uniform() < 0.75 {
            planned
        } else {
            (planned as f64 * (0.65 + 0.30 * rng.uniform())).floor() as u32
        };
        (planned, achieved)
    });
    let models = (activity == "demonstration").then(|| {
        let planned = if rng.uniform() < 0.2 { 2 } else { 1 };
        let achieved = if rng.uniform() < 0.9 {
            planned
        } else {
            planned - 1
        };
        (planned, achieved)
    });
    Grant {
        year,
        province,
        sector,
        activity,
        national,
        amount,
        planned,
        beneficiary,
        content: template.replace("{p}", product),
        trainees,
        models,
    }
}

/// `n` distinct beneficiary names ("Hợp tác xã Minh Long", …).
pub(super) fn beneficiary_pool(rng: &mut Rng, n: usize) -> Vec<String> {
    let mut names = Vec::with_capacity(n);
    while names.len() < n {
        let t = phrases::BENEFICIARY_TYPES[rng.below(phrases::BENEFICIARY_TYPES.len())];
        let m = phrases::BENEFICIARY_NAMES[rng.below(phrases::BENEFICIARY_NAMES.len())];
        let name = format!("{t} {m}");
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}
