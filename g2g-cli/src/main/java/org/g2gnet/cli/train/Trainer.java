package org.g2gnet.cli.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.IntStream;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.util.ModelSerializer;
import org.g2gnet.G2GNetworks;
import org.g2gnet.conf.Execution;
import org.g2gnet.conf.G2GDenseLayer;
import org.g2gnet.conf.LayerMemory;
import org.g2gnet.data.ShufflingDataSetIterator;
import org.g2gnet.layers.G2GBaseLayer;
import org.g2gnet.rewiring.RewiringEvent;
import org.g2gnet.rewiring.RewiringListener;
import org.g2gnet.topology.ConnectionMask;
import org.g2gnet.util.Seeds;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * One training run: loads the data, builds the network, trains for the given epochs with a progress bar,
 * evaluates on the test set after every epoch, and writes {@code metrics.csv} (and {@code events.csv} and
 * {@code model.zip}) to the output directory.
 */
public final class Trainer {
    private Trainer() {
    }

    /**
     * @param o   the options (validated)
     * @param log where progress and results are printed
     * @return the result
     */
    public static TrainResult run(TrainOptions o, PrintStream log) {
        return run(o, log, m -> { });
    }

    /**
     * @param o       the options (validated)
     * @param log     where progress and results are printed
     * @param onEpoch called after every epoch's evaluation (e.g. for an overall progress line)
     * @return the result
     */
    public static TrainResult run(TrainOptions o, PrintStream log, Consumer<EpochMetrics> onEpoch) {
        return run(o, log, onEpoch, net -> List.of());
    }

    /**
     * @param o              the options (validated)
     * @param log            where progress and results are printed
     * @param onEpoch        called after every epoch's evaluation (e.g. for an overall progress line)
     * @param extraListeners listeners attached after the run's own, made for the network once it exists (e.g.
     *                       DL4J's StatsListener of {@code --ui}, see {@link TrainingView})
     * @return the result
     */
    public static TrainResult run(TrainOptions o, PrintStream log, Consumer<EpochMetrics> onEpoch,
                                  Function<MultiLayerNetwork,
                                          List<TrainingListener>> extraListeners) {
        // first: one run at a time in the output directory, which must be writable, before any data is read
        String what = "train " + o.model().kind().name().toLowerCase(Locale.ROOT);
        try (OutputLock lock = OutputLock.acquire(o.output().out(), what, log)) {
            try {
                return train(o, log, onEpoch, extraListeners);
            } catch (UncheckedIOException e) {
                // a file that cannot be written (a full disk): the checkpoints written before are intact
                Path checkpoints = o.output().out() == null ? null : o.output().out().resolve("checkpoints");
                String last = lastGood(checkpoints);
                throw new TrainingFailedException(e.getMessage() + "; training stopped" + last
                        + (last.startsWith(";") ? "; make room and run the same command with --resume" : ""), e);
            }
        }
    }

    /** @return where the newest intact checkpoint is, as the end of a message */
    private static String lastGood(Path checkpointDir) {
        Path last = checkpointDir == null ? null : Checkpoints.list(checkpointDir).stream()
                .filter(p -> Checkpoints.verify(p) == null).findFirst().orElse(null);
        return last == null ? " (no checkpoint was written)" : "; the last good checkpoint is " + last;
    }

