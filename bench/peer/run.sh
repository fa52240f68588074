#!/usr/bin/env bash
# On request only (not run by CI or the tests): installs Debian's PyTorch with the pthread OpenBLAS (with Debian's
# default reference BLAS PyTorch is several times slower) and times the same MLP as ./g2g bench serve.
#   bash bench/peer/run.sh [WIDTHS [BATCHES [SECONDS]]] > bench/peer/torch-serve.csv
set -euo pipefail
py=/usr/bin/python3   # Debian's Python, where python3-torch installs (not a pyenv or venv python3 on PATH)
if ! "$py" -c "import torch" 2>/dev/null; then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-torch libopenblas0-pthread >&2
  else
    echo "bench/peer: PyTorch is missing; install Debian's python3-torch and libopenblas0-pthread (as root)" >&2
    exit 2
  fi
fi
exec "$py" "$(dirname "$0")/torch_serve.py" "$@"
