//! The columns of every table a funding pipeline writes: for each table its path under the
//! output folder, its section of docs/TABLES.md, and per column the name, type, unit, whether
//! it may be null, and what it means. Stages take canonical column names from here; tests check
//! the written tables and docs/TABLES.md against these lists.

use polars::prelude::DataType;

/// The earliest year a table may hold.
pub const MIN_YEAR: i32 = 1990;
/// The latest year a table may hold.
pub const MAX_YEAR: i32 = 2060;

/// A column's type in the Parquet files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dtype {
    Str,
    I32,
    I64,
    F64,
    Bool,
}

impl Dtype {
    /// The polars type of the column.
    pub fn polars(self) -> DataType {
        match self {
            Dtype::Str => DataType::String,
            Dtype::I32 => DataType::Int32,
            Dtype::I64 => DataType::Int64,
            Dtype::F64 => DataType::Float64,
            Dtype::Bool => DataType::Boolean,
        }
    }
}

/// One column of a table.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub dtype: Dtype,
    /// Unit of a measure ("mvnd": million VND, "bvnd": billion VND, "log points", "share", …);
    /// empty for codes, text and flags.
    pub unit: &'static str,
    pub nullable: bool,
    pub meaning: &'static str,
}

/// One output table.
#[derive(Debug, Clone, Copy)]
pub struct TableSchema {
    /// Path under the output folder; `<source>` stands for a source's name.
    pub path: &'static str,
    /// The heading (or list item) of docs/TABLES.md that documents it.
    pub section: &'static str,
    pub columns: &'static [Column],
}

impl TableSchema {
    /// The column names, in table order.
    pub fn names(&self) -> Vec<&'static str> {
        self.columns.iter().map(|c| c.name).collect()
    }

    /// The column of this name.
    pub fn column(&self, name: &str) -> Option<&'static Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

use Dtype::{Bool, F64, I32, I64, Str};

const fn c(
    name: &'static str,
    dtype: Dtype,
    unit: &'static str,
    nullable: bool,
    meaning: &'static str,
) -> Column {
    Column {
        name,
        dtype,
        unit,
        nullable,
        meaning,
    }
}

const N: bool = true;
const R: bool = false;

pub const FUNDING: TableSchema = TableSchema {
    path: "clean/funding.parquet",
    section: "## clean/funding.parquet",
    columns: &[
        c("year", I32, "year", R, "year of the grant"),
        c(
            "province_code",
            Str,
            "",
            R,
            "GSO province code on `boundary`'s map",
        ),
        c("sector_code", Str, "", N, "VSIC 2018 division"),
        c("activity", Str, "", R, "activity class (`vocab::Activity`)"),
        c("source", Str, "", R, "who paid (`vocab::FundingSource`)"),
        c("amount_mvnd", F64, "mvnd", R, "amount disbursed"),
        c("planned_mvnd", F64, "mvnd", N, "amount planned"),
        c("project_id", Str, "", R, "project code"),
        c("beneficiary", Str, "", N, "beneficiary"),
        c("target_trainees", F64, "people", N, "trainees planned"),
        c("achieved_trainees", F64, "people", N, "trainees trained"),
        c(
            "target_models",
            F64,
            "models",
            N,
            "demonstration models planned",
        ),
        c(
            "achieved_models",
            F64,
            "models",
            N,
            "demonstration models built",
        ),
        c(
            "boundary",
            Str,
            "",
            R,
            "province map of `province_code`: 2008 or 2025",
        ),
        c("source_file", Str, "", R, "file the row was read from"),
        c("source_row", I64, "", R, "1-based row in the file"),
    ],
};

