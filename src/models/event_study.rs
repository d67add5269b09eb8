//! Event studies robust to staggered adoption: the interaction-weighted estimator of Sun and
//! Abraham (2021), as fixest's `sunab()` computes it.
//!
//! A plain two-way fixed-effects event study (`y ~ i(rel_year, ref = -1) | unit + year`) mixes
//! effects of different adoption cohorts with weights that can be negative when effects differ
//! by cohort or over time. Sun–Abraham instead estimates one coefficient per cohort e and
//! relative period l,
//!
//! ```text
//! y_it = α_i + λ_t + Σ_e Σ_{l ∉ ref} δ_{e,l} · 1{E_i = e, t − e = l} + controls + ε_it
//! ```
//!
//! with never-treated units as the control group, then averages δ_{e,l} over cohorts at each l
//! with weights equal to each cohort's share of the treated observations at that l in the
//! estimation sample. Standard errors come from the fitted variance matrix by the delta method
//! (weights treated as fixed, as fixest's `aggregate()` does). The overall ATT averages every
//! post-treatment (l ≥ 0) cell with weights proportional to its observations.

use super::data::{self, MISSING_CODE};
use super::{Dropped, FixedEffectCounts, ModelResult, VcovSpec};
use crate::error::{Error, Result};
use crate::stats::feols::{self, Column, FeolsSpec, Groups, Term, Vcov};
use crate::stats::wald::{WaldTest, wald};
use polars::prelude::DataFrame;
use std::collections::BTreeMap;

/// What to estimate.
#[derive(Debug, Clone, PartialEq)]
pub struct SunAbraham {
    pub outcome: String,
    /// Panel unit (its fixed effect is absorbed).
    pub unit: String,
    /// Calendar period, integer-valued (its fixed effect is absorbed).
    pub time: String,
    /// Period of first treatment; null, 0, or a value after the last period marks never-treated.
    pub cohort: String,
    pub controls: Vec<String>,
    pub vcov: VcovSpec,
    /// Relative periods left out as the reference (default −1).
    pub reference: Vec<i64>,
    /// Fixed effects to absorb instead of `unit + time` (each a list of columns joined by
    /// `^`), for designs whose comparisons are finer than the unit and the period.
    pub fixed_effects: Option<Vec<Vec<String>>>,
    /// Bins relative periods outside `[lo, hi]` into the end periods (fixest's `bin.rel`).
    pub bin: Option<[i64; 2]>,
}

impl SunAbraham {
    pub fn new(outcome: &str, unit: &str, time: &str, cohort: &str) -> Self {
        SunAbraham {
            outcome: outcome.into(),
            unit: unit.into(),
            time: time.into(),
            cohort: cohort.into(),
            controls: Vec::new(),
            vcov: VcovSpec::Cluster(vec![unit.into()]),
            reference: vec![-1],
            fixed_effects: None,
            bin: None,
        }
    }
}

/// The aggregated event study (terms `<time>::<l>` and `ATT`) and the cohort-level estimates
/// (terms `<time>::<l>:<cohort>::<e>`, as fixest names `sunab()` terms before aggregation).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct EventStudy {
    pub model: ModelResult,
    pub cohort_terms: Vec<Term>,
    /// Variance matrix of the aggregated terms (in the order of `model.coefficients`), with
    /// the covariances the delta method gives, so joint tests can use it.
    pub vcov: Vec<Vec<f64>>,
    /// Joint test that every aggregated pre-treatment coefficient (l < 0 outside the reference)
    /// is zero; None when there is no pre-period to test (see `pretrend_note`).
    pub pretrend: Option<WaldTest>,
    /// Why there is no pre-trend test, when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pretrend_note: Option<String>,
    /// Cohorts treated in every observed period (no pre-treatment observation), left out of the
    /// estimation as fixest does, and how many rows they had.
    pub always_treated: Vec<i64>,
    pub always_treated_rows: usize,
}

