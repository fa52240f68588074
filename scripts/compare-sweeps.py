#!/usr/bin/env python3
"""Two sweeps' G2G rows side by side, per density: mean ± std of the final test accuracy over seeds and Welch's p.

    python3 scripts/compare-sweeps.py results/sweep-full/sweep.csv results/sweep-auto/sweep.csv

A one-off for docs/RESULTS.md ("Against the first rule"); `./g2g sweep` reports one sweep, and this table needs
two. Needs SciPy (Debian: python3-scipy).
"""
import csv
import statistics as st
import sys

from scipy.stats import ttest_ind


def load(path):
    """(model, density) -> (G, the seeds' final test accuracies), for the G2G rows at 100% of the images."""
    out = {}
    for r in csv.DictReader(open(path)):
        if r['train_fraction'] == '1' and r['model'].startswith('g2g'):
            out.setdefault((r['model'], r['density']), (r['groups'], []))[1].append(float(r['final_test_accuracy']))
    return out


first, second = load(sys.argv[1]), load(sys.argv[2])
print('| density | model | first (G) | second (G) | difference | p |')
print('|---|---|---|---|---|---|')
for key in sorted(k for k in first if k in second):
    (ga, a), (gb, b) = first[key], second[key]
    p = ttest_ind(b, a, equal_var=False).pvalue
    print(f"| {key[1]} | {key[0]} | {st.mean(a):.4f} ± {st.stdev(a):.4f} ({ga}) | "
          f"{st.mean(b):.4f} ± {st.stdev(b):.4f} ({gb}) | {st.mean(b) - st.mean(a):+.4f} "
          f"| {p:.3f} |")
