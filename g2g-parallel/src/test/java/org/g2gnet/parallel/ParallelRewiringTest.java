package org.g2gnet.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.g2gnet.G2GTestBase;
import org.g2gnet.MaskIntegrity;
import org.g2gnet.ReferenceNetworks;
import org.g2gnet.layers.G2GDenseLayerImpl;
import org.g2gnet.rewiring.GrowthCriterion;
import org.g2gnet.rewiring.PruneCriterion;
import org.g2gnet.rewiring.RewiringEvent;
import org.g2gnet.rewiring.RewiringListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

/** Rewiring on two workers of ParallelWrapper: masks stay 0/1 and identical everywhere; the naive way is refused. */
class ParallelRewiringTest extends G2GTestBase {

    private static MultiLayerNetwork net() {
        MultiLayerNetwork net = new MultiLayerNetwork(ReferenceNetworks.mlp().kind(ReferenceNetworks.Kind.G2G).width(64)
                .layers(2).groups(8).density(0.25).seed(SEED).totalIterations(100).build(32, 4));
        net.init();
        return net;
    }

    private static List<DataSet> batches(int n) {
        DataSet all = randomData(n * 16, 32, 4, SEED, DataType.FLOAT);
        return all.batchBy(16);
    }

    /**
     * Every step of every worker's copy: which copy, and the first G2G layer's mask it held, whole (its active
     * entries). Not a hash of the float array: the bits of 0f and 1f are multiples of 2^23, so Arrays.hashCode of a
     * 0/1 array takes only 512 values, and two different masks collided in about one run in twelve.
     */
    static final class MaskSpy extends BaseTrainingListener {
        record Seen(Model model, BitSet mask) {
        }

