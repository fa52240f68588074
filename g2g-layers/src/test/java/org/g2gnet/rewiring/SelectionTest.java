package org.g2gnet.rewiring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class SelectionTest {

    @Test
    void lowestAndHighestAgreeWithSorting() {
        SplittableRandom data = new SplittableRandom(1);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + data.nextInt(300);
            float[] scores = new float[n + 10];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = (float) (data.nextGaussian());
            }
            int[] cand = IntStream.range(5, 5 + n).toArray();
            int k = data.nextInt(n + 1);
            int[] low = Selection.lowest(scores, cand, k, new SplittableRandom(trial));
            int[] high = Selection.highest(scores, cand, k, new SplittableRandom(trial));
            float[] sorted = new float[n];
            for (int i = 0; i < n; i++) {
                sorted[i] = scores[cand[i]];
            }
            Arrays.sort(sorted);
            float[] gotLow = new float[k];
            float[] gotHigh = new float[k];
            for (int i = 0; i < k; i++) {
                gotLow[i] = scores[low[i]];
                gotHigh[i] = scores[high[i]];
            }
            Arrays.sort(gotLow);
            Arrays.sort(gotHigh);
            assertArrayEquals(Arrays.copyOfRange(sorted, 0, k), gotLow, 0f);
            assertArrayEquals(Arrays.copyOfRange(sorted, n - k, n), gotHigh, 0f);
            assertEquals(k, Arrays.stream(low).distinct().count());
        }
    }

    @Test
    void tiesAreBrokenBySeedReproducibly() {
        float[] scores = new float[1000];
        int[] cand = IntStream.range(0, 1000).toArray();
        int[] a = Selection.lowest(scores, cand, 100, new SplittableRandom(5));
        int[] b = Selection.lowest(scores, cand, 100, new SplittableRandom(5));
        int[] c = Selection.lowest(scores, cand, 100, new SplittableRandom(6));
        Arrays.sort(a);
        Arrays.sort(b);
        Arrays.sort(c);
        assertArrayEquals(a, b);
        assertTrue(!Arrays.equals(a, c));
        // ties are not resolved by index: the chosen entries are spread over the range
        assertTrue(a[a.length - 1] > 500, Arrays.toString(a));
    }

    @Test
    void randomChoiceIsRoughlyUniform() {
        int[] cand = IntStream.range(0, 10).toArray();
        int[] hits = new int[10];
        SplittableRandom rng = new SplittableRandom(3);
        for (int t = 0; t < 5000; t++) {
            for (int i : Selection.lowest(null, cand, 3, rng)) {
                hits[i]++;
            }
        }
        for (int h : hits) {
            assertEquals(1500, h, 150);
        }
    }

    @Test
    void negativeZeroAndNaN() {
        assertTrue(Selection.sortable(-1f) < Selection.sortable(-0f));
        assertTrue(Selection.sortable(-0f) < Selection.sortable(0f));
        assertTrue(Selection.sortable(0f) < Selection.sortable(Float.MIN_VALUE));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Selection.lowest(new float[] {1, Float.NaN, 2}, new int[] {0, 1, 2}, 1, new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("NaN"));
        assertThrows(IllegalArgumentException.class,
                () -> Selection.lowest(new float[3], new int[] {0, 1, 2}, 4, new SplittableRandom(1)));
    }
}
