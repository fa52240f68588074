package org.g2gnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.g2gnet.G2GTestBase;
import org.g2gnet.data.IdxFiles;
import org.g2gnet.cli.train.DstSpec;
import org.g2gnet.cli.train.TrainOptions;
import org.g2gnet.cli.train.Trainer;
import org.junit.jupiter.api.BeforeEach;
import org.g2gnet.cli.train.FaultInjection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints: kill and resume, corruption, incompatible options, NaN guard. */
class ResumeTest extends G2GTestBase {
    @TempDir
    Path dir;
    Path data;

    @BeforeEach
    void data() throws Exception {
        data = dir.resolve("data");
        Files.createDirectories(data);
        IdxFiles.fashionMnist(data, 600, 100, true);
    }

    /** 19 iterations per epoch, 3 epochs, rewiring every 5 steps with a Hebbian average in progress. */
    private TrainOptions.Builder options(Path out) {
        return TrainOptions.builder().width(32).layers(2).groups(4).epochs(3).batch(32).lr(3e-3).dataDir(data)
                .out(out).progress(false).dst(DstSpec.parse("hebbian:gradient")).rewireEvery(5).checkpointEvery(7)
                .keepCheckpoints(3);
    }


    /** metrics.csv without the timing column. */
    static List<String> metricsWithoutSeconds(Path run) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.csv"))) {
            String[] f = line.split(",");
            out.add(f[0] + "," + f[1] + "," + f[2] + "," + f[3] + "," + f[5]);
        }
        return out;
    }

    static MultiLayerNetwork model(Path run) throws Exception {
        return ModelSerializer.restoreMultiLayerNetwork(run.resolve("model.zip").toFile(), false);
    }

    static void assertSameRun(Path expected, Path actual) throws Exception {
        assertEquals(metricsWithoutSeconds(expected), metricsWithoutSeconds(actual));
        MultiLayerNetwork a = model(expected);
        MultiLayerNetwork b = model(actual);
        assertEquals(a.params(), b.params(), "parameters and masks");
        assertEquals(a.getLayer(1).getParam("M"), b.getLayer(1).getParam("M"));
        assertEquals(Files.readAllLines(expected.resolve("events.csv")), Files.readAllLines(actual.resolve("events.csv")));
        // the effect of every event on the test probe, including the events before the checkpoint
        assertEquals(Files.readAllLines(expected.resolve("probes.csv")), Files.readAllLines(actual.resolve("probes.csv")));
    }

    @Test
    void killedChildJvmResumesToTheSameRunBitForBit() throws Exception {
        Path straight = dir.resolve("straight");
        Trainer.run(options(straight).build(), Logs.discard());

        Path killed = dir.resolve("killed");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                FaultInjection.jvmArgs(150, -1).get(0), "-cp", System.getProperty("java.class.path"),
                "org.g2gnet.cli.G2GCli", "train",
                "--width", "32", "--layers", "2", "--groups", "4", "--epochs", "3", "--batch", "32", "--lr", "3e-3",
                "--data-dir", data.toString(), "--out", killed.toString(), "--no-progress",
                "--dst", "hebbian:gradient", "--rewire-every", "5", "--checkpoint-every", "7", "--keep-checkpoints", "3"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile());
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        Process child = pb.start();
        Path marker = killed.resolve("checkpoints/ckpt-21.zip.sha256");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(marker) && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(child.isAlive(), "the child finished or died before the checkpoint: "
                + Files.readString(dir.resolve("child.log")));
        assertTrue(Files.exists(marker), "no checkpoint after 120 s: " + Files.readString(dir.resolve("child.log")));
        child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no flushing
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertNotEquals(0, child.exitValue());
        assertFalse(Files.exists(killed.resolve("model.zip")), "the child must have been killed mid-run");

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Trainer.run(options(killed).resume(true).build(), Logs.into(log));
        String printed = log.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("resuming from") && printed.contains("epoch 2, batch"), printed);
        assertSameRun(straight, killed);
    }

    @Test
    void corruptedNewestCheckpointFallsBackToThePreviousOne() throws Exception {
        Path straight = dir.resolve("straight");
        Trainer.run(options(straight).build(), Logs.discard());
        Path run = dir.resolve("run");
        Trainer.run(options(run).epochs(3).build(), Logs.discard());
        // the run kept its last three checkpoints: 42, 49, 56; damage the newest two in two ways
        Path ck = run.resolve("checkpoints");
        assertEquals(List.of("ckpt-56.zip", "ckpt-49.zip", "ckpt-42.zip"),
                Files.list(ck).map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".zip")).sorted(
                        (x, y) -> y.length() != x.length() ? y.length() - x.length() : y.compareTo(x)).toList());
        try (RandomAccessFile f = new RandomAccessFile(ck.resolve("ckpt-56.zip").toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        Files.delete(ck.resolve("ckpt-49.zip.sha256"));
        Files.delete(run.resolve("model.zip"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Trainer.run(options(run).resume(true).build(), Logs.into(log));
        String printed = log.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("skipping checkpoint") && printed.contains("ckpt-56.zip")
                && printed.contains("checksum mismatch"), printed);
        assertTrue(printed.contains("ckpt-49.zip") && printed.contains("no checksum file"), printed);
        assertTrue(printed.contains("resuming from " + ck.resolve("ckpt-42.zip")), printed);
        assertSameRun(straight, run);
    }

    @Test
    void checkpointFromOtherOptionsIsRefused() throws Exception {
        Path run = dir.resolve("run");
        Trainer.run(options(run).epochs(1).build(), Logs.discard());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Trainer.run(options(run).epochs(1).lr(1e-2).resume(true).build(), Logs.discard()));
        assertTrue(e.getMessage().contains("was made with other options") && e.getMessage().contains("lr=0.003")
                && e.getMessage().contains("lr=0.01"), e.getMessage());
    }

    @Test
    void nonFiniteLossStopsWithIterationLayerAndLastCheckpoint() throws Exception {
        Path run = dir.resolve("nan");
        // checkpoints after steps 7 and 14; a weight of layer1 becomes NaN after step 16 (index 15)
        Trainer.TrainingFailedException e = assertThrows(Trainer.TrainingFailedException.class,
                () -> FaultInjection.with(0, 15, () -> Trainer.run(options(run).build(), Logs.discard())));
        assertTrue(e.getMessage().contains("non-finite training loss NaN at iteration 16")
                && e.getMessage().contains("layer 'layer1'"), e.getMessage());
        assertTrue(e.getMessage().contains("last good checkpoint is " + run.resolve("checkpoints/ckpt-14.zip")),
                e.getMessage());
        // the good checkpoint is intact and resumable
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Trainer.run(options(run).resume(true).build(), Logs.into(log));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("resuming from " + run.resolve("checkpoints/ckpt-14.zip")));

        // through the command line: a message and a non-zero exit code
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cl = G2GCli.commandLine();
        cl.setErr(new java.io.PrintWriter(err, true));
        int rc = FaultInjection.with(0, 3, () -> cl.execute("train", "--width", "32", "--layers", "2", "--groups", "4",
                "--epochs", "1", "--batch", "32", "--data-dir", data.toString(), "--out", dir.resolve("nan3").toString(),
                "--no-progress"));
        assertNotEquals(0, rc);
        assertTrue(err.toString().contains("non-finite training loss NaN at iteration 4"), err.toString());
        assertFalse(Files.exists(dir.resolve("nan3/model.zip")));
    }

    @Test
    void aResumedEpochReportsTheTimeOfTheWholeEpoch() throws Exception {
        Path run = dir.resolve("timed");
        // one epoch of 19 steps, each followed by a 100 ms sleep; checkpoints after steps 7 and 14
        TrainOptions.Builder b = options(run).epochs(1);
        FaultInjection.with(100, -1, () -> Trainer.run(b.build(), Logs.discard()));
        Files.delete(run.resolve("model.zip"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        FaultInjection.with(100, -1, () -> Trainer.run(b.resume(true).build(), Logs.into(log)));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("resuming from " + run.resolve("checkpoints/ckpt-14.zip")));
        double seconds = org.g2gnet.cli.train.EpochMetrics.parse(
                Files.readAllLines(run.resolve("metrics.csv")).get(1)).seconds();
        assertTrue(seconds >= 1.9, "epoch 1 took at least 19 x 100 ms, reported " + seconds + " s");
    }
}
