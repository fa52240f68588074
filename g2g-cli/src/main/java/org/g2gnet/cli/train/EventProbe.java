package org.g2gnet.cli.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.g2gnet.data.ShufflingDataSetIterator;
import org.g2gnet.arrays.Workspaces;
import org.g2gnet.schedule.RewiringSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Measures what each rewiring event does to the network: the loss of the event's training batch and the
 * accuracy and loss on a fixed test subset, just before and just after the event. Two instances bracket
 * the rewiring listener in the listener list (one before it, one after), sharing one list of results.
 */
public final class EventProbe extends BaseTrainingListener {

    /**
     * One event's effect.
     *
     * @param iteration       the event's iteration
     * @param epoch           its epoch (1-based)
     * @param trainLossBefore loss of the event's batch before the event
     * @param trainLossAfter  the same after
     * @param testAccBefore   accuracy on the probe subset before
     * @param testAccAfter    the same after
     * @param testLossBefore  loss on the probe subset before
     * @param testLossAfter   the same after
     */
    public record Effect(int iteration, int epoch, double trainLossBefore, double trainLossAfter, double testAccBefore,
                  double testAccAfter, double testLossBefore, double testLossAfter) {
        /** Header of probes.csv. */
        public static final String HEADER = "iteration,epoch,train_loss_before,train_loss_after,test_accuracy_before,"
                + "test_accuracy_after,test_loss_before,test_loss_after";

        /** @return the probes.csv row */
        public String csv() {
            return String.format(Locale.ROOT, "%d,%d,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f", iteration, epoch, trainLossBefore,
                    trainLossAfter, testAccBefore, testAccAfter, testLossBefore, testLossAfter);
        }

        /**
         * The inverse of {@link #csv()} (for rows kept in a checkpoint, and probes.csv files).
         *
         * @param row a probes.csv row
         * @return the effect
         */
        public static Effect parse(String row) {
            String[] f = row.split(",");
            if (f.length != 8) {
                throw new IllegalArgumentException("probes row must have 8 fields, got '" + row + "'");
            }
            return new Effect(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Double.parseDouble(f[2]),
                    Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]),
                    Double.parseDouble(f[6]), Double.parseDouble(f[7]));
        }
    }

    private final RewiringSchedule schedule;
    private final ShufflingDataSetIterator probe;
    private final boolean before;
    private final List<Before> pending;
    private final List<Effect> effects;

    private EventProbe(RewiringSchedule schedule, ShufflingDataSetIterator probe, boolean before,
                       List<Before> pending, List<Effect> effects) {
        this.schedule = schedule;
        this.probe = probe;
        this.before = before;
        this.pending = pending;
        this.effects = effects;
    }

    /**
     * @param schedule when events happen
     * @param probe    the test subset
     * @param effects  where the results go
     * @return the listener to put before the rewiring listener and the one to put after it
     */
    static EventProbe[] pair(RewiringSchedule schedule, ShufflingDataSetIterator probe, List<Effect> effects) {
        List<Before> pending = new ArrayList<>();
        return new EventProbe[] {new EventProbe(schedule, probe, true, pending, effects),
                new EventProbe(schedule, probe, false, pending, effects)};
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        if (!schedule.isEventIteration(iteration)) {
            return;
        }
        MultiLayerNetwork net = (MultiLayerNetwork) model;
        if (before) {
            // the event's batch, kept (detached) because evaluating the probe replaces the network's input
            INDArray x = net.getInput();
            INDArray y = net.getLabels();
            DataSet batch = x == null || y == null ? null : Workspaces.detached(
                    () -> new DataSet(x.dup(), y.dup()));
            double[] test = Trainer.evaluate(net, probe);
            pending.clear();
            pending.add(new Before(batch, dataLoss(net, batch), test[0], test[1]));
        } else if (!pending.isEmpty()) {
            Before b = pending.remove(0);
            double trainLoss = dataLoss(net, b.batch());
            double[] test = Trainer.evaluate(net, probe);
            effects.add(new Effect(iteration, epoch + 1, b.trainLoss(), trainLoss, b.testAcc(), test[0], b.testLoss(),
                    test[1]));
        }
    }

    /** What the first probe measured, for the second to complete. */
    private record Before(DataSet batch, double trainLoss, double testAcc, double testLoss) {
    }

    /** The batch's loss without the regularisation terms (as metrics.csv reports it), or NaN without a batch. */
    private static double dataLoss(MultiLayerNetwork net, DataSet batch) {
        return batch == null ? Double.NaN : net.score(batch, false) - net.calcRegularizationScore(true);
    }
}
