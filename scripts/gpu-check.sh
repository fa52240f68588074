#!/usr/bin/env bash
# GPU check: run on a machine with an NVIDIA GPU of compute capability 3.7 to 8.x, its driver, and (unless
# G2G_CUDA_PROFILES=-Pcuda,cuda-redist) the CUDA 11.6 libraries. Uses ND4J's CUDA backend (nd4j-cuda-11.6,
# the newest on Maven Central for DL4J 1.0.0-M2.1; README "GPU"). Writes its logs and CSV to ${OUT:-gpu-check}/.
#   scripts/gpu-check.sh [--dry-run] [--data-dir DIR]   (DIR: Fashion-MNIST IDX files; default: Debian's)
# --dry-run runs every step on the CPU backend instead, to check this script on a machine without a GPU.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="${OUT:-gpu-check}"
mkdir -p "$out"
dry=0
if [[ "${1:-}" == "--dry-run" ]]; then dry=1; shift; fi
data_args=("$@")

fail() { echo "gpu-check: FAILED: $*" >&2; exit 1; }

if [[ $dry == 1 ]]; then
  export G2G_BACKEND=cpu
  profile=""
  backend_class="CpuBackend"
  echo "gpu-check: dry run on the CPU backend (nothing here says anything about a GPU)"
else
  export G2G_BACKEND=cuda
  profile="${G2G_CUDA_PROFILES:--Pcuda}"
  backend_class="JCublasBackend"
  command -v nvidia-smi >/dev/null || { echo "gpu-check: nvidia-smi not found: no NVIDIA driver here" >&2; exit 3; }
  nvidia-smi --query-gpu=name,compute_cap,driver_version,memory.total --format=csv | tee "$out/gpu.csv"
  source scripts/cuda-gpu.sh
  cuda_gpu_covered gpu-check || exit 3
fi

echo "== 1/4 gradient checks, masked = dense, structured = masked, no host copies per iteration, workspaces"
tests='G2GLayerMathTest,G2GLayerLifecycleTest,StructuredLayerTest,RewiringListenerTest,HostTransferTest,WorkspaceUseTest'
if ! mvn -B $profile -pl g2g-layers test -Dtest="$tests" -Dsurefire.failIfNoSpecifiedTests=false \
    > "$out/tests.log" 2>&1; then
  grep -E "Tests run:|FAIL|ERROR" "$out/tests.log" | tail -n 20 >&2
  fail "tests (log: $out/tests.log)"
fi
grep -q "Loaded \[$backend_class\] backend" "$out/tests.log" || fail "the tests did not run on $backend_class"
grep -E "^\[INFO\] Tests run:|^\[WARNING\] Tests run:" "$out/tests.log" | tail -n 1

echo "== 2/4 short Fashion-MNIST G2G training with Hebbian rewiring"
G2G_MAVEN_ARGS="$profile" ./g2g train --model g2g --grouping mixer --dst hebbian:hebbian --rewire-every 20 \
  --epochs 1 --train-limit 6000 --out "$out/train" --no-progress "${data_args[@]}" 2>&1 | tee "$out/train.log"
grep -q "rewiring layer" "$out/train.log" || fail "no rewiring event in the training run"
grep -q "test accuracy" "$out/train.log" || fail "the training run printed no test accuracy"

echo "== 3/4 layer benchmark (dense vs G2G, ratios measured in the same run)"
G2G_MAVEN_ARGS="$profile" ./g2g bench layer --repeats 20 | tee "$out/bench-layer.csv"
[[ $(grep -c ',train,' "$out/bench-layer.csv") -ge 3 ]] || fail "bench layer wrote no train rows"

echo "== 4/4 rewiring cost"
G2G_MAVEN_ARGS="$profile" ./g2g bench rewiring --repeats 20 | tee "$out/bench-rewiring.csv"
echo "gpu-check: passed; results in $out/"
