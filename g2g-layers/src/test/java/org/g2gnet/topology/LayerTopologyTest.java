package org.g2gnet.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** The structure of a G2G layer from its specification, without DL4J. */
class LayerTopologyTest {

    /** A specification with the paper's defaults (pIntra 1, exact counts) and derived seeds. */
    private static LayerTopology.Spec spec(String name, int nIn, int nOut, int groups, double pInter, double density,
                                           Grouping in, Grouping out) {
        return new LayerTopology.Spec("layer '" + name + "'", name, nIn, nOut, groups, 1.0, pInter, density, in, out,
                null, null, null, true, true, 0);
    }

    @Test
    void aTargetDensityIsSolvedForTheActualPartitions() {
        // 30 and 21 neurons in 4 groups: unbalanced blocks, so pInter is not the balanced formula's
        LayerTopology t = spec("d", 30, 21, 4, 0.15, 0.4, Grouping.INDEX, Grouping.INTERLEAVED).resolve(7);
        assertEquals(ConnectionMask.solvePInter(0.4, 1.0, t.in(), t.out()), t.pInter(), 0);
        assertEquals(0.4, t.mask().density(), 0.01, "exact counts per block: the target up to rounding");
        LayerTopology given = spec("d", 30, 21, 4, 0.15, Double.NaN, Grouping.INDEX, Grouping.INDEX).resolve(7);
        assertEquals(0.15, given.pInter(), 0);
    }

    @Test
    void anUnreachableDensityNamesTheLayerAndTheRange() {
        String m = assertThrows(IllegalArgumentException.class,
                () -> spec("g", 32, 32, 4, 0.15, 0.1, Grouping.INDEX, Grouping.INDEX).resolve(1)).getMessage();
        assertTrue(m.startsWith("layer 'g': density 0.1 is not reachable with pIntra 1.0 and 4 groups: reachable "
                + "densities are [0.25, 1.0]"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> spec("g", 0, 0, 8, 0.15, 0.05, Grouping.INDEX, Grouping.INDEX).checkDensityOfBalancedGroups())
                .getMessage();
        assertTrue(m.contains("reachable densities are about [0.125, 1.0]"), m);
    }

    @Test
    void eachRandomSideDrawsItsOwnPermutationUnlessWrittenBeforeThat() {
        LayerTopology.Spec s = spec("r", 32, 32, 4, 0.2, Double.NaN, Grouping.RANDOM, Grouping.RANDOM);
        assertFalse(Arrays.equals(s.inputPartition(3).labels(), s.outputPartition(3).labels()));
        assertFalse(Arrays.equals(s.inputPartition(3).labels(), s.inputPartition(4).labels()), "per network seed");
        LayerTopology.Spec legacy = new LayerTopology.Spec("l", "r", 32, 32, 4, 1.0, 0.2, Double.NaN, Grouping.RANDOM,
                Grouping.RANDOM, null, null, null, false, true, 0);
        assertArrayEquals(legacy.inputPartition(3).labels(), legacy.outputPartition(3).labels(),
                "before 0.2 both sides used the network seed");
        assertArrayEquals(GroupPartition.of(Grouping.RANDOM, 32, 4, 3).labels(), legacy.inputPartition(3).labels());
        LayerTopology.Spec explicit = new LayerTopology.Spec("l", "r", 32, 32, 4, 1.0, 0.2, Double.NaN,
                Grouping.RANDOM, Grouping.RANDOM, null, 5L, 6L, true, true, 0);
        assertArrayEquals(GroupPartition.of(Grouping.RANDOM, 32, 4, 5).labels(), explicit.inputPartition(9).labels());
        assertArrayEquals(GroupPartition.of(Grouping.RANDOM, 32, 4, 6).labels(), explicit.outputPartition(9).labels());
    }

    @Test
    void theMaskSeedDerivesFromTheNetworkSeedAndTheLayerName() {
        float[] a = spec("a", 24, 16, 4, 0.3, Double.NaN, Grouping.INDEX, Grouping.INDEX).resolve(1).mask().values();
        float[] again = spec("a", 24, 16, 4, 0.3, Double.NaN, Grouping.INDEX, Grouping.INDEX).resolve(1).mask().values();
        float[] other = spec("b", 24, 16, 4, 0.3, Double.NaN, Grouping.INDEX, Grouping.INDEX).resolve(1).mask().values();
        assertArrayEquals(a, again);
        assertFalse(Arrays.equals(a, other));
        LayerTopology.Spec fixed = new LayerTopology.Spec("l", "a", 24, 16, 4, 1.0, 0.3, Double.NaN, Grouping.INDEX,
                Grouping.INDEX, 42L, null, null, true, true, 0);
        assertArrayEquals(fixed.resolve(1).mask().values(), fixed.resolve(2).mask().values());
        assertEquals(42L, fixed.maskSeed(1));
    }

    @Test
    void structuredLayoutAndItsChecks() {
        LayerTopology.Spec paper = spec("p", 784, 1024, 8, 0.15, Double.NaN, Grouping.INDEX, Grouping.INDEX);
        assertEquals(14, paper.effectiveTileSize(), "groups of 98, the largest divisor <= 98 / 4");
        TileLayout t = paper.resolve(1).tileLayout();
        assertEquals(98 + 7 * 14, t.fanIn(), "round(0.15 * 686 / 14) = 7 tiles");
        int[][] slots = paper.resolve(1).initialSlots();
        t.checkSlots(slots);
        assertEquals(8, slots.length);
        LayerTopology.Spec soft = new LayerTopology.Spec("layer 's'", "s", 24, 16, 4, 0.9, 0.3, Double.NaN,
                Grouping.INDEX, Grouping.INDEX, null, null, null, true, true, 0);
        String m = assertThrows(IllegalArgumentException.class, () -> soft.checkStructured("layer 's' (index 2)", 1))
                .getMessage();
        assertEquals("layer 's' (index 2): structured execution needs pIntra = 1 (dense intra-group blocks), got 0.9", m);
        m = assertThrows(IllegalArgumentException.class, () -> spec("s", 25, 16, 4, 0.3, Double.NaN, Grouping.INDEX,
                Grouping.INDEX).checkStructured("here", 1)).getMessage();
        assertTrue(m.contains("needs groups (4) to divide nIn (25) and nOut (16)"), m);
    }
}
