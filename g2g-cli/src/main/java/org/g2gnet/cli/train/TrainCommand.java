package org.g2gnet.cli.train;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.g2gnet.conf.Execution;
import org.g2gnet.rewiring.HebbianScore;
import org.g2gnet.rewiring.MaskUpdater;
import org.g2gnet.schedule.RewiringSchedule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./g2g train}: one training run, printing per-epoch test accuracy and writing metrics.csv.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train one network (dense, er or g2g) and print per-epoch test accuracy.")
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--model", defaultValue = "g2g", description = "dense | er | g2g (default: ${DEFAULT-VALUE})")
    String model;

    @Mixin
    NetworkOptions network = new NetworkOptions();

    @Mixin
    ArchOptions arch = new ArchOptions();

    @Mixin
    ProtocolOptions protocol = new ProtocolOptions();

    @Mixin
    RewiringOptions rewiring = new RewiringOptions();

    @Option(names = "--seed", defaultValue = "1", description = "seed of masks, weights, shuffling and rewiring (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", description = "directory for metrics.csv, events.csv and model.zip (default: runs/train-[cnn-]<model>-s<seed>)")
    Path out;

    @Option(names = "--no-progress", description = "no progress bar")
    boolean noProgress;

    @Option(names = "--log-every", defaultValue = "-1", description = "a line every N iterations with the score and "
            + "examples/s (0 = none; default: every 50 when the output is not a terminal, none on one)")
    int logEvery;

    @Mixin
    CheckpointOptions checkpoints = new CheckpointOptions();

    @Mixin
    ViewOptions view = new ViewOptions();

    @Option(names = "--engine", defaultValue = "local",
            description = "local (this JVM) | parallel (every core of this machine: DL4J's ParallelWrapper, parameter "
                    + "averaging, rewiring once per event on the averaged network) | spark (DL4J's Spark engine, "
                    + "parameter averaging) (default: ${DEFAULT-VALUE})")
    String engine;

    @Option(names = "--master", description = "Spark master URL for --engine spark, e.g. local[2] or spark://host:7077 "
            + "(default: local[*], or the one spark-submit sets)")
    String master;

    @Option(names = "--averaging-frequency",
            description = "--engine spark: minibatches per worker between parameter averagings (default: 5); --engine "
                    + "parallel: steps between averagings (default: 1, every step)")
    Integer averagingFrequency;

    @Option(names = "--workers", defaultValue = "0",
            description = "--engine spark: partitions per training round, 0 = Spark's default parallelism; --engine "
                    + "parallel: workers, 0 = the cores (at least 2) (default: ${DEFAULT-VALUE})")
    int workers;

    @Override
    public Integer call() {
        TrainOptions.Builder b = TrainOptions.builder().model(ModelKind.parse(model)).seed(seed).progress(!noProgress)
                .logEvery(logEvery);
        network.applyTo(b);
        arch.applyTo(b);
        protocol.applyTo(b);
        rewiring.applyTo(b);
        checkpoints.applyTo(b);
        Path dir = out != null ? out : Path.of("runs", "train-" + (arch.arch() == Arch.CNN ? "cnn-" : "") + model + "-s" + seed);
        TrainOptions o = b.out(dir).build();
        TrainingView.Session session = view.start(engine, System.out); // null without --ui and --stats-file
        String kind = engine.trim().toLowerCase(Locale.ROOT);
        if (master != null && !kind.equals("spark")) {
            throw new IllegalArgumentException("--master needs --engine spark");
        }
        if (kind.equals("local") && (averagingFrequency != null || workers != 0)) {
            throw new IllegalArgumentException("--workers and --averaging-frequency need --engine parallel or spark");
        }
        TrainResult r = switch (kind) {
            case "local" -> Trainer.run(o, System.out, m -> { }, TrainingView.listeners(session));
            case "parallel" -> {
                if (workers < 0 || workers == 1) {
                    throw new IllegalArgumentException("--workers must be 0 (the cores) or >= 2 with --engine parallel, "
                            + "got " + workers);
                }
                if (averagingFrequency != null && averagingFrequency < 1) {
                    throw new IllegalArgumentException("--averaging-frequency must be >= 1, got " + averagingFrequency);
                }
                int n = workers > 0 ? workers : Math.max(2, Runtime.getRuntime().availableProcessors());
                yield ParallelEngine.load().train(o, n, averagingFrequency != null ? averagingFrequency : 1,
                        System.out);
            }
            case "spark" -> SparkEngine.load().train(o, new SparkSettings(master,
                    averagingFrequency != null ? averagingFrequency : 5, workers), System.out);
            default -> throw new IllegalArgumentException("--engine must be local, parallel or spark, got '" + engine
                    + "'");
        };
        System.out.printf(Locale.ROOT, "final test accuracy %.4f (best %.4f); metrics in %s%n",
                r.finalAccuracy(), r.bestAccuracy(), dir.resolve("metrics.csv"));
        System.out.println(r.sparsity());
        if (session != null) {
            session.trainingFinished(System.out);
        }
        return 0;
    }

    /** Shape of the network: shared by train and compare. */
    public static final class NetworkOptions {
        @Option(names = "--width", defaultValue = "1024", description = "hidden width (default: ${DEFAULT-VALUE})")
        int width;
        @Option(names = "--layers", defaultValue = "3", description = "hidden layers (default: ${DEFAULT-VALUE})")
        int layers;
        @Option(names = "--groups", defaultValue = "8", description = "groups G per G2G layer, or auto (with --density: "
                + "the structure rule, G the largest power of two at most 1/density and 0.9 of the connections inside "
                + "groups); a side that G does not divide (784 inputs at G = 32, CNN channels at G = 5) gets groups "
                + "whose sizes differ by one, said in the model line (default: ${DEFAULT-VALUE})")
        String groups;
        @Option(names = "--p-intra", description = "intra-group connection probability (default: 1.0)")
        Double pIntra;
        @Option(names = "--p-inter", defaultValue = "0.15", description = "inter-group connection probability (default: ${DEFAULT-VALUE})")
        double pInter;
        @Option(names = "--density", description = "target density instead of --p-inter (pInter is solved)")
        Double density;
        @Option(names = "--intra-share", paramLabel = "S", description = "with --density: the share of the active "
                + "connections inside groups, instead of --p-intra (pIntra = S x density x groups, at most 1; "
                + "pInter = (1 - S) x density x groups / (groups - 1)). ER is S = 1/groups, the paper's point about 0.49")
        Double intraShare;
        @Option(names = "--grouping", defaultValue = "mixer", description = "index | interleaved | random | mixer (default: ${DEFAULT-VALUE})")
        String grouping;
        @Option(names = "--execution", defaultValue = "masked",
                description = "masked | structured (compact, batched GEMMs, inter-group links of whole tiles) | block (structured, "
                        + "all G2G layers as one G2GBlock, activations kept group-major; --dst rewires each inner layer, not with gradient growth) (default: ${DEFAULT-VALUE})")
        String execution;
        @Option(names = "--tile-size", defaultValue = "0", description = "tile size of structured or block execution (0 = automatic)")
        int tileSize;

        /** @param b the options to fill */
        public void applyTo(TrainOptions.Builder b) {
            if (pIntra != null) {
                b.pIntra(pIntra);
            }
            b.width(width).layers(layers).pInter(pInter).density(density).intraShare(intraShare)
                    .grouping(GroupingChoice.parse(grouping)).execution(Execution.parse(execution))
                    .tileSize(tileSize);
            GroupsChoice.apply(b, groups, density, intraShare, pIntra);
        }
    }

    /** Training protocol: shared by train and compare. */
    public static final class ProtocolOptions {
        @Option(names = "--epochs", defaultValue = "20", description = "epochs (default: ${DEFAULT-VALUE})")
        int epochs;
        @Option(names = "--batch", defaultValue = "256", description = "mini-batch size (default: ${DEFAULT-VALUE})")
        int batch;
        @Option(names = "--lr", defaultValue = "1e-3", description = "Adam learning rate, cosine-annealed to 0 (default: ${DEFAULT-VALUE})")
        double lr;
        @Option(names = "--weight-decay", defaultValue = "1e-4", description = "decoupled weight decay (default: ${DEFAULT-VALUE})")
        double weightDecay;
        @Option(names = "--dataset", defaultValue = "fashion-mnist", description = "fashion-mnist | cifar10 | cifar100 | cifar100-coarse (default: ${DEFAULT-VALUE})")
        String dataset;
        @Option(names = "--data-dir", description = "directory with the dataset's files (default for fashion-mnist: /usr/share/datasets/fashion-mnist; CIFAR needs it)")
        Path dataDir;
        @Option(names = "--train-limit", defaultValue = "0", description = "use only the first N training examples (0 = all)")
        int trainLimit;
        @Option(names = "--validation", defaultValue = "0",
                description = "hold out the last N training examples and report validation accuracy per epoch "
                        + "(0 = none; choose hyper-parameters on it, not on the test set) (default: ${DEFAULT-VALUE})")
        int validation;

        /** @param b the options to fill */
        public void applyTo(TrainOptions.Builder b) {
            b.epochs(epochs).batch(batch).lr(lr).weightDecay(weightDecay).dataset(dataset).dataDir(dataDir)
                    .trainLimit(trainLimit).validation(validation);
        }
    }

    /** Checkpoints and resume: shared by train and compare. */
    public static final class CheckpointOptions {
        @Option(names = "--checkpoint-every", defaultValue = "500",
                description = "write a checkpoint every N iterations, 0 = never (default: ${DEFAULT-VALUE})")
        int checkpointEvery;
        @Option(names = "--keep-checkpoints", defaultValue = "3", description = "checkpoints kept (default: ${DEFAULT-VALUE})")
        int keep;
        @Option(names = "--resume", description = "continue from the newest intact checkpoint in --out")
        boolean resume;

        /** @param b the options to fill */
        public void applyTo(TrainOptions.Builder b) {
            b.checkpointEvery(checkpointEvery).keepCheckpoints(keep).resume(resume);
        }
    }

    /** Dynamic sparse training: shared by train and compare. */
    public static final class RewiringOptions {
        @Option(names = "--dst", defaultValue = "none", description = "none | PRUNE:GROW, e.g. hebbian:hebbian, magnitude:random (default: ${DEFAULT-VALUE})")
        String dst;
        @Option(names = "--rewire-every", defaultValue = "1000", description = "rewire after every N iterations (default: ${DEFAULT-VALUE})")
        int rewireEvery;
        @Option(names = "--rewire-fraction", defaultValue = "0.1", description = "fraction of active connections replaced per event (default: ${DEFAULT-VALUE})")
        double rewireFraction;
        @Option(names = "--rewire-schedule", defaultValue = "constant", description = "constant | cosine decay of the fraction (default: ${DEFAULT-VALUE})")
        String rewireSchedule;
        @Option(names = "--rewire-stop", defaultValue = "0",
                description = "no rewiring from this iteration on, or from this share of training with a %% sign "
                        + "(e.g. 75%%); 0 = only never after the last step")
        String rewireStop;
        @Option(names = "--hebbian", defaultValue = "signed",
                description = "Hebbian score: signed (the paper's; alias paper) | absolute | centered (default: ${DEFAULT-VALUE})")
        String hebbian;
        @Option(names = "--prune-prefilter", defaultValue = "1.0",
                description = "only this share of the smallest-|w| connections may be pruned (default: ${DEFAULT-VALUE})")
        double prunePrefilter;
        @Option(names = "--regrowth", defaultValue = "zero", description = "zero | small: how regrown weights start (default: ${DEFAULT-VALUE})")
        String regrowth;
        @Option(names = "--hebbian-average", defaultValue = "none",
                description = "DECAY:WINDOW moving average of the Hebbian score over the last WINDOW batches before "
                        + "each event, or none (default: ${DEFAULT-VALUE})")
        String hebbianAverage;

        /** @param b the options to fill */
        public void applyTo(TrainOptions.Builder b) {
            b.dst(DstSpec.parse(dst)).rewireEvery(rewireEvery).rewireFraction(rewireFraction)
                    .rewireSchedule(RewiringSchedule.Decay.parse(rewireSchedule))
                    .hebbianScore(HebbianScore.parse(hebbian)).prunePrefilter(prunePrefilter)
                    .regrowth(MaskUpdater.Regrowth.parse(regrowth));
            String stop = rewireStop.trim();
            if (stop.endsWith("%")) {
                b.rewireStopFraction(parseNumber("--rewire-stop", stop.substring(0, stop.length() - 1)) / 100.0);
            } else {
                b.rewireStop((int) parseNumber("--rewire-stop", stop));
            }
            if (!hebbianAverage.trim().equalsIgnoreCase("none")) {
                String[] p = hebbianAverage.split(":");
                if (p.length != 2) {
                    throw new IllegalArgumentException("--hebbian-average must be DECAY:WINDOW (e.g. 0.9:10) or none, got '"
                            + hebbianAverage + "'");
                }
                b.hebbianAverage(parseNumber("--hebbian-average", p[0]), (int) parseNumber("--hebbian-average", p[1]));
            }
        }

        private static double parseNumber(String option, String v) {
            try {
                return Double.parseDouble(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + ": '" + v + "' is not a number");
            }
        }
    }
}
