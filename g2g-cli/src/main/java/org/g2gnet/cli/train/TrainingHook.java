package org.g2gnet.cli.train;

import java.util.List;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;

/**
 * Listeners added to every run of {@code ./g2g train}, {@code compare} and {@code sweep}, found on the class path with
 * {@link java.util.ServiceLoader} (a file {@code META-INF/services/org.g2gnet.cli.train.TrainingHook} naming the
 * implementing class). The application ships none; its tests register one that injects faults (a NaN weight at a
 * given step, a pause after every step, a disk that fills up while a checkpoint is written), so that the shipped command line has no test-only options. A user may
 * register their own, for example to log to an experiment tracker, by putting a jar with such a file on the class
 * path.
 */
public interface TrainingHook {
    /**
     * @param net the network about to be trained (initialised, possibly restored from a checkpoint)
     * @return listeners to add after the application's own; empty to add none
     */
    List<TrainingListener> listeners(MultiLayerNetwork net);

    /**
     * @return how checkpoint files are opened, or null for the files themselves (the default); the disk-full tests
     *         return streams that fail part-way as a full disk does
     */
    default Checkpoints.Sink checkpointFiles() {
        return null;
    }
}
