package org.g2gnet.cli.train;

import java.io.Serializable;
import java.util.List;

/**
 * The part of a checkpoint that is not the network (which ModelSerializer stores with its updater state,
 * iteration and epoch counts, hence the learning-rate schedule position) nor the rewiring listener's state
 * (stored under its own key).
 *
 * @param fingerprint the run's options, which a resumed run must match
 * @param epoch       0-based epoch in progress
 * @param batch       batches of that epoch already trained (the data order of every epoch is a function of
 *                    the seed and the epoch, so this is the whole data-shuffling state)
 * @param lossSum     sum of the training losses of those batches
 * @param lossCount   number of those batches
 * @param metricRows  metrics.csv rows of the finished epochs
 * @param iteration   optimizer steps done
 * @param probeRows   probes.csv rows of the rewiring events so far
 * @param epochSeconds seconds spent training those batches (0 in checkpoints written before this field existed),
 *                    so that a resumed epoch reports the time of the whole epoch
 */
public record CheckpointState(String fingerprint, int epoch, int batch, double lossSum, int lossCount,
                              List<String> metricRows, int iteration, List<String> probeRows, double epochSeconds)
        implements Serializable {
    private static final long serialVersionUID = 1L;
}
