package org.g2gnet.cli.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.g2gnet.G2GTestBase;
import org.g2gnet.data.IdxFiles;
import org.g2gnet.cli.compare.CompareModel;
import org.g2gnet.cli.compare.SeedRange;
import org.g2gnet.cli.train.TrainOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepTest extends G2GTestBase {

    private static SweepOptions tiny(Path data, Path out) {
        return new SweepOptions(List.of(0.25, 0.1), List.of(0.5, 1.0), 0.25, SeedRange.upTo(2), 1, 64, 2, 0, 100,
                "fashion-mnist", data, out, false, 0, 2, List.of(), SweepGroups.HALF, null);
    }

    /** One density, all the training images: five runs per seed, no cost part. */
    private static SweepOptions part(Path data, Path out, SeedRange seeds, int epochs, List<Path> reuse) {
        return new SweepOptions(List.of(0.25), List.of(1.0), 0.25, seeds, epochs, 32, 1, 0, 100, "fashion-mnist", data,
                out, false, 0, 0, reuse, SweepGroups.HALF, null);
    }

    @Test
    void aSweepSplitBySeedsIsReportedTogetherWithoutTrainingAgain(@TempDir Path dir) throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 612, 100, true);
        Sweep.Result first = Sweep.run(part(data, dir.resolve("s1"), new SeedRange(1, 1), 1, List.of()), quiet());
        Sweep.Result second = Sweep.run(part(data, dir.resolve("s2"), new SeedRange(2, 2), 1, List.of()), quiet());
        assertEquals(5, first.rows().size());
        assertTrue(second.rows().stream().allMatch(r -> r.point().seed() == 2), "--seeds 2-2 trains seed 2 only");
        assertTrue(Files.readString(dir.resolve("s1/sweep.md")).contains("1 seed,"));

        // a part whose settings differ (2 epochs) is not taken for this sweep's runs
        Sweep.run(part(data, dir.resolve("other"), new SeedRange(1, 1), 2, List.of()), quiet());
        Path all = dir.resolve("all");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Sweep.Result merged = Sweep.run(part(data, all, SeedRange.upTo(2), 1,
                List.of(dir.resolve("other"), dir.resolve("s1"), dir.resolve("s2"))),
                new PrintStream(log, true, StandardCharsets.UTF_8));
        assertEquals(10, merged.reused(), log.toString(StandardCharsets.UTF_8));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("copied 10 finished runs"));
        String filesLine = log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("files: "))
                .findFirst().orElseThrow();
        assertTrue(filesLine.contains("sweep.md") && !filesLine.contains("cost.csv"),
                "without a cost part the sweep names only the files it wrote: " + filesLine);
        for (Sweep.Result part : List.of(first, second)) {
            for (Sweep.Row r : part.rows()) {
                Sweep.Row m = merged.rows().stream().filter(x -> x.point().equals(r.point())).findFirst().orElseThrow();
                assertEquals(r.run().finalAccuracy(), m.run().finalAccuracy(), r.point().label());
                assertEquals(1, m.run().epochs().size(), "the 1-epoch run, not the other sweep's 2-epoch one");
            }
        }
        try (var files = Files.walk(all.resolve("runs"))) {
            assertTrue(files.noneMatch(f -> f.toString().contains("checkpoints") || f.endsWith(".g2g.lock")),
                    "checkpoints and locks stay behind");
        }
        assertTrue(Files.readString(all.resolve("sweep.md")).contains("2 seeds,"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> part(data, all, SeedRange.upTo(2), 1, List.of(all)));
        assertTrue(e.getMessage().contains("--reuse"), e.getMessage());
        Path typo = dir.resolve("s3");
        e = assertThrows(IllegalArgumentException.class,
                () -> Sweep.run(part(data, all, SeedRange.upTo(2), 1, List.of(typo)), quiet()));
        assertTrue(e.getMessage().contains("--reuse " + typo), e.getMessage());
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    @Test
    void tinySweepWritesEveryPointThenReusesThem(@TempDir Path dir) throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 612, 100, true);
        Path out = dir.resolve("sweep");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Sweep.Result r = Sweep.run(tiny(data, out), new PrintStream(log, true, StandardCharsets.UTF_8));
        // per seed: dense; 2 densities x 4 sparse models; at 50%: dense + 4 (100% at 0.25 is the sparsity point)
        assertEquals(2 * (1 + 8 + 5), r.rows().size());
        assertEquals(0, r.reused());
        String filesLine = log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("files: "))
                .findFirst().orElseThrow();
        for (String name : List.of("sweep.csv", "cost.csv", "sweep.md", "accuracy-vs-density.png",
                "accuracy-vs-data.png", "accuracy-vs-time.png")) {
            assertTrue(filesLine.contains(out.resolve(name).toString()) && Files.isRegularFile(out.resolve(name)),
                    name + " written and named: " + filesLine);
        }

        List<String> csv = Files.readAllLines(out.resolve("sweep.csv"));
        assertEquals(SweepReports.HEADER, csv.get(0));
        assertEquals(r.rows().size() + 1, csv.size());
        String mixer01 = csv.stream().filter(l -> l.startsWith("g2g-mixer,1,0.1,")).findFirst().orElseThrow();
        String[] f = mixer01.split(",");
        assertEquals("32", f[3], "G at density 0.1");
        assertEquals("512", f[5], "100% of the 612 - 100 images");
        double val = Double.parseDouble(f[9]);
        assertTrue(val >= 0 && val <= 1, "validation accuracy " + val);
        String half = csv.stream().filter(l -> l.startsWith("er,2,0.25,1,0.5,")).findFirst().orElseThrow();
        assertEquals("256", half.split(",")[5]);

        // the density is what was asked (active parameters of g2g-mixer at 0.1 are far below those at 0.25)
        long p25 = r.rows().stream().filter(x -> x.point().model() == CompareModel.G2G_MIXER && x.point().density() == 0.25)
                .mapToLong(x -> x.run().activeParams()).findFirst().orElseThrow();
        long p10 = r.rows().stream().filter(x -> x.point().model() == CompareModel.G2G_MIXER && x.point().density() == 0.1)
                .mapToLong(x -> x.run().activeParams()).findFirst().orElseThrow();
        assertTrue(p10 < 0.6 * p25, p10 + " vs " + p25);

        List<String> cost = Files.readAllLines(out.resolve("cost.csv"));
        assertEquals(CostMeasure.HEADER, cost.get(1));
        assertTrue(cost.stream().anyMatch(l -> l.startsWith("1,dense,dense,0,") && l.endsWith(",1.0000")), cost.toString());
        assertTrue(cost.stream().anyMatch(l -> l.startsWith("0.25,g2g-mixer,structured,8,")), cost.toString());
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("no structured execution at density 0.1"),
                "G = 32 does not divide 784 inputs: said, not hidden");

        String md = Files.readString(out.resolve("sweep.md"));
        assertTrue(md.contains("Accuracy against density") && md.contains("Accuracy against training-set size")
                && md.contains("g2g-mixer - er") && md.contains("| 0.1 | 32 |"), md);
        for (String png : new String[] {"accuracy-vs-density.png", "accuracy-vs-data.png", "accuracy-vs-time.png"}) {
            BufferedImage img = ImageIO.read(out.resolve(png).toFile());
            assertNotNull(img, png);
            assertTrue(img.getWidth() > 100, png);
        }
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("ETA"));

        ByteArrayOutputStream log2 = new ByteArrayOutputStream();
        Sweep.Result again = Sweep.run(tiny(data, out), new PrintStream(log2, true, StandardCharsets.UTF_8));
        assertEquals(r.rows().size(), again.reused());
        assertEquals(csv, Files.readAllLines(out.resolve("sweep.csv")));
        assertEquals(cost, Files.readAllLines(out.resolve("cost.csv")), "cost measurements are reused, not redone");
    }

    @Test
    void groupsKeepAboutHalfOfTheConnectionsInsideGroups() {
        assertEquals(8, SweepGroups.HALF.at(0.5));
        assertEquals(8, SweepGroups.HALF.at(0.25));
        assertEquals(32, SweepGroups.HALF.at(0.1));
        assertEquals(64, SweepGroups.HALF.at(0.05));
        assertEquals(128, SweepGroups.HALF.at(0.02));
        for (double d : new double[] {0.5, 0.25, 0.1, 0.05, 0.02}) {
            double intraShare = 1.0 / SweepGroups.HALF.at(d) / d;
            assertTrue(intraShare <= 0.5 + 1e-9 && intraShare > 0.15, d + ": " + intraShare);
        }
    }

    @Test
    void groupsOptionNamesTheRuleANumberOrRefusesByName() {
        assertEquals(SweepGroups.AUTO, SweepGroups.parse("auto"));
        assertEquals(SweepGroups.HALF, SweepGroups.parse(" Half "));
        assertEquals(SweepGroups.of(16), SweepGroups.parse("16"));
        assertEquals(16, SweepGroups.parse("16").at(0.02));
        assertEquals(64, SweepGroups.HALF.at(0.05));
        assertEquals(16, SweepGroups.AUTO.at(0.05));
        assertEquals(0.9, SweepGroups.AUTO.intraShare(null));
        assertEquals(0.5, SweepGroups.AUTO.intraShare(0.5));
        assertEquals(null, SweepGroups.HALF.intraShare(null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SweepGroups.parse("many"));
        assertEquals("--groups must be a whole number, auto or half, got 'many'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SweepGroups.parse("0"));
        assertEquals("--groups must be >= 1, got 0", e.getMessage());
        // the presets use the structure rule; the committed sweep-full used half
        assertEquals(SweepGroups.AUTO, SweepOptions.Preset.FULL.options(null, null).groups());
        assertEquals(SweepGroups.AUTO, SweepOptions.Preset.QUICK.options(null, null).groups());
    }

    @Test
    void paretoFrontKeepsOnlyUnbeatenPoints() {
        List<double[]> front = SweepPlots.pareto(List.of(new double[] {10, 0.90}, new double[] {5, 0.88},
                new double[] {6, 0.87}, new double[] {12, 0.91}, new double[] {11, 0.89}));
        assertEquals(3, front.size());
        assertEquals(5, front.get(0)[0]);
        assertEquals(10, front.get(1)[0]);
        assertEquals(12, front.get(2)[0]);
    }

    @Test
    void badValuesAreRefusedWithTheOption(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SweepOptions(List.of(1.5),
                List.of(), 0.25, SeedRange.upTo(1), 1, 8, 1, 0, 0, "fashion-mnist", null, dir, false, 0, 0, List.of(), SweepGroups.HALF, null));
        assertTrue(e.getMessage().contains("--densities") && e.getMessage().contains("1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SweepOptions(List.of(0.5, 0.5),
                List.of(), 0.25, SeedRange.upTo(1), 1, 64, 1, 0, 0, "fashion-mnist", null, dir, false, 0, 0, List.of(),
                SweepGroups.HALF, null));
        assertTrue(e.getMessage().contains("twice"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SweepOptions(List.of(0.5),
                List.of(), 0.25, SeedRange.upTo(1), 1, 64, 1, 0, 0, "fashion-mnist", null, dir, false, 0, -1, List.of(),
                SweepGroups.HALF, null));
        assertEquals("--cost-rounds must be >= 0 (0: no cost part), got -1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SweepOptions(List.of(0.5),
                List.of(), 0.25, SeedRange.upTo(1), 1, 7, 1, 0, 0, "fashion-mnist", null, dir, false, 0, 0, List.of(),
                SweepGroups.HALF, null));
        assertTrue(e.getMessage().startsWith("--width 7 is smaller than the 8 groups"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SweepOptions(List.of(0.05),
                List.of(), 0.25, SeedRange.upTo(1), 1, 64, 1, 0, 0, "fashion-mnist", null, dir, false, 0, 0, List.of(),
                SweepGroups.of(32), 0.9));
        assertTrue(e.getMessage().contains("--intra-share") && e.getMessage().contains("1.44"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SweepOptions(List.of(), List.of(0.0),
                0.25, SeedRange.upTo(1), 1, 8, 1, 0, 0, "fashion-mnist", null, dir, false, 0, 0, List.of(), SweepGroups.HALF, null));
        assertTrue(e.getMessage().contains("--fractions"), e.getMessage());
        assertEquals(SweepOptions.Preset.FULL, SweepOptions.Preset.parse("full"));
    }

    @Test
    void groupsAutoAppliesTheStructureRuleAtEveryDensity(@TempDir Path dir) {
        SweepOptions o = new SweepOptions(List.of(0.25, 0.1, 0.05), List.of(1.0), 0.25, SeedRange.upTo(1), 1, 64, 2, 0,
                100, "fashion-mnist", dir, dir.resolve("out"), false, 0, 0, List.of(), SweepGroups.AUTO, null);
        for (double[] dg : new double[][] {{0.25, 4}, {0.1, 8}, {0.05, 16}}) {
            TrainOptions t = Sweep.protocol(o, dg[0], 1.0, 1000);
            assertEquals((int) dg[1], t.model().groups(), "G at " + dg[0]);
            assertEquals(0.9 * dg[0] * dg[1], t.model().pIntra(), 1e-12, "pIntra at " + dg[0]);
        }
        assertTrue(SweepReports.summary(o, List.of(), List.of()).contains("the structure rule (--groups auto)"));
    }

    @Test
    void erRunsDoNotDependOnTheG2GStructureSoAnotherStructuresSweepReusesThem(@TempDir Path dir) {
        SweepOptions rule = new SweepOptions(List.of(0.25), List.of(1.0), 0.25, SeedRange.upTo(1), 1, 64, 2, 0,
                100, "fashion-mnist", dir, dir.resolve("out"), false, 0, 0, List.of(), SweepGroups.HALF, null);
        SweepOptions auto = new SweepOptions(List.of(0.25), List.of(1.0), 0.25, SeedRange.upTo(1), 1, 64, 2, 0,
                100, "fashion-mnist", dir, dir.resolve("out"), false, 0, 0, List.of(), SweepGroups.AUTO, null);
        SweepPoint er = new SweepPoint(CompareModel.ER, 0.25, 1.0, 1);
        SweepPoint mixer = new SweepPoint(CompareModel.G2G_MIXER, 0.25, 1.0, 1);
        assertEquals(Sweep.runOptions(rule, er, 1000, 32).fingerprint(), Sweep.runOptions(auto, er, 1000, 32)
                .fingerprint(), "ER is one group at the density under either structure");
        assertEquals(0.25, Sweep.runOptions(auto, er, 1000, 32).model().effectiveDensity(), 1e-12);
        TrainOptions m8 = Sweep.runOptions(rule, mixer, 1000, 32);
        TrainOptions m4 = Sweep.runOptions(auto, mixer, 1000, 32);
        assertEquals(8, m8.model().groups());
        assertEquals(4, m4.model().groups());
        assertNotEquals(m8.fingerprint(), m4.fingerprint(), "the G2G runs are different networks");
    }
}
