use super::*;
use crate::models::province::Estimate;

fn conc(p: &str, eff: f64, small: f64) -> ConcentrationRow {
    ConcentrationRow {
        province: p.into(),
        start: 2012,
        end: 2024,
        n_grants: 40,
        total_mvnd: 10_000.0,
        median_grant_mvnd: Some(200.0),
        small_grant_share: Some(small),
        eff_sectors: Some(eff),
        hhi_beneficiaries: Some(0.1),
    }
}

/// An effect whose 90% interval is est ± half (df 10: se = half / t(0.95, 10)).
fn effect(p: &str, est: f64, half: f64, cells: i64) -> UnitEffect {
    UnitEffect {
        unit: crate::models::Unit::Province(p.into()),
        start: 2012,
        end: 2024,
        est: Estimate {
            estimate: Some(est),
            std_error: Some(half / 1.812_461_1),
            df: Some(10.0),
            p_value: None,
            nobs: 240,
            supported_cells: cells,
            comparison_cells: 8,
            supported_cell_years: 60,
            placebo: Some(0.0),
            placebo_se: Some(0.01),
            placebo_df: Some(10.0),
        },
        q_value: None,
    }
}

#[test]
fn the_verdicts_and_statuses_of_a_hand_built_window() {
    let c = vec![
        conc("A", 12.0, 0.9), // scattered, low → flagged
        conc("B", 12.0, 0.9), // scattered, clear → scattered_effective
        conc("C", 2.0, 0.1),  // focused, low → focused_low_impact
        conc("D", 2.0, 0.1),  // focused, clear → ok
        conc("E", 12.0, 0.9), // scattered, inconclusive → scattered_effect_unknown
        conc("F", 12.0, 0.9), // scattered, two supported cells → insufficient
        conc("G", 3.0, 0.9),  // many small grants but 3 effective sectors → not scattered
    ];
    let e = vec![
        effect("A", 0.001, 0.008, 12),  // upper 0.009 < 0.02
        effect("B", 0.05, 0.01, 12),    // lower 0.04 > 0
        effect("C", -0.004, 0.012, 12), // upper 0.008
        effect("D", 0.06, 0.02, 12),
        effect("E", 0.015, 0.02, 12), // −0.005 .. 0.035
        effect("F", 0.0, 0.001, 2),
        effect("G", 0.0, 0.005, 12),
    ];
    let flags = assess(&c, &e, &FlagParams::default()).unwrap();
    let got: Vec<(&str, EffectVerdict, bool)> = flags
        .iter()
        .map(|f| (f.status.as_str(), f.verdict, f.flagged))
        .collect();
    use EffectVerdict::*;
    assert_eq!(
        got,
        vec![
            ("flagged", Low, true),
            ("scattered_effective", Clear, false),
            ("focused_low_impact", Low, false),
            ("ok", Clear, false),
            ("scattered_effect_unknown", Inconclusive, false),
            ("insufficient_data", Insufficient, false),
            ("focused_low_impact", Low, false),
        ]
    );
    assert_eq!(flags[0].rank, Some(1));
    assert_eq!(flags[0].thresholds, (4.0, 0.5));
    assert_eq!(
        flags[0]
            .reasons
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>(),
        vec!["MANY_SECTORS", "SMALL_GRANTS", "EFFECT_BELOW_MINIMUM"]
    );
    assert!(flags[0].reason_en.contains("12.0 effective sectors"));
    assert!(
        flags[0]
            .reason_en
            .contains("low effect: +0.1 pp (90% interval -0.7 to +0.9)"),
        "{}",
        flags[0].reason_en
    );
    assert!(
        flags[0].reason_vi.contains("12,0 ngành"),
        "{}",
        flags[0].reason_vi
    );
    assert!(
        flags[5]
            .reasons
            .contains(&crate::contract::vocab::ReasonCode::FewSupportedCells)
    );
    // Percent rank beside: A, B, E, F tie at 12.0 above C, D (2.0) and G (3.0).
    assert_eq!(flags[0].rank_eff, Some(0.5));
}

#[test]
fn the_relative_rule_is_still_available() {
    // eff sectors 1..=5 → Q3 (type 7) = 4; small shares 0.1..0.5 → 0.4.
    let c: Vec<ConcentrationRow> = (1..=5)
        .map(|i| conc(&i.to_string(), i as f64, i as f64 / 10.0))
        .collect();
    let e: Vec<UnitEffect> = (1..=5)
        .map(|i| effect(&i.to_string(), 0.0, 0.004, 12))
        .collect();
    let params = FlagParams {
        scattered_rule: ScatteredRule::Relative,
        ..FlagParams::default()
    };
    let flags = assess(&c, &e, &params).unwrap();
    assert!((flags[0].thresholds.0 - 4.0).abs() < 1e-12);
    assert!((flags[0].thresholds.1 - 0.4).abs() < 1e-12);
    let flagged: Vec<&str> = flags
        .iter()
        .filter(|f| f.flagged)
        .map(|f| f.conc.province.as_str())
        .collect();
    assert_eq!(flagged, vec!["4", "5"]);
    assert_eq!(flags[4].rank, Some(1));
    // Absolute defaults (4 effective sectors, half of grants small): only province 5.
    let flags = assess(&c, &e, &FlagParams::default()).unwrap();
    let scattered: Vec<&str> = flags
        .iter()
        .filter(|f| f.scattered)
        .map(|f| f.conc.province.as_str())
        .collect();
    assert_eq!(scattered, vec!["5"]);
}

#[test]
fn a_window_on_one_side_only_is_an_error() {
    let c = vec![conc("A", 12.0, 0.9)];
    let mut e = effect("A", 0.0, 0.004, 12);
    e.start = 2013;
    let err = assess(&c, &[e], &FlagParams::default()).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("window 2012–2024"), "{msg}");
    assert!(msg.contains("province_effects"), "{msg}");
}

#[test]
fn bad_parameters_are_usage_errors() {
    let p = FlagParams {
        level: 1.5,
        ..FlagParams::default()
    };
    let err = p.validate().unwrap_err();
    assert_eq!(err.exit_code(), 2);
    assert!(err.to_string().contains("[flags] level"));
    let text = "windows = [\"all\"]\nscattered_rule = \"by_rank\"\n";
    assert!(toml::from_str::<FlagParams>(text).is_err());
    let text = "scattered_rule = \"relative\"\nmin_effect = 0.03\n";
    let p: FlagParams = toml::from_str(text).unwrap();
    assert_eq!(p.scattered_rule, ScatteredRule::Relative);
}
