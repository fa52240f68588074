package org.g2gnet.examples.train;

/**
 * One epoch of a run.
 *
 * @param epoch        1-based epoch
 * @param trainLoss    mean training loss over the epoch's mini-batches
 * @param testLoss     mean cross-entropy on the test set
 * @param testAccuracy test accuracy in [0, 1]
 * @param seconds      wall-clock seconds of the epoch's training (evaluation excluded)
 * @param iterations   optimizer steps done at the end of the epoch
 */
public record EpochMetrics(int epoch, double trainLoss, double testLoss, double testAccuracy, double seconds,
                           int iterations) {
    /** Header of metrics.csv. */
    public static final String CSV_HEADER = "epoch,train_loss,test_loss,test_accuracy,seconds,iterations";

    /** @return this row of metrics.csv */
    public String csv() {
        return String.format(java.util.Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.3f,%d", epoch, trainLoss, testLoss,
                testAccuracy, seconds, iterations);
    }

    /**
     * @param line a row of metrics.csv
     * @return the metrics
     */
    public static EpochMetrics parse(String line) {
        String[] f = line.split(",");
        if (f.length != 6) {
            throw new IllegalArgumentException("metrics.csv row must have 6 fields, got " + f.length + ": '" + line + "'");
        }
        return new EpochMetrics(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                Double.parseDouble(f[3]), Double.parseDouble(f[4]), Integer.parseInt(f[5]));
    }
}
