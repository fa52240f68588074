package org.g2gnet.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files in the real format for tests. */
public final class IdxFiles {
    private IdxFiles() {
    }

    /**
     * @param magic  the magic number to write
     * @param dims   sizes
     * @param data   payload
     * @return the file's bytes
     */
    public static byte[] idx(int magic, int[] dims, byte[] data) {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(bos);
            d.writeInt(magic);
            for (int s : dims) {
                d.writeInt(s);
            }
            d.write(data);
            d.flush();
            return bos.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes bytes, gzipped when the name ends in .gz.
     *
     * @param file  destination
     * @param bytes content
     * @throws IOException on failure
     */
    public static void write(Path file, byte[] bytes) throws IOException {
        try (OutputStream os = Files.newOutputStream(file)) {
            if (file.toString().endsWith(".gz")) {
                try (GZIPOutputStream gz = new GZIPOutputStream(os)) {
                    gz.write(bytes);
                }
            } else {
                os.write(bytes);
            }
        }
    }

    /**
     * As {@link #fashionMnist(Path, int, int, boolean)}, in a new folder {@code data} under {@code parent}.
     *
     * @param parent where the folder goes
     * @param n      training images
     * @param m      test images
     * @param gz     gzip the files
     * @return the folder
     * @throws IOException on failure
     */
    public static Path fashionMnistDir(Path parent, int n, int m, boolean gz) throws IOException {
        Path data = parent.resolve("data");
        java.nio.file.Files.createDirectories(data);
        fashionMnist(data, n, m, gz);
        return data;
    }

    /**
     * Writes a complete small Fashion-MNIST directory: n train and m test images whose pixels encode the
     * label: pixels 0-9 hold (label * 20 + position) so tests can check the decoding, and the rest is a
     * bright band whose position is the label, so a network learns the task in a few steps.
     *
     * @param dir destination
     * @param n   training images
     * @param m   test images
     * @param gz  gzip the files
     * @throws IOException on failure
     */
    public static void fashionMnist(Path dir, int n, int m, boolean gz) throws IOException {
        for (String prefix : new String[] {"train", "t10k"}) {
            int count = prefix.equals("train") ? n : m;
            byte[] images = new byte[count * 784];
            byte[] labels = new byte[count];
            for (int i = 0; i < count; i++) {
                labels[i] = (byte) (i % 10);
                for (int p = 0; p < 784; p++) {
                    int v = p < 10 ? (labels[i] * 20 + p) % 256 : (p / 78 == labels[i] ? 255 : 0);
                    images[i * 784 + p] = (byte) v;
                }
            }
            String ext = gz ? ".gz" : "";
            write(dir.resolve(prefix + "-images-idx3-ubyte" + ext), idx(0x803, new int[] {count, 28, 28}, images));
            write(dir.resolve(prefix + "-labels-idx1-ubyte" + ext), idx(0x801, new int[] {count}, labels));
        }
    }
}
