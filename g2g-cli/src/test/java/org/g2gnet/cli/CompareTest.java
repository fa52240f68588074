package org.g2gnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import javax.imageio.ImageIO;

import org.g2gnet.G2GTestBase;
import org.g2gnet.cli.compare.CompareModel;
import org.g2gnet.cli.compare.CompareOptions;
import org.g2gnet.cli.compare.Comparison;
import org.g2gnet.cli.compare.MatchedWidth;
import org.g2gnet.cli.compare.Reports;
import org.g2gnet.cli.train.DstSpec;
import org.g2gnet.cli.train.FaultInjection;
import org.g2gnet.cli.train.TrainOptions;
import org.g2gnet.data.IdxFiles;
import org.g2gnet.schedule.RewiringSchedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareTest extends G2GTestBase {

    private static CompareOptions tiny(Path data, Path out, String models) {
        TrainOptions base = TrainOptions.builder().width(24).layers(2).groups(4).epochs(1).batch(32).trainLimit(300)
                .dataDir(data).rewireEvery(3).progress(false).lr(3e-3).build();
        return new CompareOptions(CompareModel.parseList(models), 1, base, DstSpec.parse("hebbian:hebbian"), out);
    }


    @Test
    void tinyCompareWritesParsableFilesAndValidImagesThenReusesRuns(@TempDir Path dir) throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 300, 100, true);
        Path out = dir.resolve("out");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Comparison.Result r = Comparison.run(tiny(data, out, "dense,g2g-mixer-dst"), Logs.into(log));
        assertEquals(2, r.runs().size());
        assertEquals(0, r.reused());

        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(Reports.RESULTS_HEADER, csv.get(0));
        assertEquals(3, csv.size(), "a header and one row per model, seed and epoch");
        String[] dense = csv.get(1).split(",");
        assertEquals("dense", dense[0]);
        assertEquals("0.003", dense[1]);
        assertEquals("1", dense[2]);
        assertEquals("1", dense[3]);
        double acc = Double.parseDouble(dense[6]);
        assertTrue(acc >= 0 && acc <= 1);
        assertEquals("", dense[7], "no validation split: empty validation accuracy");
        assertEquals(1.0, Double.parseDouble(dense[10]), 0);
        String[] dst = csv.get(2).split(",");
        assertEquals("g2g-mixer-dst", dst[0]);
        assertTrue(Double.parseDouble(dst[10]) < 0.6, "G2G density");
        assertTrue(Long.parseLong(dst[9]) < Long.parseLong(dense[9]));

        String summary = Files.readString(out.resolve("summary.md"));
        assertTrue(summary.contains("| dense |") && summary.contains("| g2g-mixer-dst |"), summary);
        for (String png : new String[] {"accuracy.png", "dst.png", "mask.png", "events.png"}) {
            BufferedImage img = ImageIO.read(out.resolve(png).toFile());
            assertNotNull(img, png + " is not a readable image");
            assertTrue(img.getWidth() > 100 && img.getHeight() > 100, png);
        }
        String printed = log.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("ETA") && printed.contains("[2/2] g2g-mixer-dst seed 1"), printed);
        String filesLine = printed.lines().filter(l -> l.startsWith("files: ")).findFirst().orElseThrow();
        for (String name : new String[] {"results.csv", "summary.md", "accuracy.png", "dst.png", "mask.png",
                "events.png"}) {
            assertTrue(filesLine.contains(out.resolve(name).toString()), name + " named: " + filesLine);
        }

        // re-run: nothing is trained again, the files are rebuilt from the run directories
        FileTime before = Files.getLastModifiedTime(out.resolve("runs/dense-s1/metrics.csv"));
        ByteArrayOutputStream log2 = new ByteArrayOutputStream();
        Comparison.Result again = Comparison.run(tiny(data, out, "dense,g2g-mixer-dst"), Logs.into(log2));
        assertEquals(2, again.reused());
        assertEquals(before, Files.getLastModifiedTime(out.resolve("runs/dense-s1/metrics.csv")));
        assertEquals(csv, Files.readAllLines(out.resolve("results.csv")));
        assertTrue(log2.toString(StandardCharsets.UTF_8).contains("reusing 2 finished runs"));

        // other options (a forgotten --preset, say): the finished run is not overwritten; the refusal names it
        // and what differs, and nothing on disk changes
        CompareOptions changed = new CompareOptions(List.of(CompareModel.DENSE), 1,
                tiny(data, out, "dense").base().toBuilder().lr(1e-3).build(), null, out);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Comparison.run(changed, Logs.discard()));
        assertTrue(e.getMessage().contains("dense-s1") && e.getMessage().contains("lr=")
                && e.getMessage().contains("here 0.001") && e.getMessage().contains("nothing was changed"),
                e.getMessage());
        assertEquals(before, Files.getLastModifiedTime(out.resolve("runs/dense-s1/metrics.csv")));
        assertTrue(Files.isRegularFile(out.resolve("runs/dense-s1/model.zip")));
    }

    @Test
    void aDoneMarkerBesideATruncatedMetricsFileIsNotTakenForAFinishedRun(@TempDir Path dir) throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 100, 50, false);
        Path out = dir.resolve("out");
        Comparison.run(tiny(data, out, "dense"), Logs.discard());
        Path metrics = out.resolve("runs/dense-s1/metrics.csv");
        Files.writeString(metrics, Files.readAllLines(metrics).get(0) + "\n");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Comparison.run(tiny(data, out, "dense"), Logs.discard()));
        assertTrue(e.getMessage().contains(out.resolve("runs/dense-s1").toString())
                && e.getMessage().contains("holds 0 of the"), e.getMessage());
    }

    @Test
    void unfinishedRunIsTrainedAgain(@TempDir Path dir) throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 100, 50, false);
        Path out = dir.resolve("out");
        Files.createDirectories(out.resolve("runs/dense-s1"));
        Files.writeString(out.resolve("runs/dense-s1/metrics.csv"), "half written");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Comparison.Result r = Comparison.run(tiny(data, out, "dense"), Logs.into(log));
        assertEquals(0, r.reused());
        assertTrue(Files.readString(out.resolve("runs/dense-s1/metrics.csv")).startsWith("epoch,"));
        // dense alone: no rewiring and no mask to draw, so no dst, events or mask plot is written or named
        String filesLine = log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("files: "))
                .findFirst().orElseThrow();
        assertTrue(filesLine.contains("accuracy.png") && !filesLine.contains("dst.png")
                && !filesLine.contains("events.png") && !filesLine.contains("mask.png"), filesLine);
        assertFalse(Files.exists(out.resolve("dst.png")));
    }

    /** A comparison stopped mid-run resumes it, and the overall progress counts only the epochs left. */
    @Test
    void interruptedRunResumesAndProgressReachesAHundredPercent(@TempDir Path dir) throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 320, 50, false);
        Path out = dir.resolve("out");
        TrainOptions.Builder base = tiny(data, out, "dense").base().toBuilder().epochs(2).trainLimit(0)
                .checkpointEvery(12).out(out);
        // 10 iterations per epoch; a NaN after iteration 15 stops the run with a checkpoint at 12 (epoch 2)
        CompareOptions failing = new CompareOptions(List.of(CompareModel.DENSE), 1, base.build(), null, out);
        assertThrows(org.g2gnet.cli.train.Trainer.TrainingFailedException.class,
                () -> FaultInjection.with(0, 15, () -> Comparison.run(failing, Logs.discard())));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Comparison.run(new CompareOptions(List.of(CompareModel.DENSE), 1, base.resume(true).build(),
                null, out), Logs.into(log));
        String printed = log.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("resuming from") && printed.contains("ckpt-12"), printed);
        assertTrue(printed.contains("epoch 2/2 test accuracy") && printed.contains("overall 100%"), printed);
        assertTrue(Files.exists(out.resolve("runs/dense-s1/done")));
    }

    /** The command line, as the README runs it: {@code compare ... --resume} continues a killed comparison. */
    @Test
    void compareCommandAcceptsResume(@TempDir Path dir) throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 64, 32, false);
        Path out = dir.resolve("out");
        String[] args = {"compare", "--models", "dense", "--epochs", "1", "--train-limit", "64", "--data-dir",
            data.toString(), "--out", out.toString(), "--resume"};
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cl = G2GCli.commandLine();
        cl.setErr(new java.io.PrintWriter(err, true));
        cl.getSubcommands().get("compare").setErr(new java.io.PrintWriter(err, true));
        assertEquals(0, cl.execute(args), err.toString());
        assertTrue(Files.exists(out.resolve("runs/dense-s1/done")));
        assertTrue(Files.readString(out.resolve("summary.md")).contains("| dense |"));
    }

    @Test
    void matchedWidthSolvesTheParameterCount() {
        // dense 784-w-w-w-10 with w = 443 has 2 * 443^2 + 797 * 443 + 10 parameters
        long target = MatchedWidth.denseParams(784, 443, 3, 10);
        assertEquals(443, MatchedWidth.solve(target, 784, 3, 10));
        assertEquals(443, MatchedWidth.solve(target + 300, 784, 3, 10));
        assertEquals(100, MatchedWidth.solve(MatchedWidth.denseParams(50, 100, 1, 3), 50, 1, 3));
        // the paper network at d = 0.256: about 443-447 (docs/DESIGN.md section 3)
        TrainOptions g2g = TrainOptions.builder().build();
        int w = MatchedWidth.forG2G(g2g, 784, 10);
        assertTrue(w >= 440 && w <= 450, "width " + w);
        long dense = MatchedWidth.denseParams(784, w, 3, 10);
        assertTrue(Math.abs(dense - 756_506) < 2 * 797 + 4 * w, "params " + dense);
    }

    @Test
    void badCompareOptions(@TempDir Path dir) {
        String m = assertThrows(IllegalArgumentException.class, () -> CompareModel.parseList("dense,cnn")).getMessage();
        assertTrue(m.contains("'cnn'"), m);
        m = assertThrows(IllegalArgumentException.class, () -> CompareModel.parseList("dense,dense")).getMessage();
        assertTrue(m.contains("twice"), m);
        m = assertThrows(IllegalArgumentException.class, () -> CompareOptions.Preset.parse("slow")).getMessage();
        assertTrue(m.contains("quick, paper or full"), m);
        m = assertThrows(IllegalArgumentException.class, () -> new CompareOptions(
                List.of(CompareModel.DENSE), 0, TrainOptions.defaults(), null, dir)).getMessage();
        assertTrue(m.contains("--seeds must be") && m.contains("got 0"), m);
        assertEquals(CompareModel.DEFAULTS, CompareModel.parseList("default"));
        assertEquals(9, CompareModel.parseList("all").size());
    }

    /** The default rule of g2g-mixer-dst was chosen by the measured grid (README); changing it must be deliberate. */
    @Test
    void defaultDstRuleIsPinned() {
        TrainOptions o = CompareModel.G2G_MIXER_DST.options(TrainOptions.builder().rewireEvery(1000).build(), null, 447, 1);
        assertEquals("magnitude:hebbian", o.rewiring().dst().toString());
        assertEquals(org.g2gnet.rewiring.HebbianScore.SIGNED, o.rewiring().hebbianScore());
        assertEquals(1.0, o.rewiring().prunePrefilter());
        assertEquals(org.g2gnet.schedule.RewiringSchedule.Decay.COSINE, o.rewiring().decay());
        assertEquals(0.75, o.rewiring().stopFraction());
        assertEquals(org.g2gnet.rewiring.MaskUpdater.Regrowth.ZERO, o.rewiring().regrowth());
        assertEquals(0.0, o.rewiring().hebbianDecay());
        assertEquals(1000, o.rewiring().every());
        assertEquals(0.1, o.rewiring().fraction());
        // the paper's literal rule and SET stay available as their own models
        TrainOptions paper = CompareModel.G2G_MIXER_PAPER.options(TrainOptions.defaults(), null, 447, 1);
        assertEquals("hebbian:hebbian", paper.rewiring().dst().toString());
        assertEquals(org.g2gnet.schedule.RewiringSchedule.Decay.CONSTANT, paper.rewiring().decay());
        assertEquals(0.0, paper.rewiring().stopFraction());
        assertEquals("magnitude:random", CompareModel.G2G_MIXER_SET.options(TrainOptions.defaults(), null, 447, 1)
                .rewiring().dst().toString());
        // --dst overrides the criteria only
        TrainOptions over = CompareModel.G2G_MIXER_DST.options(TrainOptions.defaults(), DstSpec.parse("hebbian:gradient"),
                447, 1);
        assertEquals("hebbian:gradient", over.rewiring().dst().toString());
        assertEquals(0.75, over.rewiring().stopFraction());
    }

    @Test
    void learningRateSweepChoosesEachModelsRateOnValidationAndReportsItsTestAccuracy(@TempDir Path dir)
            throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 400, 100, true);
        Path out = dir.resolve("lr");
        TrainOptions base = TrainOptions.builder().width(24).layers(2).groups(4).epochs(1).batch(32).trainLimit(300)
                .validation(100).dataDir(data).progress(false).build();
        CompareOptions o = new CompareOptions(CompareModel.parseList("dense,g2g-mixer"), 2, base, null, out,
                List.of(1e-3, 3e-3));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Comparison.Result r = Comparison.run(o, Logs.into(log));
        assertEquals(8, r.runs().size(), "2 models x 2 learning rates x 2 seeds");
        assertTrue(Files.isDirectory(out.resolve("runs/g2g-mixer-lr0.003-s2")));
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        for (String row : csv.subList(1, csv.size())) {
            double val = Double.parseDouble(row.split(",")[7]);
            assertTrue(val >= 0 && val <= 1, row);
        }
        String summary = Files.readString(out.resolve("summary.md"));
        assertTrue(summary.contains("own best learning rate") && summary.contains("lr 0.001")
                && summary.contains("lr 0.003"), summary);
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("100 validation"), "the split is announced");

        // the choice is the rate with the best mean validation accuracy, whatever the test accuracy says
        for (CompareModel m : List.of(CompareModel.DENSE, CompareModel.G2G_MIXER)) {
            double best = Double.NEGATIVE_INFINITY;
            double bestLr = 0;
            for (double lr : List.of(1e-3, 3e-3)) {
                double v = r.runs().stream().filter(x -> x.model() == m && x.lr() == lr)
                        .mapToDouble(x -> x.finalValidationAccuracy()).average().orElseThrow();
                if (v > best) {
                    best = v;
                    bestLr = lr;
                }
            }
            String row = summary.lines().filter(l -> l.startsWith("| " + m.id() + " | 0.00")).findFirst().orElseThrow();
            assertTrue(row.startsWith("| " + m.id() + " | " + (bestLr == 1e-3 ? "0.001" : "0.003") + " |"), row);
        }
    }

    @Test
    void learningRateSweepNeedsAValidationSplit(@TempDir Path dir) {
        TrainOptions base = TrainOptions.builder().width(24).layers(2).groups(4).epochs(1).progress(false).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CompareOptions(
                CompareModel.parseList("dense"), 1, base, null, dir, List.of(1e-3, 2e-3)));
        assertTrue(e.getMessage().contains("--validation"), e.getMessage());
    }

    @Test
    void theStructureOfTheSparseModelsIsSetByDensityGroupsAndIntraShare(@TempDir Path dir) throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 300, 100, false);
        Path out = dir.resolve("share");
        Object[] r = OutputDirectoryTest.execute(List.of("compare", "--models", "g2g-mixer,dense-matched", "--epochs",
                "1", "--train-limit", "0", "--density", "0.25", "--groups", "4", "--intra-share", "0.5", "--data-dir",
                data.toString(), "--out", out.toString()));
        assertEquals(0, r[0], (String) r[1]);
        String fingerprint = Files.readString(out.resolve("runs/g2g-mixer-s1/done"));
        assertTrue(fingerprint.contains("groups=4 pIntra=0.5 ") && fingerprint.contains("density=0.25"), fingerprint);
        r = OutputDirectoryTest.execute(List.of("compare", "--models", "g2g-mixer", "--groups", "4", "--intra-share",
                "0.5", "--data-dir", data.toString(), "--out", dir.resolve("no-density").toString()));
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("--intra-share 0.5 needs --density"), (String) r[1]);
    }
}
