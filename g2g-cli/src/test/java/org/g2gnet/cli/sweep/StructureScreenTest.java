package org.g2gnet.cli.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.g2gnet.G2GTestBase;
import org.g2gnet.cli.compare.CompareModel;
import org.g2gnet.cli.compare.SeedRange;
import org.g2gnet.data.IdxFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StructureScreenTest extends G2GTestBase {

    private static StructureOptions tiny(Path data, Path out, List<Double> densities, List<Path> reuse) {
        return new StructureOptions(densities, List.of(2, 4, 8), List.of(0.5, 0.9), SeedRange.upTo(1), 1, 32, 1, 100,
                "fashion-mnist", data, out, false, 0, reuse);
    }

    @Test
    void feasiblePairsAreThoseWhoseBlocksCanHoldTheShare() {
        // the default grid at width 1024: 7, 11, 15 and 20 structures at densities 0.25, 0.1, 0.05, 0.02
        StructureOptions o = StructureOptions.screen(Path.of("x"), null);
        for (double[] want : new double[][] {{0.25, 7}, {0.1, 11}, {0.05, 15}, {0.02, 20}}) {
            assertEquals((long) want[1], o.pairs().stream().filter(p -> p.density() == want[0]).count(), "d " + want[0]);
        }
        assertFalse(StructureOptions.feasible(0.25, 8, 0.75, 1024), "pIntra 1.5");
        assertTrue(StructureOptions.feasible(0.25, 8, 0.5, 1024), "the paper's G at pIntra 1");
        assertTrue(StructureOptions.feasible(0.02, 128, 0.25, 1024), "0.97 inter connections per 8x8 block round to 1");
        assertFalse(StructureOptions.feasible(0.02, 128, 0.25, 512), "0.24 per 4x4 block: empty inter blocks");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new StructureOptions(
                List.of(0.25), List.of(64), List.of(0.9), SeedRange.upTo(1), 1, 1024, 1, 100, "fashion-mnist", null,
                Path.of("x"), false, 0, List.of()));
        assertTrue(e.getMessage().startsWith("no (groups, intra share) pair"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new StructureOptions(List.of(0.25), List.of(4, 4),
                List.of(0.5), SeedRange.upTo(1), 1, 1024, 1, 100, "fashion-mnist", null, Path.of("x"), false, 0,
                List.of()));
        assertTrue(e.getMessage().startsWith("--groups lists a value twice"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new StructureOptions(List.of(0.25), List.of(4),
                List.of(0.5), SeedRange.upTo(1), 1, 1024, 1, 0, "fashion-mnist", null, Path.of("x"), false, 0,
                List.of()));
        assertTrue(e.getMessage().contains("validation"), e.getMessage());
    }

    @Test
    void aScreenSplitByDensityIsMergedAndChosenOnValidation(@TempDir Path dir) throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 612, 100, true);
        StructureScreen.Result a = StructureScreen.run(tiny(data, dir.resolve("a"), List.of(0.5), List.of()), quiet());
        // density 0.5: pIntra = s d G is at most 1 for G = 2 and for (4, 0.5) only; then er and dense-matched
        assertEquals(List.of("2/0.5", "2/0.9", "4/0.5", "er", "dense-matched"), a.rows().stream()
                .map(r -> r.model() == CompareModel.G2G_MIXER ? r.groups() + "/" + SweepPoint.number(r.share())
                        : r.model().id()).toList());
        StructureScreen.run(tiny(data, dir.resolve("b"), List.of(0.25), List.of()), quiet());

        Path all = dir.resolve("all");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        StructureScreen.Result merged = StructureScreen.run(tiny(data, all, List.of(0.5, 0.25),
                List.of(dir.resolve("a"), dir.resolve("b"))), new PrintStream(log, true, StandardCharsets.UTF_8));
        assertEquals(merged.rows().size(), merged.reused(), "everything copied from the parts, nothing trained");

        List<String> csv = Files.readAllLines(all.resolve("structure.csv"));
        assertEquals(StructureReports.HEADER, csv.get(0));
        assertTrue(csv.get(0).startsWith("density,model,groups,intra_share,p_intra,p_inter,seed,val_accuracy,"
                + "test_accuracy"));
        assertEquals(merged.rows().size() + 1, csv.size());
        String g4 = csv.stream().filter(l -> l.startsWith("0.25,g2g-mixer,4,0.9,")).findFirst().orElseThrow();
        assertEquals("0.9", g4.split(",")[4], "pIntra = 0.9 x 0.25 x 4");
        double realised = Double.parseDouble(g4.split(",")[11]);
        assertTrue(realised > 0.7 && realised <= 1, "the drawn masks hold about 0.9 inside groups: " + realised);
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("0.25,er,,,")), csv.toString());
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("0.25,dense-matched,,,")), csv.toString());

        // the two best structures are the two of highest validation accuracy, whatever their test accuracy
        List<StructureOptions.Pair> ranked = StructureReports.ranked(tiny(data, all, List.of(0.5, 0.25), List.of()),
                merged.rows(), 0.25);
        double best = merged.rows().stream().filter(r -> r.model() == CompareModel.G2G_MIXER && r.density() == 0.25)
                .mapToDouble(StructureScreen.Row::validation).max().orElseThrow();
        StructureScreen.Row top = merged.rows().stream().filter(r -> r.model() == CompareModel.G2G_MIXER
                && r.density() == 0.25 && r.groups() == ranked.get(0).groups() && r.share() == ranked.get(0).share())
                .findFirst().orElseThrow();
        assertEquals(best, top.validation());
        String md = Files.readString(all.resolve("structure.md"));
        assertTrue(md.contains("## Density 0.25") && md.contains("| G \\ s | 0.5 | 0.9 |") && md.contains("- best: G = ")
                && md.contains("- er: validation") && md.contains("- dense-matched: validation"), md);
        for (String png : List.of("structure-d0.5.png", "structure-d0.25.png")) {
            assertNotNull(ImageIO.read(all.resolve(png).toFile()), png);
        }
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("files: "));
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
