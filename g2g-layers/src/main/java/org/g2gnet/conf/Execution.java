package org.g2gnet.conf;

import org.g2gnet.util.EnumNames;

/** How a G2G layer computes. */
public enum Execution {
    /**
     * {@code x (W * M) + b} with dense W and M [nIn, nOut]: any mask, the paper's semantics, as fast as a
     * dense layer at best.
     */
    MASKED,
    /**
     * Compact storage and batched GEMMs over groups: every output group reads its own input group and
     * {@code c} input tiles of {@code tileSize} neurons from other groups. Needs pIntra = 1 and G dividing
     * nIn and nOut; changes the mask family (inter-group links at tile granularity) and rewires whole tiles.
     */
    STRUCTURED;

    /**
     * @param s masked or structured
     * @return the execution
     */
    public static Execution parse(String s) {
        return EnumNames.parse(Execution.class, s, "execution");
    }
}
