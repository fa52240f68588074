package org.g2gnet.cli.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.apache.commons.math3.stat.inference.TTest;
import org.g2gnet.cli.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./g2g compress-report}: several compress runs merged into one table, with Welch p-values, and a plot. */
class CompressReportCommandTest {

    private static Object[] execute(String... args) {
        return CliRun.execute(args);
    }

    /** A compress.csv of one run: a dense original, magnitude and block at 0.25, converted and 2 fine-tuning epochs. */
    private static Path run(Path dir, String name, double dense, double magnitude, double block) throws Exception {
        Path d = dir.resolve(name);
        Files.createDirectories(d);
        String rows = String.join("\n", CompressCommand.HEADER,
                String.format(Locale.ROOT, "dense,1,0,dense,%.6f,1000,1.000000,1.0000,,0,0", dense),
                "magnitude,0.25,1,converted,0.800000,250,0.480000,0.9000,0.9000,0,0",
                "magnitude,0.25,1,finetuned,0.880000,250,0.480000,0.9000,0.9000,0,1",
                String.format(Locale.ROOT, "magnitude,0.25,1,finetuned,%.6f,250,0.480000,0.9000,0.9000,0,2", magnitude),
                "block,0.25,8,converted,0.300000,250,0.270000,1.8000,1.4000,0,0",
                "block,0.25,8,finetuned,0.850000,250,0.270000,1.8000,1.4000,0,1",
                String.format(Locale.ROOT, "block,0.25,8,finetuned,%.6f,250,0.270000,1.8000,1.4000,0,2", block));
        Files.writeString(d.resolve("compress.csv"), rows + "\n");
        return d;
    }

    @Test
    void runsAreMergedWithMeansWelchPValuesAndAPlot(@TempDir Path dir) throws Exception {
        Path a = run(dir, "a", 0.905, 0.903, 0.880);
        Path b = run(dir, "b", 0.906, 0.902, 0.884);
        Path c = run(dir, "c", 0.904, 0.904, 0.879);
        Path out = dir.resolve("out");
        Object[] r = execute("compress-report", a.toString(), b.toString(), c.resolve("compress.csv").toString(),
                "--out", out.toString());
        assertEquals(0, r[0], (String) r[1]);

        List<String> csv = Files.readAllLines(out.resolve("compress.csv"));
        assertEquals("run," + CompressCommand.HEADER, csv.get(0));
        assertEquals(1 + 3 * 7, csv.size());
        assertTrue(csv.get(csv.size() - 1).startsWith("3,block,0.25,8,finetuned,0.879"), csv.toString());

        String md = Files.readString(out.resolve("summary.md"));
        assertTrue(md.contains("The dense originals of these runs: 0.9050 ± 0.0010."), md);
        double p = new TTest().tTest(new double[] {0.880, 0.884, 0.879}, new double[] {0.903, 0.902, 0.904});
        assertTrue(p < 0.001 || md.contains(String.format(Locale.ROOT, "%.3f", p)), md);
        // block: converted 0.3, after 1 epoch 0.85, after the last (2) epochs the mean of the three, 1.8x faster
        assertTrue(md.contains("| block | 3 | 0.3000 ± 0.0000 | 0.8500 ± 0.0000 | 0.8810 ± 0.0026 | -0.0240 |"), md);
        assertTrue(md.contains("| 1.80x | 1.40x |"), md);
        assertTrue(md.contains("| magnitude | 3 | 0.8000 ± 0.0000 | 0.8800 ± 0.0000 | 0.9030 ± 0.0010 | -0.0020 |"),
                md);
        assertTrue(Files.size(out.resolve("accuracy-vs-density.png")) > 1000);

        // run a again (another method's run of the same model): its dense original counts once
        Path again = run(dir, "a2", 0.905, 0.903, 0.880);
        r = execute("compress-report", a.toString(), b.toString(), c.toString(), again.toString(), "--out",
                dir.resolve("out2").toString());
        assertEquals(0, r[0], (String) r[1]);
        assertTrue(Files.readString(dir.resolve("out2/summary.md"))
                .contains("The dense originals of these runs: 0.9050 ± 0.0010."));
    }

    @Test
    void aMissingOrDamagedFileIsOneClearLine(@TempDir Path dir) throws Exception {
        Object[] r = execute("compress-report", dir.resolve("nowhere").toString(), "--out", dir.resolve("o").toString());
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("no compress.csv at " + dir.resolve("nowhere") + ": name a directory"),
                (String) r[1]);
        Path bad = run(dir, "bad", 0.9, 0.9, 0.9);
        Files.writeString(bad.resolve("compress.csv"), CompressCommand.HEADER + "\nblock,0.25,8,finetuned,oops\n");
        r = execute("compress-report", bad.toString(), "--out", dir.resolve("o2").toString());
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("a damaged row 'block,0.25,8,finetuned,oops'"), (String) r[1]);
        Files.writeString(bad.resolve("compress.csv"), "model,lr,seed\n");
        r = execute("compress-report", bad.toString(), "--out", dir.resolve("o3").toString());
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("is not a compress.csv written by ./g2g compress"), (String) r[1]);
    }
}
