package org.g2gnet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.datavec.api.records.Record;
import org.datavec.api.records.reader.RecordReader;
import org.datavec.api.split.FileSplit;
import org.datavec.api.writable.IntWritable;
import org.datavec.api.writable.NDArrayWritable;
import org.datavec.api.writable.Writable;
import org.deeplearning4j.datasets.datavec.RecordReaderDataSetIterator;
import org.g2gnet.G2GTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** The readers as DataVec RecordReaders, read the way DL4J users read records: RecordReaderDataSetIterator. */
class RecordReaderTest extends G2GTestBase {

    @Test
    void fashionMnistRecordsMatchTheReaderAndFeedRecordReaderDataSetIterator(@TempDir Path dir) throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 70, 30, true);
        LabeledData train = FashionMnist.train(data);
        RecordReader rr = new FashionMnistRecordReader(true);
        rr.initialize(new FileSplit(data.toFile()));

        List<Writable> first = rr.next();
        assertEquals(2, first.size());
        INDArray x = ((NDArrayWritable) first.get(0)).get();
        assertArrayEquals(new long[] {1, 784}, x.shape());
        float[] expected = java.util.Arrays.copyOf(train.features(), 784);
        assertArrayEquals(expected, x.data().asFloat());
        assertEquals(train.labels()[0], ((IntWritable) first.get(1)).get());

        rr.reset();
        RecordReaderDataSetIterator it = new RecordReaderDataSetIterator(rr, 32, 1, 10);
        int n = 0;
        while (it.hasNext()) {
            DataSet ds = it.next();
            assertEquals(784, ds.getFeatures().size(1));
            for (int r = 0; r < ds.numExamples(); r++) {
                assertEquals(train.labels()[n + r], ds.getLabels().getRow(r).argMax().getInt(0), "label of example " + (n + r));
            }
            n += ds.numExamples();
        }
        assertEquals(70, n);

        // metadata points back at the record
        rr.reset();
        rr.next();
        Record second = rr.nextRecord();
        Record again = rr.loadFromMetaData(second.getMetaData());
        assertEquals(second.getRecord().get(1), again.getRecord().get(1));

        RecordReader test = new FashionMnistRecordReader(false);
        test.initialize(new FileSplit(data.toFile()));
        int t = 0;
        while (test.hasNext()) {
            test.next();
            t++;
        }
        assertEquals(30, t);
        assertFalse(test.hasNext());
        assertThrows(java.util.NoSuchElementException.class, test::next);
    }

    @Test
    void cifarRecordsAndClearErrors(@TempDir Path dir) throws Exception {
        CifarTest.writeCifar10(dir, 7);
        RecordReader rr = new CifarRecordReader(CifarRecordReader.Variant.CIFAR10, true);
        rr.initialize(new FileSplit(dir.toFile()));
        int n = 0;
        while (rr.hasNext()) {
            List<Writable> r = rr.next();
            assertEquals(3072, ((NDArrayWritable) r.get(0)).get().length());
            assertEquals(n % 7 % 10, ((IntWritable) r.get(1)).get());
            n++;
        }
        assertEquals(35, n);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new FashionMnistRecordReader(true).hasNext());
        assertTrue(e.getMessage().contains("initialize"), e.getMessage());
        RuntimeException missing = assertThrows(RuntimeException.class, () -> new FashionMnistRecordReader(true)
                .initialize(new FileSplit(dir.toFile())));
        assertTrue(missing.getMessage().contains("train-images"), missing.getMessage());
    }
}
