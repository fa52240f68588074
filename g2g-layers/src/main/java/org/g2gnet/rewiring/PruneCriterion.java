package org.g2gnet.rewiring;

import java.io.Serializable;

import org.g2gnet.util.EnumNames;

/**
 * Which active units a rewiring event removes: those with the lowest score. A criterion is one small class: it
 * scores every unit from the quantities {@link UnitScores} offers (|w|, the Hebbian score, the dense gradient), and
 * the rest of the event (selection, the mask update, the optimizer reset) is the library's. The built-ins are
 * constants of this interface; a user-defined criterion is passed to
 * {@code RewiringListener.builder().prune(...)} like them (docs/EXTENDING.md). Criteria travel with the listener's
 * state into checkpoints, so an implementation must be serializable (a class, not a lambda) and should name itself.
 */
public interface PruneCriterion extends Serializable {
    /** Smallest |w| (SET). */
    PruneCriterion MAGNITUDE = PruneCriteria.MAGNITUDE;
    /** Uniformly random. */
    PruneCriterion RANDOM = PruneCriteria.RANDOM;
    /** Lowest Hebbian score (as the listener's {@link HebbianScore} computes it). */
    PruneCriterion HEBBIAN = PruneCriteria.HEBBIAN;
    /** Lowest Hebbian score times |w| (ours): a connection goes when it is both weak and unrelated to its neurons. */
    PruneCriterion HEBBIAN_MAGNITUDE = PruneCriteria.HEBBIAN_MAGNITUDE;

    /**
     * @param s the quantities of the layer's units at this event
     * @return a score per unit (lower is pruned first; length: the layer's units), or null for uniformly random
     */
    float[] scores(UnitScores s);

    /** @return the criterion's name in options, files and events, e.g. MAGNITUDE */
    String name();

    /** @return the built-in criteria */
    static PruneCriterion[] values() {
        return PruneCriteria.values();
    }

    /**
     * Parses a built-in criterion's name case-insensitively.
     *
     * @param name magnitude, random, hebbian or hebbian_magnitude (hebbian-magnitude)
     * @return the criterion
     */
    static PruneCriterion parse(String name) {
        return EnumNames.parse(PruneCriteria.class, name, "prune criterion");
    }
}
