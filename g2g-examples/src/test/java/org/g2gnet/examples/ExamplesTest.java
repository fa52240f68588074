package org.g2gnet.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.g2gnet.G2GNetworks;
import org.g2gnet.G2GTestBase;
import org.g2gnet.data.IdxFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.evaluation.classification.Evaluation;

/** Every example program runs on tiny generated data (their images encode the label: easy to learn). */
class ExamplesTest extends G2GTestBase {

    @Test
    void fashionMnistG2GTrainsRewiresEvaluatesAndSaves(@TempDir Path dir) throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 1024, 200, true);
        File model = dir.resolve("g2g.zip").toFile();
        Evaluation eval = FashionMnistG2G.run(data, 2, 0, model);
        assertTrue(eval.accuracy() > 0.5, "accuracy " + eval.accuracy());
        assertTrue(eval.stats().contains("Confusion"));
        MultiLayerNetwork back = MultiLayerNetwork.load(model, true);
        assertEquals(0.2627, G2GNetworks.sparsityReport(back).layers().get(1).density(), 0.01);
    }

    @Test
    void dropInReplacementKeepsTheDenseWeightsWhereTheMaskKeepsThemAndFineTunes(@TempDir Path dir) throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 1024, 200, true);
        DropInReplacement.Result r = DropInReplacement.run(data, 2, 0, dir.resolve("dense.zip").toFile());
        assertTrue(dir.resolve("dense.zip").toFile().exists(), "the dense model was trained and saved first");
        assertEquals(0.25, r.density(), 0.01);
        assertTrue(r.dense() > 0.5, "dense " + r.dense());
        assertTrue(r.tuned() > 0.5, "fine-tuned " + r.tuned());
        // a second run loads the saved dense model instead of training one: same dense accuracy
        DropInReplacement.Result again = DropInReplacement.run(data, 1, 0, dir.resolve("dense.zip").toFile());
        assertEquals(r.dense(), again.dense(), 0.0);
    }

    @Test
    void computationGraphWithG2GLayersTrainsAndRewires(@TempDir Path dir) throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 1024, 200, true);
        Evaluation eval = ComputationGraphG2G.run(data, 2, 0);
        assertTrue(eval.accuracy() > 0.5, "accuracy " + eval.accuracy());
    }

    @Test
    void structuredSpeedTimesAllThreeExecutions(@TempDir Path dir) throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 1024, 200, true);
        StructuredSpeed.Result r = StructuredSpeed.run(data, 64, 2);
        assertTrue(r.dense() > 0 && r.masked() > 0 && r.structured() > 0, r.toString());
        assertTrue(r.structuredSpeedup() > 0);
    }

    @Test
    void badArgumentsAreNamedBeforeAnythingRuns() {
        String[][] cases = {{"x", "abc"}, {"x", "2", "-5"}, {"x", "0"}};
        String[] expected = {"argument 2 (EPOCHS) must be an integer >= 1, got 'abc'",
                "argument 3 (TRAIN_LIMIT (0 = all)) must be an integer >= 0, got '-5'",
                "argument 2 (EPOCHS) must be an integer >= 1, got '0'"};
        for (int k = 0; k < cases.length; k++) {
            String[] args = cases[k];
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> FashionMnistG2G.main(args));
            assertEquals(expected[k], e.getMessage());
        }
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> StructuredSpeed.main(new String[] {"x", "0", "1"}));
        assertEquals("argument 2 (WIDTH (a multiple of 8)) must be an integer >= 64, got '0'", e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> StructuredSpeed.main(new String[] {"x", "100", "1"}));
        assertTrue(e.getMessage().contains("multiple of 8"), e.getMessage());
        assertEquals(Path.of("runs", "examples", "fashion-mnist-g2g.zip").toFile().getPath(),
                ExampleArgs.OUTPUT.resolve("fashion-mnist-g2g.zip").toString(), "models go under runs/, ignored by git");
    }
}
