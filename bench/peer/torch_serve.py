#!/usr/bin/env python3
"""The peer a DL4J user would most likely pick instead: the paper's MLP (784-Wx3-10, ReLU, softmax) in PyTorch,
timed at the batch sizes of ./g2g bench serve. Run on request (bench/peer/run.sh installs Debian's python3-torch and
libopenblas0-pthread); not part of the build or the tests. Arguments: WIDTHS BATCHES SECONDS THREADS (default: the
cores). Prints CSV: width,batch,model,median_ms,p25_ms,p75_ms,rounds.
"""
import os
import statistics
import sys
import time

import torch


def mlp(width):
    return torch.nn.Sequential(
        torch.nn.Linear(784, width), torch.nn.ReLU(),
        torch.nn.Linear(width, width), torch.nn.ReLU(),
        torch.nn.Linear(width, width), torch.nn.ReLU(),
        torch.nn.Linear(width, 10), torch.nn.Softmax(dim=1)).eval()


def main():
    widths = [int(w) for w in (sys.argv[1] if len(sys.argv) > 1 else "1024,4096").split(",")]
    batches = [int(b) for b in (sys.argv[2] if len(sys.argv) > 2 else "1,8,32,256").split(",")]
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 3.0
    # every core, as ./g2g's DL4J does (this OpenMP build starts with one thread on some machines)
    torch.set_num_threads(int(sys.argv[4]) if len(sys.argv) > 4 else os.cpu_count())
    torch.manual_seed(1)
    print(f"# torch {torch.__version__}, {torch.get_num_threads()} threads, BLAS: "
          f"{'openblas' if 'openblas' in torch.__config__.show().lower() else 'see torch.__config__.show()'}",
          file=sys.stderr)
    print("width,batch,model,median_ms,p25_ms,p75_ms,rounds")
    with torch.inference_mode():
        for w in widths:
            net = mlp(w)
            for b in batches:
                x = torch.rand(b, 784)
                end = time.perf_counter() + seconds       # warm-up as long as the timed part
                while time.perf_counter() < end:
                    net(x)
                times = []
                end = time.perf_counter() + seconds * (2 if w >= 4096 else 1)
                while time.perf_counter() < end or len(times) < 10:
                    t0 = time.perf_counter()
                    net(x)
                    times.append((time.perf_counter() - t0) * 1000)
                q = statistics.quantiles(times, n=4)
                print(f"{w},{b},torch-dense,{statistics.median(times):.4f},{q[0]:.4f},{q[2]:.4f},{len(times)}")


if __name__ == "__main__":
    main()
