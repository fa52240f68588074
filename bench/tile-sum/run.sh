#!/usr/bin/env bash
# The backward tile sum's two ways (docs/PERFORMANCE.md, "The backward tile sum"); after a build (./g2g --version).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out=$(mktemp -d)
cp="g2g-layers/target/classes:g2g-cli/target/lib/*"
javac -d "$out" -cp "$cp" bench/tile-sum/TileSumBench.java
echo "width,groups,density,tile,slots,rounds,in_place_ms,rounds_ms"
for cfg in "1024 8 0.25" "1024 16 0.1" "1024 32 0.05" "4096 8 0.25"; do
  OMP_NUM_THREADS=1 java -cp "$out:$cp" org.g2gnet.layers.TileSumBench $cfg 2>/dev/null | tail -1
done