pub const OUTPUT: TableSchema = TableSchema {
    path: "clean/output.parquet",
    section: "## clean/output.parquet",
    columns: &[
        c("year", I32, "year", R, "year"),
        c(
            "province_code",
            Str,
            "",
            R,
            "GSO province code on `boundary`'s map",
        ),
        c(
            "sector_code",
            Str,
            "",
            N,
            "VSIC 2018 division; null for all-industry rows",
        ),
        c("output_bvnd", F64, "bvnd", N, "industrial output"),
        c(
            "iip",
            F64,
            "previous year = 100",
            N,
            "industrial production index",
        ),
        c("employment", F64, "people", N, "employment"),
        c(
            "employment_index",
            F64,
            "a year earlier = 100",
            N,
            "employment index",
        ),
        c("establishments", F64, "establishments", N, "establishments"),
        c("boundary", Str, "", R, "province map of `province_code`"),
        c("source_file", Str, "", R, "file the row was read from"),
        c("source_row", I64, "", R, "1-based row in the file"),
    ],
};

pub const REJECTED: TableSchema = TableSchema {
    path: "rejected/<source>.parquet",
    section: "## rejected/<source>.parquet",
    columns: &[
        c("source_file", Str, "", R, "file of the row"),
        c("source_row", I64, "", R, "1-based row in the file"),
        c(
            "column",
            Str,
            "",
            N,
            "column at fault, as headed in the file",
        ),
        c("raw_value", Str, "", N, "the value as read"),
        c("reason", Str, "", R, "why the row was rejected"),
    ],
};

pub const PANEL: TableSchema = TableSchema {
    path: "panel/panel.parquet",
    section: "## panel/panel.parquet",
    columns: &[
        c("year", I32, "year", R, "year"),
        c(
            "province_code",
            Str,
            "",
            R,
            "province on the pipeline's map",
        ),
        c("sector_code", Str, "", R, "VSIC 2018 division"),
        c(
            "spend_mvnd",
            F64,
            "mvnd",
            N,
            "spending; null where no funding file covers it",
        ),
        c(
            "spend_national_mvnd",
            F64,
            "mvnd",
            N,
            "national programme spending",
        ),
        c(
            "spend_local_mvnd",
            F64,
            "mvnd",
            N,
            "provincial programme spending",
        ),
        c(
            "funding_covered",
            Bool,
            "",
            R,
            "a funding file covers the province-year",
        ),
        c(
            "spend_demonstration_mvnd",
            F64,
            "mvnd",
            N,
            "spending on demonstration",
        ),
        c(
            "spend_machinery_mvnd",
            F64,
            "mvnd",
            N,
            "spending on machinery",
        ),
        c(
            "spend_training_mvnd",
            F64,
            "mvnd",
            N,
            "spending on training",
        ),
        c(
            "spend_management_mvnd",
            F64,
            "mvnd",
            N,
            "spending on management",
        ),
        c(
            "spend_trade_promotion_mvnd",
            F64,
            "mvnd",
            N,
            "spending on trade promotion",
        ),
        c(
            "spend_consulting_mvnd",
            F64,
            "mvnd",
            N,
            "spending on consulting",
        ),
        c(
            "spend_conference_mvnd",
            F64,
            "mvnd",
            N,
            "spending on conferences",
        ),
        c(
            "spend_information_mvnd",
            F64,
            "mvnd",
            N,
            "spending on information",
        ),
        c("spend_other_mvnd", F64, "mvnd", N, "other spending"),
        c("n_grants", I64, "grants", N, "grants; null like spend_mvnd"),
        c("spend_lag1_mvnd", F64, "mvnd", N, "spending a year earlier"),
        c(
            "spend_lag2_mvnd",
            F64,
            "mvnd",
            N,
            "spending two years earlier",
        ),
        c("spend_lead1_mvnd", F64, "mvnd", N, "spending a year later"),
        c("log_spend_lag1", F64, "log", N, "ln(1 + spend_lag1_mvnd)"),
        c("output_bvnd", F64, "bvnd", N, "industrial output"),
        c("employment", F64, "people", N, "employment"),
        c("establishments", F64, "establishments", N, "establishments"),
        c("log_output", F64, "log", N, "ln(output_bvnd)"),
        c(
            "dlog_output",
            F64,
            "log points",
            N,
            "log difference to the previous year",
        ),
        c("missing_output", Bool, "", R, "no output value"),
        c("pilot", Bool, "", R, "province in the pilot group"),
        c(
            "rel_year",
            I32,
            "years",
            N,
            "year − pilot start, pilot provinces only",
        ),
        c("boundary", Str, "", R, "province map of the panel"),
    ],
};

