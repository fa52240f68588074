package org.g2gnet.conf;

import java.util.Locale;

import org.g2gnet.topology.GroupPartition;

/**
 * The checks of a {@link G2GDenseLayer}'s values, in one place so that the builder, the layer's setters, JSON
 * deserialisation (which runs the builder, see {@link #fromJson}) and {@code instantiate} say the same thing:
 * the layer, the field, the allowed range and the value.
 *
 * <p>Single values are checked where they are set; combinations once the layer is complete (the builder's
 * {@code build()}, deserialisation) and again at init, where nIn set from an input type is known: a layer larger
 * than any array it keeps can hold, and a layer whose mask would have no connection.</p>
 */
public final class G2GLayerValidation {
    /** The most entries W and M may have: the mask is drawn into one Java array. */
    public static final long MAX_ENTRIES = Integer.MAX_VALUE - 8;

    private G2GLayerValidation() {
    }

    /**
     * @param who the layer, as {@link G2GDenseLayer#describe} names it
     * @param v   number of groups
     * @return v
     * @throws IllegalArgumentException when v &lt; 1
     */
    static int groups(String who, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(who + ": groups must be >= 1, got " + v);
        }
        return v;
    }

    /**
     * @param who   the layer
     * @param field pIntra or pInter
     * @param v     a probability
     * @return v
     * @throws IllegalArgumentException when v is not in [0, 1]
     */
    static double probability(String who, String field, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(who + ": " + field + " must be in [0, 1], got " + v);
        }
        return v;
    }

    /**
     * @param who the layer
     * @param v   a target density
     * @return v
     * @throws IllegalArgumentException when v is not in (0, 1]
     */
    static double density(String who, double v) {
        if (!(v > 0 && v <= 1)) {
            throw new IllegalArgumentException(who + ": density must be in (0, 1], got " + v);
        }
        return v;
    }

    /**
     * @param who the layer
     * @param v   an intra share: the share of the active connections that lie inside groups
     * @return v
     * @throws IllegalArgumentException when v is not in (0, 1]
     */
    static double intraShare(String who, double v) {
        if (!(v > 0 && v <= 1)) {
            throw new IllegalArgumentException(who + ": intraShare must be in (0, 1], got " + v);
        }
        return v;
    }

    /** @return v to 6 significant digits without trailing zeros, e.g. 1.44 or 0.625 */
    private static String short6(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
    }

    /**
     * What a builder's {@code build()} does with {@code intraShare(s)}: the pIntra it stands for, or the given pIntra
     * when no share was set.
     *
     * @param who       the layer
     * @param share     the share, NaN when none was set
     * @param pIntraSet whether pIntra was set explicitly as well
     * @param pIntra    the builder's pIntra
     * @param density   the builder's density, NaN when none was set
     * @param groups    the builder's groups
     * @return the pIntra the layer gets
     * @throws IllegalArgumentException when a share is set without a density, together with pIntra, or not reachable
     */
    static double pIntraOfBuilder(String who, double share, boolean pIntraSet, double pIntra, double density,
                                  int groups) {
        if (Double.isNaN(share)) {
            return pIntra;
        }
        if (pIntraSet) {
            throw new IllegalArgumentException(who + ": set either pIntra (" + pIntra + ") or intraShare (" + share
                    + "), not both: the share sets pIntra = intraShare x density x groups");
        }
        if (Double.isNaN(density)) {
            throw new IllegalArgumentException(who + ": intraShare (" + share + ") needs a target density (set "
                    + "density(d)): the share is of the active connections at that density");
        }
        return pIntraForShare(who, share, density, groups);
    }

    /**
     * The intra-group probability that puts a share {@code s} of a layer's active connections inside its groups at
     * density {@code d} with {@code G} groups: pIntra = s d G (exact when G divides both sides; the inter-group
     * probability is then solved from the density, pInter = (1 - s) d G / (G - 1)). ER is s = 1 / G, a
     * block-diagonal layer s = 1.
     *
     * @param who     how the error names the layer or option, e.g. "G2GDenseLayer 'g2g1'" or "--intra-share"
     * @param share   s, in (0, 1]
     * @param density d, in (0, 1]
     * @param groups  G, &gt;= 1
     * @return pIntra, in (0, 1]
     * @throws IllegalArgumentException naming the values when s d G exceeds 1 (the intra blocks cannot hold that
     *                                  share) or leaves the inter blocks more than full
     */
    public static double pIntraForShare(String who, double share, double density, int groups) {
        intraShare(who, share);
        density(who, density);
        groups(who, groups);
        double pIntra = share * density * groups;
        if (pIntra > 1 + 1e-9) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: intra share %s at density %s with %d "
                            + "groups needs pIntra = s d G = %s > 1: the intra-group blocks hold at most 1/G of all "
                            + "pairs, so the largest share is 1/(d G) = %s (fewer groups allow more)", who, share,
                    density, groups, short6(pIntra), short6(1 / (density * groups))));
        }
        double pInter = groups == 1 ? 0 : (1 - share) * density * groups / (groups - 1);
        if (groups == 1 && share < 1 || pInter > 1 + 1e-9) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: intra share %s at density %s with %d "
                    + "groups leaves more active connections between groups than there are pairs (pInter = (1 - s) d G "
                    + "/ (G - 1) = %s): raise the share or lower the density", who, share, density, groups,
                    groups == 1 ? "infinite" : short6(pInter)));
        }
        // s d G is exact in decimal for the values users give (0.25 x 0.05 x 32): drop binary noise so that the
        // same structure always prints and fingerprints the same pIntra
        return Math.min(1, Math.round(pIntra * 1e12) / 1e12);
    }

    /**
     * @param who the layer
     * @param v   a tile size
     * @return v
     * @throws IllegalArgumentException when v &lt; 1
     */
    static int tileSize(String who, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(who + ": tileSize must be >= 1, got " + v);
        }
        return v;
    }

    /**
     * The checks of a complete layer whose nIn and nOut may still be unknown (0): what the builder's
     * {@code build()} adds to its single-value checks.
     *
     * @param layer the layer
     * @param who   the layer, for messages
     * @throws IllegalArgumentException when the layer cannot be allocated or would have no connection
     */
    static void checkComplete(G2GDenseLayer layer, String who) {
        if (layer.getNIn() > 0 && layer.getNOut() > 0) {
            checkSize(who, layer.getNIn(), layer.getNOut());
            checkConnections(layer, who, 0);
        } else if (layer.getPIntra() == 0 && Double.isNaN(layer.getDensity()) && layer.getPInter() == 0) {
            throw new IllegalArgumentException(who + ": no connections: pIntra 0.0 and pInter 0.0 give an empty mask; "
                    + "set pIntra or pInter above 0");
        }
    }

    /**
     * The checks at init, when nIn and nOut are known.
     *
     * @param layer       the layer
     * @param who         the layer, for messages
     * @param networkSeed the network's seed (the partitions of RANDOM groupings)
     */
    static void checkForInit(G2GDenseLayer layer, String who, long networkSeed) {
        checkSize(who, layer.getNIn(), layer.getNOut());
        checkConnections(layer, who, networkSeed);
    }

    /**
     * @param who  the layer
     * @param nIn  inputs
     * @param nOut outputs
     * @throws IllegalArgumentException when W and M cannot be held in arrays of {@link #MAX_ENTRIES} entries
     */
    static void checkSize(String who, long nIn, long nOut) {
        double entries = (double) nIn * nOut;
        if (nIn > Integer.MAX_VALUE || nOut > Integer.MAX_VALUE || entries > MAX_ENTRIES) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: nIn * nOut = %,d x %,d = %,.0f is more "
                    + "than the %,d entries the layer's mask can hold (W and M alone would need %s in floats); "
                    + "use narrower layers", who, nIn, nOut, entries, MAX_ENTRIES, LayerMemory.bytes(entries * 8)));
        }
    }

    /**
     * Refuses a mask that would have no connection: pIntra and pInter both 0, or probabilities so small that the
     * exact count of every group block rounds to 0.
     */
    private static void checkConnections(G2GDenseLayer layer, String who, long networkSeed) {
        GroupPartition in = layer.inputPartition(networkSeed);
        GroupPartition out = layer.outputPartition(networkSeed);
        double pInter = layer.resolvePInter(in, out);
        double pIntra = layer.getPIntra();
        String values = "pIntra " + pIntra + " and pInter " + pInter
                + (Double.isNaN(layer.getDensity()) ? "" : " (density " + layer.getDensity() + ")");
        if (pIntra == 0 && pInter == 0) {
            throw new IllegalArgumentException(who + ": no connections: " + values + " give an empty mask; set pIntra "
                    + "or pInter above 0");
        }
        if (layer.isExactCount() && layer.getExecution() == Execution.MASKED
                && activeConnections(in.groupSizes(), out.groupSizes(), pIntra, pInter) == 0) {
            throw new IllegalArgumentException(who + ": no connections: with " + values + " the exact count of every "
                    + "group block of the " + layer.getNIn() + "x" + layer.getNOut() + " layer rounds to 0; raise the "
                    + "density, pIntra or pInter");
        }
    }

    /**
     * The number of connections an exact-count mask has: {@code round(p * |block|)} in every (input group, output
     * group) block, p = pIntra inside a group and pInter across.
     *
     * @param inSizes  neurons per input group
     * @param outSizes neurons per output group
     * @param pIntra   intra-group probability
     * @param pInter   inter-group probability
     * @return active connections
     */
    public static long activeConnections(int[] inSizes, int[] outSizes, double pIntra, double pInter) {
        long n = 0;
        for (int gi = 0; gi < inSizes.length; gi++) {
            for (int go = 0; go < outSizes.length; go++) {
                n += Math.round((gi == go ? pIntra : pInter) * ((long) inSizes[gi] * outSizes[go]));
            }
        }
        return n;
    }

    /**
     * Builds a layer read from JSON through the {@link G2GDenseLayer.Builder}, so that a bad value fails at
     * deserialisation with the builder's message, then sets the values exactly as written. Properties missing from
     * older JSON keep the values the no-argument constructor gives (see {@link G2GDenseLayer#isIndependentSides()}).
     *
     * @return the layer
     * @throws IllegalArgumentException as the builder throws it
     */
    static G2GDenseLayer fromJson(String layerName, Long nIn, Long nOut, Integer groups, Double pIntra, Double pInter,
                                  Double density, org.g2gnet.topology.Grouping grouping,
                                  org.g2gnet.topology.Grouping inputGrouping, Long maskSeed, Long groupingSeed,
                                  Long inputGroupingSeed, Boolean independentSides, Boolean exactCount,
                                  Execution execution, Integer tileSize) {
        G2GDenseLayer l = new G2GDenseLayer();
        G2GDenseLayer.Builder b = new G2GDenseLayer.Builder().name(layerName);
        if (nIn != null) {
            b.nIn(nIn);
            l.setNIn(nIn);
        }
        if (nOut != null) {
            b.nOut(nOut);
            l.setNOut(nOut);
        }
        if (groups != null) {
            b.groups(groups);
            l.setGroups(groups);
        }
        if (pIntra != null) {
            b.pIntra(pIntra);
            l.setPIntra(pIntra);
        }
        if (density != null && !Double.isNaN(density)) {
            b.density(density);
            l.setDensity(density);
        }
        if (pInter != null) {
            if (density == null || Double.isNaN(density)) {
                b.pInter(pInter);
            }
            l.setPInter(probability(G2GDenseLayer.describe(layerName, -1), "pInter", pInter));
        }
        if (grouping != null) {
            b.grouping(grouping);
            l.setGrouping(grouping);
        }
        if (inputGrouping != null) {
            b.inputGrouping(inputGrouping);
            l.setInputGrouping(inputGrouping);
        }
        if (exactCount != null) {
            b.exactCount(exactCount);
            l.setExactCount(exactCount);
        }
        if (execution != null) {
            b.execution(execution);
            l.setExecution(execution);
        }
        if (tileSize != null && tileSize != 0) {
            b.tileSize(tileSize);
            l.setTileSize(tileSize);
        }
        b.build();
        l.setLayerName(layerName);
        l.setMaskSeed(maskSeed);
        l.setGroupingSeed(groupingSeed);
        l.setInputGroupingSeed(inputGroupingSeed);
        l.setIndependentSides(independentSides != null && independentSides);
        return l;
    }
}
