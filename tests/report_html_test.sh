#!/bin/sh
# Renders `bounce report --html` in headless Chromium (Debian's chromium
# package): the page must load without errors and draw its charts.
# usage: report_html_test.sh BOUNCE SAMPLE_DIR WORKDIR   (exit 77 = skipped)
set -eu
bounce=$1 samples=$2 work=$3
command -v chromium >/dev/null 2>&1 || { echo "chromium not installed: skipped"; exit 77; }
mkdir -p "$work"
"$bounce" report --year 2025 --html "$work/report.html" "$samples"/mail.log* > /dev/null 2>&1
run_chromium() {
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --user-data-dir="$work/profile" "$@" "file://$work/report.html"
}
run_chromium --dump-dom > "$work/dom.html" 2> "$work/chromium.log"
# Errors of the page itself (console errors, failed loads), not of the sandbox's D-Bus.
if grep -E "Uncaught|ERR_|Failed to load|CONSOLE.*error" "$work/chromium.log"; then
  echo "the page logged errors"; exit 1
fi
charts=$(grep -o "<svg" "$work/dom.html" | wc -l)
bars=$(grep -o "<rect" "$work/dom.html" | wc -l)
echo "rendered: $charts charts, $bars bars"
[ "$charts" -ge 5 ] || { echo "expected at least 5 charts"; exit 1; }
[ "$bars" -ge 30 ] || { echo "expected the charts to draw bars"; exit 1; }
grep -q "Listed on spamhaus" "$work/dom.html" || { echo "findings missing"; exit 1; }
run_chromium --screenshot="$work/report.png" --window-size=1100,2000 > /dev/null 2>&1
size=$(wc -c < "$work/report.png")
[ "$size" -gt 20000 ] || { echo "screenshot too small ($size bytes): nothing drawn"; exit 1; }
echo "ok: screenshot $work/report.png ($size bytes)"
