package org.g2gnet.topology;

import org.g2gnet.util.Seeds;

/**
 * The static structure of one G2G layer in one network, resolved from its {@link Spec} and the network's seed:
 * the partitions of its two sides, the inter-group probability it uses (given, or solved from a target density),
 * and what is drawn from them: the connection mask of masked execution, the tile layout and the initial slots
 * of structured execution. A plain value: no DL4J, no ND4J.
 *
 * @param in         partition of the input side (nIn neurons)
 * @param out        partition of the output side (nOut neurons)
 * @param pIntra     intra-group connection probability
 * @param pInter     inter-group connection probability, in [0, 1]
 * @param exactCount exact connection counts per group block (true) or Bernoulli draws
 * @param maskSeed   seed of the mask draw and of the initial slots
 * @param tileSize   tile size of structured execution (resolved, &gt;= 1)
 */
public record LayerTopology(GroupPartition in, GroupPartition out, double pIntra, double pInter, boolean exactCount,
                            long maskSeed, int tileSize) {

    /** @return the connection mask of masked execution, [nIn, nOut] */
    public ConnectionMask mask() {
        return ConnectionMask.generate(in, out, pIntra, pInter, exactCount, maskSeed);
    }

    /**
     * @return the tile layout of structured execution (c = round(pInter (nIn - nIn / G) / T) tiles of other
     * groups per output group)
     */
    public TileLayout tileLayout() {
        return TileLayout.of(in, out, tileSize, pInter);
    }

    /** @return the initial slot tiles of structured execution, [G][c], drawn with the mask seed */
    public int[][] initialSlots() {
        return tileLayout().randomSlots(maskSeed);
    }

    /**
     * What a user chooses for a G2G layer's structure, before the network's seed is known (the configuration
     * class holds these values as its fields and builds this record on demand).
     *
     * @param who                how errors name the layer, e.g. "G2GDenseLayer 'g2g1'"
     * @param name               the layer's name (part of the derived seeds), or null
     * @param nIn                input neurons
     * @param nOut               output neurons
     * @param groups             number of groups G (both sides)
     * @param pIntra             intra-group probability
     * @param pInter             inter-group probability (ignored when a density is given)
     * @param density            target density, or NaN to use pInter
     * @param inputGrouping      grouping of the input side
     * @param outputGrouping     grouping of the output side
     * @param maskSeed           explicit mask seed, or null: derived from the network seed and the name
     * @param inputGroupingSeed  explicit seed of a RANDOM input side, or null
     * @param outputGroupingSeed explicit seed of a RANDOM output side, or null
     * @param independentSides   true: each RANDOM side without an explicit seed gets its own derived seed; false
     *                           (configurations written before version 0.2): both sides use the output grouping
     *                           seed or the network seed
     * @param exactCount         exact counts per block
     * @param tileSize           tile size of structured execution, or 0 for the automatic one
     */
    public record Spec(String who, String name, long nIn, long nOut, int groups, double pIntra, double pInter,
                       double density, Grouping inputGrouping, Grouping outputGrouping, Long maskSeed,
                       Long inputGroupingSeed, Long outputGroupingSeed, boolean independentSides, boolean exactCount,
                       int tileSize) {

        /**
         * @param networkSeed the network's seed
         * @return everything resolved for that seed
         * @throws IllegalArgumentException when the density is not reachable
         */
        public LayerTopology resolve(long networkSeed) {
            GroupPartition in = inputPartition(networkSeed);
            GroupPartition out = outputPartition(networkSeed);
            return new LayerTopology(in, out, pIntra, resolvePInter(in, out), exactCount, maskSeed(networkSeed),
                    effectiveTileSize());
        }

        /**
         * @param networkSeed the network's seed (for RANDOM groupings without an explicit seed)
         * @return the partition of the nIn input neurons
         */
        public GroupPartition inputPartition(long networkSeed) {
            return GroupPartition.of(inputGrouping, Math.toIntExact(nIn), groups, sideSeed(networkSeed, true));
        }

        /**
         * @param networkSeed the network's seed
         * @return the partition of the nOut output neurons
         */
        public GroupPartition outputPartition(long networkSeed) {
            return GroupPartition.of(outputGrouping, Math.toIntExact(nOut), groups, sideSeed(networkSeed, false));
        }

        /**
         * The seed of one side's RANDOM grouping: the explicit one, else one derived from the network seed, the
         * layer name and the side, so that every side of every layer has its own permutation (see
         * {@code independentSides} for configurations written before that).
         *
         * @param networkSeed the network's seed
         * @param input       the input side (true) or the output side
         * @return the seed of that side's RANDOM permutation
         */
        public long sideSeed(long networkSeed, boolean input) {
            if (!independentSides) {
                return outputGroupingSeed != null ? outputGroupingSeed : networkSeed;
            }
            Long explicit = input ? inputGroupingSeed : outputGroupingSeed;
            return explicit != null ? explicit
                    : Seeds.mix(Seeds.mix(networkSeed, name), input ? "input-side" : "output-side");
        }

        /**
         * @param networkSeed the network's seed
         * @return the seed of the mask draw and of the initial slots
         */
        public long maskSeed(long networkSeed) {
            return maskSeed != null ? maskSeed : Seeds.mix(networkSeed, name);
        }

        /**
         * The inter-group probability the layer uses: pInter, or the value solved from the target density for
         * the given partitions.
         *
         * @param in  input partition
         * @param out output partition
         * @return pInter in [0, 1]
         * @throws IllegalArgumentException when the density is not reachable with pIntra
         */
        public double resolvePInter(GroupPartition in, GroupPartition out) {
            if (Double.isNaN(density)) {
                return pInter;
            }
            double p = ConnectionMask.solvePInter(density, pIntra, in, out);
            if (Double.isNaN(p) || p < -1e-9 || p > 1 + 1e-9) {
                double intraShare = GroupPartition.intraPairs(in, out) / ((double) in.size() * out.size());
                throw new IllegalArgumentException(who + ": density " + density + " is not reachable with pIntra "
                        + pIntra + " and " + groups + " groups: reachable densities are [" + round(pIntra * intraShare)
                        + ", " + round(pIntra * intraShare + (1 - intraShare)) + "]");
            }
            return Math.min(1, Math.max(0, p));
        }

        /**
         * Checks the target density against balanced groups, for when nIn is not known yet (it comes from the
         * input type later).
         *
         * @throws IllegalArgumentException when no balanced layer reaches it
         */
        public void checkDensityOfBalancedGroups() {
            double intra = 1.0 / groups;
            double lo = pIntra * intra;
            double hi = lo + (1 - intra);
            if (density < lo - 1e-9 || density > hi + 1e-9) {
                throw new IllegalArgumentException(who + ": density " + density + " is not reachable with pIntra "
                        + pIntra + " and " + groups + " groups: reachable densities are about [" + round(lo) + ", "
                        + round(hi) + "]");
            }
        }

        /** @return the tile size of structured execution: the given one, else the largest divisor of nIn / G that is at most nIn / (4 G) */
        public int effectiveTileSize() {
            if (tileSize > 0) {
                return tileSize;
            }
            int ng = (int) Math.max(1, nIn / Math.max(1, groups));
            int best = 1;
            for (int t = 1; t <= Math.max(1, ng / 4); t++) {
                if (ng % t == 0) {
                    best = t;
                }
            }
            return best;
        }

        /**
         * Checks what structured execution needs: pIntra = 1, G dividing nIn and nOut, a tile layout that fits.
         *
         * @param where       how the error names the layer (with its index when known)
         * @param networkSeed the network's seed
         * @throws IllegalArgumentException naming the layer and the values
         */
        public void checkStructured(String where, long networkSeed) {
            if (pIntra != 1.0) {
                throw new IllegalArgumentException(where + ": structured execution needs pIntra = 1 (dense intra-group "
                        + "blocks), got " + pIntra);
            }
            if (nIn % groups != 0 || nOut % groups != 0) {
                throw new IllegalArgumentException(where + ": structured execution needs groups (" + groups
                        + ") to divide nIn (" + nIn + ") and nOut (" + nOut + ")");
            }
            try {
                resolve(networkSeed).tileLayout();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        }

        private static double round(double v) {
            return Math.round(v * 1e6) / 1e6;
        }
    }
}
