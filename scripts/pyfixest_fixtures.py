#!/usr/bin/env python3
"""Reference fixtures for `khuyencong model`, made by pyfixest.

Writes small seeded data sets (CSV) and pyfixest's estimates (JSON) into
tests/fixtures/pyfixest/. The Rust tests in tests/it/model.rs fit the same formulas on the same
CSV files and compare coefficients, standard errors, t statistics, p-values, nobs, degrees of
freedom and R² with these values.

Usage (pyfixest 0.60 and statsmodels in a virtual environment; `.venv` is ignored by git):

    python3 -m venv .venv && .venv/bin/pip install "pyfixest==0.60.*" statsmodels
    .venv/bin/python scripts/pyfixest_fixtures.py

The demeaning tolerance is set far tighter than pyfixest's default so the fixtures are the exact
least-squares answers; the comparison then tests our arithmetic, not two convergence criteria.
"""

import json
import warnings
import os
import sys

import numpy as np
import pandas as pd
import pyfixest as pf

warnings.filterwarnings("ignore", category=DeprecationWarning)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "pyfixest")
FIXEF_TOL = 1e-13


def panel(seed, n_firms, n_years, n_prov, unbalanced=False):
    """Firm × year panel; firms nested in provinces; x correlated with the firm effect."""
    rng = np.random.default_rng(seed)
    rows = []
    firm_prov = rng.integers(0, n_prov, n_firms)
    firm_fe = rng.normal(0, 1, n_firms)
    year_fe = rng.normal(0, 0.5, n_years)
    prov_shock = rng.normal(0, 0.7, (n_prov, n_years))
    for f in range(n_firms):
        for t in range(n_years):
            if unbalanced and rng.random() < 0.3:
                continue
            p = firm_prov[f]
            x1 = 0.5 * firm_fe[f] + rng.normal()
            x2 = rng.normal() + 0.3 * t
            y = (
                1.0
                + 0.8 * x1
                - 0.4 * x2
                + firm_fe[f]
                + year_fe[t]
                + prov_shock[p, t]
                + rng.normal(0, 1 + 0.5 * abs(x1))
            )
            rows.append(
                {
                    "firm_id": 1000 + f,
                    "year": 2010 + t,
                    "province_code": f"{p + 1:02d}",
                    "sector_code": f"{10 + (f % 5):02d}",
                    "x1": x1,
                    "x2": x2,
                    "y": y,
                }
            )
    return pd.DataFrame(rows)


