//! The simulation study behind the verdict method (`khuyencong simulate`): draws many seeded
//! worlds on the real province list (see `world`), runs the verdict method of the flags stage
//! and the previous method on each, and tabulates per world and method how often verdicts are
//! clear, low, inconclusive and insufficient, how often a province is flagged, how often the 90%
//! interval covers the planted effect and how well "scattered" is recognised. The table in
//! docs/METHOD.md is this module's output.

pub mod world;

use crate::flags::FlagParams;
use crate::flags::verdict::{self, EffectVerdict, ScatteredRule};
use crate::models::province::{self, Estimate, Method};
use crate::reference::{Boundary, Reference};
use crate::stats::multiple::benjamini_hochberg;
use crate::stats::rng::Rng;
use rayon::prelude::*;
use world::{Drawn, World};

/// Default number of replications per world.
pub const DEFAULT_REPS: usize = 200;
/// Default seed of the study.
pub const DEFAULT_SEED: u64 = 20_201_120;
/// Windows of support years assessed, as the default pipeline assesses them on 2012–2024: the
/// whole span and the two programme phases.
pub const WINDOWS: [(i32, i32); 3] = [(2012, 2024), (2016, 2020), (2021, 2024)];

/// The methods compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimMethod {
    /// The flags stage's method with its default parameters.
    Verdict,
    /// The same without the placebo check (to show what the check does).
    VerdictNoPlacebo,
    /// The previous method: slope on ln(1 + spending), cell-clustered, BH q < 0.10, relative
    /// "scattered".
    Previous,
}

impl SimMethod {
    pub const ALL: [SimMethod; 3] = [
        SimMethod::Verdict,
        SimMethod::VerdictNoPlacebo,
        SimMethod::Previous,
    ];

    pub fn label(self) -> &'static str {
        match self {
            SimMethod::Verdict => "any support, province×year FE, placebo (default)",
            SimMethod::VerdictNoPlacebo => "same, no placebo check",
            SimMethod::Previous => "previous: ln(1+spend) slope, cell-clustered",
        }
    }
}

/// Counts over province-windows for one world and method.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Tally {
    pub n: usize,
    pub clear: usize,
    pub low: usize,
    pub inconclusive: usize,
    pub insufficient: usize,
    pub flagged: usize,
    pub placebo_failed: usize,
    /// Intervals computed / intervals covering the planted effect (None: not defined).
    pub with_ci: usize,
    pub covered: usize,
    pub coverage_defined: bool,
    pub truly_scattered: usize,
    pub truly_scattered_called: usize,
    pub focused: usize,
    pub focused_called: usize,
}

impl Tally {
    fn add(&mut self, o: &Tally) {
        self.n += o.n;
        self.clear += o.clear;
        self.low += o.low;
        self.inconclusive += o.inconclusive;
        self.insufficient += o.insufficient;
        self.flagged += o.flagged;
        self.placebo_failed += o.placebo_failed;
        self.with_ci += o.with_ci;
        self.covered += o.covered;
        self.coverage_defined = o.coverage_defined;
        self.truly_scattered += o.truly_scattered;
        self.truly_scattered_called += o.truly_scattered_called;
        self.focused += o.focused;
        self.focused_called += o.focused_called;
    }

    fn rate(a: usize, b: usize) -> f64 {
        if b == 0 {
            f64::NAN
        } else {
            a as f64 / b as f64
        }
    }
    pub fn clear_rate(&self) -> f64 {
        Self::rate(self.clear, self.n)
    }
    pub fn low_rate(&self) -> f64 {
        Self::rate(self.low, self.n)
    }
    pub fn flagged_rate(&self) -> f64 {
        Self::rate(self.flagged, self.n)
    }
    pub fn insufficient_rate(&self) -> f64 {
        Self::rate(self.insufficient, self.n)
    }
    /// Clear verdicts among the decided (clear or low) ones.
    pub fn clear_of_decided(&self) -> f64 {
        Self::rate(self.clear, self.clear + self.low)
    }
    pub fn coverage(&self) -> Option<f64> {
        self.coverage_defined
            .then(|| Self::rate(self.covered, self.with_ci))
    }
}

/// Results of a study: a tally per world and method.
pub struct Study {
    pub reps: usize,
    pub seed: u64,
    pub rows: Vec<(World, SimMethod, Tally)>,
}

