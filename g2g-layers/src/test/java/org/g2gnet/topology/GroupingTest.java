package org.g2gnet.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GroupingTest {

    @Test
    void indexIsContiguousBlocksWhenGDividesN() {
        int[] l = Grouping.INDEX.labels(16, 4, 0);
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3}, l);
        for (int i = 0; i < 1024; i++) {
            assertEquals(i / 128, Grouping.INDEX.labels(1024, 8, 0)[i]);
        }
    }

    @Test
    void interleavedIsRoundRobin() {
        assertArrayEquals(new int[] {0, 1, 2, 0, 1, 2, 0}, Grouping.INTERLEAVED.labels(7, 3, 0));
    }

    @ParameterizedTest
    @CsvSource({"10,3", "7,7", "1000,8", "13,5", "784,8", "5,1"})
    void everyGroupingIsBalancedAndKeepsEveryNeuron(int n, int g) {
        for (Grouping grouping : Grouping.values()) {
            int[] labels = grouping.labels(n, g, 99);
            assertEquals(n, labels.length);
            int[] sizes = new GroupPartition(labels, g).groupSizes();
            int min = Arrays.stream(sizes).min().orElseThrow();
            int max = Arrays.stream(sizes).max().orElseThrow();
            assertTrue(max - min <= 1, grouping + " sizes " + Arrays.toString(sizes));
            assertEquals(n, Arrays.stream(sizes).sum());
            assertTrue(min >= 1, grouping + " has an empty group: " + Arrays.toString(sizes));
        }
    }

    @Test
    void randomIsSeededPermutationOfIndexLabels() {
        int[] a = Grouping.RANDOM.labels(100, 8, 1);
        int[] b = Grouping.RANDOM.labels(100, 8, 1);
        int[] c = Grouping.RANDOM.labels(100, 8, 2);
        assertArrayEquals(a, b);
        assertNotEquals(Arrays.toString(a), Arrays.toString(c));
        int[] sortedA = a.clone();
        Arrays.sort(sortedA);
        assertArrayEquals(Grouping.INDEX.labels(100, 8, 0), sortedA);
    }

    @Test
    void mixerAlternatesIndexAndInterleaved() {
        assertEquals(Grouping.INDEX, Grouping.mixer(0));
        assertEquals(Grouping.INTERLEAVED, Grouping.mixer(1));
        assertEquals(Grouping.INDEX, Grouping.mixer(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Grouping.mixer(-1));
        assertTrue(e.getMessage().contains("-1"));
    }

    @Test
    void badArgumentsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Grouping.INDEX.labels(4, 5, 0));
        assertTrue(e.getMessage().contains("groups must be in [1, 4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Grouping.parse("diagonal"));
        assertTrue(e.getMessage().contains("'diagonal'"), e.getMessage());
        assertEquals(Grouping.INTERLEAVED, Grouping.parse("Interleaved"));
    }
}
