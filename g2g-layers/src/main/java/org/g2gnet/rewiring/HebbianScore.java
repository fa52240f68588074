package org.g2gnet.rewiring;

import java.util.Locale;

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

    /**
     * @param s signed (or paper), absolute (or abs), centered (or pearson)
     * @return the score
     */
    public static HebbianScore parse(String s) {
        String n = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "signed", "paper" -> SIGNED;
            case "absolute", "abs" -> ABSOLUTE;
            case "centered", "centred", "pearson" -> CENTERED;
            default -> throw new IllegalArgumentException("Unknown Hebbian score '" + s
                    + "': expected signed (paper), absolute or centered");
        };
    }
}