        final List<Seen> seen = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            seen.add(new Seen(model, active(((G2GDenseLayerImpl) ((MultiLayerNetwork) model).getLayer(0)).mask())));
        }
    }

    private static BitSet active(org.nd4j.linalg.api.ndarray.INDArray mask) {
        float[] m = mask.dup().data().asFloat();
        BitSet on = new BitSet(m.length);
        for (int i = 0; i < m.length; i++) {
            on.set(i, m[i] != 0f);
        }
        return on;
    }

    @Test
    void rewiringOnTwoWorkersKeepsMasksExactAndIdentical() {
        MultiLayerNetwork net = net();
        MaskSpy spy = new MaskSpy();
        net.setListeners(spy);
        RewiringListener rewiring = RewiringListener.builder().everyIterations(6).fraction(0.2)
                .prune(PruneCriterion.MAGNITUDE).grow(GrowthCriterion.HEBBIAN).seed(7).build();
        ParallelRewiring pr = ParallelRewiring.builder(net).workers(2).rewiring(rewiring).build();
        float[] before = ((G2GDenseLayerImpl) net.getLayer(0)).mask().dup().data().asFloat();
        List<RewiringEvent> events = new ArrayList<>();
        for (int e = 0; e < 2; e++) {
            ParallelRewiring.Epoch r = pr.fit(new ListDataSetIterator<>(batches(20), 1), e);
            assertEquals(20, r.minibatches());
            assertTrue(Double.isFinite(r.meanScore()), "score " + r.meanScore());
            events.addAll(r.events());
        }
        // events after minibatches 5, 11, 17, 23, 29, 35: six events, one per G2G layer each
        assertEquals(12, events.size(), events.toString());
        assertEquals(List.of(5, 11, 17, 23, 29, 35), events.stream().map(RewiringEvent::iteration).distinct().toList());
        for (RewiringEvent ev : events) {
            assertTrue(ev.pruned() > 0 && ev.pruned() == ev.grown(), ev.summary());
        }
        MaskIntegrity.check(net, "the test's end");
        float[] after = ((G2GDenseLayerImpl) net.getLayer(0)).mask().dup().data().asFloat();
        assertFalse(java.util.Arrays.equals(before, after), "the masks were rewired");
        // every round, the other worker's copy held one mask throughout, the one the network held in that round;
        // the masks of successive rounds differ (rewiring between them), so each copy matched its own round
        java.util.Set<BitSet> rootMasks = new java.util.HashSet<>();
        java.util.Map<Model, java.util.Set<BitSet>> copies = new java.util.IdentityHashMap<>();
        synchronized (spy.seen) {
            for (MaskSpy.Seen x : spy.seen) {
                if (x.model() == net) {
                    rootMasks.add(x.mask());
                } else {
                    copies.computeIfAbsent(x.model(), k -> new java.util.HashSet<>()).add(x.mask());
                }
            }
        }
        assertTrue(copies.size() >= 6, "one copy per round at least: " + copies.size());
        assertEquals(7, rootMasks.size(), "the initial masks and six rewired ones");
        for (java.util.Set<BitSet> masks : copies.values()) {
            assertEquals(1, masks.size(), "a worker's masks changed within a round");
            assertTrue(rootMasks.containsAll(masks), "a worker held masks the network never held");
        }
        assertTrue(net.getListeners().contains(spy), "the network keeps its own listeners");
    }

    @Test
    void blockAndConvolutionNetworksRewireOnTwoWorkersToo() {
        MultiLayerNetwork block = new MultiLayerNetwork(ReferenceNetworks.mlp().kind(ReferenceNetworks.Kind.G2G)
                .width(64).layers(2).groups(8).density(0.25).execution(org.g2gnet.conf.Execution.BLOCK).seed(SEED)
                .totalIterations(100).build(32, 4));
        block.init();
        MultiLayerNetwork conv = new MultiLayerNetwork(ReferenceNetworks.cnn().kind(ReferenceNetworks.Kind.G2G)
                .channels(List.of(8, 16)).groups(4).density(0.5).seed(SEED).totalIterations(100).build(8, 8, 1, 4));
        conv.init();
        for (MultiLayerNetwork net : List.of(block, conv)) {
            RewiringListener rewiring = RewiringListener.builder().everyIterations(4).fraction(0.2)
                    .prune(PruneCriterion.MAGNITUDE).grow(GrowthCriterion.HEBBIAN).seed(7).build();
            ParallelRewiring pr = ParallelRewiring.builder(net).workers(2).rewiring(rewiring).build();
            int features = net == block ? 32 : 64;
            List<DataSet> data = randomData(12 * 16, features, 4, SEED, DataType.FLOAT).batchBy(16);
            ParallelRewiring.Epoch r = pr.fit(new ListDataSetIterator<>(data, 1), 0);
            assertEquals(12, r.minibatches());
            assertFalse(r.events().isEmpty(), "events on " + net.getLayer(0).getClass().getSimpleName());
            for (RewiringEvent ev : r.events()) {
                assertTrue(ev.pruned() > 0 && ev.pruned() == ev.grown(), ev.summary());
            }
            MaskIntegrity.check(net, "the end");
        }
    }

    @Test
    void aRewiringListenerOnTheWrapperIsRefusedBeforeItRewires() {
        MultiLayerNetwork net = net();
        RewiringListener naive = RewiringListener.builder().everyIterations(3).fraction(0.2).seed(7).build();
        ParallelWrapper pw = new ParallelWrapper.Builder<>(net).workers(2).averagingFrequency(1).prefetchBuffer(0)
                .build();
        pw.setListeners(naive);
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> pw.fit(new ListDataSetIterator<>(batches(12), 1)));
        pw.shutdown();
        String message = rootMessage(e);
        assertTrue(message.contains("second model") && message.contains("ParallelRewiring"), message);
        assertTrue(naive.events().isEmpty(), "no event before the refusal: " + naive.events());
        MaskIntegrity.check(net, "the refused run");

        // and the network handed to ParallelRewiring with the listener still on it
        MultiLayerNetwork other = net();
        other.setListeners(RewiringListener.builder().everyIterations(3).build());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ParallelRewiring.builder(other).workers(2).build());
        assertTrue(refused.getMessage().contains("Remove it and pass it to rewiring"), refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ParallelRewiring.builder(other).workers(1));
    }

    @Test
    void averagedMasksThatDifferAreReportedNotCounted() {
        MultiLayerNetwork net = net();
        G2GDenseLayerImpl l = (G2GDenseLayerImpl) net.getLayer(0);
        l.mask().putScalar(10, 0.5);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> org.g2gnet.G2GNetworks.sparsityReport(net));
        assertTrue(e.getMessage().contains("mask entry 10 is 0.5"), e.getMessage());
    }

    private static String rootMessage(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append(" | ");
        }
        return sb.toString();
    }
}
