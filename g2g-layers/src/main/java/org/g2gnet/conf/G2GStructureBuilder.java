package org.g2gnet.conf;

import org.g2gnet.topology.G2GStructure;
import org.g2gnet.topology.Grouping;

/**
 * The G2G settings of a layer builder ({@link G2GDenseLayer.Builder}, {@link G2GConvolutionLayer.Builder}), written
 * once: each setter hands its value to the builder's {@link G2GStructure.Builder}, which checks it at once and names
 * the layer, the field, the allowed range and the value. For a convolution a "connection" is a channel pair and a
 * side's neurons are its channels.
 *
 * @param <B> the layer builder, returned by every setter so that calls chain
 */
public interface G2GStructureBuilder<B extends G2GStructureBuilder<B>> {

    /** @return the part of this builder that holds and checks the structure */
    G2GStructure.Builder structure();

    /**
     * @param groups number of groups G, &gt;= 1 (and at most min(nIn, nOut), checked in build)
     * @return this
     */
    default B groups(int groups) {
        structure().groups(groups);
        return self();
    }

    /**
     * @param pIntra probability of a connection inside a group, in [0, 1]
     * @return this
     */
    default B pIntra(double pIntra) {
        structure().pIntra(pIntra);
        return self();
    }

    /**
     * @param pInter probability of a connection between groups, in [0, 1]
     * @return this
     */
    default B pInter(double pInter) {
        structure().pInter(pInter);
        return self();
    }

    /**
     * Target density instead of pInter: pInter is solved with pIntra fixed.
     *
     * @param density fraction of active connections, in (0, 1]
     * @return this
     */
    default B density(double density) {
        structure().density(density);
        return self();
    }

    /**
     * The share of the active connections that lie inside groups, with {@link #density}: sets pIntra = s d G
     * (pInter is then solved from the density: (1 - s) d G / (G - 1) when G divides both sides). At a fixed
     * density the group count and this share are the structure's two free choices: ER is s = 1 / G, the paper's
     * point (G = 8, pIntra 1, pInter 0.15) s of about 0.49, a block-diagonal layer s = 1. The layer stores the
     * resulting pIntra and density, so its JSON holds the same structure.
     *
     * @param intraShare s, in (0, 1]; s d G must be at most 1 (checked in build, with the largest share allowed)
     * @return this
     */
    default B intraShare(double intraShare) {
        structure().intraShare(intraShare);
        return self();
    }

    /**
     * @param grouping grouping of the output side (default INDEX); see {@link Grouping#mixer(int)}
     * @return this
     */
    default B grouping(Grouping grouping) {
        structure().grouping(grouping);
        return self();
    }

    /**
     * @param inputGrouping grouping of the input side (default INDEX). In the paper a grouping belongs to a layer
     *                      and applies to both its sides ({@link org.g2gnet.G2GNetworks#stack}); to line pathways
     *                      up by hand instead, give layer k + 1 the output grouping (and, for RANDOM, the
     *                      output {@link #groupingSeed} as {@link #inputGroupingSeed}) of layer k
     * @return this
     */
    default B inputGrouping(Grouping inputGrouping) {
        structure().inputGrouping(inputGrouping);
        return self();
    }

    /**
     * @param maskSeed seed of the mask draw (default: derived from the network seed and the layer name)
     * @return this
     */
    default B maskSeed(long maskSeed) {
        structure().maskSeed(maskSeed);
        return self();
    }

    /**
     * @param groupingSeed seed of a RANDOM output side (default: derived from the network seed, the layer name
     *                     and the side, so that every side of every layer has its own permutation)
     * @return this
     */
    default B groupingSeed(long groupingSeed) {
        structure().groupingSeed(groupingSeed);
        return self();
    }

    /**
     * @param inputGroupingSeed seed of a RANDOM input side (default: derived like {@link #groupingSeed})
     * @return this
     */
    default B inputGroupingSeed(long inputGroupingSeed) {
        structure().inputGroupingSeed(inputGroupingSeed);
        return self();
    }

    /**
     * @param exactCount true (default): exactly round(p * |block|) connections per group block;
     *                   false: independent Bernoulli draws
     * @return this
     */
    default B exactCount(boolean exactCount) {
        structure().exactCount(exactCount);
        return self();
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }
}
