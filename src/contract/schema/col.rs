//! Every canonical column name, once: the schemas in this module and the stages that read
//! and write the tables both take names from here, so a column is renamed in one place. What
//! each column holds is in the table schemas (and docs/TABLES.md). The output table's measure
//! columns are the `vocab::Measure` values.

use crate::contract::vocab::{Activity, Measure};

pub const YEAR: &str = "year";
pub const PROVINCE_CODE: &str = "province_code";
pub const SECTOR_CODE: &str = "sector_code";
pub const ACTIVITY: &str = "activity";
pub const SOURCE: &str = "source";
pub const AMOUNT_MVND: &str = "amount_mvnd";
pub const PLANNED_MVND: &str = "planned_mvnd";
pub const PROJECT_ID: &str = "project_id";
pub const BENEFICIARY: &str = "beneficiary";
pub const TARGET_TRAINEES: &str = "target_trainees";
pub const ACHIEVED_TRAINEES: &str = "achieved_trainees";
pub const TARGET_MODELS: &str = "target_models";
pub const ACHIEVED_MODELS: &str = "achieved_models";
pub const BOUNDARY: &str = "boundary";
pub const SOURCE_FILE: &str = "source_file";
pub const SOURCE_ROW: &str = "source_row";
pub const OUTPUT_BVND: &str = Measure::OutputBvnd.as_str();
pub const IIP: &str = Measure::Iip.as_str();
pub const EMPLOYMENT: &str = Measure::Employment.as_str();
pub const EMPLOYMENT_INDEX: &str = Measure::EmploymentIndex.as_str();
pub const ESTABLISHMENTS: &str = Measure::Establishments.as_str();
pub const COLUMN: &str = "column";
pub const RAW_VALUE: &str = "raw_value";
pub const REASON: &str = "reason";
pub const SPEND_MVND: &str = "spend_mvnd";
pub const SPEND_NATIONAL_MVND: &str = "spend_national_mvnd";
pub const SPEND_LOCAL_MVND: &str = "spend_local_mvnd";
pub const FUNDING_COVERED: &str = "funding_covered";
pub const SPEND_DEMONSTRATION_MVND: &str = "spend_demonstration_mvnd";
pub const SPEND_MACHINERY_MVND: &str = "spend_machinery_mvnd";
pub const SPEND_TRAINING_MVND: &str = "spend_training_mvnd";
pub const SPEND_MANAGEMENT_MVND: &str = "spend_management_mvnd";
pub const SPEND_TRADE_PROMOTION_MVND: &str = "spend_trade_promotion_mvnd";
pub const SPEND_CONSULTING_MVND: &str = "spend_consulting_mvnd";
pub const SPEND_CONFERENCE_MVND: &str = "spend_conference_mvnd";
pub const SPEND_INFORMATION_MVND: &str = "spend_information_mvnd";
pub const SPEND_OTHER_MVND: &str = "spend_other_mvnd";
pub const N_GRANTS: &str = "n_grants";
pub const SPEND_LAG1_MVND: &str = "spend_lag1_mvnd";
pub const SPEND_LAG2_MVND: &str = "spend_lag2_mvnd";
pub const SPEND_LEAD1_MVND: &str = "spend_lead1_mvnd";
pub const LOG_SPEND_LAG1: &str = "log_spend_lag1";
pub const LOG_OUTPUT: &str = "log_output";
pub const DLOG_OUTPUT: &str = "dlog_output";
pub const MISSING_OUTPUT: &str = "missing_output";
pub const PILOT: &str = "pilot";
pub const REL_YEAR: &str = "rel_year";
pub const PERIOD_START: &str = "period_start";
pub const PERIOD_END: &str = "period_end";
pub const CAGR: &str = "cagr";
pub const SPEND_PER_BVND_OUTPUT: &str = "spend_per_bvnd_output";
pub const SPEND_PER_ESTABLISHMENT_MVND: &str = "spend_per_establishment_mvnd";
pub const DISBURSED_MVND: &str = "disbursed_mvnd";
pub const DISBURSEMENT_RATE: &str = "disbursement_rate";
pub const TRAINEE_RATE: &str = "trainee_rate";
pub const MODEL_RATE: &str = "model_rate";
pub const WINDOW: &str = "window";
pub const TOTAL_MVND: &str = "total_mvnd";
pub const MEDIAN_GRANT_MVND: &str = "median_grant_mvnd";
pub const SMALL_GRANT_SHARE: &str = "small_grant_share";
pub const HHI_SECTORS: &str = "hhi_sectors";
pub const EFF_SECTORS: &str = "eff_sectors";
pub const HHI_BENEFICIARIES: &str = "hhi_beneficiaries";
pub const GINI: &str = "gini";
pub const THEIL: &str = "theil";
pub const TOP_DECILE_SHARE: &str = "top_decile_share";
pub const N_POSITIVE_GRANTS: &str = "n_positive_grants";
pub const SHARE_OF_GRANTS: &str = "share_of_grants";
pub const SHARE_OF_AMOUNT: &str = "share_of_amount";
pub const MODEL: &str = "model";
pub const TERM: &str = "term";
pub const ESTIMATE: &str = "estimate";
pub const STD_ERROR: &str = "std_error";
pub const STATISTIC: &str = "statistic";
pub const P_VALUE: &str = "p_value";
pub const CONF_LOW: &str = "conf_low";
pub const CONF_HIGH: &str = "conf_high";
pub const P_VALUE_WILD: &str = "p_value_wild";
pub const CONF_LOW_WILD: &str = "conf_low_wild";
pub const CONF_HIGH_WILD: &str = "conf_high_wild";
pub const REFERENCE: &str = "reference";
pub const LAG_YEARS: &str = "lag_years";
pub const DF: &str = "df";
pub const Q_VALUE: &str = "q_value";
pub const NOBS: &str = "nobs";
pub const N_SUPPORTED_CELLS: &str = "n_supported_cells";
pub const N_COMPARISON_CELLS: &str = "n_comparison_cells";
pub const N_SUPPORTED_CELL_YEARS: &str = "n_supported_cell_years";
pub const PLACEBO: &str = "placebo";
pub const PLACEBO_STD_ERROR: &str = "placebo_std_error";
pub const PLACEBO_DF: &str = "placebo_df";
pub const N_TREATED_CELLS: &str = "n_treated_cells";
pub const PROVINCE_NAME: &str = "province_name";
pub const OUTCOME_START: &str = "outcome_start";
pub const OUTCOME_END: &str = "outcome_end";
pub const RANK_EFF_SECTORS: &str = "rank_eff_sectors";
pub const RANK_SMALL_SHARE: &str = "rank_small_share";
pub const EFFECT: &str = "effect";
pub const EFFECT_STD_ERROR: &str = "effect_std_error";
pub const EFFECT_DF: &str = "effect_df";
pub const CONF_LEVEL: &str = "conf_level";
pub const EFFECT_CONF_LOW: &str = "effect_conf_low";
pub const EFFECT_CONF_HIGH: &str = "effect_conf_high";
pub const EFFECT_P_VALUE: &str = "effect_p_value";
pub const EFFECT_Q_VALUE: &str = "effect_q_value";
pub const MIN_EFFECT: &str = "min_effect";
pub const PLACEBO_CONF_LOW: &str = "placebo_conf_low";
pub const PLACEBO_CONF_HIGH: &str = "placebo_conf_high";
pub const PLACEBO_FAILED: &str = "placebo_failed";
pub const THRESHOLD_EFF_SECTORS: &str = "threshold_eff_sectors";
pub const THRESHOLD_SMALL_SHARE: &str = "threshold_small_share";
pub const EFFECT_VERDICT: &str = "effect_verdict";
pub const SCATTERED: &str = "scattered";
pub const LOW_IMPACT: &str = "low_impact";
pub const INSUFFICIENT: &str = "insufficient";
pub const FLAGGED: &str = "flagged";
pub const STATUS: &str = "status";
pub const REASONS: &str = "reasons";
pub const REASON_VI: &str = "reason_vi";
pub const REASON_EN: &str = "reason_en";
pub const RANK: &str = "rank";
pub const CHANGE: &str = "change";
pub const PERIOD_START_BEFORE: &str = "period_start_before";
pub const PERIOD_END_BEFORE: &str = "period_end_before";
pub const VERDICT_BEFORE: &str = "verdict_before";
pub const VERDICT_NOW: &str = "verdict_now";
pub const FLAGGED_BEFORE: &str = "flagged_before";
pub const FLAGGED_NOW: &str = "flagged_now";
pub const SCATTERED_BEFORE: &str = "scattered_before";
pub const SCATTERED_NOW: &str = "scattered_now";
pub const EFFECT_BEFORE: &str = "effect_before";
pub const EFFECT_NOW: &str = "effect_now";
pub const EFFECT_CONF_LOW_BEFORE: &str = "effect_conf_low_before";
pub const EFFECT_CONF_LOW_NOW: &str = "effect_conf_low_now";
pub const EFFECT_CONF_HIGH_BEFORE: &str = "effect_conf_high_before";
pub const EFFECT_CONF_HIGH_NOW: &str = "effect_conf_high_now";
pub const EFF_SECTORS_BEFORE: &str = "eff_sectors_before";
pub const EFF_SECTORS_NOW: &str = "eff_sectors_now";
pub const SMALL_GRANT_SHARE_BEFORE: &str = "small_grant_share_before";
pub const SMALL_GRANT_SHARE_NOW: &str = "small_grant_share_now";
pub const N_GRANTS_BEFORE: &str = "n_grants_before";
pub const N_GRANTS_NOW: &str = "n_grants_now";

