package org.g2gnet.rewiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.g2gnet.G2GTestBase;
import org.g2gnet.conf.Execution;
import org.g2gnet.conf.G2GDenseLayer;
import org.g2gnet.layers.G2GStructuredLayerImpl;
import org.g2gnet.topology.Grouping;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Rewiring of structured layers works on whole tiles and keeps the layout's invariants. */
class TileRewiringTest extends G2GTestBase {

    private static MultiLayerNetwork net() {
        NeuralNetConfiguration.ListBuilder lb = new NeuralNetConfiguration.Builder().seed(SEED).updater(new Adam(1e-2))
                .list();
        lb.layer(new G2GDenseLayer.Builder().nIn(32).nOut(24).groups(4).pInter(0.3).tileSize(2)
                .execution(Execution.STRUCTURED).activation(Activation.RELU).build());
        lb.layer(new G2GDenseLayer.Builder().nIn(24).nOut(24).groups(4).pInter(0.4).tileSize(3)
                .execution(Execution.STRUCTURED).inputGrouping(Grouping.INDEX).grouping(Grouping.INTERLEAVED)
                .activation(Activation.RELU).build());
        lb.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(24).nOut(3)
                .activation(Activation.SOFTMAX).build());
        MultiLayerNetwork n = new MultiLayerNetwork(lb.build());
        n.init();
        return n;
    }

    @Test
    void everyCriterionPairRewiresWholeTilesAndKeepsTheLayout() {
        DataSet ds = randomData(32, 32, 3, 3, DataType.FLOAT);
        for (PruneCriterion p : PruneCriterion.values()) {
            for (GrowthCriterion g : GrowthCriterion.values()) {
                MultiLayerNetwork n = net();
                double density = n.getLayer(0).numParams();
                RewiringListener r = RewiringListener.builder().everyIterations(2).fraction(0.3).prune(p).grow(g)
                        .seed(4).logEvents(false).build();
                RewiringInvariants c = RewiringInvariants.afterEveryEventOf(r);
                n.setListeners(r, c);
                for (int i = 0; i < 8; i++) {
                    n.fit(ds);
                }
                assertEquals(8, c.events, p + ":" + g);
                assertEquals(density, n.getLayer(0).numParams(), 0);
                for (RewiringEvent e : r.events()) {
                    assertEquals(e.pruned(), e.grown(), e.summary());
                    assertEquals(0, e.grownIntra());
                    assertTrue(e.pruned() > 0);
                }
                assertTrue(Double.isFinite(n.score()));
            }
        }
    }

    @Test
    void sameSeedSameLayout() {
        DataSet ds = randomData(32, 32, 3, 4, DataType.FLOAT);
        List<String> layouts = new ArrayList<>();
        for (long seed : new long[] {1, 1, 2}) {
            MultiLayerNetwork n = net();
            n.setListeners(RewiringListener.builder().everyIterations(2).fraction(0.5).prune(PruneCriterion.RANDOM)
                    .grow(GrowthCriterion.RANDOM).seed(seed).logEvents(false).build());
            for (int i = 0; i < 6; i++) {
                n.fit(ds);
            }
            layouts.add(Arrays.deepToString(((G2GStructuredLayerImpl) n.getLayer(1)).slots()));
        }
        assertEquals(layouts.get(0), layouts.get(1));
        assertNotEquals(layouts.get(0), layouts.get(2));
    }
    /** One structured layer (32 -> 24, 4 groups, tiles of 2: 12 tiles of other groups per output group). */
    private static MultiLayerNetwork oneLayer(double pInter) {
        NeuralNetConfiguration.ListBuilder lb = new NeuralNetConfiguration.Builder().seed(SEED).updater(new Adam(1e-2))
                .list();
        lb.layer(new G2GDenseLayer.Builder().nIn(32).nOut(24).groups(4).pInter(pInter).tileSize(2).name("s")
                .execution(Execution.STRUCTURED).activation(Activation.RELU).build());
        lb.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(24).nOut(3)
                .activation(Activation.SOFTMAX).build());
        MultiLayerNetwork n = new MultiLayerNetwork(lb.build());
        n.init();
        return n;
    }

    /** With pInter 1 no tile is free; with 11 of 12 tiles used one is: events report what changed, no more. */
    @Test
    void anEventWithFewerFreeTilesThanSlotsReportsExactlyWhatChanged() {
        DataSet ds = randomData(32, 32, 3, 5, DataType.FLOAT);
        for (double pInter : new double[] {1.0, 11 / 12.0}) {
            MultiLayerNetwork n = oneLayer(pInter);
            G2GStructuredLayerImpl s = (G2GStructuredLayerImpl) n.getLayer(0);
            int[][] before = s.slots();
            RewiringListener r = RewiringListener.builder().fraction(0.5).prune(PruneCriterion.RANDOM)
                    .grow(GrowthCriterion.RANDOM).seed(1).logEvents(false).build();
            RewiringEvent e = r.rewireNow(n, ds, 0, 0).get(0);
            int[][] after = s.slots();
            int changed = 0;
            for (int g = 0; g < before.length; g++) {
                for (int j = 0; j < before[g].length; j++) {
                    changed += before[g][j] != after[g][j] ? 1 : 0;
                }
            }
            int perSlot = s.layout().tile() * s.layout().outGroupSize();
            assertEquals(pInter == 1.0 ? 0 : 4, changed, "pInter " + pInter);
            assertEquals(changed * perSlot, e.pruned(), e.summary());
            assertEquals(changed * perSlot, e.grown(), e.summary());
        }
    }

    /** Options a tile layout cannot honour are refused on first use, naming the layer and the option. */
    @Test
    void optionsAStructuredLayerCannotHonourAreRefused() {
        DataSet ds = randomData(32, 32, 3, 6, DataType.FLOAT);
        MultiLayerNetwork n = oneLayer(0.3);
        n.setListeners(RewiringListener.builder().everyIterations(2).prunePrefilter(0.5).logEvents(false).build());
        String m = assertThrows(IllegalStateException.class, () -> n.fit(ds)).getMessage();
        assertTrue(m.contains("'s'") && m.contains("prunePrefilter"), m);
        MultiLayerNetwork n2 = oneLayer(0.3);
        n2.setListeners(RewiringListener.builder().everyIterations(2).regrowth(MaskUpdater.Regrowth.SMALL_RANDOM)
                .logEvents(false).build());
        m = assertThrows(IllegalStateException.class, () -> n2.fit(ds)).getMessage();
        assertTrue(m.contains("'s'") && m.contains("SMALL_RANDOM"), m);
    }
}
