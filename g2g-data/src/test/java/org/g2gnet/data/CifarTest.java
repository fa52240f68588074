package org.g2gnet.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import org.g2gnet.G2GTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CifarTest extends G2GTestBase {

    /** n records; record r has label r % classes (fine) and (r % classes) / 5 (coarse); pixel p = (r + p) % 256. */
    static byte[] records(int n, int labelBytes, int classes) {
        int rec = labelBytes + Cifar.PIXELS;
        byte[] b = new byte[n * rec];
        for (int r = 0; r < n; r++) {
            if (labelBytes == 2) {
                b[r * rec] = (byte) ((r % classes) / 5);
                b[r * rec + 1] = (byte) (r % classes);
            } else {
                b[r * rec] = (byte) (r % classes);
            }
            for (int p = 0; p < Cifar.PIXELS; p++) {
                b[r * rec + labelBytes + p] = (byte) ((r + p) % 256);
            }
        }
        return b;
    }

    static void writeCifar10(Path dir, int perBatch) throws Exception {
        for (int i = 1; i <= 5; i++) {
            Files.write(dir.resolve("data_batch_" + i + ".bin"), records(perBatch, 1, 10));
        }
        Files.write(dir.resolve("test_batch.bin"), records(perBatch, 1, 10));
    }

    @Test
    void readsCifar10(@TempDir Path dir) throws Exception {
        writeCifar10(dir, 7);
        assertTrue(Cifar.isPresent(dir, false));
        LabeledData train = Cifar.cifar10Train(dir);
        assertEquals(35, train.count());
        assertEquals(3072, train.featureSize());
        assertEquals(10, train.numClasses());
        assertEquals(3, train.labels()[3]);
        // record 3 of the second file is example 10
        assertEquals(3, train.labels()[10]);
        assertEquals(((3 + 100) % 256) / 255f, train.features()[10 * 3072 + 100], 0);
        assertEquals(7, Cifar.cifar10Test(dir).count());
    }

    @Test
    void readsCifar100FineAndCoarse(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("train.bin"), records(120, 2, 100));
        Files.write(dir.resolve("test.bin"), records(20, 2, 100));
        assertTrue(Cifar.isPresent(dir, true));
        LabeledData fine = Cifar.cifar100Train(dir, Cifar.Labels.FINE);
        LabeledData coarse = Cifar.cifar100Train(dir, Cifar.Labels.COARSE);
        assertEquals(100, fine.numClasses());
        assertEquals(20, coarse.numClasses());
        assertEquals(57, fine.labels()[57]);
        assertEquals(11, coarse.labels()[57]);
        assertEquals(((57 + 5) % 256) / 255f, fine.features()[57 * 3072 + 5], 0);
    }

    @Test
    void truncatedMissingAndBadLabels(@TempDir Path dir) throws Exception {
        writeCifar10(dir, 3);
        byte[] full = records(3, 1, 10);
        Files.write(dir.resolve("data_batch_4.bin"), java.util.Arrays.copyOf(full, full.length - 10));
        String m = assertThrows(DataFormatException.class, () -> Cifar.cifar10Train(dir)).getMessage();
        assertTrue(m.contains("data_batch_4.bin") && m.contains("not a whole number of 3073-byte records"), m);

        Files.delete(dir.resolve("data_batch_4.bin"));
        m = assertThrows(DataFormatException.class, () -> Cifar.cifar10Train(dir)).getMessage();
        assertTrue(m.contains("data_batch_4.bin") && m.contains("file not found"), m);

        byte[] bad = records(3, 1, 10);
        bad[3073] = 42;
        Files.write(dir.resolve("data_batch_4.bin"), bad);
        m = assertThrows(DataFormatException.class, () -> Cifar.cifar10Train(dir)).getMessage();
        assertTrue(m.contains("label 42 of record 1"), m);

        // a CIFAR-10 file read as CIFAR-100 does not divide into 3074-byte records
        Files.write(dir.resolve("train.bin"), records(2, 1, 10));
        m = assertThrows(DataFormatException.class, () -> Cifar.cifar100Train(dir, Cifar.Labels.FINE)).getMessage();
        assertTrue(m.contains("train.bin") && m.contains("3074-byte"), m);
    }

    @Test
    void cropAndFlipShiftsFlipsAndPadsWithZeros() {
        CropAndFlip aug = new CropAndFlip(1, 3, 3, 1);
        float[] in = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        float[] out = new float[9];
        aug.transform(in, out, 0, 0, 0, false);
        assertEquals(java.util.Arrays.toString(in), java.util.Arrays.toString(out));
        aug.transform(in, out, 0, 0, 0, true);
        assertEquals("[3.0, 2.0, 1.0, 6.0, 5.0, 4.0, 9.0, 8.0, 7.0]", java.util.Arrays.toString(out));
        aug.transform(in, out, 0, 1, 1, false);
        assertEquals("[5.0, 6.0, 0.0, 8.0, 9.0, 0.0, 0.0, 0.0, 0.0]", java.util.Arrays.toString(out));

        INDArray batch = Nd4j.rand(4, 3 * 32 * 32);
        INDArray copy = batch.dup();
        new CropAndFlip(3, 32, 32, 4).apply(batch, new SplittableRandom(1));
        assertNotEquals(copy, batch);
        INDArray again = copy.dup();
        new CropAndFlip(3, 32, 32, 4).apply(again, new SplittableRandom(1));
        assertEquals(batch, again);
        assertThrows(IllegalArgumentException.class, () -> new CropAndFlip(3, 32, 32, 4).apply(Nd4j.rand(2, 10),
                new SplittableRandom(1)));
    }
}