pub const MEASURE: &str = "measure";
pub const VALUE: &str = "value";
pub const BASE: &str = "base";
pub const IS_NATIONAL: &str = "is_national";
pub const RECORD_ID: &str = "record_id";
pub const SCOPE: &str = "scope";
pub const GEO_CODE: &str = "geo_code";
pub const GEO_NAME: &str = "geo_name";
pub const PERIOD: &str = "period";
pub const FUND: &str = "fund";
pub const FUND_SOURCE: &str = "fund_source";
pub const VALUE_AS_PUBLISHED: &str = "value_as_published";
pub const UNIT: &str = "unit";
pub const DERIVED: &str = "derived";
pub const CONFIDENCE: &str = "confidence";
pub const SOURCE_URL: &str = "source_url";
pub const SOURCE_DATE: &str = "source_date";
pub const PROGRAMME: &str = "programme";
pub const LEGAL_BASIS: &str = "legal_basis";
pub const ITEM: &str = "item";
pub const KIND: &str = "kind";
pub const THEME: &str = "theme";
pub const BOUNDARY_NOTE: &str = "boundary_note";
pub const QUALIFIER: &str = "qualifier";
pub const AREA: &str = "area";
pub const GROUP_AS_PUBLISHED: &str = "group_as_published";
pub const GROUP_EN: &str = "group_en";
pub const N_PROJECTS: &str = "n_projects";
pub const FILE: &str = "file";
pub const LINE: &str = "line";