    private static TrainResult train(TrainOptions o, PrintStream log, Consumer<EpochMetrics> onEpoch,
                                     Function<MultiLayerNetwork,
                                             List<TrainingListener>> extraListeners) {
        Setup setup = Setup.of(o);
        DatasetLoader.Split data = setup.data();
        ShufflingDataSetIterator train = setup.train();
        ShufflingDataSetIterator test = setup.test();
        int totalIterations = setup.totalIterations();

        Path checkpointDir = o.output().out() == null ? null : o.output().out().resolve("checkpoints");
        Checkpoints.Loaded resumed = null;
        if (o.output().resume()) {
            resumed = Checkpoints.latest(checkpointDir, o.fingerprint(), log);
            if (resumed == null) {
                log.println("no intact checkpoint in " + checkpointDir + "; starting from the beginning");
            } else {
                log.printf(Locale.ROOT, "resuming from %s (epoch %d, batch %d of %d, iteration %d)%n", resumed.file(),
                        resumed.state().epoch() + 1, resumed.state().batch(), train.batchesPerEpoch(),
                        resumed.state().iteration());
            }
        } else if (checkpointDir != null && !Checkpoints.list(checkpointDir).isEmpty()) {
            log.println("note: starting over; deleting the checkpoints of an earlier run in " + checkpointDir
                    + " (use --resume to continue it)");
            Checkpoints.clear(checkpointDir);
        }
        MultiLayerNetwork net;
        if (resumed != null) {
            net = resumed.net();
        } else {
            net = new MultiLayerNetwork(setup.conf());
            net.init();
        }
        setup.print(o, net, log);

        EpochProgress progress = new EpochProgress(o.display().progress(), log);
        RewiringListener rewiring = o.rewiring().listener(o.protocol().seed(), totalIterations);
        if (rewiring != null && resumed != null && resumed.rewiring() != null) {
            rewiring.restore(resumed.rewiring());
        }
        List<EpochMetrics> epochs = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        if (resumed != null) {
            for (String row : resumed.state().metricRows()) {
                epochs.add(EpochMetrics.parse(row));
                rows.add(row);
            }
        }
        List<TrainingListener> listeners = new ArrayList<>();
        listeners.add(progress);
        if (o.display().effectiveLogEvery() > 0) {
            listeners.add(new IterationLog(o.display().effectiveLogEvery(), o.protocol().batch(), log));
        }
        listeners.add(new NonFiniteGuard());
        List<EventProbe.Effect> effects = new ArrayList<>();
        if (resumed != null && resumed.state().probeRows() != null) {
            resumed.state().probeRows().forEach(r -> effects.add(EventProbe.Effect.parse(r)));
        }
        if (rewiring != null) {
            EventProbe[] probes = EventProbe.pair(rewiring.schedule(),
                    new ShufflingDataSetIterator(data.test().head(2000), 1000, false, 0, null), effects);
            listeners.add(probes[0]);
            listeners.add(rewiring);
            listeners.add(probes[1]);
        }
        List<TrainingHook> hooks = ServiceLoader.load(TrainingHook.class).stream().map(ServiceLoader.Provider::get)
                .toList();
        Checkpoints.Sink sink = hooks.stream().map(TrainingHook::checkpointFiles).filter(Objects::nonNull)
                .findFirst().orElse(Checkpoints.FILES);
        Checkpointer checkpointer = checkpointDir == null ? null
                : new Checkpointer(o, checkpointDir, progress, rewiring, rows, effects,
                train.batchesPerEpoch(), sink);
        if (checkpointer != null) {
            listeners.add(checkpointer);
        }
        for (TrainingHook hook : hooks) {
            listeners.addAll(hook.listeners(net));
        }
        listeners.addAll(extraListeners.apply(net));
        net.setListeners(listeners);

        int startEpoch = resumed == null ? 0 : resumed.state().epoch();
        try (MetricsWriter csv = MetricsWriter.open(o.output().out(), rows)) {
            for (int e = startEpoch; e < o.protocol().epochs(); e++) {
                boolean partial = resumed != null && e == startEpoch;
                int firstBatch = partial ? resumed.state().batch() : 0;
                train.seek(e, firstBatch);
                progress.start(String.format(Locale.ROOT, "epoch %d/%d", e + 1, o.protocol().epochs()),
                        train.batchesPerEpoch(),
                        firstBatch, partial ? resumed.state().lossSum() : 0, partial ? resumed.state().lossCount() : 0,
                        partial ? resumed.state().epochSeconds() : 0);
                if (checkpointer != null) {
                    checkpointer.beginEpoch(e);
                }
                int eventsBefore = rewiring == null ? 0 : rewiring.events().size();
                int effectsBefore = effects.size();
                try {
                    net.fit(train);
                } catch (NonFiniteGuard.NonFiniteException ex) {
                    progress.finish();
                    throw new TrainingFailedException(ex.getMessage() + "; training stopped" + lastGood(checkpointDir), ex);
                }
                // the whole epoch's training time, including the part before a resume
                double seconds = progress.seconds();
                double trainLoss = progress.finish();
                double[] eval = evaluate(net, test);
                double val = setup.validation() == null ? Double.NaN : evaluate(net, setup.validation())[0];
                EpochMetrics m = new EpochMetrics(e + 1, trainLoss, eval[1], eval[0], seconds, net.getIterationCount(),
                        val);
                epochs.add(m);
                rows.add(m.csv());
                csv.row(m);
                if (rewiring != null) {
                    for (RewiringEvent ev : rewiring.events().subList(eventsBefore, rewiring.events().size())) {
                        log.println("  " + ev.summary());
                    }
                    for (EventProbe.Effect ef : effects.subList(effectsBefore, effects.size())) {
                        log.printf(Locale.ROOT, "  event at iteration %d: test accuracy %.4f -> %.4f, batch loss %.4f -> %.4f%n",
                                ef.iteration(), ef.testAccBefore(), ef.testAccAfter(), ef.trainLossBefore(),
                                ef.trainLossAfter());
                    }
                }
                printEpoch(m, o.protocol().epochs(), log);
                if (checkpointer != null) {
                    checkpointer.epochEnded(net);
                }
                onEpoch.accept(m);
            }
        }
        return finish(o, setup, net, epochs, rewiring == null ? List.of() : rewiring.events(), effects);
    }

