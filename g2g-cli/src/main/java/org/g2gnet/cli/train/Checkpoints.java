package org.g2gnet.cli.train;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.g2gnet.rewiring.RewiringListener;

/**
 * Checkpoint files of a run: {@code checkpoints/ckpt-<iteration>.zip} (a ModelSerializer model with its
 * updater, plus the {@link CheckpointState} and the rewiring listener's state as extra entries) and a
 * {@code .sha256} file beside it.
 *
 * <p>Writes are atomic: the zip is written in one pass to a temporary file, flushed to disk, checksummed and
 * renamed; the checksum file is written the same way, last. A checkpoint counts only when its checksum file exists
 * and matches, so a crash in the middle of a write leaves the previous checkpoints intact, and a truncated or
 * corrupted file is detected (and skipped with a warning) instead of being loaded. A write that fails (a full disk)
 * removes what it wrote of the new checkpoint, keeps the previous ones and says why.</p>
 */
public final class Checkpoints {
    static final String STATE_KEY = "g2g-checkpoint-state";
    private static final Pattern NAME = Pattern.compile("ckpt-(\\d+)\\.zip");
    /** Where ModelSerializer keeps extra objects in a model zip (its addObjectToFile and getObjectFromFile). */
    private static final String OBJECTS = "objects/";

    /** Opens a file for writing. */
    public interface Sink {
        /**
         * @param file the file, created or truncated
         * @return a stream into it
         * @throws IOException when it cannot be opened
         */
        OutputStream open(Path file) throws IOException;
    }

    /** How checkpoint files are opened unless a {@link TrainingHook} says otherwise. */
    static final Sink FILES = Files::newOutputStream;

    private Checkpoints() {
    }

    /** A checkpoint read back. */
    record Loaded(Path file, MultiLayerNetwork net, CheckpointState state, RewiringListener.State rewiring) {
    }

