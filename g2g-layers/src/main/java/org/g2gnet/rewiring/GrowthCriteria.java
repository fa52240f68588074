package org.g2gnet.rewiring;

/**
 * The built-in growth criteria ({@link GrowthCriterion}'s constants), defined once on the quantities of
 * {@link UnitScores}: a connection of a masked layer, a candidate tile of a structured layer's output group (the
 * means over the tile's T x (nOut / G) connections), or a channel pair of a convolution.
 */
public enum GrowthCriteria implements GrowthCriterion {
    /** Highest Hebbian score ("fire together, wire together"). */
    HEBBIAN {
        @Override
        public float[] scores(UnitScores s) {
            return s.hebbian();
        }
    },
    /** Uniformly random (SET). */
    RANDOM {
        @Override
        public float[] scores(UnitScores s) {
            return null;
        }
    },
    /**
     * Largest |dL/dw| of the dense gradient {@code x^T delta} of the last mini-batch (RigL); for a convolution's
     * channel pair, the L2 norm of the dense kernel gradient's slice dL/dW[o, i, :, :].
     */
    GRADIENT {
        @Override
        public float[] scores(UnitScores s) {
            return s.absDenseGradient();
        }

        @Override
        public boolean needsDenseGradient() {
            return true;
        }
    };

}
