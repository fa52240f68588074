package org.g2gnet.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.g2gnet.G2GTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class G2GDenseLayerValidationTest extends G2GTestBase {

    private static void assertMessage(Executable e, String... parts) {
        Exception ex = assertThrows(Exception.class, e);
        for (String p : parts) {
            assertTrue(ex.getMessage() != null && ex.getMessage().contains(p),
                    "message '" + ex.getMessage() + "' lacks '" + p + "'");
        }
    }

    @Test
    void probabilitiesOutOfRange() {
        assertMessage(() -> new G2GDenseLayer.Builder().name("g2g1").pInter(1.5),
                "G2GDenseLayer 'g2g1'", "pInter must be in [0, 1], got 1.5");
        assertMessage(() -> new G2GDenseLayer.Builder().pIntra(-0.1), "pIntra must be in [0, 1], got -0.1");
        assertMessage(() -> new G2GDenseLayer.Builder().pIntra(Double.NaN), "pIntra", "NaN");
    }

    @Test
    void densityOutOfRange() {
        assertMessage(() -> new G2GDenseLayer.Builder().density(0), "density must be in (0, 1], got 0.0");
        assertMessage(() -> new G2GDenseLayer.Builder().density(1.2), "density must be in (0, 1], got 1.2");
    }

    @Test
    void groupsOutOfRange() {
        assertMessage(() -> new G2GDenseLayer.Builder().groups(0), "groups must be >= 1, got 0");
        assertMessage(() -> new G2GDenseLayer.Builder().name("x").nIn(4).nOut(10).groups(5).build(),
                "G2GDenseLayer 'x'", "groups must be in [1, min(nIn, nOut)] = [1, 4]", "got 5");
    }

    @Test
    void groupsCheckedAgainstNInFromTheInputType() {
        // nIn unknown at build time, set from the input type: the check happens at init
        NeuralNetConfiguration.ListBuilder lb = new NeuralNetConfiguration.Builder().list()
                .layer(new G2GDenseLayer.Builder().name("late").nOut(16).groups(8).build())
                .layer(new OutputLayer.Builder().nOut(2).build())
                .setInputType(InputType.feedForward(4));
        MultiLayerNetwork net = new MultiLayerNetwork(lb.build());
        assertMessage(net::init, "G2GDenseLayer 'late'", "groups must be in [1, min(nIn, nOut)] = [1, 4]", "got 8");
    }

    @Test
    void unreachableDensity() {
        assertMessage(() -> new G2GDenseLayer.Builder().name("d").nIn(64).nOut(64).groups(8).pIntra(1.0)
                        .density(0.05).build(),
                "G2GDenseLayer 'd'", "density 0.05 is not reachable with pIntra 1.0 and 8 groups", "[0.125, 1.0]");
        assertMessage(() -> new G2GDenseLayer.Builder().groups(4).pIntra(0.0).density(0.9).build(),
                "density 0.9 is not reachable with pIntra 0.0 and 4 groups");
    }

    @Test
    void pInterAndDensityTogether() {
        assertMessage(() -> new G2GDenseLayer.Builder().nIn(8).nOut(8).groups(2).pInter(0.2).density(0.5).build(),
                "set either pInter (0.2) or density (0.5), not both");
    }

    @Test
    void nInNOutMustBeSet() {
        NeuralNetConfiguration.ListBuilder lb = new NeuralNetConfiguration.Builder().list()
                .layer(new G2GDenseLayer.Builder().nOut(0).groups(1).build())
                .layer(new OutputLayer.Builder().nIn(3).nOut(2).build());
        MultiLayerNetwork net = new MultiLayerNetwork(lb.build());
        assertMessage(net::init, "G2GDenseLayer", "nIn=0, nOut=0", "must be > 0");
    }

    @Test
    void validValuesBuild() {
        G2GDenseLayer l = new G2GDenseLayer.Builder().nIn(1024).nOut(1024).groups(8).density(0.25).build();
        assertEquals(0.25, l.getNominalDensity(), 0);
        assertEquals(1.0 / 7, l.resolvePInter(l.inputPartition(1), l.outputPartition(1)), 1e-12);
        G2GDenseLayer p = new G2GDenseLayer.Builder().nIn(10).nOut(10).build();
        assertEquals(0.25625, p.getNominalDensity(), 1e-12);
    }

    @Test
    void aLayerWithoutConnectionsIsRefused() {
        assertMessage(() -> new G2GDenseLayer.Builder().name("empty").pIntra(0).pInter(0).build(),
                "G2GDenseLayer 'empty'", "no connections", "pIntra 0.0 and pInter 0.0");
        // a density so small that every block's exact count rounds to 0
        assertMessage(() -> new G2GDenseLayer.Builder().name("tiny").nIn(16).nOut(16).groups(4).pIntra(0)
                        .density(1e-4).build(),
                "G2GDenseLayer 'tiny'", "no connections", "rounds to 0");
        // nIn known only from the input type: refused at init
        NeuralNetConfiguration.ListBuilder lb = new NeuralNetConfiguration.Builder().list()
                .layer(new G2GDenseLayer.Builder().name("late").nOut(16).groups(4).pIntra(0).pInter(0.01).build())
                .layer(new OutputLayer.Builder().nOut(2).build())
                .setInputType(InputType.feedForward(16));
        MultiLayerNetwork net = new MultiLayerNetwork(lb.build());
        assertMessage(net::init, "G2GDenseLayer 'late'", "no connections");
    }

    @Test
    void aLayerThatCanNeverBeAllocatedIsRefusedByTheBuilderWithItsSize() {
        assertMessage(() -> new G2GDenseLayer.Builder().name("big").nIn(100_000).nOut(100_000).build(),
                "G2GDenseLayer 'big'", "nIn * nOut", "10,000,000,000", "GB");
    }
}