/// The panel's spending column of one activity class (`spend_<activity>_mvnd`).
pub fn spend_activity(activity: Activity) -> &'static str {
    match activity {
        Activity::Demonstration => SPEND_DEMONSTRATION_MVND,
        Activity::Machinery => SPEND_MACHINERY_MVND,
        Activity::Training => SPEND_TRAINING_MVND,
        Activity::Management => SPEND_MANAGEMENT_MVND,
        Activity::TradePromotion => SPEND_TRADE_PROMOTION_MVND,
        Activity::Consulting => SPEND_CONSULTING_MVND,
        Activity::Conference => SPEND_CONFERENCE_MVND,
        Activity::Information => SPEND_INFORMATION_MVND,
        Activity::Other => SPEND_OTHER_MVND,
    }
}

/// The panel's spending `years` years earlier (`spend_lag<years>_mvnd`).
pub fn spend_lag(years: usize) -> String {
    format!("spend_lag{years}_mvnd")
}

/// The panel's spending `years` years later (`spend_lead<years>_mvnd`).
pub fn spend_lead(years: usize) -> String {
    format!("spend_lead{years}_mvnd")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spend_activity_is_spend_then_the_activity_then_mvnd() {
        for a in Activity::ALL {
            assert_eq!(spend_activity(*a), format!("spend_{}_mvnd", a.as_str()));
        }
        assert_eq!(
            spend_activity(Activity::TradePromotion),
            "spend_trade_promotion_mvnd"
        );
    }

    #[test]
    fn lags_and_leads_name_the_schema_columns() {
        assert_eq!(spend_lag(1), SPEND_LAG1_MVND);
        assert_eq!(spend_lag(2), SPEND_LAG2_MVND);
        assert_eq!(spend_lead(1), SPEND_LEAD1_MVND);
    }
}