/// The regression of the interaction-weighted estimator, ready to fit: one indicator column per
/// cohort × relative-period cell, controls, fixed effects and clusters over the input rows.
struct Prepared {
    y: Vec<f64>,
    cells: Vec<((i64, i64), Vec<usize>)>,
    names: Vec<String>,
    cols: Vec<Vec<f64>>,
    controls: Vec<Vec<f64>>,
    clusters: Vec<(String, Vec<u32>)>,
    fes: Vec<(String, Vec<u32>)>,
    complete: Vec<bool>,
    missing: usize,
    always_treated: Vec<i64>,
    always_treated_rows: usize,
}

/// One aggregated term: the fitted cells it averages, as (cell index, coefficient index,
/// weight), weights summing to one.
struct Aggregate {
    name: String,
    rel: Option<i64>,
    parts: Vec<(usize, usize, f64)>,
}

fn prepare(df: &DataFrame, spec: &SunAbraham) -> Result<Prepared> {
    let fe_columns: Vec<&String> = spec.fixed_effects.iter().flatten().flatten().collect();
    for c in [&spec.outcome, &spec.unit, &spec.time, &spec.cohort]
        .into_iter()
        .chain(spec.controls.iter())
        .chain(fe_columns)
    {
        if df.column(c).is_err() {
            return Err(Error::Model(format!(
                "unknown column {c} for the event study"
            )));
        }
    }
    let y = data::numeric(df, &spec.outcome)?;
    let time = data::numeric(df, &spec.time)?;
    let cohort = data::numeric(df, &spec.cohort)?;
    let unit = data::groups(df, &spec.unit)?.codes;
    let n = y.len();
    let observed = || time.iter().copied().filter(|v| !v.is_nan());
    let t_max = observed().fold(f64::NEG_INFINITY, f64::max);
    let t_min = observed().fold(f64::INFINITY, f64::min);
    let never = |c: f64| c.is_nan() || c == 0.0 || c > t_max || c.is_infinite();
    // Treated at or before the first observed period: no pre-treatment observation to compare
    // with, so fixest leaves these cohorts out.
    let always = |c: f64| !never(c) && c <= t_min;
    if time.iter().any(|t| !t.is_nan() && t.fract() != 0.0) {
        return Err(Error::Model(format!(
            "event study: time column {} must hold whole periods",
            spec.time
        )));
    }
    if !(0..n).any(|i| never(cohort[i])) {
        return Err(Error::Model(format!(
            "event study: no never-treated units in {} (null, 0 or after the last period); \
             Sun–Abraham needs them as the control group",
            spec.cohort
        )));
    }
    let mut always_treated: Vec<i64> = (0..n)
        .filter(|&i| always(cohort[i]))
        .map(|i| cohort[i] as i64)
        .collect();
    always_treated.sort_unstable();
    always_treated.dedup();
    let rel_of = |i: usize| -> i64 {
        let l = time[i] as i64 - cohort[i] as i64;
        match spec.bin {
            Some([lo, hi]) => l.clamp(lo, hi),
            None => l,
        }
    };

    // Cohort × relative-period cells of treated observations.
    let mut cell_map: BTreeMap<(i64, i64), Vec<usize>> = BTreeMap::new();
    for i in 0..n {
        if time[i].is_nan() || never(cohort[i]) || always(cohort[i]) {
            continue;
        }
        let e = cohort[i] as i64;
        let l = rel_of(i);
        if spec.reference.contains(&l) {
            continue;
        }
        cell_map.entry((e, l)).or_default().push(i);
    }
    if cell_map.is_empty() {
        return Err(Error::Model(
            "event study: no treated observations outside the reference period".into(),
        ));
    }
    let cells: Vec<((i64, i64), Vec<usize>)> = cell_map.into_iter().collect();
    let names: Vec<String> = cells
        .iter()
        .map(|((e, l), _)| format!("{}::{l}:{}::{e}", spec.time, spec.cohort))
        .collect();
    let controls: Vec<Vec<f64>> = spec
        .controls
        .iter()
        .map(|c| data::numeric(df, c))
        .collect::<Result<_>>()?;
    let mut clusters = Vec::new();
    if let VcovSpec::Cluster(cs) = &spec.vcov {
        for c in cs {
            if df.column(c).is_err() {
                return Err(Error::Model(format!("unknown cluster column {c}")));
            }
            clusters.push((c.clone(), data::groups(df, c)?.codes));
        }
    }
    let fes: Vec<(String, Vec<u32>)> = match &spec.fixed_effects {
        None => {
            let mut map = std::collections::HashMap::new();
            let time_codes: Vec<u32> = time
                .iter()
                .map(|t| {
                    if t.is_nan() {
                        MISSING_CODE
                    } else {
                        let next = map.len() as u32;
                        *map.entry(*t as i64).or_insert(next)
                    }
                })
                .collect();
            vec![
                (spec.unit.clone(), unit.clone()),
                (spec.time.clone(), time_codes),
            ]
        }
        Some(list) => list
            .iter()
            .map(|parts| {
                let coded: Vec<data::Coded> = parts
                    .iter()
                    .map(|p| data::groups(df, p))
                    .collect::<Result<_>>()?;
                Ok((
                    super::formula::Formula::fe_name(parts),
                    super::combine_codes(&coded),
                ))
            })
            .collect::<Result<_>>()?,
    };
    let mut always_treated_rows = 0;
    let mut missing = 0;
    let complete: Vec<bool> = (0..n)
        .map(|i| {
            if always(cohort[i]) {
                always_treated_rows += 1;
                return false;
            }
            let ok = !y[i].is_nan()
                && !time[i].is_nan()
                && unit[i] != MISSING_CODE
                && controls.iter().all(|c| !c[i].is_nan())
                && clusters.iter().all(|(_, c)| c[i] != MISSING_CODE)
                && fes.iter().all(|(_, c)| c[i] != MISSING_CODE);
            if !ok {
                missing += 1;
            }
            ok
        })
        .collect();
    let cols: Vec<Vec<f64>> = cells
        .iter()
        .map(|(_, rows)| {
            let mut v = vec![0.0; n];
            for &i in rows {
                if complete[i] {
                    v[i] = 1.0;
                }
            }
            v
        })
        .collect();
    Ok(Prepared {
        y,
        cells,
        names,
        cols,
        controls,
        clusters,
        fes,
        complete,
        missing,
        always_treated,
        always_treated_rows,
    })
}

