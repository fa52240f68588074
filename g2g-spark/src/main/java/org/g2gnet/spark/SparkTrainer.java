package org.g2gnet.spark;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.g2gnet.MaskIntegrity;
import org.g2gnet.cli.train.EpochMetrics;
import org.g2gnet.cli.train.MetricsWriter;
import org.g2gnet.cli.train.SparkEngine;
import org.g2gnet.cli.train.SparkSettings;
import org.g2gnet.cli.train.TrainOptions;
import org.g2gnet.cli.train.TrainResult;
import org.g2gnet.cli.train.Trainer;
import org.g2gnet.rewiring.RewiringEvent;
import org.g2gnet.rewiring.RewiringListener;
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
        SparkConf conf = new SparkConf().setAppName("g2g train " + o.model().kind().name().toLowerCase(Locale.ROOT));
        if (s.master() != null) {
            conf.setMaster(s.master());
        } else {
            conf.setIfMissing("spark.master", "local[*]"); // spark-submit sets spark.master; a plain java run does not
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
        if (o.output().resume()) {
            throw new IllegalArgumentException("--resume is not supported with --engine spark: the Spark engine writes "
                    + "model.zip at the end and no checkpoints");
        }
        try (org.g2gnet.cli.train.OutputLock lock = org.g2gnet.cli.train.OutputLock.acquire(o.output().out(),
                "train --engine spark", log)) {
            return train(sc, o, s, log);
        }
    }

    private static TrainResult train(JavaSparkContext sc, TrainOptions o, SparkSettings s, PrintStream log) {
        Trainer.Setup setup = Trainer.Setup.of(o);
        MultiLayerNetwork net = new MultiLayerNetwork(setup.conf());
        net.init();
        int workers = s.workers() > 0 ? s.workers() : sc.defaultParallelism();
        // one round = one parameter-averaging split, so that the iteration count each round starts from (and
        // with it the learning-rate schedule on the workers) is exact; DL4J itself broadcasts once per split too
        int split = workers * s.averagingFrequency();

        int batch = o.protocol().batch();
        ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(batch)
                .batchSizePerWorker(batch).averagingFrequency(s.averagingFrequency()).workerPrefetchNumBatches(0)
                .saveUpdater(true).rddTrainingApproach(RDDTrainingApproach.Direct).build();
        SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, net, tm);
        RewiringListener rewiring = o.rewiring().listener(o.protocol().seed(), setup.totalIterations());

        log.printf(Locale.ROOT, "spark: master %s, %d workers, parameter averaging every %d minibatches per worker%n",
                sc.master(), workers, s.averagingFrequency());
        setup.print(o, net, log);

        List<EpochMetrics> epochs = new ArrayList<>();
        int iteration = 0;
        try (MetricsWriter csv = MetricsWriter.open(o.output().out(), List.of())) {
            for (int e = 0; e < o.protocol().epochs(); e++) {
                long t0 = System.nanoTime();
                List<DataSet> epoch = SparkData.epochBatches(setup.train(), e);
                double lossSum = 0;
                int start = 0;
                while (start < epoch.size()) {
                    int end = Math.min(start + split, roundEnd(rewiring, iteration, start, epoch.size()));
                    List<DataSet> round = epoch.subList(start, end);
                    // the workers' learning-rate schedule reads the iteration count that travels with the network
                    net.setIterationCount(iteration);
                    net.setEpochCount(e);
                    // the workers' score includes the weight-decay penalty of their parameters, which start the round
                    // as these: subtract this term, not that of the averaged parameters after the round (larger
                    // when a run diverges, which made the loss negative)
                    double reg = net.calcRegularizationScore(true);
                    spark.fit(SparkData.rdd(sc, round, workers));
                    iteration += round.size();
                    double score = spark.getScore();
                    if (!Double.isFinite(score)) {
                        throw new Trainer.TrainingFailedException(String.format(Locale.ROOT,
                                "non-finite training loss %s in the Spark round ending at iteration %d (epoch %d); "
                                        + "training stopped", score, iteration, e + 1), null);
                    }
                    lossSum += (score - reg) * round.size();
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
                double[] eval = Trainer.evaluate(net, setup.test());
                double val = setup.validation() == null ? Double.NaN : Trainer.evaluate(net, setup.validation())[0];
                EpochMetrics m = new EpochMetrics(e + 1, lossSum / epoch.size(), eval[1], eval[0], seconds, iteration,
                        val);
                epochs.add(m);
                csv.row(m);
                Trainer.printEpoch(m, o.protocol().epochs(), log);
            }
        }
        return Trainer.finish(o, setup, net, epochs, rewiring == null ? List.of() : rewiring.events(), List.of());
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
