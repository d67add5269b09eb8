#!/usr/bin/env python3
"""pyfixest side of the model benchmark: the same job as `khuyencong model --format json`.

    python3 scripts/bench_model_pyfixest.py DATA.parquet

Reads the Parquet file, fits y ~ x1 + x2 | firm_id + year clustered by province_code, and prints
the coefficients as JSON (term, estimate, std_error) so the two tools' answers can be compared.
"""

import json
import sys

import pandas as pd
import pyfixest as pf


def main():
    df = pd.read_parquet(sys.argv[1])
    fit = pf.feols("y ~ x1 + x2 | firm_id + year", data=df, vcov={"CRV1": "province_code"})
    tidy = fit.tidy()
    out = {
        "nobs": int(fit._N),
        "df_t": float(fit._df_t),
        "r2": float(fit._r2),
        "coefficients": [
            {"term": t, "estimate": float(r["Estimate"]), "std_error": float(r["Std. Error"])}
            for t, r in tidy.iterrows()
        ],
    }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
