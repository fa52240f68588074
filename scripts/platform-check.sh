#!/usr/bin/env bash
# Checks that the build's platform override resolves for the platforms ND4J 1.0.0-M2.1 publishes: Maven resolves
# g2g-layers' test classpath (which holds the ND4J CPU backend and OpenBLAS) for each, exactly as a user on that
# platform would build it. Downloads each platform's native jars once (40-90 MB each).
#   scripts/platform-check.sh [PLATFORM ...]   default: linux-arm64 macosx-x86_64 macosx-arm64 windows-x86_64
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
platforms=("$@")
[[ ${#platforms[@]} -gt 0 ]] || platforms=(linux-arm64 macosx-x86_64 macosx-arm64 windows-x86_64)
for p in "${platforms[@]}"; do
  # -Djavacpp.platform (JavaCPP's presets) and -Dnd4j.classifier (this build's backend classifier) override
  # .mvn/maven.config's linux-x86_64
  out="$(mvn -B -Djavacpp.platform="$p" -Dnd4j.classifier="$p" -pl g2g-layers dependency:resolve -DincludeScope=test \
    ${MVN_ARGS:-} 2>&1)" || { echo "$out" | tail -20 >&2; echo "platform-check: $p does not resolve" >&2; exit 1; }
  for a in "org.nd4j:nd4j-native:jar:$p:" "org.bytedeco:openblas:jar:$p:" "org.bytedeco:javacpp:jar:$p:"; do
    grep -q "$a" <<<"$out" || { echo "platform-check: $p: $a is not on the resolved classpath" >&2; exit 1; }
  done
  if grep -q "linux-x86_64" <<<"$(grep -E 'nd4j-native|openblas|javacpp' <<<"$out")"; then
    echo "platform-check: $p: a linux-x86_64 native jar is still on the classpath (override ignored)" >&2; exit 1
  fi
  echo "platform-check: $p resolves (nd4j-native, openblas, javacpp for $p)"
done
