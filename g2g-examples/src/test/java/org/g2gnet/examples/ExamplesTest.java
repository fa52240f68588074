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
}
