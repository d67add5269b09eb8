//! `khuyencong model` and the regression engine against pyfixest 0.60 (fixtures made by
//! `scripts/pyfixest_fixtures.py`), plus the formula errors a user sees.

use khuyencong::Error;
use khuyencong::models::{self, ModelOptions, VcovSpec};
use serde_json::Value;
use std::path::PathBuf;

pub(crate) fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pyfixest")
}

/// `khuyencong model` with one formula and no weights.
pub(crate) fn run_cmd(
    data: &std::path::Path,
    formula: &str,
    vcov: &str,
    fixef_rm: &str,
    format: &str,
    bootstrap: Option<models::BootstrapSpec>,
) -> khuyencong::Result<String> {
    models::run_model_command(&models::ModelCommand {
        data: data.to_path_buf(),
        formulas: vec![formula.to_string()],
        vcov: vcov.into(),
        fixef_rm: fixef_rm.into(),
        format: format.into(),
        weights: None,
        panel_id: None,
        ssc: None,
        ri: None,
        bootstrap,
    })
}

pub(crate) fn close(a: f64, b: f64, rel: f64, abs: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()) + abs
}

/// Fits the fixture's formula on its CSV and compares every reported number with pyfixest's.
fn check_fixture(name: &str, rel: f64) {
    let path = fixtures().join(format!("{name}.json"));
    let want: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let df = models::read_table(&fixtures().join(want["data"].as_str().unwrap())).unwrap();
    let opts = ModelOptions {
        vcov: VcovSpec::parse(want["vcov"].as_str().unwrap()).unwrap(),
        drop_singletons: want["fixef_rm"] == "singleton",
        weights: want["weights"].as_str().map(str::to_string),
        panel_id: Some(("firm_id".into(), "year".into())),
        ..Default::default()
    };
    let got = models::fit_formula(&df, want["formula"].as_str().unwrap(), &opts).unwrap();
    assert_eq!(
        got.nobs as u64,
        want["nobs"].as_u64().unwrap(),
        "{name}: nobs"
    );
    assert_eq!(
        got.df_t as f64,
        want["df_t"].as_f64().unwrap(),
        "{name}: df_t"
    );
    let r2 = want["r2"].as_f64().unwrap();
    assert!(close(got.r2, r2, rel, 0.0), "{name}: r2 {} vs {r2}", got.r2);
    match want["r2_within"].as_f64() {
        Some(w) => {
            let g = got.r2_within.unwrap();
            assert!(close(g, w, rel, 0.0), "{name}: r2_within {g} vs {w}");
        }
        None => assert!(got.r2_within.is_none(), "{name}: r2_within"),
    }
    let want_coefs = want["coefficients"].as_array().unwrap();
    assert_eq!(
        got.coefficients.len(),
        want_coefs.len(),
        "{name}: terms {:?}",
        got.coefficients.iter().map(|c| &c.term).collect::<Vec<_>>()
    );
    for w in want_coefs {
        let term = match w["term"].as_str().unwrap() {
            "Intercept" => "(Intercept)",
            t => t,
        };
        let g = got
            .coefficient(term)
            .unwrap_or_else(|| panic!("{name}: no term {term}"));
        // A two-way variance with a negative diagonal: fixest (≥ 0.13) clips its negative
        // eigenvalues, pyfixest does not; the fixture holds the clipped standard errors
        // (numpy, from pyfixest's matrix).
        if let Some(se) = w["std_error_eigen_fixed"].as_f64() {
            assert!(got.eigenvalue_fix, "{name}: eigenvalue fix expected");
            let est = w["estimate"].as_f64().unwrap();
            assert!(close(g.estimate, est, rel, 0.0), "{name}: {term} estimate");
            assert!(
                close(g.std_error, se, rel, 0.0),
                "{name}: {term} fixed std_error {} vs {se}",
                g.std_error
            );
            assert!(close(g.statistic, est / se, rel, 0.0));
            continue;
        }
        for (field, value, abs) in [
            ("estimate", g.estimate, 0.0),
            ("std_error", g.std_error, 0.0),
            ("statistic", g.statistic, 0.0),
            // pyfixest computes 2(1 − F(|t|)), exact only to ~1e-16 absolute.
            ("p_value", g.p_value, 1e-14),
            ("conf_low", g.conf_low, 0.0),
            ("conf_high", g.conf_high, 0.0),
        ] {
            // null: pyfixest found the variance negative (possible with two-way clustering).
            let Some(want_v) = w[field].as_f64() else {
                assert!(
                    value.is_nan() || field == "estimate",
                    "{name}: {term} {field}: ours {value}, pyfixest null"
                );
                continue;
            };
            assert!(
                close(value, want_v, rel, abs),
                "{name}: {term} {field}: ours {value:e}, pyfixest {want_v:e}, rel diff {:e}",
                (value - want_v).abs() / want_v.abs()
            );
        }
    }
}

