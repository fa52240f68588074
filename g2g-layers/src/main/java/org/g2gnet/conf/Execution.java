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
    STRUCTURED,
    /**
     * Structured execution of a whole stack of G2G layers as one {@link G2GBlock}, activations kept group-major
     * between its layers. A choice for network builders (e.g. {@code ./g2g train --execution block}); a single
     * {@link G2GDenseLayer} cannot be built with it.
     */
    BLOCK;

    /**
     * @param s masked, structured or block
     * @return the execution
     */
    public static Execution parse(String s) {
        return EnumNames.parse(Execution.class, s, "execution");
    }
}
