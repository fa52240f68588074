package org.g2gnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.g2gnet.G2GTestBase;
import org.g2gnet.cli.compare.CompareModel;
import org.g2gnet.cli.compare.CompareOptions;
import org.g2gnet.cli.compare.Reports;
import org.g2gnet.cli.train.Arch;
import org.g2gnet.cli.train.CnnFactory;
import org.g2gnet.cli.train.DstSpec;
import org.g2gnet.cli.train.EpochMetrics;
import org.g2gnet.cli.train.FaultInjection;
import org.g2gnet.cli.train.ModelKind;
import org.g2gnet.cli.train.TrainOptions;
import org.g2gnet.cli.train.TrainResult;
import org.g2gnet.cli.train.Trainer;
import org.g2gnet.data.IdxFiles;
import org.g2gnet.layers.G2GConvolutionLayerImpl;
import org.g2gnet.rewiring.RewiringListener;
import org.g2gnet.schedule.RewiringSchedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** {@code ./g2g train --arch cnn} and {@code ./g2g compare --arch cnn} on small generated Fashion-MNIST files. */
class CnnCommandTest extends G2GTestBase {

    /** A tiny CNN: 8 then 16 channels (G = 4 on the second convolution), 256 images, batch 32. */
    private static TrainOptions.Builder tiny(Path data, Path out) {
        return TrainOptions.builder().arch(Arch.CNN).channels(List.of(8, 16)).groups(4).epochs(2).batch(32)
                .trainLimit(256).dataDir(data).out(out).progress(false).lr(3e-3);
    }

    private static int execute(StringWriter err, String... args) {
        CommandLine cl = G2GCli.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.getSubcommands().values().forEach(c -> c.setErr(new PrintWriter(err, true)));
        return cl.execute(args);
    }

