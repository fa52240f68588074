package org.g2gnet.cli.train;

import java.util.Locale;

/**
 * One epoch of a run.
 *
 * @param epoch        1-based epoch
 * @param trainLoss    mean training loss over the epoch's mini-batches
 * @param testLoss     mean cross-entropy on the test set
 * @param testAccuracy test accuracy in [0, 1]
 * @param seconds      wall-clock seconds of the epoch's training (evaluation excluded)
 * @param iterations   optimizer steps done at the end of the epoch
 * @param valAccuracy  accuracy on the held-out validation examples (--validation), NaN when there are none
 */
public record EpochMetrics(int epoch, double trainLoss, double testLoss, double testAccuracy, double seconds,
                           int iterations, double valAccuracy) {
    /** Header of metrics.csv. */
    public static final String CSV_HEADER = "epoch,train_loss,test_loss,test_accuracy,seconds,iterations,val_accuracy";

    /**
     * An epoch without a validation split.
     *
     * @param epoch        1-based epoch
     * @param trainLoss    mean training loss
     * @param testLoss     mean test cross-entropy
     * @param testAccuracy test accuracy
     * @param seconds      training seconds
     * @param iterations   optimizer steps so far
     */
    public EpochMetrics(int epoch, double trainLoss, double testLoss, double testAccuracy, double seconds,
                        int iterations) {
        this(epoch, trainLoss, testLoss, testAccuracy, seconds, iterations, Double.NaN);
    }

    /** @return this row of metrics.csv (val_accuracy empty when there is no validation split) */
    public String csv() {
        return String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.3f,%d,%s", epoch, trainLoss, testLoss,
                testAccuracy, seconds, iterations, Double.isNaN(valAccuracy) ? "" : String.format(Locale.ROOT, "%.6f",
                        valAccuracy));
    }

    /**
     * @param line a row of metrics.csv: 7 fields, or 6 as written before the validation column existed
     * @return the metrics
     */
    public static EpochMetrics parse(String line) {
        String[] f = line.split(",", -1);
        if (f.length != 6 && f.length != 7) {
            throw new IllegalArgumentException("metrics.csv row must have 7 fields (6 before version 0.2), got "
                    + f.length + ": '" + line + "'");
        }
        double val = f.length == 7 && !f[6].isBlank() ? Double.parseDouble(f[6]) : Double.NaN;
        return new EpochMetrics(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                Double.parseDouble(f[3]), Double.parseDouble(f[4]), Integer.parseInt(f[5]), val);
    }
}
