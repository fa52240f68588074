package org.g2gnet.rewiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.g2gnet.G2GTestBase;
import org.g2gnet.MaskIntegrity;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;

/** A criterion a user writes (docs/EXTENDING.md) works through the listener like a built-in one. */
class CustomCriterionTest extends G2GTestBase {

    // --- from docs/EXTENDING.md, "Add a criterion" ---
    /** Prune the smallest w^2: the same order as MAGNITUDE, written as a user would. */
    static final class SmallestSquare implements PruneCriterion {
        @Override
        public float[] scores(UnitScores s) {
            float[] w = s.absWeights();
            float[] out = new float[w.length];
            for (int i = 0; i < w.length; i++) {
                out[i] = w[i] * w[i];
            }
            return out;
        }

        @Override
        public String name() {
            return "SMALLEST_SQUARE";
        }
    }

    /** Grow where the Hebbian score is largest in absolute value (anti-correlated pairs too). */
    static final class AbsoluteHebbian implements GrowthCriterion {
        @Override
        public float[] scores(UnitScores s) {
            float[] h = s.hebbian().clone();
            for (int i = 0; i < h.length; i++) {
                h[i] = Math.abs(h[i]);
            }
            return h;
        }

        @Override
        public String name() {
            return "ABSOLUTE_HEBBIAN";
        }
    }
    // --- end of the snippet ---

    private static MultiLayerNetwork train(PruneCriterion prune, GrowthCriterion grow, RewiringListener[] out) {
        MultiLayerNetwork net = g2gNet(24, new int[] {20, 16}, 4, 0.2, Activation.RELU, new Adam(1e-2), DataType.FLOAT, 3);
        RewiringListener r = RewiringListener.builder().everyIterations(3).fraction(0.2).prune(prune).grow(grow)
                .seed(11).logEvents(false).build();
        net.setListeners(r);
        DataSet d = randomData(32, 24, 3, SEED, DataType.FLOAT);
        for (int i = 0; i < 9; i++) {
            net.fit(d);
        }
        out[0] = r;
        return net;
    }

    @Test
    void aUserCriterionRewiresThroughTheListener() throws Exception {
        RewiringListener[] custom = new RewiringListener[1];
        RewiringListener[] builtIn = new RewiringListener[1];
        MultiLayerNetwork a = train(new SmallestSquare(), GrowthCriterion.HEBBIAN, custom);
        MultiLayerNetwork b = train(PruneCriterion.MAGNITUDE, GrowthCriterion.HEBBIAN, builtIn);
        assertEquals(6, custom[0].events().size(), "3 events x 2 layers");
        for (int l = 0; l < 2; l++) {
            INDArray ma = a.getLayer(l).getParam("M");
            INDArray mb = b.getLayer(l).getParam("M");
            assertEquals(mb, ma, "w^2 ranks as |w| does: the same masks as MAGNITUDE, layer " + l);
        }

        RewiringListener[] abs = new RewiringListener[1];
        MultiLayerNetwork c = train(PruneCriterion.MAGNITUDE, new AbsoluteHebbian(), abs);
        MaskIntegrity.check(c, "custom growth");
        assertTrue(abs[0].events().stream().allMatch(e -> e.pruned() > 0 && e.pruned() == e.grown()));
        // non-negative inputs and ReLU: every cosine is >= 0, so |h| ranks as h does
        assertEquals(b.getLayer(0).getParam("M"), c.getLayer(0).getParam("M"), "|Hebbian| = Hebbian here");
        assertFalse(new AbsoluteHebbian().needsDenseGradient());
        // and a criterion that ranks otherwise gives other masks: prune the largest weights
        PruneCriterion largest = new PruneCriterion() {
            @Override
            public float[] scores(UnitScores s) {
                float[] w = s.absWeights().clone();
                for (int i = 0; i < w.length; i++) {
                    w[i] = -w[i];
                }
                return w;
            }

            @Override
            public String name() {
                return "LARGEST";
            }
        };
        MultiLayerNetwork d = train(largest, GrowthCriterion.HEBBIAN, new RewiringListener[1]);
        assertNotEquals(b.getLayer(0).getParam("M"), d.getLayer(0).getParam("M"), "another ranking, other masks");

        // the listener with a user criterion travels (its state is Java-serialised into checkpoints)
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
            o.writeObject(custom[0].config());
        }
        try (ObjectInputStream i = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            RewiringConfig back = (RewiringConfig) i.readObject();
            assertEquals("SMALLEST_SQUARE", back.prune().name());
            assertTrue(back.grow() == GrowthCriterion.HEBBIAN, "built-ins stay the same constants");
        }
    }
}
