package org.g2gnet.rewiring;

/**
 * The built-in prune criteria ({@link PruneCriterion}'s constants). Each is defined once, on the quantities of
 * {@link UnitScores}: for a masked layer a unit is a connection; for a structured layer it is a slot (a tile of T
 * inputs feeding an output group), whose quantities are the means over its T x (nOut / G) connections, so that
 * HEBBIAN_MAGNITUDE ranks a slot by its mean Hebbian score times its mean |w|; for a convolution it is a channel
 * pair, whose |w| is the L2 norm of its kernel (MAGNITUDE prunes the smallest kernels).
 */
public enum PruneCriteria implements PruneCriterion {
    /** Smallest |w| (SET). */
    MAGNITUDE {
        @Override
        public float[] scores(UnitScores s) {
            return s.absWeights();
        }
    },
    /** Uniformly random. */
    RANDOM {
        @Override
        public float[] scores(UnitScores s) {
            return null;
        }
    },
    /** Lowest Hebbian score (as the listener's {@link HebbianScore} computes it). */
    HEBBIAN {
        @Override
        public float[] scores(UnitScores s) {
            return s.hebbian();
        }
    },
    /**
     * Lowest Hebbian score times |w| (ours): a connection goes when it is both weak and unrelated to its
     * neurons' activity, so large weights of rarely active neurons survive.
     */
    HEBBIAN_MAGNITUDE {
        @Override
        public float[] scores(UnitScores s) {
            float[] h = s.hebbian();
            float[] w = s.absWeights();
            float[] out = new float[h.length];
            for (int i = 0; i < h.length; i++) {
                out[i] = h[i] * w[i];
            }
            return out;
        }
    };

}