    /**
     * What every engine sets up the same way: the data, the training iterator (shuffled and augmented per epoch
     * from the seed), the test iterator and the network's configuration.
     *
     * @param data            the data
     * @param train           the training iterator
     * @param validation      the validation iterator (held-out training examples), or null
     * @param test            the test iterator
     * @param totalIterations optimizer steps of the whole run
     * @param conf            the network's configuration
     */
    public record Setup(DatasetLoader.Split data, ShufflingDataSetIterator train, ShufflingDataSetIterator validation,
                        ShufflingDataSetIterator test, int totalIterations, MultiLayerConfiguration conf) {
        /**
         * @param o the options
         * @return the data read and the configuration built for them
         * @throws IllegalStateException when the network is too large to train in this JVM (before anything of it
         *                               is allocated)
         */
        public static Setup of(TrainOptions o) {
            return of(o, 1);
        }

        /**
         * For engines that average several workers' steps into one step of the network (DL4J's ParallelWrapper):
         * the learning-rate schedule's period counts those steps, ceil(minibatches per epoch / workers) per epoch,
         * while {@link #totalIterations} (the rewiring schedule's clock) still counts minibatches.
         *
         * @param o       the options
         * @param workers minibatches trained per step of the network (1: local training)
         * @return the data read and the configuration built for them
         */
        public static Setup of(TrainOptions o, int workers) {
            ProtocolOptions p = o.protocol();
            DatasetLoader.Split data = DatasetLoader.load(p.dataset(), p.dataDir(), p.trainLimit(), p.validation());
            ShufflingDataSetIterator train = new ShufflingDataSetIterator(data.train(), p.batch(), true,
                    Seeds.mix(p.seed(), "data"), data.augmentation());
            ShufflingDataSetIterator validation = data.validation() == null ? null
                    : new ShufflingDataSetIterator(data.validation(), 1000, false, 0, null);
            ShufflingDataSetIterator test = new ShufflingDataSetIterator(data.test(), 1000, false, 0, null);
            int totalIterations = train.batchesPerEpoch() * p.epochs();
            int scheduleSteps = (train.batchesPerEpoch() + workers - 1) / workers * p.epochs();
            MultiLayerConfiguration conf = ModelFactory.build(o, data.train().shape(), data.train().numClasses(),
                    scheduleSteps);
            LayerMemory.requireTrainable(conf);
            return new Setup(data, train, validation, test, totalIterations, conf);
        }

        /**
         * Prints the data and the model with its parameter counts, and warns when {@code --dst} is set but the
         * run is too short for any rewiring event.
         *
         * @param o   the options
         * @param net the network
         * @param log where it goes
         */
        public void print(TrainOptions o, MultiLayerNetwork net, PrintStream log) {
            G2GNetworks.SparsityReport sparsity = G2GNetworks.sparsityReport(net);
            log.printf(Locale.ROOT, "%s: %d train / %s%d test examples, %d iterations per epoch%n",
                    o.protocol().dataset(),
                    data.train().count(), data.validation() == null ? "" : data.validation().count() + " validation / ",
                    data.test().count(), train.batchesPerEpoch());
            log.printf(Locale.ROOT, "model %s: %d-%s-%d, %,d active parameters (density %.4f of the weights)%s%n",
                    describe(o), data.train().featureSize(), hiddenShape(o), data.train().numClasses(),
                    sparsity.activeParams(), sparsity.density(), net.numParams() == sparsity.activeParams() ? ""
                            : String.format(Locale.ROOT, "; DL4J's numParams() %,d counts masks and tile indices too",
                            net.numParams()));
            if (o.rewiring().dst() != null && o.rewiring().every() > totalIterations) {
                log.printf(Locale.ROOT, "warning: --rewire-every %d is more than the %d iterations of this run: no "
                        + "rewiring event will happen (lower --rewire-every or --batch, or train longer)%n",
                        o.rewiring().every(), totalIterations);
            }
        }
    }

