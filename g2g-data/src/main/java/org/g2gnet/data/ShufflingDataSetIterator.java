package org.g2gnet.data;

import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

import org.g2gnet.util.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A DL4J {@link DataSetIterator} over a dataset held in memory, with a seeded shuffle per epoch.
 *
 * <p>Epoch e visits the examples in a permutation derived from (seed, e) alone, so the order of any
 * epoch is known without replaying earlier ones: {@link #seek(int, int)} puts the iterator at any batch
 * of any epoch (used to resume training). {@link #reset()} moves to the next epoch once the current one
 * has been started. Batches are gathered with ND4J's {@code pullRows}; an optional {@link Augmentation}
 * transforms each training batch.</p>
 *
 * <p>DataVec's record readers would convert every pixel through a Writable; for datasets that fit in
 * memory a gather of rows is far cheaper, so the dataset is kept as two INDArrays instead.</p>
 */
public class ShufflingDataSetIterator implements DataSetIterator {
    private static final long serialVersionUID = 1L;

    private final INDArray features;
    private final INDArray labels;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final Augmentation augmentation;
    private final int numClasses;
    private DataSetPreProcessor preProcessor;
    private int epoch;
    private int cursor;
    private int[] order;

    /**
     * @param data         the examples
     * @param batchSize    examples per batch, &gt;= 1
     * @param shuffle      shuffle every epoch (training) or keep the file order (evaluation)
     * @param seed         seed of the shuffles and augmentations
     * @param augmentation applied to every batch, or null
     */
    public ShufflingDataSetIterator(LabeledData data, int batchSize, boolean shuffle, long seed,
                                    Augmentation augmentation) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (data.count() == 0) {
            throw new IllegalArgumentException(data.name() + ": no examples");
        }
        this.features = Nd4j.create(data.features(), new long[] {data.count(), data.featureSize()}, 'c');
        float[] oneHot = new float[data.count() * data.numClasses()];
        for (int i = 0; i < data.count(); i++) {
            oneHot[i * data.numClasses() + data.labels()[i]] = 1f;
        }
        this.labels = Nd4j.create(oneHot, new long[] {data.count(), data.numClasses()}, 'c');
        this.numClasses = data.numClasses();
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        this.augmentation = augmentation;
        seek(0, 0);
    }

    /**
     * Positions the iterator before a batch of an epoch.
     *
     * @param epoch  epoch index, &gt;= 0
     * @param batch  batch index within the epoch, in [0, batchesPerEpoch]
     */
    public void seek(int epoch, int batch) {
        if (epoch < 0 || batch < 0 || batch > batchesPerEpoch()) {
            throw new IllegalArgumentException("seek: epoch must be >= 0 and batch in [0, " + batchesPerEpoch()
                    + "], got epoch " + epoch + ", batch " + batch);
        }
        if (order == null || this.epoch != epoch) {
            order = permutation(epoch);
        }
        this.epoch = epoch;
        this.cursor = Math.min(batch * batchSize, order.length);
    }

    private int[] permutation(int e) {
        int n = (int) features.size(0);
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        if (shuffle) {
            SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, e));
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = p[i];
                p[i] = p[j];
                p[j] = t;
            }
        }
        return p;
    }

    /** @return the epoch the iterator is in */
    public int epoch() {
        return epoch;
    }

    /** @return the index of the next batch in the epoch */
    public int batchIndex() {
        return (cursor + batchSize - 1) / batchSize;
    }

    /** @return batches per epoch (the last may be smaller) */
    public int batchesPerEpoch() {
        int n = (int) features.size(0);
        return (n + batchSize - 1) / batchSize;
    }

    /** @return number of examples */
    public int numExamples() {
        return (int) features.size(0);
    }

    @Override
    public DataSet next(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException("epoch " + epoch + " is finished; call reset()");
        }
        int b = Math.min(num, order.length - cursor);
        int[] idx = Arrays.copyOfRange(order, cursor, cursor + b);
        int batchIndex = cursor / batchSize;
        cursor += b;
        INDArray f = Nd4j.pullRows(features, 1, idx);
        INDArray l = Nd4j.pullRows(labels, 1, idx);
        if (augmentation != null) {
            augmentation.apply(f, new SplittableRandom(Seeds.mix(Seeds.mix(seed ^ 0x5DEECE66DL, epoch), batchIndex)));
        }
        DataSet ds = new DataSet(f, l);
        if (preProcessor != null) {
            preProcessor.preProcess(ds);
        }
        return ds;
    }

    @Override
    public DataSet next() {
        return next(batchSize);
    }

    @Override
    public boolean hasNext() {
        return cursor < order.length;
    }

    @Override
    public int inputColumns() {
        return (int) features.size(1);
    }

    @Override
    public int totalOutcomes() {
        return numClasses;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return true;
    }

    /** Moves to the start of the next epoch (or restarts the current one if it has not begun). */
    @Override
    public void reset() {
        if (cursor == 0) {
            return;
        }
        seek(epoch + 1, 0);
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }

    /** @return the features' data type */
    public DataType dataType() {
        return features.dataType();
    }
}
