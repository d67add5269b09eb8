//! The model command's newer pieces against their references: weights, formula terms,
//! `--ssc` (statsmodels), the eigenvalue fix, non-convergence, `sunab()`, randomization
//! inference (exact enumeration), several formulas, one default seed, and the pilot evaluation
//! with staggered start years.

use super::model::{close, fixtures};
use khuyencong::models::{self, ModelOptions, VcovSpec};
use serde_json::Value;

#[test]
fn one_default_seed_for_the_command_line_the_pipeline_and_the_library() {
    use clap::Parser;
    let cli = khuyencong::commands::Cli::try_parse_from([
        "khuyencong",
        "model",
        "--data",
        "x.csv",
        "--formula",
        "y ~ x",
    ])
    .unwrap();
    let khuyencong::commands::Command::Model { seed, .. } = cli.command else {
        panic!("not the model command");
    };
    let pipeline = khuyencong::pipeline::config::ModelsParams::default().seed;
    let library = models::BootstrapSpec::new("x").seed;
    let wild = khuyencong::stats::bootstrap::WildOptions::default().seed;
    let ri = khuyencong::stats::ri::RiOptions::default().seed;
    assert_eq!(seed, 20_201_120);
    for s in [pipeline, library, wild, ri] {
        assert_eq!(s, seed);
    }
}

/// A province × sector × year panel (the columns the models stage reads) where pilot
/// provinces start in 2015 or 2018 with different planted effect paths.
fn staggered_panel(noise: f64) -> (polars::prelude::DataFrame, khuyencong::panel::PilotParams) {
    use khuyencong::stats::rng::Rng;
    let mut rng = Rng::new(3);
    let (mut prov, mut sec, mut year, mut pilot, mut rel, mut y) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    let starts: Vec<(String, i32)> = (0..6)
        .map(|p| (format!("{:02}", p + 1), if p < 3 { 2015 } else { 2018 }))
        .collect();
    let sector_year: Vec<f64> = (0..2 * 11).map(|_| rng.normal()).collect();
    for p in 0..20 {
        let code = format!("{:02}", p + 1);
        let start = starts.iter().find(|(c, _)| *c == code).map(|s| s.1);
        for (s, sector) in ["10", "13"].iter().enumerate() {
            let cell = rng.normal();
            for (t, yr) in (2010..=2020).enumerate() {
                let effect = match start {
                    Some(e) if *sector == "10" && yr >= e => {
                        let l = (yr - e) as f64;
                        if e == 2015 { 0.1 * (l + 1.0) } else { 0.3 }
                    }
                    _ => 0.0,
                };
                prov.push(code.clone());
                sec.push(sector.to_string());
                year.push(yr);
                pilot.push(start.is_some());
                rel.push(start.map(|e| yr - e));
                y.push(cell + sector_year[s * 11 + t] + effect + noise * rng.normal());
            }
        }
    }
    let df = polars::prelude::df!(
        "province_code" => prov, "sector_code" => sec, "year" => year,
        "pilot" => pilot, "rel_year" => rel, "log_output" => y
    )
    .unwrap();
    let params = khuyencong::panel::PilotParams {
        provinces: starts.iter().map(|s| s.0.clone()).collect(),
        start_year: 2015,
        start_years: [("04", 2018), ("05", 2018), ("06", 2018)]
            .iter()
            .map(|(c, y)| (c.to_string(), *y))
            .collect(),
        sectors: Some(vec!["10".into()]),
    };
    (df, params)
}

