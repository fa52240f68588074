package org.g2gnet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IDX (Fashion-MNIST) and CIFAR readers over mutated files: byte flips, truncations, appended bytes and
 * rewritten header fields, in plain and gzipped files. Every mutation must end, within seconds, either in a
 * {@link DataFormatException} naming the file, or in a read equal to what an independent strict decoder in this test
 * makes of the mutated bytes (a mutation of pixel bytes, or of a label to another valid label, is such a read: the
 * formats carry no checksum). A gzipped file accepted after a mutation must give the original content (the gzip
 * trailer's CRC-32 guards it). Seeded; {@code -Dg2g.fuzz.mutations=N} runs N mutations instead of 600.
 */
class DataReaderFuzzTest {
    @TempDir
    Path dir;

    /** What a strict decoder makes of a set of files: the data, or null when they are not a valid set. */
    private record Decoded(float[] features, int[] labels) {
    }

    /** One kind of data set: its files and how the reader and the reference decoder read them. */
    private record Kind(String name, Path dir, List<String> files, Function<Path, LabeledData> reader,
                        Function<Map<String, byte[]>, Decoded> reference) {
    }

    @Test
    void mutatedFilesGiveAClearErrorOrACorrectRead() throws Exception {
        long seed = Long.getLong("g2g.fuzz.seed", 16);
        int mutations = Integer.getInteger("g2g.fuzz.mutations", 600);
        List<Kind> kinds = kinds();
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, Integer> tally = new TreeMap<>();
        long t0 = System.nanoTime();
        for (int k = 0; k < mutations; k++) {
            Kind kind = kinds.get(rng.nextInt(kinds.size()));
            String file = kind.files().get(rng.nextInt(kind.files().size()));
            Path path = kind.dir().resolve(file);
            byte[] original = Files.readAllBytes(path);
            String[] how = new String[1];
            byte[] mutated = mutate(original, rng, file.endsWith(".gz"), how);
            Files.write(path, mutated);
            try {
                String what = String.format(Locale.ROOT, "mutation %d (seed %d): %s of %s/%s", k, seed, how[0],
                        kind.name(), file);
                String outcome = readAndCheck(kind, file, mutated, what);
                tally.merge(outcome, 1, Integer::sum);
            } finally {
                Files.write(path, original);
            }
        }
        int errors = tally.entrySet().stream().filter(e -> e.getKey().startsWith("error")).mapToInt(Map.Entry::getValue)
                .sum();
        System.out.printf(Locale.ROOT, "data-reader fuzz (seed %d): %d mutations of %d files in %.1f s: %d clear errors, "
                        + "%d correct reads; %s%n", seed, mutations, kinds.stream().mapToInt(x -> x.files().size()).sum(),
                (System.nanoTime() - t0) / 1e9, errors, mutations - errors, tally);
        assertTrue(errors > mutations / 4 && errors < mutations, "the mutations should give both errors and reads: "
                + tally);
    }

    /** Reads the set holding the mutated file, with a time limit; returns the kind of outcome. */
    private static String readAndCheck(Kind kind, String file, byte[] mutated, String what) throws IOException {
        Map<String, byte[]> contents = new TreeMap<>();
        for (String f : kind.files()) {
            contents.put(f, Files.readAllBytes(kind.dir().resolve(f)));
        }
        // the reader reads the training or the test set: whichever holds the file
        Path probe = kind.dir().resolve(file);
        LabeledData[] read = new LabeledData[1];
        DataFormatException[] error = new DataFormatException[1];
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            try {
                read[0] = kind.reader().apply(probe);
            } catch (DataFormatException e) {
                error[0] = e;
            }
        }, what + ": the reader hung");
        Decoded expected = kind.reference().apply(subset(contents, file));
        boolean gz = file.endsWith(".gz");
        if (error[0] != null) {
            assertTrue(error[0].getMessage().contains(file.replace(".gz", "")), what + ": the error does not name the "
                    + "file: " + error[0].getMessage());
            if (expected != null) {
                fail(what + ": a valid file was refused: " + error[0].getMessage());
            }
            return "error: " + category(error[0].getMessage());
        }
        if (gz) {
            // accepted gzip: the content must be the original one (a corrupted deflate stream fails its CRC-32)
            Decoded original = kind.reference().apply(subset(original(kind, contents, file), file));
            assertArrayEquals(original.labels(), read[0].labels(), what + ": labels differ from the original");
            assertArrayEquals(original.features(), read[0].features(), what + ": pixels differ from the original");
            return "read: gzip content intact";
        }
        if (expected == null) {
            fail(what + ": an invalid file was read without an error");
        }
        assertArrayEquals(expected.labels(), read[0].labels(), what + ": labels are not the file's");
        assertArrayEquals(expected.features(), read[0].features(), what + ": pixels are not the file's");
        return "read: as the file says";
    }

    private static String category(String message) {
        String m = message.substring(message.indexOf(": ") + 2);
        for (String k : new String[] {"wrong magic", "truncated header", "truncated gzip", "truncated", "corrupt gzip",
            "more data than", "negative size", "expected 28x28", "labels but", "label ", "not a whole number",
            "too many", "too short", "declares"}) {
            if (m.contains(k)) {
                return k.trim();
            }
        }
        return m.length() > 40 ? m.substring(0, 40) : m;
    }

    /** The contents of the files read together with {@code file} (train or test). */
    private static Map<String, byte[]> subset(Map<String, byte[]> contents, String file) {
        String set = setOf(file);
        Map<String, byte[]> out = new TreeMap<>();
        contents.forEach((f, b) -> {
            if (setOf(f).equals(set)) {
                out.put(f, b);
            }
        });
        return out;
    }

    private static String setOf(String file) {
        return file.startsWith("t10k") || file.startsWith("test") ? "test" : "train";
    }

    private static final Map<Path, byte[]> ORIGINALS = new java.util.HashMap<>();

    private static Map<String, byte[]> original(Kind kind, Map<String, byte[]> contents, String file) {
        Map<String, byte[]> out = new TreeMap<>(contents);
        out.put(file, ORIGINALS.get(kind.dir().resolve(file)));
        return out;
    }

    /** A random mutation: flips, a truncation, appended bytes, or a rewritten header field. */
    private static byte[] mutate(byte[] b, SplittableRandom rng, boolean gz, String[] how) {
        int kind = rng.nextInt(6);
        switch (kind) {
            case 0 -> {
                byte[] m = b.clone();
                int p = rng.nextInt(m.length);
                m[p] ^= (byte) (1 + rng.nextInt(255));
                how[0] = "flip of byte " + p;
                return m;
            }
            case 1 -> {
                byte[] m = b.clone();
                int n = 2 + rng.nextInt(8);
                for (int i = 0; i < n; i++) {
                    m[rng.nextInt(m.length)] ^= (byte) (1 + rng.nextInt(255));
                }
                how[0] = n + " flips";
                return m;
            }
            case 2 -> {
                int len = rng.nextInt(b.length);
                how[0] = "truncation to " + len + " of " + b.length + " bytes";
                return Arrays.copyOf(b, len);
            }
            case 3 -> {
                byte[] extra = new byte[1 + rng.nextInt(3100)];
                for (int i = 0; i < extra.length; i++) {
                    extra[i] = (byte) rng.nextInt(256);
                }
                how[0] = extra.length + " bytes appended";
                byte[] m = Arrays.copyOf(b, b.length + extra.length);
                System.arraycopy(extra, 0, m, b.length, extra.length);
                return m;
            }
            case 4 -> {
                // a header field (IDX: magic or a size; CIFAR: the first record's label bytes) set to a random value
                byte[] m = b.clone();
                int field = gz ? rng.nextInt(3) : rng.nextInt(Math.min(4, m.length / 4));
                int value = switch (rng.nextInt(4)) {
                    case 0 -> rng.nextInt();
                    case 1 -> ByteBuffer.wrap(m, 4 * field, 4).getInt() + (rng.nextBoolean() ? 1 : -1);
                    case 2 -> Integer.MAX_VALUE - rng.nextInt(1000);
                    default -> rng.nextInt(100);
                };
                ByteBuffer.wrap(m).putInt(4 * field, value);
                how[0] = "header int " + field + " set to " + value;
                return m;
            }
            default -> {
                // a random byte among the first 16 (header, or the first labels and pixels)
                byte[] m = b.clone();
                int p = rng.nextInt(Math.min(16, m.length));
                m[p] = (byte) rng.nextInt(256);
                how[0] = "byte " + p + " set to " + (m[p] & 0xFF);
                return m;
            }
        }
    }

    private List<Kind> kinds() throws Exception {
        List<Kind> kinds = new ArrayList<>();
        for (boolean gz : new boolean[] {false, true}) {
            Path d = Files.createDirectories(dir.resolve(gz ? "fashion-gz" : "fashion"));
            IdxFiles.fashionMnist(d, 20, 10, gz);
            String ext = gz ? ".gz" : "";
            List<String> files = List.of("train-images-idx3-ubyte" + ext, "train-labels-idx1-ubyte" + ext,
                    "t10k-images-idx3-ubyte" + ext, "t10k-labels-idx1-ubyte" + ext);
            kinds.add(new Kind("fashion-mnist" + (gz ? " (gzip)" : ""), d, files,
                    p -> setOf(p.getFileName().toString()).equals("test") ? FashionMnist.test(p.getParent())
                            : FashionMnist.train(p.getParent()),
                    contents -> decodeFashion(contents, gz)));
        }
        Path c10 = Files.createDirectories(dir.resolve("cifar10"));
        CifarTest.writeCifar10(c10, 3);
        List<String> c10files = List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                "data_batch_5.bin", "test_batch.bin");
        kinds.add(new Kind("cifar10", c10, c10files,
                p -> p.getFileName().toString().startsWith("test") ? Cifar.cifar10Test(p.getParent())
                        : Cifar.cifar10Train(p.getParent()),
                contents -> decodeCifar(contents, 1, new int[] {10}, 0)));
        Path c100 = Files.createDirectories(dir.resolve("cifar100"));
        Files.write(c100.resolve("train.bin"), CifarTest.records(5, 2, 100));
        Files.write(c100.resolve("test.bin"), CifarTest.records(3, 2, 100));
        kinds.add(new Kind("cifar100", c100, List.of("train.bin", "test.bin"),
                p -> p.getFileName().toString().startsWith("test") ? Cifar.cifar100Test(p.getParent(), Cifar.Labels.FINE)
                        : Cifar.cifar100Train(p.getParent(), Cifar.Labels.FINE),
                contents -> decodeCifar(contents, 2, new int[] {20, 100}, 1)));
        for (Kind k : kinds) {
            for (String f : k.files()) {
                ORIGINALS.put(k.dir().resolve(f), Files.readAllBytes(k.dir().resolve(f)));
            }
        }
        return kinds;
    }

    // ---------------------------------------------------------------- reference decoders (strict, independent)

    private static Decoded decodeFashion(Map<String, byte[]> contents, boolean gz) {
        byte[] images = null;
        byte[] labels = null;
        for (Map.Entry<String, byte[]> e : contents.entrySet()) {
            byte[] b = gz ? gunzip(e.getValue()) : e.getValue();
            if (b == null) {
                return null;
            }
            if (e.getKey().contains("images")) {
                images = b;
            } else {
                labels = b;
            }
        }
        int[] imageDims = idxDims(images, 0x803);
        int[] labelDims = idxDims(labels, 0x801);
        if (imageDims == null || labelDims == null || imageDims[1] != 28 || imageDims[2] != 28
                || imageDims[0] != labelDims[0]) {
            return null;
        }
        int n = imageDims[0];
        float[] features = new float[n * 784];
        for (int i = 0; i < features.length; i++) {
            features[i] = (images[16 + i] & 0xFF) / 255f;
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = labels[8 + i] & 0xFF;
            if (y[i] >= 10) {
                return null;
            }
        }
        return new Decoded(features, y);
    }

    /** The sizes of a valid IDX file of unsigned bytes with this magic number, exactly as long as they say; or null. */
    private static int[] idxDims(byte[] b, int magic) {
        int ndims = magic & 0xFF;
        if (b.length < 4 + 4 * ndims) {
            return null;
        }
        ByteBuffer bb = ByteBuffer.wrap(b);
        if (bb.getInt() != magic) {
            return null;
        }
        int[] dims = new int[ndims];
        long total = 1;
        for (int i = 0; i < ndims; i++) {
            dims[i] = bb.getInt();
            if (dims[i] < 0) {
                return null;
            }
            total *= dims[i];
        }
        return b.length - 4 - 4L * ndims == total ? dims : null;
    }

    /** Decompresses a whole gzip file the way the format defines it (one member, CRC-checked); null if not valid. */
    private static byte[] gunzip(byte[] b) {
        if (b.length < 18 || (b[0] & 0xFF) != 0x1f || (b[1] & 0xFF) != 0x8b) {
            return null;
        }
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(b))) {
            return in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }

    private static Decoded decodeCifar(Map<String, byte[]> contents, int labelBytes, int[] classes, int labelIndex) {
        int record = labelBytes + Cifar.PIXELS;
        int n = 0;
        for (byte[] b : contents.values()) {
            if (b.length == 0 || b.length % record != 0) {
                return null;
            }
            n += b.length / record;
        }
        float[] features = new float[n * Cifar.PIXELS];
        int[] labels = new int[n];
        int row = 0;
        // the training files in order: data_batch_1..5 (TreeMap order), or train.bin / test.bin alone
        for (byte[] b : contents.values()) {
            for (int off = 0; off < b.length; off += record, row++) {
                for (int l = 0; l < labelBytes; l++) {
                    if ((b[off + l] & 0xFF) >= classes[l]) {
                        return null;
                    }
                }
                labels[row] = b[off + labelIndex] & 0xFF;
                for (int p = 0; p < Cifar.PIXELS; p++) {
                    features[row * Cifar.PIXELS + p] = (b[off + labelBytes + p] & 0xFF) / 255f;
                }
            }
        }
        return new Decoded(features, labels);
    }
}
