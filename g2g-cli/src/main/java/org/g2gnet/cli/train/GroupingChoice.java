package org.g2gnet.cli.train;

import java.util.Locale;

import org.g2gnet.topology.Grouping;
import org.g2gnet.util.EnumNames;

/** The grouping of a G2G stack: one of the per-layer groupings for every layer, or the Mixer pattern. */
public enum GroupingChoice {
    /** Every layer INDEX. */
    INDEX(Grouping.INDEX),
    /** Every layer INTERLEAVED. */
    INTERLEAVED(Grouping.INTERLEAVED),
    /** Every layer RANDOM. */
    RANDOM(Grouping.RANDOM),
    /** Layer k uses Grouping.mixer(k). */
    MIXER(null);

    private final Grouping grouping;

    GroupingChoice(Grouping g) {
        this.grouping = g;
    }

    /** @return the per-layer grouping, or null for MIXER */
    public Grouping grouping() {
        return grouping;
    }

    /**
     * @param s index, interleaved, random or mixer
     * @return the choice
     */
    public static GroupingChoice parse(String s) {
        return EnumNames.parse(GroupingChoice.class, s, "grouping");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
