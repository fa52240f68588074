package org.g2gnet.rewiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.g2gnet.G2GTestBase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Hundreds of rewiring events over every criterion pair on one network: the invariants hold after every
 * event, and neither the process's resident memory (ND4J's CPU buffers are native memory that neither the
 * heap nor JavaCPP's counters see; JavaCPP's {@code Pointer.physicalBytes()} reads the resident set) nor the
 * heap after GC grows. The layers are large enough (256 x 256) that leaking one weight-sized buffer per
 * event would add over 100 MB.
 */
@Tag("slow")
class SoakTest extends G2GTestBase {

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    /**
     * Resident memory outside the Java heap: what ND4J's native buffers (invisible to Pointer.totalBytes on the CPU
     * backend) add. Read from /proc/self/smaps, leaving out the heap's reservation (the run of adjacent anonymous
     * mappings that spans nearly the maximum heap): the committed heap is not the resident heap (a heap grown
     * under load is resident only as it is first written, which looked like growth outside the heap, by up to
     * 100 MB a round), and the heap has its own check.
     */
    private static long residentOutsideHeap() throws java.io.IOException {
        List<long[]> maps = new java.util.ArrayList<>(); // start, end, anonymous (1/0), rss bytes
        long[] current = null;
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/smaps"))) {
            if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                String[] f = line.trim().split("\\s+");
                String[] range = f[0].split("-");
                current = new long[] {Long.parseUnsignedLong(range[0], 16), Long.parseUnsignedLong(range[1], 16),
                        f.length < 6 ? 1 : 0, 0};
                maps.add(current);
            } else if (line.startsWith("Rss:") && current != null) {
                current[3] = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        // the heap: the smallest run of adjacent anonymous mappings spanning nearly the maximum heap (with -Xmx4g
        // here: 4092 of 4096 MB)
        long max = Runtime.getRuntime().maxMemory();
        int heapFrom = -1;
        int heapTo = -1;
        for (int i = 0; i < maps.size(); i++) {
            if (maps.get(i)[2] == 0) {
                continue;
            }
            int j = i;
            while (j + 1 < maps.size() && maps.get(j + 1)[2] == 1 && maps.get(j + 1)[0] == maps.get(j)[1]) {
                j++;
            }
            long span = maps.get(j)[1] - maps.get(i)[0];
            if (span >= max * 0.9 && (heapFrom < 0 || span < maps.get(heapTo)[1] - maps.get(heapFrom)[0])) {
                heapFrom = i;
                heapTo = j;
            }
            i = j;
        }
        assertTrue(heapFrom >= 0, "the heap's reservation was not found in /proc/self/smaps");
        long rss = 0;
        for (int i = 0; i < maps.size(); i++) {
            if (i < heapFrom || i > heapTo) {
                rss += maps.get(i)[3];
            }
        }
        return rss;
    }

    @Test
    void hundredsOfEventsKeepInvariantsAndMemoryFlat() throws Exception {
        MultiLayerNetwork net = g2gNet(128, new int[] {256, 256}, 4, 0.2, Activation.RELU, new Adam(5e-3),
                DataType.FLOAT, 3);
        DataSet ds = randomData(64, 128, 3, 11, DataType.FLOAT);
        RewiringInvariants inv = RewiringInvariants.afterEveryStep();
        int events = 0;
        long heapStart = 0;
        long offHeapStart = 0;
        List<Long> resident = new java.util.ArrayList<>();
        int round = 0;
        for (int repeat = 0; repeat < 2; repeat++) {
            for (PruneCriterion p : PruneCriterion.values()) {
                for (GrowthCriterion g : GrowthCriterion.values()) {
                    RewiringListener r = RewiringListener.builder().everyIterations(2).fraction(0.2).prune(p).grow(g)
                            .hebbianAverage(0.5, 2).seed(round).logEvents(false).build();
                    net.setListeners(List.of(r, inv));
                    for (int i = 0; i < 24; i++) {
                        net.fit(ds);
                    }
                    events += r.events().size();
                    if (++round == 3) { // after warm-up: buffers, workspaces and JIT are in place
                        heapStart = heapAfterGc();
                        offHeapStart = residentOutsideHeap();
                    }
                    if (round >= 3) {
                        // after a GC: the native buffers of the round's dead arrays (the replaced listener's among
                        // them) are freed only once the JVM collects their owners; an idle machine collects rarely
                        heapAfterGc();
                        resident.add(residentOutsideHeap());
                    }
                }
            }
        }
        long heapGrowth = heapAfterGc() - heapStart;
        long offHeapGrowth = residentOutsideHeap() - offHeapStart; // heapAfterGc() just ran
        int pairs = PruneCriterion.values().length * GrowthCriterion.values().length;
        assertEquals(2 * pairs * 12 * 2, events, "12 events per round and layer");
        assertEquals(2 * pairs * 24, inv.steps);
        assertTrue(heapGrowth < 8L << 20, "heap grew by " + heapGrowth + " bytes");
        // A leak grows every round (a W-sized buffer per event: ~4 MB per round of 24 events); the allocator
        // and the JVM grow in occasional steps under load. So: the median growth per round must be small, and
        // the total bounded.
        long[] steps = new long[resident.size() - 1];
        for (int i = 1; i < resident.size(); i++) {
            steps[i - 1] = resident.get(i) - resident.get(i - 1);
        }
        java.util.Arrays.sort(steps);
        long medianStep = steps[steps.length / 2];
        assertTrue(medianStep < 1L << 20, "resident memory grew by a median " + medianStep + " bytes per round; "
                + "steps " + java.util.Arrays.toString(steps));
        assertTrue(offHeapGrowth < 256L << 20, "resident memory grew by " + offHeapGrowth + " bytes");
        assertTrue(Double.isFinite(net.score()));
    }
}