#[test]
fn pilot_event_study_accepts_staggered_start_years() {
    use khuyencong::models::stage::event_study;
    use khuyencong::table;
    let (panel, pilot) = staggered_panel(0.001);
    assert!(pilot.staggered());
    let params = khuyencong::pipeline::config::ModelsParams {
        bootstrap_draws: 199,
        ri_permutations: 99,
        ..Default::default()
    };
    let (model, es, inf) = event_study(&panel, &pilot, &params).unwrap();
    assert!(
        model.formula.contains("sunab(pilot_cohort, year)"),
        "{}",
        model.formula
    );
    let rel = table::i32s(&es, "rel_year").unwrap();
    let est = table::f64s(&es, "estimate").unwrap();
    let wild_lo = table::f64s(&es, "conf_low_wild").unwrap();
    let at = |k: i32| est[rel.iter().position(|r| *r == Some(k)).unwrap()].unwrap();
    // Planted: cohort 2015 has 0.1·(l+1), cohort 2018 a flat 0.3, both with three provinces.
    // Where both cohorts are observed (l = 0..2) the aggregate is the plain mean; l = 3..5
    // only cohort 2015 reaches. Before the start nothing was planted.
    for k in -5..=5 {
        let want = match k {
            k if k < 0 => 0.0,
            0..=2 => (0.1 * (k as f64 + 1.0) + 0.3) / 2.0,
            _ => 0.1 * (k as f64 + 1.0),
        };
        assert!((at(k) - want).abs() < 0.005, "l = {k}: {} vs {want}", at(k));
    }
    assert!(wild_lo.iter().filter(|v| v.is_some()).count() >= 10);
    // The pilot summary: both cohorts, six treated provinces out of twenty, hence the warning.
    assert_eq!(inf.start_years, vec![2015, 2018]);
    assert_eq!(inf.cluster, "province_code");
    assert_eq!((inf.clusters, inf.treated_clusters), (20, 6));
    assert!(inf.few_treated);
    // ATT: cohort 2015 cells l = 0..5 and cohort 2018 l = 0..2, three provinces each, one
    // row per cell year.
    let att_2015: f64 = (0..6).map(|l| 0.1 * (l as f64 + 1.0)).sum();
    let want_att = (att_2015 + 3.0 * 0.3) / 9.0;
    assert!(
        (inf.att - want_att).abs() < 0.005,
        "{} vs {want_att}",
        inf.att
    );
    assert!(inf.pretrend_p_value.is_some());
    assert_eq!(inf.ri_permutations, 99);
    assert!(inf.ri_p_value > 0.0 && inf.ri_p_value <= 1.0);
}

#[test]
fn pilot_start_years_must_name_pilot_provinces() {
    let (_, mut pilot) = staggered_panel(0.0);
    pilot.start_years.insert("99".into(), 2019);
    let e = pilot.check().unwrap_err();
    assert!(e.contains("\"99\"") && e.contains("not in"), "{e}");
}

