package org.g2gnet.rewiring;

import java.util.SplittableRandom;

/**
 * Selection of the k lowest-scored candidates in O(n), with ties broken by a seeded RNG.
 *
 * <p>Written by hand, on primitive arrays, because selection runs over up to millions of entries per
 * rewiring event: sorting boxed values took about 1 s for 1M entries on the reference machine, and no
 * library on our classpath offers an index-returning primitive quickselect. Each candidate gets a 64-bit
 * key: the order-preserving integer image of its score in the high half, its position in a random
 * permutation of the candidates in the low half. Keys are unique, so the selection is a pure function of
 * the scores and the RNG.</p>
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
        int[] shuffled = candidates.clone();
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = t;
        }
        if (scores == null || k == 0 || k == n) {
            return java.util.Arrays.copyOf(shuffled, k);
        }
        long[] keys = new long[n];
        for (int j = 0; j < n; j++) {
            float s = scores[shuffled[j]];
            if (Float.isNaN(s)) {
                throw new IllegalArgumentException("Selection: score of entry " + shuffled[j] + " is NaN");
            }
            int bits = sortable(s);
            if (highest) {
                bits = ~bits;
            }
            keys[j] = ((long) bits << 32) | (j & 0xFFFFFFFFL);
        }
        quickselect(keys, k, rng);
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = shuffled[(int) (keys[i] & 0xFFFFFFFFL)];
        }
        return out;
    }

    /** An int whose signed order is the float's numeric order (-0 sorts just below +0). */
    static int sortable(float f) {
        int i = Float.floatToIntBits(f);
        return i ^ ((i >> 31) & 0x7FFFFFFF);
    }

    /** Rearranges keys so that the k smallest occupy [0, k). */
    static void quickselect(long[] a, int k, SplittableRandom rng) {
        int lo = 0;
        int hi = a.length - 1;
        while (lo < hi) {
            long pivot = a[lo + rng.nextInt(hi - lo + 1)];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    long t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            // now [lo, j] <= pivot <= [i, hi]
            if (k - 1 <= j) {
                hi = j;
            } else if (k - 1 >= i) {
                lo = i;
            } else {
                return;
            }
        }
    }
}
