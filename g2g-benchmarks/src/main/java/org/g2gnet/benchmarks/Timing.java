package org.g2gnet.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Timing a user can trust on a shared machine: several bodies are timed interleaved (a, b, c, then b, c, a,
 * ...: the order rotates every round so that none always runs after the same neighbour), first untimed until
 * the timings settle, then for a fixed time rather than a fixed count. Each body gets its median and its
 * quartiles, and each body's speed-up against the first body is the median over rounds of the ratio of the two
 * times measured in the same round, so drift of the machine (other load, turbo, the JIT) cancels out of it.
 * Beside the wall time each body's CPU time (all threads of the process, {@link ProcessCpu}) is measured the
 * same way: when other jobs compete for the cores it stays stable where the wall time does not, but it counts
 * work, not latency (a pass on two cores counts twice), so its ratios are not wall-clock speed-ups.
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
     * @param cpu          per body, CPU milliseconds of the process (NaN where they cannot be read)
     * @param cpuSpeedups  per body, the first body's CPU time over this body's in the same round
     * @param warmupRounds untimed rounds run
     * @param settled      whether the warm-up ended because the timings settled (not because time ran out)
     */
    record Result(Stats[] times, Stats[] speedups, Stats[] cpu, Stats[] cpuSpeedups, int warmupRounds,
                  boolean settled) {
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
        Clock clock = new Clock();
        // warm-up: settled when every body's median of its last 3 rounds is within 5% of its median of the 3
        // rounds before (at least 6 rounds), or when the warm-up time is spent
        int warm = 0;
        boolean settled = false;
        long start = System.nanoTime();
        List<double[]> history = new ArrayList<>();
        while (true) {
            history.add(round(bodies, warm, clock)[0]);
            warm++;
            if (warm >= 6 && settled(history)) {
                settled = true;
                break;
            }
            if ((System.nanoTime() - start) / 1e9 >= budget.warmupMaxSeconds() && warm >= 2) {
                break;
            }
        }
        List<double[][]> timed = new ArrayList<>();
        start = System.nanoTime();
        while (timed.size() < budget.maxRounds() && (timed.size() < budget.minRounds()
                || (System.nanoTime() - start) / 1e9 < budget.measureSeconds())) {
            timed.add(round(bodies, warm + timed.size(), clock));
        }
        Stats[][] wall = stats(timed, 0, n);
        Stats[][] cpu = stats(timed, 1, n);
        return new Result(wall[0], wall[1], cpu[0], cpu[1], warm, settled);
    }

    /** Per body: the stats of one measure over the rounds, and of its ratio to body 0 in the same round. */
    private static Stats[][] stats(List<double[][]> rounds, int measure, int n) {
        Stats[][] out = new Stats[2][n];
        for (int j = 0; j < n; j++) {
            double[] t = new double[rounds.size()];
            double[] r = new double[rounds.size()];
            for (int i = 0; i < t.length; i++) {
                t[i] = rounds.get(i)[measure][j];
                r[i] = rounds.get(i)[measure][0] / rounds.get(i)[measure][j];
            }
            out[0][j] = Stats.of(t);
            out[1][j] = Stats.of(r);
        }
        return out;
    }

    /** Wall and CPU time of a body; the CPU reading's own cost (measured around an empty body) is taken off. */
    private static final class Clock {
        private final ProcessCpu cpu = new ProcessCpu();
        private final Map<String, Long> before = new HashMap<>();
        private final Map<String, Long> after = new HashMap<>();
        private final double overheadMs;

        Clock() {
            double[] empty = new double[31];
            for (int i = 0; i < empty.length; i++) {
                empty[i] = cpuMs(() -> { });
            }
            overheadMs = cpu.available() ? median(empty) : 0;
        }

        /** @return {wall ms, CPU ms (NaN when unavailable)} of one run of the body */
        double[] time(Runnable body) {
            cpu.read(before);
            long t0 = System.nanoTime();
            body.run();
            long t1 = System.nanoTime();
            cpu.read(after);
            double c = cpu.available() ? Math.max(0, ProcessCpu.between(before, after) / 1e6 - overheadMs) : Double.NaN;
            return new double[] {(t1 - t0) / 1e6, c};
        }

        private double cpuMs(Runnable body) {
            cpu.read(before);
            body.run();
            cpu.read(after);
            return ProcessCpu.between(before, after) / 1e6;
        }

        void refresh() {
            cpu.refresh();
        }
    }

    /** One round: every body once, starting with body (round mod n); {wall ms per body, CPU ms per body}. */
    private static double[][] round(Runnable[] bodies, int round, Clock clock) {
        clock.refresh();
        double[][] ms = new double[2][bodies.length];
        for (int i = 0; i < bodies.length; i++) {
            int j = (round + i) % bodies.length;
            double[] t = clock.time(bodies[j]);
            ms[0][j] = t[0];
            ms[1][j] = t[1];
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
        Clock clock = new Clock();
        for (int i = 0; i < warmup; i++) {
            round(bodies, i, clock);
        }
        double[][] t = new double[bodies.length][Math.max(1, repeats)];
        for (int i = 0; i < t[0].length; i++) {
            double[] ms = round(bodies, warmup + i, clock)[0];
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
