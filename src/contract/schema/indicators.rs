//! The schemas of the funding pipeline's indicator tables (`indicators/`).

use super::Dtype::{F64, I32, I64, Str};
use super::{N, R, TableSchema, c, col};

pub const SPENDING_BY_YEAR: TableSchema = TableSchema {
    path: "indicators/spending_by_year.parquet",
    section: "- `spending_by_year.parquet`",
    columns: &[
        c(col::YEAR, I32, "year", R, "year"),
        c(col::SOURCE, Str, "", R, "who paid"),
        c(col::ACTIVITY, Str, "", R, "activity class"),
        c(col::AMOUNT_MVND, F64, "mvnd", R, "spending"),
        c(col::N_GRANTS, I64, "grants", R, "grants"),
    ],
};

pub const GROWTH: TableSchema = TableSchema {
    path: "indicators/growth.parquet",
    section: "- `growth.parquet`",
    columns: &[
        c(col::PROVINCE_CODE, Str, "", R, "province"),
        c(col::YEAR, I32, "year", R, "year"),
        c(
            col::OUTPUT_BVND,
            F64,
            "bvnd",
            N,
            "output summed over sectors",
        ),
        c(
            col::DLOG_OUTPUT,
            F64,
            "log points",
            N,
            "growth over the same sectors",
        ),
        c(col::SPEND_MVND, F64, "mvnd", R, "spending"),
        c(
            col::SPEND_LAG1_MVND,
            F64,
            "mvnd",
            N,
            "spending a year earlier",
        ),
    ],
};

pub const GROWTH_CAGR: TableSchema = TableSchema {
    path: "indicators/growth_cagr.parquet",
    section: "- `growth.parquet`",
    columns: &[
        c(col::PROVINCE_CODE, Str, "", R, "province"),
        c(col::PERIOD_START, I32, "year", R, "first year"),
        c(col::PERIOD_END, I32, "year", R, "last year"),
        c(
            col::CAGR,
            F64,
            "share",
            N,
            "compound annual growth of output",
        ),
    ],
};

pub const INTENSITY: TableSchema = TableSchema {
    path: "indicators/intensity.parquet",
    section: "- `intensity.parquet`",
    columns: &[
        c(col::PROVINCE_CODE, Str, "", R, "province"),
        c(col::YEAR, I32, "year", R, "year"),
        c(col::SPEND_MVND, F64, "mvnd", R, "spending"),
        c(col::OUTPUT_BVND, F64, "bvnd", N, "output"),
        c(
            col::SPEND_PER_BVND_OUTPUT,
            F64,
            "mvnd per bvnd",
            N,
            "spending per output",
        ),
        c(
            col::ESTABLISHMENTS,
            F64,
            "establishments",
            N,
            "establishments",
        ),
        c(
            col::SPEND_PER_ESTABLISHMENT_MVND,
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
        c(col::PROVINCE_CODE, Str, "", R, "province"),
        c(col::YEAR, I32, "year", R, "year"),
        c(col::PLANNED_MVND, F64, "mvnd", R, "planned"),
        c(col::DISBURSED_MVND, F64, "mvnd", R, "disbursed"),
        c(
            col::DISBURSEMENT_RATE,
            F64,
            "share",
            N,
            "disbursed / planned",
        ),
        c(col::TARGET_TRAINEES, F64, "people", N, "trainees planned"),
        c(col::ACHIEVED_TRAINEES, F64, "people", N, "trainees trained"),
        c(
            col::TRAINEE_RATE,
            F64,
            "share",
            N,
            "achieved / target trainees",
        ),
        c(col::TARGET_MODELS, F64, "models", N, "models planned"),
        c(col::ACHIEVED_MODELS, F64, "models", N, "models built"),
        c(col::MODEL_RATE, F64, "share", N, "achieved / target models"),
    ],
};

pub const CONCENTRATION: TableSchema = TableSchema {
    path: "indicators/concentration.parquet",
    section: "- `concentration.parquet`",
    columns: &[
        c(
            col::PROVINCE_CODE,
            Str,
            "",
            R,
            "province; 00 = whole country",
        ),
        c(col::WINDOW, Str, "", R, "window kind (`vocab::WindowKind`)"),
        c(col::PERIOD_START, I32, "year", R, "first support year"),
        c(col::PERIOD_END, I32, "year", R, "last support year"),
        c(col::N_GRANTS, I64, "grants", R, "grants"),
        c(col::TOTAL_MVND, F64, "mvnd", R, "spending"),
        c(col::MEDIAN_GRANT_MVND, F64, "mvnd", N, "median grant"),
        c(
            col::SMALL_GRANT_SHARE,
            F64,
            "share",
            N,
            "share of small grants",
        ),
        c(
            col::HHI_SECTORS,
            F64,
            "index",
            N,
            "Herfindahl index over sectors",
        ),
        c(
            col::EFF_SECTORS,
            F64,
            "sectors",
            N,
            "effective number of sectors",
        ),
        c(
            col::HHI_BENEFICIARIES,
            F64,
            "index",
            N,
            "Herfindahl index over beneficiaries",
        ),
        c(col::GINI, F64, "index", N, "Gini of grant sizes"),
        c(col::THEIL, F64, "index", N, "Theil of grant sizes"),
        c(
            col::TOP_DECILE_SHARE,
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
        c(col::PERIOD_START, I32, "year", N, "first year with a grant"),
        c(col::PERIOD_END, I32, "year", N, "last year with a grant"),
        c(
            col::N_GRANTS,
            I64,
            "grants",
            R,
            "grants in the years analysed",
        ),
        c(
            col::N_POSITIVE_GRANTS,
            I64,
            "grants",
            R,
            "grants with an amount above zero",
        ),
        c(col::TOTAL_MVND, F64, "mvnd", R, "spending"),
        c(
            col::GINI,
            F64,
            "index",
            N,
            "Gini of the positive grant amounts",
        ),
        c(
            col::TOP_DECILE_SHARE,
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
            col::SHARE_OF_GRANTS,
            F64,
            "share",
            R,
            "cumulative share of grants, smallest first",
        ),
        c(
            col::SHARE_OF_AMOUNT,
            F64,
            "share",
            R,
            "cumulative share of the money",
        ),
    ],
};
