package org.g2gnet.topology;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A 0/1 connection mask in DL4J's orientation: entry (i, o) connects input neuron i to output neuron o,
 * stored column-major ('f' order, index {@code i + o * nIn}) exactly like the flattened weight view of a
 * DL4J dense layer, so the array can be copied into the parameter view as it is.
 */
public final class ConnectionMask {
    private final int nIn;
    private final int nOut;
    private final float[] values;

    /**
     * @param nIn    number of inputs
     * @param nOut   number of outputs
     * @param values 0/1 entries, length nIn * nOut, index i + o * nIn (not copied)
     */
    public ConnectionMask(int nIn, int nOut, float[] values) {
        if ((long) nIn * nOut != values.length) {
            throw new IllegalArgumentException("ConnectionMask: expected " + ((long) nIn * nOut) + " entries for ["
                    + nIn + ", " + nOut + "], got " + values.length);
        }
        for (int k = 0; k < values.length; k++) {
            if (values[k] != 0f && values[k] != 1f) {
                throw new IllegalArgumentException("ConnectionMask: entry " + k + " must be 0 or 1, got " + values[k]);
            }
        }
        this.nIn = nIn;
        this.nOut = nOut;
        this.values = values;
    }

    /**
     * Draws a G2G mask. Entry (i, o) is active with probability pIntra when i and o are in the same group,
     * else pInter. In exact mode every (input group, output group) block gets exactly
     * {@code round(p * |block|)} active entries at uniformly random positions; otherwise each entry is an
     * independent Bernoulli draw.
     *
     * @param in     partition of the input side (nIn neurons)
     * @param out    partition of the output side (nOut neurons), same number of groups
     * @param pIntra probability of an intra-group connection, in [0, 1]
     * @param pInter probability of an inter-group connection, in [0, 1]
     * @param exact  exact counts per block (true) or Bernoulli draws (false)
     * @param seed   seed of the draw
     * @return the mask, [nIn, nOut]
     */
    public static ConnectionMask generate(GroupPartition in, GroupPartition out, double pIntra, double pInter,
                                          boolean exact, long seed) {
        checkProbability("pIntra", pIntra);
        checkProbability("pInter", pInter);
        if (in.groups() != out.groups()) {
            throw new IllegalArgumentException("ConnectionMask: input side has " + in.groups()
                    + " groups but output side has " + out.groups());
        }
        int nIn = in.size();
        int nOut = out.size();
        float[] m = new float[Math.multiplyExact(nIn, nOut)];
        SplittableRandom rng = new SplittableRandom(seed);
        if (!exact) {
            int[] li = in.labels();
            int[] lo = out.labels();
            for (int o = 0; o < nOut; o++) {
                for (int i = 0; i < nIn; i++) {
                    double p = li[i] == lo[o] ? pIntra : pInter;
                    if (rng.nextDouble() < p) {
                        m[i + o * nIn] = 1f;
                    }
                }
            }
            return new ConnectionMask(nIn, nOut, m);
        }
        int groups = in.groups();
        int[][] inMembers = new int[groups][];
        int[][] outMembers = new int[groups][];
        for (int g = 0; g < groups; g++) {
            inMembers[g] = in.members(g);
            outMembers[g] = out.members(g);
        }
        int[] scratch = new int[0];
        for (int go = 0; go < groups; go++) {
            for (int gi = 0; gi < groups; gi++) {
                int[] rows = inMembers[gi];
                int[] cols = outMembers[go];
                int size = rows.length * cols.length;
                if (size == 0) {
                    continue;
                }
                double p = gi == go ? pIntra : pInter;
                int count = (int) Math.round(p * size);
                if (scratch.length < size) {
                    scratch = new int[size];
                }
                for (int k = 0; k < size; k++) {
                    scratch[k] = k;
                }
                // partial Fisher-Yates: the first `count` slots become a uniform random subset
                for (int k = 0; k < count; k++) {
                    int j = k + rng.nextInt(size - k);
                    int t = scratch[k];
                    scratch[k] = scratch[j];
                    scratch[j] = t;
                }
                for (int k = 0; k < count; k++) {
                    int r = scratch[k] % rows.length;
                    int c = scratch[k] / rows.length;
                    m[rows[r] + cols[c] * nIn] = 1f;
                }
            }
        }
        return new ConnectionMask(nIn, nOut, m);
    }

    /**
     * An all-ones mask (a dense layer).
     *
     * @param nIn  inputs
     * @param nOut outputs
     * @return the mask
     */
    public static ConnectionMask dense(int nIn, int nOut) {
        float[] m = new float[Math.multiplyExact(nIn, nOut)];
        Arrays.fill(m, 1f);
        return new ConnectionMask(nIn, nOut, m);
    }

    /**
     * The inter-group probability that gives a target density with pIntra fixed, exact for the given
     * (possibly unbalanced) partitions.
     *
     * @param density target fraction of active entries
     * @param pIntra  intra-group probability
     * @param in      input partition
     * @param out     output partition
     * @return pInter, possibly outside [0, 1] when the density is not reachable (callers check)
     */
    public static double solvePInter(double density, double pIntra, GroupPartition in, GroupPartition out) {
        double total = (double) in.size() * out.size();
        double intra = GroupPartition.intraPairs(in, out);
        double inter = total - intra;
        if (inter == 0) {
            return Math.abs(density - pIntra) < 1e-9 ? 0.0 : Double.NaN;
        }
        return (density * total - pIntra * intra) / inter;
    }

    /**
     * Expected density of a G2G mask on balanced groups of an infinitely divisible layer:
     * {@code pIntra / G + pInter (G - 1) / G}.
     *
     * @param groups G
     * @param pIntra intra probability
     * @param pInter inter probability
     * @return the nominal density
     */
    public static double nominalDensity(int groups, double pIntra, double pInter) {
        return pIntra / groups + pInter * (groups - 1) / groups;
    }

    private static void checkProbability(String name, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("ConnectionMask: " + name + " must be in [0, 1], got " + p);
        }
    }

    /** @return number of inputs */
    public int nIn() {
        return nIn;
    }

    /** @return number of outputs */
    public int nOut() {
        return nOut;
    }

    /** @return the entries, index i + o * nIn (the array itself, not a copy) */
    public float[] values() {
        return values;
    }

    /**
     * @param i input index
     * @param o output index
     * @return whether (i, o) is active
     */
    public boolean isActive(int i, int o) {
        return values[i + o * nIn] != 0f;
    }

    /** @return number of active entries */
    public long activeCount() {
        long c = 0;
        for (float v : values) {
            if (v != 0f) {
                c++;
            }
        }
        return c;
    }

    /** @return fraction of active entries */
    public double density() {
        return activeCount() / (double) values.length;
    }

    /** @return active fan-in of every output neuron, length nOut */
    public int[] fanIn() {
        int[] f = new int[nOut];
        for (int o = 0; o < nOut; o++) {
            int c = 0;
            for (int i = 0, base = o * nIn; i < nIn; i++) {
                if (values[base + i] != 0f) {
                    c++;
                }
            }
            f[o] = c;
        }
        return f;
    }
}
