package org.g2gnet.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fashion-MNIST from IDX files, as installed by the Debian package {@code dataset-fashion-mnist}
 * ({@value #DEFAULT_DIR}) or downloaded from the project (github.com/zalandoresearch/fashion-mnist):
 * {@code {train,t10k}-{images-idx3,labels-idx1}-ubyte}, each optionally gzipped ({@code .gz}).
 */
public final class FashionMnist {
    /** Where the Debian package installs the files. */
    public static final String DEFAULT_DIR = "/usr/share/datasets/fashion-mnist";
    /** Number of classes. */
    public static final int CLASSES = 10;
    /** Pixels per image side. */
    public static final int SIDE = 28;

    private FashionMnist() {
    }

    /**
     * @param dir directory holding the files
     * @return the 60,000 training images
     */
    public static LabeledData train(Path dir) {
        return load(dir, "train", "fashion-mnist train");
    }

    /**
     * @param dir directory holding the files
     * @return the 10,000 test images
     */
    public static LabeledData test(Path dir) {
        return load(dir, "t10k", "fashion-mnist test");
    }

    /**
     * @param dir a directory
     * @return whether it holds all four files (plain or gzipped)
     */
    public static boolean isPresent(Path dir) {
        return missingFiles(dir).isEmpty();
    }

    /**
     * @param dir a directory
     * @return the files of the four it lacks (names without .gz; each may be plain or gzipped), in the order
     *         train images, train labels, test images, test labels
     */
    public static java.util.List<String> missingFiles(Path dir) {
        java.util.List<String> missing = new java.util.ArrayList<>();
        for (String prefix : new String[] {"train", "t10k"}) {
            for (String part : new String[] {"images-idx3", "labels-idx1"}) {
                String base = prefix + "-" + part + "-ubyte";
                if (find(dir, base) == null) {
                    missing.add(base);
                }
            }
        }
        return missing;
    }

    private static LabeledData load(Path dir, String prefix, String name) {
        Path images = require(dir, prefix + "-images-idx3-ubyte");
        Path labels = require(dir, prefix + "-labels-idx1-ubyte");
        IdxReader.IdxArray img = IdxReader.read(images, 3);
        IdxReader.IdxArray lab = IdxReader.read(labels, 1);
        if (img.dims()[1] != SIDE || img.dims()[2] != SIDE) {
            throw new DataFormatException(images, "expected 28x28 images, found " + img.dims()[1] + "x" + img.dims()[2]);
        }
        if (img.count() != lab.count()) {
            throw new DataFormatException(labels, "has " + lab.count() + " labels but " + images.getFileName()
                    + " has " + img.count() + " images");
        }
        float[] features = new float[img.data().length];
        byte[] raw = img.data();
        for (int i = 0; i < raw.length; i++) {
            features[i] = (raw[i] & 0xFF) / 255f;
        }
        int[] y = new int[lab.count()];
        for (int i = 0; i < y.length; i++) {
            y[i] = lab.data()[i] & 0xFF;
            if (y[i] >= CLASSES) {
                throw new DataFormatException(labels, "label " + y[i] + " of example " + i + " is outside [0, 10)");
            }
        }
        return new LabeledData(name, features, y, CLASSES, new int[] {SIDE, SIDE});
    }

    private static Path require(Path dir, String base) {
        if (!Files.isDirectory(dir)) {
            throw new DataFormatException(dir, "data directory not found");
        }
        Path p = find(dir, base);
        if (p == null) {
            throw new DataFormatException(dir.resolve(base + ".gz"), "file not found (nor " + base + " without .gz)");
        }
        return p;
    }

    private static Path find(Path dir, String base) {
        for (String name : new String[] {base + ".gz", base}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }
}