pub const SPENDING_BY_YEAR: TableSchema = TableSchema {
    path: "indicators/spending_by_year.parquet",
    section: "- `spending_by_year.parquet`",
    columns: &[
        c("year", I32, "year", R, "year"),
        c("source", Str, "", R, "who paid"),
        c("activity", Str, "", R, "activity class"),
        c("amount_mvnd", F64, "mvnd", R, "spending"),
        c("n_grants", I64, "grants", R, "grants"),
    ],
};

pub const GROWTH: TableSchema = TableSchema {
    path: "indicators/growth.parquet",
    section: "- `growth.parquet`",
    columns: &[
        c("province_code", Str, "", R, "province"),
        c("year", I32, "year", R, "year"),
        c("output_bvnd", F64, "bvnd", N, "output summed over sectors"),
        c(
            "dlog_output",
            F64,
            "log points",
            N,
            "growth over the same sectors",
        ),
        c("spend_mvnd", F64, "mvnd", R, "spending"),
        c("spend_lag1_mvnd", F64, "mvnd", N, "spending a year earlier"),
    ],
};

pub const GROWTH_CAGR: TableSchema = TableSchema {
    path: "indicators/growth_cagr.parquet",
    section: "- `growth.parquet`",
    columns: &[
        c("province_code", Str, "", R, "province"),
        c("period_start", I32, "year", R, "first year"),
        c("period_end", I32, "year", R, "last year"),
        c("cagr", F64, "share", N, "compound annual growth of output"),
    ],
};

pub const INTENSITY: TableSchema = TableSchema {
    path: "indicators/intensity.parquet",
    section: "- `intensity.parquet`",
    columns: &[
        c("province_code", Str, "", R, "province"),
        c("year", I32, "year", R, "year"),
        c("spend_mvnd", F64, "mvnd", R, "spending"),
        c("output_bvnd", F64, "bvnd", N, "output"),
        c(
            "spend_per_bvnd_output",
            F64,
            "mvnd per bvnd",
            N,
            "spending per output",
        ),
        c("establishments", F64, "establishments", N, "establishments"),
        c(
            "spend_per_establishment_mvnd",
            F64,
            "mvnd",
            N,
            "spending per establishment",
        ),
    ],
};

pub const ACHIEVEMENT: TableSchema = TableSchema {
    path: "indicators/achievement.parquet",
    section: "- `achievement.parquet`",
    columns: &[
        c("province_code", Str, "", R, "province"),
        c("year", I32, "year", R, "year"),
        c("planned_mvnd", F64, "mvnd", R, "planned"),
        c("disbursed_mvnd", F64, "mvnd", R, "disbursed"),
        c("disbursement_rate", F64, "share", N, "disbursed / planned"),
        c("target_trainees", F64, "people", N, "trainees planned"),
        c("achieved_trainees", F64, "people", N, "trainees trained"),
        c(
            "trainee_rate",
            F64,
            "share",
            N,
            "achieved / target trainees",
        ),
        c("target_models", F64, "models", N, "models planned"),
        c("achieved_models", F64, "models", N, "models built"),
        c("model_rate", F64, "share", N, "achieved / target models"),
    ],
};

