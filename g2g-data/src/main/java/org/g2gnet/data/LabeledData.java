package org.g2gnet.data;

import java.util.Arrays;

/**
 * A dataset held in memory: features scaled to [0, 1], one integer label per example.
 *
 * @param name       what it is (e.g. "fashion-mnist train")
 * @param features   row-major, [count, featureSize]
 * @param labels     class of each example, in [0, numClasses)
 * @param numClasses number of classes
 * @param shape      shape of one example, e.g. {28, 28} or {3, 32, 32} (channels first)
 */
public record LabeledData(String name, float[] features, int[] labels, int numClasses, int[] shape) {

    /** Checks that the arrays agree. */
    public LabeledData {
        int fs = 1;
        for (int s : shape) {
            fs *= s;
        }
        if ((long) labels.length * fs != features.length) {
            throw new DataFormatException(name + ": " + labels.length + " labels but " + features.length
                    + " feature values (expected " + ((long) labels.length * fs) + ")");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new DataFormatException(name + ": label " + labels[i] + " of example " + i + " is outside [0, "
                        + numClasses + ")");
            }
        }
    }

    /** @return number of examples */
    public int count() {
        return labels.length;
    }

    /** @return values per example */
    public int featureSize() {
        return features.length / Math.max(1, labels.length == 0 ? 1 : labels.length);
    }

    /**
     * The first n examples.
     *
     * @param n how many, &gt;= 1
     * @return a dataset of min(n, count) examples
     */
    public LabeledData head(int n) {
        if (n < 1) {
            throw new IllegalArgumentException(name + ": limit must be >= 1, got " + n);
        }
        if (n >= count()) {
            return this;
        }
        int fs = featureSize();
        return new LabeledData(name, Arrays.copyOf(features, n * fs), Arrays.copyOf(labels, n),
                numClasses, shape);
    }

    /**
     * The examples [from, to), in order.
     *
     * @param from first example, in [0, count)
     * @param to   one past the last, in (from, count]
     * @return a dataset of to - from examples
     */
    public LabeledData slice(int from, int to) {
        if (from < 0 || to > count() || from >= to) {
            throw new IllegalArgumentException(name + ": slice [" + from + ", " + to + ") must be a non-empty range "
                    + "within [0, " + count() + ")");
        }
        int fs = featureSize();
        return new LabeledData(name, java.util.Arrays.copyOfRange(features, from * fs, to * fs),
                java.util.Arrays.copyOfRange(labels, from, to), numClasses, shape);
    }
}
