package org.g2gnet.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.util.ModelSerializer;
import org.g2gnet.G2GNetworks;
import org.g2gnet.data.ShufflingDataSetIterator;
import org.g2gnet.examples.train.DatasetLoader;
import org.g2gnet.examples.train.EpochMetrics;
import org.g2gnet.examples.train.MetricsWriter;
import org.g2gnet.examples.train.ModelFactory;
import org.g2gnet.examples.train.SparkEngine;
import org.g2gnet.examples.train.SparkSettings;
import org.g2gnet.examples.train.TrainOptions;
import org.g2gnet.examples.train.TrainResult;
import org.g2gnet.examples.train.Trainer;
import org.g2gnet.rewiring.RewiringEvent;
import org.g2gnet.rewiring.RewiringListener;
import org.g2gnet.topology.Seeds;
import org.nd4j.linalg.dataset.DataSet;

/**
 * {@code ./g2g train --engine spark}: trains a network with DL4J's Spark engine
 * ({@link SparkDl4jMultiLayer} with {@link ParameterAveragingTrainingMaster}) and rewires it on the driver.
 *
 * <p>Training runs in rounds. A round fits {@code workers x averagingFrequency} minibatches on the executors
 * (fewer before a rewiring event) and ends with one parameter averaging. The masks are parameters
 * (the flat view is {@code [W|b|M]}), so they travel with the weights; since no worker ever changes a mask,
 * every worker holds the same masks and their average is exact (checked after every round). Between rounds,
 * when the rewiring schedule says so, the driver rewires its network with
 * {@link RewiringListener#rewireNow} on up to {@value #SAMPLE} examples of the round just trained (the Hebbian
 * score from one forward pass) and resets the updater state of the changed entries; the next round
 * broadcasts the new masks, weights and updater state to every worker. Iterations count minibatches over all
 * workers, so {@code --rewire-every} and the cosine learning rate mean what they mean locally.
 */
public final class SparkTrainer implements SparkEngine {
    /** Examples the driver scores connections on at a rewiring event. */
    static final int SAMPLE = 1024;

    /** For {@link java.util.ServiceLoader}. */
    public SparkTrainer() {
    }