impl Prepared {
    /// The least-squares problem with the given cell columns (the prepared ones, or a
    /// reparametrisation of them).
    fn spec<'a>(
        &'a self,
        sa: &'a SunAbraham,
        cols: &'a [Vec<f64>],
        names: &'a [String],
    ) -> FeolsSpec<'a> {
        let mut regressors: Vec<Column> = names
            .iter()
            .zip(cols)
            .map(|(n, v)| Column { name: n, values: v })
            .collect();
        regressors.extend(
            sa.controls
                .iter()
                .zip(&self.controls)
                .map(|(n, v)| Column { name: n, values: v }),
        );
        let mut fs = FeolsSpec::new(
            Column {
                name: &sa.outcome,
                values: &self.y,
            },
            regressors,
            self.fes
                .iter()
                .map(|(n, c)| Groups { name: n, codes: c })
                .collect(),
        );
        fs.keep = Some(&self.complete);
        fs.vcov = match &sa.vcov {
            VcovSpec::Iid => Vcov::Iid,
            VcovSpec::Hetero => Vcov::Hetero,
            VcovSpec::Cluster(_) => Vcov::Cluster(
                self.clusters
                    .iter()
                    .map(|(n, c)| Groups { name: n, codes: c })
                    .collect(),
            ),
        };
        fs
    }

    /// The aggregated terms (`<time>::<l>` per relative period, then `ATT` over l ≥ 0), each
    /// cell weighted by its observations in the estimation sample.
    fn aggregates(&self, sa: &SunAbraham, fit: &feols::FeolsFit) -> Vec<Aggregate> {
        let index: std::collections::HashMap<&str, usize> = fit
            .terms
            .iter()
            .enumerate()
            .map(|(i, t)| (t.term.as_str(), i))
            .collect();
        let mut by_rel: BTreeMap<i64, Vec<(usize, usize, f64)>> = BTreeMap::new();
        let mut post = Vec::new();
        for (c, ((key, rows), name)) in self.cells.iter().zip(&self.names).enumerate() {
            let Some(&ix) = index.get(name.as_str()) else {
                continue; // dropped as collinear
            };
            let w = rows.iter().filter(|&&i| fit.kept[i]).count() as f64;
            if w == 0.0 {
                continue;
            }
            by_rel.entry(key.1).or_default().push((c, ix, w));
            if key.1 >= 0 {
                post.push((c, ix, w));
            }
        }
        let normalise = |mut parts: Vec<(usize, usize, f64)>| {
            let total: f64 = parts.iter().map(|p| p.2).sum();
            for p in parts.iter_mut() {
                p.2 /= total;
            }
            parts
        };
        let mut out: Vec<Aggregate> = by_rel
            .into_iter()
            .map(|(l, parts)| Aggregate {
                name: format!("{}::{l}", sa.time),
                rel: Some(l),
                parts: normalise(parts),
            })
            .collect();
        if !post.is_empty() {
            out.push(Aggregate {
                name: "ATT".into(),
                rel: None,
                parts: normalise(post),
            });
        }
        out
    }
}

