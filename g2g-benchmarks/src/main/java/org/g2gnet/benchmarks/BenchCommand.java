package org.g2gnet.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./g2g bench}: benchmarks printing CSV.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks (CSV on standard output; speed as ratios measured in the same run).",
        subcommands = {BenchCommand.LayerCmd.class, BenchCommand.NetworkCmd.class, BenchCommand.Epoch.class,
                BenchCommand.Gemm.class, BenchCommand.Rewiring.class, BenchCommand.CnnEpoch.class,
                BenchCommand.Serve.class})
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

    /**
     * Where a benchmark's CSV goes (standard output, and a file when asked), and the report on its spreads and on
     * its agreement with an earlier run (standard error).
     */
    static final class Output {
        @Option(names = "--out", description = "also write the CSV to this file (e.g. bench/layer.csv)")
        Path out;
        @Option(names = "--against", description = "an earlier run's CSV: report the ratios that differ by more than 10%%")
        Path against;

        /**
         * Runs a benchmark writing to standard output and a copy, then writes the file and the report.
         *
         * @param agreement how to compare runs
         * @param body      the benchmark, given the stream to print to
         * @return 0, or 1 when ratios disagreed with the earlier run
         */
        int run(Agreement agreement, java.util.function.Consumer<PrintStream> body) {
            ByteArrayOutputStream copy = new ByteArrayOutputStream();
            PrintStream tee = new PrintStream(new TeeStream(System.out, copy), true, StandardCharsets.UTF_8);
            body.accept(tee);
            tee.flush();
            String csv = copy.toString(StandardCharsets.UTF_8);
            if (out != null) {
                try {
                    if (out.toAbsolutePath().getParent() != null) {
                        Files.createDirectories(out.toAbsolutePath().getParent());
                    }
                    Files.writeString(out, csv, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write " + out, e);
                }
            }
            return agreement.report(csv, against, System.err) == 0 ? 0 : 1;
        }
    }

    /** Writes to two streams. */
    private static final class TeeStream extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        TeeStream(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int v) throws IOException {
            a.write(v);
            b.write(v);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
            b.flush();
        }
    }

    /** Timing options shared by the layer and network benchmarks. */
    static final class TimingOptions {
        @Option(names = "--seconds", defaultValue = "3",
                description = "seconds of timed rounds per measurement, after a warm-up of at most as long that stops "
                        + "when timings settle; doubled at width 4096 (default: ${DEFAULT-VALUE})")
        double seconds;
        @Option(names = {"--repeats", "--min-rounds"}, defaultValue = "10",
                description = "timed rounds at least, however long they take (default: ${DEFAULT-VALUE})")
        int minRounds;

        Timing.Budget budget() {
            return new Timing.Budget(seconds, seconds, minRounds, 100_000);
        }
    }

    /** {@code ./g2g bench layer}. */
    @Command(name = "layer", mixinStandardHelpOptions = true,
            description = "One layer: forward and forward+backward of DL4J DenseLayer and G2G (masked, structured, a "
                    + "one-layer block), interleaved; median, quartiles and speed-up vs dense from the same rounds.")
    static final class LayerCmd implements Callable<Integer> {
        @Option(names = "--sizes", split = ",", defaultValue = "1024,4096", description = "widths (default: ${DEFAULT-VALUE})")
        int[] sizes;
        @Option(names = "--densities", split = ",", defaultValue = "0.5,0.25625,0.1",
                description = "G2G densities (default: ${DEFAULT-VALUE})")
        double[] densities;
        @Option(names = "--batch", defaultValue = "256", description = "batch size (default: ${DEFAULT-VALUE})")
        int batch;
        @Mixin
        TimingOptions timing;
        @Mixin
        Output output;

        @Override
        public Integer call() {
            return output.run(Agreement.layer(), out -> LayerBench.run(sizes, densities, batch, timing.budget(), out));
        }
    }

    /** {@code ./g2g bench network}. */
    @Command(name = "network", mixinStandardHelpOptions = true,
            description = "Whole networks 784-Wx3-10: DL4J dense, G2G masked, structured and block; inference and "
                    + "forward+backward at each batch size, interleaved; speed-up vs dense from the same rounds.")
    static final class NetworkCmd implements Callable<Integer> {
        @Option(names = "--widths", split = ",", defaultValue = "1024,4096",
                description = "hidden widths (default: ${DEFAULT-VALUE})")
        int[] widths;
        @Option(names = "--batches", split = ",", defaultValue = "256,32",
                description = "batch sizes (default: ${DEFAULT-VALUE})")
        int[] batches;
        @Option(names = "--density", defaultValue = "0.25", description = "G2G density (default: ${DEFAULT-VALUE})")
        double density;
        @Mixin
        TimingOptions timing;
        @Mixin
        Output output;

        @Override
        public Integer call() {
            return output.run(Agreement.network(),
                    out -> NetworkBench.run(widths, batches, density, timing.budget(), out));
        }
    }

    /** {@code ./g2g bench serve}. */
    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Serving latency of the paper network at small batches: DL4J dense, the G2G block, and both "
                    + "compiled (CompiledNetwork), interleaved; speed-up over DL4J dense in the same rounds.")
    static final class Serve implements Callable<Integer> {
        @Option(names = "--widths", split = ",", defaultValue = "1024,4096",
                description = "hidden widths (default: ${DEFAULT-VALUE})")
        int[] widths;
        @Option(names = "--batches", split = ",", defaultValue = "1,8,32,256",
                description = "batch sizes (default: ${DEFAULT-VALUE})")
        int[] batches;
        @Option(names = "--density", defaultValue = "0.25", description = "G2G density (default: ${DEFAULT-VALUE})")
        double density;
        @Mixin
        TimingOptions timing;
        @Mixin
        Output output;

        @Override
        public Integer call() {
            return output.run(Agreement.serve(), out -> ServeBench.run(widths, batches, density, timing.budget(), out));
        }
    }

    /** {@code ./g2g bench epoch}. */
    @Command(name = "epoch", mixinStandardHelpOptions = true,
            description = "Seconds per Fashion-MNIST epoch of the paper network: dense vs G2G masked, structured and "
                    + "block, interleaved, with peak memory.")
    static final class Epoch implements Callable<Integer> {
        @Option(names = "--rounds", defaultValue = "3", description = "epochs per model (default: ${DEFAULT-VALUE})")
        int rounds;
        @Option(names = "--data-dir", description = "Fashion-MNIST directory")
        Path dataDir;
        @Mixin
        Output output;

        @Override
        public Integer call() {
            return output.run(Agreement.epoch(), out -> EpochBench.run(dataDir, rounds, out));
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