    /**
     * @param m      one epoch's metrics
     * @param epochs epochs of the run
     * @param log    where the line goes
     */
    public static void printEpoch(EpochMetrics m, int epochs, PrintStream log) {
        log.printf(Locale.ROOT, "epoch %d/%d: train loss %.4f, test loss %.4f, test accuracy %.4f%s, %.1f s%n",
                m.epoch(), epochs, m.trainLoss(), m.testLoss(), m.testAccuracy(), Double.isNaN(m.valAccuracy()) ? ""
                        : String.format(Locale.ROOT, ", validation accuracy %.4f", m.valAccuracy()), m.seconds());
    }

    /**
     * Ends a run: writes events.csv, probes.csv and model.zip to the output directory (if any) and returns
     * the result.
     *
     * @param o       the options
     * @param setup   the run's set-up
     * @param net     the trained network
     * @param epochs  every epoch's metrics
     * @param events  the rewiring events
     * @param effects the events' measured effects (empty when not measured)
     * @return the result
     */
    public static TrainResult finish(TrainOptions o, Setup setup, MultiLayerNetwork net, List<EpochMetrics> epochs,
                                     List<RewiringEvent> events, List<EventProbe.Effect> effects) {
        if (o.output().out() != null) {
            Path out = o.output().out();
            writeCsv(out.resolve("events.csv"), EventsCsv.HEADER, events.stream().map(EventsCsv::row).toList());
            writeCsv(out.resolve("probes.csv"), EventProbe.Effect.HEADER,
                    effects.stream().map(EventProbe.Effect::csv).toList());
            // written beside and renamed, so that a full disk never leaves a truncated model.zip
            Path model = out.resolve("model.zip");
            Path tmp = out.resolve("model.zip.tmp");
            try {
                ModelSerializer.writeModel(net, tmp.toFile(), false);
                Files.move(tmp, model, StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException ex) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the write failed already; the temporary file is never read
                }
                throw new UncheckedIOException("cannot write " + model + ": " + OutputLock.reason(ex), ex);
            }
            writeEvaluation(o, setup, net, out.resolve("evaluation.txt"));
        }
        return new TrainResult(o, epochs, G2GNetworks.sparsityReport(net), List.copyOf(events),
                initialMask(setup.conf()), maskSnapshot(net), List.copyOf(effects));
    }

    /**
     * Writes DL4J's {@code Evaluation.stats()} of the trained network on the test set: accuracy, precision,
     * recall and F1 per class, and the confusion matrix.
     */
    private static void writeEvaluation(TrainOptions o, Setup setup, MultiLayerNetwork net, Path file) {
        ShufflingDataSetIterator test = setup.test();
        Evaluation eval = new Evaluation(DatasetLoader.classNames(o.protocol().dataset(), test.totalOutcomes()));
        test.seek(0, 0);
        while (test.hasNext()) {
            DataSet ds = test.next();
            eval.eval(ds.getLabels(), net.output(ds.getFeatures(), false));
        }
        try {
            Files.writeString(file, "Test set, after the last epoch (DL4J Evaluation.stats())\n"
                    + eval.stats(false, true) + "\n", StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write " + file, ex);
        }
    }

    /** Training stopped on an error the user must see (a NaN, a bad checkpoint). */
    public static final class TrainingFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /**
         * @param message what happened and where the last good state is
         * @param cause   the cause
         */
        public TrainingFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Test accuracy and mean cross-entropy in one pass.
     *
     * @param net  the network
     * @param test the test iterator (not shuffled)
     * @return {accuracy, loss}
     */
    public static double[] evaluate(MultiLayerNetwork net, ShufflingDataSetIterator test) {
        Evaluation eval = new Evaluation(test.totalOutcomes());
        double lossSum = 0;
        long n = 0;
        test.seek(0, 0);
        while (test.hasNext()) {
            DataSet ds = test.next();
            INDArray out = net.output(ds.getFeatures(), false);
            eval.eval(ds.getLabels(), out);
            lossSum -= ds.getLabels().mul(Transforms.log(out.add(1e-12), false)).sumNumber().doubleValue();
            n += ds.numExamples();
        }
        return new double[] {eval.accuracy(), lossSum / n};
    }

    /**
     * The mask the snapshot layer had at initialisation, drawn again from the configuration (exact).
     *
     * @param conf the network's configuration
     * @return the initial mask of the snapshot layer (the second G2G layer, or the only one), or null
     */
    public static ConnectionMask initialMask(MultiLayerConfiguration conf) {
        List<G2GDenseLayer> g2g = new ArrayList<>();
        long seed = conf.getConf(0).getSeed();
        for (var c : conf.getConfs()) {
            if (c.getLayer() instanceof G2GDenseLayer l) {
                g2g.add(l);
            }
        }
        if (g2g.isEmpty()) {
            return CnnFactory.initialMask(conf);
        }
        G2GDenseLayer l = g2g.get(Math.min(1, g2g.size() - 1));
        ConnectionMask m = l.getExecution() == Execution.STRUCTURED
                ? l.tileLayout(seed).mask(l.initialSlots(seed)) : l.generateMask(seed);
        return groupOrdered(m, l.inputPartition(seed).labels(), l.outputPartition(seed).labels());
    }

    /**
     * @param net the network
     * @return the current mask of the snapshot layer, grouped as {@link #initialMask}, or null
     */
    public static ConnectionMask maskSnapshot(MultiLayerNetwork net) {
        List<G2GBaseLayer> g2g = new ArrayList<>();
        for (Layer l : net.getLayers()) {
            if (l instanceof G2GBaseLayer g) {
                g2g.add(g);
            }
        }
        if (g2g.isEmpty()) {
            return CnnFactory.maskSnapshot(net);
        }
        G2GBaseLayer layer = g2g.get(Math.min(1, g2g.size() - 1));
        long seed = net.getLayerWiseConfigurations().getConf(0).getSeed();
        return groupOrdered(layer.currentMask(), layer.layerConf().inputPartition(seed).labels(),
                layer.layerConf().outputPartition(seed).labels());
    }

    /**
     * The mask with inputs and outputs sorted by group (stable), so that the group structure shows as blocks
     * whatever the grouping.
     */
    static ConnectionMask groupOrdered(ConnectionMask m, int[] inLabels, int[] outLabels) {
        int[] rows = orderByLabel(inLabels);
        int[] cols = orderByLabel(outLabels);
        float[] v = m.values();
        float[] out = new float[v.length];
        int nIn = m.nIn();
        for (int o = 0; o < cols.length; o++) {
            for (int i = 0; i < rows.length; i++) {
                out[i + o * nIn] = v[rows[i] + cols[o] * nIn];
            }
        }
        return new ConnectionMask(nIn, m.nOut(), out);
    }

    private static int[] orderByLabel(int[] labels) {
        return IntStream.range(0, labels.length).boxed()
                .sorted(Comparator.comparingInt(i -> labels[i])).mapToInt(Integer::intValue).toArray();
    }

    /**
     * @param o the options
     * @return a one-line description of the model
     */
    public static String describe(TrainOptions o) {
        ModelOptions m = o.model();
        RewiringOptions r = o.rewiring();
        String family = m.arch() == Arch.CNN ? "cnn-" : "";
        return family + switch (m.kind()) {
            case DENSE -> "dense";
            case ER -> String.format(Locale.ROOT, "er (density %.4f)", m.effectiveDensity());
            case G2G -> String.format(Locale.ROOT, "g2g %s%s, %d groups, pIntra %s, %s%s", m.grouping(),
                    m.execution() == Execution.MASKED ? "" : " " + m.execution().name().toLowerCase(Locale.ROOT),
                    m.groups(), m.pIntra(), m.density() != null ? "density " + m.density() : "pInter " + m.pInter(),
                    r.dst() != null ? ", dst " + r.dst() + " every " + r.every() : "") + unevenGroups(o);
        };
    }

    /**
     * @param o the options
     * @return ", uneven groups (...)" when G does not divide every side the groups split (the balanced grouping then
     *         gives groups whose sizes differ by one), else ""
     */
    static String unevenGroups(TrainOptions o) {
        List<Integer> sides = new ArrayList<>();
        if (o.model().arch() == Arch.CNN) {
            sides.addAll(o.model().channels());
        } else {
            sides.add(o.protocol().dataset().toLowerCase(Locale.ROOT).startsWith("cifar") ? 3 * 32 * 32 : 28 * 28);
            sides.add(o.model().width());
        }
        List<Integer> uneven = sides.stream().filter(n -> n % o.model().groups() != 0).distinct().toList();
        return uneven.isEmpty() ? "" : String.format(Locale.ROOT, ", uneven groups (%s not divisible by %d: group sizes "
                + "differ by one)", uneven.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", ")),
                o.model().groups());
    }

    /**
     * @param o the options
     * @return the hidden widths, e.g. 1024x3
     */
    public static String hiddenShape(TrainOptions o) {
        if (o.model().arch() == Arch.CNN) {
            return "conv" + CnnFactory.channelsName(o.model().channels()).replace("-", "-conv");
        }
        ModelOptions m = o.model();
        return m.layers() == 1 ? String.valueOf(m.width()) : m.width() + "x" + m.layers();
    }

    /** Writes a CSV file of a header and rows; nothing when there are no rows. */
    private static void writeCsv(Path file, String header, List<String> rows) {
        if (rows.isEmpty()) {
            return;
        }
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(header);
            w.newLine();
            for (String row : rows) {
                w.write(row);
                w.newLine();
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write " + file + ": " + OutputLock.reason(ex), ex);
        }
    }
}
