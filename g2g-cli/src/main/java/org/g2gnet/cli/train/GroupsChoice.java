package org.g2gnet.cli.train;

import org.g2gnet.topology.G2GStructure;

/**
 * {@code --groups}: a number, or {@code auto} for the structure rule ({@link G2GStructure#autoGroups}: G the
 * largest power of two at most 1/density, nine tenths of the active connections inside groups). Shared by train,
 * compare and sweep.
 */
public final class GroupsChoice {
    /** The value that asks for the rule. */
    public static final String AUTO = "auto";

    private GroupsChoice() {
    }

    /**
     * @param value the option's value
     * @return whether it asks for the rule
     */
    public static boolean isAuto(String value) {
        return value != null && AUTO.equalsIgnoreCase(value.trim());
    }

    /**
     * @param value the option's value: a whole number
     * @return the number
     * @throws IllegalArgumentException naming the option and the value when it is neither a number nor auto
     */
    public static int number(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--groups must be a whole number or auto, got '" + value + "'");
        }
    }

    /**
     * Sets G and, for {@code auto}, the rule's intra share (unless {@code --intra-share} is given).
     *
     * @param b          the options being built
     * @param value      --groups
     * @param density    --density, or null
     * @param intraShare --intra-share, or null
     * @param pIntra     --p-intra, or null
     * @throws IllegalArgumentException naming the options when auto lacks a density or meets --p-intra
     */
    public static void apply(TrainOptions.Builder b, String value, Double density, Double intraShare, Double pIntra) {
        if (!isAuto(value)) {
            b.groups(number(value));
            return;
        }
        if (density == null) {
            throw new IllegalArgumentException("--groups auto needs --density: the rule picks G (the largest power of "
                    + "two at most 1/density) and the intra share for a density");
        }
        if (pIntra != null) {
            throw new IllegalArgumentException("--groups auto sets the share of connections inside groups (pIntra = "
                    + G2GStructure.AUTO_INTRA_SHARE + " x density x G): drop --p-intra " + pIntra
                    + ", or give --intra-share");
        }
        b.groups(G2GStructure.autoGroups(density));
        b.intraShare(intraShare != null ? intraShare : G2GStructure.AUTO_INTRA_SHARE);
    }
}
