package org.g2gnet.cli.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.g2gnet.G2GTestBase;
import org.g2gnet.data.IdxFiles;
import org.g2gnet.cli.G2GCli;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/**
 * A full disk while checkpointing: the write fails part-way (simulated at every stage of a checkpoint's write, and
 * for real on a small tmpfs where the machine allows mounting one), training stops with an error saying what could
 * not be written and why, no checkpoint is lost or left half-written, and once there is room the run resumes to
 * exactly the run that never failed.
 */
@Tag("slow")
class DiskFullTest extends G2GTestBase {
    @TempDir
    Path dir;

    @AfterEach
    void restoreTheDisk() {
        FaultInjection.checkpointSink = null;
    }

    /** 19 iterations; checkpoints after steps 3, 6, 9, ..., 18 */
    private static TrainOptions.Builder options(Path data, Path out) {
        return TrainOptions.builder().width(16).layers(2).groups(4).epochs(1).batch(32).lr(3e-3).dataDir(data).out(out)
                .progress(false).dst(DstSpec.parse("hebbian:hebbian")).rewireEvery(5).checkpointEvery(3)
                .keepCheckpoints(3);
    }

    /** A disk that fills up while {@code name} is written: its first {@code room} bytes go through, then ENOSPC. */
    private static Checkpoints.Sink fullWhile(String name, long room) {
        return file -> {
            OutputStream os = Files.newOutputStream(file);
            if (!file.getFileName().toString().equals(name)) {
                return os;
            }
            return new FilterOutputStream(os) {
                private long written;

                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    int fits = (int) Math.max(0, Math.min(len, room - written));
                    out.write(b, off, fits);
                    written += fits;
                    if (fits < len) {
                        throw new IOException("No space left on device");
                    }
                }
            };
        };
    }

    private static List<String> listing(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The parts of two finished runs that must be equal: metrics (but the timings), parameters, masks, events. */
    private static void assertSameRun(Path expected, Path actual) throws Exception {
        assertEquals(withoutSeconds(expected), withoutSeconds(actual));
        MultiLayerNetwork a = ModelSerializer.restoreMultiLayerNetwork(expected.resolve("model.zip").toFile(), false);
        MultiLayerNetwork b = ModelSerializer.restoreMultiLayerNetwork(actual.resolve("model.zip").toFile(), false);
        assertEquals(a.params(), b.params(), "parameters and masks");
        assertEquals(Files.readAllLines(expected.resolve("events.csv")), Files.readAllLines(actual.resolve("events.csv")));
    }

    private static List<String> withoutSeconds(Path run) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.csv"))) {
            String[] f = line.split(",", -1);
            out.add(f[0] + "," + f[1] + "," + f[2] + "," + f[3] + "," + f[5]);
        }
        return out;
    }

    @Test
    void aCheckpointWriteFailingAtAnyStageKeepsThePreviousOnesAndSaysWhy() throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 600, 100, true);
        Path straight = dir.resolve("straight");
        Trainer.run(options(data, straight).build(), new PrintStream(new ByteArrayOutputStream()));
        long size = Files.size(straight.resolve("checkpoints/ckpt-18.zip"));
        // the third checkpoint's zip: no room at all, a few bytes, most of it; then its checksum file
        Object[][] stages = {{"ckpt-9.zip.tmp", 0L}, {"ckpt-9.zip.tmp", 100L}, {"ckpt-9.zip.tmp", size - 1000},
            {"ckpt-9.zip.sha256.tmp", 10L}};
        for (Object[] stage : stages) {
            String name = (String) stage[0];
            Path run = dir.resolve("run-" + name + "-" + stage[1]);
            FaultInjection.checkpointSink = fullWhile(name, (Long) stage[1]);
            Trainer.TrainingFailedException e = assertThrows(Trainer.TrainingFailedException.class,
                    () -> Trainer.run(options(data, run).build(), new PrintStream(new ByteArrayOutputStream())));
            String what = name + " after " + stage[1] + " bytes: " + e.getMessage();
            Path ckpt = run.resolve("checkpoints");
            assertTrue(e.getMessage().startsWith("cannot write checkpoint " + ckpt.resolve("ckpt-9.zip")
                    + " (the previous checkpoints are kept): No space left on device; training stopped; the last "
                    + "good checkpoint is " + ckpt.resolve("ckpt-6.zip")), what);
            assertTrue(e.getMessage().endsWith("run the same command with --resume"), what);
            assertEquals(List.of("ckpt-3.zip", "ckpt-3.zip.sha256", "ckpt-6.zip", "ckpt-6.zip.sha256"), listing(ckpt),
                    what + ": nothing of the failed checkpoint is left, nothing before it is lost");
            for (String c : new String[] {"ckpt-3.zip", "ckpt-6.zip"}) {
                assertNull(Checkpoints.verify(ckpt.resolve(c)), what + ": " + c);
            }
            assertFalse(Files.exists(run.resolve("model.zip")));

            // room again: the run resumes from the last good checkpoint to exactly the run that never failed
            FaultInjection.checkpointSink = null;
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            Trainer.run(options(data, run).resume(true).build(), new PrintStream(log, true, StandardCharsets.UTF_8));
            assertTrue(log.toString(StandardCharsets.UTF_8).contains("resuming from " + ckpt.resolve("ckpt-6.zip")), what);
            assertSameRun(straight, run);
        }

        // through the command line: one line, exit code 2
        FaultInjection.checkpointSink = fullWhile("ckpt-3.zip.tmp", 50);
        StringWriter err = new StringWriter();
        CommandLine cl = G2GCli.commandLine();
        cl.setErr(new PrintWriter(err, true));
        PrintStream stdout = System.out;
        int rc;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream()));
            rc = cl.execute("train", "--width", "16", "--layers", "2", "--groups", "4", "--epochs", "1", "--batch", "32",
                    "--data-dir", data.toString(), "--out", dir.resolve("cli").toString(), "--no-progress",
                    "--checkpoint-every", "3");
        } finally {
            System.setOut(stdout);
        }
        assertEquals(2, rc, err.toString());
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().contains("No space left on device") && err.toString().contains("(no checkpoint was "
                + "written)"), err.toString());
    }

    @Test
    void aRealFullDiskOnASmallTmpfs() throws Exception {
        assumeTrue(!"false".equals(System.getProperty("g2g.tmpfs")), "-Dg2g.tmpfs=false");
        Path mount = Files.createDirectories(dir.resolve("small-disk"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mount.toString()) == 0,
                "cannot mount a tmpfs here (needs root and the right to mount)");
        try {
            Path data = IdxFiles.fashionMnistDir(dir, 600, 100, true);
            Path straight = dir.resolve("straight");
            Trainer.run(options(data, straight).build(), new PrintStream(new ByteArrayOutputStream()));
            long size = Files.size(straight.resolve("checkpoints/ckpt-18.zip"));
            // fill the disk, leaving room for two and a half checkpoints
            Path filler = mount.resolve("filler");
            long free = Files.getFileStore(mount).getUsableSpace();
            Files.write(filler, new byte[(int) Math.max(0, free - size * 5 / 2)]);
            Path run = mount.resolve("run");
            Trainer.TrainingFailedException e = assertThrows(Trainer.TrainingFailedException.class,
                    () -> Trainer.run(options(data, run).build(), new PrintStream(new ByteArrayOutputStream())));
            assertTrue(e.getMessage().contains("No space left on device") && e.getMessage().contains("training stopped"),
                    e.getMessage());
            Path ckpt = run.resolve("checkpoints");
            List<String> left = listing(ckpt);
            assertTrue(left.stream().noneMatch(n -> n.endsWith(".tmp")), "half-written files: " + left);
            int intact = 0;
            for (String n : left) {
                if (n.endsWith(".zip")) {
                    assertNull(Checkpoints.verify(ckpt.resolve(n)), n + " of " + left);
                    intact++;
                }
            }
            assertTrue(intact >= 1, "the checkpoints that fitted are kept: " + left);
            System.out.printf(Locale.ROOT, "tmpfs full after %s: %s%n", left, e.getMessage());

            Files.delete(filler);
            Trainer.run(options(data, run).resume(true).build(), new PrintStream(new ByteArrayOutputStream()));
            assertSameRun(straight, run);
        } finally {
            assertEquals(0, run("umount", mount.toString()), "umount " + mount);
        }
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
