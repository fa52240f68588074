package org.g2gnet.data;

import java.nio.file.Path;

/**
 * CIFAR-10 or CIFAR-100 (binary version) as a DataVec RecordReader: {@code [NDArrayWritable [1, 3072] in [0, 1]
 * (channel-major, as the files store it), IntWritable label]} per image.
 */
public class CifarRecordReader extends LabeledDataRecordReader {
    private static final long serialVersionUID = 1L;

    /** Which files and labels. */
    public enum Variant {
        /** CIFAR-10: data_batch_1..5.bin / test_batch.bin, 10 classes. */
        CIFAR10,
        /** CIFAR-100 train.bin / test.bin, the 100 fine labels. */
        CIFAR100_FINE,
        /** CIFAR-100 train.bin / test.bin, the 20 coarse labels. */
        CIFAR100_COARSE
    }

    private final Variant variant;
    private final boolean train;

    /**
     * @param variant which dataset and labels
     * @param train   the training files (true) or the test file
     */
    public CifarRecordReader(Variant variant, boolean train) {
        this.variant = java.util.Objects.requireNonNull(variant, "variant");
        this.train = train;
    }

    @Override
    protected LabeledData read(Path dir) {
        return switch (variant) {
            case CIFAR10 -> train ? Cifar.cifar10Train(dir) : Cifar.cifar10Test(dir);
            case CIFAR100_FINE -> train ? Cifar.cifar100Train(dir, Cifar.Labels.FINE) : Cifar.cifar100Test(dir, Cifar.Labels.FINE);
            case CIFAR100_COARSE -> train ? Cifar.cifar100Train(dir, Cifar.Labels.COARSE)
                    : Cifar.cifar100Test(dir, Cifar.Labels.COARSE);
        };
    }
}