#[test]
fn two_fixed_effects_clustered_by_province_matches_pyfixest() {
    // Firms are nested in provinces, so their levels leave K: the nested-K rule is exercised.
    check_fixture("twofe_cluster", 1e-8);
}

#[test]
fn two_way_clustering_matches_pyfixest() {
    check_fixture("twoway_cluster", 1e-8);
    check_fixture("twoway_cluster_nonnested", 1e-8);
}

#[test]
fn iid_and_hetero_match_pyfixest() {
    check_fixture("iid_twofe", 1e-8);
    check_fixture("hetero_onefe", 1e-8);
}

#[test]
fn no_fixed_effects_with_intercept_matches_pyfixest() {
    check_fixture("nofe_iid", 1e-8);
    check_fixture("nofe_hetero", 1e-8);
    check_fixture("nofe_cluster", 1e-8);
}

#[test]
fn interacted_fixed_effect_with_singletons_matches_pyfixest() {
    check_fixture("interacted_singletons", 1e-8);
    check_fixture("interacted_singletons_kept", 1e-8);
}

#[test]
fn unbalanced_panel_matches_pyfixest() {
    // The issue allows 1e-6 here; with both sides demeaned to tight tolerances we hold 1e-8.
    check_fixture("unbalanced_cluster", 1e-8);
    check_fixture("unbalanced_hetero", 1e-8);
}

#[test]
fn weighted_fits_match_pyfixest_for_every_variance() {
    for name in [
        "weights_iid",
        "weights_hetero",
        "weights_cluster",
        "weights_twoway",
        "weights_nofe",
    ] {
        check_fixture(name, 1e-8);
    }
}

#[test]
fn formula_terms_match_pyfixest() {
    // x1:x2, x1*x2, i() with a reference, with a slope, with both; log() and I(); l() on an
    // unbalanced panel (a missing previous year gives a missing lag).
    for name in [
        "term_colon",
        "term_star",
        "term_i_ref",
        "term_i_by",
        "term_i_by_ref",
        "term_log_identity",
        "term_lag",
    ] {
        check_fixture(name, 1e-8);
    }
}