pub const CONCENTRATION: TableSchema = TableSchema {
    path: "indicators/concentration.parquet",
    section: "- `concentration.parquet`",
    columns: &[
        c("province_code", Str, "", R, "province; 00 = whole country"),
        c("window", Str, "", R, "window kind (`vocab::WindowKind`)"),
        c("period_start", I32, "year", R, "first support year"),
        c("period_end", I32, "year", R, "last support year"),
        c("n_grants", I64, "grants", R, "grants"),
        c("total_mvnd", F64, "mvnd", R, "spending"),
        c("median_grant_mvnd", F64, "mvnd", N, "median grant"),
        c(
            "small_grant_share",
            F64,
            "share",
            N,
            "share of small grants",
        ),
        c(
            "hhi_sectors",
            F64,
            "index",
            N,
            "Herfindahl index over sectors",
        ),
        c(
            "eff_sectors",
            F64,
            "sectors",
            N,
            "effective number of sectors",
        ),
        c(
            "hhi_beneficiaries",
            F64,
            "index",
            N,
            "Herfindahl index over beneficiaries",
        ),
        c("gini", F64, "index", N, "Gini of grant sizes"),
        c("theil", F64, "index", N, "Theil of grant sizes"),
        c(
            "top_decile_share",
            F64,
            "share",
            N,
            "share of the money in the largest 10% of grants",
        ),
    ],
};

pub const NATIONAL: TableSchema = TableSchema {
    path: "indicators/national.parquet",
    section: "- `national.parquet`",
    columns: &[
        c("period_start", I32, "year", N, "first year with a grant"),
        c("period_end", I32, "year", N, "last year with a grant"),
        c("n_grants", I64, "grants", R, "grants in the years analysed"),
        c(
            "n_positive_grants",
            I64,
            "grants",
            R,
            "grants with an amount above zero",
        ),
        c("total_mvnd", F64, "mvnd", R, "spending"),
        c(
            "gini",
            F64,
            "index",
            N,
            "Gini of the positive grant amounts",
        ),
        c(
            "top_decile_share",
            F64,
            "share",
            N,
            "share of the money in the largest 10% of positive grants",
        ),
    ],
};

pub const LORENZ: TableSchema = TableSchema {
    path: "indicators/lorenz.parquet",
    section: "- `lorenz.parquet`",
    columns: &[
        c(
            "share_of_grants",
            F64,
            "share",
            R,
            "cumulative share of grants, smallest first",
        ),
        c(
            "share_of_amount",
            F64,
            "share",
            R,
            "cumulative share of the money",
        ),
    ],
};

pub const COEFFICIENTS: TableSchema = TableSchema {
    path: "models/coefficients.parquet",
    section: "- `coefficients.parquet`",
    columns: &[
        c("model", Str, "", R, "model name"),
        c("term", Str, "", R, "term"),
        c("estimate", F64, "", R, "coefficient"),
        c("std_error", F64, "", R, "standard error"),
        c("statistic", F64, "", R, "t statistic"),
        c("p_value", F64, "", R, "p-value"),
        c("conf_low", F64, "", R, "95% interval, low"),
        c("conf_high", F64, "", R, "95% interval, high"),
        c("p_value_wild", F64, "", N, "wild bootstrap p-value"),
        c("conf_low_wild", F64, "", N, "wild bootstrap interval, low"),
        c(
            "conf_high_wild",
            F64,
            "",
            N,
            "wild bootstrap interval, high",
        ),
    ],
};

pub const EVENT_STUDY: TableSchema = TableSchema {
    path: "models/event_study.parquet",
    section: "- `event_study.parquet`",
    columns: &[
        c(
            "rel_year",
            I32,
            "years",
            R,
            "year relative to the pilot start",
        ),
        c("estimate", F64, "log points", R, "estimate"),
        c(
            "std_error",
            F64,
            "log points",
            R,
            "clustered standard error",
        ),
        c("conf_low", F64, "log points", R, "clustered interval, low"),
        c(
            "conf_high",
            F64,
            "log points",
            R,
            "clustered interval, high",
        ),
        c(
            "conf_low_wild",
            F64,
            "log points",
            N,
            "bootstrap interval, low",
        ),
        c(
            "conf_high_wild",
            F64,
            "log points",
            N,
            "bootstrap interval, high",
        ),
        c("p_value_wild", F64, "", N, "bootstrap p-value"),
        c("reference", Bool, "", R, "the omitted period"),
    ],
};