impl Study {
    pub fn get(&self, w: World, m: SimMethod) -> &Tally {
        &self
            .rows
            .iter()
            .find(|r| r.0 == w && r.1 == m)
            .expect("every world and method is run")
            .2
    }
}

/// Runs `reps` replications of every world, in parallel, from `seed`.
pub fn run(reps: usize, seed: u64) -> Study {
    let provinces: Vec<String> = Reference::get()
        .codes(Boundary::B2008)
        .into_iter()
        .map(str::to_string)
        .collect();
    let params = FlagParams::default();
    let jobs: Vec<(usize, usize)> = (0..World::ALL.len())
        .flat_map(|w| (0..reps).map(move |r| (w, r)))
        .collect();
    let results: Vec<(usize, Vec<Tally>)> = jobs
        .par_iter()
        .map(|&(w, r)| {
            let mut rng = Rng::new(seed ^ ((w as u64) << 40) ^ (r as u64).wrapping_mul(0x9E37));
            let world = World::ALL[w];
            let drawn = world::draw(world, &provinces, &mut rng);
            (w, replicate(world, &drawn, &params))
        })
        .collect();
    let mut rows = Vec::new();
    for (wi, w) in World::ALL.iter().enumerate() {
        for (mi, m) in SimMethod::ALL.iter().enumerate() {
            let mut t = Tally::default();
            for (rw, tallies) in &results {
                if *rw == wi {
                    t.add(&tallies[mi]);
                }
            }
            rows.push((*w, *m, t));
        }
    }
    Study { reps, seed, rows }
}

/// Concentration of one province's grants in a window: (grants, effective sectors, small share).
fn concentration(drawn: &Drawn, p: usize, years: (usize, usize), small: f64) -> (usize, f64, f64) {
    let mut by_sector = [0.0; world::N_SECTORS];
    let (mut n, mut n_small, mut total) = (0, 0, 0.0);
    for g in drawn
        .grants
        .iter()
        .filter(|g| g.p == p && g.t >= years.0 && g.t <= years.1)
    {
        by_sector[g.s] += g.amount;
        n += 1;
        n_small += usize::from(g.amount < small);
        total += g.amount;
    }
    if n == 0 {
        return (0, 0.0, 0.0);
    }
    let hhi: f64 = by_sector.iter().map(|a| (a / total).powi(2)).sum();
    (n, 1.0 / hhi, n_small as f64 / n as f64)
}

/// Verdicts of every method on one drawn world.
fn replicate(world: World, drawn: &Drawn, params: &FlagParams) -> Vec<Tally> {
    let rule = params.effect_rule();
    let truth = world.effect();
    let mut tallies = vec![Tally::default(); SimMethod::ALL.len()];
    for &(a, b) in &WINDOWS {
        let years = (
            (a - world::FIRST_YEAR) as usize,
            ((b - world::FIRST_YEAR) as usize).min(world::N_YEARS - 1),
        );
        let conc: Vec<(usize, f64, f64)> = (0..drawn.scattered.len())
            .map(|p| {
                concentration(
                    drawn,
                    p,
                    years,
                    crate::indicators::IndicatorParams::default().small_grant_mvnd,
                )
            })
            .collect();
        let eligible: Vec<&(usize, f64, f64)> = conc
            .iter()
            .filter(|c| c.0 as i64 >= params.min_grants)
            .collect();
        let eff: Vec<f64> = eligible.iter().map(|c| c.1).collect();
        let small: Vec<f64> = eligible.iter().map(|c| c.2).collect();
        let absolute = (params.scattered_eff_sectors, params.scattered_small_share);
        let thr_abs = verdict::scattered_thresholds(
            params.scattered_rule,
            absolute,
            params.relative_quantile,
            &eff,
            &small,
        );
        let thr_rel =
            verdict::scattered_thresholds(ScatteredRule::Relative, absolute, 0.75, &eff, &small);
        let is_scattered = |c: &(usize, f64, f64), thr: (f64, f64)| {
            c.0 as i64 >= params.min_grants && c.1 >= thr.0 && c.2 >= thr.1
        };

        let new =
            province::estimate_window(&drawn.panel, a, b, params.lag_years, Method::AnySupport);
        let old =
            province::estimate_window(&drawn.panel, a, b, params.lag_years, Method::LogSpendSlope);
        let old_q = benjamini_hochberg(
            &old.iter()
                .map(|e| e.p_value.unwrap_or(f64::NAN))
                .collect::<Vec<_>>(),
        );
        for (mi, m) in SimMethod::ALL.iter().enumerate() {
            let t = &mut tallies[mi];
            for p in 0..drawn.scattered.len() {
                let (v, ci, placebo_failed, scattered) = match m {
                    SimMethod::Verdict | SimMethod::VerdictNoPlacebo => {
                        let r = verdict::EffectRule {
                            placebo: *m == SimMethod::Verdict,
                            ..rule
                        };
                        let (v, _, ci, pf) = verdict::decide(&new[p], &r);
                        (v, ci, pf == Some(true), is_scattered(&conc[p], thr_abs))
                    }
                    SimMethod::Previous => {
                        let (v, ci) = previous_verdict(&old[p], old_q[p]);
                        (v, ci, false, is_scattered(&conc[p], thr_rel))
                    }
                };
                t.n += 1;
                match v {
                    EffectVerdict::Clear => t.clear += 1,
                    EffectVerdict::Low => t.low += 1,
                    EffectVerdict::Inconclusive => t.inconclusive += 1,
                    EffectVerdict::Insufficient => t.insufficient += 1,
                }
                t.flagged += usize::from(scattered && v == EffectVerdict::Low);
                t.placebo_failed += usize::from(placebo_failed);
                t.coverage_defined = *m != SimMethod::Previous || truth == 0.0;
                if let Some((lo, hi)) = ci {
                    t.with_ci += 1;
                    t.covered += usize::from(lo <= truth && truth <= hi);
                }
                if drawn.scattered[p] {
                    t.truly_scattered += 1;
                    t.truly_scattered_called += usize::from(scattered);
                } else {
                    t.focused += 1;
                    t.focused_called += usize::from(scattered);
                }
            }
        }
    }
    tallies
}