#[test]
fn zero_weights_are_left_out_and_negative_weights_refused() {
    let data = fixtures().join("terms.csv");
    let df = models::read_table(&data).unwrap();
    let opts = ModelOptions {
        weights: Some("w".into()),
        ..Default::default()
    };
    let r = models::fit_formula(&df, "y ~ x1 + x2 | firm_id + year", &opts).unwrap();
    // The fixture data hold five zero weights (scripts/pyfixest_fixtures.py).
    assert_eq!(r.dropped.zero_weight, 5);
    assert_eq!(r.weights.as_deref(), Some("w"));
    let json: Value = serde_json::from_str(&r.to_json()).unwrap();
    assert_eq!(json["dropped"]["zero_weight"], 5);
    let table = models::format_table(std::slice::from_ref(&r));
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("Weights") && l.ends_with(" w")),
        "{table}"
    );
    assert_eq!(json["weights"], "w");
    // A negative weight: a data error (exit 3) naming the file, the row and the value.
    let dir = std::env::temp_dir().join(format!("kc-weights-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "y,x,w\n1,1,1\n2,3,0.5\n3,2,-2\n4,5,1\n").unwrap();
    let e = models::run_model_command(&models::ModelCommand {
        data: bad.clone(),
        formulas: vec!["y ~ x".into()],
        vcov: "iid".into(),
        fixef_rm: "singleton".into(),
        format: "json".into(),
        weights: Some("w".into()),
        panel_id: None,
        ssc: None,
        ri: None,
        bootstrap: None,
    })
    .unwrap_err();
    assert_eq!(e.exit_code(), 3, "{e}");
    let msg = e.to_string();
    assert!(
        msg.contains("bad.csv") && msg.contains("data row 3") && msg.contains("holds -2"),
        "{msg}"
    );
    // Zero-weight rows change nothing else: dropping them by hand gives the same fit.
    use polars::prelude::IntoLazy;
    let kept = df
        .clone()
        .lazy()
        .filter(polars::prelude::col("w").neq(polars::prelude::lit(0.0)))
        .collect()
        .unwrap();
    let a = models::fit_formula(&kept, "y ~ x1 + x2 | firm_id + year", &opts).unwrap();
    assert_eq!(a.nobs, r.nobs);
    assert!((a.coefficients[0].estimate - r.coefficients[0].estimate).abs() < 1e-12);
}

#[test]
fn event_study_indicators_match_pyfixest() {
    check_fixture("event_study", 1e-8);
}

#[test]
fn singletons_and_fixed_effect_levels_are_reported() {
    let df = models::read_table(&fixtures().join("singletons.csv")).unwrap();
    let opts = ModelOptions {
        vcov: VcovSpec::parse("cluster:province_code").unwrap(),
        ..Default::default()
    };
    let r = models::fit_formula(&df, "y ~ x1 | sector_code^year + province_code", &opts).unwrap();
    // 307 rows; pyfixest removes 7 singletons (fixture interacted_singletons has nobs 300).
    assert_eq!(r.dropped.singletons, 7);
    assert_eq!(r.dropped.missing, 0);
    assert_eq!(r.nobs, 300);
    let names: Vec<&str> = r.fixed_effects.0.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, vec!["sector_code^year", "province_code"]);
    // 12 provinces remain (the planted "99" and the six singleton cells' provinces are dropped
    // only when alone; df_t = G − 1 = 11 in the fixture).
    assert_eq!(r.fixed_effects.0[1].1, 12);
}

#[test]
fn json_output_has_the_contract_shape() {
    let out = run_cmd(
        &fixtures().join("balanced.csv"),
        "y ~ x1 + x2 | firm_id + year",
        "cluster:province_code",
        "singleton",
        "json",
        None,
    )
    .unwrap();
    let v: Value = serde_json::from_str(&out).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(|k| k.as_str()).collect();
    for k in [
        "formula",
        "nobs",
        "dropped",
        "fixed_effects",
        "vcov",
        "df_t",
        "r2",
        "r2_within",
        "coefficients",
    ] {
        assert!(keys.contains(&k), "missing {k} in {keys:?}");
    }
    assert_eq!(v["nobs"], 320);
    assert_eq!(v["df_t"], 5);
    assert_eq!(v["vcov"], "cluster:province_code");
    assert_eq!(v["dropped"]["missing"], 0);
    assert_eq!(v["fixed_effects"]["firm_id"], 40);
    assert_eq!(v["fixed_effects"]["year"], 8);
    let c = &v["coefficients"][0];
    assert_eq!(c["term"], "x1");
    for f in [
        "estimate",
        "std_error",
        "statistic",
        "p_value",
        "conf_low",
        "conf_high",
    ] {
        assert!(c[f].is_f64(), "{f}");
    }
    // Fixed effects keep the formula's order, not alphabetical order.
    let out = run_cmd(
        &fixtures().join("balanced.csv"),
        "y ~ x1 | year + firm_id",
        "iid",
        "none",
        "json",
        None,
    )
    .unwrap();
    let year_pos = out.find("\"year\": 8").unwrap();
    let firm_pos = out.find("\"firm_id\": 40").unwrap();
    assert!(year_pos < firm_pos);
}

