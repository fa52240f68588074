package org.g2gnet.rewiring;

import java.io.Serializable;

import org.g2gnet.util.EnumNames;

/**
 * Which inactive units a rewiring event activates: those with the highest score. Like {@link PruneCriterion}, one
 * small serializable class that scores every unit from {@link UnitScores}; the built-ins are constants of this
 * interface (docs/EXTENDING.md shows a user-defined one).
 */
public interface GrowthCriterion extends Serializable {
    /** Highest Hebbian score ("fire together, wire together"). */
    GrowthCriterion HEBBIAN = GrowthCriteria.HEBBIAN;
    /** Uniformly random (SET). */
    GrowthCriterion RANDOM = GrowthCriteria.RANDOM;
    /** Largest |dL/dw| of the dense gradient {@code x^T delta} of the last mini-batch (RigL). */
    GrowthCriterion GRADIENT = GrowthCriteria.GRADIENT;

    /**
     * @param s the quantities of the layer's units at this event
     * @return a score per unit (higher is grown first; length: the layer's units), or null for uniformly random
     */
    float[] scores(UnitScores s);

    /** @return the criterion's name in options, files and events, e.g. HEBBIAN */
    String name();

    /**
     * @return whether the criterion reads {@link UnitScores#absDenseGradient()}, so that the layers compute the dense
     *         gradient {@code x^T delta} on the step before an event (a G2GBlock cannot)
     */
    default boolean needsDenseGradient() {
        return false;
    }

    /** @return the built-in criteria */
    static GrowthCriterion[] values() {
        return GrowthCriteria.values();
    }

    /**
     * Parses a built-in criterion's name case-insensitively.
     *
     * @param name hebbian, random or gradient
     * @return the criterion
     */
    static GrowthCriterion parse(String name) {
        return EnumNames.parse(GrowthCriteria.class, name, "growth criterion");
    }
}
