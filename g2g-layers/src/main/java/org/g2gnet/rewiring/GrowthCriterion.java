package org.g2gnet.rewiring;

import org.g2gnet.util.EnumNames;

/**
 * Which inactive connections a rewiring event activates: those with the highest score.
 */
public enum GrowthCriterion {
    /** Highest Hebbian score ("fire together, wire together"). */
    HEBBIAN {
        @Override
        float[] scores(LayerScores s) {
            return s.hebbian();
        }
    },
    /** Uniformly random (SET). */
    RANDOM {
        @Override
        float[] scores(LayerScores s) {
            return null;
        }
    },
    /** Largest |dL/dw| of the dense gradient {@code x^T delta} of the last mini-batch (RigL). */
    GRADIENT {
        @Override
        float[] scores(LayerScores s) {
            return s.absDenseGradient();
        }
    };

    /**
     * @param s the layer's scores at this event
     * @return a score per entry (higher is grown first), or null for random
     */
    abstract float[] scores(LayerScores s);

    /**
     * Parses a name case-insensitively.
     *
     * @param name hebbian, random or gradient
     * @return the criterion
     */
    public static GrowthCriterion parse(String name) {
        return EnumNames.parse(GrowthCriterion.class, name, "growth criterion");
    }
}
