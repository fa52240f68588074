package org.g2gnet.rewiring;

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
    /** Lowest Hebbian score (signed, or |score| when the listener is built with absolute scores). */
    HEBBIAN {
        @Override
        float[] scores(LayerScores s) {
            return s.hebbian();
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
     * @param name magnitude, random or hebbian
     * @return the criterion
     */
    public static PruneCriterion parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("Unknown prune criterion '" + name
                    + "': expected magnitude, random or hebbian");
        }
    }
}
