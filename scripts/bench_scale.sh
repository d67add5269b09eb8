#!/usr/bin/env bash
# Single-machine limits for docs/SCALE.md: at 1, 5 and 10 million rows, the wall time and peak
# memory of (1) `khuyencong ingest` of a long funding CSV, (2) a whole pipeline run whose funding
# file has that many rows (ingest, validation and the panel stage timed from the manifest; the
# output table is the bundled sample's), (3) `khuyencong model` on a firm panel of that many
# rows (y ~ x1 + x2 | firm_id + year, clustered by province), (4) the same model with a third
# fixed effect, province_code^year (a firm panel's usual three). Each measured three times; the
# median is printed, with rows per second, as the Markdown table docs/SCALE.md quotes.
#
#   PYTHON=.venv/bin/python scripts/bench_scale.sh [WORKDIR]
#
# PYTHON needs numpy and pyarrow (notebooks/requirements.txt). The release binary is built first
# unless KHUYENCONG_BIN names one. SIZES="1000000 5000000" limits the sizes; the whole-pipeline
# job runs only up to PIPELINE_MAX rows (default 2,000,000: its indicators stage is the slow
# part, see docs/SCALE.md).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${1:-${TMPDIR:-/tmp}/khuyencong-bench-scale}"
PYTHON="${PYTHON:-python3}"
SIZES="${SIZES:-1000000 5000000 10000000}"
PIPELINE_MAX="${PIPELINE_MAX:-2000000}"
mkdir -p "$WORK"
if [ -z "${KHUYENCONG_BIN:-}" ]; then
    (cd "$ROOT" && cargo build --release --locked --bin khuyencong)
fi
BIN="${KHUYENCONG_BIN:-$ROOT/target/release/khuyencong}"

# time_it NAME command... -> appends "wall_seconds rss_kib" to $WORK/NAME.times
time_it() {
    local name="$1"; shift
    /usr/bin/time -f "%e %M" -o "$WORK/$name.last" "$@" > "$WORK/$name.out" 2> "$WORK/$name.err" \
        || { echo "$name failed:"; cat "$WORK/$name.err"; exit 1; }
    cat "$WORK/$name.last" >> "$WORK/$name.times"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "| job | rows | wall (median of 3) | rows per second | peak memory |"
echo "|---|---:|---:|---:|---:|"
for ROWS in $SIZES; do
    CSV="$WORK/funding_${ROWS}.csv"
    PANEL="$WORK/firms_${ROWS}.parquet"
    [ -f "$CSV" ] || python3 "$ROOT/scripts/gen_long_csv.py" "$CSV" "$ROWS"
    [ -f "$PANEL" ] || "$PYTHON" "$ROOT/scripts/bench_model.py" "$PANEL" "$ROWS"
    cat > "$WORK/p_${ROWS}.toml" <<EOF
name = "scale-${ROWS}"
synthetic = true
[[sources]]
kind = "funding"
path = "$CSV"
[[sources]]
kind = "output"
path = "$ROOT/data/sample/rural_output_by_sector.csv"
[models]
bootstrap_draws = 999
EOF
    rm -f "$WORK"/*_"$ROWS".times "$WORK/stages_${ROWS}.txt"
    cat "$CSV" "$PANEL" > /dev/null
    for round in 1 2 3; do
        rm -f "$WORK/ingest.parquet"
        time_it "ingest_${ROWS}" "$BIN" ingest "$CSV" --kind funding --out "$WORK/ingest.parquet"
        if [ "$ROWS" -le "$PIPELINE_MAX" ]; then
            time_it "pipeline_${ROWS}" "$BIN" run "$WORK/p_${ROWS}.toml" --out "$WORK/out_${ROWS}" --force -q
            "$PYTHON" - "$WORK/out_${ROWS}/manifest.json" >> "$WORK/stages_${ROWS}.txt" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
s = {e["name"]: e["seconds"] for e in m["stages"]}
print(s["ingest"] + s["validate"] + s["panel"], s["indicators"])
PY
        fi
        time_it "model_${ROWS}" "$BIN" model --data "$PANEL" --formula "y ~ x1 + x2 | firm_id + year" \
            --vcov cluster:province_code --format json
        time_it "model3_${ROWS}" "$BIN" model --data "$PANEL" \
            --formula "y ~ x1 + x2 | firm_id + year + province_code^year" \
            --vcov cluster:province_code --format json
    done
    for job in ingest pipeline model model3; do
        [ -f "$WORK/${job}_${ROWS}.times" ] || continue
        wall=$(cut -d' ' -f1 "$WORK/${job}_${ROWS}.times" | median)
        rss=$(cut -d' ' -f2 "$WORK/${job}_${ROWS}.times" | median)
        label="$job"
        [ "$job" = pipeline ] && label="pipeline run (all stages)"
        [ "$job" = model3 ] && label="model, three fixed effects"
        printf '| %s | %s | %.2f s | %s | %.0f MiB |\n' "$label" "$ROWS" "$wall" \
            "$(awk -v r="$ROWS" -v w="$wall" 'BEGIN {printf "%.2f M", r / w / 1e6}')" \
            "$(echo "$rss / 1024" | bc -l)"
    done
    if [ -f "$WORK/stages_${ROWS}.txt" ]; then
        staged=$(cut -d' ' -f1 "$WORK/stages_${ROWS}.txt" | median)
        indicators=$(cut -d' ' -f2 "$WORK/stages_${ROWS}.txt" | median)
        printf '| of which ingest + validate + panel | %s | %.2f s | %s | — |\n' "$ROWS" "$staged" \
            "$(awk -v r="$ROWS" -v w="$staged" 'BEGIN {printf "%.2f M", r / w / 1e6}')"
        printf '| of which indicators | %s | %.2f s | %s | — |\n' "$ROWS" "$indicators" \
            "$(awk -v r="$ROWS" -v w="$indicators" 'BEGIN {printf "%.2f M", r / w / 1e6}')"
    fi
done
