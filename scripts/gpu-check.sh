#!/usr/bin/env bash
# GPU check: run on a machine with an NVIDIA GPU, its driver, and (unless built with -Pcuda,cuda-redist)
# the CUDA 11.6 runtime. Uses ND4J's CUDA backend (nd4j-cuda-11.6, the newest on Maven Central for
# DL4J 1.0.0-M2.1). Writes its logs and CSV to ${OUT:-gpu-check}/.
#   scripts/gpu-check.sh [--data-dir DIR]     (DIR: Fashion-MNIST IDX files; default: the Debian location)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="${OUT:-gpu-check}"
mkdir -p "$out"
data_args=("$@")
export G2G_BACKEND=cuda
profile="${G2G_CUDA_PROFILES:--Pcuda}"

command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv | tee "$out/gpu.csv"

echo "== 1/4 gradient checks and masked-equals-dense on the GPU backend"
mvn -B -q $profile -pl g2g-layers test -Dtest='G2GLayerMathTest,G2GLayerLifecycleTest,RewiringListenerTest' \
  -Dsurefire.failIfNoSpecifiedTests=false 2>&1 | tee "$out/tests.log" | grep -E "Tests run|FAIL|ERROR" || true
grep -q "Tests run:.*Failures: 0, Errors: 0" "$out/tests.log" || { echo "gpu-check: tests failed (see $out/tests.log)"; exit 1; }
grep -q "CudaBackend\|JCublasBackend\|CUDA" "$out/tests.log" || echo "gpu-check: warning: the test log does not name the CUDA backend"

echo "== 2/4 short Fashion-MNIST G2G training with Hebbian rewiring"
G2G_MAVEN_ARGS="$profile" ./g2g train --model g2g --grouping mixer --dst hebbian:hebbian --rewire-every 20 \
  --epochs 1 --train-limit 6000 --out "$out/train" --no-progress "${data_args[@]}" 2>&1 | tee "$out/train.log"
grep -q "rewiring layer" "$out/train.log" || { echo "gpu-check: no rewiring event"; exit 1; }

echo "== 3/4 layer benchmark (dense vs G2G, ratios measured in the same run)"
G2G_MAVEN_ARGS="$profile" ./g2g bench layer --repeats 20 | tee "$out/bench-layer.csv"

echo "== 4/4 rewiring cost"
G2G_MAVEN_ARGS="$profile" ./g2g bench rewiring --repeats 20 | tee "$out/bench-rewiring.csv"
echo "gpu-check: passed; results in $out/"