    @Test
    void trainCnnG2GWritesMetricsLearnsAndCountsKernels(@TempDir Path dir) throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 300, 100, true);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainResult r = Trainer.run(tiny(data, dir.resolve("run")).model(ModelKind.G2G).build(), Logs.into(log));
        List<String> lines = Files.readAllLines(dir.resolve("run/metrics.csv"));
        assertEquals(EpochMetrics.CSV_HEADER, lines.get(0));
        assertEquals(3, lines.size());
        assertTrue(r.finalAccuracy() > 0.5, "the generated images encode their label: accuracy " + r.finalAccuracy());
        String printed = log.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("model cnn-g2g mixer, 4 groups") && printed.contains("784-conv8-conv16-10"), printed);

        // layers: conv (dense, first), pool, G2G conv, pool, output; the report counts kernels
        var report = r.sparsity();
        assertEquals(3, report.layers().size(), report.toString());
        assertEquals("ConvolutionLayer", report.layers().get(0).type());
        assertEquals(8 * 9, report.layers().get(0).totalConnections());
        var g2g = report.layers().get(1);
        assertEquals("G2GConvolutionLayer", g2g.type());
        assertEquals(8 * 16 * 9, g2g.totalConnections());
        assertEquals(0, g2g.activeConnections() % 9);
        assertTrue(g2g.density() > 0.2 && g2g.density() < 0.4, report.toString());
        assertEquals(g2g.activeConnections() + 16, g2g.activeParams());

        // the saved model holds the mask, and the masked kernels are exactly 0 after training
        MultiLayerNetwork saved = ModelSerializer.restoreMultiLayerNetwork(dir.resolve("run/model.zip").toFile());
        var layer = (G2GConvolutionLayerImpl) saved.getLayer(2);
        assertEquals(g2g.activeConnections() / 9, Math.round(layer.mask().sumNumber().doubleValue()));
        var off = layer.mask().rsub(1).reshape(16, 8, 1, 1).broadcast(16, 8, 3, 3);
        assertEquals(0.0, layer.weights().mul(off).amaxNumber().doubleValue(), 0);
        // the mask plot's data: the G2G convolution's channel pairs, before and after
        assertNotNull(r.maskBefore());
        assertEquals(8, r.maskBefore().nIn());
        assertEquals(16, r.maskAfter().nOut());
    }

    @Test
    void erAndG2GCnnsHaveTheSameDensityAndADenseFirstConvolution(@TempDir Path dir) throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 100, 50, false);
        TrainOptions g2gOptions = tiny(data, null).model(ModelKind.G2G).channels(List.of(8, 32, 32)).epochs(1).build();
        TrainResult g2g = Trainer.run(g2gOptions, Logs.discard());
        TrainResult er = Trainer.run(tiny(data, null).model(ModelKind.ER).channels(List.of(8, 32, 32)).epochs(1).build(),
                Logs.discard());
        TrainResult dense = Trainer.run(tiny(data, null).model(ModelKind.DENSE).channels(List.of(8, 32, 32)).epochs(1)
                .build(), Logs.discard());
        assertEquals(1.0, dense.sparsity().density(), 0);
        for (TrainResult r : List.of(g2g, er)) {
            assertEquals(1.0, r.sparsity().layers().get(0).density(), 0, "the first convolution stays dense");
        }
        for (int l = 1; l <= 2; l++) {
            assertEquals(g2gOptions.model().effectiveDensity(), er.sparsity().layers().get(l).density(), 0.01);
            assertEquals(g2g.sparsity().layers().get(l).density(), er.sparsity().layers().get(l).density(), 0.02);
            assertEquals(er.sparsity().layers().get(l).totalConnections(),
                    dense.sparsity().layers().get(l).totalConnections());
        }
        assertTrue(g2g.sparsity().activeParams() < 0.6 * dense.sparsity().activeParams());
    }

    /** A CNN run stopped by a NaN after a checkpoint resumes to the same run as one never stopped (bit for bit). */
    @Test
    void interruptedCnnRunResumesBitForBit(@TempDir Path dir) throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 256, 64, false);
        Path straight = dir.resolve("straight");
        Trainer.run(tiny(data, straight).model(ModelKind.G2G).checkpointEvery(5).build(), Logs.discard());
        Path stopped = dir.resolve("stopped");
        // 8 iterations per epoch: a NaN after step 12 stops the run in epoch 2, the checkpoint of step 10 stays
        assertThrows(Trainer.TrainingFailedException.class, () -> FaultInjection.with(0, 12,
                () -> Trainer.run(tiny(data, stopped).model(ModelKind.G2G).checkpointEvery(5).build(), Logs.discard())));
        Trainer.run(tiny(data, stopped).model(ModelKind.G2G).checkpointEvery(5).resume(true).build(), Logs.discard());
        MultiLayerNetwork a = ModelSerializer.restoreMultiLayerNetwork(straight.resolve("model.zip").toFile(), true);
        MultiLayerNetwork b = ModelSerializer.restoreMultiLayerNetwork(stopped.resolve("model.zip").toFile(), true);
        assertEquals(a.params(), b.params(), "parameters and masks");
        assertEquals(a.getUpdater().getStateViewArray(), b.getUpdater().getStateViewArray());
        List<String> la = Files.readAllLines(straight.resolve("metrics.csv"));
        List<String> lb = Files.readAllLines(stopped.resolve("metrics.csv"));
        assertEquals(la.size(), lb.size());
        for (int i = 0; i < la.size(); i++) {
            String[] fa = la.get(i).split(",");
            String[] fb = lb.get(i).split(",");
            assertEquals(fa[3], fb[3], "test accuracy, line " + i);
            assertEquals(fa[1], fb[1], "training loss, line " + i);
        }
    }

    /**
     * A CNN run rewired with a Hebbian average in progress at the checkpoint, stopped by a NaN, resumes from the
     * checkpoint to the same run as one never stopped: parameters, masks, Adam state, metrics, events and probes.
     */
    @Test
    void interruptedRewiredCnnRunResumesBitForBit(@TempDir Path dir) throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 256, 64, false);
        // 8 steps per epoch, events after steps 3, 6, 9, 12 and 15, each averaging 3 batches
        java.util.function.Function<Path, TrainOptions.Builder> options = out -> tiny(data, out).model(ModelKind.G2G)
                .dst(DstSpec.parse("hebbian-magnitude:gradient")).rewireEvery(3).hebbianAverage(0.8, 3)
                .checkpointEvery(5);
        Path straight = dir.resolve("straight");
        TrainResult r = Trainer.run(options.apply(straight).build(), Logs.discard());
        assertEquals(5, r.events().size(), "5 events of the one G2G convolution");
        Path stopped = dir.resolve("stopped");
        // a NaN after step 12 stops the run in epoch 2; the checkpoint after step 10 holds a Hebbian average of one of
        // the three batches before the event after step 12
        assertThrows(Trainer.TrainingFailedException.class,
                () -> FaultInjection.with(0, 12, () -> Trainer.run(options.apply(stopped).build(), Logs.discard())));
        Trainer.run(options.apply(stopped).resume(true).build(), Logs.discard());
        MultiLayerNetwork a = ModelSerializer.restoreMultiLayerNetwork(straight.resolve("model.zip").toFile(), true);
        MultiLayerNetwork b = ModelSerializer.restoreMultiLayerNetwork(stopped.resolve("model.zip").toFile(), true);
        assertEquals(a.params(), b.params(), "parameters and masks");
        assertEquals(a.getUpdater().getStateViewArray(), b.getUpdater().getStateViewArray());
        assertEquals(ResumeTest.metricsWithoutSeconds(straight), ResumeTest.metricsWithoutSeconds(stopped));
        assertEquals(Files.readAllLines(straight.resolve("events.csv")), Files.readAllLines(stopped.resolve("events.csv")));
        assertEquals(Files.readAllLines(straight.resolve("probes.csv")), Files.readAllLines(stopped.resolve("probes.csv")));
        MultiLayerNetwork initial = new MultiLayerNetwork(a.getLayerWiseConfigurations().clone());
        initial.init();
        assertFalse(initial.getLayer(2).getParam("M").equals(a.getLayer(2).getParam("M")), "the mask was rewired");
    }

    @Test
    void trainCommandRunsACnnWithAndWithoutRewiring(@TempDir Path dir) throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 64, 32, false);
        StringWriter err = new StringWriter();
        assertEquals(0, execute(err, "train", "--arch", "cnn", "--model", "er", "--channels", "4,8", "--epochs", "1",
                "--batch", "32", "--train-limit", "64", "--data-dir", data.toString(), "--out",
                dir.resolve("run").toString(), "--no-progress"), err.toString());
        assertTrue(Files.exists(dir.resolve("run/metrics.csv")));

        // the default rule's criteria, after every step but the last of the 4 (its new kernels would not be trained)
        StringWriter err2 = new StringWriter();
        assertEquals(0, execute(err2, "train", "--arch", "cnn", "--dst", "magnitude:hebbian", "--channels", "4,8",
                "--groups", "2", "--epochs", "2", "--batch", "32", "--train-limit", "64", "--rewire-every", "1",
                "--data-dir", data.toString(), "--out", dir.resolve("dst").toString(), "--no-progress"),
                err2.toString());
        List<String> events = Files.readAllLines(dir.resolve("dst/events.csv"));
        assertEquals(1 + 3, events.size(), "3 events of the one G2G convolution: " + events);
        for (String row : events.subList(1, events.size())) {
            String[] f = row.split(",");
            assertTrue(Integer.parseInt(f[3]) > 0 && f[3].equals(f[4]), "pruned = grown channel pairs > 0: " + row);
        }
        MultiLayerNetwork saved = ModelSerializer.restoreMultiLayerNetwork(dir.resolve("dst/model.zip").toFile());
        var layer = (G2GConvolutionLayerImpl) saved.getLayer(2);
        var off = layer.mask().rsub(1).reshape(8, 4, 1, 1).broadcast(8, 4, 3, 3);
        assertEquals(0.0, layer.weights().mul(off).amaxNumber().doubleValue(), 0, "masked kernels are 0");

        StringWriter err3 = new StringWriter();
        assertEquals(2, execute(err3, "train", "--arch", "cnn", "--channels", "32,4,64", "--data-dir", data.toString()));
        assertTrue(err3.toString().contains("--groups must be at most the channels of every G2G convolution (4"),
                err3.toString());
        StringWriter err4 = new StringWriter();
        assertEquals(2, execute(err4, "train", "--arch", "rnn"));
        assertTrue(err4.toString().contains("--arch 'rnn'") && err4.toString().contains("mlp or cnn"), err4.toString());
        StringWriter err5 = new StringWriter();
        assertEquals(2, execute(err5, "train", "--arch", "cnn", "--model", "dense", "--dst", "magnitude:hebbian",
                "--data-dir", data.toString()));
        assertTrue(err5.toString().contains("--dst needs a sparse model"), err5.toString());
    }

    @Test
    void compareCnnTrainsTheFourModelsAndReportsAgainstCnnDense(@TempDir Path dir) throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 256, 100, true);
        Path out = dir.resolve("out");
        StringWriter err = new StringWriter();
        // one step per epoch (batch 256): cnn-g2g-dst rewires after step 1 of 2 (the default rule stops at 75%)
        assertEquals(0, execute(err, "compare", "--arch", "cnn", "--channels", "8,16", "--epochs", "2",
                "--train-limit", "256", "--rewire-every", "1", "--data-dir", data.toString(), "--out", out.toString()),
                err.toString());
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(Reports.RESULTS_HEADER, csv.get(0));
        assertEquals(List.of("cnn-dense", "cnn-g2g", "cnn-g2g-dst", "cnn-er"), csv.subList(1, csv.size()).stream()
                .map(l -> l.split(",")[0]).distinct().toList());
        String summary = Files.readString(out.resolve("summary.md"));
        for (String model : List.of("cnn-dense", "cnn-g2g", "cnn-g2g-dst", "cnn-er")) {
            assertTrue(summary.contains("| " + model + " |"), summary);
        }
        assertTrue(summary.contains("cnn-g2g against each model"), summary);
        String g2gRow = summary.lines().filter(l -> l.startsWith("| cnn-g2g |")).findFirst().orElseThrow();
        assertTrue(g2gRow.split("\\|")[4].trim().matches("[+-]\\d\\.\\d{4}"), "compared with cnn-dense: " + g2gRow);
        assertNotNull(ImageIO.read(out.resolve("mask.png").toFile()));
        assertNotNull(ImageIO.read(out.resolve("accuracy.png").toFile()));
        assertTrue(Files.exists(out.resolve("runs/cnn-g2g-s1/done")));
        List<String> events = Files.readAllLines(out.resolve("runs/cnn-g2g-dst-s1/events.csv"));
        assertEquals(1 + 1, events.size(), "one event of the one G2G convolution: " + events);
        Path staticEvents = out.resolve("runs/cnn-g2g-s1/events.csv");
        assertTrue(!Files.exists(staticEvents) || Files.readAllLines(staticEvents).size() == 1, "cnn-g2g is static");
    }

    @Test
    void cnnG2GDstIsTheG2GCnnWithTheDefaultRule() {
        TrainOptions quick = CompareOptions.Preset.QUICK.protocol("fashion-mnist", Arch.CNN).build();
        TrainOptions o = CompareModel.CNN_G2G_DST.options(quick, null, 0, 1);
        assertEquals(Arch.CNN, o.model().arch());
        assertEquals(ModelKind.G2G, o.model().kind());
        assertEquals("magnitude:hebbian", o.rewiring().dst().toString());
        assertEquals(org.g2gnet.schedule.RewiringSchedule.Decay.COSINE, o.rewiring().decay());
        assertEquals(0.75, o.rewiring().stopFraction());
        assertEquals(CompareOptions.Preset.CNN_QUICK_REWIRE_EVERY, o.rewiring().every());
        assertEquals(CompareOptions.Preset.CNN_FULL_REWIRE_EVERY,
                CompareModel.CNN_G2G_DST.options(CompareOptions.Preset.FULL.protocol("fashion-mnist", Arch.CNN).build(),
                        null, 0, 1).rewiring().every());
        // --dst overrides the criteria; the static G2G CNN has none
        assertEquals("hebbian:gradient", CompareModel.CNN_G2G_DST.options(quick, DstSpec.parse("hebbian:gradient"), 0,
                1).rewiring().dst().toString());
        assertNull(CompareModel.CNN_G2G.options(quick, DstSpec.parse("hebbian:gradient"), 0, 1).rewiring().dst());
        // three events before the rule stops at 75% of training, in both presets (120 and 705 steps)
        for (int[] stepsAndPeriod : new int[][] {{120, CompareOptions.Preset.CNN_QUICK_REWIRE_EVERY},
                {705, CompareOptions.Preset.CNN_FULL_REWIRE_EVERY}}) {
            RewiringListener r = o.toBuilder().rewireEvery(stepsAndPeriod[1]).build().rewiring()
                    .listener(o.protocol().seed(), stepsAndPeriod[0]);
            long events = java.util.stream.IntStream.range(0, stepsAndPeriod[0])
                    .filter(i -> r.schedule().isEventIteration(i)).count();
            assertEquals(3, events, "steps " + stepsAndPeriod[0]);
        }
    }

    @Test
    void cnnPresetsAndModelListsAndFingerprints() {
        assertEquals(CompareModel.CNN_DEFAULTS, CompareModel.parseList("default", Arch.CNN));
        assertEquals(List.of(CompareModel.CNN_DENSE, CompareModel.CNN_G2G, CompareModel.CNN_G2G_DST, CompareModel.CNN_ER),
                CompareModel.parseList("all", Arch.CNN));
        assertEquals(CompareModel.DEFAULTS, CompareModel.parseList("default"));
        TrainOptions quick = CompareOptions.Preset.QUICK.protocol("fashion-mnist", Arch.CNN).build();
        assertEquals(Arch.CNN, quick.model().arch());
        assertEquals(CompareOptions.Preset.CNN_QUICK_EPOCHS, quick.protocol().epochs());
        assertEquals(CompareOptions.Preset.CNN_QUICK_TRAIN_LIMIT, quick.protocol().trainLimit());
        TrainOptions full = CompareOptions.Preset.FULL.protocol("fashion-mnist", Arch.CNN).build();
        assertEquals(0, full.protocol().trainLimit());
        assertEquals(CompareOptions.Preset.CNN_FULL_EPOCHS, full.protocol().epochs());
        // the MLP models stay MLPs in a CNN comparison, and the reverse
        assertEquals(Arch.MLP, CompareModel.DENSE.options(quick, null, 10, 1).model().arch());
        assertEquals(Arch.CNN, CompareModel.CNN_DENSE.options(TrainOptions.defaults(), null, 10, 1).model().arch());
        // CNN runs are told apart from MLP runs; MLP fingerprints are those of runs finished before --arch existed
        assertTrue(quick.fingerprint().contains(" arch=cnn channels=" + CnnFactory.channelsName(CnnFactory.DEFAULT_CHANNELS)));
        assertFalse(TrainOptions.defaults().fingerprint().contains("arch"));
        assertEquals("32-64-128", CnnFactory.channelsName(CnnFactory.DEFAULT_CHANNELS));
    }
}
