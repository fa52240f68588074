package org.g2gnet.benchmarks;

import java.util.Arrays;

/** Warm-up then the median of repeated timings. */
final class Timing {
    private Timing() {
    }

    /**
     * @param warmup  untimed runs
     * @param repeats timed runs
     * @param body    what to time
     * @return median milliseconds
     */
    static double medianMs(int warmup, int repeats, Runnable body) {
        return interleavedMedianMs(warmup, repeats, body)[0];
    }

    /**
     * Times several bodies interleaved (a, b, c, a, b, c, ...) so that drift of the machine (turbo, other
     * load, JIT) affects them alike.
     *
     * @param warmup  untimed rounds
     * @param repeats timed rounds
     * @param bodies  what to time
     * @return median milliseconds of each body
     */
    static double[] interleavedMedianMs(int warmup, int repeats, Runnable... bodies) {
        for (int i = 0; i < warmup; i++) {
            for (Runnable b : bodies) {
                b.run();
            }
        }
        double[][] t = new double[bodies.length][repeats];
        for (int i = 0; i < repeats; i++) {
            for (int j = 0; j < bodies.length; j++) {
                long t0 = System.nanoTime();
                bodies[j].run();
                t[j][i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        double[] out = new double[bodies.length];
        for (int j = 0; j < bodies.length; j++) {
            out[j] = median(t[j]);
        }
        return out;
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
