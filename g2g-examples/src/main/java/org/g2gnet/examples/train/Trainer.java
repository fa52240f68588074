package org.g2gnet.examples.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.g2gnet.G2GNetworks;
import org.g2gnet.data.ShufflingDataSetIterator;
import org.g2gnet.layers.G2GLayer;
import org.g2gnet.rewiring.RewiringEvent;
import org.g2gnet.rewiring.RewiringListener;
import org.g2gnet.topology.ConnectionMask;
import org.g2gnet.topology.Seeds;
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
    public static TrainResult run(TrainOptions o, PrintStream log, java.util.function.Consumer<EpochMetrics> onEpoch) {
        DatasetLoader.Split data = DatasetLoader.load(o.dataset(), o.dataDir(), o.trainLimit());
        ShufflingDataSetIterator train = new ShufflingDataSetIterator(data.train(), o.batch(), true,
                Seeds.mix(o.seed(), "data"), data.augmentation());
        ShufflingDataSetIterator test = new ShufflingDataSetIterator(data.test(), 1000, false, 0, null);
        int totalIterations = train.batchesPerEpoch() * o.epochs();
        MultiLayerConfiguration conf = ModelFactory.build(o, data.train().featureSize(), data.train().numClasses(),
                totalIterations);

        Path checkpointDir = o.out() == null ? null : o.out().resolve("checkpoints");
        Checkpoints.Loaded resumed = null;
        if (o.resume()) {
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
            net = new MultiLayerNetwork(conf);
            net.init();
        }

        G2GNetworks.SparsityReport sparsity = G2GNetworks.sparsityReport(net);
        log.printf(Locale.ROOT, "%s: %d train / %d test examples, %d iterations per epoch%n", o.dataset(),
                data.train().count(), data.test().count(), train.batchesPerEpoch());
        log.printf(Locale.ROOT, "model %s: %d-%s-%d, %,d active parameters (density %.4f of the weights)%n",
                describe(o), data.train().featureSize(), hiddenShape(o), data.train().numClasses(),
                sparsity.activeParams(), sparsity.density());
        warnIfNoEvents(o, totalIterations, log);

        EpochProgress progress = new EpochProgress(o.progress(), log);
        RewiringListener rewiring = rewiringListener(o, totalIterations);
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
        List<org.deeplearning4j.optimize.api.TrainingListener> listeners = new ArrayList<>();
        listeners.add(progress);
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
        Checkpointer checkpointer = checkpointDir == null ? null
                : new Checkpointer(o, checkpointDir, progress, rewiring, rows, effects,
                train.batchesPerEpoch());
        if (checkpointer != null) {
            listeners.add(checkpointer);
        }
        if (o.iterationDelayMs() > 0 || o.injectNanAt() >= 0) {
            listeners.add(new FaultInjection(o.iterationDelayMs(), o.injectNanAt()));
        }
        net.setListeners(listeners);

        int startEpoch = resumed == null ? 0 : resumed.state().epoch();
        try (MetricsWriter csv = MetricsWriter.open(o.out(), rows)) {
            for (int e = startEpoch; e < o.epochs(); e++) {
                boolean partial = resumed != null && e == startEpoch;
                int firstBatch = partial ? resumed.state().batch() : 0;
                train.seek(e, firstBatch);
                progress.start(String.format(Locale.ROOT, "epoch %d/%d", e + 1, o.epochs()), train.batchesPerEpoch(),
                        firstBatch, partial ? resumed.state().lossSum() : 0, partial ? resumed.state().lossCount() : 0);
                if (checkpointer != null) {
                    checkpointer.beginEpoch(e);
                }
                int eventsBefore = rewiring == null ? 0 : rewiring.events().size();
                int effectsBefore = effects.size();
                long t0 = System.nanoTime();
                try {
                    net.fit(train);
                } catch (NonFiniteGuard.NonFiniteException ex) {
                    progress.finish();
                    Path last = checkpointDir == null ? null : Checkpoints.list(checkpointDir).stream().findFirst()
                            .orElse(null);
                    throw new TrainingFailedException(ex.getMessage() + "; training stopped"
                            + (last == null ? " (no checkpoint was written)" : "; the last good checkpoint is " + last), ex);
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                double trainLoss = progress.finish();
                double[] eval = evaluate(net, test);
                EpochMetrics m = new EpochMetrics(e + 1, trainLoss, eval[1], eval[0], seconds, net.getIterationCount());
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
                log.printf(Locale.ROOT, "epoch %d/%d: train loss %.4f, test loss %.4f, test accuracy %.4f, %.1f s%n",
                        m.epoch(), o.epochs(), m.trainLoss(), m.testLoss(), m.testAccuracy(), m.seconds());
                if (checkpointer != null) {
                    checkpointer.epochEnded(net);
                }
                onEpoch.accept(m);
            }
        }
        List<RewiringEvent> events = rewiring == null ? List.of() : List.copyOf(rewiring.events());
        G2GNetworks.SparsityReport finalSparsity = G2GNetworks.sparsityReport(net);
        if (o.out() != null) {
            writeEvents(o.out().resolve("events.csv"), events);
            if (!effects.isEmpty()) {
                List<String> lines = new ArrayList<>();
                lines.add(EventProbe.Effect.HEADER);
                effects.forEach(e -> lines.add(e.csv()));
                try {
                    java.nio.file.Files.write(o.out().resolve("probes.csv"), lines);
                } catch (IOException ex) {
                    throw new UncheckedIOException("cannot write " + o.out().resolve("probes.csv"), ex);
                }
            }
            try {
                ModelSerializer.writeModel(net, o.out().resolve("model.zip").toFile(), false);
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot write " + o.out().resolve("model.zip"), ex);
            }
        }
        List<TrainResult.EventEffect> eventEffects = effects.stream().map(e -> new TrainResult.EventEffect(e.iteration(),
                e.trainLossBefore(), e.trainLossAfter(), e.testAccBefore(), e.testAccAfter())).toList();
        return new TrainResult(o, epochs, finalSparsity, events, initialMask(conf), maskSnapshot(net), eventEffects);
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
     * Warns when {@code --dst} is set but the run is too short for any rewiring event.
     *
     * @param o               the options
     * @param totalIterations optimizer steps of the whole run
     * @param log             where the warning goes
     */
    public static void warnIfNoEvents(TrainOptions o, int totalIterations, PrintStream log) {
        if (o.dst() != null && o.rewireEvery() > totalIterations) {
            log.printf(Locale.ROOT, "warning: --rewire-every %d is more than the %d iterations of this run: no rewiring "
                    + "event will happen (lower --rewire-every or --batch, or train longer)%n", o.rewireEvery(),
                    totalIterations);
        }
    }

    /**
     * The run's rewiring listener (null without {@code --dst}), with its stop and decay resolved against the
     * run's length.
     *
     * @param o               the options
     * @param totalIterations optimizer steps of the whole run
     * @return the listener, or null
     */
    public static RewiringListener rewiringListener(TrainOptions o, int totalIterations) {
        if (o.dst() == null) {
            return null;
        }
        RewiringListener.Builder b = RewiringListener.builder().everyIterations(o.rewireEvery())
                .fraction(o.rewireFraction()).prune(o.dst().prune()).grow(o.dst().grow())
                .seed(Seeds.mix(o.seed(), "rewiring")).logEvents(false).hebbianScore(o.hebbianScore())
                .prunePrefilter(o.prunePrefilter()).regrowth(o.regrowth());
        if (o.hebbianDecay() > 0) {
            b.hebbianAverage(o.hebbianDecay(), o.hebbianWindow());
        }
        // never after the last optimizer step: its new connections would never be trained
        int stop = totalIterations;
        if (o.rewireStop() > 0) {
            stop = Math.min(stop, o.rewireStop());
        }
        if (o.rewireStopFraction() > 0) {
            stop = Math.min(stop, (int) Math.round(o.rewireStopFraction() * totalIterations));
        }
        if (o.rewireSchedule() == org.g2gnet.rewiring.RewiringSchedule.Decay.COSINE) {
            b.cosineDecay(Math.max(1, stop));
        }
        return b.stopAt(stop).build();
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

    /** The mask the snapshot layer had at initialisation, drawn again from the configuration (exact). */
    /**
     * @param conf the network's configuration
     * @return the initial mask of the snapshot layer (the second G2G layer, or the only one), or null
     */
    public static ConnectionMask initialMask(MultiLayerConfiguration conf) {
        List<org.g2gnet.conf.G2GDenseLayer> g2g = new ArrayList<>();
        long seed = conf.getConf(0).getSeed();
        for (var c : conf.getConfs()) {
            if (c.getLayer() instanceof org.g2gnet.conf.G2GDenseLayer l) {
                g2g.add(l);
            }
        }
        if (g2g.isEmpty()) {
            return null;
        }
        org.g2gnet.conf.G2GDenseLayer l = g2g.get(Math.min(1, g2g.size() - 1));
        ConnectionMask m = l.getExecution() == org.g2gnet.conf.Execution.STRUCTURED
                ? l.tileLayout(seed).mask(l.initialSlots(seed)) : l.generateMask(seed);
        return groupOrdered(m, l.inputPartition(seed).labels(), l.outputPartition(seed).labels());
    }

    /**
     * @param net the network
     * @return the current mask of the snapshot layer, grouped as {@link #initialMask}, or null
     */
    public static ConnectionMask maskSnapshot(MultiLayerNetwork net) {
        List<Layer> g2g = new ArrayList<>();
        for (Layer l : net.getLayers()) {
            if (l instanceof G2GLayer) {
                g2g.add(l);
            }
        }
        if (g2g.isEmpty()) {
            return null;
        }
        Layer layer = g2g.get(Math.min(1, g2g.size() - 1));
        org.g2gnet.conf.G2GDenseLayer conf = (org.g2gnet.conf.G2GDenseLayer) layer.conf().getLayer();
        long seed = net.getLayerWiseConfigurations().getConf(0).getSeed();
        return groupOrdered(((G2GLayer) layer).currentMask(), conf.inputPartition(seed).labels(),
                conf.outputPartition(seed).labels());
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
        return java.util.stream.IntStream.range(0, labels.length).boxed()
                .sorted(java.util.Comparator.comparingInt(i -> labels[i])).mapToInt(Integer::intValue).toArray();
    }

    /**
     * @param o the options
     * @return a one-line description of the model
     */
    public static String describe(TrainOptions o) {
        return switch (o.model()) {
            case DENSE -> "dense";
            case ER -> String.format(Locale.ROOT, "er (density %.4f)", o.effectiveDensity());
            case G2G -> String.format(Locale.ROOT, "g2g %s%s, %d groups, pIntra %s, %s%s", o.grouping(),
                    o.execution() == org.g2gnet.conf.Execution.STRUCTURED ? " structured" : "", o.groups(),
                    o.pIntra(), o.density() != null ? "density " + o.density() : "pInter " + o.pInter(),
                    o.dst() != null ? ", dst " + o.dst() + " every " + o.rewireEvery() : "");
        };
    }

    /**
     * @param o the options
     * @return the hidden widths, e.g. 1024x3
     */
    public static String hiddenShape(TrainOptions o) {
        return o.layers() == 1 ? String.valueOf(o.width()) : o.width() + "x" + o.layers();
    }

    /**
     * Writes events.csv (nothing when there were no events).
     *
     * @param file   the file
     * @param events the events
     */
    public static void writeEvents(Path file, List<RewiringEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(EventsCsv.HEADER);
            w.newLine();
            for (RewiringEvent e : events) {
                w.write(EventsCsv.row(e));
                w.newLine();
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write " + file, ex);
        }
    }
}
