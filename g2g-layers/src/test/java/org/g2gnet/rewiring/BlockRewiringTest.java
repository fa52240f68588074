package org.g2gnet.rewiring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.g2gnet.G2GTestBase;
import org.g2gnet.conf.G2GBlock;
import org.g2gnet.conf.G2GDenseLayer;
import org.g2gnet.layers.G2GBlockImpl;
import org.g2gnet.layers.G2GStructuredLayerImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A block is rewired one inner layer at a time, exactly as the stack of structured layers it computes: the same
 * events (with criteria that leave nothing to chance: the inner layers draw from other RNGs than the stack's
 * layers, {@link InnerLayerRewirer#unit}), the same slots and parameters after them.
 */
class BlockRewiringTest extends G2GTestBase {
    private static final int N_IN = 32;
    private static final int CLASSES = 3;
    private static final int DEPTH = 3;

    /** 32 -> 32 -> 32 -> 32 in 4 groups, tiles of 2: 12 tiles of other groups per output group, 4 of them read. */
    private static G2GBlock block() {
        return new G2GBlock.Builder().name("blk").nIn(N_IN).widths(32, 32, 32).groups(4).pInter(0.34).tileSize(2)
                .activation(Activation.TANH).build();
    }

    private static NeuralNetConfiguration.ListBuilder base() {
        return new NeuralNetConfiguration.Builder().seed(SEED).dataType(DataType.DOUBLE).updater(new Adam(1e-2))
                .weightInit(WeightInit.XAVIER).list();
    }

    private static OutputLayer output() {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(32).nOut(CLASSES)
                .activation(Activation.SOFTMAX).build();
    }

    private static MultiLayerNetwork blockNet() {
        MultiLayerNetwork n = new MultiLayerNetwork(base().layer(block()).layer(output()).build());
        n.init();
        return n;
    }

    private static MultiLayerNetwork stackNet() {
        NeuralNetConfiguration.ListBuilder lb = base();
        for (G2GDenseLayer l : block().equivalentStack(SEED)) {
            lb.layer(l);
        }
        MultiLayerNetwork n = new MultiLayerNetwork(lb.layer(output()).build());
        n.init();
        return n;
    }

    private static List<DataSet> batches(int n, long seed) {
        List<DataSet> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(randomData(16, N_IN, CLASSES, seed + i, DataType.DOUBLE));
        }
        return out;
    }

    private static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff <= tolerance, what + ": differs by " + diff);
    }

    private static RewiringListener listener(PruneCriterion prune) {
        return RewiringListener.builder().everyIterations(2).fraction(0.3).hebbianAverage(0.5, 2).prune(prune)
                .grow(GrowthCriterion.HEBBIAN).seed(3).logEvents(false).build();
    }

    /** THE test: block and stack, same initial weights and listener, same batches: same events, slots, weights. */
    @Test
    void aRewiredBlockStaysTheRewiredStackOfItsStructuredLayers() {
        useDouble();
        for (PruneCriterion prune : new PruneCriterion[] {PruneCriterion.MAGNITUDE, PruneCriterion.HEBBIAN,
                PruneCriterion.HEBBIAN_MAGNITUDE}) {
            MultiLayerNetwork block = blockNet();
            MultiLayerNetwork stack = stackNet();
            assertEquals(stack.params(), block.params(), "initial parameters");
            G2GBlockImpl b = (G2GBlockImpl) block.getLayer(0);
            int[][][] initial = new int[DEPTH][][];
            for (int k = 0; k < DEPTH; k++) {
                initial[k] = b.inner(k).slots();
                assertArrayEquals(((G2GStructuredLayerImpl) stack.getLayer(k)).slots(), initial[k]);
            }
            RewiringListener rb = listener(prune);
            RewiringListener rs = listener(prune);
            RewiringInvariants checker = RewiringInvariants.afterEveryEventOf(rb);
            block.setListeners(rb, checker);
            stack.setListeners(rs);
            List<DataSet> data = batches(10, 100);
            for (DataSet ds : data) {
                block.fit(ds);
                stack.fit(ds);
                for (int k = 0; k < DEPTH; k++) {
                    assertArrayEquals(((G2GStructuredLayerImpl) stack.getLayer(k)).slots(), b.inner(k).slots(),
                            prune + ": slots of inner layer " + k + " after step " + (block.getIterationCount() - 1));
                }
                assertClose(stack.params(), block.params(), 1e-10, prune + ": parameters");
                assertSameAverages(rs, rb, 1e-10, prune.toString());
            }
            String what = prune.toString();
            assertEquals(5 * DEPTH, checker.events, what + ": invariants checked after every event of every layer");
            assertEquals(5 * DEPTH, rb.events().size(), what);
            assertEquals(rs.events().size(), rb.events().size(), what);
            for (int e = 0; e < rb.events().size(); e++) {
                RewiringEvent x = rs.events().get(e);
                RewiringEvent y = rb.events().get(e);
                assertEquals(x.layer(), y.layer(), what);
                assertEquals(0, y.layerIndex(), what + ": events of an inner layer carry the block's index");
                assertEquals(x.iteration(), y.iteration(), what);
                assertEquals(x.pruned(), y.pruned(), what);
                assertTrue(y.pruned() > 0, y.summary());
                assertEquals(x.meanScorePruned(), y.meanScorePruned(), 1e-6, y.summary());
                assertEquals(x.meanScoreGrown(), y.meanScoreGrown(), 1e-6, y.summary());
            }
            assertEquals(List.of("blk/0", "blk/1", "blk/2"), rb.events().subList(0, DEPTH).stream()
                    .map(RewiringEvent::layer).toList());
            for (int k = 0; k < DEPTH; k++) {
                assertFalse(Arrays.deepEquals(initial[k], b.inner(k).slots()), what + ": inner layer " + k + " changed");
            }
            assertEquals(2, RewiringInvariants.updaterStateOf(block, b, b.inner(1).weightParam()).size(),
                    "the checker saw Adam's m and v of the inner layers' weights");
            DataSet test = randomData(9, N_IN, CLASSES, 77, DataType.DOUBLE);
            assertClose(stack.output(test.getFeatures()), block.output(test.getFeatures()), 1e-10, what + ": outputs");
        }
    }

    private static void assertSameAverages(RewiringListener expected, RewiringListener actual, double tolerance,
                                           String what) {
        var a = expected.state().scores();
        var b = actual.state().scores();
        assertEquals(a.keySet(), b.keySet(), what + ": Hebbian averages in progress");
        for (String layer : a.keySet()) {
            assertArrayEquals(a.get(layer), b.get(layer), tolerance, what + ": Hebbian average of " + layer);
        }
    }

    /**
     * ReLU in FLOAT with workspaces: the block activates in place and keeps less; the activity it records is still
     * the stack's (compared up to the first event: RANDOM events differ between block and stack), and events keep
     * the invariants.
     */
    @Test
    void aReluBlockRecordsTheActivityOfItsStructuredLayers() {
        G2GBlock relu = new G2GBlock.Builder().name("blk").nIn(N_IN).widths(32, 32, 32).groups(4).pInter(0.34)
                .tileSize(2).activation(Activation.RELU).build();
        NeuralNetConfiguration.ListBuilder lb = new NeuralNetConfiguration.Builder().seed(SEED)
                .dataType(DataType.FLOAT).updater(new Adam(1e-2)).weightInit(WeightInit.XAVIER).list();
        MultiLayerNetwork block = new MultiLayerNetwork(lb.layer(relu).layer(output()).build());
        block.init();
        NeuralNetConfiguration.ListBuilder ls = new NeuralNetConfiguration.Builder().seed(SEED)
                .dataType(DataType.FLOAT).updater(new Adam(1e-2)).weightInit(WeightInit.XAVIER).list();
        relu.equivalentStack(SEED).forEach(ls::layer);
        MultiLayerNetwork stack = new MultiLayerNetwork(ls.layer(output()).build());
        stack.init();
        Supplier<RewiringListener> listener = () -> RewiringListener.builder().everyIterations(3).fraction(0.3)
                .hebbianAverage(0.5, 3).prune(PruneCriterion.RANDOM).grow(GrowthCriterion.RANDOM).seed(3)
                .logEvents(false).build();
        RewiringListener rb = listener.get();
        RewiringListener rs = listener.get();
        RewiringInvariants checker = RewiringInvariants.afterEveryEventOf(rb);
        block.setListeners(rb, checker);
        stack.setListeners(rs);
        List<DataSet> data = batches(6, 300).stream().map(d -> new DataSet(d.getFeatures().castTo(DataType.FLOAT),
                d.getLabels().castTo(DataType.FLOAT))).toList();
        for (int i = 0; i < data.size(); i++) {
            block.fit(data.get(i));
            stack.fit(data.get(i));
            if (i < 2) { // from the first (RANDOM) event on, block and stack draw other slots
                assertSameAverages(rs, rb, 1e-5, "step " + i);
            }
        }
        assertEquals(2 * DEPTH, checker.events);
        assertEquals(6, checker.steps);
    }

    /** In a ComputationGraph too (its forward-pass callback gives activations by name). */
    @Test
    void aBlockInAComputationGraphIsRewired() {
        useDouble();
        ComputationGraph cg = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(SEED)
                .dataType(DataType.DOUBLE).updater(new Adam(1e-2)).weightInit(WeightInit.XAVIER).graphBuilder()
                .addInputs("in").addLayer("blk", block(), "in").addLayer("out", output(), "blk").setOutputs("out")
                .build());
        cg.init();
        RewiringListener r = listener(PruneCriterion.HEBBIAN);
        RewiringInvariants checker = RewiringInvariants.afterEveryEventOf(r);
        cg.setListeners(r, checker);
        for (DataSet ds : batches(4, 400)) {
            cg.fit(ds);
        }
        assertEquals(2 * DEPTH, checker.events);
        for (RewiringEvent e : r.events()) {
            assertTrue(e.pruned() > 0 && Double.isFinite(e.meanScoreGrown()), e.summary());
        }
    }

    /** A run saved between events, in the middle of a Hebbian average, continues exactly as the uninterrupted run. */
    @Test
    void aBlockRunResumedFromAModelFileIsExact(@TempDir Path dir) throws Exception {
        useDouble();
        List<DataSet> data = batches(10, 200);
        Supplier<RewiringListener> listener = () -> listener(PruneCriterion.HEBBIAN_MAGNITUDE);
        MultiLayerNetwork straight = blockNet();
        RewiringListener r1 = listener.get();
        straight.setListeners(r1);
        for (DataSet ds : data) {
            straight.fit(ds);
        }

        MultiLayerNetwork first = blockNet();
        RewiringListener r2 = listener.get();
        first.setListeners(r2);
        for (int i = 0; i < 5; i++) { // iteration 4 starts the average of the event after iteration 5
            first.fit(data.get(i));
        }
        assertEquals(Set.of("blk/0", "blk/1", "blk/2"), r2.state().scores().keySet(),
                "the averages in progress are saved by inner layer");
        SavedRuns.Resumed back = SavedRuns.saveAndRestore(first, r2, listener.get(), dir);
        MultiLayerNetwork resumed = back.net();
        RewiringListener r3 = back.listener();
        for (int i = 5; i < data.size(); i++) {
            resumed.fit(data.get(i));
        }
        assertEquals(15, r1.events().size());
        assertEquals(r1.events(), r3.events());
        assertEquals(straight.params(), resumed.params());
        G2GBlockImpl a = (G2GBlockImpl) straight.getLayer(0);
        G2GBlockImpl b = (G2GBlockImpl) resumed.getLayer(0);
        for (int k = 0; k < DEPTH; k++) {
            assertArrayEquals(a.inner(k).slots(), b.inner(k).slots(), "inner layer " + k);
        }
    }

    /** An event on a sample outside training (as the Spark engine runs them) matches the stack's too. */
    @Test
    void rewireNowOnABlockMatchesTheStack() {
        useDouble();
        MultiLayerNetwork block = blockNet();
        MultiLayerNetwork stack = stackNet();
        DataSet ds = randomData(64, N_IN, CLASSES, 5, DataType.DOUBLE);
        for (int i = 0; i < 2; i++) {
            block.fit(ds);
            stack.fit(ds);
        }
        RewiringInvariants.Snapshot before = RewiringInvariants.snapshot(block);
        List<RewiringEvent> eb = listener(PruneCriterion.HEBBIAN).rewireNow(block, ds, 2, 0);
        List<RewiringEvent> es = listener(PruneCriterion.HEBBIAN).rewireNow(stack, ds, 2, 0);
        assertEquals(DEPTH, RewiringInvariants.checkEvent(block, before, MaskUpdater.Regrowth.ZERO, true));
        assertEquals(DEPTH, eb.size());
        G2GBlockImpl b = (G2GBlockImpl) block.getLayer(0);
        for (int k = 0; k < DEPTH; k++) {
            assertArrayEquals(((G2GStructuredLayerImpl) stack.getLayer(k)).slots(), b.inner(k).slots(), "layer " + k);
            assertEquals(es.get(k).pruned(), eb.get(k).pruned());
            assertEquals(es.get(k).meanScoreGrown(), eb.get(k).meanScoreGrown(), 1e-6, eb.get(k).summary());
        }
        assertClose(stack.params(), block.params(), 1e-10, "parameters");
    }

    /** Gradient growth needs a dense gradient the block does not compute: refused, naming the block and a way out. */
    @Test
    void gradientGrowthIsRefusedForABlockByName() {
        MultiLayerNetwork net = blockNet();
        net.setListeners(RewiringListener.builder().everyIterations(1).grow(GrowthCriterion.GRADIENT)
                .logEvents(false).build());
        DataSet ds = randomData(8, N_IN, CLASSES, 9, DataType.DOUBLE);
        String m = assertThrows(IllegalStateException.class, () -> net.fit(ds)).getMessage();
        assertTrue(m.contains("'blk/0'") && m.contains("G2GBlock 'blk'") && m.contains("GRADIENT")
                && m.contains("structured execution") && m.contains("another growth criterion"), m);
    }

    /** A block gets one unit per inner layer, each with its own RNG (no layer index, no other inner layer). */
    @Test
    void aBlockHasOneUnitPerInnerLayer() {
        MultiLayerNetwork net = blockNet();
        List<LayerRewirer> units = LayerRewirer.of(net.getLayer(0), RewiringConfig.builder().build());
        assertEquals(DEPTH, units.size());
        for (int k = 0; k < DEPTH; k++) {
            assertEquals("blk/" + k, units.get(k).source().name());
            assertEquals(net.getLayer(0), units.get(k).layer());
        }
        assertEquals((1L << 32) + 2, InnerLayerRewirer.unit(0, 2));
        assertTrue(InnerLayerRewirer.unit(0, 0) > Integer.MAX_VALUE);
        assertTrue(InnerLayerRewirer.unit(1, 0) != InnerLayerRewirer.unit(0, 1));
    }
}