/// Integer weights are frequency weights: weighting row i by k_i gives the estimates of the
/// data with row i repeated k_i times. The wild bootstrap and randomization-inference p-values
/// compare a statistic with its own draws, so the small-sample factor (which counts rows)
/// cancels and they must agree exactly too.
#[test]
fn bootstrap_and_randomization_inference_with_weights_equal_repeated_rows() {
    use polars::prelude::*;
    let df = models::read_table(&fixtures().join("event.csv")).unwrap();
    let df = df
        .lazy()
        .with_column(
            (col("rel_year").gt_eq(lit(0)))
                .and(col("treated").eq(lit(1)))
                .cast(DataType::Float64)
                .alias("d"),
        )
        .collect()
        .unwrap();
    let n = df.height();
    let k: Vec<u32> = (0..n).map(|i| 1 + (i * 7 % 3) as u32).collect();
    let weighted = df
        .clone()
        .with_column(Column::new(
            "k".into(),
            k.iter().map(|&v| v as f64).collect::<Vec<f64>>(),
        ))
        .unwrap()
        .clone();
    let idx: Vec<IdxSize> = (0..n)
        .flat_map(|i| std::iter::repeat_n(i as IdxSize, k[i] as usize))
        .collect();
    let repeated = df.take(&IdxCa::from_vec("i".into(), idx)).unwrap();
    let formula = "y ~ d | firm_id + year";
    let mut boot = models::BootstrapSpec::new("d");
    boot.draws = 499;
    let w_opts = ModelOptions {
        vcov: VcovSpec::parse("cluster:province_code").unwrap(),
        bootstrap: Some(boot.clone()),
        weights: Some("k".into()),
        ..Default::default()
    };
    let r_opts = ModelOptions {
        weights: None,
        ..w_opts.clone()
    };
    let a = models::fit_formula(&weighted, formula, &w_opts).unwrap();
    let b = models::fit_formula(&repeated, formula, &r_opts).unwrap();
    assert!((a.coefficients[0].estimate - b.coefficients[0].estimate).abs() < 1e-10);
    let (ba, bb) = (a.bootstrap.unwrap(), b.bootstrap.unwrap());
    assert_eq!(ba.p_value, bb.p_value);
    assert!((ba.conf_low - bb.conf_low).abs() < 1e-8, "{ba:?} vs {bb:?}");
    assert!((ba.conf_high - bb.conf_high).abs() < 1e-8);
    let ri = khuyencong::stats::ri::RiOptions {
        permutations: 199,
        seed: 4,
    };
    let run = |data: &DataFrame, opts: &ModelOptions| {
        models::randomization_inference(data, formula, opts, "d", "firm_id", Some("year"), &ri)
            .unwrap()
    };
    let (ra, rb) = (run(&weighted, &w_opts), run(&repeated, &r_opts));
    assert!((ra.estimate - rb.estimate).abs() < 1e-10);
    assert_eq!(ra.p_value, rb.p_value);
    assert!((ra.null_q975 - rb.null_q975).abs() < 1e-10);
}

#[test]
fn several_formulas_print_side_by_side_and_as_a_json_array() {
    let cmd = |format: &str| models::ModelCommand {
        data: fixtures().join("balanced.csv"),
        formulas: vec![
            "y ~ x1 | firm_id + year".into(),
            "y ~ x1 + x2 | firm_id + year".into(),
        ],
        vcov: "cluster:province_code".into(),
        fixef_rm: "singleton".into(),
        format: format.into(),
        weights: None,
        panel_id: None,
        ssc: None,
        ri: None,
        bootstrap: None,
    };
    let json: Value =
        serde_json::from_str(&models::run_model_command(&cmd("json")).unwrap()).unwrap();
    let arr = json.as_array().unwrap();
    assert_eq!(arr.len(), 2);
    assert_eq!(arr[1]["formula"], "y ~ x1 + x2 | firm_id + year");
    // The second model is the fixture pyfixest fitted.
    let want: Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures().join("twofe_cluster.json")).unwrap(),
    )
    .unwrap();
    let x2 = arr[1]["coefficients"].as_array().unwrap()[1]["estimate"]
        .as_f64()
        .unwrap();
    let want_x2 = want["coefficients"][1]["estimate"].as_f64().unwrap();
    assert!(close(x2, want_x2, 1e-8, 0.0));
    let table = models::run_model_command(&cmd("table")).unwrap();
    let header = table.lines().next().unwrap();
    assert!(header.contains("(1)") && header.contains("(2)"), "{table}");
    // x2 appears only in the second column: its row has one estimate.
    let x2_row = table.lines().find(|l| l.starts_with("x2 ")).unwrap();
    assert_eq!(x2_row.split_whitespace().count(), 2, "{x2_row}");
}

