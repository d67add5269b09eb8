#!/usr/bin/env bash
# Opens a generated report in headless Chromium and checks that it loads without errors and that
# every image renders with a non-zero size; keeps a screenshot beside it.
#
#   scripts/browser_check.sh out/default/report/index.html [screenshot.png]
#
# Exit status: 0 when the page passes, 1 when it does not, 2 when chromium is missing.
set -euo pipefail

page=${1:?usage: scripts/browser_check.sh REPORT/index.html [SCREENSHOT.png]}
shot=${2:-"$(dirname "$page")/browser_check.png"}
chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
    echo "chromium not found at $chromium (apt-get install chromium)" >&2
    exit 2
fi

dir=$(cd "$(dirname "$page")" && pwd)
probe="$dir/.browser_probe.html"
profile=$(mktemp -d)
trap 'rm -rf "$profile" "$probe"' EXIT

# A copy of the page with a probe: errors are collected from the start; on load one line with
# the number of images, those without a rendered size, and the errors is written into the page.
head_probe="<script>window.__errors=[];window.addEventListener('error',function(e){window.__errors.push(String(e.message||(e.target&&e.target.src)||e.type).slice(0,120))},true);</script>"
body_probe="<script>window.addEventListener('load',function(){var imgs=Array.from(document.images);var bad=imgs.filter(function(i){var r=i.getBoundingClientRect();return !(i.complete&&i.naturalWidth>0&&r.width>0&&r.height>0)});var p=document.createElement('pre');p.id='probe';p.textContent='PROBE images='+imgs.length+' bad='+bad.length+' errors='+window.__errors.length+' '+window.__errors.join('|');document.body.appendChild(p);});</script>"
# Plain string replacement ('&' must stay literal).
shopt -u patsub_replacement 2>/dev/null || true
html=$(cat "$page")
html=${html/<head>/<head>$head_probe}
html=${html/<\/body>/$body_probe<\/body>}
printf '%s\n' "$html" > "$probe"

flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
       --disable-background-networking --disable-component-update --disable-sync
       --disable-dev-shm-usage --virtual-time-budget=10000 "--user-data-dir=$profile")

result=$(timeout 120 "$chromium" "${flags[@]}" --dump-dom "file://$probe" 2>/dev/null \
    | grep -o '<pre id="probe">[^<]*' | sed 's/<pre id="probe">//' || true)
timeout 120 "$chromium" "${flags[@]}" --window-size=1280,2400 "--screenshot=$shot" \
    "file://$dir/$(basename "$page")" >/dev/null 2>&1 || true

echo "${result:-PROBE did not run}"
echo "screenshot: $shot"
case "$result" in
    *"images="*" bad=0 errors=0"*) ;;
    *) exit 1 ;;
esac
case "$result" in
    "PROBE images=0 "*) echo "no images in the page" >&2; exit 1 ;;
esac
