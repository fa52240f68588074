package org.g2gnet.conf;

import java.util.Locale;

import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.g2gnet.topology.G2GStructure;
import org.g2gnet.topology.GroupPartition;
import org.g2gnet.topology.Grouping;

/**
 * The checks of the G2G layers' values that need more than the structure alone (its single values are checked by
 * {@link G2GStructure}), in one place so that the builders, the setters, JSON deserialisation (which runs the
 * builder, see {@link #structureFromJson}) and {@code instantiate} say the same thing: the layer, the field, the
 * allowed range and the value.
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
     * How messages name a layer: its kind, its name when it has one and its index when it is known, e.g.
     * "G2GDenseLayer 'g2g1' (index 2)".
     *
     * @param kind       the configuration class's simple name
     * @param name       the layer's name, or null
     * @param layerIndex its index in the network, or -1
     * @return the description
     */
    static String describe(String kind, String name, long layerIndex) {
        StringBuilder sb = new StringBuilder(kind);
        if (name != null) {
            sb.append(" '").append(name).append('\'');
        }
        if (layerIndex >= 0) {
            sb.append(" (index ").append(layerIndex).append(')');
        }
        return sb.toString();
    }

    /**
     * See {@link G2GStructure#pIntraForShare}: the intra-group probability that puts a share of a layer's active
     * connections inside its groups at a density.
     *
     * @param who     how the error names the layer or option, e.g. "G2GDenseLayer 'g2g1'" or "--intra-share"
     * @param share   s, in (0, 1]
     * @param density d, in (0, 1]
     * @param groups  G, &gt;= 1
     * @return pIntra = s d G, in (0, 1]
     * @throws IllegalArgumentException naming the values when the share cannot be reached
     */
    public static double pIntraForShare(String who, double share, double density, int groups) {
        return G2GStructure.pIntraForShare(who, share, density, groups);
    }

    /**
     * The sizes a builder checks: nIn and nOut not negative (0: set later from the input type), and when both are
     * known at most min(nIn, nOut) groups.
     *
     * @param who    the layer
     * @param nIn    inputs (0 when not known yet)
     * @param nOut   outputs
     * @param groups G
     * @param unit   what a side holds, for the message: "" (neurons) or " channels"
     * @throws IllegalArgumentException naming the layer and the values
     */
    static void checkSizes(String who, long nIn, long nOut, int groups, String unit) {
        if (nIn < 0 || nOut < 0) {
            throw new IllegalArgumentException(who + ": nIn and nOut must be > 0, got nIn " + nIn + " and nOut "
                    + nOut);
        }
        if (nIn > 0 && nOut > 0) {
            checkGroupsFit(who, nIn, nOut, groups, unit, "");
        }
    }

    /**
     * The sizes checked again when the layer is instantiated, nIn and nOut known: at most min(nIn, nOut) groups and
     * a mask that fits in an int-indexed array.
     *
     * @param who    the layer, with its index
     * @param nIn    inputs
     * @param nOut   outputs
     * @param groups G
     * @param unit   "" or " channels"
     * @param hint   what to do about too many groups on one input, appended to the message when nIn is 1 (or "")
     */
    static void checkShape(String who, long nIn, long nOut, int groups, String unit, String hint) {
        checkGroupsFit(who, nIn, nOut, groups, unit, nIn == 1 ? hint : "");
        if (nIn > Integer.MAX_VALUE || nOut > Integer.MAX_VALUE || nIn * nOut > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(who + ": nIn * nOut must fit in an int array, got nIn " + nIn
                    + " and nOut " + nOut);
        }
    }

    private static void checkGroupsFit(String who, long nIn, long nOut, int groups, String unit, String hint) {
        if (groups > Math.min(nIn, nOut)) {
            throw new IllegalArgumentException(who + ": groups must be in [1, min(nIn, nOut)] = [1, "
                    + Math.min(nIn, nOut) + "] for nIn " + nIn + " and nOut " + nOut + unit + ", got " + groups + hint);
        }
    }

    /**
     * Checks that a layer's target density, if it has one, is reachable with its pIntra: for its partitions when
     * nIn and nOut are known, else for balanced groups (nIn comes from the input type later).
     *
     * @param layer the layer
     * @param nIn   inputs (0 when not known yet)
     * @param nOut  outputs
     * @throws IllegalArgumentException naming the layer, the density, pIntra and the reachable range
     */
    static void checkDensityReachable(G2GStructured layer, long nIn, long nOut) {
        if (layer.getStructure().hasDensity()) {
            if (nIn > 0 && nOut > 0) {
                layer.resolvePInter(layer.inputPartition(0), layer.outputPartition(0));
            } else {
                layer.topologySpec().checkDensityOfBalancedGroups();
            }
        }
    }

    /**
     * The sizes read from JSON, given to the builder (which checks them) and to the configuration being read.
     *
     * @param b   the layer's builder
     * @param l   the configuration being read
     * @param nIn the written nIn, or null
     * @param nOut the written nOut, or null
     */
    static void sizesFromJson(FeedForwardLayer.Builder<?> b, FeedForwardLayer l, Long nIn, Long nOut) {
        if (nIn != null) {
            b.nIn(nIn);
            l.setNIn(nIn);
        }
        if (nOut != null) {
            b.nOut(nOut);
            l.setNOut(nOut);
        }
    }

    /**
     * The structure of a configuration read from JSON, exactly as written (absent properties take the defaults),
     * handed to the layer builder's structure part so that a bad value fails with the builder's message; the
     * caller then builds, to check combinations as the builder checks them.
     *
     * @param part the structure part of a builder named like the layer
     * @return the structure as written
     * @throws IllegalArgumentException as the builder throws it
     */
    static G2GStructure structureFromJson(G2GStructure.Builder part, Integer groups, Double pIntra, Double pInter,
                                          Double density, Grouping grouping, Grouping inputGrouping, Long maskSeed,
                                          Long groupingSeed, Long inputGroupingSeed, Boolean exactCount) {
        G2GStructure d = G2GStructure.DEFAULT;
        G2GStructure s = new G2GStructure(groups != null ? groups : d.groups(), pIntra != null ? pIntra : d.pIntra(),
                pInter != null ? pInter : d.pInter(), density != null ? density : d.density(),
                grouping != null ? grouping : d.grouping(), inputGrouping != null ? inputGrouping : d.inputGrouping(),
                maskSeed, groupingSeed, inputGroupingSeed, exactCount != null ? exactCount : d.exactCount());
        part.from(s);
        return s;
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
}
