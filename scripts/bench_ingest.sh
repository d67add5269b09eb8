#!/usr/bin/env bash
# Ingest benchmark: a 5,000,000-row long funding CSV to Parquet, whole process timed with
# /usr/bin/time -v, for `khuyencong ingest` and for Python polars' read_csv + write_parquet on the
# same file in the same session. The target (issue 4): khuyencong at most 1.2 x polars' wall time.
#
#   PYTHON=/path/to/venv/bin/python scripts/bench_ingest.sh [ROWS] [WORKDIR]
#
# PYTHON must have polars. The release binary is built first unless KHUYENCONG_BIN names one. Prints wall time and peak memory
# (maximum resident set size) of both, and the summary line of each.
set -euo pipefail
ROWS="${1:-5000000}"
WORK="${2:-${TMPDIR:-/tmp}/khuyencong-bench-ingest}"
PYTHON="${PYTHON:-python3}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$WORK"
DATA="$WORK/funding_${ROWS}.csv"

if [ ! -f "$DATA" ]; then
    python3 "$ROOT/scripts/gen_long_csv.py" "$DATA" "$ROWS"
fi
if [ -z "${KHUYENCONG_BIN:-}" ]; then
    (cd "$ROOT" && cargo build --release --locked --bin khuyencong)
fi
BIN="${KHUYENCONG_BIN:-$ROOT/target/release/khuyencong}"

run() { # name, command...
    local name="$1"; shift
    /usr/bin/time -v "$@" > "$WORK/$name.out" 2> "$WORK/$name.time"
    local wall rss
    wall=$(grep "Elapsed (wall clock)" "$WORK/$name.time" | awk '{print $NF}')
    rss=$(grep "Maximum resident set size" "$WORK/$name.time" | awk '{print $NF}')
    printf '%-10s wall %s   peak RSS %.0f MiB\n' "$name" "$wall" "$(echo "$rss / 1024" | bc -l)"
}

# Warm the page cache so neither tool pays for the first read; run each twice, report both.
cat "$DATA" > /dev/null
for round in 1 2; do
    echo "round $round"
    rm -f "$WORK/khuyencong.parquet" "$WORK/polars.parquet"
    run khuyencong "$BIN" ingest "$DATA" --kind funding --out "$WORK/khuyencong.parquet"
    run polars "$PYTHON" "$ROOT/scripts/bench_ingest_polars.py" "$DATA" "$WORK/polars.parquet"
done
echo "--- khuyencong"; cat "$WORK/khuyencong.out"
echo "--- polars"; cat "$WORK/polars.out"
