package org.g2gnet.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The timing protocol, the agreement report and the CSV of the benchmarks, on tiny settings (no time asserted). */
class BenchmarksTest {

    @Test
    void roundsAreInterleavedWithARotatingOrderAndCountedAsAsked() {
        List<String> calls = new ArrayList<>();
        Timing.Result r = Timing.interleaved(new Timing.Budget(0, 0, 4, 4), () -> calls.add("a"), () -> calls.add("b"),
                () -> calls.add("c"));
        assertEquals(4, r.times()[0].n());
        assertEquals(1.0, r.speedups()[0].median(), 0, "the reference against itself");
        int warm = r.warmupRounds();
        assertEquals(3 * (warm + 4), calls.size());
        // round i starts with body i mod 3
        for (int i = 0; i < warm + 4; i++) {
            assertEquals(List.of("a", "b", "c").get(i % 3), calls.get(3 * i), "first body of round " + i);
        }
    }

    @Test
    void processCpuTimeGrowsWithWorkDoneOnAnyThread() throws Exception {
        ProcessCpu cpu = new ProcessCpu();
        if (!cpu.available()) {
            return;
        }
        Map<String, Long> a = new HashMap<>();
        Map<String, Long> b = new HashMap<>();
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch worked = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                go.await();
                double x = 0;
                for (int i = 0; i < 20_000_000; i++) {
                    x += Math.sqrt(i);
                }
                sink = x;
                worked.countDown();
                finish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        cpu.refresh();
        cpu.read(a);
        go.countDown();
        worked.await();
        // read while the worker still lives: an ended thread's time is no longer readable
        cpu.read(b);
        finish.countDown();
        t.join();
        assertTrue(ProcessCpu.between(a, b) > 0, "the other thread's work is counted");
        assertEquals(0, ProcessCpu.between(b, a), "time never runs backwards: no negative intervals");
    }

    private static volatile double sink;

    @Test
    void quartilesSpreadAndTheNoisyMark() {
        Timing.Stats s = Timing.Stats.of(new double[] {10, 11, 9, 10, 30});
        assertEquals(10, s.median(), 0);
        assertEquals(10, s.p25(), 0);
        assertEquals(11, s.p75(), 0);
        assertEquals(0.1, s.spread(), 1e-12);
        assertFalse(s.noisy(), "exactly 10% is not above 10%");
        assertTrue(Timing.Stats.of(new double[] {8, 10, 12}).noisy());
    }

    @Test
    void agreementNamesTheRowsThatDifferAndTheNoisyOnes(@TempDir Path dir) throws Exception {
        String header = LayerBench.HEADER + "\n";
        String before = header + "1024,1.0,dense,forward,10,9,11,20.0,1.000,1.000,1.000,9,1.000,10,noisy\n"
                + "1024,0.25000,block,forward,4,4,4,1.0,2.500,2.4,2.6,3,3.000,10,\n"
                + "1024,0.25000,block,train,4,4,4,1.0,3.000,2.9,3.1,3,3.000,10,\n";
        String now = header + "1024,1.0,dense,forward,10,9,11,20.0,1.000,1.000,1.000,9,1.000,10,noisy\n"
                + "1024,0.25000,block,forward,4,4,4,1.0,2.600,2.4,2.6,3,3.050,10,\n"
                + "1024,0.25000,block,train,4,4,4,1.0,2.000,2.9,3.1,3,3.100,10,\n";
        Path prev = dir.resolve("before.csv");
        Files.writeString(prev, before);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int differ = Agreement.layer().report(now, prev, new PrintStream(out, true, StandardCharsets.UTF_8));
        String report = out.toString(StandardCharsets.UTF_8);
        assertEquals(1, differ);
        assertTrue(report.contains("1 of 3 rows noisy") && report.contains("mode=dense pass=forward (spread 20.0%)"),
                report);
        assertTrue(report.contains("1 of 2 speedup values within 10%"), report);
        assertTrue(report.contains("2 of 2 cpu_speedup values within 10%"), report);
        assertTrue(report.contains("mode=block pass=train: 2.000 here, 3.000 there (-33.3%)"), report);
        assertFalse(report.contains("pass=forward: 2.600"), "4% is within 10%: " + report);
    }

    @Test
    void layerAndNetworkBenchmarksWriteOneRowPerExecution() {
        Timing.Budget quick = new Timing.Budget(0, 0, 2, 2);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerBench.run(new int[] {64}, new double[] {0.25}, 8, quick, new PrintStream(out, true, StandardCharsets.UTF_8));
        List<Map<String, String>> rows = Agreement.parse(out.toString(StandardCharsets.UTF_8));
        assertEquals(8, rows.size(), "4 executions x forward and train");
        assertEquals(List.of("dense", "masked", "structured", "block"), rows.subList(0, 4).stream()
                .map(r -> r.get("mode")).toList());
        assertEquals("0.25000", rows.get(3).get("density"));
        assertTrue(Double.parseDouble(rows.get(3).get("cpu_ms")) >= 0, "CPU time read from /proc on Linux");

        out.reset();
        NetworkBench.run(new int[] {32}, new int[] {4}, 0.25, quick, new PrintStream(out, true, StandardCharsets.UTF_8));
        rows = Agreement.parse(out.toString(StandardCharsets.UTF_8));
        assertEquals(8, rows.size(), "4 networks x inference and train");
        assertEquals("block", rows.get(7).get("model"));
        assertEquals("train", rows.get(7).get("pass"));
    }

    @Test
    void serveBenchmarkWritesOneRowPerModelAndBatch() {
        Timing.Budget quick = new Timing.Budget(0, 0, 2, 2);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ServeBench.run(new int[] {32}, new int[] {1, 8}, 0.25, quick, new PrintStream(out, true, StandardCharsets.UTF_8));
        List<Map<String, String>> rows = Agreement.parse(out.toString(StandardCharsets.UTF_8));
        assertEquals(8, rows.size(), "4 models x 2 batch sizes");
        assertEquals(List.of("dense", "block", "block-compiled", "dense-compiled"), rows.subList(0, 4).stream()
                .map(r -> r.get("model")).toList());
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("width,batch,density,model,median_ms,"));
        for (Map<String, String> r : rows) {
            assertTrue(Double.parseDouble(r.get("median_ms")) > 0 && Double.parseDouble(r.get("speedup")) > 0, r.toString());
        }
    }
}
