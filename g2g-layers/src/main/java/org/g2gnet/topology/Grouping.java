package org.g2gnet.topology;

import java.util.SplittableRandom;

import org.g2gnet.util.EnumNames;
import org.g2gnet.util.Seeds;

/**
 * How the N neurons of one side of a layer are assigned to G groups. All three give balanced groups
 * (sizes differ by at most one) and never drop a neuron when G does not divide N.
 */
public enum Grouping {
    /** Contiguous blocks: {@code g(i) = floor(i * G / N)}. */
    INDEX,
    /** Round robin: {@code g(i) = i mod G}. */
    INTERLEAVED,
    /** A seeded random permutation of the balanced INDEX labels. */
    RANDOM;

    /**
     * The paper's "Mixer" network pattern: even-numbered G2G layers use INDEX, odd-numbered INTERLEAVED.
     *
     * @param g2gLayerIndex index of the layer among the network's G2G layers (0 = first), must be &gt;= 0
     * @return INDEX for even indices, INTERLEAVED for odd ones
     */
    public static Grouping mixer(int g2gLayerIndex) {
        if (g2gLayerIndex < 0) {
            throw new IllegalArgumentException("Grouping.mixer: G2G layer index must be >= 0, got " + g2gLayerIndex);
        }
        return g2gLayerIndex % 2 == 0 ? INDEX : INTERLEAVED;
    }

    /**
     * Group label of every neuron of a side.
     *
     * @param n      number of neurons, &gt;= 1
     * @param groups number of groups G, in [1, n]
     * @param seed   seed of the permutation (used by RANDOM only)
     * @return labels, length n, values in [0, groups)
     */
    public int[] labels(int n, int groups, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("Grouping " + this + ": number of neurons must be >= 1, got " + n);
        }
        if (groups < 1 || groups > n) {
            throw new IllegalArgumentException("Grouping " + this + ": groups must be in [1, " + n + "] for "
                    + n + " neurons, got " + groups);
        }
        int[] labels = new int[n];
        switch (this) {
            case INDEX -> {
                for (int i = 0; i < n; i++) {
                    labels[i] = indexLabel(i, n, groups);
                }
            }
            case INTERLEAVED -> {
                for (int i = 0; i < n; i++) {
                    labels[i] = i % groups;
                }
            }
            case RANDOM -> {
                for (int i = 0; i < n; i++) {
                    labels[i] = indexLabel(i, n, groups);
                }
                SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, ((long) n << 20) ^ groups));
                for (int i = n - 1; i > 0; i--) {
                    int j = rng.nextInt(i + 1);
                    int t = labels[i];
                    labels[i] = labels[j];
                    labels[j] = t;
                }
            }
            default -> throw new AssertionError(this);
        }
        return labels;
    }

    private static int indexLabel(int i, int n, int groups) {
        return (int) ((long) i * groups / n);
    }

    /**
     * Parses a grouping name, case-insensitively.
     *
     * @param name "index", "interleaved" or "random"
     * @return the grouping
     * @throws IllegalArgumentException naming the value and the allowed ones
     */
    public static Grouping parse(String name) {
        return EnumNames.parse(Grouping.class, name, "grouping");
    }
}
