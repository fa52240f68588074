package org.g2gnet.data;

import java.nio.file.Path;

/**
 * Fashion-MNIST as a DataVec RecordReader: {@code [NDArrayWritable [1, 784] in [0, 1], IntWritable label]} per
 * image, in file order.
 * <pre>{@code
 * RecordReader rr = new FashionMnistRecordReader(true);
 * rr.initialize(new FileSplit(new File("/usr/share/datasets/fashion-mnist")));
 * DataSetIterator it = new RecordReaderDataSetIterator(rr, 256, 1, 10);
 * }</pre>
 */
public class FashionMnistRecordReader extends LabeledDataRecordReader {
    private static final long serialVersionUID = 1L;
    private final boolean train;

    /** @param train the 60,000 training images (true) or the 10,000 test images */
    public FashionMnistRecordReader(boolean train) {
        this.train = train;
    }

    @Override
    protected LabeledData read(Path dir) {
        return train ? FashionMnist.train(dir) : FashionMnist.test(dir);
    }
}