    @Override
    public TrainResult train(TrainOptions o, SparkSettings s, PrintStream log) {
        SparkConf conf = new SparkConf().setAppName("g2g train " + o.model().name().toLowerCase(Locale.ROOT));
        if (s.master() != null) {
            conf.setMaster(s.master());
        }
        if (conf.get("spark.master", "").startsWith("local")) {
            conf.setIfMissing("spark.ui.enabled", "false");
        }
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            return run(sc, o, s, log);
        }
    }

    /**
     * @param sc  a Spark context
     * @param o   the options
     * @param s   the Spark settings (the master is the context's)
     * @param log where progress is printed
     * @return the result
     */
    public static TrainResult run(JavaSparkContext sc, TrainOptions o, SparkSettings s, PrintStream log) {
        if (o.resume()) {
            throw new IllegalArgumentException("--resume is not supported with --engine spark: the Spark engine writes "
                    + "model.zip at the end and no checkpoints");
        }
        DatasetLoader.Split data = DatasetLoader.load(o.dataset(), o.dataDir(), o.trainLimit());
        ShufflingDataSetIterator train = new ShufflingDataSetIterator(data.train(), o.batch(), true,
                Seeds.mix(o.seed(), "data"), data.augmentation());
        ShufflingDataSetIterator test = new ShufflingDataSetIterator(data.test(), 1000, false, 0, null);
        int batches = train.batchesPerEpoch();
        int totalIterations = batches * o.epochs();
        MultiLayerConfiguration conf = ModelFactory.build(o, data.train().featureSize(), data.train().numClasses(),
                totalIterations);
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        int workers = s.workers() > 0 ? s.workers() : sc.defaultParallelism();
        // one round = one parameter-averaging split, so that the iteration count each round starts from (and
        // with it the learning-rate schedule on the workers) is exact; DL4J itself broadcasts once per split too
        int split = workers * s.averagingFrequency();

        ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(o.batch())
                .batchSizePerWorker(o.batch()).averagingFrequency(s.averagingFrequency()).workerPrefetchNumBatches(0)
                .saveUpdater(true).rddTrainingApproach(RDDTrainingApproach.Direct).build();
        SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, net, tm);
        RewiringListener rewiring = Trainer.rewiringListener(o, totalIterations);

        G2GNetworks.SparsityReport sparsity = G2GNetworks.sparsityReport(net);
        log.printf(Locale.ROOT, "spark: master %s, %d workers, parameter averaging every %d minibatches per worker%n",
                sc.master(), workers, s.averagingFrequency());
        log.printf(Locale.ROOT, "%s: %d train / %d test examples, %d iterations per epoch%n", o.dataset(),
                data.train().count(), data.test().count(), batches);
        log.printf(Locale.ROOT, "model %s: %d-%s-%d, %,d active parameters (density %.4f of the weights)%n",
                Trainer.describe(o), data.train().featureSize(), Trainer.hiddenShape(o), data.train().numClasses(),
                sparsity.activeParams(), sparsity.density());
        Trainer.warnIfNoEvents(o, totalIterations, log);

        List<EpochMetrics> epochs = new ArrayList<>();
        int iteration = 0;
        try (MetricsWriter csv = MetricsWriter.open(o.out(), List.of())) {
            for (int e = 0; e < o.epochs(); e++) {
                long t0 = System.nanoTime();
                List<DataSet> epoch = SparkData.epochBatches(train, e);
                double lossSum = 0;
                int start = 0;
                while (start < epoch.size()) {
                    int end = Math.min(start + split, roundEnd(rewiring, iteration, start, epoch.size()));
                    List<DataSet> round = epoch.subList(start, end);
                    // the workers' learning-rate schedule reads the iteration count that travels with the network
                    net.setIterationCount(iteration);
                    net.setEpochCount(e);
                    spark.fit(SparkData.rdd(sc, round, workers));
                    iteration += round.size();
                    double score = spark.getScore();
                    if (!Double.isFinite(score)) {
                        throw new Trainer.TrainingFailedException(String.format(Locale.ROOT,
                                "non-finite training loss %s in the Spark round ending at iteration %d (epoch %d); "
                                        + "training stopped", score, iteration, e + 1), null);
                    }
                    // DL4J's score includes the weight-decay penalty; metrics.csv reports the data loss, as locally
                    lossSum += (score - net.calcRegularizationScore(true)) * round.size();
                    MaskIntegrity.check(net, "the round ending at iteration " + iteration);
                    if (rewiring != null && rewiring.schedule().isEventIteration(iteration - 1)) {
                        for (RewiringEvent ev : rewiring.rewireNow(net, sample(round), iteration - 1, e)) {
                            log.println("  " + ev.summary());
                        }
                    }
                    start = end;
                }
                net.setIterationCount(iteration);
                double seconds = (System.nanoTime() - t0) / 1e9;
                double[] eval = Trainer.evaluate(net, test);
                EpochMetrics m = new EpochMetrics(e + 1, lossSum / epoch.size(), eval[1], eval[0], seconds, iteration);
                epochs.add(m);
                csv.row(m);
                log.printf(Locale.ROOT, "epoch %d/%d: train loss %.4f, test loss %.4f, test accuracy %.4f, %.1f s%n",
                        m.epoch(), o.epochs(), m.trainLoss(), m.testLoss(), m.testAccuracy(), m.seconds());
            }
        }
        List<RewiringEvent> events = rewiring == null ? List.of() : List.copyOf(rewiring.events());
        if (o.out() != null) {
            Trainer.writeEvents(o.out().resolve("events.csv"), events);
            try {
                ModelSerializer.writeModel(net, o.out().resolve("model.zip").toFile(), true);
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot write " + o.out().resolve("model.zip"), ex);
            }
        }
        return new TrainResult(o, epochs, G2GNetworks.sparsityReport(net), events, Trainer.initialMask(conf),
                Trainer.maskSnapshot(net), List.of());
    }

    /** End (exclusive) of the round that starts at {@code start}: the epoch's end or just after the next event. */
    static int roundEnd(RewiringListener rewiring, int iteration, int start, int epochBatches) {
        if (rewiring == null) {
            return epochBatches;
        }
        for (int k = start; k < epochBatches; k++) {
            if (rewiring.schedule().isEventIteration(iteration + (k - start))) {
                return k + 1;
            }
        }
        return epochBatches;
    }

    /** Up to {@value #SAMPLE} examples from the end of the round just trained. */
    private static DataSet sample(List<DataSet> round) {
        List<DataSet> take = new ArrayList<>();
        int n = 0;
        for (int k = round.size() - 1; k >= 0 && n < SAMPLE; k--) {
            take.add(round.get(k));
            n += round.get(k).numExamples();
        }
        return take.size() == 1 ? take.get(0) : DataSet.merge(take);
    }
}
