package org.g2gnet.conf;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;

import org.deeplearning4j.exception.DL4JInvalidConfigException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.g2gnet.G2GTestBase;
import org.g2gnet.topology.Grouping;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Random builder values: each configuration either builds a network that trains and gives finite outputs,
 * or fails with a clear exception; none hangs, crashes or yields NaN.
 */
class G2GDenseLayerFuzzTest extends G2GTestBase {

    private static double prob(SplittableRandom r) {
        double u = r.nextDouble();
        return u < 0.1 ? -0.3 : u < 0.2 ? 1.4 : u < 0.25 ? Double.NaN : r.nextDouble();
    }

    @Test
    void randomConfigurationsBuildAndTrainOrFailClearly() {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            SplittableRandom r = new SplittableRandom(2024);
            int built = 0;
            int rejected = 0;
            for (int trial = 0; trial < 300; trial++) {
                int nIn = r.nextInt(-1, 25);
                int nOut = r.nextInt(-1, 25);
                int groups = r.nextInt(-1, 12);
                String what = "trial " + trial + ": nIn " + nIn + ", nOut " + nOut + ", groups " + groups;
                try {
                    G2GDenseLayer.Builder b = new G2GDenseLayer.Builder().name("fuzz").nIn(nIn).nOut(nOut)
                            .activation(Activation.TANH).groups(groups).pIntra(prob(r))
                            .grouping(Grouping.values()[r.nextInt(3)]).inputGrouping(Grouping.values()[r.nextInt(3)])
                            .exactCount(r.nextBoolean());
                    if (r.nextBoolean()) {
                        b.density(r.nextDouble() < 0.1 ? 0 : r.nextDouble());
                    } else {
                        b.pInter(prob(r));
                    }
                    MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(trial)
                            .updater(new Adam(1e-2)).list().layer(b.build())
                            .layer(new OutputLayer.Builder().nIn(Math.max(nOut, 1)).nOut(2)
                                    .activation(Activation.SOFTMAX).build()).build());
                    net.init();
                    DataSet ds = randomData(5, nIn, 2, trial, DataType.FLOAT);
                    for (int i = 0; i < 3; i++) {
                        net.fit(ds);
                    }
                    INDArray out = net.output(ds.getFeatures());
                    assertFalse(out.isNaN().any() || out.isInfinite().any(), what + ": non-finite output");
                    assertTrue(Double.isFinite(net.score()), what + ": non-finite loss");
                    built++;
                } catch (IllegalArgumentException | IllegalStateException | DL4JInvalidConfigException e) {
                    String m = e.getMessage();
                    assertTrue(m != null && (m.contains("G2GDenseLayer") || m.contains("nIn") || m.contains("must")),
                            what + ": unclear message '" + m + "'");
                    rejected++;
                }
            }
            assertTrue(built > 50 && rejected > 50, "built " + built + ", rejected " + rejected);
        });
    }
}