#[test]
fn ssc_choices_reproduce_statsmodels_with_dummies() {
    let want: Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures().join("ssc_statsmodels.json")).unwrap(),
    )
    .unwrap();
    let df = models::read_table(&fixtures().join("balanced.csv")).unwrap();
    for fit in want["fits"].as_array().unwrap() {
        let opts = ModelOptions {
            vcov: VcovSpec::parse(fit["vcov"].as_str().unwrap()).unwrap(),
            ssc: models::parse_ssc(fit["ssc"].as_str().unwrap()).unwrap(),
            ..Default::default()
        };
        let got = models::fit_formula(&df, want["formula"].as_str().unwrap(), &opts).unwrap();
        for w in fit["coefficients"].as_array().unwrap() {
            let t = got.coefficient(w["term"].as_str().unwrap()).unwrap();
            let label = format!("{} {} {}", fit["vcov"], fit["ssc"], w["term"]);
            for (ours, theirs, abs) in [
                (t.estimate, w["estimate"].as_f64().unwrap(), 0.0),
                (t.std_error, w["std_error"].as_f64().unwrap(), 0.0),
                (t.p_value, w["p_value"].as_f64().unwrap(), 1e-14),
            ] {
                assert!(
                    close(ours, theirs, 1e-8, abs),
                    "{label}: {ours:e} vs {theirs:e}"
                );
            }
        }
    }
}

#[test]
fn ssc_defaults_are_fixest_and_reported_in_the_json() {
    let df = models::read_table(&fixtures().join("balanced.csv")).unwrap();
    let formula = "y ~ x1 + x2 | firm_id + year";
    let base = ModelOptions {
        vcov: VcovSpec::parse("cluster:province_code").unwrap(),
        ..Default::default()
    };
    let r = models::fit_formula(&df, formula, &base).unwrap();
    // N = 320, G = 6; firms are nested in provinces, so K = 2 regressors + 8 years.
    let factor = 319.0 / 310.0 * 6.0 / 5.0;
    assert_eq!(r.ssc.k, 10);
    assert!((r.ssc.factor - factor).abs() < 1e-14);
    assert!(r.converged && r.iterations >= 1);
    let json: Value = serde_json::from_str(&r.to_json()).unwrap();
    assert_eq!(json["converged"], true);
    assert_eq!(json["ssc"]["fixef_k"], "nested");
    assert_eq!(json["ssc"]["dist"], "t");
    assert!(json.get("eigenvalue_fix").is_none());
    // Without G/(G−1) every standard error shrinks by √((G−1)/G).
    let no_g = ModelOptions {
        ssc: models::parse_ssc("cluster.adj=false").unwrap(),
        ..base.clone()
    };
    let s = models::fit_formula(&df, formula, &no_g).unwrap();
    for (a, b) in s.coefficients.iter().zip(&r.coefficients) {
        assert!((a.std_error / b.std_error - (5.0f64 / 6.0).sqrt()).abs() < 1e-12);
    }
    for bad in ["fixef.K=some", "dist", "cluster.adj=maybe", "t.df=min"] {
        assert_eq!(models::parse_ssc(bad).unwrap_err().exit_code(), 2, "{bad}");
    }
}

#[test]
fn a_demeaning_that_does_not_converge_is_reported() {
    let df = models::read_table(&fixtures().join("unbalanced.csv")).unwrap();
    let opts = ModelOptions {
        max_iter: 2,
        ..Default::default()
    };
    let r = models::fit_formula(&df, "y ~ x1 + x2 | firm_id + year", &opts).unwrap();
    assert!(!r.converged);
    assert_eq!(r.iterations, 2);
    let json: Value = serde_json::from_str(&r.to_json()).unwrap();
    assert_eq!(json["converged"], false);
    let table = models::format_table(std::slice::from_ref(&r));
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("Converged") && l.ends_with("NO")),
        "{table}"
    );
}

