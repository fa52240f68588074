package org.g2gnet.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.g2gnet.G2GTestBase;
import org.g2gnet.MaskIntegrity;
import org.g2gnet.cli.G2GCli;
import org.g2gnet.data.IdxFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./g2g train --engine parallel}: a run with rewiring on two workers, and the refusals. */
class ParallelTrainerTest extends G2GTestBase {

    private static Object[] execute(List<String> args) {
        StringWriter err = new StringWriter();
        CommandLine cl = G2GCli.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.getSubcommands().values().forEach(c -> c.setErr(new PrintWriter(err, true)));
        int rc = cl.execute(args.toArray(String[]::new));
        return new Object[] {rc, err.toString()};
    }

    private static List<String> tiny(Path data, Path out) {
        return new ArrayList<>(List.of("train", "--engine", "parallel", "--workers", "2", "--data-dir", data.toString(),
                "--width", "32", "--layers", "2", "--groups", "4", "--epochs", "2", "--batch", "32", "--dst",
                "magnitude:hebbian", "--rewire-every", "4", "--no-progress", "--out", out.toString()));
    }

    @Test
    void trainsWithRewiringOnTwoWorkersAndSavesIntactMasks(@TempDir Path dir) throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 600, 200, false);
        Path out = dir.resolve("run");
        Object[] r = execute(tiny(data, out));
        assertEquals(0, r[0], (String) r[1]);
        // 600 images of 32: 19 minibatches per epoch; events after minibatches 3, 7, ..., 35: 9 per layer
        List<String> events = Files.readAllLines(out.resolve("events.csv"));
        assertEquals(1 + 2 * 9, events.size(), events.toString());
        assertEquals(1 + 2, Files.readAllLines(out.resolve("metrics.csv")).size());
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(out.resolve("model.zip").toFile());
        MaskIntegrity.check(net, "loading model.zip");
        MultiLayerNetwork fresh = new MultiLayerNetwork(net.getLayerWiseConfigurations().clone());
        fresh.init();
        for (int l = 0; l < 2; l++) {
            assertEquals(fresh.getLayer(l).getParam("M").sumNumber().doubleValue(),
                    net.getLayer(l).getParam("M").sumNumber().doubleValue(), 0, "density of layer " + l);
            assertNotEquals(fresh.getLayer(l).getParam("M"), net.getLayer(l).getParam("M"), "layer " + l + " rewired");
        }
    }

    @Test
    void wrongCombinationsAreRefusedByName(@TempDir Path dir) throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 100, 50, false);
        List<String> resume = tiny(data, dir.resolve("a"));
        resume.add("--resume");
        Object[] r = execute(resume);
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("--resume is not supported with --engine parallel"), (String) r[1]);
        List<String> one = tiny(data, dir.resolve("b"));
        one.set(one.indexOf("--workers") + 1, "1");
        r = execute(one);
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("--workers must be 0 (the cores) or >= 2"), (String) r[1]);
        List<String> local = tiny(data, dir.resolve("c"));
        local.set(local.indexOf("--engine") + 1, "local");
        r = execute(local);
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("--workers and --averaging-frequency need --engine parallel or spark"),
                (String) r[1]);
        assertFalse(Files.exists(dir.resolve("c").resolve("model.zip")));
    }
}
