package org.g2gnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.g2gnet.G2GTestBase;
import org.g2gnet.cli.compare.CompareModel;
import org.g2gnet.cli.compare.CompareOptions;
import org.g2gnet.cli.compare.Comparison;
import org.g2gnet.cli.compare.Reports;
import org.g2gnet.cli.compare.ResultsFile;
import org.g2gnet.cli.compare.RunRecord;
import org.g2gnet.cli.compare.SeedRange;
import org.g2gnet.cli.train.DstSpec;
import org.g2gnet.cli.train.TrainOptions;
import org.g2gnet.data.IdxFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --seeds A-B} and {@code ./g2g report}: a comparison split over two places reports as if run at once. */
class ReportCommandTest extends G2GTestBase {

    private static CompareOptions tiny(Path data, Path out, SeedRange seeds) {
        TrainOptions base = TrainOptions.builder().width(24).layers(2).groups(4).epochs(2).batch(32).trainLimit(300)
                .dataDir(data).rewireEvery(3).progress(false).lr(3e-3).build();
        return new CompareOptions(CompareModel.parseList("dense,g2g-mixer-dst"), seeds, base,
                DstSpec.parse("hebbian:hebbian"), out, List.of());
    }

    /** results.csv without its seconds column, which is a measured time and differs from run to run. */
    private static List<String> withoutSeconds(Path csv) throws Exception {
        List<String> out = new ArrayList<>();
        for (String l : Files.readAllLines(csv)) {
            String[] f = l.split(",", -1);
            f[8] = "";
            out.add(String.join(",", f));
        }
        return out;
    }