#[test]
fn a_two_way_variance_with_a_negative_diagonal_gets_the_eigenvalue_fix() {
    use khuyencong::stats::feols::{Column, FeolsSpec, Groups, Vcov, feols};
    use khuyencong::stats::rng::Rng;
    // Few clusters in each direction and several regressors make V₁ + V₂ − V₁₂ indefinite
    // for some draws; find one (deterministically) and check what is reported.
    let mut found = false;
    for seed in 0..400u64 {
        let mut rng = Rng::new(seed);
        let n = 24;
        let a: Vec<u32> = (0..n).map(|i| (i % 3) as u32).collect();
        let b: Vec<u32> = (0..n).map(|i| ((i / 3) % 3) as u32).collect();
        let xs: Vec<Vec<f64>> = (0..4)
            .map(|_| (0..n).map(|_| rng.normal()).collect())
            .collect();
        let y: Vec<f64> = (0..n).map(|i| xs[0][i] + rng.normal()).collect();
        let names = ["x1", "x2", "x3", "x4"];
        let mut spec = FeolsSpec::new(
            Column {
                name: "y",
                values: &y,
            },
            xs.iter()
                .zip(names)
                .map(|(v, name)| Column { name, values: v })
                .collect(),
            vec![],
        );
        spec.vcov = Vcov::Cluster(vec![
            Groups {
                name: "a",
                codes: &a,
            },
            Groups {
                name: "b",
                codes: &b,
            },
        ]);
        let fit = feols(&spec).unwrap();
        if !fit.eigenvalue_fix {
            continue;
        }
        found = true;
        let k = fit.terms.len();
        assert!(
            fit.terms.iter().all(|t| t.std_error.is_finite()),
            "seed {seed}"
        );
        let (vals, _) = khuyencong::stats::linalg::symmetric_eigen(&fit.vcov, k);
        let top = vals.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        assert!(vals.iter().all(|&l| l >= -1e-10 * top), "{vals:?}");
        assert!(
            vals.iter().any(|&l| l.abs() <= 1e-10 * top),
            "a clipped eigenvalue is zero"
        );
        break;
    }
    assert!(found, "no seed gave an indefinite two-way variance");
}

#[test]
fn sunab_formula_term_matches_pyfixest_and_reports_its_cohorts() {
    let want: Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures().join("event_study_saturated.json")).unwrap(),
    )
    .unwrap();
    let data = fixtures().join("event.csv");
    let mut boot = models::BootstrapSpec::new("ATT");
    boot.draws = 199;
    let out = models::run_model_command(&models::ModelCommand {
        data,
        formulas: vec!["y ~ sunab(cohort, year) | firm_id + year".into()],
        vcov: "cluster:province_code".into(),
        fixef_rm: "singleton".into(),
        format: "json".into(),
        weights: None,
        panel_id: None,
        ssc: None,
        ri: None,
        bootstrap: Some(boot),
    })
    .unwrap();
    let got: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(got["formula"], "y ~ sunab(cohort, year) | firm_id + year");
    let coefs = got["coefficients"].as_array().unwrap();
    for w in want["period"].as_array().unwrap() {
        let name = format!("year::{}", w["rel"]);
        let g = coefs.iter().find(|c| c["term"] == name.as_str()).unwrap();
        for f in ["estimate", "std_error"] {
            let (a, b) = (g[f].as_f64().unwrap(), w[f].as_f64().unwrap());
            assert!(close(a, b, 1e-8, 0.0), "{name} {f}: {a} vs {b}");
        }
    }
    assert!(coefs.iter().any(|c| c["term"] == "ATT"));
    assert_eq!(
        got["sunab"]["cohort_terms"].as_array().unwrap().len(),
        want["cohort_terms"].as_array().unwrap().len()
    );
    assert_eq!(got["sunab"]["pretrend"]["df2"], 7.0);
    assert_eq!(got["bootstrap"]["term"], "ATT");
    assert_eq!(got["bootstrap"]["cluster"], "province_code");
}

/// One row per unit; `d` = 1 for the units in `treated`.
fn tiny_design(treated: &[usize]) -> (Vec<f64>, Vec<f64>) {
    let y = vec![3.1, 0.4, 2.2, -0.7, 1.5, 0.9];
    let d = (0..6)
        .map(|i| if treated.contains(&i) { 1.0 } else { 0.0 })
        .collect();
    (y, d)
}

