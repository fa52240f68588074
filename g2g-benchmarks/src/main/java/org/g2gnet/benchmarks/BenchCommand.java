package org.g2gnet.benchmarks;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./g2g bench}: benchmarks printing CSV.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks (CSV on standard output; speed as ratios measured in the same run).",
        subcommands = {BenchCommand.LayerCmd.class, BenchCommand.Epoch.class, BenchCommand.Gemm.class,
                BenchCommand.Rewiring.class, BenchCommand.CnnEpoch.class})
public final class BenchCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }

    /** {@code ./g2g bench rewiring}. */
    @Command(name = "rewiring", mixinStandardHelpOptions = true,
            description = "Cost of a rewiring event per 1024x1024 layer and of an idle listener, as ratios to a "
                    + "training iteration of the paper network.")
    static final class Rewiring implements Callable<Integer> {
        @Option(names = "--repeats", defaultValue = "20", description = "timed iterations (default: ${DEFAULT-VALUE})")
        int repeats;

        @Override
        public Integer call() {
            RewiringBench.run(repeats, System.out);
            return 0;
        }
    }

    /** {@code ./g2g bench layer}. */
    @Command(name = "layer", mixinStandardHelpOptions = true,
            description = "One layer, batch 256: forward and forward+backward of DL4J DenseLayer and G2G, speed-up vs "
                    + "dense measured in the same run.")
    static final class LayerCmd implements Callable<Integer> {
        @Option(names = "--sizes", split = ",", defaultValue = "1024,4096", description = "widths (default: ${DEFAULT-VALUE})")
        int[] sizes;
        @Option(names = "--densities", split = ",", defaultValue = "0.5,0.25625,0.1",
                description = "G2G densities (default: ${DEFAULT-VALUE})")
        double[] densities;
        @Option(names = "--batch", defaultValue = "256", description = "batch size (default: ${DEFAULT-VALUE})")
        int batch;
        @Option(names = "--repeats", defaultValue = "30", description = "timed repeats at width 1024 (default: ${DEFAULT-VALUE})")
        int repeats;

        @Override
        public Integer call() {
            LayerBench.run(sizes, densities, batch, repeats, System.out);
            return 0;
        }
    }

    /** {@code ./g2g bench epoch}. */
    @Command(name = "epoch", mixinStandardHelpOptions = true,
            description = "Seconds per Fashion-MNIST epoch of the paper network, dense vs G2G, and peak memory.")
    static final class Epoch implements Callable<Integer> {
        @Option(names = "--rounds", defaultValue = "2", description = "epochs per model (default: ${DEFAULT-VALUE})")
        int rounds;
        @Option(names = "--data-dir", description = "Fashion-MNIST directory")
        java.nio.file.Path dataDir;

        @Override
        public Integer call() {
            EpochBench.run(dataDir, rounds, System.out);
            return 0;
        }
    }

    /** {@code ./g2g bench cnn-epoch}. */
    @Command(name = "cnn-epoch", mixinStandardHelpOptions = true,
            description = "Seconds per Fashion-MNIST epoch of the --arch cnn network, dense vs G2G convolutions, "
                    + "interleaved.")
    static final class CnnEpoch implements Callable<Integer> {
        @Option(names = "--channels", split = ",", defaultValue = "32,64,128",
                description = "output channels of the convolutions (default: ${DEFAULT-VALUE})")
        java.util.List<Integer> channels;
        @Option(names = "--train-limit", defaultValue = "10000",
                description = "images per timed round, scaled to a 60,000-image epoch (0 = all) (default: ${DEFAULT-VALUE})")
        int trainLimit;
        @Option(names = "--rounds", defaultValue = "2", description = "rounds per model (default: ${DEFAULT-VALUE})")
        int rounds;
        @Option(names = "--data-dir", description = "Fashion-MNIST directory")
        java.nio.file.Path dataDir;

        @Override
        public Integer call() {
            CnnEpochBench.run(dataDir, channels, trainLimit, rounds, System.out);
            return 0;
        }
    }

    /** {@code ./g2g bench gemm}. */
    @Command(name = "gemm", mixinStandardHelpOptions = true,
            description = "ND4J GEMM rate for one layer's shapes at batch 256 (the ceiling).")
    static final class Gemm implements Callable<Integer> {
        @Option(names = "--sizes", split = ",", defaultValue = "1024,4096", description = "widths (default: ${DEFAULT-VALUE})")
        int[] sizes;
        @Option(names = "--repeats", defaultValue = "30", description = "timed repeats (default: ${DEFAULT-VALUE})")
        int repeats;

        @Override
        public Integer call() {
            GemmBench.run(sizes, 256, repeats, System.out);
            return 0;
        }
    }
}
