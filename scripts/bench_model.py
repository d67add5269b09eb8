#!/usr/bin/env python3
"""Seeded generator of the model benchmark's data: an unbalanced firm × year panel.

    python3 scripts/bench_model.py OUT.parquet [ROWS]

Writes ROWS rows (default 5,000,000) with columns firm_id (int64), year (int64), province_code
(text, 63 GSO-like codes; each firm belongs to one province), x1, x2, y (float64). Firms are
observed for 5 to 10 consecutive years inside 2010–2019, so the panel is unbalanced and the
two-way demeaning has to iterate. True model:
    y = 0.5·x1 − 0.3·x2 + firm effect + year effect + province-year shock + noise.
Needs numpy and pyarrow (both come with pyfixest).
"""

import sys

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq


def main():
    out = sys.argv[1]
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 5_000_000
    rng = np.random.default_rng(20201126)
    n_firms = rows // 5 + 1
    length = rng.integers(5, 11, n_firms)
    start = rng.integers(0, 11 - length)
    ends = np.cumsum(length)
    n_firms = int(np.searchsorted(ends, rows) + 1)
    length, start = length[:n_firms], start[:n_firms]
    firm = np.repeat(np.arange(n_firms, dtype=np.int64), length)[:rows]
    offset = np.arange(len(firm)) - np.repeat(np.cumsum(length) - length, length)[:rows]
    year = (2010 + np.repeat(start, length)[:rows] + offset).astype(np.int64)
    prov_of_firm = rng.integers(0, 63, n_firms)
    prov = prov_of_firm[firm]
    codes = np.array([f"{c:02d}" for c in range(1, 64)])
    firm_fe = rng.normal(0, 1, n_firms)[firm]
    year_fe = rng.normal(0, 0.3, 10)[year - 2010]
    shock = rng.normal(0, 0.2, (63, 10))[prov, year - 2010]
    x1 = 0.3 * firm_fe + rng.normal(0, 1, rows)
    x2 = rng.normal(0, 1, rows) + 0.05 * (year - 2010)
    y = 0.5 * x1 - 0.3 * x2 + firm_fe + year_fe + shock + rng.normal(0, 1, rows)
    table = pa.table(
        {
            "firm_id": firm + 100_000,
            "year": year,
            "province_code": pa.array(codes[prov]),
            "x1": x1,
            "x2": x2,
            "y": y,
        }
    )
    pq.write_table(table, out, compression="zstd")
    print(f"wrote {rows} rows, {n_firms} firms to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
