package org.g2gnet.rewiring;

import org.g2gnet.util.EnumNames;

/**
 * Which active connections a rewiring event removes: those with the lowest score.
 */
public enum PruneCriterion {
    /** Smallest |w| (SET). */
    MAGNITUDE {
        @Override
        float[] scores(LayerScores s) {
            return s.absWeights();
        }
    },
    /** Uniformly random. */
    RANDOM {
        @Override
        float[] scores(LayerScores s) {
            return null;
        }
    },
    /** Lowest Hebbian score (as the listener's {@link HebbianScore} computes it). */
    HEBBIAN {
        @Override
        float[] scores(LayerScores s) {
            return s.hebbian();
        }
    },
    /**
     * Lowest Hebbian score times |w| (ours): a connection goes when it is both weak and unrelated to its
     * neurons' activity, so large weights of rarely active neurons survive.
     */
    HEBBIAN_MAGNITUDE {
        @Override
        float[] scores(LayerScores s) {
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
     * @param s the layer's scores at this event
     * @return a score per entry (lower is pruned first), or null for random
     */
    abstract float[] scores(LayerScores s);

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
