#!/usr/bin/env bash
# ./g2g train --ui checked in a real browser (README, "Watch training"):
#  1. a short run (2,000 Fashion-MNIST images, 2 epochs, width 128, rewiring every 20 iterations) with --ui on a free
#     port and --stats-file, a statistics report at every iteration;
#  2. headless Chromium (Debian's chromium, driven by playwright-core from npm) loads the Overview page and checks
#     that the score chart draws one point per iteration from the page's data endpoint, that no mask parameter M
#     shows up on the Overview or Model page and that the W histogram counts the active connections only; it
#     takes screenshots (target/ui-check/ui.png, ui-model.png);
#  3. Ctrl-C (SIGINT) ends the run that keeps serving; ./g2g ui opens the --stats-file with the same points;
#     SIGTERM ends that.
# As root on Debian it installs chromium when missing; playwright-core goes to target/ui-check/node_modules.
#   bash scripts/ui-check.sh            (about a minute once built)
#   bash scripts/ui-check.sh --update-docs   (also copies the screenshots to docs/)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$(pwd)"
work="$root/target/ui-check"
rm -rf "$work/run" "$work"/*.log "$work"/*.png
mkdir -p "$work"

chromium_bin="${CHROMIUM:-/usr/bin/chromium}"
if [[ ! -x "$chromium_bin" ]]; then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null \
      || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }
  else
    echo "ui-check: no Chromium at $chromium_bin (apt-get install chromium, or set CHROMIUM)" >&2
    exit 1
  fi
fi
command -v node >/dev/null && command -v npm >/dev/null \
  || { echo "ui-check: needs node and npm (apt-get install nodejs npm) for playwright-core" >&2; exit 1; }
if [[ ! -d "$work/node_modules/playwright-core" ]]; then
  npm install --prefix "$work" --no-audit --no-fund --silent playwright-core@1.65.1 >/dev/null
fi

# job control: background jobs keep SIGINT (without it bash starts them with SIGINT ignored), so that `kill -INT`
# below acts like Ctrl-C in a terminal
set -m
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

# wait_for FILE PATTERN SECONDS PID: until a line of FILE matches, failing when PID ends first or time runs out
wait_for() {
  local file="$1" pattern="$2" seconds="$3" pid="$4"
  for ((i = 0; i < seconds * 2; i++)); do
    grep -q -- "$pattern" "$file" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { echo "ui-check: the process ended before '$pattern':" >&2; tail -n 30 "$file" >&2; return 1; }
    sleep 0.5
  done
  echo "ui-check: no '$pattern' after $seconds s:" >&2
  tail -n 30 "$file" >&2
  return 1
}

# wait_exit PID SECONDS: until the process is gone
wait_exit() {
  for ((i = 0; i < $2 * 2; i++)); do
    kill -0 "$1" 2>/dev/null || return 0
    sleep 0.5
  done
  echo "ui-check: process $1 still running $2 s after the signal" >&2
  return 1
}

start=$SECONDS
# 1. the run (the launcher builds g2g-ui first when needed; it execs java, so $! is the JVM)
# env --default-signal=INT: a shell started with SIGINT ignored (a background job of a non-interactive shell, as
# when a script starts this one with &) passes that on to its children, set -m cannot undo it, and a JVM that
# starts with SIGINT ignored never reacts to Ctrl-C; reset it for the run whose Ctrl-C is tested
env --default-signal=INT ./g2g train --ui --ui-port 0 --stats-file "$work/run/stats.dl4j" --stats-every 1 \
  --train-limit 2000 --epochs 2 --width 128 --batch 50 --dst magnitude:hebbian --rewire-every 20 \
  --checkpoint-every 0 --no-progress --out "$work/run" > "$work/train.log" 2>&1 &
train_pid=$!
pids+=("$train_pid")
wait_for "$work/train.log" "training finished; the UI keeps serving" 600 "$train_pid"
base="$(grep -o 'training UI: http://localhost:[0-9]*' "$work/train.log" | head -n 1 | sed 's/training UI: //')"
active="$(awk '$1 == "layer0" { print $3 }' "$work/train.log")"
iterations=80 # 2000 / 50 x 2 epochs
echo "ui-check: run trained in $((SECONDS - start)) s; UI at $base; layer0 has $active active connections"

# 2. the browser
PLAYWRIGHT_CORE="$work/node_modules/playwright-core" CHROMIUM="$chromium_bin" \
  node scripts/ui-check.js "$base" "$work" "$active" "$iterations"

# 3. Ctrl-C ends the serving run; the stats file opens in ./g2g ui with the same points
kill -INT "$train_pid"
wait_exit "$train_pid" 30
echo "ok: Ctrl-C stopped the run that kept serving"
./g2g ui "$work/run/stats.dl4j" --ui-port 0 > "$work/ui.log" 2>&1 &
ui_pid=$!
pids+=("$ui_pid")
wait_for "$work/ui.log" "training UI: http" 120 "$ui_pid"
base2="$(grep -o 'training UI: http://localhost:[0-9]*' "$work/ui.log" | head -n 1 | sed 's/training UI: //')"
points="$(curl -fsS "$base2/train/overview/data" | node -e \
  'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).scores.length))')"
[[ "$points" == "$iterations" ]] || { echo "ui-check: the stats file holds $points scores, not $iterations" >&2; exit 1; }
echo "ok: ./g2g ui serves the --stats-file with its $points scores"
kill -TERM "$ui_pid"
wait_exit "$ui_pid" 30
echo "ok: SIGTERM stopped ./g2g ui"

if [[ "${1:-}" == "--update-docs" ]]; then
  mkdir -p docs
  cp "$work/ui.png" "$work/ui-model.png" docs/
  echo "ui-check: screenshots copied to docs/"
fi
echo "ui-check: passed in $((SECONDS - start)) s (screenshots in $work)"
