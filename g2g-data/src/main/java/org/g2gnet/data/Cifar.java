package org.g2gnet.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CIFAR-10 and CIFAR-100 in their binary format (https://www.cs.toronto.edu/~kriz/cifar.html, "binary
 * version"). A CIFAR-10 record is 1 label byte and 3072 pixel bytes (1024 red, 1024 green, 1024 blue, each
 * 32x32 row-major); files {@code data_batch_1.bin} ... {@code data_batch_5.bin} and {@code test_batch.bin}.
 * A CIFAR-100 record has 2 label bytes (coarse, fine) before the pixels; files {@code train.bin} and
 * {@code test.bin}. Features are scaled to [0, 1] and kept channels-first, [3, 32, 32].
 *
 * <p>DataVec's CIFAR loader (in deeplearning4j-datasets) downloads from the internet and decodes through
 * image libraries; this reader only needs the files the user has.</p>
 */
public final class Cifar {
    /** Bytes of pixel data per image. */
    public static final int PIXELS = 3 * 32 * 32;
    private static final int[] SHAPE = {3, 32, 32};
    /** Classes of CIFAR-100's two label bytes: coarse, fine. */
    private static final int[] CIFAR100_CLASSES = {20, 100};

    private Cifar() {
    }

    /** Which labels of CIFAR-100 to use. */
    public enum Labels {
        /** The 100 fine classes (the paper's). */
        FINE,
        /** The 20 coarse superclasses. */
        COARSE
    }

    /**
     * @param dir directory with data_batch_{1..5}.bin
     * @return the 50,000 training images
     */
    public static LabeledData cifar10Train(Path dir) {
        List<Path> files = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            files.add(dir.resolve("data_batch_" + i + ".bin"));
        }
        return read(files, new int[] {10}, 0, "cifar10 train");
    }

    /**
     * @param dir directory with test_batch.bin
     * @return the 10,000 test images
     */
    public static LabeledData cifar10Test(Path dir) {
        return read(List.of(dir.resolve("test_batch.bin")), new int[] {10}, 0, "cifar10 test");
    }

    /**
     * @param dir    directory with train.bin
     * @param labels fine (100 classes) or coarse (20)
     * @return the 50,000 training images
     */
    public static LabeledData cifar100Train(Path dir, Labels labels) {
        return read(List.of(dir.resolve("train.bin")), CIFAR100_CLASSES, labels == Labels.FINE ? 1 : 0, "cifar100 train");
    }

    /**
     * @param dir    directory with test.bin
     * @param labels fine or coarse
     * @return the 10,000 test images
     */
    public static LabeledData cifar100Test(Path dir, Labels labels) {
        return read(List.of(dir.resolve("test.bin")), CIFAR100_CLASSES, labels == Labels.FINE ? 1 : 0, "cifar100 test");
    }

    /**
     * @param dir     a directory
     * @param cifar100 CIFAR-100 (true) or CIFAR-10
     * @return whether the training and test files are there
     */
    public static boolean isPresent(Path dir, boolean cifar100) {
        return missingFiles(dir, cifar100).isEmpty();
    }

    /**
     * @param dir      a directory
     * @param cifar100 CIFAR-100 (true) or CIFAR-10
     * @return the training and test files it lacks
     */
    public static List<String> missingFiles(Path dir, boolean cifar100) {
        List<String> names = new ArrayList<>();
        if (cifar100) {
            names.addAll(List.of("train.bin", "test.bin"));
        } else {
            for (int i = 1; i <= 5; i++) {
                names.add("data_batch_" + i + ".bin");
            }
            names.add("test_batch.bin");
        }
        return names.stream().filter(n -> !Files.isRegularFile(dir.resolve(n))).toList();
    }

    /**
     * @param labelClasses the number of classes of each label byte of a record (every one is checked, the one used
     *                     and the other, so that a damaged record is found whichever labels are read)
     * @param labelIndex   the label byte used
     */
    private static LabeledData read(List<Path> files, int[] labelClasses, int labelIndex, String name) {
        int labelBytes = labelClasses.length;
        int classes = labelClasses[labelIndex];
        int record = labelBytes + PIXELS;
        List<byte[]> contents = new ArrayList<>();
        long total = 0;
        for (Path f : files) {
            byte[] b;
            try (InputStream in = Files.newInputStream(f)) {
                b = in.readAllBytes();
            } catch (NoSuchFileException e) {
                throw new DataFormatException(f, "file not found");
            } catch (IOException e) {
                throw new DataFormatException(f, "cannot be read: " + e);
            }
            if (b.length == 0 || b.length % record != 0) {
                throw new DataFormatException(f, "size " + b.length + " bytes is not a whole number of " + record
                        + "-byte records (" + labelBytes + " label byte" + (labelBytes > 1 ? "s" : "") + " + " + PIXELS
                        + " pixels): truncated or not a CIFAR-" + (labelBytes == 1 ? "10" : "100") + " binary file");
            }
            contents.add(b);
            total += b.length / record;
        }
        int n = Math.toIntExact(total);
        float[] features = new float[Math.multiplyExact(n, PIXELS)];
        int[] labels = new int[n];
        int row = 0;
        for (int fi = 0; fi < contents.size(); fi++) {
            byte[] b = contents.get(fi);
            for (int off = 0; off < b.length; off += record, row++) {
                for (int l = 0; l < labelBytes; l++) {
                    int label = b[off + l] & 0xFF;
                    if (label >= labelClasses[l]) {
                        throw new DataFormatException(files.get(fi), (labelBytes == 1 ? "label " : l == 0
                                ? "coarse label " : "fine label ") + label + " of record " + (off / record)
                                + " is outside [0, " + labelClasses[l] + ")");
                    }
                }
                labels[row] = b[off + labelIndex] & 0xFF;
                int base = row * PIXELS;
                for (int p = 0; p < PIXELS; p++) {
                    features[base + p] = (b[off + labelBytes + p] & 0xFF) / 255f;
                }
            }
        }
        return new LabeledData(name, features, labels, classes, SHAPE.clone());
    }
}
