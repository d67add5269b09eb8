//! The pilot's inference sentences under the event-study chart: the ATT with its clustered,
//! wild-bootstrap and randomization-inference p-values (naming the clustering), the joint
//! pre-trend test, and the warning when fewer than about ten provinces were treated. Read from
//! `models/pilot_inference.json`.

use super::Lang;
use super::i18n::{K, num, pval, tf};
use crate::models::pilot::PilotInference;

/// The sentences, in reading order (the warning first when it applies).
pub fn sentences(p: &PilotInference, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    if p.few_treated {
        out.push(tf(
            lang,
            K::PilotFewTreated,
            &[("t", &p.treated_clusters.to_string())],
        ));
    }
    let starts: Vec<String> = p.start_years.iter().map(|y| y.to_string()).collect();
    out.push(tf(
        lang,
        K::PilotAtt,
        &[
            ("starts", &starts.join(", ")),
            ("att", &num(lang, p.att, 3)),
            ("p", &pval(lang, Some(p.att_p_value))),
            ("cluster", &p.cluster),
            ("g", &p.clusters.to_string()),
            ("weights", &p.wild_weights),
            ("pw", &pval(lang, Some(p.wild_p_value))),
            ("lo", &num(lang, p.wild_conf_low, 3)),
            ("hi", &num(lang, p.wild_conf_high, 3)),
            ("perms", &p.ri_permutations.to_string()),
            ("pri", &pval(lang, Some(p.ri_p_value))),
        ],
    ));
    if let (Some(f), Some(df1), Some(df2)) = (p.pretrend_statistic, p.pretrend_df1, p.pretrend_df2)
    {
        out.push(tf(
            lang,
            K::PilotPretrend,
            &[
                ("df1", &df1.to_string()),
                ("df2", &num(lang, df2, 0)),
                ("f", &num(lang, f, 2)),
                ("p", &pval(lang, p.pretrend_p_value)),
            ],
        ));
    }
    if !p.always_treated.is_empty() {
        let years: Vec<String> = p.always_treated.iter().map(|y| y.to_string()).collect();
        out.push(tf(
            lang,
            K::PilotAlwaysTreated,
            &[("years", &years.join(", "))],
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(treated: usize) -> PilotInference {
        PilotInference {
            start_years: vec![2018, 2020],
            cluster: "province_code".into(),
            clusters: 63,
            treated_clusters: treated,
            few_treated: treated < crate::models::pilot::FEW_TREATED_CLUSTERS,
            att: 0.1234,
            att_std_error: 0.05,
            att_p_value: 0.02,
            wild_p_value: 0.09,
            wild_conf_low: -0.01,
            wild_conf_high: 0.25,
            wild_weights: "webb".into(),
            wild_draws: 9999,
            ri_estimate: 0.11,
            ri_p_value: 0.12,
            ri_permutations: 999,
            seed: 1,
            pretrend_statistic: Some(1.5),
            pretrend_df1: Some(3),
            pretrend_df2: Some(62.0),
            pretrend_p_value: Some(0.22),
            pretrend_note: None,
            always_treated: vec![],
        }
    }

    #[test]
    fn few_treated_provinces_put_the_warning_first_and_name_the_clustering() {
        let s = sentences(&sample(5), Lang::En);
        assert_eq!(s.len(), 3);
        assert!(s[0].starts_with("Warning: only 5 provinces"), "{}", s[0]);
        assert!(
            s[1].contains(
                "wild cluster bootstrap by province_code, 63 clusters, webb weights: p 0.090"
            ),
            "{}",
            s[1]
        );
        assert!(
            s[1].contains("randomization inference, 999 reshuffles"),
            "{}",
            s[1]
        );
        assert!(s[1].contains("pilot from 2018, 2020"), "{}", s[1]);
        assert!(s[2].contains("F(3, 62) = 1.50, p 0.220"), "{}", s[2]);
        let many = sentences(&sample(12), Lang::Vi);
        assert_eq!(many.len(), 2);
        assert!(!many[0].starts_with("Cảnh báo"));
    }
}
