//! The schemas of the tables a run on real published data writes instead of the panel, models
//! and flags (`pipelines/real.toml`): the provincial index table and the programme's published
//! record, under `indicators/`.

use super::Dtype::{Bool, F64, I32, I64, Str};
use super::{N, R, TableSchema, c, col};

pub const PROVINCE_INDEX: TableSchema = TableSchema {
    path: "indicators/province_index.parquet",
    section: "- `indicators/province_index.parquet`",
    columns: &[
        c(
            col::MEASURE,
            Str,
            "",
            R,
            "index measure (`vocab::Measure`: employment_index | iip)",
        ),
        c(col::YEAR, I32, "year", R, "year"),
        c(
            col::PROVINCE_CODE,
            Str,
            "",
            R,
            "province; 00 = whole country",
        ),
        c(col::PROVINCE_NAME, Str, "", R, "province name"),
        c(col::BOUNDARY, Str, "", R, "province map of the source"),
        c(col::VALUE, F64, "index", R, "the index as published"),
        c(col::BASE, Str, "", R, "what 100 means"),
        c(col::IS_NATIONAL, Bool, "", R, "the whole-country row"),
    ],
};

pub const PROGRAMME_BUDGET: TableSchema = TableSchema {
    path: "indicators/programme_budget.parquet",
    section: "- `indicators/programme_budget.parquet`",
    columns: &[
        c(col::RECORD_ID, Str, "", R, "record in the input file"),
        c(col::SCOPE, Str, "", R, "national | region_moit | province"),
        c(col::GEO_CODE, Str, "", N, "province code, 63-province map"),
        c(col::GEO_NAME, Str, "", R, "place as published"),
        c(col::PERIOD_START, I32, "year", N, "first year"),
        c(col::PERIOD_END, I32, "year", N, "last year"),
        c(col::PERIOD, Str, "", R, "period as published"),
        c(col::FUND, Str, "", R, "fund, folded from fund_source"),
        c(col::FUND_SOURCE, Str, "", R, "fund as published"),
        c(col::MEASURE, Str, "", R, "what the figure measures"),
        c(
            col::VALUE_AS_PUBLISHED,
            Str,
            "",
            R,
            "the figure as published",
        ),
        c(col::UNIT, Str, "", R, "unit as published"),
        c(
            col::AMOUNT_MVND,
            F64,
            "mvnd",
            N,
            "the figure in million VND",
        ),
        c(col::DERIVED, Bool, "", R, "arithmetic on published figures"),
        c(
            col::CONFIDENCE,
            Str,
            "",
            R,
            "high | medium | low | unverified",
        ),
        c(col::SOURCE_URL, Str, "", R, "where it was published"),
        c(col::SOURCE_DATE, Str, "", R, "when it was published"),
    ],
};

pub const PROGRAMME_TARGETS: TableSchema = TableSchema {
    path: "indicators/programme_targets.parquet",
    section: "- `indicators/programme_targets.parquet`",
    columns: &[
        c(col::RECORD_ID, Str, "", R, "record in the input file"),
        c(col::PROGRAMME, Str, "", R, "programme"),
        c(col::LEGAL_BASIS, Str, "", R, "decision that set it"),
        c(col::PERIOD, Str, "", R, "period as published"),
        c(col::ITEM, Str, "", R, "what is counted"),
        c(
            col::KIND,
            Str,
            "",
            R,
            "target | draft_target | result | other",
        ),
        c(col::THEME, Str, "", R, "theme of the item"),
        c(col::VALUE, F64, "", N, "the number, when it is one number"),
        c(
            col::VALUE_AS_PUBLISHED,
            Str,
            "",
            R,
            "the figure as published",
        ),
        c(col::UNIT, Str, "", R, "unit as published"),
        c(
            col::CONFIDENCE,
            Str,
            "",
            R,
            "high | medium | low | unverified",
        ),
        c(col::SOURCE_URL, Str, "", R, "where it was published"),
    ],
};

pub const SPENDING_FACTS: TableSchema = TableSchema {
    path: "indicators/spending_facts.parquet",
    section: "- `indicators/spending_facts.parquet`",
    columns: &[
        c(col::RECORD_ID, Str, "", R, "record in the input file"),
        c(col::PROVINCE_CODE, Str, "", R, "province"),
        c(col::PROVINCE_NAME, Str, "", R, "province name"),
        c(col::BOUNDARY_NOTE, Str, "", N, "note on the province's map"),
        c(col::PERIOD_START, I32, "year", N, "first year"),
        c(col::PERIOD_END, I32, "year", N, "last year"),
        c(col::PERIOD, Str, "", R, "period as published"),
        c(col::FUND, Str, "", R, "fund, folded from fund_source"),
        c(col::FUND_SOURCE, Str, "", R, "fund as published"),
        c(col::MEASURE, Str, "", R, "what the figure measures"),
        c(
            col::AMOUNT_MVND,
            F64,
            "mvnd",
            N,
            "the figure in million VND",
        ),
        c(
            col::QUALIFIER,
            Str,
            "",
            N,
            "over, nearly: bounds and approximations",
        ),
        c(
            col::CONFIDENCE,
            Str,
            "",
            R,
            "high | medium | low | unverified",
        ),
        c(col::SOURCE_URL, Str, "", R, "where it was published"),
    ],
};

pub const ACTIVITY_FACTS: TableSchema = TableSchema {
    path: "indicators/activity_facts.parquet",
    section: "- `indicators/activity_facts.parquet`",
    columns: &[
        c(col::RECORD_ID, Str, "", N, "record in the input file"),
        c(
            col::PROVINCE_CODE,
            Str,
            "",
            N,
            "province; null for a ministry grouping",
        ),
        c(col::AREA, Str, "", N, "area as published"),
        c(col::PERIOD, Str, "", N, "period as published"),
        c(col::FUND, Str, "", R, "fund, folded from fund_source"),
        c(col::FUND_SOURCE, Str, "", N, "fund as published"),
        c(
            col::GROUP_AS_PUBLISHED,
            Str,
            "",
            N,
            "activity group as published",
        ),
        c(col::GROUP_EN, Str, "", N, "activity group in English"),
        c(col::N_PROJECTS, Str, "", N, "projects, as published"),
        c(
            col::AMOUNT_MVND,
            F64,
            "mvnd",
            N,
            "the figure in million VND",
        ),
        c(
            col::QUALIFIER,
            Str,
            "",
            N,
            "over, nearly: bounds and approximations",
        ),
        c(
            col::CONFIDENCE,
            Str,
            "",
            R,
            "high | medium | low | unverified",
        ),
        c(col::SOURCE_URL, Str, "", N, "where it was published"),
    ],
};

pub const PROGRAMME_REJECTED: TableSchema = TableSchema {
    path: "indicators/programme_rejected.parquet",
    section: "- `indicators/programme_rejected.parquet`",
    columns: &[
        c(col::FILE, Str, "", R, "programme file of the row"),
        c(col::LINE, I64, "", R, "1-based line, header = 1"),
        c(col::RECORD_ID, Str, "", R, "record in the input file"),
        c(col::REASON, Str, "", R, "why the row was not kept"),
    ],
};
