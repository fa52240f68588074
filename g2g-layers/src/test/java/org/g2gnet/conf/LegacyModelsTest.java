package org.g2gnet.conf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.g2gnet.G2GTestBase;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Models saved before the paper's groupings (version 0.1: RANDOM sides seeded by the network seed, stacks lined
 * up) still load and compute exactly what they computed. The files in {@code src/test/resources/legacy-0.1/}
 * were written by the 0.1 code ({@code MakeLegacy.java.txt} beside them): 32-16-16-3 networks (G = 4, tanh,
 * DOUBLE) trained for three steps, with their outputs on a fixed input and the partitions of both sides of both
 * G2G layers.
 */
class LegacyModelsTest extends G2GTestBase {

    @ParameterizedTest
    @ValueSource(strings = {"random-masked", "random-structured", "mixer-masked", "mixer-structured"})
    void modelsSavedBeforeVersion02ComputeWhatTheyComputed(String name, @TempDir Path tmp) throws Exception {
        useDouble();
        Path zip = copy(name + ".zip", tmp);
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(zip.toFile(), true);
        INDArray x = read("input.bin");
        INDArray expected = read(name + "-output.bin");
        assertEquals(expected, net.output(x), name + ": output changed");

        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        long seed = conf.getConf(0).getSeed();
        String[] partitions = resource(name + "-partitions.txt").split("\n");
        for (int k = 0; k < 2; k++) {
            G2GDenseLayer l = (G2GDenseLayer) conf.getConf(k).getLayer();
            assertFalse(l.isIndependentSides(), "a 0.1 configuration keeps its seeding");
            assertEquals(partitions[2 * k], Arrays.toString(l.inputPartition(seed).labels()), name + " layer " + k + " input");
            assertEquals(partitions[2 * k + 1], Arrays.toString(l.outputPartition(seed).labels()),
                    name + " layer " + k + " output");
        }
        // the masks in the file are what the 0.1 code drew from the same configuration (masked layers)
        if (name.endsWith("masked")) {
            for (int k = 0; k < 2; k++) {
                G2GDenseLayer l = (G2GDenseLayer) conf.getConf(k).getLayer();
                float[] drawn = l.generateMask(seed).values();
                float[] saved = net.getLayer(k).getParam("M").dup('f').data().asFloat();
                assertArrayEquals(drawn, saved, name + " layer " + k + ": mask");
            }
        }
        // and a JSON round trip keeps the old seeding
        MultiLayerConfiguration again = MultiLayerConfiguration.fromJson(conf.toJson());
        assertFalse(((G2GDenseLayer) again.getConf(0).getLayer()).isIndependentSides());
        assertEquals(conf, again);
    }

    @ParameterizedTest
    @ValueSource(strings = {"random-masked"})
    void theOldRandomStackWasLinedUpAndTheNewOneIsNot(String name, @TempDir Path tmp) throws Exception {
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(copy(name + ".zip", tmp).toFile(), false);
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        long seed = conf.getConf(0).getSeed();
        G2GDenseLayer l0 = (G2GDenseLayer) conf.getConf(0).getLayer();
        G2GDenseLayer l1 = (G2GDenseLayer) conf.getConf(1).getLayer();
        assertArrayEquals(l0.outputPartition(seed).labels(), l1.inputPartition(seed).labels());
        l0.setIndependentSides(true);
        l1.setIndependentSides(true);
        assertFalse(Arrays.equals(l0.outputPartition(seed).labels(), l1.inputPartition(seed).labels()));
        assertTrue(new G2GDenseLayer.Builder().nIn(4).nOut(4).groups(2).build().isIndependentSides());
    }

    private static Path copy(String resource, Path dir) throws Exception {
        Path f = dir.resolve(resource);
        try (InputStream in = stream(resource)) {
            Files.copy(in, f);
        }
        return f;
    }

    private static INDArray read(String resource) throws Exception {
        try (DataInputStream in = new DataInputStream(stream(resource))) {
            return Nd4j.read(in);
        }
    }

    private static String resource(String resource) throws Exception {
        try (InputStream in = stream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static InputStream stream(String resource) {
        InputStream in = LegacyModelsTest.class.getResourceAsStream("/legacy-0.1/" + resource);
        if (in == null) {
            throw new IllegalStateException("missing test resource legacy-0.1/" + resource + " (" + new File(".").getAbsolutePath() + ")");
        }
        return in;
    }
}
