package org.g2gnet.rewiring;

import org.g2gnet.util.EnumNames;

/**
 * Which inactive units a rewiring event activates: those with the highest score. Defined once, on the quantities
 * of {@link UnitScores}: a connection of a masked layer, a candidate tile of a structured layer's output group
 * (the means over the tile's T x (nOut / G) connections), or a channel pair of a convolution.
 */
public enum GrowthCriterion {
    /** Highest Hebbian score ("fire together, wire together"). */
    HEBBIAN {
        @Override
        float[] scores(UnitScores s) {
            return s.hebbian();
        }
    },
    /** Uniformly random (SET). */
    RANDOM {
        @Override
        float[] scores(UnitScores s) {
            return null;
        }
    },
    /**
     * Largest |dL/dw| of the dense gradient {@code x^T delta} of the last mini-batch (RigL); for a convolution's
     * channel pair, the L2 norm of the dense kernel gradient's slice dL/dW[o, i, :, :].
     */
    GRADIENT {
        @Override
        float[] scores(UnitScores s) {
            return s.absDenseGradient();
        }
    };

    /**
     * @param s the quantities of the layer's units at this event
     * @return a score per unit (higher is grown first), or null for random
     */
    abstract float[] scores(UnitScores s);

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
