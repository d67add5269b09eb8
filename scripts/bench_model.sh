#!/usr/bin/env bash
# Model benchmark: 5,000,000-row firm panel, y ~ x1 + x2 | firm_id + year, clustered by
# province, read from Parquet, whole process timed with /usr/bin/time -v, for khuyencong and
# for pyfixest on the same file in the same session.
#
#   PYTHON=/path/to/venv/bin/python scripts/bench_model.sh [ROWS] [WORKDIR]
#
# PYTHON must have pyfixest (0.60), numpy and pyarrow. The release binary is built first unless
# KHUYENCONG_BIN names a binary to time instead.
# Prints wall time and peak memory (maximum resident set size) of both, and both answers.
set -euo pipefail
ROWS="${1:-5000000}"
WORK="${2:-${TMPDIR:-/tmp}/khuyencong-bench}"
PYTHON="${PYTHON:-python3}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$WORK"
DATA="$WORK/panel_${ROWS}.parquet"

if [ ! -f "$DATA" ]; then
    "$PYTHON" "$ROOT/scripts/bench_model.py" "$DATA" "$ROWS"
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

# Warm the page cache so neither tool pays for the first read.
cat "$DATA" > /dev/null
run khuyencong "$BIN" model --data "$DATA" --formula "y ~ x1 + x2 | firm_id + year" \
    --vcov cluster:province_code --format json
run pyfixest "$PYTHON" "$ROOT/scripts/bench_model_pyfixest.py" "$DATA"
echo "--- khuyencong"; cat "$WORK/khuyencong.out"
echo "--- pyfixest"; cat "$WORK/pyfixest.out"
"$PYTHON" - "$WORK/khuyencong.out" "$WORK/pyfixest.out" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for ca, cb in zip(a["coefficients"], b["coefficients"]):
    for f in ("estimate", "std_error"):
        rel = abs(ca[f] - cb[f]) / abs(cb[f])
        print(f"{ca['term']:>4} {f:<9} relative difference {rel:.1e}")
PY
