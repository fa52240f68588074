package org.g2gnet.cli.sweep;

import java.util.Locale;

import org.g2gnet.cli.train.GroupsChoice;
import org.g2gnet.topology.G2GStructure;

/**
 * How a sweep sets the structure of its G2G runs at each density ({@code --groups}).
 *
 * @param kind  the rule
 * @param fixed G of every run for {@link Kind#FIXED}, else 0
 */
public record SweepGroups(Kind kind, int fixed) {
    /** The rules. */
    public enum Kind {
        /**
         * The structure rule ({@code auto}, the default since the structure screen): G the largest power of two at
         * most 1/density, {@link G2GStructure#AUTO_INTRA_SHARE} of the active connections inside groups.
         */
        AUTO,
        /**
         * The rule of the sweeps before the structure screen ({@code half}, results/sweep-full): G the smallest
         * power of two, at least 8, whose intra blocks hold at most half of the active connections, pIntra 1.
         */
        HALF,
        /** One G at every density ({@code --groups G}), pIntra 1 unless an intra share is given. */
        FIXED
    }

    /** The structure rule. */
    public static final SweepGroups AUTO = new SweepGroups(Kind.AUTO, 0);
    /** The rule of the sweeps before the structure screen. */
    public static final SweepGroups HALF = new SweepGroups(Kind.HALF, 0);
    /** {@code --groups half}. */
    public static final String HALF_NAME = "half";

    /** Checks that only {@link Kind#FIXED} carries a G, and that it is at least 1. */
    public SweepGroups {
        if (kind == null) {
            throw new IllegalArgumentException("the sweep's groups rule must be given");
        }
        if (kind == Kind.FIXED ? fixed < 1 : fixed != 0) {
            throw new IllegalArgumentException("--groups must be >= 1, got " + fixed);
        }
    }

    /**
     * @param groups G of every run
     * @return that rule
     */
    public static SweepGroups of(int groups) {
        return new SweepGroups(Kind.FIXED, groups);
    }

    /**
     * @param value {@code auto}, {@code half} or a whole number
     * @return the rule
     * @throws IllegalArgumentException naming the option and the value otherwise
     */
    public static SweepGroups parse(String value) {
        if (GroupsChoice.isAuto(value)) {
            return AUTO;
        }
        if (value != null && HALF_NAME.equalsIgnoreCase(value.trim())) {
            return HALF;
        }
        try {
            return of(Integer.parseInt(value.trim()));
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException("--groups must be a whole number, auto or half, got '" + value + "'");
        }
    }

    /**
     * @param density the density of a G2G run, in (0, 1)
     * @return its G
     */
    public int at(double density) {
        return switch (kind) {
            case AUTO -> G2GStructure.autoGroups(density);
            case FIXED -> fixed;
            case HALF -> {
                int g = 8;
                while (1.0 / g > density / 2 + 1e-12) {
                    g *= 2;
                }
                yield g;
            }
        };
    }

    /**
     * @param intraShare --intra-share, or null
     * @return the intra share of the G2G runs: the one given, the structure rule's, or null (pIntra 1)
     */
    public Double intraShare(Double intraShare) {
        return intraShare != null ? intraShare : kind == Kind.AUTO ? G2GStructure.AUTO_INTRA_SHARE : null;
    }

    /**
     * @param intraShare --intra-share, or null
     * @return the rule in words, for the sweep's summary
     */
    public String describe(Double intraShare) {
        String share = intraShare != null ? ", intra share " + intraShare : "";
        return switch (kind) {
            case AUTO -> "the structure rule (--groups auto): the largest power of two at most 1/density, "
                    + (intraShare != null ? "intra share " + intraShare
                    : String.format(Locale.ROOT, "%s of the active connections inside groups",
                    G2GStructure.AUTO_INTRA_SHARE));
            case HALF -> "the smallest power of two >= 8 whose intra-group blocks hold at most half of the active "
                    + "connections (--groups half)" + share;
            case FIXED -> fixed + " (--groups)" + share;
        };
    }
}
