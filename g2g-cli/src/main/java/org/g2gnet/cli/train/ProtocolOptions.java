package org.g2gnet.cli.train;

import java.nio.file.Path;

/**
 * How a run trains and on what: the paper's protocol by default (docs/DESIGN.md section 3).
 *
 * @param epochs      epochs
 * @param batch       mini-batch size
 * @param lr          peak learning rate of Adam (cosine-annealed to 0)
 * @param weightDecay decoupled weight decay
 * @param seed        seed of everything
 * @param dataset     fashion-mnist, cifar10 or cifar100
 * @param dataDir     data directory, or null for the default
 * @param trainLimit  use only the first N training examples (0: all)
 * @param validation  hold out the last N training examples and report accuracy on them (0: none)
 */
public record ProtocolOptions(int epochs, int batch, double lr, double weightDecay, long seed, String dataset,
                              Path dataDir, int trainLimit, int validation) {

    /**
     * Checks every value, naming the option.
     *
     * @throws IllegalArgumentException on a bad value
     */
    void validate() {
        TrainOptions.positive("--epochs", epochs);
        TrainOptions.positive("--batch", batch);
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("--lr must be > 0, got " + lr);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("--weight-decay must be >= 0, got " + weightDecay);
        }
        if (trainLimit < 0) {
            throw new IllegalArgumentException("--train-limit must be >= 0 (0 = all), got " + trainLimit);
        }
        if (validation < 0) {
            throw new IllegalArgumentException("--validation must be >= 0 (0 = none), got " + validation);
        }
    }

    /** @param sb the fingerprint being written: the protocol's part (see {@link TrainOptions#fingerprint()}) */
    void fingerprint(StringBuilder sb) {
        sb.append(" epochs=").append(epochs).append(" batch=").append(batch).append(" lr=").append(lr)
                .append(" weightDecay=").append(weightDecay).append(" seed=").append(seed)
                .append(" dataset=").append(dataset).append(" trainLimit=").append(trainLimit);
        if (validation > 0) {
            // printed only when set, so that runs finished before the option existed still match
            sb.append(" validation=").append(validation);
        }
    }
}
