package org.g2gnet.benchmarks;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.g2gnet.ReferenceNetworks;
import org.g2gnet.data.FashionMnist;
import org.g2gnet.data.LabeledData;
import org.g2gnet.data.ShufflingDataSetIterator;

/**
 * Seconds per Fashion-MNIST epoch of the CNN of {@code --arch cnn} (batch 256, Adam), dense convolutions against G2G
 * convolutions (masked: DL4J's convolution with the kernels W * M), epochs interleaved (dense, g2g, dense, g2g,
 * ...) so that both see the same machine load. A round may train on the first N images only; its time is then scaled
 * to the 60,000 images of a full epoch. Besides wall-clock seconds it reports the process's CPU seconds, which a
 * machine shared with other jobs inflates less.
 */
public final class CnnEpochBench {
    private CnnEpochBench() {
    }

    /** @return CPU time of every thread of this process (the JVM's and ND4J's native ones) */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * @param dataDir    Fashion-MNIST directory (null: the default)
     * @param channels   output channels of the convolutions
     * @param trainLimit images per timed round (0: all)
     * @param rounds     rounds per model
     * @param out        CSV destination
     */
    public static void run(Path dataDir, List<Integer> channels, int trainLimit, int rounds, PrintStream out) {
        LabeledData all = FashionMnist.train(dataDir != null ? dataDir : Path.of(FashionMnist.DEFAULT_DIR));
        LabeledData train = trainLimit > 0 ? all.head(trainLimit) : all;
        double scale = 60_000.0 / train.count();
        out.println("model,channels,round,images,seconds,seconds_per_60k_epoch,ratio_to_dense,cpu_seconds_per_60k_epoch,"
                + "cpu_ratio_to_dense");
        ReferenceNetworks.Kind[] kinds = {ReferenceNetworks.Kind.DENSE, ReferenceNetworks.Kind.G2G};
        List<MultiLayerNetwork> nets = new ArrayList<>();
        List<ShufflingDataSetIterator> iters = new ArrayList<>();
        for (ReferenceNetworks.Kind k : kinds) {
            ShufflingDataSetIterator it = new ShufflingDataSetIterator(train, 256, true, 1, null);
            MultiLayerNetwork net = new MultiLayerNetwork(ReferenceNetworks.cnn().kind(k).channels(channels)
                    .totalIterations(it.batchesPerEpoch() * 20).build(FashionMnist.SIDE, FashionMnist.SIDE, 1, 10));
            net.init();
            nets.add(net);
            iters.add(it);
        }
        String name = channels.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining("-"));
        double[][] seconds = new double[kinds.length][rounds];
        double[][] cpu = new double[kinds.length][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < kinds.length; i++) {
                iters.get(i).seek(r, 0);
                long c0 = processCpuNanos();
                long t0 = System.nanoTime();
                nets.get(i).fit(iters.get(i));
                seconds[i][r] = (System.nanoTime() - t0) / 1e9;
                cpu[i][r] = (processCpuNanos() - c0) / 1e9;
                out.printf(Locale.ROOT, "cnn-%s,%s,%d,%d,%.2f,%.1f,%.3f,%.1f,%.3f%n", label(kinds[i]), name, r + 1,
                        train.count(), seconds[i][r], seconds[i][r] * scale, seconds[i][r] / seconds[0][r],
                        cpu[i][r] * scale, cpu[i][r] / cpu[0][r]);
            }
        }
        for (int i = 0; i < kinds.length; i++) {
            double med = Timing.median(seconds[i]);
            double medCpu = Timing.median(cpu[i]);
            out.printf(Locale.ROOT, "cnn-%s,%s,median,%d,%.2f,%.1f,%.3f,%.1f,%.3f%n", label(kinds[i]), name,
                    train.count(), med, med * scale, med / Timing.median(seconds[0]), medCpu * scale,
                    medCpu / Timing.median(cpu[0]));
        }
    }

    private static String label(ReferenceNetworks.Kind k) {
        return k.name().toLowerCase(Locale.ROOT);
    }
}