pub const PROVINCE_EFFECTS: TableSchema = TableSchema {
    path: "models/province_effects.parquet",
    section: "- `province_effects.parquet`",
    columns: &[
        c("province_code", Str, "", R, "province"),
        c("period_start", I32, "year", R, "first support year"),
        c("period_end", I32, "year", R, "last support year"),
        c("lag_years", I32, "years", R, "years from support to growth"),
        c(
            "estimate",
            F64,
            "log points",
            N,
            "extra growth after a supported year",
        ),
        c(
            "std_error",
            F64,
            "log points",
            N,
            "standard error clustered by cell",
        ),
        c("df", F64, "", N, "degrees of freedom"),
        c("p_value", F64, "", N, "p-value"),
        c("q_value", F64, "", N, "Benjamini–Hochberg q-value"),
        c("nobs", I64, "", R, "observations"),
        c(
            "n_supported_cells",
            I64,
            "cells",
            R,
            "supported province × sector cells",
        ),
        c("n_comparison_cells", I64, "cells", R, "comparison cells"),
        c(
            "n_supported_cell_years",
            I64,
            "cell-years",
            R,
            "supported cell-years",
        ),
        c(
            "placebo",
            F64,
            "log points",
            N,
            "coefficient of next year's support",
        ),
        c(
            "placebo_std_error",
            F64,
            "log points",
            N,
            "its standard error",
        ),
        c("placebo_df", F64, "", N, "its degrees of freedom"),
    ],
};

pub const SECTOR_EFFECTS: TableSchema = TableSchema {
    path: "models/sector_effects.parquet",
    section: "- `sector_effects.parquet`",
    columns: &[
        c("sector_code", Str, "", R, "VSIC 2018 division"),
        c("period_start", I32, "year", R, "first support year"),
        c("period_end", I32, "year", R, "last support year"),
        c("estimate", F64, "log points", N, "the sector's slope"),
        c(
            "std_error",
            F64,
            "log points",
            N,
            "standard error clustered by province",
        ),
        c("conf_low", F64, "log points", N, "95% interval, low"),
        c("conf_high", F64, "log points", N, "95% interval, high"),
        c("p_value", F64, "", N, "p-value"),
        c("q_value", F64, "", N, "Benjamini–Hochberg q-value"),
        c("nobs", I64, "", R, "observations"),
        c(
            "n_treated_cells",
            I64,
            "cells",
            R,
            "supported province cells",
        ),
    ],
};

