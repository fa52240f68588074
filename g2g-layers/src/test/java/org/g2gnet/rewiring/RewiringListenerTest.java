package org.g2gnet.rewiring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.g2gnet.G2GTestBase;
import org.g2gnet.conf.G2GDenseLayer;
import org.g2gnet.topology.Grouping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class RewiringListenerTest extends G2GTestBase {

    private static MultiLayerNetwork net(long seed) {
        return g2gNet(24, new int[] {20, 16}, 4, 0.2, Activation.RELU, new Adam(1e-2), DataType.FLOAT, 3);
    }

    @Test
    void everyCriterionPairKeepsTheInvariantsOverManySeeds() {
        DataSet ds = randomData(32, 24, 3, 1, DataType.FLOAT);
        for (PruneCriterion p : PruneCriterion.values()) {
            for (GrowthCriterion g : GrowthCriterion.values()) {
                for (long seed = 1; seed <= 3; seed++) {
                    MultiLayerNetwork net = net(seed);
                    RewiringListener r = RewiringListener.builder().everyIterations(3).fraction(0.2).prune(p).grow(g)
                            .seed(seed).logEvents(false).build();
                    RewiringInvariants checker = RewiringInvariants.afterEveryEventOf(r);
                    net.setListeners(r, checker);
                    double density0 = net.getLayer(0).getParam("M").meanNumber().doubleValue();
                    for (int i = 0; i < 10; i++) {
                        net.fit(ds);
                    }
                    String what = p + ":" + g + " seed " + seed;
                    assertEquals(6, checker.events, what);
                    assertEquals(6, r.events().size(), what);
                    for (RewiringEvent e : r.events()) {
                        assertEquals(e.pruned(), e.grown(), what);
                        assertTrue(e.pruned() > 0, what);
                        assertEquals(e.grown(), e.grownIntra() + e.grownInter(), what);
                        assertTrue(Double.isFinite(e.meanScorePruned()), what + " hebbian diagnostics collected");
                    }
                    assertEquals(density0, net.getLayer(0).getParam("M").meanNumber().doubleValue(), 1e-9, what);
                    assertEquals(List.of(2, 5, 8), r.events().stream().filter(e -> e.layerIndex() == 0)
                            .map(RewiringEvent::iteration).toList(), what);
                }
            }
        }
    }

    /** Driver-side events (as the Spark engine uses them): same invariants as events during training. */
    @Test
    void rewireNowOnASampleKeepsTheInvariants() {
        DataSet ds = randomData(64, 24, 3, 4, DataType.FLOAT);
        for (GrowthCriterion g : GrowthCriterion.values()) {
            MultiLayerNetwork net = net(1);
            for (int i = 0; i < 3; i++) {
                net.fit(ds);
            }
            MultiLayerNetwork twin = net.clone();
            RewiringListener r = RewiringListener.builder().everyIterations(1000).fraction(0.2)
                    .prune(PruneCriterion.HEBBIAN).grow(g).seed(5).logEvents(false).build();
            RewiringInvariants.Snapshot before = RewiringInvariants.snapshot(net);
            List<RewiringEvent> events = r.rewireNow(net, ds, 2, 0);
            assertEquals(2, events.size(), g.toString());
            // same invariants as after an event in training: density, M 0/1, W == 0 where M == 0, regrown
            // weights at 0, updater state of changed entries reset, something changed
            assertEquals(2, RewiringInvariants.checkEvent(net, before, MaskUpdater.Regrowth.ZERO, true), g.toString());
            for (RewiringEvent e : events) {
                assertEquals(e.pruned(), e.grown(), g.toString());
                assertEquals(2, e.iteration());
                if (g == GrowthCriterion.HEBBIAN) {
                    assertTrue(e.meanScorePruned() < e.meanScoreGrown(), e.summary());
                }
            }
            // the same call on an identical network gives the same masks
            RewiringListener r2 = RewiringListener.builder().everyIterations(1000).fraction(0.2)
                    .prune(PruneCriterion.HEBBIAN).grow(g).seed(5).logEvents(false).build();
            r2.rewireNow(twin, ds, 2, 0);
            assertEquals(net.getLayer(1).getParam("M"), twin.getLayer(1).getParam("M"), g.toString());
        }
        RewiringListener r = RewiringListener.builder().logEvents(false).build();
        MultiLayerNetwork net = net(1);
        String m = assertThrows(IllegalArgumentException.class, () -> r.rewireNow(net, ds, -1, 0)).getMessage();
        assertTrue(m.contains("iteration must be >= 0, got -1"), m);
    }

    @Test
    void sameSeedSameMasksOtherSeedOtherMasks() {
        DataSet ds = randomData(32, 24, 3, 2, DataType.FLOAT);
        List<INDArray> masks = new ArrayList<>();
        for (long seed : new long[] {7, 7, 8}) {
            MultiLayerNetwork net = net(1);
            net.setListeners(RewiringListener.builder().everyIterations(2).fraction(0.3).prune(PruneCriterion.RANDOM)
                    .grow(GrowthCriterion.RANDOM).seed(seed).logEvents(false).build());
            for (int i = 0; i < 6; i++) {
                net.fit(ds);
            }
            masks.add(net.getLayer(1).getParam("M").dup());
        }
        assertEquals(masks.get(0), masks.get(1));
        assertNotEquals(masks.get(0), masks.get(2));
    }

    @Test
    void hebbianPrunesTheLowestScoresAndGrowsTheHighest() {
        DataSet ds = randomData(64, 24, 3, 3, DataType.FLOAT);
        MultiLayerNetwork net = net(1);
        RewiringListener r = RewiringListener.builder().everyIterations(1).fraction(0.1).seed(1).logEvents(false).build();
        net.setListeners(r);
        net.fit(ds);
        for (RewiringEvent e : r.events()) {
            assertTrue(e.meanScorePruned() < e.meanScoreGrown(), e.summary());
        }
    }

    @Test
    void epochScheduleAndComputationGraph() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(SEED).updater(new Adam(1e-2))
                .graphBuilder().addInputs("in")
                .addLayer("g1", new G2GDenseLayer.Builder().nIn(24).nOut(16).groups(4).activation(Activation.RELU).build(), "in")
                .addLayer("g2", new G2GDenseLayer.Builder().nIn(16).nOut(12).groups(4).grouping(Grouping.INTERLEAVED)
                        .activation(Activation.RELU).build(), "g1")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(12).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "g2")
                .setOutputs("out").build();
        ComputationGraph cg = new ComputationGraph(conf);
        cg.init();
        RewiringListener r = RewiringListener.builder().everyEpochs(1).fraction(0.2).grow(GrowthCriterion.GRADIENT)
                .seed(2).logEvents(false).build();
        cg.setListeners(r);
        double active = cg.getLayer("g2").getParam("M").sumNumber().doubleValue();
        var it = new org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator<>(
                List.of(randomData(16, 24, 3, 4, DataType.FLOAT), randomData(16, 24, 3, 5, DataType.FLOAT)), 1);
        cg.fit(it, 3);
        assertEquals(6, r.events().size());
        assertEquals(List.of("g1", "g2"), r.events().subList(0, 2).stream().map(RewiringEvent::layer).toList());
        assertEquals(List.of(1, 3, 5), r.events().stream().filter(e -> e.layer().equals("g1"))
                .map(RewiringEvent::iteration).toList());
        assertEquals(active, cg.getLayer("g2").getParam("M").sumNumber().doubleValue(), 0);
        assertEquals(0.0, cg.getLayer("g2").getParam("W").mul(cg.getLayer("g2").getParam("M").rsub(1))
                .amaxNumber().doubleValue(), 0);
    }

    @Test
    void resumeFromAModelFileIsBitForBit(@TempDir Path dir) throws Exception {
        List<DataSet> batches = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            batches.add(randomData(16, 24, 3, 100 + i, DataType.FLOAT));
        }
        RewiringListener.Builder cfg = RewiringListener.builder().everyIterations(3).fraction(0.15)
                .hebbianAverage(0.8, 4).grow(GrowthCriterion.GRADIENT).seed(9).logEvents(false);
        MultiLayerNetwork straight = net(1);
        RewiringListener r1 = cfg.build();
        straight.setListeners(r1);
        for (DataSet b : batches) {
            straight.fit(b);
        }

        MultiLayerNetwork first = net(1);
        RewiringListener r2 = RewiringListener.builder().everyIterations(3).fraction(0.15).hebbianAverage(0.8, 4)
                .grow(GrowthCriterion.GRADIENT).seed(9).logEvents(false).build();
        first.setListeners(r2);
        for (int i = 0; i < 7; i++) { // stops inside an averaging window
            first.fit(batches.get(i));
        }
        SavedRuns.Resumed back = SavedRuns.saveAndRestore(first, r2, RewiringListener.builder().everyIterations(3)
                .fraction(0.15).hebbianAverage(0.8, 4).grow(GrowthCriterion.GRADIENT).seed(9).logEvents(false).build(), dir);
        MultiLayerNetwork resumed = back.net();
        RewiringListener r3 = back.listener();
        for (int i = 7; i < 12; i++) {
            resumed.fit(batches.get(i));
        }
        assertEquals(straight.params(), resumed.params());
        assertEquals(straight.getLayer(0).getParam("M"), resumed.getLayer(0).getParam("M"));
        assertEquals(r1.events(), r3.events());
    }

    @Test
    void badOptionsAreRejectedClearly() {
        String m = assertThrows(IllegalArgumentException.class, () -> RewiringListener.builder().fraction(0)).getMessage();
        assertTrue(m.contains("fraction must be in (0, 1], got 0.0"), m);
        m = assertThrows(IllegalArgumentException.class, () -> RewiringListener.builder().fraction(1.1)).getMessage();
        assertTrue(m.contains("got 1.1"), m);
        m = assertThrows(IllegalArgumentException.class, () -> RewiringListener.builder().everyIterations(0)).getMessage();
        assertTrue(m.contains("period must be >= 1 iterations, got 0"), m);
        m = assertThrows(IllegalArgumentException.class, () -> RewiringListener.builder().everyEpochs(-2)).getMessage();
        assertTrue(m.contains("got -2"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> RewiringListener.builder().everyEpochs(1).everyIterations(5)).getMessage();
        assertTrue(m.contains("either everyIterations or everyEpochs"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> RewiringListener.builder().hebbianAverage(1.0, 3)).getMessage();
        assertTrue(m.contains("decay must be in (0, 1)"), m);

        MultiLayerNetwork dense = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(3).build())
                .layer(new OutputLayer.Builder().nIn(3).nOut(2).build()).build());
        dense.init();
        dense.setListeners(RewiringListener.builder().build());
        m = assertThrows(IllegalStateException.class, () -> dense.fit(randomData(4, 4, 2, 1, DataType.FLOAT))).getMessage();
        assertTrue(m.contains("no trainable G2GDenseLayer") && m.contains("DenseLayer"), m);
    }
    /**
     * A DOUBLE run saved in the middle of a Hebbian average resumes exactly: the average read back has the
     * network's precision, so the averages one batch later are equal and so is everything after.
     */
    @Test
    void aDoubleRunResumedMidAverageIsExact(@TempDir Path dir) throws Exception {
        useDouble();
        List<DataSet> batches = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            batches.add(randomData(16, 24, 3, 200 + i, DataType.DOUBLE));
        }
        Supplier<RewiringListener> listener = () -> RewiringListener.builder().everyIterations(3)
                .fraction(0.15).hebbianAverage(0.8, 4).seed(9).logEvents(false).build();
        MultiLayerNetwork straight = g2gNet(24, new int[] {20, 16}, 4, 0.2, Activation.RELU, new Adam(1e-2),
                DataType.DOUBLE, 3);
        RewiringListener r1 = listener.get();
        straight.setListeners(r1);
        for (int i = 0; i < 8; i++) {
            straight.fit(batches.get(i));
        }
        var averageAt7 = r1.state().scores();

        MultiLayerNetwork first = g2gNet(24, new int[] {20, 16}, 4, 0.2, Activation.RELU, new Adam(1e-2),
                DataType.DOUBLE, 3);
        RewiringListener r2 = listener.get();
        first.setListeners(r2);
        for (int i = 0; i < 7; i++) { // iteration 6 starts the average before the event after iteration 8
            first.fit(batches.get(i));
        }
        SavedRuns.Resumed back = SavedRuns.saveAndRestore(first, r2, listener.get(), dir);
        MultiLayerNetwork resumed = back.net();
        RewiringListener r3 = back.listener();
        resumed.fit(batches.get(7));
        var resumedAt7 = r3.state().scores();
        assertEquals(averageAt7.keySet(), resumedAt7.keySet());
        for (String layer : averageAt7.keySet()) {
            assertArrayEquals(averageAt7.get(layer), resumedAt7.get(layer), layer);
        }
        for (int i = 8; i < 12; i++) {
            straight.fit(batches.get(i));
            resumed.fit(batches.get(i));
        }
        assertEquals(straight.params(), resumed.params());
        assertEquals(r1.events(), r3.events());
    }
    /** The shared checker is not vacuous: it notices an event that grew without pruning, or a weight left behind. */
    @Test
    void theInvariantCheckerNoticesABrokenEvent() {
        MultiLayerNetwork net = net(1);
        RewiringInvariants.Snapshot before = RewiringInvariants.snapshot(net);
        INDArray m = net.getLayer(0).getParam("M");
        INDArray w = net.getLayer(0).getParam("W");
        int inactive = 0;
        while (m.getDouble(inactive % 24, inactive / 24) != 0) {
            inactive++;
        }
        m.putScalar(inactive % 24, inactive / 24, 1.0);
        String msg = assertThrows(AssertionError.class, () -> RewiringInvariants.checkEvent(net, before,
                MaskUpdater.Regrowth.SMALL_RANDOM, true)).getMessage();
        assertTrue(msg.contains("active count"), msg);
        m.putScalar(inactive % 24, inactive / 24, 0.0);
        w.putScalar(inactive % 24, inactive / 24, 0.5);
        msg = assertThrows(AssertionError.class, () -> RewiringInvariants.checkEvent(net, before,
                MaskUpdater.Regrowth.ZERO, false)).getMessage();
        assertTrue(msg.contains("W == 0 where M == 0, entry " + inactive), msg);
    }
    /**
     * A model file written by version 0.1 in the middle of a Hebbian average (its scores saved as float[]; made by
     * {@code src/test/resources/rewiring-0.1/MakeStateFixture.java.txt}) resumes exactly where it stopped.
     */
    @Test
    void aVersion01FileWithAnAverageInProgressResumesExactly(@TempDir Path dir) throws Exception {
        File f = dir.resolve("mid-average.zip").toFile();
        try (InputStream in = RewiringListenerTest.class.getResourceAsStream("/rewiring-0.1/mid-average.zip")) {
            Files.copy(in, f.toPath());
        }
        Supplier<RewiringListener> listener = () -> RewiringListener.builder().everyIterations(3)
                .fraction(0.2).hebbianAverage(0.8, 3).seed(4).logEvents(false).build();
        MultiLayerNetwork straight = g2gNet(8, new int[] {6}, 2, 0.5, Activation.RELU, new Adam(1e-2), DataType.FLOAT, 3);
        RewiringListener r1 = listener.get();
        straight.setListeners(r1);
        for (int i = 0; i < 6; i++) {
            straight.fit(randomData(8, 8, 3, 50 + i, DataType.FLOAT));
        }
        MultiLayerNetwork resumed = ModelSerializer.restoreMultiLayerNetwork(f, true);
        RewiringListener r2 = listener.get();
        r2.restoreState(f);
        resumed.setListeners(r2);
        resumed.fit(randomData(8, 8, 3, 55, DataType.FLOAT));
        assertEquals(2, r2.events().size(), "the saved event and the one after step 6");
        for (int i = 0; i < 2; i++) {
            assertSameEvent(r1.events().get(i), r2.events().get(i));
        }
        assertEquals(straight.params(), resumed.params());
    }

    /**
     * The same event up to float rounding: identical counts, and its means equal to 1e-6 (relative above 1). The
     * fixture was written on another machine, and ND4J's float32 reductions round differently on CPUs with other
     * vector instructions (seen: AVX-512 here against the fixture's machine, in the 8th digit), so exact doubles
     * would test the CPU, not the resume.
     */
    private static void assertSameEvent(RewiringEvent expected, RewiringEvent actual) {
        String what = "event at iteration " + expected.iteration() + ": " + actual;
        assertEquals(counts(expected), counts(actual), what);
        double[] e = means(expected);
        double[] a = means(actual);
        for (int k = 0; k < e.length; k++) {
            assertEquals(e[k], a[k], 1e-6 * Math.max(1, Math.abs(e[k])), what + " (mean " + k + ")");
        }
    }

    /** An event's exact part: where and when, and how many connections moved. */
    private static List<Object> counts(RewiringEvent e) {
        return List.of(e.layer(), e.layerIndex(), e.iteration(), e.epoch(), e.pruned(), e.grown(), e.grownIntra(),
                e.grownInter(), e.unit());
    }

    /** An event's floating-point part: densities, shares and mean scores and weights. */
    private static double[] means(RewiringEvent e) {
        return new double[] {e.density(), e.meanScorePruned(), e.meanScoreGrown(), e.meanAbsWeightPruned(),
                e.meanAbsWeightActive(), e.zeroScorePrunedShare(), e.intraShare(), e.fraction()};
    }
}
