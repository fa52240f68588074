package org.g2gnet.cli.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.g2gnet.G2GNetworks;
import org.g2gnet.G2GTestBase;
import org.g2gnet.MaskIntegrity;
import org.g2gnet.cli.CliRun;
import org.g2gnet.data.IdxFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./g2g compress} on a dense model made by {@code ./g2g train --model dense}. */
class CompressCommandTest extends G2GTestBase {

    private static Object[] execute(String... args) {
        return CliRun.execute(args);
    }

    @Test
    void aTrainedDenseModelIsCompressedByEveryMethodAndFineTuned(@TempDir Path dir) throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 600, 200, false);
        Object[] r = execute("train", "--model", "dense", "--width", "64", "--layers", "2", "--epochs", "2",
                "--data-dir", data.toString(), "--no-progress", "--out", dir.resolve("dense").toString());
        assertEquals(0, r[0], (String) r[1]);
        Path out = dir.resolve("c");
        r = execute("compress", "--model", dir.resolve("dense/model.zip").toString(), "--density", "0.25",
                "--epochs", "1", "--data-dir", data.toString(), "--out", out.toString());
        assertEquals(0, r[0], (String) r[1]);
        List<String> csv = Files.readAllLines(out.resolve("compress.csv"));
        assertEquals(CompressCommand.HEADER, csv.get(0));
        assertTrue(csv.get(0).startsWith("method,density,groups,stage,test_accuracy,active_params"));
        assertEquals(1 + 1 + 4 * 2, csv.size(), csv.toString());
        assertTrue(csv.get(1).startsWith("dense,1,0,dense,"));
        for (String method : List.of("learned", "block", "mixer", "magnitude")) {
            for (String stage : List.of("converted", "finetuned")) {
                String row = csv.stream().filter(l -> l.startsWith(method + ",0.25,") && l.contains("," + stage + ","))
                        .findFirst().orElseThrow(() -> new AssertionError(method + " " + stage + ": " + csv));
                String[] f = row.split(",");
                double acc = Double.parseDouble(f[4]);
                assertTrue(acc > 0 && acc <= 1, row);
                assertTrue(Double.parseDouble(f[7]) > 0 && Double.parseDouble(f[8]) > 0, "measured speed-ups: " + row);
                assertTrue(Long.parseLong(f[5]) < Long.parseLong(csv.get(1).split(",")[5]) / 2, "fewer parameters: " + row);
                assertEquals(stage.equals("converted") ? "0" : "1", f[10], "finetune_epochs: " + row);
            }
        }
        // a row per fine-tuning epoch: the accuracy after 1 and after 2 epochs
        Path twoEpochs = dir.resolve("c2");
        r = execute("compress", "--model", dir.resolve("dense/model.zip").toString(), "--density", "0.25",
                "--epochs", "2", "--methods", "magnitude,coactivation", "--data-dir", data.toString(), "--out",
                twoEpochs.toString());
        assertEquals(0, r[0], (String) r[1]);
        List<String> perEpoch = Files.readAllLines(twoEpochs.resolve("compress.csv"));
        assertEquals(List.of("magnitude:converted:0", "magnitude:finetuned:1", "magnitude:finetuned:2",
                "coactivation:converted:0", "coactivation:finetuned:1", "coactivation:finetuned:2"),
                perEpoch.subList(2, perEpoch.size()).stream()
                .map(l -> l.split(",")[0] + ":" + l.split(",")[3] + ":" + l.split(",")[10]).toList(), perEpoch.toString());
        MultiLayerNetwork back = ModelSerializer.restoreMultiLayerNetwork(out.resolve("model.zip").toFile());
        MaskIntegrity.check(back, "loading the compressed model");
        assertEquals(0.25, G2GNetworks.sparsityReport(back).layers().get(1).density(), 0.01);
        assertTrue(Files.readString(out.resolve("summary.md")).contains("| learned | 8 | finetuned |"));

        // the from-scratch baseline: a block trained for the dense model's 2 epochs + 1
        Path scratch = dir.resolve("s");
        r = execute("compress", "--model", dir.resolve("dense/model.zip").toString(), "--density", "0.25",
                "--groups", "4", "--epochs", "1", "--methods", "block,scratch", "--data-dir", data.toString(),
                "--out", scratch.toString());
        assertEquals(0, r[0], (String) r[1]);
        List<String> withScratch = Files.readAllLines(scratch.resolve("compress.csv"));
        assertEquals(1 + 1 + 2 + 1, withScratch.size(), withScratch.toString());
        String[] s = withScratch.get(withScratch.size() - 1).split(",");
        assertEquals(List.of("scratch", "0.25", "4", "trained"), List.of(s).subList(0, 4));
        assertTrue(Double.parseDouble(s[4]) > 0.1 && Double.parseDouble(s[7]) > 0, withScratch.toString());
        assertEquals(1 + 3, Files.readAllLines(scratch.resolve("scratch/metrics.csv")).size(),
                "the dense model's 2 epochs + 1");

        // gradual pruning: the conversion keeps all the weight mass of the pruned network
        Path gradual = dir.resolve("g");
        r = execute("compress", "--model", dir.resolve("dense/model.zip").toString(), "--density", "0.25",
                "--gradual", "1", "--epochs", "0", "--methods", "block,learned", "--data-dir", data.toString(),
                "--out", gradual.toString());
        assertEquals(0, r[0], (String) r[1]);
        List<String> rows = Files.readAllLines(gradual.resolve("compress.csv"));
        assertEquals(1 + 1 + 2, rows.size(), rows.toString());
        for (String row : rows.subList(2, rows.size())) {
            String[] f = row.split(",");
            assertEquals("converted", f[3], row);
            assertEquals("1", f[9], "gradual_epochs: " + row);
            assertEquals(1.0, Double.parseDouble(f[6]), 1e-4, "mass kept: " + row);
        }
        // fine-tuning with the rewiring listener: events happen, the masks stay whole (checked after every epoch)
        Path rewired = dir.resolve("r");
        r = execute("compress", "--model", dir.resolve("dense/model.zip").toString(), "--density", "0.25",
                "--epochs", "1", "--rewire-every", "1", "--methods", "learned,block", "--data-dir", data.toString(),
                "--out", rewired.toString());
        assertEquals(0, r[0], (String) r[1]);
        String summary = Files.readString(rewired.resolve("summary.md"));
        java.util.regex.Matcher events = java.util.regex.Pattern
                .compile("rewiring events: learned (\\d+), block (\\d+)").matcher(summary);
        assertTrue(events.find() && Integer.parseInt(events.group(1)) > 0 && Integer.parseInt(events.group(2)) > 0,
                summary);
        MaskIntegrity.check(ModelSerializer.restoreMultiLayerNetwork(rewired.resolve("model.zip").toFile()),
                "the rewired compressed model");
        r = execute("compress", "--model", dir.resolve("dense/model.zip").toString(), "--rewire-every", "-5",
                "--data-dir", data.toString(), "--out", dir.resolve("bad3").toString());
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("--rewire-every must be >= 0 iterations, got -5"), (String) r[1]);
        r = execute("compress", "--model", dir.resolve("dense/model.zip").toString(), "--gradual", "-1",
                "--data-dir", data.toString(), "--out", dir.resolve("bad").toString());
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("--gradual must be >= 0 epochs, got -1"), (String) r[1]);
        r = execute("compress", "--model", dir.resolve("dense/model.zip").toString(), "--lr-decay", "step",
                "--data-dir", data.toString(), "--out", dir.resolve("bad2").toString());
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("--lr-decay must be cosine or none, got 'step'"), (String) r[1]);
    }

    @Test
    void badInputIsOneLineAndExitCodeTwo(@TempDir Path dir) throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 300, 100, false);
        Object[] r = execute("compress", "--model", dir.resolve("missing.zip").toString(), "--data-dir", data.toString(),
                "--out", dir.resolve("a").toString());
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("--model " + dir.resolve("missing.zip") + ": no such file"), (String) r[1]);
        Path junk = Files.writeString(dir.resolve("junk.zip"), "not a model");
        r = execute("compress", "--model", junk.toString(), "--data-dir", data.toString(), "--out",
                dir.resolve("b").toString());
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("not a MultiLayerNetwork saved by DL4J's ModelSerializer"), (String) r[1]);
        r = execute("compress", "--model", junk.toString(), "--density", "1.5", "--out", dir.resolve("c").toString());
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("--density must be in (0, 1), got 1.5"), (String) r[1]);
        // a model without dense hidden layers: a G2G network made by ./g2g train
        r = execute("train", "--width", "32", "--layers", "1", "--epochs", "1", "--data-dir", data.toString(),
                "--no-progress", "--out", dir.resolve("g2g").toString());
        assertEquals(0, r[0], (String) r[1]);
        r = execute("compress", "--model", dir.resolve("g2g/model.zip").toString(), "--data-dir", data.toString(),
                "--out", dir.resolve("d").toString());
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("no dense hidden layer"), (String) r[1]);
    }
}