pub const FLAGS: TableSchema = TableSchema {
    path: "flags/flags.parquet",
    section: "## flags/flags.parquet",
    columns: &[
        c("province_code", Str, "", R, "province"),
        c("province_name", Str, "", N, "province name"),
        c("period_start", I32, "year", R, "first support year"),
        c("period_end", I32, "year", R, "last support year"),
        c("lag_years", I32, "years", R, "years from support to growth"),
        c("outcome_start", I32, "year", R, "first growth year judged"),
        c("outcome_end", I32, "year", R, "last growth year judged"),
        c("n_grants", I64, "grants", R, "grants"),
        c("total_mvnd", F64, "mvnd", R, "spending"),
        c("median_grant_mvnd", F64, "mvnd", N, "median grant"),
        c(
            "small_grant_share",
            F64,
            "share",
            N,
            "share of small grants",
        ),
        c(
            "eff_sectors",
            F64,
            "sectors",
            N,
            "effective number of sectors",
        ),
        c(
            "hhi_beneficiaries",
            F64,
            "index",
            N,
            "Herfindahl index over beneficiaries",
        ),
        c(
            "rank_eff_sectors",
            F64,
            "share",
            N,
            "percent rank of eff_sectors",
        ),
        c(
            "rank_small_share",
            F64,
            "share",
            N,
            "percent rank of small_grant_share",
        ),
        c("effect", F64, "log points", N, "estimated effect"),
        c(
            "effect_std_error",
            F64,
            "log points",
            N,
            "its standard error",
        ),
        c("effect_df", F64, "", N, "its degrees of freedom"),
        c("conf_level", F64, "share", R, "level of the interval"),
        c("effect_conf_low", F64, "log points", N, "interval, low"),
        c("effect_conf_high", F64, "log points", N, "interval, high"),
        c("effect_p_value", F64, "", N, "p-value"),
        c("effect_q_value", F64, "", N, "Benjamini–Hochberg q-value"),
        c("min_effect", F64, "log points", R, "minimum effect"),
        c("n_supported_cells", I64, "cells", R, "supported cells"),
        c("n_comparison_cells", I64, "cells", R, "comparison cells"),
        c(
            "n_supported_cell_years",
            I64,
            "cell-years",
            R,
            "supported cell-years",
        ),
        c("nobs", I64, "", R, "observations"),
        c("placebo", F64, "log points", N, "placebo coefficient"),
        c(
            "placebo_conf_low",
            F64,
            "log points",
            N,
            "placebo interval, low",
        ),
        c(
            "placebo_conf_high",
            F64,
            "log points",
            N,
            "placebo interval, high",
        ),
        c("placebo_failed", Bool, "", N, "placebo check failed"),
        c(
            "threshold_eff_sectors",
            F64,
            "sectors",
            R,
            "threshold in force",
        ),
        c(
            "threshold_small_share",
            F64,
            "share",
            R,
            "threshold in force",
        ),
        c(
            "effect_verdict",
            Str,
            "",
            R,
            "clear | low | inconclusive | insufficient",
        ),
        c("scattered", Bool, "", R, "support spread thin"),
        c("low_impact", Bool, "", R, "verdict low"),
        c("insufficient", Bool, "", R, "verdict insufficient"),
        c("flagged", Bool, "", R, "scattered and low"),
        c("status", Str, "", R, "status (`vocab::FlagStatus`)"),
        c(
            "reasons",
            Str,
            "",
            R,
            "reason codes (`vocab::ReasonCode`) joined by ;",
        ),
        c("reason_vi", Str, "", R, "reasons in Vietnamese"),
        c("reason_en", Str, "", R, "reasons in English"),
        c(
            "rank",
            I32,
            "",
            N,
            "1 = most clearly scattered among the flagged",
        ),
    ],
};

pub const CHANGES: TableSchema = TableSchema {
    path: "flags/changes.parquet",
    section: "## flags/changes.parquet",
    columns: &[
        c("province_code", Str, "", R, "province"),
        c("province_name", Str, "", N, "province name"),
        c("change", Str, "", R, "change codes joined by ;"),
        c(
            "period_start_before",
            I32,
            "year",
            N,
            "window before, first year",
        ),
        c(
            "period_end_before",
            I32,
            "year",
            N,
            "window before, last year",
        ),
        c("period_start", I32, "year", N, "window now, first year"),
        c("period_end", I32, "year", N, "window now, last year"),
        c("verdict_before", Str, "", N, "verdict before"),
        c("verdict_now", Str, "", N, "verdict now"),
        c("flagged_before", Bool, "", N, "flagged before"),
        c("flagged_now", Bool, "", N, "flagged now"),
        c("scattered_before", Bool, "", N, "scattered before"),
        c("scattered_now", Bool, "", N, "scattered now"),
        c("effect_before", F64, "log points", N, "effect before"),
        c("effect_now", F64, "log points", N, "effect now"),
        c(
            "effect_conf_low_before",
            F64,
            "log points",
            N,
            "interval low before",
        ),
        c(
            "effect_conf_low_now",
            F64,
            "log points",
            N,
            "interval low now",
        ),
        c(
            "effect_conf_high_before",
            F64,
            "log points",
            N,
            "interval high before",
        ),
        c(
            "effect_conf_high_now",
            F64,
            "log points",
            N,
            "interval high now",
        ),
        c(
            "eff_sectors_before",
            F64,
            "sectors",
            N,
            "effective sectors before",
        ),
        c(
            "eff_sectors_now",
            F64,
            "sectors",
            N,
            "effective sectors now",
        ),
        c(
            "small_grant_share_before",
            F64,
            "share",
            N,
            "small-grant share before",
        ),
        c(
            "small_grant_share_now",
            F64,
            "share",
            N,
            "small-grant share now",
        ),
        c("n_grants_before", I64, "grants", N, "grants before"),
        c("n_grants_now", I64, "grants", N, "grants now"),
    ],
};