/// Fits the Sun–Abraham interaction-weighted event study.
pub fn sun_abraham(df: &DataFrame, spec: &SunAbraham) -> Result<EventStudy> {
    let prep = prepare(df, spec)?;
    let fit = feols::feols(&prep.spec(spec, &prep.cols, &prep.names))?;
    let k = fit.terms.len();
    let aggs = prep.aggregates(spec, &fit);
    let beta: Vec<f64> = aggs
        .iter()
        .map(|a| {
            a.parts
                .iter()
                .map(|&(_, ix, w)| w * fit.terms[ix].estimate)
                .sum()
        })
        .collect();
    // Delta method: V_agg = W V Wᵀ.
    let m = aggs.len();
    let mut agg_vcov = vec![0.0; m * m];
    for a in 0..m {
        for b in 0..=a {
            let mut v = 0.0;
            for &(_, i, wa) in &aggs[a].parts {
                for &(_, j, wb) in &aggs[b].parts {
                    v += wa * wb * fit.vcov[i * k + j];
                }
            }
            agg_vcov[a * m + b] = v;
            agg_vcov[b * m + a] = v;
        }
    }
    let agg_names: Vec<String> = aggs.iter().map(|a| a.name.clone()).collect();
    let terms = feols::make_terms(&agg_names, &beta, &agg_vcov, fit.df_t)?;
    let pre_index: Vec<usize> = (0..m)
        .filter(|&i| aggs[i].rel.is_some_and(|l| l < 0))
        .collect();
    let (pretrend, pretrend_note) = if pre_index.is_empty() {
        (
            None,
            Some("no pre-treatment period besides the reference".to_string()),
        )
    } else {
        let q = pre_index.len();
        let b: Vec<f64> = pre_index.iter().map(|&i| beta[i]).collect();
        let mut v = vec![0.0; q * q];
        for (a, &i) in pre_index.iter().enumerate() {
            for (c, &j) in pre_index.iter().enumerate() {
                v[a * q + c] = agg_vcov[i * m + j];
            }
        }
        let pre_names: Vec<String> = pre_index.iter().map(|&i| agg_names[i].clone()).collect();
        match wald(&pre_names, &b, &v, fit.df_t) {
            Ok(t) => (Some(t), None),
            Err(e) => (None, Some(e.to_string())),
        }
    };
    let controls_txt: String = spec.controls.iter().map(|c| format!(" + {c}")).collect();
    let fe_txt: Vec<String> = prep.fes.iter().map(|(n, _)| n.clone()).collect();
    let model = ModelResult {
        formula: format!(
            "{} ~ sunab({}, {}){controls_txt} | {}",
            spec.outcome,
            spec.cohort,
            spec.time,
            fe_txt.join(" + ")
        ),
        nobs: fit.nobs,
        dropped: Dropped {
            missing: prep.missing,
            singletons: fit.n_singletons,
            zero_weight: 0,
        },
        fixed_effects: FixedEffectCounts(fit.fe_levels.clone()),
        vcov: spec.vcov.to_string(),
        weights: None,
        df_t: fit.df_t.round().max(0.0) as u64,
        r2: fit.r2,
        r2_within: fit.r2_within,
        coefficients: terms,
        collinear: fit.collinear.clone(),
        converged: fit.converged,
        iterations: fit.demean_iterations,
        ssc: super::SscReport::of(&fit),
        eigenvalue_fix: fit.eigenvalue_fix,
        bootstrap: None,
        sunab: None,
        ri: None,
    };
    Ok(EventStudy {
        model,
        cohort_terms: fit.terms,
        vcov: agg_vcov.chunks(m.max(1)).map(<[f64]>::to_vec).collect(),
        pretrend,
        pretrend_note,
        always_treated: prep.always_treated,
        always_treated_rows: prep.always_treated_rows,
    })
}

