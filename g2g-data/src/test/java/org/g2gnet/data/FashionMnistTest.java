package org.g2gnet.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.g2gnet.G2GTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.dataset.DataSet;

class FashionMnistTest extends G2GTestBase {

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void readsGzipAndPlainFiles(boolean gz, @TempDir Path dir) throws Exception {
        IdxFiles.fashionMnist(dir, 30, 12, gz);
        assertTrue(FashionMnist.isPresent(dir));
        LabeledData train = FashionMnist.train(dir);
        LabeledData test = FashionMnist.test(dir);
        assertEquals(30, train.count());
        assertEquals(12, test.count());
        assertEquals(784, train.featureSize());
        assertEquals(7, train.labels()[7]);
        assertEquals(((7 * 20 + 5) % 256) / 255f, train.features()[7 * 784 + 5], 0);
        for (float v : train.features()) {
            assertTrue(v >= 0 && v <= 1);
        }
    }

    private static String message(Path dir) {
        return assertThrows(DataFormatException.class, () -> FashionMnist.train(dir)).getMessage();
    }

    @Test
    void missingDirectoryAndFiles(@TempDir Path dir) throws Exception {
        assertTrue(message(dir.resolve("nope")).contains("data directory not found"));
        assertFalse(FashionMnist.isPresent(dir));
        String msg = message(dir);
        assertTrue(msg.contains("train-images-idx3-ubyte") && msg.contains("file not found"), msg);
    }

    @Test
    void wrongMagicNumber(@TempDir Path dir) throws Exception {
        IdxFiles.fashionMnist(dir, 10, 10, false);
        IdxFiles.write(dir.resolve("train-images-idx3-ubyte"), IdxFiles.idx(0x801, new int[] {10}, new byte[10]));
        String msg = message(dir);
        assertTrue(msg.contains("train-images-idx3-ubyte") && msg.contains("wrong magic number 0x00000801")
                && msg.contains("expected 0x00000803"), msg);
    }

    @Test
    void truncatedData(@TempDir Path dir) throws Exception {
        IdxFiles.fashionMnist(dir, 10, 10, true);
        byte[] full = IdxFiles.idx(0x803, new int[] {10, 28, 28}, new byte[10 * 784]);
        IdxFiles.write(dir.resolve("train-images-idx3-ubyte.gz"), java.util.Arrays.copyOf(full, full.length - 100));
        String msg = message(dir);
        assertTrue(msg.contains("train-images-idx3-ubyte.gz") && msg.contains("truncated")
                && msg.contains("declares 7840 bytes of data, found 7740"), msg);
    }

    @Test
    void truncatedHeaderAndCorruptGzip(@TempDir Path dir) throws Exception {
        IdxFiles.fashionMnist(dir, 10, 10, false);
        Files.write(dir.resolve("train-images-idx3-ubyte"), new byte[] {0, 0, 8, 3, 0, 0});
        assertTrue(message(dir).contains("truncated header"));
        Files.write(dir.resolve("train-images-idx3-ubyte"), new byte[] {0x1f, (byte) 0x8b, 1, 2, 3});
        String msg = message(dir);
        assertTrue(msg.contains("train-images-idx3-ubyte") && (msg.contains("gzip") || msg.contains("truncated")), msg);
    }

    @Test
    void labelCountMustMatchImageCount(@TempDir Path dir) throws Exception {
        IdxFiles.fashionMnist(dir, 10, 10, false);
        IdxFiles.write(dir.resolve("train-labels-idx1-ubyte"), IdxFiles.idx(0x801, new int[] {9}, new byte[9]));
        String msg = message(dir);
        assertTrue(msg.contains("has 9 labels but train-images-idx3-ubyte has 10 images"), msg);
    }

    @Test
    void labelOutOfRange(@TempDir Path dir) throws Exception {
        IdxFiles.fashionMnist(dir, 10, 10, false);
        byte[] labels = new byte[10];
        labels[3] = 12;
        IdxFiles.write(dir.resolve("train-labels-idx1-ubyte"), IdxFiles.idx(0x801, new int[] {10}, labels));
        String msg = message(dir);
        assertTrue(msg.contains("label 12 of example 3"), msg);
    }

    @Test
    void trailingBytesAreRejected(@TempDir Path dir) throws Exception {
        IdxFiles.fashionMnist(dir, 10, 10, false);
        IdxFiles.write(dir.resolve("train-labels-idx1-ubyte"), IdxFiles.idx(0x801, new int[] {10}, new byte[11]));
        assertTrue(message(dir).contains("more data than its header"));
    }

    @Test
    void iteratorShufflesPerEpochReproduciblyAndSeeks(@TempDir Path dir) throws Exception {
        IdxFiles.fashionMnist(dir, 50, 10, true);
        LabeledData train = FashionMnist.train(dir);
        ShufflingDataSetIterator it = new ShufflingDataSetIterator(train, 16, true, 3, null);
        assertEquals(4, it.batchesPerEpoch());
        float[] epoch0 = new float[50];
        int k = 0;
        while (it.hasNext()) {
            DataSet ds = it.next();
            assertEquals(10, ds.getLabels().columns());
            assertEquals(784, ds.getFeatures().columns());
            for (int r = 0; r < ds.numExamples(); r++) {
                // label one-hot agrees with the pixel code
                int label = ds.getLabels().getRow(r).argMax().getInt(0);
                assertEquals(((label * 20) % 256) / 255f, ds.getFeatures().getFloat(r, 0), 0);
                epoch0[k++] = ds.getFeatures().getFloat(r, 0);
            }
        }
        assertEquals(50, k);
        it.reset();
        assertEquals(1, it.epoch());
        DataSet e1b0 = it.next();
        ShufflingDataSetIterator again = new ShufflingDataSetIterator(train, 16, true, 3, null);
        again.seek(1, 0);
        assertEquals(e1b0.getFeatures(), again.next().getFeatures());
        again.seek(0, 0);
        DataSet e0b0 = again.next();
        assertNotEquals(e0b0.getFeatures(), e1b0.getFeatures());
        // unshuffled keeps file order: example i has label i % 10
        ShufflingDataSetIterator plain = new ShufflingDataSetIterator(train, 16, false, 3, null);
        for (int batch = 0; batch < 3; batch++) {
            DataSet ds = plain.next();
            for (int r = 0; r < ds.numExamples(); r++) {
                assertEquals((batch * 16 + r) % 10, ds.getLabels().getRow(r).argMax().getInt(0));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new ShufflingDataSetIterator(train, 0, true, 1, null));
        assertThrows(IllegalArgumentException.class, () -> again.seek(0, 99));
    }

    @Test
    void aHeaderDeclaringGigabytesIsNotAllocatedBeforeTheFileIsFoundShort(@TempDir Path dir) throws Exception {
        IdxFiles.fashionMnist(dir, 10, 10, false);
        IdxFiles.write(dir.resolve("train-labels-idx1-ubyte"),
                IdxFiles.idx(0x801, new int[] {Integer.MAX_VALUE - 100}, new byte[10]));
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)
                java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        String msg = message(dir);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(msg.contains("truncated") && msg.contains("found 10"), msg);
        assertTrue(allocated < 64L << 20, "allocated " + allocated + " bytes for a 10-byte file");
    }
}