/// Every table of a funding pipeline, in the order of docs/TABLES.md.
pub const TABLES: &[TableSchema] = &[
    FUNDING,
    OUTPUT,
    REJECTED,
    PANEL,
    SPENDING_BY_YEAR,
    GROWTH,
    GROWTH_CAGR,
    INTENSITY,
    ACHIEVEMENT,
    CONCENTRATION,
    NATIONAL,
    LORENZ,
    COEFFICIENTS,
    EVENT_STUDY,
    PROVINCE_EFFECTS,
    SECTOR_EFFECTS,
    FLAGS,
    CHANGES,
];

/// The canonical table of a source kind.
pub fn canonical(kind: super::vocab::SourceKind) -> &'static TableSchema {
    match kind {
        super::vocab::SourceKind::Funding => &FUNDING,
        super::vocab::SourceKind::Output => &OUTPUT,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of a table's section in docs/TABLES.md: from its heading to the next heading
    /// or list item.
    fn section<'a>(doc: &'a str, heading: &str) -> &'a str {
        let start = doc
            .find(heading)
            .unwrap_or_else(|| panic!("docs/TABLES.md has no section {heading}"));
        let body = &doc[start + heading.len()..];
        let end = body
            .find("\n## ")
            .into_iter()
            .chain(body.find("\n- `"))
            .min()
            .unwrap_or(body.len());
        &body[..end]
    }

    /// Every `name` in backticks of a section.
    fn quoted(text: &str) -> std::collections::BTreeSet<String> {
        text.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn docs_tables_documents_every_schema_column_and_no_other() {
        let doc = include_str!("../../docs/TABLES.md");
        let mut by_section: std::collections::BTreeMap<&str, Vec<&TableSchema>> =
            Default::default();
        for t in TABLES {
            by_section.entry(t.section).or_default().push(t);
        }
        for (heading, tables) in by_section {
            let text = section(doc, heading);
            let documented = quoted(text);
            let mut names = std::collections::BTreeSet::new();
            for t in &tables {
                for col in t.columns {
                    names.insert(col.name.to_string());
                    // `spend_<activity>_mvnd` documents one column per activity.
                    let generic = col.name.starts_with("spend_")
                        && documented.contains("spend_<activity>_mvnd")
                        && crate::contract::vocab::Activity::NAMES
                            .iter()
                            .any(|a| col.name == format!("spend_{a}_mvnd"));
                    assert!(
                        generic || documented.contains(col.name),
                        "{}: column `{}` is not documented in {heading}",
                        t.path,
                        col.name
                    );
                }
            }
            // Every backticked word in the section that looks like a column is a column of one
            // of its tables (values, file names and formulas are not column-like).
            for word in &documented {
                let column_like = word
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
                    && word.contains('_');
                if column_like && !names.contains(word) && !NOT_COLUMNS.contains(&word.as_str()) {
                    panic!("{heading}: `{word}` is documented but no table of it has it");
                }
            }
        }
    }

    /// Backticked words in docs/TABLES.md sections that are values or keys, not columns.
    const NOT_COLUMNS: &[&str] = &[];

    #[test]
    fn column_names_are_unique_per_table() {
        for t in TABLES {
            let mut seen = std::collections::BTreeSet::new();
            for col in t.columns {
                assert!(seen.insert(col.name), "{}: {} twice", t.path, col.name);
            }
        }
    }
}
