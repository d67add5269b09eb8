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

/// Fits the Sun–Abraham interaction-weighted event study.
pub fn sun_abraham(df: &DataFrame, spec: &SunAbraham) -> Result<EventStudy> {
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
    let time_codes: Vec<u32> = {
        let mut map = std::collections::HashMap::new();
        time.iter()
            .map(|t| {
                if t.is_nan() {
                    MISSING_CODE
                } else {
                    let next = map.len() as u32;
                    *map.entry(*t as i64).or_insert(next)
                }
            })
            .collect()
    };
    let rel_of = |i: usize| -> i64 {
        let l = time[i] as i64 - cohort[i] as i64;
        match spec.bin {
            Some([lo, hi]) => l.clamp(lo, hi),
            None => l,
        }
    };

    // Cohort × relative-period cells of treated observations.
    let mut cells: BTreeMap<(i64, i64), Vec<usize>> = BTreeMap::new();
    for i in 0..n {
        if time[i].is_nan() || never(cohort[i]) || always(cohort[i]) {
            continue;
        }
        let e = cohort[i] as i64;
        let l = rel_of(i);
        if spec.reference.contains(&l) {
            continue;
        }
        cells.entry((e, l)).or_default().push(i);
    }
    if cells.is_empty() {
        return Err(Error::Model(
            "event study: no treated observations outside the reference period".into(),
        ));
    }
    let names: Vec<String> = cells
        .keys()
        .map(|(e, l)| format!("{}::{l}:{}::{e}", spec.time, spec.cohort))
        .collect();
    let mut cols: Vec<Vec<f64>> = cells
        .values()
        .map(|rows| {
            let mut v = vec![0.0; n];
            for &i in rows {
                v[i] = 1.0;
            }
            v
        })
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
        None => vec![
            (spec.unit.clone(), unit.clone()),
            (spec.time.clone(), time_codes.clone()),
        ],
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
    let complete: Vec<bool> = (0..n)
        .map(|i| {
            let ok = !y[i].is_nan()
                && !time[i].is_nan()
                && unit[i] != MISSING_CODE
                && controls.iter().all(|c| !c[i].is_nan())
                && clusters.iter().all(|(_, c)| c[i] != MISSING_CODE)
                && fes.iter().all(|(_, c)| c[i] != MISSING_CODE);
            if always(cohort[i]) {
                always_treated_rows += 1;
                return false;
            }
            ok
        })
        .collect();
    let missing = (0..n)
        .filter(|&i| !complete[i] && !always(cohort[i]))
        .count();
    for c in cols.iter_mut() {
        for (v, ok) in c.iter_mut().zip(&complete) {
            if !ok {
                *v = 0.0;
            }
        }
    }
    let mut regressors: Vec<Column> = names
        .iter()
        .zip(&cols)
        .map(|(n, v)| Column { name: n, values: v })
        .collect();
    regressors.extend(
        spec.controls
            .iter()
            .zip(&controls)
            .map(|(n, v)| Column { name: n, values: v }),
    );
    let mut fs = FeolsSpec::new(
        Column {
            name: &spec.outcome,
            values: &y,
        },
        regressors,
        fes.iter()
            .map(|(n, c)| Groups { name: n, codes: c })
            .collect(),
    );
    fs.keep = Some(&complete);
    fs.vcov = match &spec.vcov {
        VcovSpec::Iid => Vcov::Iid,
        VcovSpec::Hetero => Vcov::Hetero,
        VcovSpec::Cluster(_) => Vcov::Cluster(
            clusters
                .iter()
                .map(|(n, c)| Groups { name: n, codes: c })
                .collect(),
        ),
    };
    let fit = feols::feols(&fs)?;
    let k = fit.terms.len();
    let index: std::collections::HashMap<&str, usize> = fit
        .terms
        .iter()
        .enumerate()
        .map(|(i, t)| (t.term.as_str(), i))
        .collect();

    // Weights: observations per estimated cell in the estimation sample.
    let mut by_rel: BTreeMap<i64, Vec<(usize, f64)>> = BTreeMap::new();
    let mut post: Vec<(usize, f64)> = Vec::new();
    for ((key, rows), name) in cells.iter().zip(&names) {
        let Some(&ix) = index.get(name.as_str()) else {
            continue; // dropped as collinear
        };
        let w = rows.iter().filter(|&&i| fit.kept[i]).count() as f64;
        if w == 0.0 {
            continue;
        }
        by_rel.entry(key.1).or_default().push((ix, w));
        if key.1 >= 0 {
            post.push((ix, w));
        }
    }
    // Each aggregated term is a row of weights over the fitted coefficients.
    let weights_row = |parts: &[(usize, f64)]| -> Vec<f64> {
        let total: f64 = parts.iter().map(|p| p.1).sum();
        let mut row = vec![0.0; k];
        for &(ix, w) in parts {
            row[ix] = w / total;
        }
        row
    };
    let mut agg_names = Vec::new();
    let mut rows_w: Vec<Vec<f64>> = Vec::new();
    let mut pre_index = Vec::new();
    for (l, parts) in &by_rel {
        if *l < 0 {
            pre_index.push(agg_names.len());
        }
        agg_names.push(format!("{}::{l}", spec.time));
        rows_w.push(weights_row(parts));
    }
    if !post.is_empty() {
        agg_names.push("ATT".to_string());
        rows_w.push(weights_row(&post));
    }
    let beta: Vec<f64> = rows_w
        .iter()
        .map(|r| r.iter().zip(&fit.terms).map(|(w, t)| w * t.estimate).sum())
        .collect();
    // Delta method: V_agg = W V Wᵀ.
    let m = beta.len();
    let mut agg_vcov = vec![0.0; m * m];
    for a in 0..m {
        for b in 0..=a {
            let mut v = 0.0;
            for (i, wa) in rows_w[a].iter().enumerate() {
                if *wa == 0.0 {
                    continue;
                }
                for (j, wb) in rows_w[b].iter().enumerate() {
                    v += wa * wb * fit.vcov[i * k + j];
                }
            }
            agg_vcov[a * m + b] = v;
            agg_vcov[b * m + a] = v;
        }
    }
    let terms = feols::make_terms(&agg_names, &beta, &agg_vcov, fit.df_t)?;
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
    let fe_txt: Vec<String> = fes.iter().map(|(n, _)| n.clone()).collect();
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
            missing,
            singletons: fit.n_singletons,
        },
        fixed_effects: FixedEffectCounts(fit.fe_levels.clone()),
        vcov: spec.vcov.to_string(),
        df_t: fit.df_t.round().max(0.0) as u64,
        r2: fit.r2,
        r2_within: fit.r2_within,
        coefficients: terms,
        collinear: fit.collinear.clone(),
        bootstrap: None,
    };
    Ok(EventStudy {
        model,
        cohort_terms: fit.terms,
        vcov: agg_vcov.chunks(m.max(1)).map(<[f64]>::to_vec).collect(),
        pretrend,
        pretrend_note,
        always_treated,
        always_treated_rows,
    })
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
}
