package org.g2gnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.g2gnet.G2GTestBase;
import org.g2gnet.data.IdxFiles;
import org.g2gnet.cli.train.DstSpec;
import org.g2gnet.cli.train.TrainOptions;
import org.g2gnet.cli.train.Trainer;
import org.g2gnet.cli.train.FaultInjection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run with rewiring killed with SIGKILL at random points (every third one while a checkpoint is being written),
 * each time resumed by the next child JVM, then finished:
 * after every kill the checkpoints on disk are intact (each matches its checksum) and none is lost, every checkpoint
 * of the killed-and-resumed run holds the same parameters, updater state and masks as the uninterrupted run's at the
 * same iteration, and the finished run is bit-for-bit the uninterrupted one. {@code -Dg2g.kill.points=N} kills N
 * times instead of 5 (the README's figures come from 20); {@code -Dg2g.kill.seed=S} changes the points.
 */
@Tag("slow")
class KillResumeTest extends G2GTestBase {
    private static final Pattern CHECKPOINT = Pattern.compile("ckpt-(\\d+)\\.zip");
    /** 19 iterations per epoch, 3 epochs. */
    private static final int ITERATIONS = 57;

    @TempDir
    Path dir;

    private static TrainOptions.Builder options(Path data, Path out) {
        return TrainOptions.builder().width(16).layers(2).groups(4).epochs(3).batch(32).lr(3e-3).dataDir(data).out(out)
                .progress(false).dst(DstSpec.parse("hebbian:gradient")).rewireEvery(5).hebbianAverage(0.5, 3)
                .checkpointEvery(3).keepCheckpoints(1000);
    }

    private static List<String> args(Path data, Path out) {
        return List.of("train", "--width", "16", "--layers", "2", "--groups", "4", "--epochs", "3", "--batch", "32",
                "--lr", "3e-3", "--data-dir", data.toString(), "--out", out.toString(), "--no-progress",
                "--dst", "hebbian:gradient", "--rewire-every", "5", "--hebbian-average", "0.5:3",
                "--checkpoint-every", "3", "--keep-checkpoints", "1000", "--resume");
    }

    @Test
    void killedAtRandomPointsAndResumedEachTimeToTheSameBits() throws Exception {
        int kills = Integer.getInteger("g2g.kill.points", 5);
        long seed = Long.getLong("g2g.kill.seed", 16);
        Path data = IdxFiles.fashionMnistDir(dir, 600, 100, true);
        Path straight = dir.resolve("straight");
        Trainer.run(options(data, straight).build(), Logs.discard());

        // the points: iterations spread over the run, then a random delay of up to a few steps past each
        SplittableRandom rng = new SplittableRandom(seed);
        int[] targets = rng.ints(kills, 0, ITERATIONS - 9).sorted().toArray();
        Path run = dir.resolve("killed");
        Path ckpt = run.resolve("checkpoints");
        List<String> points = new ArrayList<>();
        int newest = -1;
        long t0 = System.nanoTime();
        for (int k = 0; k < kills; k++) {
            Path log = dir.resolve("child-" + k + ".log");
            long started = System.currentTimeMillis();
            Process child = ChildJvm.start(log, FaultInjection.jvmArgs(25, -1), args(data, run));
            try {
                assertTrue(ChildJvm.awaitOutput(child, log, "model ", 180), "child " + k + " did not start training: "
                        + Files.readString(log));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
                while (child.isAlive() && newestCheckpoint(ckpt) < targets[k] && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                if (k % 3 == 2) {
                    // every third point: while the next checkpoint is being written
                    while (child.isAlive() && !tmpFiles(ckpt, started) && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                } else {
                    Thread.sleep(rng.nextInt(150));
                }
                assertTrue(child.isAlive(), "child " + k + " ended before its kill point: " + Files.readString(log));
            } finally {
                ChildJvm.kill(child);
            }
            String text = Files.readString(log);
            if (k > 0) {
                assertTrue(text.contains("taking over the stale lock"), "child " + k + ": " + text);
                assertTrue(text.contains("resuming from"), "child " + k + ": " + text);
            }
            boolean midWrite = tmpFiles(ckpt, started);
            int now = checkIntact(ckpt);
            assertTrue(now >= newest, "a checkpoint was lost: newest " + newest + " before, " + now + " after kill " + k);
            newest = now;
            points.add(String.format(Locale.ROOT, "%d%s", now, midWrite ? "*" : ""));
        }
        double killSeconds = (System.nanoTime() - t0) / 1e9;

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Trainer.run(options(data, run).resume(true).build(), Logs.into(printed));
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("taking over the stale lock") && text.contains("resuming from"), text);
        ResumeTest.assertSameRun(straight, run);
        int compared = sameCheckpoints(straight.resolve("checkpoints"), ckpt);
        System.out.printf(Locale.ROOT, "kill -9 at %d random points (seed %d) in %.0f s; newest intact checkpoint after "
                + "each kill (* = killed while a checkpoint was being written): %s; %d checkpoints identical to the "
                + "uninterrupted run's, final run bit-for-bit the same%n", kills, seed, killSeconds, points, compared);
    }

    /** The iteration of the newest checkpoint whose checksum file is written, or -1. */
    private static int newestCheckpoint(Path ckpt) throws Exception {
        if (!Files.isDirectory(ckpt)) {
            return -1;
        }
        int best = -1;
        try (Stream<Path> s = Files.list(ckpt)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.endsWith(".zip.sha256")) {
                    Matcher m = CHECKPOINT.matcher(n.substring(0, n.length() - ".sha256".length()));
                    if (m.matches()) {
                        best = Math.max(best, Integer.parseInt(m.group(1)));
                    }
                }
            }
        } catch (java.nio.file.NoSuchFileException | java.io.UncheckedIOException e) {
            return best; // a file went away while listing (pruning)
        }
        return best;
    }

    /** Whether a temporary checkpoint file was written since {@code since} (ms): a write in progress or cut. */
    private static boolean tmpFiles(Path ckpt, long since) throws Exception {
        if (!Files.isDirectory(ckpt)) {
            return false;
        }
        try (Stream<Path> s = Files.list(ckpt)) {
            return s.anyMatch(p -> {
                try {
                    return p.getFileName().toString().endsWith(".tmp")
                            && Files.getLastModifiedTime(p).toMillis() >= since;
                } catch (java.io.IOException e) {
                    return false; // renamed or removed meanwhile
                }
            });
        }
    }

    /**
     * Every checkpoint with a checksum file matches it (a checkpoint without one is a write that did not finish,
     * which resuming skips); returns the newest intact iteration.
     */
    private static int checkIntact(Path ckpt) throws Exception {
        int newest = -1;
        if (!Files.isDirectory(ckpt)) {
            return newest;
        }
        try (Stream<Path> s = Files.list(ckpt)) {
            for (Path p : s.toList()) {
                Matcher m = CHECKPOINT.matcher(p.getFileName().toString());
                Path sum = p.resolveSibling(p.getFileName() + ".sha256");
                if (m.matches() && Files.exists(sum)) {
                    String expected = Files.readString(sum).trim().split("\\s+")[0];
                    assertEquals(expected, sha256(p), p + " does not match its checksum");
                    newest = Math.max(newest, Integer.parseInt(m.group(1)));
                }
            }
        }
        return newest;
    }

    /** Compares every intact checkpoint of the killed run with the uninterrupted run's at the same iteration. */
    private static int sameCheckpoints(Path expected, Path actual) throws Exception {
        TreeMap<Integer, Path> mine = new TreeMap<>();
        try (Stream<Path> s = Files.list(actual)) {
            for (Path p : s.toList()) {
                Matcher m = CHECKPOINT.matcher(p.getFileName().toString());
                if (m.matches() && Files.exists(p.resolveSibling(p.getFileName() + ".sha256"))) {
                    mine.put(Integer.parseInt(m.group(1)), p);
                }
            }
        }
        for (var e : mine.entrySet()) {
            MultiLayerNetwork a = ModelSerializer.restoreMultiLayerNetwork(
                    expected.resolve(e.getValue().getFileName()).toFile(), true);
            MultiLayerNetwork b = ModelSerializer.restoreMultiLayerNetwork(e.getValue().toFile(), true);
            assertEquals(a.params(), b.params(), "parameters and masks of checkpoint " + e.getKey());
            assertEquals(a.getUpdater().getStateViewArray(), b.getUpdater().getStateViewArray(),
                    "updater state of checkpoint " + e.getKey());
            assertEquals(a.getIterationCount(), b.getIterationCount());
        }
        return mine.size();
    }

    private static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }
}
