package org.g2gnet.cli.train;

import java.nio.file.Path;
import java.util.List;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.g2gnet.rewiring.RewiringListener;

/**
 * Writes a checkpoint every N optimizer steps, from {@code iterationDone} (after the update and after any
 * rewiring event of that step). A checkpoint due on the last batch of an epoch is written by the trainer
 * after that epoch's evaluation instead, so that a checkpoint never sits between an epoch's last batch and
 * its evaluation.
 */
final class Checkpointer extends BaseTrainingListener {
    private final TrainOptions options;
    private final Path dir;
    private final EpochProgress progress;
    private final RewiringListener rewiring;
    private final List<String> metricRows;
    private final List<EventProbe.Effect> effects;
    private final int batchesPerEpoch;
    private final Checkpoints.Sink sink;
    private int epoch;
    private boolean dueAtEpochEnd;
    private Path last;

    Checkpointer(TrainOptions options, Path dir, EpochProgress progress, RewiringListener rewiring,
                 List<String> metricRows, List<EventProbe.Effect> effects, int batchesPerEpoch,
                 Checkpoints.Sink sink) {
        this.options = options;
        this.sink = sink;
        this.dir = dir;
        this.progress = progress;
        this.rewiring = rewiring;
        this.metricRows = metricRows;
        this.effects = effects;
        this.batchesPerEpoch = batchesPerEpoch;
    }

    void beginEpoch(int e) {
        this.epoch = e;
        this.dueAtEpochEnd = false;
    }

    @Override
    public void iterationDone(Model model, int iteration, int ep) {
        if (options.output().checkpointEvery() == 0 || (iteration + 1) % options.output().checkpointEvery() != 0) {
            return;
        }
        if (progress.batchesDone() >= batchesPerEpoch) {
            dueAtEpochEnd = true;
            return;
        }
        MultiLayerNetwork net = (MultiLayerNetwork) model;
        // DL4J increments the iteration count after the listeners: store the count the next step will see,
        // so that the learning-rate schedule and Adam's bias correction continue exactly
        int count = net.getIterationCount();
        net.getLayerWiseConfigurations().setIterationCount(count + 1);
        try {
            write(net, epoch, progress.batchesDone(), progress.lossSum(), progress.lossCount(), count + 1,
                    progress.seconds());
        } finally {
            net.getLayerWiseConfigurations().setIterationCount(count);
        }
    }

    /** Writes the checkpoint due at the end of an epoch, if one is due (called after the evaluation). */
    void epochEnded(MultiLayerNetwork net) {
        if (dueAtEpochEnd) {
            write(net, epoch + 1, 0, 0, 0, net.getIterationCount(), 0);
            dueAtEpochEnd = false;
        }
    }

    private void write(MultiLayerNetwork net, int e, int batch, double lossSum, int lossCount, int iteration,
                       double seconds) {
        CheckpointState state = new CheckpointState(options.fingerprint(), e, batch, lossSum, lossCount,
                List.copyOf(metricRows), iteration, effects.stream().map(EventProbe.Effect::csv).toList(), seconds);
        last = Checkpoints.write(dir, net, state, rewiring == null ? null : rewiring.state(),
                options.output().keepCheckpoints(), sink);
    }

    /** @return the newest checkpoint written by this run, or null */
    Path last() {
        return last;
    }
}