/// OLS of y on d and an intercept with one observation per cluster: (β, t without the
/// small-sample factor), by hand.
fn slope_and_t(y: &[f64], d: &[f64]) -> (f64, f64) {
    let n = y.len() as f64;
    let (my, md) = (y.iter().sum::<f64>() / n, d.iter().sum::<f64>() / n);
    let sxx: f64 = d.iter().map(|v| (v - md).powi(2)).sum();
    let b = d
        .iter()
        .zip(y)
        .map(|(x, v)| (x - md) * (v - my))
        .sum::<f64>()
        / sxx;
    let a = my - b * md;
    let meat: f64 = d
        .iter()
        .zip(y)
        .map(|(x, v)| ((x - md) * (v - a - b * x)).powi(2))
        .sum();
    (b, b / (meat / (sxx * sxx)).sqrt())
}

#[test]
fn randomization_inference_is_exact_on_a_tiny_design() {
    use polars::prelude::*;
    let (y, d) = tiny_design(&[0, 2]);
    let df = df!("unit" => (0..6i64).collect::<Vec<_>>(), "y" => y.clone(), "d" => d.clone(),
                 "stratum" => [1i64, 1, 1, 2, 2, 2])
    .unwrap();
    let (b_obs, t_obs) = slope_and_t(&y, &d);
    // Every assignment of two treated units among six, by hand.
    let (mut n, mut ge_b, mut ge_t) = (0, 0, 0);
    for a in 0..6 {
        for b in a + 1..6 {
            let (_, dd) = tiny_design(&[a, b]);
            let (bs, ts) = slope_and_t(&y, &dd);
            n += 1;
            ge_b += usize::from(bs.abs() >= b_obs.abs() * (1.0 - 1e-12));
            ge_t += usize::from(ts.abs() >= t_obs.abs() * (1.0 - 1e-12));
        }
    }
    assert_eq!(n, 15);
    let opts = ModelOptions {
        vcov: VcovSpec::parse("cluster:unit").unwrap(),
        ..Default::default()
    };
    let ri = khuyencong::stats::ri::RiOptions {
        permutations: 999,
        seed: 1,
    };
    let r = models::randomization_inference(&df, "y ~ d", &opts, "d", "unit", None, &ri).unwrap();
    assert!(r.exact);
    assert_eq!(r.permutations, 720);
    assert!((r.estimate - b_obs).abs() < 1e-12);
    assert!(
        (r.p_value - ge_b as f64 / 15.0).abs() < 1e-12,
        "{} vs {ge_b}/15",
        r.p_value
    );
    assert!(
        (r.t_p_value - ge_t as f64 / 15.0).abs() < 1e-12,
        "{} vs {ge_t}/15",
        r.t_p_value
    );
    let fit = models::fit_formula(&df, "y ~ d", &opts).unwrap();
    assert!((r.t_statistic - fit.coefficient("d").unwrap().statistic).abs() < 1e-12);

    // Within strata {0, 1, 2} and {3, 4, 5}, one treated in each: nine assignments.
    let (_, d2) = tiny_design(&[0, 4]);
    let df2 = df
        .clone()
        .with_column(Column::new("d".into(), d2.clone()))
        .unwrap()
        .clone();
    let (b2, _) = slope_and_t(&y, &d2);
    let mut ge = 0;
    for a in 0..3 {
        for b in 3..6 {
            let (_, dd) = tiny_design(&[a, b]);
            ge += usize::from(slope_and_t(&y, &dd).0.abs() >= b2.abs() * (1.0 - 1e-12));
        }
    }
    let r = models::randomization_inference_within(
        &df2,
        "y ~ d",
        &opts,
        "d",
        "unit",
        None,
        Some("stratum"),
        &ri,
    )
    .unwrap();
    assert!(r.exact);
    assert_eq!(r.permutations, 36);
    assert_eq!(r.strata.as_deref(), Some("stratum"));
    assert!(
        (r.p_value - ge as f64 / 9.0).abs() < 1e-12,
        "{} vs {ge}/9",
        r.p_value
    );
}

