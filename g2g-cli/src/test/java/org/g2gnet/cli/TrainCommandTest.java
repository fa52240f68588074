package org.g2gnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.g2gnet.G2GTestBase;
import org.g2gnet.data.IdxFiles;
import org.g2gnet.cli.train.DatasetLoader;
import org.g2gnet.cli.train.DstSpec;
import org.g2gnet.cli.train.EpochMetrics;
import org.g2gnet.cli.train.GroupingChoice;
import org.g2gnet.cli.train.ModelKind;
import org.g2gnet.cli.train.TrainOptions;
import org.g2gnet.cli.train.TrainResult;
import org.g2gnet.cli.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

class TrainCommandTest extends G2GTestBase {

    static TrainOptions.Builder tiny(Path data, Path out) {
        return TrainOptions.builder().width(24).layers(2).groups(4).epochs(2).batch(32).trainLimit(256)
                .dataDir(data).out(out).progress(false).lr(3e-3);
    }


    @Test
    void trainWritesMetricsCsvAndLearns(@TempDir Path dir) throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 400, 100, true);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainResult r = Trainer.run(tiny(data, dir.resolve("run")).grouping(GroupingChoice.MIXER)
                .dst(DstSpec.parse("hebbian:hebbian")).rewireEvery(5).build(), Logs.into(log));
        List<String> lines = Files.readAllLines(dir.resolve("run/metrics.csv"));
        assertEquals(EpochMetrics.CSV_HEADER, lines.get(0));
        assertTrue(lines.get(0).startsWith("epoch,train_loss,test_loss,test_accuracy,seconds"));
        assertEquals(3, lines.size());
        EpochMetrics last = EpochMetrics.parse(lines.get(2));
        assertEquals(2, last.epoch());
        assertTrue(last.testAccuracy() >= 0 && last.testAccuracy() <= 1);
        // the generated images encode their label in the pixels: easy to learn
        assertTrue(r.finalAccuracy() > 0.5, "accuracy " + r.finalAccuracy());
        assertEquals(16, last.iterations());
        assertTrue(Files.exists(dir.resolve("run/model.zip")));
        List<String> events = Files.readAllLines(dir.resolve("run/events.csv"));
        assertEquals(1 + 3 * 2, events.size(), "3 events (after steps 5, 10, 15) x 2 layers");
        String out = log.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("epoch 2/2") && out.contains("rewiring layer layer0 at iteration 4"), out);
        double density = r.sparsity().layers().get(0).density();
        for (var e : r.events()) {
            if (e.layerIndex() == 0) {
                assertEquals(density, e.density(), 1e-12);
            }
        }
    }

    @Test
    void denseAndErModelsHaveTheExpectedSparsity(@TempDir Path dir) throws Exception {
        IdxFiles.fashionMnist(dir, 100, 50, false);
        TrainResult dense = Trainer.run(tiny(dir, null).model(ModelKind.DENSE).epochs(1).build(),
                Logs.discard());
        assertEquals(1.0, dense.sparsity().density(), 0);
        assertEquals(784 * 24 + 24 + 24 * 24 + 24 + 24 * 10 + 10, dense.sparsity().activeParams());
        TrainResult er = Trainer.run(tiny(dir, null).model(ModelKind.ER).density(0.3).epochs(1).build(),
                Logs.discard());
        assertEquals(0.3, er.sparsity().layers().get(0).density(), 1e-3);
        assertEquals(0.3, er.sparsity().layers().get(1).density(), 1e-3);
    }

    @Test
    void missingDataNamesTheDirectoryAndTheFix(@TempDir Path dir) {
        DatasetLoader.MissingDataException e = assertThrows(DatasetLoader.MissingDataException.class,
                () -> Trainer.run(tiny(dir.resolve("none"), null).build(), Logs.discard()));
        assertTrue(e.getMessage().contains(dir.resolve("none").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("--data-dir") && e.getMessage().contains("dataset-fashion-mnist"));
    }

    @Test
    void badOptionsGiveClearErrorsAndExitCode2() {
        for (String[] args : new String[][] {
                {"train", "--model", "cnn"},
                {"train", "--grouping", "diagonal"},
                {"train", "--p-inter", "1.5"},
                {"train", "--density", "0"},
                {"train", "--dst", "hebbian"},
                {"train", "--dst", "hebbian:weird"},
                {"train", "--model", "dense", "--dst", "magnitude:random"},
                {"train", "--rewire-fraction", "2", "--dst", "random:random"},
                {"train", "--epochs", "0"},
                {"train", "--engine", "gpu"},
                {"train", "--master", "local[2]"},
                {"train", "--engine", "spark", "--averaging-frequency", "0"},
                {"train", "--engine", "spark"}}) {
            StringWriter err = new StringWriter();
            CommandLine cl = G2GCli.commandLine();
            cl.setErr(new PrintWriter(err));
            cl.getSubcommands().get("train").setErr(new PrintWriter(err));
            int rc = cl.execute(args);
            assertEquals(2, rc, String.join(" ", args));
            String msg = err.toString();
            assertTrue(msg.contains("error:"), String.join(" ", args) + " -> " + msg);
        }
    }

    /** The faults the tests inject come from the test class path (a TrainingHook), not from options of the app. */
    @Test
    void theShippedCommandLineHasNoFaultInjection() {
        for (String option : new String[] {"--inject-nan-at", "--iteration-delay-ms"}) {
            StringWriter err = new StringWriter();
            CommandLine cl = G2GCli.commandLine();
            cl.setErr(new PrintWriter(err));
            cl.getSubcommands().get("train").setErr(new PrintWriter(err));
            assertEquals(2, cl.execute("train", option, "3"), option);
            assertTrue(err.toString().contains("Unknown option") && err.toString().contains(option), err.toString());
        }
    }

    /** Without the g2g-spark module on the classpath, --engine spark says what to do. */
    @Test
    void sparkEngineWithoutTheModuleSaysWhatToDo() {
        StringWriter err = new StringWriter();
        CommandLine cl = G2GCli.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.getSubcommands().get("train").setErr(new PrintWriter(err, true));
        assertEquals(2, cl.execute("train", "--engine", "spark", "--epochs", "1"));
        assertTrue(err.toString().contains("--engine spark needs the g2g-spark module"), err.toString());
    }

    @Test
    void helpListsTheOptions() {
        StringWriter out = new StringWriter();
        CommandLine cl = G2GCli.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.getSubcommands().get("train").setOut(new PrintWriter(out));
        assertEquals(0, cl.execute("train", "--help"));
        for (String opt : new String[] {"--model", "--width", "--layers", "--groups", "--p-intra", "--p-inter",
                "--density", "--grouping", "--epochs", "--batch", "--lr", "--weight-decay", "--seed", "--dataset",
                "--data-dir", "--train-limit", "--out", "--dst", "--rewire-every", "--rewire-fraction",
                "--rewire-schedule", "--rewire-stop"}) {
            assertTrue(out.toString().contains(opt), opt + " in " + out);
        }
    }

    @Test
    void logsEveryNIterationsAndWritesDl4jsEvaluation(@TempDir Path dir) throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 400, 100, true);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Trainer.run(tiny(data, dir.resolve("run")).epochs(1).logEvery(3).build(), Logs.into(log));
        String out = log.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("iteration 3 (epoch 1): score ") && out.contains("iteration 6 (epoch 1)")
                && out.contains("examples/s"), out);
        assertTrue(!out.contains("iteration 4 (epoch 1)"), out);
        String eval = Files.readString(dir.resolve("run/evaluation.txt"));
        assertTrue(eval.contains("Accuracy:") && eval.contains("Confusion Matrix") && eval.contains("Ankle boot")
                && eval.contains("Precision"), eval);

        // off a terminal the default logs every 50 iterations; --log-every 0 turns it off
        assertEquals(System.console() == null ? 50 : 0, TrainOptions.defaults().display().effectiveLogEvery());
        assertEquals(0, TrainOptions.builder().logEvery(0).build().display().effectiveLogEvery());
        assertThrows(IllegalArgumentException.class, () -> TrainOptions.builder().logEvery(-2).build());
    }
}
