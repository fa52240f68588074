package org.g2gnet.rewiring;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Selection of the k lowest- (or highest-) scored candidates in O(n), with ties broken by a seeded RNG.
 *
 * <p>Written by hand, on primitive arrays, because selection runs over up to millions of entries per
 * rewiring event: sorting boxed values took about 1 s for 1M entries on the reference machine, and no
 * library on our classpath offers an index-returning primitive quickselect. The scores are mapped to
 * order-preserving ints, a quickselect finds the k-th value t, every candidate strictly below t is taken,
 * and the remaining places go to candidates equal to t chosen uniformly at random (partial Fisher-Yates).
 * The result is a pure function of the scores and the RNG.</p>
 */
public final class Selection {
    private Selection() {
    }

    /**
     * The k candidates with the lowest scores.
     *
     * @param scores     score of every entry (indexed by entry), or null for a uniformly random choice
     * @param candidates the entries to choose from (not modified)
     * @param k          how many to choose, in [0, candidates.length]
     * @param rng        tie-breaking randomness
     * @return the chosen entries, in no particular order
     */
    public static int[] lowest(float[] scores, int[] candidates, int k, SplittableRandom rng) {
        return select(scores, candidates, k, rng, false);
    }

    /**
     * The k candidates with the highest scores.
     *
     * @param scores     score of every entry, or null for a uniformly random choice
     * @param candidates the entries to choose from (not modified)
     * @param k          how many to choose
     * @param rng        tie-breaking randomness
     * @return the chosen entries
     */
    public static int[] highest(float[] scores, int[] candidates, int k, SplittableRandom rng) {
        return select(scores, candidates, k, rng, true);
    }

    private static int[] select(float[] scores, int[] candidates, int k, SplittableRandom rng, boolean highest) {
        int n = candidates.length;
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("Selection: k must be in [0, " + n + "], got " + k);
        }
        if (scores == null) {
            return randomSubset(candidates.clone(), n, k, rng);
        }
        int[] keys = new int[n];
        for (int j = 0; j < n; j++) {
            float s = scores[candidates[j]];
            if (Float.isNaN(s)) {
                throw new IllegalArgumentException("Selection: score of entry " + candidates[j] + " is NaN");
            }
            keys[j] = highest ? ~sortable(s) : sortable(s);
        }
        if (k == 0) {
            return new int[0];
        }
        int[] work = keys.clone();
        quickselect(work, k - 1, rng);
        int threshold = work[k - 1];
        int[] out = new int[k];
        int taken = 0;
        int tied = 0;
        for (int j = 0; j < n; j++) {
            if (keys[j] < threshold) {
                out[taken++] = candidates[j];
            } else if (keys[j] == threshold) {
                tied++;
            }
        }
        int[] ties = new int[tied];
        for (int j = 0, t = 0; j < n; j++) {
            if (keys[j] == threshold) {
                ties[t++] = candidates[j];
            }
        }
        int[] chosen = randomSubset(ties, tied, k - taken, rng);
        System.arraycopy(chosen, 0, out, taken, chosen.length);
        return out;
    }

    /** The first m entries of a partial Fisher-Yates shuffle of a[0..n). Modifies a. */
    private static int[] randomSubset(int[] a, int n, int m, SplittableRandom rng) {
        for (int i = 0; i < m; i++) {
            int j = i + rng.nextInt(n - i);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return Arrays.copyOf(a, m);
    }

    /** An int whose signed order is the float's numeric order (-0 sorts just below +0). */
    static int sortable(float f) {
        int i = Float.floatToIntBits(f);
        return i ^ ((i >> 31) & 0x7FFFFFFF);
    }

    /** Rearranges a so that a[k] holds the value it would have in sorted order. */
    static void quickselect(int[] a, int k, SplittableRandom rng) {
        int lo = 0;
        int hi = a.length - 1;
        while (hi > lo) {
            int pivot = a[lo + rng.nextInt(hi - lo + 1)];
            // three-way partition: [lo, lt) < pivot, [lt, i) == pivot, (gt, hi] > pivot
            int lt = lo;
            int gt = hi;
            int i = lo;
            while (i <= gt) {
                int v = a[i];
                if (v < pivot) {
                    a[i++] = a[lt];
                    a[lt++] = v;
                } else if (v > pivot) {
                    a[i] = a[gt];
                    a[gt--] = v;
                } else {
                    i++;
                }
            }
            if (k < lt) {
                hi = lt - 1;
            } else if (k > gt) {
                lo = gt + 1;
            } else {
                return;
            }
        }
    }
}
