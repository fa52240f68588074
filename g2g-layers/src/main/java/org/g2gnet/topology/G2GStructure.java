package org.g2gnet.topology;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The structure a user chooses for a G2G layer, the same for every layer kind (dense, convolution, block): G groups
 * on each side, the probability of a connection inside a group (pIntra) and across groups (pInter, or a target
 * density that pInter is solved from), the grouping of each side, the seeds of the draws (null: derived from the
 * network seed and the layer's name) and exact or Bernoulli counts per group block. A plain immutable value: a layer
 * configuration holds one, its {@link Builder} is the part of every layer builder that sets it.
 *
 * <p>The checks here are the one place that says what a valid structure is; their messages name the layer (the
 * {@code who} argument, e.g. "G2GDenseLayer 'g2g1'"), the field, the allowed range and the value:
 * "G2GDenseLayer 'g2g1': pInter must be in [0, 1], got 1.5". Checks that need the layer's sizes (more groups than
 * neurons, an unreachable density for the actual partitions) are the configuration's, once nIn and nOut are known.
 * The constructor and the {@code with...} copies do not check (they cannot name the layer): {@link #validate} does,
 * and so does every configuration's {@code setStructure} and the {@link Builder}.</p>
 *
 * @param groups            number of groups G on each side, &gt;= 1
 * @param pIntra            probability of a connection inside a group, in [0, 1]
 * @param pInter            probability of a connection across groups, in [0, 1] (unused when a density is set)
 * @param density           target density in (0, 1], or NaN to use pInter
 * @param grouping          grouping of the output side
 * @param inputGrouping     grouping of the input side
 * @param maskSeed          seed of the mask draw, or null: derived from the network seed and the layer's name
 * @param groupingSeed      seed of a RANDOM output side, or null: derived from the network seed, the name and the side
 * @param inputGroupingSeed seed of a RANDOM input side, or null: derived like groupingSeed
 * @param exactCount        exactly round(p |block|) connections per group block (true) or Bernoulli draws
 */
public record G2GStructure(int groups, double pIntra, double pInter, double density, Grouping grouping,
                           Grouping inputGrouping, Long maskSeed, Long groupingSeed, Long inputGroupingSeed,
                           boolean exactCount) implements Serializable {

    /** Default number of groups G (the paper's). */
    public static final int DEFAULT_GROUPS = 8;
    /** Default intra-group connection probability (the paper's). */
    public static final double DEFAULT_P_INTRA = 1.0;
    /** Default inter-group connection probability (the paper's). */
    public static final double DEFAULT_P_INTER = 0.15;
    /** The paper's structure: G = 8, pIntra 1, pInter 0.15, INDEX on both sides, derived seeds, exact counts. */
    public static final G2GStructure DEFAULT = new G2GStructure(DEFAULT_GROUPS, DEFAULT_P_INTRA, DEFAULT_P_INTER,
            Double.NaN, Grouping.INDEX, Grouping.INDEX, null, null, null, true);

    /**
     * The intra share of the structure rule ({@link #autoGroups}): nine tenths of the active connections inside
     * groups, one tenth between them.
     */
    public static final double AUTO_INTRA_SHARE = 0.9;

    /**
     * The structure rule for a density d ({@code ./g2g --groups auto}): G the largest power of two at most 1/d (so
     * that d G is between 1/2 and 1: all the connections would fit inside the groups), with
     * {@link #AUTO_INTRA_SHARE} of them inside (pIntra = 0.9 d G). At 0.25, 0.1, 0.05 and 0.02 it gives G = 4, 8, 16
     * and 32: the group counts of the best structures on validation (the structure screen's best at 0.25, 0.1 and
     * 0.02; at 0.05 its second, which won on the full protocol by 0.6 points), with a share that is the screen's best
     * at that G or within 0.4 points of it (docs/RESULTS.md, "The structure rule").
     *
     * @param density the target density, in (0, 1]
     * @return G, e.g. 2 at 0.5, 4 at 0.25, 8 at 0.1, 16 at 0.05, 32 at 0.02 (1 above 0.5)
     * @throws IllegalArgumentException when the density is not in (0, 1]
     */
    public static int autoGroups(double density) {
        checkDensity("the structure rule", density);
        int g = 1;
        while (2.0 * g * density <= 1 + 1e-9) {
            g *= 2;
        }
        return g;
    }

    /**
     * Checks every value of this structure.
     *
     * @param who how the messages name the layer, e.g. "G2GDenseLayer 'g2g1'"
     * @return this
     * @throws IllegalArgumentException naming the layer, the first field out of range and its value
     */
    public G2GStructure validate(String who) {
        checkGroups(who, groups);
        checkProbability(who, "pIntra", pIntra);
        checkProbability(who, "pInter", pInter);
        if (hasDensity()) {
            checkDensity(who, density);
        }
        checkGrouping(who, "grouping", grouping);
        checkGrouping(who, "inputGrouping", inputGrouping);
        return this;
    }

    /** @return whether pInter is solved from a target density (true) or given */
    public boolean hasDensity() {
        return !Double.isNaN(density);
    }

    /** @return pIntra / G + pInter (G-1) / G, or the target density when one is set */
    public double nominalDensity() {
        return hasDensity() ? density : ConnectionMask.nominalDensity(groups, pIntra, pInter);
    }

    /**
     * What this structure is for one layer of a network, before the network's seed is known.
     *
     * @param who              how errors name the layer
     * @param name             the layer's name (part of the derived seeds), or null
     * @param nIn              input neurons (channels)
     * @param nOut             output neurons (channels)
     * @param independentSides see {@link LayerTopology.Spec}
     * @param tileSize         tile size of structured execution, 0 for the automatic one
     * @return the specification the topology is resolved from
     */
    public LayerTopology.Spec spec(String who, String name, long nIn, long nOut, boolean independentSides,
                                   int tileSize) {
        return new LayerTopology.Spec(who, name, nIn, nOut, groups, pIntra, pInter, density, inputGrouping, grouping,
                maskSeed, inputGroupingSeed, groupingSeed, independentSides, exactCount, tileSize);
    }

    /** @return "pInter=0.15", or "density=0.25" when a density is set */
    public String describeInter() {
        return hasDensity() ? "density=" + density : "pInter=" + pInter;
    }

    /** @return the values as a configuration's toString lists them, "groups=8, pIntra=1.0, pInter=0.15, ..." */
    public String describe() {
        return "groups=" + groups + ", pIntra=" + pIntra + ", " + describeInter() + ", grouping=" + grouping
                + ", inputGrouping=" + inputGrouping + ", exactCount=" + exactCount;
    }

    // ---------------------------------------------------------------- copies with one value changed (unchecked)

    /** @param v groups @return a copy with that value */
    public G2GStructure withGroups(int v) {
        return new G2GStructure(v, pIntra, pInter, density, grouping, inputGrouping, maskSeed, groupingSeed,
                inputGroupingSeed, exactCount);
    }

    /** @param v pIntra @return a copy with that value */
    public G2GStructure withPIntra(double v) {
        return new G2GStructure(groups, v, pInter, density, grouping, inputGrouping, maskSeed, groupingSeed,
                inputGroupingSeed, exactCount);
    }

    /** @param v pInter @return a copy with that value */
    public G2GStructure withPInter(double v) {
        return new G2GStructure(groups, pIntra, v, density, grouping, inputGrouping, maskSeed, groupingSeed,
                inputGroupingSeed, exactCount);
    }

    /** @param v target density, NaN for none @return a copy with that value */
    public G2GStructure withDensity(double v) {
        return new G2GStructure(groups, pIntra, pInter, v, grouping, inputGrouping, maskSeed, groupingSeed,
                inputGroupingSeed, exactCount);
    }

    /** @param v grouping of the output side @return a copy with that value */
    public G2GStructure withGrouping(Grouping v) {
        return new G2GStructure(groups, pIntra, pInter, density, v, inputGrouping, maskSeed, groupingSeed,
                inputGroupingSeed, exactCount);
    }

    /** @param v grouping of the input side @return a copy with that value */
    public G2GStructure withInputGrouping(Grouping v) {
        return new G2GStructure(groups, pIntra, pInter, density, grouping, v, maskSeed, groupingSeed,
                inputGroupingSeed, exactCount);
    }

    /** @param v mask seed, or null @return a copy with that value */
    public G2GStructure withMaskSeed(Long v) {
        return new G2GStructure(groups, pIntra, pInter, density, grouping, inputGrouping, v, groupingSeed,
                inputGroupingSeed, exactCount);
    }

    /** @param v seed of a RANDOM output side, or null @return a copy with that value */
    public G2GStructure withGroupingSeed(Long v) {
        return new G2GStructure(groups, pIntra, pInter, density, grouping, inputGrouping, maskSeed, v,
                inputGroupingSeed, exactCount);
    }

    /** @param v seed of a RANDOM input side, or null @return a copy with that value */
    public G2GStructure withInputGroupingSeed(Long v) {
        return new G2GStructure(groups, pIntra, pInter, density, grouping, inputGrouping, maskSeed, groupingSeed, v,
                exactCount);
    }

    /** @param v exact counts (true) or Bernoulli draws @return a copy with that value */
    public G2GStructure withExactCount(boolean v) {
        return new G2GStructure(groups, pIntra, pInter, density, grouping, inputGrouping, maskSeed, groupingSeed,
                inputGroupingSeed, v);
    }

    // ---------------------------------------------------------------- the checks of single values

    /**
     * @param who the layer
     * @param v   number of groups
     * @return v
     * @throws IllegalArgumentException when v &lt; 1
     */
    public static int checkGroups(String who, int v) {
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
    public static double checkProbability(String who, String field, double v) {
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
    public static double checkDensity(String who, double v) {
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
    public static double checkIntraShare(String who, double v) {
        if (!(v > 0 && v <= 1)) {
            throw new IllegalArgumentException(who + ": intraShare must be in (0, 1], got " + v);
        }
        return v;
    }

    private static Grouping checkGrouping(String who, String field, Grouping v) {
        if (v == null) {
            throw new IllegalArgumentException(who + ": " + field + " must be set (INDEX, INTERLEAVED or RANDOM)");
        }
        return v;
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
        checkIntraShare(who, share);
        checkDensity(who, density);
        checkGroups(who, groups);
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

    /** @return v to 6 significant digits without trailing zeros, e.g. 1.44 or 0.625 */
    private static String short6(double v) {
        return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }

    /**
     * The part of a layer builder that sets the structure: each setter checks its value at once, {@link #build()}
     * checks the combinations that need no sizes (pInter and a density together; an intra share, which it turns
     * into pIntra). Messages name the layer as the builder names it when the value is set.
     */
    public static final class Builder {
        private final Supplier<String> who;
        private int groups = DEFAULT_GROUPS;
        private double pIntra = DEFAULT_P_INTRA;
        private boolean pIntraSet;
        private double pInter = DEFAULT_P_INTER;
        private boolean pInterSet;
        private double density = Double.NaN;
        private double intraShare = Double.NaN;
        private Grouping grouping = Grouping.INDEX;
        private Grouping inputGrouping = Grouping.INDEX;
        private Long maskSeed;
        private Long groupingSeed;
        private Long inputGroupingSeed;
        private boolean exactCount = true;

        /** @param who how messages name the layer, asked when a message is written (the name may come late) */
        public Builder(Supplier<String> who) {
            this.who = Objects.requireNonNull(who, "who");
        }

        /** @param v number of groups G, &gt;= 1 @return this */
        public Builder groups(int v) {
            groups = checkGroups(who.get(), v);
            return this;
        }

        /** @param v probability of a connection inside a group, in [0, 1] @return this */
        public Builder pIntra(double v) {
            pIntra = checkProbability(who.get(), "pIntra", v);
            pIntraSet = true;
            return this;
        }

        /** @param v probability of a connection across groups, in [0, 1] @return this */
        public Builder pInter(double v) {
            pInter = checkProbability(who.get(), "pInter", v);
            pInterSet = true;
            return this;
        }

        /** @param v target density instead of pInter, in (0, 1] @return this */
        public Builder density(double v) {
            density = checkDensity(who.get(), v);
            return this;
        }

        /** @param v share of the active connections inside groups, in (0, 1] (with a density) @return this */
        public Builder intraShare(double v) {
            intraShare = checkIntraShare(who.get(), v);
            return this;
        }

        /** @param v grouping of the output side @return this */
        public Builder grouping(Grouping v) {
            grouping = Objects.requireNonNull(v, "grouping");
            return this;
        }

        /** @param v grouping of the input side @return this */
        public Builder inputGrouping(Grouping v) {
            inputGrouping = Objects.requireNonNull(v, "inputGrouping");
            return this;
        }

        /** @param v seed of the mask draw @return this */
        public Builder maskSeed(long v) {
            maskSeed = v;
            return this;
        }

        /** @param v seed of a RANDOM output side @return this */
        public Builder groupingSeed(long v) {
            groupingSeed = v;
            return this;
        }

        /** @param v seed of a RANDOM input side @return this */
        public Builder inputGroupingSeed(long v) {
            inputGroupingSeed = v;
            return this;
        }

        /** @param v exact counts per group block (true) or Bernoulli draws @return this */
        public Builder exactCount(boolean v) {
            exactCount = v;
            return this;
        }

        /**
         * Sets every value of a structure read back (from JSON): checked as the setters check them, with pInter
         * counted as set only when no density is (a configuration writes both).
         *
         * @param s the structure
         * @return this
         */
        public Builder from(G2GStructure s) {
            s.validate(who.get());
            groups = s.groups;
            pIntra = s.pIntra;
            pIntraSet = true;
            pInter = s.pInter;
            pInterSet = !s.hasDensity();
            density = s.density;
            grouping = s.grouping;
            inputGrouping = s.inputGrouping;
            maskSeed = s.maskSeed;
            groupingSeed = s.groupingSeed;
            inputGroupingSeed = s.inputGroupingSeed;
            exactCount = s.exactCount;
            return this;
        }

        /**
         * @return the structure
         * @throws IllegalArgumentException when an intra share is set without a density or together with pIntra or
         *                                  cannot be reached, or when both pInter and a density are set
         */
        public G2GStructure build() {
            String w = who.get();
            double intra = pIntra;
            if (!Double.isNaN(intraShare)) {
                if (pIntraSet) {
                    throw new IllegalArgumentException(w + ": set either pIntra (" + pIntra + ") or intraShare ("
                            + intraShare + "), not both: the share sets pIntra = intraShare x density x groups");
                }
                if (Double.isNaN(density)) {
                    throw new IllegalArgumentException(w + ": intraShare (" + intraShare + ") needs a target density "
                            + "(set density(d)): the share is of the active connections at that density");
                }
                intra = pIntraForShare(w, intraShare, density, groups);
            }
            if (pInterSet && !Double.isNaN(density)) {
                throw new IllegalArgumentException(w + ": set either pInter (" + pInter + ") or density (" + density
                        + "), not both");
            }
            return new G2GStructure(groups, intra, pInter, density, grouping, inputGrouping, maskSeed, groupingSeed,
                    inputGroupingSeed, exactCount);
        }
    }
}