/// The rule the flags stage used before: insufficient with fewer than 5 supported cell-years
/// or a 95% half-width above 0.008; low when BH q ≥ 0.10 or the slope is below 0.004; else
/// clear. Returns the verdict and the 90% interval (for coverage).
fn previous_verdict(e: &Estimate, q: f64) -> (EffectVerdict, Option<(f64, f64)>) {
    let ci90 = e.interval(0.90);
    let half95 = e.interval(0.95).map(|(l, h)| (h - l) / 2.0);
    if e.supported_cell_years < 5 || half95.is_none_or(|h| h > 0.008) {
        return (EffectVerdict::Insufficient, ci90);
    }
    let not_distinct = q.is_nan() || q >= 0.10;
    if not_distinct || e.estimate.is_some_and(|b| b < 0.004) {
        (EffectVerdict::Low, ci90)
    } else {
        (EffectVerdict::Clear, ci90)
    }
}

fn pct(v: f64) -> String {
    if v.is_nan() {
        "–".into()
    } else {
        format!("{:.1}%", 100.0 * v)
    }
}

/// The study as a Markdown table, with the command that reproduces it.
pub fn markdown(study: &Study) -> String {
    let mut s = format!(
        "Produced by `khuyencong simulate --reps {} --seed {}` ({} replications per world, \
         {} province-windows each: 63 provinces × {} windows).\n\n",
        study.reps,
        study.seed,
        study.reps,
        63 * WINDOWS.len(),
        WINDOWS.len()
    );
    s.push_str(
        "| world | method | clear | low | inconclusive | insufficient | flagged | clear of decided | \
         90% coverage | placebo failed | scattered found | focused called scattered |\n",
    );
    s.push_str("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (w, m, t) in &study.rows {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            w.label(),
            m.label(),
            pct(t.clear_rate()),
            pct(t.low_rate()),
            pct(Tally::rate(t.inconclusive, t.n)),
            pct(t.insufficient_rate()),
            pct(t.flagged_rate()),
            pct(t.clear_of_decided()),
            t.coverage().map_or("–".into(), pct),
            pct(Tally::rate(t.placebo_failed, t.n)),
            pct(Tally::rate(t.truly_scattered_called, t.truly_scattered)),
            pct(Tally::rate(t.focused_called, t.focused)),
        ));
    }
    s
}

/// Markers around the generated table in docs/METHOD.md.
pub const BEGIN: &str = "<!-- simulate:begin -->";
pub const END: &str = "<!-- simulate:end -->";

