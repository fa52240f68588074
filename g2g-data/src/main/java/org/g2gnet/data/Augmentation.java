package org.g2gnet.data;

import java.util.SplittableRandom;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A random, in-place transformation of a mini-batch of training features (e.g. random crop and flip).
 * The RNG is derived from the iterator's seed, the epoch and the batch index, so augmented batches are
 * reproducible and a resumed run sees the same ones.
 */
@FunctionalInterface
public interface Augmentation {
    /**
     * @param features the batch, [minibatch, featureSize], modified in place
     * @param rng      randomness for this batch
     */
    void apply(INDArray features, SplittableRandom rng);
}
