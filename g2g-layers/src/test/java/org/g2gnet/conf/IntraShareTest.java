package org.g2gnet.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.g2gnet.G2GTestBase;
import org.g2gnet.topology.ConnectionMask;
import org.g2gnet.topology.GroupPartition;
import org.g2gnet.topology.Grouping;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** intraShare(s) with density(d): pIntra = s d G, a mask with that share inside groups, and clear refusals. */
class IntraShareTest extends G2GTestBase {

    /** Share of a mask's active connections whose input and output lie in the same group. */
    private static double measuredShare(ConnectionMask m, GroupPartition in, GroupPartition out) {
        long intra = 0;
        long all = 0;
        for (int i = 0; i < m.nIn(); i++) {
            for (int o = 0; o < m.nOut(); o++) {
                if (m.isActive(i, o)) {
                    all++;
                    intra += in.labels()[i] == out.labels()[o] ? 1 : 0;
                }
            }
        }
        return (double) intra / all;
    }

    @Test
    void aShareAtADensityGivesThatShareInsideGroups() {
        for (double s : new double[] {0.25, 0.5, 0.9}) {
            G2GDenseLayer l = new G2GDenseLayer.Builder().name("g").nIn(1024).nOut(1024).groups(16).density(0.05)
                    .intraShare(s).grouping(Grouping.INTERLEAVED).inputGrouping(Grouping.INTERLEAVED).build();
            assertEquals(s * 0.05 * 16, l.getPIntra(), 1e-12, "pIntra = s d G");
            ConnectionMask m = l.generateMask(SEED);
            assertEquals(0.05, m.density(), 0.002, "density kept at share " + s);
            // exact counts round per block: 22 of 4,096 pairs per inter block at s = 0.9
            assertEquals(s, measuredShare(m, l.inputPartition(SEED), l.outputPartition(SEED)), 0.005, "share " + s);
        }
    }

    @Test
    void theStructureSurvivesJson() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(SEED).list()
                .layer(new G2GDenseLayer.Builder().name("g").nIn(64).nOut(64).groups(8).density(0.1).intraShare(0.75)
                        .activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(64).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        G2GDenseLayer a = (G2GDenseLayer) conf.getConf(0).getLayer();
        G2GDenseLayer b = (G2GDenseLayer) back.getConf(0).getLayer();
        assertEquals(a, b);
        assertEquals(0.6, b.getPIntra(), 1e-12);
        assertEquals(a.generateMask(SEED).activeCount(), b.generateMask(SEED).activeCount());
    }

    @Test
    void theConvolutionLayerTakesTheSameShare() {
        G2GConvolutionLayer c = new G2GConvolutionLayer.Builder(3, 3).name("c").nIn(32).nOut(32).groups(4)
                .density(0.2).intraShare(0.5).build();
        assertEquals(0.4, c.getPIntra(), 1e-12);
    }

    @Test
    void impossibleSharesAreRefusedWithTheValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new G2GDenseLayer.Builder()
                .name("g").nIn(1024).nOut(1024).groups(32).density(0.05).intraShare(0.9).build());
        assertTrue(e.getMessage().startsWith("G2GDenseLayer 'g': intra share 0.9 at density 0.05 with 32 groups "
                + "needs pIntra = s d G = 1.44 > 1"), e.getMessage());
        assertTrue(e.getMessage().contains("largest share is 1/(d G) = 0.625"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new G2GDenseLayer.Builder().name("g").nIn(64).nOut(64)
                .groups(8).intraShare(0.5).build());
        assertTrue(e.getMessage().contains("needs a target density"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new G2GDenseLayer.Builder().name("g").nIn(64).nOut(64)
                .groups(8).density(0.1).pIntra(0.5).intraShare(0.5).build());
        assertTrue(e.getMessage().contains("either pIntra (0.5) or intraShare (0.5)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new G2GDenseLayer.Builder().name("g").intraShare(0));
        assertEquals("G2GDenseLayer 'g': intraShare must be in (0, 1], got 0.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new G2GConvolutionLayer.Builder(3, 3).name("c")
                .intraShare(1.5));
        assertTrue(e.getMessage().contains("intraShare must be in (0, 1], got 1.5"), e.getMessage());
        // a share so low that the inter-group blocks would have to be more than full
        e = assertThrows(IllegalArgumentException.class, () -> G2GLayerValidation.pIntraForShare("x", 0.1, 0.9, 2));
        assertTrue(e.getMessage().contains("more active connections between groups than there are pairs"),
                e.getMessage());
    }
}
