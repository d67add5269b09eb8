//! The schemas of the model tables (`models/`).

use super::Dtype::{Bool, F64, I32, I64, Str};
use super::{N, R, TableSchema, c, col};

pub const COEFFICIENTS: TableSchema = TableSchema {
    path: "models/coefficients.parquet",
    section: "- `coefficients.parquet`",
    columns: &[
        c(col::MODEL, Str, "", R, "model name"),
        c(col::TERM, Str, "", R, "term"),
        c(col::ESTIMATE, F64, "", R, "coefficient"),
        c(col::STD_ERROR, F64, "", R, "standard error"),
        c(col::STATISTIC, F64, "", R, "t statistic"),
        c(col::P_VALUE, F64, "", R, "p-value"),
        c(col::CONF_LOW, F64, "", R, "95% interval, low"),
        c(col::CONF_HIGH, F64, "", R, "95% interval, high"),
        c(col::P_VALUE_WILD, F64, "", N, "wild bootstrap p-value"),
        c(
            col::CONF_LOW_WILD,
            F64,
            "",
            N,
            "wild bootstrap interval, low",
        ),
        c(
            col::CONF_HIGH_WILD,
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
            col::REL_YEAR,
            I32,
            "years",
            R,
            "year relative to the pilot start",
        ),
        c(col::ESTIMATE, F64, "log points", R, "estimate"),
        c(
            col::STD_ERROR,
            F64,
            "log points",
            R,
            "clustered standard error",
        ),
        c(
            col::CONF_LOW,
            F64,
            "log points",
            R,
            "clustered interval, low",
        ),
        c(
            col::CONF_HIGH,
            F64,
            "log points",
            R,
            "clustered interval, high",
        ),
        c(
            col::CONF_LOW_WILD,
            F64,
            "log points",
            N,
            "bootstrap interval, low",
        ),
        c(
            col::CONF_HIGH_WILD,
            F64,
            "log points",
            N,
            "bootstrap interval, high",
        ),
        c(col::P_VALUE_WILD, F64, "", N, "bootstrap p-value"),
        c(col::REFERENCE, Bool, "", R, "the omitted period"),
    ],
};

pub const PROVINCE_EFFECTS: TableSchema = TableSchema {
    path: "models/province_effects.parquet",
    section: "- `province_effects.parquet`",
    columns: &[
        c(col::PROVINCE_CODE, Str, "", R, "province"),
        c(col::PERIOD_START, I32, "year", R, "first support year"),
        c(col::PERIOD_END, I32, "year", R, "last support year"),
        c(
            col::LAG_YEARS,
            I32,
            "years",
            R,
            "years from support to growth",
        ),
        c(
            col::ESTIMATE,
            F64,
            "log points",
            N,
            "extra growth after a supported year",
        ),
        c(
            col::STD_ERROR,
            F64,
            "log points",
            N,
            "standard error clustered by cell",
        ),
        c(col::DF, F64, "", N, "degrees of freedom"),
        c(col::P_VALUE, F64, "", N, "p-value"),
        c(col::Q_VALUE, F64, "", N, "Benjamini–Hochberg q-value"),
        c(col::NOBS, I64, "", R, "observations"),
        c(
            col::N_SUPPORTED_CELLS,
            I64,
            "cells",
            R,
            "supported province × sector cells",
        ),
        c(col::N_COMPARISON_CELLS, I64, "cells", R, "comparison cells"),
        c(
            col::N_SUPPORTED_CELL_YEARS,
            I64,
            "cell-years",
            R,
            "supported cell-years",
        ),
        c(
            col::PLACEBO,
            F64,
            "log points",
            N,
            "coefficient of next year's support",
        ),
        c(
            col::PLACEBO_STD_ERROR,
            F64,
            "log points",
            N,
            "its standard error",
        ),
        c(col::PLACEBO_DF, F64, "", N, "its degrees of freedom"),
    ],
};

pub const SECTOR_EFFECTS: TableSchema = TableSchema {
    path: "models/sector_effects.parquet",
    section: "- `sector_effects.parquet`",
    columns: &[
        c(col::SECTOR_CODE, Str, "", R, "VSIC 2018 division"),
        c(col::PERIOD_START, I32, "year", R, "first support year"),
        c(col::PERIOD_END, I32, "year", R, "last support year"),
        c(col::ESTIMATE, F64, "log points", N, "the sector's slope"),
        c(
            col::STD_ERROR,
            F64,
            "log points",
            N,
            "standard error clustered by province",
        ),
        c(col::CONF_LOW, F64, "log points", N, "95% interval, low"),
        c(col::CONF_HIGH, F64, "log points", N, "95% interval, high"),
        c(col::P_VALUE, F64, "", N, "p-value"),
        c(col::Q_VALUE, F64, "", N, "Benjamini–Hochberg q-value"),
        c(col::NOBS, I64, "", R, "observations"),
        c(
            col::N_TREATED_CELLS,
            I64,
            "cells",
            R,
            "supported province cells",
        ),
    ],
};
