package org.g2gnet.cli.train;

import java.util.List;
import java.util.concurrent.Callable;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;

/**
 * Faults for the fault-tolerance tests, registered as a {@link TrainingHook} from the test class path only: a sleep
 * after every step, so that a test can kill the process mid-epoch, a NaN written into a weight of the second
 * layer with weights after a given step, so that the non-finite guard can be tested at a known iteration, and
 * checkpoint files that fail part-way as on a full disk ({@link #checkpointSink}). Switched
 * on by the system properties {@value #DELAY_MS} and {@value #NAN_AT}: in this JVM with {@link #with}, in a child
 * JVM with {@link #jvmArgs}.
 */
public final class FaultInjection implements TrainingHook {
    /** System property: milliseconds to sleep after every step. */
    public static final String DELAY_MS = "g2g.test.iterationDelayMs";
    /** System property: the step (0-based) after which a weight becomes NaN. */
    public static final String NAN_AT = "g2g.test.injectNanAt";

    /** How checkpoint files are opened in this JVM; null: as files (the disk-full tests set a disk that fills up). */
    static volatile Checkpoints.Sink checkpointSink;

    @Override
    public Checkpoints.Sink checkpointFiles() {
        return checkpointSink;
    }

    @Override
    public List<TrainingListener> listeners(MultiLayerNetwork net) {
        int delayMs = Integer.getInteger(DELAY_MS, 0);
        int nanAt = Integer.getInteger(NAN_AT, -1);
        return delayMs > 0 || nanAt >= 0 ? List.of(new Faults(delayMs, nanAt)) : List.of();
    }

    /**
     * Runs code with faults switched on in this JVM (tests run one at a time in it).
     *
     * @param delayMs sleep after every step, 0 = none
     * @param nanAt   the step after which a weight becomes NaN, -1 = never
     * @param body    the code
     * @param <T>     what it returns
     * @return what it returned
     * @throws Exception what it threw
     */
    public static <T> T with(int delayMs, int nanAt, Callable<T> body) throws Exception {
        System.setProperty(DELAY_MS, Integer.toString(delayMs));
        System.setProperty(NAN_AT, Integer.toString(nanAt));
        try {
            return body.call();
        } finally {
            System.clearProperty(DELAY_MS);
            System.clearProperty(NAN_AT);
        }
    }

    /**
     * @param delayMs sleep after every step, 0 = none
     * @param nanAt   the step after which a weight becomes NaN, -1 = never
     * @return the JVM options that switch these faults on in a child JVM with the test class path
     */
    public static List<String> jvmArgs(int delayMs, int nanAt) {
        return List.of("-D" + DELAY_MS + "=" + delayMs, "-D" + NAN_AT + "=" + nanAt);
    }

    private static final class Faults extends BaseTrainingListener {
        private final int delayMs;
        private final int nanAt;

        Faults(int delayMs, int nanAt) {
            this.delayMs = delayMs;
            this.nanAt = nanAt;
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            if (iteration == nanAt) {
                // the second layer with weights (in a CNN, layers without parameters such as pooling sit in between)
                MultiLayerNetwork net = (MultiLayerNetwork) model;
                for (int l = 1; l < net.getnLayers(); l++) {
                    if (net.getLayer(l).paramTable().containsKey("W")) {
                        net.getLayer(l).getParam("W").putScalar(0, Double.NaN);
                        break;
                    }
                }
            }
            if (delayMs > 0) {
                try {
                    Thread.sleep(delayMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
