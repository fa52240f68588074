package org.g2gnet.benchmarks;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.g2gnet.ReferenceNetworks;
import org.g2gnet.conf.Execution;
import org.g2gnet.data.FashionMnist;
import org.g2gnet.data.LabeledData;
import org.g2gnet.data.ShufflingDataSetIterator;

/**
 * Seconds per Fashion-MNIST epoch of the paper network (784-1024x3-10, batch 256, Adam), dense against G2G in
 * masked and structured execution and as one block, epochs interleaved (the order rotating every round), with
 * the peak heap and off-heap memory of each. One row per model and round, then one "median" row per model:
 * the median seconds, the median over rounds of (this epoch / the dense epoch of the same round) with its
 * quartiles, and the spread of the seconds (interquartile range over median; above 10% flagged noisy). The CPU
 * columns are the same for the CPU time of the process (all threads: stable on a shared machine, but work, not
 * latency).
 */
public final class EpochBench {
    /** The CSV header. */
    static final String HEADER = "model,round,seconds,ratio_to_dense,cpu_seconds,cpu_ratio_to_dense,peak_heap_mb,"
            + "peak_offheap_mb,spread_pct,ratio_p25,ratio_p75,flag";
    private EpochBench() {
    }

    /**
     * Tracks the process's largest resident set during training (JavaCPP's {@code Pointer.physicalBytes()}):
     * ND4J's CPU buffers are native memory that no Java counter sees. It includes the heap, so the off-heap
     * column is the resident set minus the committed heap.
     */
    private static final class PeakMemory extends BaseTrainingListener {
        long offHeap;

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            long heap = Runtime.getRuntime().totalMemory();
            offHeap = Math.max(offHeap, Pointer.physicalBytes() - heap);
        }

        void reset() {
            offHeap = 0;
        }
    }

    /**
     * @param dataDir   Fashion-MNIST directory (null: the default)
     * @param rounds    epochs per model
     * @param out       CSV destination
     */
    public static void run(Path dataDir, int rounds, PrintStream out) {
        LabeledData train = FashionMnist.train(dataDir != null ? dataDir : Path.of(FashionMnist.DEFAULT_DIR));
        out.println(HEADER);
        String[] models = {"dense", "g2g-masked", "g2g-structured", "g2g-block"};
        Execution[] executions = {null, Execution.MASKED, Execution.STRUCTURED, Execution.BLOCK};
        List<MultiLayerNetwork> nets = new ArrayList<>();
        List<PeakMemory> peaks = new ArrayList<>();
        List<ShufflingDataSetIterator> iters = new ArrayList<>();
        for (int i = 0; i < models.length; i++) {
            ShufflingDataSetIterator it = new ShufflingDataSetIterator(train, 256, true, 1, null);
            MultiLayerNetwork net = new MultiLayerNetwork(ReferenceNetworks.mlp()
                    .kind(i == 0 ? ReferenceNetworks.Kind.DENSE : ReferenceNetworks.Kind.G2G)
                    .execution(i == 0 ? Execution.MASKED : executions[i]).totalIterations(it.batchesPerEpoch() * 20)
                    .build(784, 10));
            net.init();
            PeakMemory p = new PeakMemory();
            net.setListeners(p);
            nets.add(net);
            peaks.add(p);
            iters.add(it);
        }
        double[][] seconds = new double[models.length][rounds];
        double[][] cpuSeconds = new double[models.length][rounds];
        ProcessCpu cpu = new ProcessCpu();
        Map<String, Long> before = new HashMap<>();
        Map<String, Long> after = new HashMap<>();
        for (int r = 0; r < rounds; r++) {
            // the order rotates every round, so that no model always runs after the same neighbour
            for (int step = 0; step < models.length; step++) {
                int i = (r + step) % models.length;
                resetHeapPeaks();
                peaks.get(i).reset();
                iters.get(i).seek(r, 0);
                cpu.refresh();
                cpu.read(before);
                long t0 = System.nanoTime();
                nets.get(i).fit(iters.get(i));
                seconds[i][r] = (System.nanoTime() - t0) / 1e9;
                cpu.read(after);
                cpuSeconds[i][r] = cpu.available() ? ProcessCpu.between(before, after) / 1e9 : Double.NaN;
                out.printf(Locale.ROOT, "%s,%d,%.2f,,%.2f,,%.0f,%.0f,,,,%n", models[i], r + 1, seconds[i][r],
                        cpuSeconds[i][r], heapPeakBytes() / 1048576.0, peaks.get(i).offHeap / 1048576.0);
            }
        }
        for (int i = 0; i < models.length; i++) {
            Timing.Stats t = Timing.Stats.of(seconds[i]);
            double[] ratios = new double[rounds];
            double[] cpuRatios = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratios[r] = seconds[i][r] / seconds[0][r];
                cpuRatios[r] = cpuSeconds[i][r] / cpuSeconds[0][r];
            }
            Timing.Stats ratio = Timing.Stats.of(ratios);
            out.printf(Locale.ROOT, "%s,median,%.2f,%.3f,%.2f,%.3f,,,%.1f,%.3f,%.3f,%s%n", models[i], t.median(),
                    ratio.median(), Timing.median(cpuSeconds[i]), Timing.median(cpuRatios), 100 * t.spread(),
                    ratio.p25(), ratio.p75(), t.noisy() ? "noisy" : "");
        }
    }

    private static void resetHeapPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    private static long heapPeakBytes() {
        long s = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                s += p.getPeakUsage().getUsed();
            }
        }
        return s;
    }
}