/// Restricted wild cluster bootstrap of one aggregated term (`<time>::<l>` or `ATT`).
///
/// The aggregate θ = Σ_c w_c δ_c is made a single coefficient by reparametrising the cells it
/// averages: with c₀ its first cell, the columns D_{c₀}/w_{c₀} (coefficient θ) and
/// D_c − (w_c/w_{c₀}) D_{c₀} (coefficient δ_c) span the same space as the D_c, so the fit is
/// unchanged and the bootstrap of that one coefficient is the bootstrap of θ. The cluster is
/// the first cluster column of the spec's variance.
pub fn wild_aggregate(
    df: &DataFrame,
    spec: &SunAbraham,
    term: &str,
    boot: &super::BootstrapSpec,
) -> Result<crate::stats::bootstrap::BootstrapResult> {
    let prep = prepare(df, spec)?;
    let Some((cluster_name, cluster_codes)) = prep.clusters.first() else {
        return Err(Error::Model(
            "the wild cluster bootstrap needs a clustered variance (cluster:VAR)".into(),
        ));
    };
    let fit = feols::feols(&prep.spec(spec, &prep.cols, &prep.names))?;
    let aggs = prep.aggregates(spec, &fit);
    let Some(agg) = aggs.iter().find(|a| a.name == term) else {
        return Err(Error::Model(format!(
            "event study: no aggregated term {term}; the terms are {}",
            aggs.iter()
                .map(|a| a.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    };
    let (c0, _, w0) = agg.parts[0];
    let mut cols = prep.cols.clone();
    let mut names = prep.names.clone();
    for &(c, _, w) in &agg.parts[1..] {
        let ratio = w / w0;
        for (v, d0) in cols[c].iter_mut().zip(&prep.cols[c0]) {
            *v -= ratio * d0;
        }
    }
    for v in cols[c0].iter_mut() {
        *v /= w0;
    }
    names[c0] = term.to_string();
    let fs = prep.spec(spec, &cols, &names);
    let opts = crate::stats::bootstrap::WildOptions {
        draws: boot.draws,
        seed: boot.seed,
        weights: boot.weights,
        ..Default::default()
    };
    Ok(crate::stats::bootstrap::wild_cluster(
        &fs,
        term,
        Groups {
            name: cluster_name,
            codes: cluster_codes,
        },
        &opts,
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::rng::Rng;
    use polars::prelude::*;

    /// Two cohorts (2014, 2016) with different dynamic effects, plus never-treated units.
    fn staggered(noise: f64) -> (DataFrame, BTreeMap<(i64, i64), f64>) {
        let mut rng = Rng::new(5);
        let (mut id, mut yr, mut coh, mut y) = (vec![], vec![], vec![], vec![]);
        let mut truth = BTreeMap::new();
        for u in 0..30i64 {
            let cohort = [2014i64, 2016, 0][(u % 3) as usize];
            let a = rng.normal();
            for t in 2010i64..2020 {
                let l = t - cohort;
                let tau = if cohort == 0 || l < 0 {
                    0.0
                } else if cohort == 2014 {
                    1.0 + 0.5 * l as f64
                } else {
                    3.0 - 0.2 * l as f64
                };
                if cohort != 0 {
                    truth.insert((cohort, l), tau);
                }
                id.push(u);
                yr.push(t);
                coh.push(cohort);
                y.push(a + 0.1 * (t - 2010) as f64 + tau + noise * rng.normal());
            }
        }
        let df = df!("firm_id" => id, "year" => yr, "cohort" => coh, "y" => y).unwrap();
        (df, truth)
    }

    #[test]
    fn recovers_cohort_weighted_dynamic_effects_exactly_without_noise() {
        let (df, truth) = staggered(0.0);
        let es = sun_abraham(&df, &SunAbraham::new("y", "firm_id", "year", "cohort")).unwrap();
        // Equal-sized cohorts (10 firms each): where both cohorts are observed at l, the
        // aggregate is the plain mean of their effects; otherwise the one cohort's effect.
        for l in -6i64..=5 {
            if l == -1 {
                continue;
            }
            let effects: Vec<f64> = [2014i64, 2016]
                .iter()
                .filter_map(|&e| truth.get(&(e, l)).copied())
                .collect();
            let want = effects.iter().sum::<f64>() / effects.len() as f64;
            let got = es
                .model
                .coefficient(&format!("year::{l}"))
                .unwrap()
                .estimate;
            assert!((got - want).abs() < 1e-8, "l = {l}: {got} vs {want}");
        }
        // ATT: cohort 2014 post cells l = 0..5 (6 × 10 obs), cohort 2016 l = 0..3 (4 × 10 obs).
        let att_2014: f64 = (0..6).map(|l| 1.0 + 0.5 * l as f64).sum::<f64>();
        let att_2016: f64 = (0..4).map(|l| 3.0 - 0.2 * l as f64).sum::<f64>();
        let want_att = (att_2014 + att_2016) / 10.0;
        let att = es.model.coefficient("ATT").unwrap().estimate;
        assert!((att - want_att).abs() < 1e-8, "{att} vs {want_att}");
    }

    #[test]
    fn noisy_estimates_cover_the_truth_and_need_never_treated() {
        let (df, _) = staggered(0.3);
        let es = sun_abraham(&df, &SunAbraham::new("y", "firm_id", "year", "cohort")).unwrap();
        let att = es.model.coefficient("ATT").unwrap();
        let want_att = ((0..6).map(|l| 1.0 + 0.5 * l as f64).sum::<f64>()
            + (0..4).map(|l| 3.0 - 0.2 * l as f64).sum::<f64>())
            / 10.0;
        assert!(
            att.conf_low < want_att && want_att < att.conf_high,
            "{att:?}"
        );
        assert!(att.std_error > 0.0);
        // Without never-treated units the estimator refuses.
        let treated_only = df
            .clone()
            .lazy()
            .filter(col("cohort").neq(lit(0i64)))
            .collect()
            .unwrap();
        let e = sun_abraham(
            &treated_only,
            &SunAbraham::new("y", "firm_id", "year", "cohort"),
        )
        .unwrap_err();
        assert!(e.to_string().contains("no never-treated units"), "{e}");
    }

    #[test]
    fn always_treated_cohorts_are_left_out_as_fixest_does() {
        let (df, _) = staggered(0.3);
        let base = sun_abraham(&df, &SunAbraham::new("y", "firm_id", "year", "cohort")).unwrap();
        // Add ten firms treated since 2008, before the first observed year (2010), with a wild
        // outcome: were they used, every estimate would move.
        let mut rng = Rng::new(77);
        let (mut id, mut yr, mut coh, mut y) = (vec![], vec![], vec![], vec![]);
        for u in 100..110i64 {
            for t in 2010i64..2020 {
                id.push(u);
                yr.push(t);
                coh.push(2008i64);
                y.push(50.0 * rng.normal() + (t - 2000) as f64);
            }
        }
        let extra = df!("firm_id" => id, "year" => yr, "cohort" => coh, "y" => y).unwrap();
        let both = df.vstack(&extra).unwrap();
        let es = sun_abraham(&both, &SunAbraham::new("y", "firm_id", "year", "cohort")).unwrap();
        assert_eq!(es.always_treated, vec![2008]);
        assert_eq!(es.always_treated_rows, 100);
        assert_eq!(es.model.nobs, base.model.nobs);
        for (a, b) in es.model.coefficients.iter().zip(&base.model.coefficients) {
            assert_eq!(a.term, b.term);
            assert!((a.estimate - b.estimate).abs() < 1e-10, "{}", a.term);
            assert!((a.std_error - b.std_error).abs() < 1e-10, "{}", a.term);
        }
    }

    #[test]
    fn aggregated_variance_is_complete_and_pretrends_are_tested_jointly() {
        let (df, _) = staggered(0.3);
        let es = sun_abraham(&df, &SunAbraham::new("y", "firm_id", "year", "cohort")).unwrap();
        let m = es.model.coefficients.len();
        assert_eq!(es.vcov.len(), m);
        for (i, t) in es.model.coefficients.iter().enumerate() {
            assert!((es.vcov[i][i].sqrt() - t.std_error).abs() < 1e-12);
        }
        // The ATT shares cohort cells with every post period, so their covariances are not zero.
        let att = m - 1;
        assert!(es.vcov[att][att - 1].abs() > 0.0);
        // Pre-periods −6..−2: a joint test of five coefficients on 30 − 1 degrees of freedom.
        let pt = es.pretrend.as_ref().unwrap();
        assert_eq!(pt.terms.len(), 5);
        assert_eq!(pt.terms[0], "year::-6");
        assert_eq!((pt.df1, pt.df2), (5, 29.0));
        // No pre-trend was planted: the test should not reject.
        assert!(pt.p_value > 0.01, "{pt:?}");
        // A planted pre-trend (treated units drift up before adoption) is caught.
        let drift = df
            .clone()
            .lazy()
            .with_column(
                when(
                    col("cohort")
                        .gt(lit(0i64))
                        .and(col("year").lt(col("cohort"))),
                )
                .then(col("y") + (col("year") - col("cohort")).cast(DataType::Float64) * lit(0.6))
                .otherwise(col("y"))
                .alias("y"),
            )
            .collect()
            .unwrap();
        let es = sun_abraham(&drift, &SunAbraham::new("y", "firm_id", "year", "cohort")).unwrap();
        let pt = es.pretrend.unwrap();
        assert!(pt.p_value < 0.001, "{pt:?}");
        // With one pre-period the joint test is the squared t test.
        let mut one = SunAbraham::new("y", "firm_id", "year", "cohort");
        one.bin = Some([-2, 5]);
        let es = sun_abraham(&df, &one).unwrap();
        let t = es.model.coefficient("year::-2").unwrap();
        let pt = es.pretrend.unwrap();
        assert_eq!(pt.df1, 1);
        assert!((pt.statistic - t.statistic * t.statistic).abs() < 1e-9);
        assert!((pt.p_value - t.p_value).abs() < 1e-9);
    }

    #[test]
    fn wild_bootstrap_of_an_aggregate_sees_the_delta_method_statistic() {
        let (df, _) = staggered(0.3);
        let spec = SunAbraham::new("y", "firm_id", "year", "cohort");
        let es = sun_abraham(&df, &spec).unwrap();
        let mut boot = crate::models::BootstrapSpec::new("");
        boot.draws = 199;
        // year::0 averages both cohorts, ATT ten cells, year::5 only cohort 2014.
        for term in ["year::0", "ATT", "year::5"] {
            let b = wild_aggregate(&df, &spec, term, &boot).unwrap();
            let t = es.model.coefficient(term).unwrap();
            assert!((b.estimate - t.estimate).abs() < 1e-10, "{term}");
            assert!(
                (b.statistic - t.statistic).abs() < 1e-8 * t.statistic.abs(),
                "{term}: {} vs {}",
                b.statistic,
                t.statistic
            );
            assert_eq!(b.cluster, "firm_id");
            assert!(b.conf_low < t.estimate && t.estimate < b.conf_high);
        }
        let e = wild_aggregate(&df, &spec, "year::9", &boot).unwrap_err();
        assert!(e.to_string().contains("no aggregated term year::9"), "{e}");
    }
}
