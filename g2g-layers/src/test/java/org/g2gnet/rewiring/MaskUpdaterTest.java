package org.g2gnet.rewiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.Function;

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

/** The mutation point of masked layers: its invariant guards fire on broken input, and it keeps precision. */
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

    /** A layer with the given runtime layer's configuration and parameters whose mask or weights write nowhere. */
    private static G2GDenseLayerImpl broken(G2GDenseLayerImpl real, Function<INDArray, INDArray> mask,
                                            Function<INDArray, INDArray> weights) {
        G2GDenseLayerImpl b = new G2GDenseLayerImpl(real.conf(), real.getParam("W").dataType()) {
            @Override
            public INDArray mask() {
                return mask.apply(super.mask());
            }

            @Override
            public INDArray weights() {
                return weights.apply(super.weights());
            }
        };
        b.setIndex(real.getIndex());
        b.setParamTable(real.paramTable());
        return b;
    }

    private static String fails(G2GDenseLayerImpl layer, float[] oldMask, int[] pruned, int[] grown) {
        INDArray scratch = Nd4j.create(layer.getParam("W").dataType(), layer.getParam("W").shape(), 'f');
        return assertThrows(IllegalStateException.class, () -> MaskUpdater.apply(layer, oldMask, pruned, grown,
                MaskUpdater.Regrowth.ZERO, 0, null, new SplittableRandom(1), scratch)).getMessage();
    }

    private static float[] hostMask(G2GDenseLayerImpl layer) {
        return Nd4j.toFlattened('f', layer.mask()).toFloatVector();
    }

    private static int first(float[] mask, float value, int from) {
        for (int k = from; k < mask.length; k++) {
            if (mask[k] == value) {
                return k;
            }
        }
        throw new AssertionError("no entry " + value);
    }

    @Test
    void everyInvariantGuardFiresWithItsMessage() {
        G2GDenseLayerImpl layer = (G2GDenseLayerImpl) net(DataType.FLOAT).getLayer(0);
        float[] m = hostMask(layer);
        int a1 = first(m, 1f, 0);
        int a2 = first(m, 1f, a1 + 1);
        int i1 = first(m, 0f, 0);
        int i2 = first(m, 0f, i1 + 1);

        String msg = fails(layer, m, new int[] {a1, a2}, new int[] {i1});
        assertTrue(msg.contains("rewiring of layer layer0: pruned 2 but grew 1"), msg);
        msg = fails(layer, m, new int[] {i2}, new int[] {i1});
        assertTrue(msg.contains("entry " + i2 + " pruned but not active"), msg);
        msg = fails(layer, m, new int[] {a1}, new int[] {a2});
        assertTrue(msg.contains("entry " + a2 + " grown but already active"), msg);
        msg = fails(layer, m, new int[] {a1}, new int[] {a1});
        assertTrue(msg.contains("entry " + a1 + " grown but already active or pruned/grown twice"), msg);
        float[] half = m.clone();
        half[i2] = 0.5f;
        msg = fails(layer, half, new int[] {a1}, new int[] {i1});
        assertTrue(msg.contains("mask entry " + i2 + " is 0.5") && msg.contains("must be 0 or 1"), msg);
        // a pruned entry listed twice grows the layer by one
        msg = fails((G2GDenseLayerImpl) net(DataType.FLOAT).getLayer(0), m, new int[] {a1, a1}, new int[] {i1, i2});
        assertTrue(msg.contains("active count changed from"), msg);

        // the mask write is lost: the mask read back differs from the new one
        G2GDenseLayerImpl real = (G2GDenseLayerImpl) net(DataType.FLOAT).getLayer(0);
        msg = fails(broken(real, INDArray::dup, w -> w), hostMask(real), new int[] {a1}, new int[] {i1});
        String lost = a1 < i1 ? "mask entry " + a1 + " is 1.0, expected 0.0" : "mask entry " + i1 + " is 0.0, expected 1.0";
        assertTrue(msg.contains(lost), msg);
        // the weight write is lost: a pruned weight is still there where the mask is now 0
        real = (G2GDenseLayerImpl) net(DataType.FLOAT).getLayer(0);
        assertNotEquals(0.0, real.weights().getDouble(a1 % 24, a1 / 24));
        msg = fails(broken(real, x -> x, INDArray::dup), hostMask(real), new int[] {a1}, new int[] {i1});
        assertTrue(msg.contains("weight " + a1 + " is") && msg.contains("where the mask is 0"), msg);
    }
}