    /**
     * Writes a checkpoint and deletes all but the newest {@code keep}.
     *
     * @param dir       the checkpoint directory
     * @param net       the network (with its updater)
     * @param state     the run's state
     * @param rewiring  the rewiring listener's state, or null
     * @param keep      how many checkpoints to keep, &gt;= 1
     * @param sink      how the files are opened ({@link #FILES}, or a hook's)
     * @return the file written
     */
    static Path write(Path dir, MultiLayerNetwork net, CheckpointState state, RewiringListener.State rewiring, int keep,
                      Sink sink) {
        Path file = dir.resolve("ckpt-" + state.iteration() + ".zip");
        Path tmp = dir.resolve("ckpt-" + state.iteration() + ".zip.tmp");
        Path sumFile = dir.resolve(file.getFileName() + ".sha256");
        Path sumTmp = dir.resolve(file.getFileName() + ".sha256.tmp");
        boolean moved = false;
        try {
            Files.createDirectories(dir);
            // the network as ModelSerializer writes it, then the run's state as extra objects, in one pass (its
            // addObjectToFile rewrites the whole zip once per object, through a copy in the temporary directory)
            ByteArrayOutputStream model = new ByteArrayOutputStream();
            ModelSerializer.writeModel(net, model, true);
            try (ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(sink.open(tmp), 1 << 16));
                 ZipInputStream entries = new ZipInputStream(new ByteArrayInputStream(model.toByteArray()))) {
                for (ZipEntry e; (e = entries.getNextEntry()) != null; ) {
                    zip.putNextEntry(new ZipEntry(e.getName()));
                    entries.transferTo(zip);
                    zip.closeEntry();
                }
                putObject(zip, STATE_KEY, state);
                if (rewiring != null) {
                    putObject(zip, RewiringListener.STATE_KEY, rewiring);
                }
            }
            force(tmp);
            String sum = sha256(tmp);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            try (OutputStream os = sink.open(sumTmp)) {
                os.write((sum + "  " + file.getFileName() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            force(sumTmp);
            Files.move(sumTmp, sumFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            // nothing of this checkpoint stays: a zip without its checksum file would only be skipped on resume
            for (Path p : moved ? new Path[] {tmp, sumTmp, sumFile, file} : new Path[] {tmp, sumTmp}) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // the write already failed; what is left is never read without its checksum file
                }
            }
            throw new UncheckedIOException("cannot write checkpoint " + file + " (the previous checkpoints are kept): "
                    + (e instanceof IOException io ? OutputLock.reason(io) : e.toString()),
                    e instanceof IOException io ? io : new IOException(e));
        }
        prune(dir, keep);
        return file;
    }

    /** An object as ModelSerializer.addObjectToFile stores it, so that its getObjectFromFile reads it back. */
    private static void putObject(ZipOutputStream zip, String key, Serializable o) throws IOException {
        zip.putNextEntry(new ZipEntry(OBJECTS + key));
        ObjectOutputStream out = new ObjectOutputStream(zip);
        out.writeObject(o);
        out.flush();
        zip.closeEntry();
    }

    /**
     * The newest checkpoint that is intact and was made with the same options.
     *
     * @param dir         the checkpoint directory
     * @param fingerprint the current run's options
     * @param log         where skipped checkpoints are reported
     * @return the checkpoint, or null when there is none
     * @throws IllegalStateException when the newest intact checkpoint was made with other options
     */
    static Loaded latest(Path dir, String fingerprint, PrintStream log) {
        for (Path f : list(dir)) {
            String problem = verify(f);
            if (problem != null) {
                log.println("warning: skipping checkpoint " + f + ": " + problem + "; trying the previous one");
                continue;
            }
            CheckpointState state;
            try {
                state = ModelSerializer.getObjectFromFile(f.toFile(), STATE_KEY);
            } catch (RuntimeException e) {
                log.println("warning: skipping checkpoint " + f + ": its run state cannot be read (" + e.getMessage()
                        + "); trying the previous one");
                continue;
            }
            if (!state.fingerprint().equals(fingerprint)) {
                throw new IllegalStateException("checkpoint " + f + " was made with other options and cannot be resumed:"
                        + System.lineSeparator() + "  checkpoint: " + state.fingerprint() + System.lineSeparator()
                        + "  this run:   " + fingerprint + System.lineSeparator()
                        + "run with the checkpoint's options, or without --resume (or another --out) to start over");
            }
            try {
                MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(f.toFile(), true);
                RewiringListener.State rw = ModelSerializer.listObjectsInFile(f.toFile()).contains(RewiringListener.STATE_KEY)
                        ? ModelSerializer.getObjectFromFile(f.toFile(), RewiringListener.STATE_KEY) : null;
                return new Loaded(f, net, state, rw);
            } catch (IOException | RuntimeException e) {
                log.println("warning: skipping checkpoint " + f + ": the network cannot be restored (" + e.getMessage()
                        + "); trying the previous one");
            }
        }
        return null;
    }

    /**
     * @param dir the checkpoint directory
     * @return checkpoint zips, newest first
     */
    static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparingLong(Checkpoints::iterationOf).reversed()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** Deletes every checkpoint (and stray temporary file) in a directory. */
    static void clear(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith("ckpt-")) {
                    Files.delete(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + dir, e);
        }
    }

    /** @return null when the file matches its checksum, else what is wrong */
    static String verify(Path zip) {
        Path sumFile = zip.resolveSibling(zip.getFileName() + ".sha256");
        try {
            if (!Files.isRegularFile(sumFile)) {
                return "no checksum file (the write did not finish)";
            }
            String expected = Files.readString(sumFile, StandardCharsets.UTF_8).trim().split("\\s+")[0];
            String actual = sha256(zip);
            return expected.equals(actual) ? null : "checksum mismatch (the file is truncated or corrupted)";
        } catch (IOException e) {
            return "cannot be read (" + e.getMessage() + ")";
        }
    }

    private static void prune(Path dir, int keep) {
        List<Path> all = new ArrayList<>(list(dir));
        for (Path old : all.subList(Math.min(keep, all.size()), all.size())) {
            try {
                Files.deleteIfExists(old.resolveSibling(old.getFileName() + ".sha256"));
                Files.deleteIfExists(old);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete old checkpoint " + old, e);
            }
        }
    }

    private static long iterationOf(Path p) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    private static void force(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    static String sha256(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
