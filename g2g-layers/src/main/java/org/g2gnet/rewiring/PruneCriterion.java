package org.g2gnet.rewiring;

import org.g2gnet.util.EnumNames;

/**
 * Which active units a rewiring event removes: those with the lowest score. Each criterion is defined once, on
 * the quantities of {@link UnitScores}: for a masked layer a unit is a connection; for a structured layer it is a
 * slot (a tile of T inputs feeding an output group), whose quantities are the means over its T x (nOut / G)
 * connections, so that HEBBIAN_MAGNITUDE ranks a slot by its mean Hebbian score times its mean |w|; for a
 * convolution it is a channel pair, whose |w| is the L2 norm of its kernel (MAGNITUDE prunes the smallest kernels).
 */
public enum PruneCriterion {
    /** Smallest |w| (SET). */
    MAGNITUDE {
        @Override
        float[] scores(UnitScores s) {
            return s.absWeights();
        }
    },
    /** Uniformly random. */
    RANDOM {
        @Override
        float[] scores(UnitScores s) {
            return null;
        }
    },
    /** Lowest Hebbian score (as the listener's {@link HebbianScore} computes it). */
    HEBBIAN {
        @Override
        float[] scores(UnitScores s) {
            return s.hebbian();
        }
    },
    /**
     * Lowest Hebbian score times |w| (ours): a connection goes when it is both weak and unrelated to its
     * neurons' activity, so large weights of rarely active neurons survive.
     */
    HEBBIAN_MAGNITUDE {
        @Override
        float[] scores(UnitScores s) {
            float[] h = s.hebbian();
            float[] w = s.absWeights();
            float[] out = new float[h.length];
            for (int i = 0; i < h.length; i++) {
                out[i] = h[i] * w[i];
            }
            return out;
        }
    };

    /**
     * @param s the quantities of the layer's units at this event
     * @return a score per unit (lower is pruned first), or null for random
     */
    abstract float[] scores(UnitScores s);

    /**
     * Parses a name case-insensitively.
     *
     * @param name magnitude, random, hebbian or hebbian_magnitude (hebbian-magnitude)
     * @return the criterion
     */
    public static PruneCriterion parse(String name) {
        return EnumNames.parse(PruneCriterion.class, name, "prune criterion");
    }
}