/// Replaces the text between the markers of `doc` with `table`.
pub fn splice(doc: &str, table: &str) -> Option<String> {
    let a = doc.find(BEGIN)? + BEGIN.len();
    let b = doc.find(END)?;
    (a <= b).then(|| format!("{}\n{}{}", &doc[..a], table, &doc[b..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small version of the study (8 replications a world, 1,512 province-windows each)
    /// against the targets of the verdict method, with room for the small number of draws.
    #[test]
    fn the_small_study_meets_the_targets() {
        let s = run(8, DEFAULT_SEED);
        let v = |w| *s.get(w, SimMethod::Verdict);
        for w in World::ALL {
            assert_eq!(v(w).n, 8 * 63 * WINDOWS.len());
        }
        // No effect: few clear verdicts, even with budget cycles or support after a bad year.
        assert!(v(World::Independent).clear_rate() <= 0.10);
        assert!(v(World::BudgetCycles).clear_rate() <= 0.10);
        assert!(v(World::AfterBadYear).clear_rate() <= 0.20);
        // The placebo check is what holds "after a bad year" down.
        let no_placebo = s.get(World::AfterBadYear, SimMethod::VerdictNoPlacebo);
        assert!(no_placebo.clear_rate() > v(World::AfterBadYear).clear_rate() + 0.05);
        // The previous method calls more clear effects under budget cycles.
        let prev = s.get(World::BudgetCycles, SimMethod::Previous);
        assert!(prev.clear_rate() > v(World::BudgetCycles).clear_rate() + 0.03);
        // A real effect everywhere: rarely flagged, mostly clear among decided verdicts.
        for w in [World::Effect, World::EffectBudgetCycles] {
            assert!(v(w).flagged_rate() <= 0.10, "{w:?}");
            assert!(v(w).clear_of_decided() >= 0.5, "{w:?}");
            assert!(v(w).coverage().unwrap() >= 0.82, "{w:?} {:?}", v(w));
        }
        assert!(v(World::Independent).coverage().unwrap() >= 0.82);
        // Estimates resting on 3–4 supported cells still cover.
        assert!(
            v(World::FewSectors).coverage().unwrap() >= 0.82,
            "{:?}",
            v(World::FewSectors)
        );
        // One-sector provinces are insufficient, not estimated.
        assert!(v(World::BudgetCycles).insufficient_rate() >= 0.25);
        // Absolute "scattered" finds the scattered half; the rank rule finds about half of it.
        let t = v(World::Effect);
        assert_eq!(t.truly_scattered_called, t.truly_scattered);
        assert_eq!(t.focused_called, 0);
        let p = s.get(World::Effect, SimMethod::Previous);
        assert!((p.truly_scattered_called as f64) < 0.7 * p.truly_scattered as f64);
    }

    #[test]
    fn the_table_goes_between_the_markers() {
        let doc = format!("# Method\n\ntext\n{BEGIN}\nold table\n{END}\nmore\n");
        let out = splice(&doc, "| new |\n").unwrap();
        assert_eq!(
            out,
            format!("# Method\n\ntext\n{BEGIN}\n| new |\n{END}\nmore\n")
        );
        assert!(splice("no markers", "x").is_none());
    }

    /// docs/METHOD.md carries the table of the default study between the markers, as written
    /// by `khuyencong simulate --doc docs/METHOD.md` (its first line names the command).
    #[test]
    fn method_doc_holds_a_generated_table() {
        let doc = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/METHOD.md"),
        )
        .unwrap();
        let a = doc.find(BEGIN).expect("begin marker") + BEGIN.len();
        let b = doc.find(END).expect("end marker");
        let table = &doc[a..b];
        assert!(
            table.contains(&format!(
                "Produced by `khuyencong simulate --reps {DEFAULT_REPS} --seed {DEFAULT_SEED}`"
            )),
            "{table}"
        );
        let small = markdown(&Study {
            reps: 1,
            seed: 1,
            rows: Vec::new(),
        });
        let header = small.lines().nth(2).unwrap();
        assert!(table.contains(header));
        assert_eq!(
            table
                .lines()
                .filter(|l| l.starts_with("| no effect") || l.starts_with("| effect"))
                .count(),
            World::ALL.len() * SimMethod::ALL.len()
        );
    }
}
