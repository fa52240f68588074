#!/usr/bin/env bash
# The screening grid of Hebbian rewiring variants (issue 9): the paper network on all of Fashion-MNIST for
# 6 epochs (cosine learning rate over those 6 epochs), rewiring every 300 iterations (4 events), seed 1.
# Every run writes metrics.csv, events.csv and probes.csv under ${OUT:-runs/dst-grid}/<name>/; the summary
# (final and best test accuracy, accuracy drop at each event) goes to ${OUT}/grid.csv.
#   scripts/dst-grid.sh [extra ./g2g train options, e.g. --data-dir DIR]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="${OUT:-runs/dst-grid}"
g2g="${G2G:-./g2g}"
mkdir -p "$out"
common=(--model g2g --grouping mixer --epochs 6 --rewire-every 300 --rewire-fraction 0.1 --seed 1 --no-progress
        --checkpoint-every 0 "$@")
run() {
  local name="$1"; shift
  if [[ -f "$out/$name/metrics.csv" && $(wc -l < "$out/$name/metrics.csv") -ge 7 ]]; then
    echo "grid: $name done already"; return
  fi
  echo "grid: $name: $*"
  "$g2g" train "${common[@]}" --out "$out/$name" "$@" > "$out/$name.log" 2>&1 || { echo "grid: $name failed"; tail -3 "$out/$name.log"; }
}
run static            --dst none
run paper             --dst hebbian:hebbian
run set               --dst magnitude:random
run mag-hebb          --dst magnitude:hebbian
run hebb-prefilter    --dst hebbian:hebbian --prune-prefilter 0.3
run centered          --dst hebbian:hebbian --hebbian centered
run hebbmag-hebb      --dst hebbian-magnitude:hebbian
run mag-hebb-cos75    --dst magnitude:hebbian --rewire-schedule cosine --rewire-stop 75%
run hebb-ema          --dst hebbian:hebbian --hebbian-average 0.9:20
run mag-grad          --dst magnitude:gradient

# summary: final and best accuracy, and the mean test-accuracy change at events
echo "name,final_accuracy,best_accuracy,events,mean_event_accuracy_change,worst_event_accuracy_change" > "$out/grid.csv"
for d in "$out"/*/; do
  name=$(basename "$d")
  [[ -f "$d/metrics.csv" ]] || continue
  fin=$(tail -n 1 "$d/metrics.csv" | cut -d, -f4)
  best=$(tail -n +2 "$d/metrics.csv" | cut -d, -f4 | sort -g | tail -n 1)
  if [[ -f "$d/probes.csv" ]]; then
    ev=$(awk -F, 'NR>1 {d=$6-$5; s+=d; n++; if (n==1||d<w) w=d} END {if (n) printf "%d,%.4f,%.4f", n, s/n, w; else printf "0,,"}' "$d/probes.csv")
  else
    ev="0,,"
  fi
  echo "$name,$fin,$best,$ev" >> "$out/grid.csv"
done
column -s, -t "$out/grid.csv"
