package org.g2gnet.benchmarks;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.g2gnet.data.ShufflingDataSetIterator;
import org.g2gnet.examples.train.Arch;
import org.g2gnet.examples.train.DatasetLoader;
import org.g2gnet.examples.train.ModelFactory;
import org.g2gnet.examples.train.ModelKind;
import org.g2gnet.examples.train.TrainOptions;

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
        DatasetLoader.Split data = DatasetLoader.load("fashion-mnist", dataDir, trainLimit);
        double scale = 60_000.0 / data.train().count();
        out.println("model,channels,round,images,seconds,seconds_per_60k_epoch,ratio_to_dense,cpu_seconds_per_60k_epoch,"
                + "cpu_ratio_to_dense");
        ModelKind[] kinds = {ModelKind.DENSE, ModelKind.G2G};
        List<MultiLayerNetwork> nets = new ArrayList<>();
        List<ShufflingDataSetIterator> iters = new ArrayList<>();
        for (ModelKind k : kinds) {
            TrainOptions o = TrainOptions.builder().arch(Arch.CNN).channels(channels).model(k).progress(false).build();
            ShufflingDataSetIterator it = new ShufflingDataSetIterator(data.train(), 256, true, 1, null);
            MultiLayerNetwork net = new MultiLayerNetwork(ModelFactory.build(o, data.train().shape(), 10,
                    it.batchesPerEpoch() * 20));
            net.init();
            nets.add(net);
            iters.add(it);
        }
        String name = org.g2gnet.examples.train.CnnFactory.channelsName(channels);
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
                out.printf(Locale.ROOT, "cnn-%s,%s,%d,%d,%.2f,%.1f,%.3f,%.1f,%.3f%n", kinds[i], name, r + 1,
                        data.train().count(), seconds[i][r], seconds[i][r] * scale, seconds[i][r] / seconds[0][r],
                        cpu[i][r] * scale, cpu[i][r] / cpu[0][r]);
            }
        }
        for (int i = 0; i < kinds.length; i++) {
            double med = Timing.median(seconds[i]);
            double medCpu = Timing.median(cpu[i]);
            out.printf(Locale.ROOT, "cnn-%s,%s,median,%d,%.2f,%.1f,%.3f,%.1f,%.3f%n", kinds[i], name,
                    data.train().count(), med, med * scale, med / Timing.median(seconds[0]), medCpu * scale,
                    medCpu / Timing.median(cpu[0]));
        }
    }
}
