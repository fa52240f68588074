package org.g2gnet.rewiring;

import java.util.Map;

import org.g2gnet.util.EnumNames;

/** How the Hebbian score of a connection is computed from the activations of a mini-batch. */
public enum HebbianScore {
    /** The paper's: cosine similarity of the raw input and output columns (no centring), signed. */
    SIGNED,
    /** |cosine| (CTRE): anti-correlated pairs count as strongly related. */
    ABSOLUTE,
    /**
     * Pearson correlation: columns centred on their batch mean before the cosine, so that a neuron that is
     * always on (or off) does not look correlated with everything.
     */
    CENTERED;

    private static final Map<String, HebbianScore> ALIASES = Map.of("paper", SIGNED, "abs", ABSOLUTE,
            "centred", CENTERED, "pearson", CENTERED);

    /**
     * @param s signed (or paper), absolute (or abs), centered (or centred, pearson), case-insensitive
     * @return the score
     */
    public static HebbianScore parse(String s) {
        return EnumNames.parse(HebbianScore.class, s, "Hebbian score", ALIASES);
    }
}
