package org.g2gnet.spark;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.g2gnet.data.ShufflingDataSetIterator;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The project's data readers as Spark RDDs: one epoch of a {@link ShufflingDataSetIterator} (Fashion-MNIST or
 * CIFAR, shuffled per epoch and augmented as in local training) as an RDD of minibatch DataSets. The data is
 * read on the driver; at 60,000 Fashion-MNIST or 50,000 CIFAR images that is 190-620 MB of floats, which
 * DL4J's Spark engine then spreads over the executors.
 */
public final class SparkData {
    private SparkData() {
    }

    /**
     * @param it    the training iterator (minibatch size = the iterator's)
     * @param epoch the epoch (the shuffle and augmentation of that epoch)
     * @return the epoch's minibatches, in order
     */
    public static List<DataSet> epochBatches(ShufflingDataSetIterator it, int epoch) {
        it.seek(epoch, 0);
        List<DataSet> out = new ArrayList<>(it.batchesPerEpoch());
        while (it.hasNext()) {
            out.add(it.next());
        }
        return out;
    }

    /**
     * @param sc         the Spark context
     * @param batches    minibatches
     * @param partitions partitions (at most one per minibatch)
     * @return the minibatches as an RDD
     */
    public static JavaRDD<DataSet> rdd(JavaSparkContext sc, List<DataSet> batches, int partitions) {
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("no minibatches to distribute");
        }
        return sc.parallelize(new ArrayList<>(batches), Math.max(1, Math.min(partitions, batches.size())));
    }

    /**
     * @param it    the training iterator
     * @param epoch the epoch
     * @param sc    the Spark context
     * @param partitions partitions
     * @return one epoch as an RDD of minibatches
     */
    public static JavaRDD<DataSet> epoch(ShufflingDataSetIterator it, int epoch, JavaSparkContext sc, int partitions) {
        return rdd(sc, epochBatches(it, epoch), partitions);
    }
}
