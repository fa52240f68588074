package org.g2gnet.rewiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.g2gnet.G2GTestBase;
import org.g2gnet.layers.G2GDenseLayerImpl;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/** The mutation point of masked layers keeps precision. */
class MaskUpdaterTest extends G2GTestBase {

    private static MultiLayerNetwork net(DataType dtype) {
        return g2gNet(24, new int[] {20, 16}, 4, 0.2, Activation.RELU, new Adam(1e-2), dtype, 3);
    }

    private static double[] doubles(INDArray a) {
        return Nd4j.toFlattened('f', a).castTo(DataType.DOUBLE).toDoubleVector();
    }

    @Test
    void smallRandomRegrowthKeepsEveryUntouchedWeightOfADoubleNetworkBitForBit() {
        useDouble();
        MultiLayerNetwork net = net(DataType.DOUBLE);
        DataSet ds = randomData(32, 24, 3, 1, DataType.DOUBLE);
        for (int i = 0; i < 3; i++) {
            net.fit(ds);
        }
        G2GDenseLayerImpl layer = (G2GDenseLayerImpl) net.getLayer(0);
        double[] w0 = doubles(layer.weights());
        double[] m0 = doubles(layer.mask());
        RewiringListener r = RewiringListener.builder().fraction(0.3).prune(PruneCriterion.MAGNITUDE)
                .grow(GrowthCriterion.RANDOM).regrowth(MaskUpdater.Regrowth.SMALL_RANDOM).seed(3).logEvents(false)
                .build();
        r.rewireNow(net, ds, 2, 0);
        double[] w1 = doubles(layer.weights());
        double[] m1 = doubles(layer.mask());
        double meanAbs = 0;
        int active = 0;
        for (int k = 0; k < w0.length; k++) {
            if (m0[k] == 1) {
                meanAbs += Math.abs(w0[k]);
                active++;
            }
        }
        meanAbs /= active;
        int untouched = 0;
        int grown = 0;
        for (int k = 0; k < w0.length; k++) {
            if (m0[k] == 1 && m1[k] == 1) {
                assertEquals(Double.doubleToRawLongBits(w0[k]), Double.doubleToRawLongBits(w1[k]),
                        "untouched weight " + k + ": " + w0[k] + " became " + w1[k]);
                untouched++;
            } else if (m1[k] == 0) {
                assertEquals(0.0, w1[k], 0.0, "weight " + k + " where the mask is 0");
            } else {
                assertTrue(w1[k] != 0 && Math.abs(w1[k]) <= 0.1 * meanAbs * (1 + 1e-6), "regrown weight " + w1[k]);
                grown++;
            }
        }
        assertTrue(untouched > 0 && grown > 0, untouched + " untouched, " + grown + " grown");
    }
}
