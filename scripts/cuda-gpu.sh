# Sourced by ./g2g and scripts/gpu-check.sh: the one check of whether ND4J's CUDA backend can run on this GPU.
# nd4j-cuda-11.6 1.0.0-M2.1's kernels are machine code for compute capability 3.7 to 8.6 with no PTX (read
# off its libnd4jcuda.so; README "GPU"): a newer GPU (Hopper 9.0, Blackwell 10+) cannot run them.
# cuda_gpu_covered WHO: returns 1, saying why (prefixed with WHO), on such a GPU; 0 otherwise, also when
# nvidia-smi is missing (ND4J then names what is missing) or G2G_CUDA_ANY_GPU=1 (skips the check).
cuda_gpu_covered() {
  local who="$1" cc
  [[ "${G2G_CUDA_ANY_GPU:-0}" != 1 ]] && command -v nvidia-smi >/dev/null || return 0
  cc="$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader 2>/dev/null | head -n 1 | tr -d ' ' || true)"
  if [[ "$cc" =~ ^([0-9]+)\.[0-9]+$ ]] && (( BASH_REMATCH[1] >= 9 )); then
    echo "$who: this GPU has compute capability $cc, but ND4J's CUDA backend of DL4J 1.0.0-M2.1 (nd4j-cuda-11.6)" \
      "carries kernels for compute capability 3.7 to 8.6 only, with no PTX a newer driver could compile, so it" \
      "cannot run on this GPU (README \"GPU\"). Use --backend cpu; G2G_CUDA_ANY_GPU=1 skips this check." >&2
    return 1
  fi
  return 0
}
