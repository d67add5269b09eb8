"""The reference for the ingest benchmark: Python polars' own CSV reader and Parquet writer.

    python3 scripts/bench_ingest_polars.py IN.csv OUT.parquet

Codes are read as text (as khuyencong does: "01" stays "01"); Parquet with zstd, as khuyencong
writes it.
"""
import sys

import polars as pl

df = pl.read_csv(
    sys.argv[1],
    schema_overrides={"province_code": pl.String, "sector_code": pl.String, "year": pl.Int32},
)
df.write_parquet(sys.argv[2], compression="zstd")
print(f"{df.height} rows -> {sys.argv[2]}")
