package org.g2gnet.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Timing a user can trust on a shared machine: several bodies are timed interleaved (a, b, c, then b, c, a,
 * ...: the order rotates every round so that none always runs after the same neighbour), first untimed until
 * the timings settle, then for a fixed time rather than a fixed count. Each body gets its median and its
 * quartiles, and each body's speed-up against the first body is the median over rounds of the ratio of the two
 * times measured in the same round, so drift of the machine (other load, turbo, the JIT) cancels out of it.
 */
final class Timing {
    /** A row whose interquartile range exceeds this share of its median is marked as noisy. */
    static final double NOISY = 0.10;

    private Timing() {
    }

    /**
     * How long to warm up and to measure.
     *
     * @param warmupMaxSeconds longest warm-up (stops earlier when the timings settle)
     * @param measureSeconds   time to spend on timed rounds (all bodies together)
     * @param minRounds        timed rounds at least, however long they take
     * @param maxRounds        timed rounds at most
     */
    record Budget(double warmupMaxSeconds, double measureSeconds, int minRounds, int maxRounds) {
        /** Validates. */
        Budget {
            if (!(warmupMaxSeconds >= 0) || !(measureSeconds >= 0) || minRounds < 1 || maxRounds < minRounds) {
                throw new IllegalArgumentException("timing budget: warm-up and measuring times must be >= 0 and "
                        + "1 <= minRounds <= maxRounds, got " + warmupMaxSeconds + " s, " + measureSeconds + " s, "
                        + minRounds + ", " + maxRounds);
            }
        }

        /**
         * @param factor multiplies both times
         * @return this budget with longer (factor &gt; 1) or shorter times
         */
        Budget scaled(double factor) {
            return new Budget(warmupMaxSeconds * factor, measureSeconds * factor, minRounds, maxRounds);
        }
    }

    /**
     * Median and quartiles of a sample.
     *
     * @param median median
     * @param p25    first quartile
     * @param p75    third quartile
     * @param n      sample size
     */
    record Stats(double median, double p25, double p75, int n) {
        /** @return (p75 - p25) / median: the relative spread */
        double spread() {
            return median == 0 ? 0 : (p75 - p25) / Math.abs(median);
        }

        /** @return whether the spread exceeds {@link #NOISY} */
        boolean noisy() {
            return spread() > NOISY;
        }

        static Stats of(double[] values) {
            double[] s = values.clone();
            Arrays.sort(s);
            return new Stats(quantile(s, 0.5), quantile(s, 0.25), quantile(s, 0.75), s.length);
        }
    }

    /**
     * The outcome of one interleaved measurement.
     *
     * @param times        per body, milliseconds
     * @param speedups     per body, the first body's time over this body's in the same round (1 for the first)
     * @param warmupRounds untimed rounds run
     * @param settled      whether the warm-up ended because the timings settled (not because time ran out)
     */
    record Result(Stats[] times, Stats[] speedups, int warmupRounds, boolean settled) {
    }

    /**
     * Warms up until the timings settle, then times interleaved rounds for the budget's time.
     *
     * @param budget how long
     * @param bodies what to time; the first is the reference of the speed-ups
     * @return times and speed-ups
     */
    static Result interleaved(Budget budget, Runnable... bodies) {
        int n = bodies.length;
        // warm-up: settled when every body's median of its last 3 rounds is within 5% of its median of the 3
        // rounds before (at least 6 rounds), or when the warm-up time is spent
        int warm = 0;
        boolean settled = false;
        long start = System.nanoTime();
        List<double[]> history = new ArrayList<>();
        while (true) {
            history.add(round(bodies, warm));
            warm++;
            if (warm >= 6 && settled(history)) {
                settled = true;
                break;
            }
            if ((System.nanoTime() - start) / 1e9 >= budget.warmupMaxSeconds() && warm >= 2) {
                break;
            }
        }
        List<double[]> timed = new ArrayList<>();
        start = System.nanoTime();
        while (timed.size() < budget.maxRounds() && (timed.size() < budget.minRounds()
                || (System.nanoTime() - start) / 1e9 < budget.measureSeconds())) {
            timed.add(round(bodies, warm + timed.size()));
        }
        Stats[] times = new Stats[n];
        Stats[] speedups = new Stats[n];
        for (int j = 0; j < n; j++) {
            double[] t = new double[timed.size()];
            double[] r = new double[timed.size()];
            for (int i = 0; i < t.length; i++) {
                t[i] = timed.get(i)[j];
                r[i] = timed.get(i)[0] / timed.get(i)[j];
            }
            times[j] = Stats.of(t);
            speedups[j] = Stats.of(r);
        }
        return new Result(times, speedups, warm, settled);
    }

    /** One round: every body once, starting with body (round mod n). */
    private static double[] round(Runnable[] bodies, int round) {
        double[] ms = new double[bodies.length];
        for (int i = 0; i < bodies.length; i++) {
            int j = (round + i) % bodies.length;
            long t0 = System.nanoTime();
            bodies[j].run();
            ms[j] = (System.nanoTime() - t0) / 1e6;
        }
        return ms;
    }

    private static boolean settled(List<double[]> history) {
        int h = history.size();
        for (int j = 0; j < history.get(0).length; j++) {
            double[] last = new double[3];
            double[] before = new double[3];
            for (int i = 0; i < 3; i++) {
                last[i] = history.get(h - 1 - i)[j];
                before[i] = history.get(h - 4 - i)[j];
            }
            double a = median(last);
            double b = median(before);
            if (Math.abs(a - b) > 0.05 * Math.min(a, b)) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param values a sample
     * @return its median
     */
    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return quantile(s, 0.5);
    }

    /** Linear-interpolated quantile of sorted values. */
    private static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /**
     * The fixed-count form (the GEMM and rewiring benchmarks): warm-up rounds, then timed rounds, interleaved.
     *
     * @param warmup  untimed rounds
     * @param repeats timed rounds
     * @param bodies  what to time
     * @return median milliseconds of each body
     */
    static double[] interleavedMedianMs(int warmup, int repeats, Runnable... bodies) {
        for (int i = 0; i < warmup; i++) {
            round(bodies, i);
        }
        double[][] t = new double[bodies.length][Math.max(1, repeats)];
        for (int i = 0; i < t[0].length; i++) {
            double[] ms = round(bodies, warmup + i);
            for (int j = 0; j < bodies.length; j++) {
                t[j][i] = ms[j];
            }
        }
        double[] out = new double[bodies.length];
        for (int j = 0; j < out.length; j++) {
            out[j] = median(t[j]);
        }
        return out;
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
}
