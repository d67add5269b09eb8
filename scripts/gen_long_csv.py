"""Writes a long funding CSV with canonical headers for the ingest benchmark.

    python3 scripts/gen_long_csv.py OUT.csv [ROWS]

Deterministic (a fixed linear congruential generator, standard library only), so every run and
every machine benchmarks the same bytes. Columns are those of `kcdp_projects.csv`:
year,province_code,sector_code,activity,source,amount_mvnd,planned_mvnd,project_id,beneficiary.
Project ids are unique, so the validator keeps every row.
"""
import sys

PROVINCES = ("01 02 04 06 08 10 11 12 14 15 17 19 20 22 24 25 26 27 30 31 33 34 35 36 37 38 40 42 "
             "44 45 46 48 49 51 52 54 56 58 60 62 64 66 67 68 70 72 74 75 77 79 80 82 83 84 86 87 "
             "89 91 92 93 94 95 96").split()
SECTORS = "10 11 13 14 15 16 17 18 20 22 23 24 25 26 27 28 29 31 32 33".split()
ACTIVITIES = ("demonstration machinery training management trade_promotion consulting conference "
              "information other").split()
SOURCES = ("national", "local")


def main() -> None:
    out = sys.argv[1]
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 5_000_000
    state = 20201126
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write("year,province_code,sector_code,activity,source,amount_mvnd,planned_mvnd,"
                "project_id,beneficiary\n")
        buf = []
        for i in range(rows):
            state = (state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
            r = state >> 16
            year = 2012 + r % 13
            p = PROVINCES[(r >> 4) % 63]
            s = SECTORS[(r >> 10) % 20]
            a = ACTIVITIES[(r >> 15) % 9]
            src = SOURCES[(r >> 19) & 1]
            tenths = 400 + (r >> 20) % 30000
            planned = tenths + (r >> 35) % 500
            buf.append(f"{year},{p},{s},{a},{src},{tenths // 10}.{tenths % 10},"
                       f"{planned // 10}.{planned % 10},B-{i:08d},Cơ sở {(r >> 40) % 5000}\n")
            if len(buf) == 100_000:
                f.write("".join(buf))
                buf.clear()
        f.write("".join(buf))


if __name__ == "__main__":
    main()
