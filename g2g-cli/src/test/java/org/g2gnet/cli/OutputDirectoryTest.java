package org.g2gnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.g2gnet.G2GTestBase;
import org.g2gnet.data.IdxFiles;
import org.g2gnet.cli.compare.CompareModel;
import org.g2gnet.cli.compare.CompareOptions;
import org.g2gnet.cli.compare.Comparison;
import org.g2gnet.cli.train.TrainOptions;
import org.g2gnet.cli.train.Trainer;
import org.g2gnet.cli.train.FaultInjection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/** The output directory: one run at a time (a lock), and a bad --out found before anything else. */
class OutputDirectoryTest extends G2GTestBase {
    @TempDir
    Path dir;

    private static List<String> tinyTrain(Path data, Path out) {
        return List.of("train", "--width", "8", "--layers", "2", "--groups", "4", "--epochs", "3", "--batch", "32",
                "--data-dir", data.toString(), "--out", out.toString(), "--no-progress", "--checkpoint-every", "3");
    }

    private static TrainOptions.Builder tinyOptions(Path data, Path out) {
        return TrainOptions.builder().width(8).layers(2).groups(4).epochs(3).batch(32).dataDir(data).out(out)
                .progress(false).checkpointEvery(3);
    }

    /** Runs the command line in this JVM; returns {exit code, stderr}. */
    static Object[] execute(List<String> args) {
        return CliRun.execute(args.toArray(String[]::new));
    }

    @Test
    void aSecondRunIntoTheSameDirectoryStopsAtOnceAndAKilledRunsLockIsTakenOver() throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 600, 100, true);
        Path out = dir.resolve("run");
        Path log = dir.resolve("child.log");
        List<String> args = new java.util.ArrayList<>(tinyTrain(data, out));
        Process child = ChildJvm.start(log, FaultInjection.jvmArgs(200, -1), args);
        try {
            Path checkpoint = out.resolve("checkpoints/ckpt-3.zip.sha256");
            assertTrue(ChildJvm.awaitFile(child, checkpoint, 120), "no checkpoint: " + Files.readString(log));

            List<String> second = new java.util.ArrayList<>(tinyTrain(data, out));
            second.addAll(List.of("--seed", "2"));
            long t0 = System.nanoTime();
            Object[] r = execute(second);
            double seconds = (System.nanoTime() - t0) / 1e9;
            String err = (String) r[1];
            assertEquals(2, r[0], err);
            assertTrue(err.contains("error:") && err.contains(out.toString()) && err.contains("pid " + child.pid()),
                    "the error names the directory and the running process: " + err);
            assertTrue(seconds < 10, "stopped at once, not after loading data: " + seconds + " s");
            assertTrue(child.isAlive(), "the first run goes on");
            assertTrue(Files.exists(checkpoint), "the first run's checkpoints are untouched");
            assertFalse(Files.exists(out.resolve("model.zip")));
        } finally {
            ChildJvm.kill(child);
        }

        // the killed run left its lock behind: the next run takes it over, saying so, and resumes
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Trainer.run(tinyOptions(data, out).resume(true).build(), Logs.into(printed));
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("stale lock") && text.contains("pid " + child.pid()), text);
        assertTrue(text.contains("resuming from"), text);
        assertTrue(Files.exists(out.resolve("model.zip")));
    }

    @Test
    void compareRefusesADirectoryInUseAndSoDoesEachOfItsRuns() throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 300, 100, true);
        Path out = dir.resolve("cmp");
        TrainOptions slow = TrainOptions.builder().width(8).layers(2).groups(4).epochs(2).batch(32).dataDir(data)
                .progress(false).checkpointEvery(0).build();
        // 100 ms after every step, so that the runs are still going when the second command starts
        FaultInjection.with(100, -1, () -> {
            refusals(out, slow);
            return null;
        });
    }

    private void refusals(Path out, TrainOptions slow) throws Exception {
        CompareOptions o = new CompareOptions(CompareModel.parseList("dense"), 1, slow, null, out);

        // two comparisons into one directory
        CompletableFuture<Comparison.Result> first = CompletableFuture.supplyAsync(
                () -> Comparison.run(o, Logs.discard()));
        assertTrue(awaitDirectory(out.resolve("runs/dense-s1"), first), "the first comparison did not start");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Comparison.run(o, Logs.discard()));
        assertTrue(e.getMessage().contains(out.toString()) && e.getMessage().contains("pid " + ProcessHandle.current().pid()),
                e.getMessage());
        assertEquals(1, first.get(120, TimeUnit.SECONDS).runs().size());

        // a train run in one of the comparison's run directories
        Path other = dir.resolve("cmp2");
        Path runDir = other.resolve("runs/dense-s1");
        CompletableFuture<?> train = CompletableFuture.runAsync(() -> Trainer.run(
                slow.toBuilder().model(org.g2gnet.cli.train.ModelKind.DENSE).out(runDir).build(), Logs.discard()));
        assertTrue(awaitDirectory(runDir, train), "the train run did not start");
        CompareOptions o2 = new CompareOptions(CompareModel.parseList("dense"), 1, slow, null, other);
        IllegalStateException e2 = assertThrows(IllegalStateException.class, () -> Comparison.run(o2, Logs.discard()));
        assertTrue(e2.getMessage().contains(runDir.toString()), e2.getMessage());
        train.get(120, TimeUnit.SECONDS);
    }

    private static boolean awaitDirectory(Path d, CompletableFuture<?> running) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.isDirectory(d) && !running.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return Files.isDirectory(d);
    }

    @Test
    void anEmptyOutIsRefused() {
        for (String blank : new String[] {"", " "}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TrainOptions.builder().out(Path.of(blank)).build());
            assertTrue(e.getMessage().contains("--out"), e.getMessage());
            Object[] r = execute(List.of("train", "--out", blank, "--data-dir", dir.resolve("none").toString()));
            assertEquals(2, r[0]);
            assertTrue(((String) r[1]).contains("--out"), (String) r[1]);
            Object[] c = execute(List.of("compare", "--out", blank, "--data-dir", dir.resolve("none").toString()));
            assertEquals(2, c[0]);
            assertTrue(((String) c[1]).contains("--out"), (String) c[1]);
        }
    }

    @Test
    void anUnwritableOutIsFoundBeforeTheDataIsReadAndTheReasonIsGiven() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        for (Path out : new Path[] {file, file.resolve("sub")}) {
            // the data directory does not exist: the output directory must be checked first
            Object[] r = execute(List.of("train", "--out", out.toString(), "--data-dir", dir.resolve("none").toString()));
            String err = (String) r[1];
            assertEquals(2, r[0], err);
            assertTrue(err.contains("cannot write to the output directory " + out), err);
            assertTrue(err.toLowerCase(java.util.Locale.ROOT).contains("not a directory"), "the reason: " + err);
            assertFalse(err.contains("Fashion-MNIST"), err);
        }
    }
}
