package org.g2gnet.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ConnectionMaskTest {

    private static GroupPartition part(Grouping g, int n, int groups) {
        return GroupPartition.of(g, n, groups, 7);
    }

    @ParameterizedTest
    @EnumSource(Grouping.class)
    void exactModeHitsEveryBlockCount(Grouping grouping) {
        GroupPartition in = part(Grouping.INDEX, 784, 8);
        GroupPartition out = part(grouping, 1024, 8);
        ConnectionMask m = ConnectionMask.generate(in, out, 1.0, 0.15, true, 3);
        int[][] counts = new int[8][8];
        for (int o = 0; o < 1024; o++) {
            for (int i = 0; i < 784; i++) {
                if (m.isActive(i, o)) {
                    counts[in.labels()[i]][out.labels()[o]]++;
                }
            }
        }
        int[] a = in.groupSizes();
        int[] b = out.groupSizes();
        for (int gi = 0; gi < 8; gi++) {
            for (int go = 0; go < 8; go++) {
                double p = gi == go ? 1.0 : 0.15;
                assertEquals(Math.round(p * a[gi] * b[go]), counts[gi][go], "block " + gi + "," + go);
            }
        }
        assertEquals(0.25625, m.density(), 1e-3);
    }

    @ParameterizedTest
    @EnumSource(Grouping.class)
    void bernoulliModeIsCloseToTheNominalDensity(Grouping grouping) {
        ConnectionMask m = ConnectionMask.generate(part(Grouping.INDEX, 512, 8), part(grouping, 512, 8), 1.0, 0.15,
                false, 5);
        assertEquals(0.25625, m.density(), 0.005);
        // intra blocks are full
        GroupPartition in = part(Grouping.INDEX, 512, 8);
        GroupPartition out = part(grouping, 512, 8);
        for (int o = 0; o < 512; o += 37) {
            for (int i = 0; i < 512; i += 11) {
                if (in.labels()[i] == out.labels()[o]) {
                    assertTrue(m.isActive(i, o));
                }
            }
        }
    }

    @Test
    void sameSeedSameMaskOtherSeedOtherMask() {
        GroupPartition p = part(Grouping.INDEX, 64, 4);
        assertArrayEquals(ConnectionMask.generate(p, p, 0.9, 0.2, true, 1).values(),
                ConnectionMask.generate(p, p, 0.9, 0.2, true, 1).values());
        assertTrue(!java.util.Arrays.equals(ConnectionMask.generate(p, p, 0.9, 0.2, true, 1).values(),
                ConnectionMask.generate(p, p, 0.9, 0.2, true, 2).values()));
    }

    @Test
    void solvePInterGivesTheRequestedSparsity() {
        GroupPartition p = part(Grouping.INDEX, 1024, 8);
        assertEquals(1.0 / 7, ConnectionMask.solvePInter(0.25, 1.0, p, p), 1e-12);
        assertEquals(3.0 / 7, ConnectionMask.solvePInter(0.5, 1.0, p, p), 1e-12);
        double pi = ConnectionMask.solvePInter(0.25, 1.0, p, p);
        assertEquals(0.25, ConnectionMask.generate(p, p, 1.0, pi, true, 1).density(), 1e-4);
        // unreachable: below the intra share
        assertTrue(ConnectionMask.solvePInter(0.05, 1.0, p, p) < 0);
        // G = 1: only density == pIntra is reachable
        GroupPartition one = part(Grouping.INDEX, 10, 1);
        assertTrue(Double.isNaN(ConnectionMask.solvePInter(0.3, 1.0, one, one)));
    }

    @Test
    void unbalancedGroupsStillGiveExactDensity() {
        GroupPartition in = part(Grouping.INDEX, 13, 5);
        GroupPartition out = part(Grouping.INTERLEAVED, 11, 5);
        double pi = ConnectionMask.solvePInter(0.5, 1.0, in, out);
        ConnectionMask m = ConnectionMask.generate(in, out, 1.0, pi, true, 9);
        // exact mode rounds each of the 25 blocks to a whole count: at most half an entry off per block
        assertEquals(0.5, m.density(), 0.5 * 25 / (13.0 * 11));
        int[] fan = m.fanIn();
        assertEquals(11, fan.length);
        assertEquals(m.activeCount(), java.util.Arrays.stream(fan).sum());
    }

    @Test
    void badValuesAreRejected() {
        GroupPartition p = part(Grouping.INDEX, 8, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConnectionMask.generate(p, p, 1.5, 0.1, true, 1));
        assertTrue(e.getMessage().contains("pIntra must be in [0, 1], got 1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ConnectionMask(2, 2, new float[] {0, 1, 0.5f, 1}));
        assertTrue(e.getMessage().contains("0.5"), e.getMessage());
    }
}
