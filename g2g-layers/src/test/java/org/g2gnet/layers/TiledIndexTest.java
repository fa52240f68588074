package org.g2gnet.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.g2gnet.G2GTestBase;
import org.g2gnet.conf.Execution;
import org.g2gnet.conf.G2GDenseLayer;
import org.g2gnet.topology.TileLayout;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The backward tile sum of {@link TiledIndex}, both ways (slot chunks added in place one by one, or in rounds of
 * distinct tiles with a gather and a scatter-add), gives, to the bit, the sum written out by hand in the same order:
 * each tile's own chunk, then the slot chunks that read it, in slot order.
 */
class TiledIndexTest extends G2GTestBase {

    @Test
    void bothWaysOfTheTileSumEqualTheSumWrittenOut() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(SEED).dataType(DataType.FLOAT).list()
                .layer(new G2GDenseLayer.Builder().nIn(64).nOut(64).groups(4).density(0.4)
                        .execution(Execution.STRUCTURED).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder().nIn(64).nOut(3).activation(Activation.SOFTMAX).build()).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        G2GStructuredLayerImpl layer = (G2GStructuredLayerImpl) net.getLayer(0);
        TileLayout t = layer.layout();
        TiledIndex tiled = new TiledIndex(t, TileLayout.inverse(t.inputOrder()));
        tiled.refresh(layer.index());
        int[][] slots = tiled.slots();
        assertTrue(t.slots() > 0 && tiled.scatterRounds() > 1, "slots read shared tiles: " + tiled.scatterRounds());

        int batch = 5;
        INDArray dXg = Nd4j.rand(DataType.FLOAT, t.groups(), t.fanIn(), batch);
        float[][][] d = new float[t.groups()][t.fanIn()][batch];
        for (int g = 0; g < t.groups(); g++) {
            for (int k = 0; k < t.fanIn(); k++) {
                for (int b = 0; b < batch; b++) {
                    d[g][k][b] = dXg.getFloat(g, k, b);
                }
            }
        }
        int ng = t.inGroupSize();
        float[] expected = new float[(int) t.in().size() * batch];
        for (int g = 0; g < t.groups(); g++) {
            for (int k = 0; k < ng; k++) {
                for (int b = 0; b < batch; b++) {
                    expected[(g * ng + k) * batch + b] = d[g][k][b];
                }
            }
        }
        for (int g = 0; g < t.groups(); g++) {
            for (int j = 0; j < t.slots(); j++) {
                for (int o = 0; o < t.tile(); o++) {
                    for (int b = 0; b < batch; b++) {
                        expected[(slots[g][j] * t.tile() + o) * batch + b] += d[g][ng + j * t.tile() + o][b];
                    }
                }
            }
        }
        for (boolean inPlace : new boolean[] {true, false}) {
            INDArray r = Nd4j.createUninitialized(DataType.FLOAT, t.tiles(), (long) t.tile() * batch);
            tiled.addTiles(dXg, r, inPlace);
            assertArrayEquals(expected, r.reshape(r.length()).toFloatVector(), 0f, inPlace ? "in place" : "rounds");
        }
    }
}