#[test]
fn the_model_command_runs_randomization_inference() {
    let out = models::run_model_command(&models::ModelCommand {
        data: fixtures().join("event.csv"),
        formulas: vec!["y ~ treated:i(rel_year, ref = -1) | firm_id + year".into()],
        vcov: "cluster:firm_id".into(),
        fixef_rm: "singleton".into(),
        format: "json".into(),
        weights: None,
        panel_id: None,
        ssc: None,
        ri: None,
        bootstrap: None,
    });
    // i() inside a product is refused with the fixest spelling to use instead.
    assert!(out.unwrap_err().to_string().contains("i(factor, column)"));
    let cmd = models::ModelCommand {
        data: fixtures().join("balanced.csv"),
        formulas: vec!["y ~ x1 + x2 | firm_id + year".into()],
        vcov: "cluster:province_code".into(),
        fixef_rm: "singleton".into(),
        format: "json".into(),
        weights: None,
        panel_id: Some("firm_id,year".into()),
        ssc: None,
        ri: Some(models::RiSpec {
            term: "x1".into(),
            strata: None,
            permutations: 99,
            seed: 3,
        }),
        bootstrap: None,
    };
    let e = models::run_model_command(&cmd).unwrap_err();
    // x1 varies within province × year cells: whole paths cannot be permuted.
    assert!(e.to_string().contains("varies within"), "{e}");
}

#[test]
fn a_pipeline_with_staggered_pilot_starts_runs_end_to_end() {
    use khuyencong::pipeline::{RunOptions, run};
    use khuyencong::table;
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("kc-staggered-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(root.join("pipelines/default.toml"))
        .unwrap()
        .replace(
            "../data/sample",
            &root.join("data/sample").to_string_lossy(),
        )
        .replace(
            "start_year = 2018\n",
            "start_year = 2018\nstart_years = { \"56\" = 2019, \"60\" = 2020 }\n",
        );
    assert!(text.contains("start_years = {"));
    let pipeline = dir.join("staggered.toml");
    std::fs::write(
        &pipeline,
        format!("{text}\n[models]\nbootstrap_draws = 99\nri_permutations = 99\n"),
    )
    .unwrap();
    let out = dir.join("out");
    run(&RunOptions {
        pipeline: pipeline.clone(),
        out: Some(out.clone()),
        ..Default::default()
    })
    .unwrap();
    // The panel counts each pilot province's years from its own start.
    let panel = khuyencong::io::read_parquet(&out.join("panel/panel.parquet")).unwrap();
    let prov = table::strs(&panel, "province_code").unwrap();
    let year = table::i32s(&panel, "year").unwrap();
    let rel = table::i32s(&panel, "rel_year").unwrap();
    for (code, start) in [("42", 2018), ("56", 2019), ("60", 2020)] {
        let i = prov
            .iter()
            .position(|p| p.as_deref() == Some(code))
            .unwrap();
        assert_eq!(rel[i], Some(year[i].unwrap() - start), "{code}");
    }
    let inf: Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("models/pilot_inference.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(inf["start_years"], serde_json::json!([2018, 2019, 2020]));
    assert_eq!(inf["treated_clusters"], 5);
    assert_eq!(inf["few_treated"], true);
    let es: Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("models/event_study.json")).unwrap(),
    )
    .unwrap();
    assert!(
        es["formula"].as_str().unwrap().contains("sunab("),
        "{}",
        es["formula"]
    );
    let md = std::fs::read_to_string(out.join("report/summary.md")).unwrap();
    assert!(
        md.contains("2018, 2019, 2020"),
        "the report names the start years"
    );
    // A start year for a province outside the pilot is a configuration error (exit 2).
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, text.replace("\"56\" = 2019", "\"01\" = 2019")).unwrap();
    let e = run(&RunOptions {
        pipeline: bad,
        out: Some(dir.join("out-bad")),
        ..Default::default()
    })
    .unwrap_err();
    assert_eq!(e.exit_code(), 2, "{e}");
    assert!(e.to_string().contains("\"01\""), "{e}");
}