def with_singletons(seed):
    """Sector × year cells, some holding a single observation, plus a province effect."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(300):
        sector = f"{10 + rng.integers(0, 8):02d}"
        year = 2015 + int(rng.integers(0, 6))
        prov = f"{1 + rng.integers(0, 12):02d}"
        x1 = rng.normal()
        y = 2.0 + 1.5 * x1 + 0.1 * (year - 2015) + rng.normal()
        rows.append({"sector_code": sector, "year": year, "province_code": prov, "x1": x1, "y": y})
    # Cells that exist once, and a province seen once, so that singletons must be removed.
    for k in range(6):
        rows.append(
            {
                "sector_code": f"{30 + k:02d}",
                "year": 2015 + k,
                "province_code": f"{1 + k:02d}",
                "x1": rng.normal(),
                "y": rng.normal(),
            }
        )
    rows.append({"sector_code": "10", "year": 2016, "province_code": "99", "x1": 0.3, "y": 1.0})
    return pd.DataFrame(rows)


def event_panel(seed):
    """Staggered adoption: cohorts treated in 2014 and 2016, plus never-treated firms."""
    rng = np.random.default_rng(seed)
    rows = []
    for f in range(60):
        cohort = [2014, 2016, 0][f % 3]
        a = rng.normal()
        for t in range(2010, 2020):
            rel = t - cohort if cohort else -1000
            effect = 0.0 if cohort == 0 or rel < 0 else 0.5 + 0.1 * rel
            rows.append(
                {
                    "firm_id": f,
                    "year": t,
                    "province_code": f"{f % 8 + 1:02d}",
                    "cohort": cohort,
                    "rel_year": rel,
                    "treated": int(cohort != 0),
                    "y": a + 0.05 * (t - 2010) + effect + rng.normal(0, 0.5),
                }
            )
    return pd.DataFrame(rows)


def terms_panel(seed):
    """The unbalanced firm panel plus a weight column (a few zeros), a positive regressor for
    log()/sqrt(), and a three-level text factor for i()."""
    df = panel(seed, 50, 9, 7, unbalanced=True)
    rng = np.random.default_rng(seed + 100)
    n = len(df)
    df["w"] = rng.uniform(0.2, 3.0, n)
    df.loc[rng.choice(n, 5, replace=False), "w"] = 0.0
    df["x3"] = np.exp(rng.normal(0, 0.5, n))
    df["region_code"] = [f"R{1 + int(v)}" for v in rng.integers(0, 3, n)]
    df["y"] = df["y"] + 0.3 * np.log(df["x3"]) + 0.2 * df["x1"] * df["x2"]
    return df


def lag(df, col, k, unit="firm_id", time="year"):
    """fixest's l(col, k): the value k periods earlier for the same unit; missing when that
    period is not in the data (never simply the previous row)."""
    key = df[[unit, time]].copy()
    src = df[[unit, time, col]].copy()
    src[time] = src[time] + k
    merged = key.merge(src, on=[unit, time], how="left")
    return merged[col].to_numpy()


def num(v):
    """JSON has no NaN: a variance pyfixest finds negative is written as null."""
    v = float(v)
    return None if np.isnan(v) else v


def record(name, df, csv_name, formula, vcov, vcov_label, fixef_rm="singleton", weights=None,
           fit_formula=None, rename=None):
    """Fits `fit_formula` (default: `formula`) with pyfixest and writes the fixture under our
    `formula`; `rename` maps pyfixest's term names to fixest's where they differ (pyfixest is
    given precomputed columns for transforms it spells differently, e.g. log() and l())."""
    data = df
    if weights is not None:
        # fixest leaves zero-weight observations out; give pyfixest the same rows.
        data = df[df[weights] != 0]
    fit = pf.feols(
        fit_formula or formula,
        data=data,
        vcov=vcov,
        weights=weights,
        fixef_rm=fixef_rm,
        fixef_tol=FIXEF_TOL,
        fixef_maxiter=1_000_000,
    )
    tidy = fit.tidy()
    coefs = []
    for term, row in tidy.iterrows():
        coefs.append(
            {
                "term": (rename or {}).get(term, term),
                "estimate": num(row["Estimate"]),
                "std_error": num(row["Std. Error"]),
                "statistic": num(row["t value"]),
                "p_value": num(row["Pr(>|t|)"]),
                "conf_low": num(row["2.5%"]),
                "conf_high": num(row["97.5%"]),
            }
        )
    # fixest >= 0.13 makes a multiway variance with a negative diagonal positive semi-definite
    # by setting its negative eigenvalues to zero; pyfixest 0.60 does not, so the fixed
    # standard errors are worked out here with numpy from pyfixest's variance matrix.
    vmat = np.asarray(fit._vcov)
    if np.any(np.diag(vmat) < 0):
        vals, vecs = np.linalg.eigh(vmat)
        fixed = vecs @ np.diag(np.clip(vals, 0, None)) @ vecs.T
        for c, se in zip(coefs, np.sqrt(np.diag(fixed))):
            c["std_error_eigen_fixed"] = float(se)
    out = {
        "name": name,
        "data": csv_name,
        "formula": formula,
        "vcov": vcov_label,
        "fixef_rm": fixef_rm,
        "weights": weights,
        "pyfixest_version": pf.__version__,
        "nobs": int(fit._N),
        "df_t": float(fit._df_t),
        "r2": float(fit._r2),
        "r2_within": None if np.isnan(fit._r2_within) else float(fit._r2_within),
        "coefficients": coefs,
    }
    with open(os.path.join(OUT, f"{name}.json"), "w") as fh:
        json.dump(out, fh, indent=2)
        fh.write("\n")


def record_saturated(ev):
    """Sun–Abraham-style saturated event study (cohort × relative-period effects, never-treated
    controls) and its per-period aggregation with cohort-share weights."""
    m = pf.event_study(ev, yname="y", idname="firm_id", tname="year", gname="cohort",
                       estimator="saturated", cluster="province_code")
    cohort_terms = []
    for name, row in m.tidy().iterrows():
        rel, cohort = name.split("::")[1].split(":")[0], name.split("::")[2]
        cohort_terms.append({"cohort": int(cohort), "rel": int(float(rel)),
                             "estimate": num(row["Estimate"]), "std_error": num(row["Std. Error"])})
    period = []
    for rel, row in m.aggregate(agg="period").iterrows():
        period.append({"rel": int(float(rel)), "estimate": num(row["Estimate"]),
                       "std_error": num(row["Std. Error"])})
    out = {"name": "event_study_saturated", "data": "event.csv", "outcome": "y", "unit": "firm_id",
           "time": "year", "cohort": "cohort", "vcov": "cluster:province_code",
           "pyfixest_version": pf.__version__, "cohort_terms": cohort_terms, "period": period}
    with open(os.path.join(OUT, "event_study_saturated.json"), "w") as fh:
        json.dump(out, fh, indent=2)
        fh.write("\n")


def record_statsmodels(bal):
    """Clustered and HC1 standard errors of statsmodels' OLS with firm and year dummies: what
    `--ssc fixef.K=full` (every dummy counted in K, as statsmodels and Stata's areg do) must
    reproduce; statsmodels reports normal p-values for clustered fits (`dist=normal`)."""
    import statsmodels.formula.api as smf

    m = smf.ols("y ~ x1 + x2 + C(firm_id) + C(year)", data=bal)
    groups = pd.factorize(bal["province_code"])[0]
    out = {"name": "ssc_statsmodels", "data": "balanced.csv",
           "formula": "y ~ x1 + x2 | firm_id + year", "statsmodels_version": sm_version(),
           "fits": []}
    for label, ssc, kw in [
        ("cluster:province_code", "fixef.K=full,dist=normal",
         {"cov_type": "cluster", "cov_kwds": {"groups": groups}}),
        ("cluster:province_code", "fixef.K=full",
         {"cov_type": "cluster", "cov_kwds": {"groups": groups}, "use_t": True}),
        ("hetero", "fixef.K=full", {"cov_type": "HC1", "use_t": True}),
    ]:
        fit = m.fit(**kw)
        coefs = [{"term": t, "estimate": float(fit.params[t]), "std_error": float(fit.bse[t]),
                  "p_value": float(fit.pvalues[t])} for t in ["x1", "x2"]]
        out["fits"].append({"vcov": label, "ssc": ssc, "coefficients": coefs})
    with open(os.path.join(OUT, "ssc_statsmodels.json"), "w") as fh:
        json.dump(out, fh, indent=2)
        fh.write("\n")


def sm_version():
    import statsmodels

    return statsmodels.__version__


def main():
    os.makedirs(OUT, exist_ok=True)
    bal = panel(11, 40, 8, 6)
    bal.to_csv(os.path.join(OUT, "balanced.csv"), index=False, float_format="%.17g")
    unb = panel(12, 50, 9, 7, unbalanced=True)
    unb.to_csv(os.path.join(OUT, "unbalanced.csv"), index=False, float_format="%.17g")
    sing = with_singletons(13)
    sing.to_csv(os.path.join(OUT, "singletons.csv"), index=False, float_format="%.17g")
    ev = event_panel(14)
    ev.to_csv(os.path.join(OUT, "event.csv"), index=False, float_format="%.17g")

    # Read back what the CSV holds so both tools see exactly the same numbers and `_code`
    # columns stay text.
    def load(name):
        return pd.read_csv(
            os.path.join(OUT, name), dtype={"province_code": str, "sector_code": str}
        )

    bal, unb, sing, ev = load("balanced.csv"), load("unbalanced.csv"), load("singletons.csv"), load("event.csv")

    record("twofe_cluster", bal, "balanced.csv", "y ~ x1 + x2 | firm_id + year",
           {"CRV1": "province_code"}, "cluster:province_code")
    record("twoway_cluster", bal, "balanced.csv", "y ~ x1 + x2 | firm_id + year",
           {"CRV1": "firm_id+year"}, "cluster:firm_id+year")
    record("twoway_cluster_nonnested", bal, "balanced.csv", "y ~ x1 + x2 | sector_code",
           {"CRV1": "province_code+year"}, "cluster:province_code+year")
    record("iid_twofe", bal, "balanced.csv", "y ~ x1 + x2 | firm_id + year", "iid", "iid")
    record("hetero_onefe", bal, "balanced.csv", "y ~ x1 + x2 | firm_id", "hetero", "hetero")
    record("nofe_iid", bal, "balanced.csv", "y ~ x1 + x2", "iid", "iid")
    record("nofe_hetero", bal, "balanced.csv", "y ~ x1 + x2", "hetero", "hetero")
    record("nofe_cluster", bal, "balanced.csv", "y ~ x1 + x2", {"CRV1": "province_code"},
           "cluster:province_code")
    record("interacted_singletons", sing, "singletons.csv", "y ~ x1 | sector_code^year + province_code",
           {"CRV1": "province_code"}, "cluster:province_code")
    record("interacted_singletons_kept", sing, "singletons.csv",
           "y ~ x1 | sector_code^year + province_code", "iid", "iid", fixef_rm="none")
    record("unbalanced_cluster", unb, "unbalanced.csv", "y ~ x1 + x2 | firm_id + year",
           {"CRV1": "province_code"}, "cluster:province_code")
    record("unbalanced_hetero", unb, "unbalanced.csv", "y ~ x1 + x2 | firm_id + year", "hetero", "hetero")
    record("event_study", ev, "event.csv", "y ~ i(rel_year, treated, ref=-1) | firm_id + year",
           {"CRV1": "province_code"}, "cluster:province_code")
    record_saturated(ev)

    record_statsmodels(bal)

    terms = terms_panel(15)
    terms.to_csv(os.path.join(OUT, "terms.csv"), index=False, float_format="%.17g")
    terms = pd.read_csv(os.path.join(OUT, "terms.csv"),
                        dtype={"province_code": str, "sector_code": str, "region_code": str})
    fml = "y ~ x1 + x2 | firm_id + year"
    record("weights_iid", terms, "terms.csv", fml, "iid", "iid", weights="w")
    record("weights_hetero", terms, "terms.csv", fml, "hetero", "hetero", weights="w")
    record("weights_cluster", terms, "terms.csv", fml, {"CRV1": "province_code"},
           "cluster:province_code", weights="w")
    record("weights_twoway", terms, "terms.csv", fml, {"CRV1": "firm_id+year"},
           "cluster:firm_id+year", weights="w")
    record("weights_nofe", terms, "terms.csv", "y ~ x1 + x2", "hetero", "hetero", weights="w")

    cl = {"CRV1": "province_code"}
    record("term_colon", terms, "terms.csv", "y ~ x1 + x1:x2 | firm_id + year", cl,
           "cluster:province_code")
    record("term_star", terms, "terms.csv", "y ~ x1*x2 | firm_id + year", cl,
           "cluster:province_code")
    record("term_i_ref", terms, "terms.csv", "y ~ x1 + i(region_code, ref=\"R2\") | firm_id + year",
           cl, "cluster:province_code")
    record("term_i_by", terms, "terms.csv", "y ~ x2 + i(region_code, x1) | firm_id + year", cl,
           "cluster:province_code")
    record("term_i_by_ref", terms, "terms.csv",
           "y ~ x2 + i(region_code, x1, ref=\"R1\") | firm_id + year", cl, "cluster:province_code")
    # Transforms pyfixest spells differently are given to it as computed columns.
    terms["log_x3"] = np.log(terms["x3"])
    terms["x2_sq"] = terms["x2"] ** 2
    terms["lag_x1"] = lag(terms, "x1", 1)
    record("term_log_identity", terms, "terms.csv", "y ~ log(x3) + I(x2^2) + x1 | firm_id + year",
           cl, "cluster:province_code", fit_formula="y ~ log_x3 + x2_sq + x1 | firm_id + year",
           rename={"log_x3": "log(x3)", "x2_sq": "I(x2^2)"})
    record("term_lag", terms, "terms.csv", "y ~ x1 + l(x1, 1) | firm_id + year", cl,
           "cluster:province_code", fit_formula="y ~ x1 + lag_x1 | firm_id + year",
           rename={"lag_x1": "l(x1, 1)"})
    print(f"wrote fixtures with pyfixest {pf.__version__} to {os.path.normpath(OUT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