#[test]
fn table_output_lists_terms_and_fit() {
    let out = run_cmd(
        &fixtures().join("balanced.csv"),
        "y ~ x1 + x2 | firm_id + year",
        "cluster:province_code",
        "singleton",
        "table",
        None,
    )
    .unwrap();
    let want: Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures().join("twofe_cluster.json")).unwrap(),
    )
    .unwrap();
    let est = want["coefficients"][0]["estimate"].as_f64().unwrap();
    let se = want["coefficients"][0]["std_error"].as_f64().unwrap();
    assert!(out.contains(&format!("{est:.4}")), "{out}");
    assert!(out.contains(&format!("({se:.4})")), "{out}");
    assert!(out.contains("Observations") && out.contains("320"), "{out}");
    assert!(out.contains("cluster:province_code"), "{out}");
    assert!(out.contains("firm_id") && out.contains("Yes"), "{out}");
}

#[test]
fn missing_values_are_dropped_and_counted() {
    let dir = std::env::temp_dir().join(format!("kc-model-missing-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("m.csv");
    std::fs::write(
        &path,
        "y,x,g_code\n1.0,1,01\n2.5,2,01\n,3,02\n4.1,4,02\n5.2,NA,02\n6.0,6,\n7.9,7,02\n",
    )
    .unwrap();
    let df = models::read_table(&path).unwrap();
    let r = models::fit_formula(&df, "y ~ x | g_code", &ModelOptions::default()).unwrap();
    assert_eq!(r.dropped.missing, 3);
    assert_eq!(r.nobs, 4);
    // Within groups: g01 x̃ = (−.5, .5), ỹ = (−.75, .75); g02 x̃ = (−1.5, 1.5), ỹ = (−1.9, 1.9)
    // β = (.375 + .375 + 2.85 + 2.85) / (.25 + .25 + 2.25 + 2.25) = 6.45 / 5 = 1.29
    assert!((r.coefficients[0].estimate - 1.29).abs() < 1e-12);
    // The `_code` column stays text: "01" is a level name.
    assert_eq!(r.fixed_effects.0, vec![("g_code".to_string(), 2)]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn formula_mistakes_are_model_errors_that_point_at_them() {
    let data = fixtures().join("balanced.csv");
    let run = |f: &str, vcov: &str| run_cmd(&data, f, vcov, "singleton", "json", None).unwrap_err();
    let e = run("y ~ x1 + nonexistent | firm_id", "iid");
    assert!(matches!(e, Error::Model(_)));
    assert_eq!(e.exit_code(), 2);
    let msg = e.to_string();
    assert!(
        msg.contains("unknown column nonexistent (position 10 of the formula)"),
        "{msg}"
    );
    assert!(
        msg.contains("firm_id") && msg.contains("x2"),
        "lists columns: {msg}"
    );

    let e = run("y ~ x1 + | firm_id", "iid");
    assert!(matches!(e, Error::Model(_)));
    assert!(e.to_string().contains("position 10"), "{e}");

    let e = run("y ~ x1", "cluster:nowhere");
    assert!(matches!(e, Error::Model(_)));
    assert!(
        e.to_string().contains("unknown cluster column nowhere"),
        "{e}"
    );

    let e = run_cmd(&data, "y ~ x1", "robust", "singleton", "json", None).unwrap_err();
    assert_eq!(e.exit_code(), 2);
    let e = run_cmd(&data, "y ~ x1", "iid", "all", "json", None).unwrap_err();
    assert_eq!(e.exit_code(), 2);
    let e = run("y ~ i(year, ref = 1999) | firm_id", "iid");
    assert!(
        e.to_string()
            .contains("reference level 1999 does not occur"),
        "{e}"
    );
}

#[test]
fn text_outcome_is_refused() {
    let data = fixtures().join("balanced.csv");
    let e = run_cmd(&data, "province_code ~ x1", "iid", "none", "json", None).unwrap_err();
    assert!(matches!(e, Error::Model(_)));
    assert!(e.to_string().contains("province_code is text"), "{e}");
}

#[test]
fn parquet_input_gives_the_same_fit_as_csv() {
    let csv = fixtures().join("balanced.csv");
    let mut df = models::read_table(&csv).unwrap();
    let dir = std::env::temp_dir().join(format!("kc-model-pq-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pq = dir.join("balanced.parquet");
    khuyencong::io::write_parquet(&mut df, &pq).unwrap();
    let a = run_cmd(
        &csv,
        "y ~ x1 + x2 | firm_id + year",
        "cluster:province_code",
        "singleton",
        "json",
        None,
    )
    .unwrap();
    let b = run_cmd(
        &pq,
        "y ~ x1 + x2 | firm_id + year",
        "cluster:province_code",
        "singleton",
        "json",
        None,
    )
    .unwrap();
    assert_eq!(a, b);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn randomization_inference_on_the_event_panel_detects_the_planted_effect() {
    // event.csv: firms in two cohorts get 0.5 + 0.1·l from adoption on; post × treated is far
    // from zero, and permuting treatment paths between firms should say so.
    use polars::prelude::IntoLazy;
    let df = models::read_table(&fixtures().join("event.csv")).unwrap();
    let df = df
        .lazy()
        .with_column(
            (polars::prelude::col("rel_year").gt_eq(polars::prelude::lit(0)))
                .and(polars::prelude::col("treated").eq(polars::prelude::lit(1)))
                .cast(polars::prelude::DataType::Float64)
                .alias("d"),
        )
        .collect()
        .unwrap();
    let ri = khuyencong::stats::ri::RiOptions {
        permutations: 199,
        seed: 1,
    };
    let r = models::randomization_inference(
        &df,
        "y ~ d | firm_id + year",
        &ModelOptions::default(),
        "d",
        "firm_id",
        Some("year"),
        &ri,
    )
    .unwrap();
    let fit = models::fit_formula(&df, "y ~ d | firm_id + year", &ModelOptions::default()).unwrap();
    assert!((r.estimate - fit.coefficients[0].estimate).abs() < 1e-9);
    assert_eq!(r.clusters, 60);
    assert_eq!(r.treated_clusters, 40);
    assert!(r.p_value <= 1.0 / 200.0 + 1e-12, "{}", r.p_value);
}

#[test]
fn wild_bootstrap_through_fit_formula() {
    let df = models::read_table(&fixtures().join("balanced.csv")).unwrap();
    let mut b = models::BootstrapSpec::new("x1");
    b.draws = 999;
    let opts = ModelOptions {
        vcov: VcovSpec::parse("cluster:province_code").unwrap(),
        bootstrap: Some(b),
        ..Default::default()
    };
    let r = models::fit_formula(&df, "y ~ x1 + x2 | firm_id + year", &opts).unwrap();
    let boot = r.bootstrap.as_ref().unwrap();
    assert_eq!(boot.clusters, 6);
    // x1's true effect is 0.8 with t ≈ 9 under CRV1: the bootstrap rejects too, and its
    // interval holds the estimate.
    let t = r.coefficient("x1").unwrap();
    assert_eq!(boot.statistic, t.statistic);
    assert!(boot.p_value < 0.05, "{}", boot.p_value);
    assert!(boot.conf_low < t.estimate && t.estimate < boot.conf_high);
    let json: Value = serde_json::from_str(&r.to_json()).unwrap();
    assert_eq!(json["bootstrap"]["weights"], "webb");
    assert_eq!(json["bootstrap"]["draws"], 999);
}

#[test]
fn never_treated_as_extra_reference_level_equals_the_interaction_form() {
    // fixest's two ways to keep never-treated units as controls give the same event study.
    let df = models::read_table(&fixtures().join("event.csv")).unwrap();
    let opts = ModelOptions {
        vcov: VcovSpec::parse("cluster:province_code").unwrap(),
        ..Default::default()
    };
    let a = models::fit_formula(
        &df,
        "y ~ i(rel_year, ref = c(-1, -1000)) | firm_id + year",
        &opts,
    )
    .unwrap();
    let b = models::fit_formula(
        &df,
        "y ~ i(rel_year, treated, ref = -1) | firm_id + year",
        &opts,
    )
    .unwrap();
    assert_eq!(b.collinear, vec!["rel_year::-1000:treated".to_string()]);
    assert_eq!(a.coefficients.len(), b.coefficients.len());
    for (x, y) in a.coefficients.iter().zip(&b.coefficients) {
        assert_eq!(format!("{}:treated", x.term), y.term);
        assert!((x.estimate - y.estimate).abs() < 1e-10 * x.estimate.abs().max(1.0));
        assert!((x.std_error - y.std_error).abs() < 1e-10 * x.std_error);
    }
}

#[test]
fn table_puts_models_side_by_side() {
    let df = models::read_table(&fixtures().join("balanced.csv")).unwrap();
    let a = models::fit_formula(&df, "y ~ x1", &ModelOptions::default()).unwrap();
    let b = models::fit_formula(&df, "y ~ x1 + x2 | firm_id", &ModelOptions::default()).unwrap();
    let t = models::format_table(&[a.clone(), b.clone()]);
    let lines: Vec<&str> = t.lines().collect();
    assert!(lines[0].contains("(1)") && lines[0].contains("(2)"), "{t}");
    // x2 only in model 2; the intercept only in model 1; firm_id fixed effect "No" / "Yes".
    let x2 = lines.iter().find(|l| l.starts_with("x2")).unwrap();
    assert!(
        x2.trim_end()
            .ends_with(&format!("{:.4}***", b.coefficient("x2").unwrap().estimate)),
        "{t}"
    );
    let fe = lines.iter().find(|l| l.starts_with("firm_id")).unwrap();
    assert!(fe.contains("No") && fe.contains("Yes"), "{t}");
    assert!(lines.iter().any(|l| l.starts_with("(Intercept)")), "{t}");
}

#[test]
fn sun_abraham_matches_pyfixest_saturated_event_study() {
    use khuyencong::models::event_study::{SunAbraham, sun_abraham};
    let want: Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures().join("event_study_saturated.json")).unwrap(),
    )
    .unwrap();
    let df = models::read_table(&fixtures().join("event.csv")).unwrap();
    let mut spec = SunAbraham::new("y", "firm_id", "year", "cohort");
    spec.vcov = VcovSpec::parse("cluster:province_code").unwrap();
    let es = sun_abraham(&df, &spec).unwrap();
    let cohort_terms = want["cohort_terms"].as_array().unwrap();
    assert_eq!(es.cohort_terms.len(), cohort_terms.len());
    for w in cohort_terms {
        let name = format!("year::{}:cohort::{}", w["rel"], w["cohort"]);
        let g = es.cohort_terms.iter().find(|t| t.term == name).unwrap();
        let (e, s) = (
            w["estimate"].as_f64().unwrap(),
            w["std_error"].as_f64().unwrap(),
        );
        assert!(
            close(g.estimate, e, 1e-8, 0.0),
            "{name}: {} vs {e}",
            g.estimate
        );
        assert!(
            close(g.std_error, s, 1e-8, 0.0),
            "{name}: {} vs {s}",
            g.std_error
        );
    }
    // Per-period aggregation with cohort-share weights (pyfixest reports normal-based p-values,
    // so only estimates and standard errors are compared).
    for w in want["period"].as_array().unwrap() {
        let name = format!("year::{}", w["rel"]);
        let g = es.model.coefficient(&name).unwrap();
        let (e, s) = (
            w["estimate"].as_f64().unwrap(),
            w["std_error"].as_f64().unwrap(),
        );
        assert!(
            close(g.estimate, e, 1e-8, 0.0),
            "{name}: {} vs {e}",
            g.estimate
        );
        assert!(
            close(g.std_error, s, 1e-8, 0.0),
            "{name}: {} vs {s}",
            g.std_error
        );
    }
    assert!(es.model.coefficient("ATT").is_some());
}

#[test]
fn data_that_cannot_support_the_model_exits_3_with_one_line() {
    // Two observations for two parameters (intercept and slope): no residual degree of freedom.
    // That is a problem of the data, not a bug: exit 3, and the first line says what is wrong.
    let dir = crate::common::temp("model", "too-few");
    let data = dir.join("two.csv");
    std::fs::write(&data, "y,x\n1,1\n2,3\n").unwrap();
    let out = crate::common::bin()
        .args(["model", "--formula", "y ~ x", "--vcov", "iid", "--data"])
        .arg(&data)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    let first = stderr.lines().next().unwrap_or_default();
    assert!(
        first.contains("2 observations for 2 parameters"),
        "{stderr}"
    );
}