    @Test
    void seedsSplitOverTwoComparisonsReportExactlyAsOneComparison(@TempDir Path dir) throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 300, 100, true);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Comparison.run(tiny(data, dir.resolve("whole"), SeedRange.upTo(2)), Logs.into(log));
        Comparison.run(tiny(data, dir.resolve("first"), SeedRange.upTo(1)), Logs.into(log));
        Comparison.run(tiny(data, dir.resolve("second"), SeedRange.parse("2-2")), Logs.into(log));
        assertTrue(Files.isDirectory(dir.resolve("second/runs/dense-s2")));
        assertFalse(Files.exists(dir.resolve("second/runs/dense-s1")), "--seeds 2-2 trains seed 2 only");

        StringWriter out = new StringWriter();
        CommandLine cl = G2GCli.commandLine();
        cl.setOut(new PrintWriter(out));
        // the first part named twice (as a directory and as its file): identical runs are kept once
        int rc = cl.execute("report", dir.resolve("first").toString(), dir.resolve("second").toString(),
                dir.resolve("first/results.csv").toString(), "--out", dir.resolve("merged").toString());
        assertEquals(0, rc);
        assertEquals(withoutSeconds(dir.resolve("whole/results.csv")), withoutSeconds(dir.resolve("merged/results.csv")));
        String summary = Files.readString(dir.resolve("merged/summary.md"));
        assertTrue(summary.contains("mean ± std over 2 seeds") && summary.contains("| g2g-mixer-dst |"), summary);
        assertTrue(Files.size(dir.resolve("merged/accuracy.png")) > 1000);

        // a run found in two parts with different results, and parts made with different protocols, are refused
        Path changed = dir.resolve("changed.csv");
        List<String> rows = new ArrayList<>(Files.readAllLines(dir.resolve("second/results.csv")));
        String[] first = rows.get(1).split(",", -1);
        first[6] = "0.123456"; // its test accuracy
        rows.set(1, String.join(",", first));
        Files.write(changed, rows);
        Map<String, List<RunRecord>> parts = new LinkedHashMap<>();
        parts.put("second", ResultsFile.read(dir.resolve("second/results.csv")));
        parts.put("changed", ResultsFile.read(changed));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResultsFile.merge(parts));
        assertTrue(e.getMessage().contains("dense lr 0.003 seed 2") && e.getMessage().contains("changed"),
                e.getMessage());

        Path shorter = dir.resolve("shorter.csv");
        Files.write(shorter, Files.readAllLines(dir.resolve("second/results.csv")).stream()
                .filter(l -> !l.matches("^[a-z0-9-]+,[0-9.]+,2,2,.*")).toList());
        Map<String, List<RunRecord>> protocols = new LinkedHashMap<>();
        protocols.put("first", ResultsFile.read(dir.resolve("first/results.csv")));
        protocols.put("shorter", ResultsFile.read(shorter));
        e = assertThrows(IllegalArgumentException.class, () -> ResultsFile.merge(protocols));
        assertTrue(e.getMessage().contains("different protocols") && e.getMessage().contains("1 epoch and"),
                e.getMessage());
    }

    /** Parts that each hold one learning rate report as a learning-rate sweep: each model's rate chosen on validation. */
    @Test
    void learningRatesTrainedApartAreChosenOnValidation(@TempDir Path dir) throws Exception {
        // dense is better on validation at 0.001, g2g-mixer at 0.002; the test accuracies point the other way
        Path low = Files.writeString(dir.resolve("low.csv"), Reports.RESULTS_HEADER + "\n"
                + "dense,0.001,1,1,0.4,0.4,0.80,0.91,1.0,100,1.0\n"
                + "g2g-mixer,0.001,1,1,0.4,0.4,0.90,0.81,1.0,30,0.3\n");
        Path high = Files.writeString(dir.resolve("high.csv"), Reports.RESULTS_HEADER + "\n"
                + "dense,0.002,1,1,0.4,0.4,0.90,0.81,1.0,100,1.0\n"
                + "g2g-mixer,0.002,1,1,0.4,0.4,0.80,0.91,1.0,30,0.3\n");
        CommandLine cl = G2GCli.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        assertEquals(0, cl.execute("report", low.toString(), high.toString(), "--out", dir.resolve("o").toString()));
        String summary = Files.readString(dir.resolve("o/summary.md"));
        assertTrue(summary.startsWith("Learning-rate sweep"), summary);
        assertTrue(summary.contains("| dense | 0.001 | 0.9100 | 0.8000 |"), summary);
        assertTrue(summary.contains("| g2g-mixer | 0.002 | 0.9100 | 0.8000 |"), summary);
    }

    @Test
    void badResultsFilesAreNamed(@TempDir Path dir) throws Exception {
        Path notResults = Files.writeString(dir.resolve("metrics.csv"), "epoch,train_loss\n1,0.5\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResultsFile.read(notResults));
        assertTrue(e.getMessage().contains("metrics.csv") && e.getMessage().contains("first line"), e.getMessage());

        Path damaged = Files.writeString(dir.resolve("results.csv"), Reports.RESULTS_HEADER
                + "\ndense,0.001,1,1,0.48,0.44,0.838,,21.4,2913290,1.0\ndense,0.001,1,3,0.34,0.38,0.86,,20.8\n");
        e = assertThrows(IllegalArgumentException.class, () -> ResultsFile.read(damaged));
        assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("11 fields"), e.getMessage());

        // impossible values: an accuracy of 7.5, negative active parameters, a density of 3
        for (String[] bad : new String[][] {{"0.7", "7.5", "test_accuracy must be in [0, 1], got 7.5"},
                {"0.7", "0.8,,21.4,-1000,1.0", "active_params must be >= 1, got -1000"},
                {"0.7", "0.8,,21.4,1000,3.0", "density must be in (0, 1], got 3.0"}}) {
            String row = bad[1].contains(",") ? "dense,0.001,1,1,0.48," + bad[0] + "," + bad[1]
                    : "dense,0.001,1,1,0.48," + bad[0] + "," + bad[1] + ",,21.4,2913290,1.0";
            Path impossible = Files.writeString(dir.resolve("impossible.csv"), Reports.RESULTS_HEADER + "\n" + row + "\n");
            e = assertThrows(IllegalArgumentException.class, () -> ResultsFile.read(impossible));
            assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains(bad[2]), e.getMessage());
        }
        byte[] noise = new byte[512];
        new java.util.Random(3).nextBytes(noise);
        Path random = Files.write(dir.resolve("random.csv"), noise);
        e = assertThrows(IllegalArgumentException.class, () -> ResultsFile.read(random));
        assertTrue(e.getMessage().contains("random.csv is not a results.csv") && e.getMessage().contains("UTF-8"),
                e.getMessage());

        StringWriter err = new StringWriter();
        CommandLine cl = G2GCli.commandLine();
        cl.setErr(new PrintWriter(err, true));
        assertEquals(2, cl.execute("report", dir.resolve("nowhere").toString(), "--out", dir.resolve("o").toString()));
        assertTrue(err.toString().contains("no results.csv at") && err.toString().contains("nowhere"), err.toString());
    }

    @Test
    void seedRanges() {
        assertEquals(new SeedRange(1, 3), SeedRange.parse("3"));
        assertEquals(new SeedRange(4, 5), SeedRange.parse("4-5"));
        assertEquals(3, SeedRange.parse("3").count());
        for (String bad : new String[] {"0", "5-4", "0-2", "x", "", "-3", "2-"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SeedRange.parse(bad), bad);
            assertTrue(e.getMessage().contains("--seeds"), e.getMessage());
        }
    }
}
