package org.g2gnet.cli.train;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * Collects the mean training loss of an epoch and, when asked, shows a progress bar (me.tongfei
 * progressbar) with the running loss.
 */
final class EpochProgress extends BaseTrainingListener {
    private final boolean show;
    private final PrintStream stream;
    private ProgressBar bar;
    private double lossSum;
    private int count;
    private int batchesDone;
    private double pendingLoss = Double.NaN;
    private double secondsBefore;
    private long startNanos = System.nanoTime();

    EpochProgress(boolean show, PrintStream stream) {
        this.show = show;
        this.stream = stream;
    }

    void start(String task, int batches) {
        start(task, batches, 0, 0, 0, 0);
    }

    /**
     * Starts an epoch, possibly part-way (a resumed run).
     *
     * @param task      label of the bar
     * @param batches   batches in the epoch
     * @param done      batches already trained
     * @param lossSum   sum of their losses
     * @param lossCount how many losses that sum holds
     * @param secondsBefore seconds spent training the batches already trained
     */
    void start(String task, int batches, int done, double lossSum, int lossCount, double secondsBefore) {
        this.secondsBefore = secondsBefore;
        this.startNanos = System.nanoTime();
        this.lossSum = lossSum;
        this.count = lossCount;
        this.batchesDone = done;
        // a bar only on a terminal: redirected output gets the one-line epoch summaries instead
        if (show && System.console() != null) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(batches).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(200).showSpeed().startsFrom(done, Duration.ZERO)
                    .setConsumer(new ConsoleProgressBarConsumer(stream)).build();
        }
    }

    @Override
    public void onGradientCalculation(Model model) {
        // DL4J's score includes the regularisation terms (weight decay, L1, L2) of the parameters before the update:
        // take the data loss now, with the same parameters (see DataLoss)
        pendingLoss = model instanceof MultiLayerNetwork m ? DataLoss.of(m)[0]
                : model.score();
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        lossSum += pendingLoss;
        count++;
        batchesDone++;
        if (bar != null) {
            bar.step();
            bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f", lossSum / count));
        }
    }

    double finish() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        return count == 0 ? Double.NaN : lossSum / count;
    }

    /** @return seconds of the current epoch's training so far (including those before a resume) */
    double seconds() {
        return secondsBefore + (System.nanoTime() - startNanos) / 1e9;
    }

    /** @return batches of the current epoch trained so far (including those before a resume) */
    int batchesDone() {
        return batchesDone;
    }

    /** @return sum of the training losses of the current epoch so far */
    double lossSum() {
        return lossSum;
    }

    /** @return number of losses in {@link #lossSum()} */
    int lossCount() {
        return count;
    }
}
