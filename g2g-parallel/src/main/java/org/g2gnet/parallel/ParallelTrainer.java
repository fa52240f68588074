package org.g2gnet.parallel;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.g2gnet.cli.train.EpochMetrics;
import org.g2gnet.cli.train.MetricsWriter;
import org.g2gnet.cli.train.OutputLock;
import org.g2gnet.cli.train.ParallelEngine;
import org.g2gnet.cli.train.TrainOptions;
import org.g2gnet.cli.train.TrainResult;
import org.g2gnet.cli.train.Trainer;
import org.g2gnet.rewiring.RewiringEvent;
import org.g2gnet.rewiring.RewiringListener;

/**
 * {@code ./g2g train --engine parallel}: the run of {@code ./g2g train} on every core, through
 * {@link ParallelRewiring}. The learning-rate schedule counts averaged steps (W minibatches each), the rewiring
 * schedule minibatches, so {@code --rewire-every} means what it means locally. Writes metrics.csv, events.csv and
 * model.zip as local training does; no checkpoints ({@code --resume} is refused).
 */
public final class ParallelTrainer implements ParallelEngine {
    /** For {@link java.util.ServiceLoader}. */
    public ParallelTrainer() {
    }

    @Override
    public TrainResult train(TrainOptions o, int workers, int averagingFrequency, PrintStream log) {
        if (o.output().resume()) {
            throw new IllegalArgumentException("--resume is not supported with --engine parallel: it writes model.zip "
                    + "at the end and no checkpoints (ParallelWrapper keeps each worker's copy to itself)");
        }
        try (OutputLock lock = OutputLock.acquire(o.output().out(), "train --engine parallel", log)) {
            return run(o, workers, averagingFrequency, log);
        }
    }

    private static TrainResult run(TrainOptions o, int workers, int averagingFrequency, PrintStream log) {
        Trainer.Setup setup = Trainer.Setup.of(o, workers);
        MultiLayerNetwork net = new MultiLayerNetwork(setup.conf());
        net.init();
        RewiringListener rewiring = o.rewiring().listener(o.protocol().seed(), setup.totalIterations());
        ParallelRewiring pr = ParallelRewiring.builder(net).workers(workers).averagingFrequency(averagingFrequency)
                .rewiring(rewiring).build();
        log.printf(Locale.ROOT, "parallel: %d workers (DL4J ParallelWrapper, parameter averaging every %d step%s of all "
                        + "workers; the learning rate follows the %d averaged steps)%n", workers, averagingFrequency,
                averagingFrequency == 1 ? "" : "s", ParallelRewiring.steps(setup.train().batchesPerEpoch(), workers)
                        * o.protocol().epochs());
        if (o.output().checkpointEvery() > 0 && o.output().out() != null) {
            log.println("parallel: no checkpoints with --engine parallel (model.zip is written at the end)");
        }
        setup.print(o, net, log);
        List<EpochMetrics> epochs = new ArrayList<>();
        try (MetricsWriter csv = MetricsWriter.open(o.output().out(), List.of())) {
            for (int e = 0; e < o.protocol().epochs(); e++) {
                long t0 = System.nanoTime();
                setup.train().seek(e, 0); // the same order of minibatches as local training
                ParallelRewiring.Epoch r = pr.fit(setup.train(), e);
                if (!Double.isFinite(r.meanScore())) {
                    throw new Trainer.TrainingFailedException(String.format(Locale.ROOT, "non-finite training loss %s "
                            + "in epoch %d (--engine parallel); training stopped", r.meanScore(), e + 1), null);
                }
                for (RewiringEvent ev : r.events()) {
                    log.println("  " + ev.summary());
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                double[] eval = Trainer.evaluate(net, setup.test());
                double val = setup.validation() == null ? Double.NaN : Trainer.evaluate(net, setup.validation())[0];
                EpochMetrics m = new EpochMetrics(e + 1, r.meanScore(), eval[1], eval[0], seconds, pr.minibatches(), val);
                epochs.add(m);
                csv.row(m);
                Trainer.printEpoch(m, o.protocol().epochs(), log);
            }
        }
        return Trainer.finish(o, setup, net, epochs, rewiring == null ? List.of() : rewiring.events(), List.of());
    }
}
