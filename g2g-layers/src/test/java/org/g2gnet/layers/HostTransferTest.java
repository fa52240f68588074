package org.g2gnet.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.g2gnet.G2GTestBase;
import org.g2gnet.arrays.HostArrays;
import org.g2gnet.conf.Execution;
import org.g2gnet.conf.G2GDenseLayer;
import org.g2gnet.rewiring.GrowthCriterion;
import org.g2gnet.rewiring.PruneCriterion;
import org.g2gnet.rewiring.RewiringEvent;
import org.g2gnet.rewiring.RewiringListener;
import org.g2gnet.topology.Grouping;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * What a GPU needs from the per-iteration path: no copies between device and host in an iteration without a
 * rewiring event. Every copy of the layers and the rewiring code goes through {@link HostArrays} (an
 * architecture rule, {@code HostTransferRulesTest}), which counts them; here the count is read after every
 * iteration of a network with two G2G layers, Hebbian statistics being collected and the dense gradient
 * captured for gradient growth.
 */
class HostTransferTest extends G2GTestBase {

    static MultiLayerNetwork net(Execution execution, Grouping grouping) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(SEED).dataType(DataType.FLOAT)
                .updater(new Adam(1e-2)).weightInit(WeightInit.XAVIER)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED).inferenceWorkspaceMode(WorkspaceMode.ENABLED).list()
                .layer(new G2GDenseLayer.Builder().nIn(24).nOut(16).groups(4).pInter(0.34).execution(execution)
                        .tileSize(2).inputGrouping(grouping).grouping(grouping).activation(Activation.RELU).build())
                .layer(new G2GDenseLayer.Builder().nIn(16).nOut(16).groups(4).pInter(0.5).execution(execution)
                        .tileSize(2).inputGrouping(grouping).grouping(grouping).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(3)
                        .activation(Activation.SOFTMAX).build()).build();
        MultiLayerNetwork n = new MultiLayerNetwork(conf);
        n.init();
        return n;
    }

    /** Records, after each iteration, the values {@link HostArrays} moved since the previous one. */
    private static final class TransferRecorder extends BaseTrainingListener {
        final Map<Integer, Long> perIteration = new LinkedHashMap<>();
        private long last = HostArrays.transferredValues();

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            long now = HostArrays.transferredValues();
            perIteration.put(iteration, now - last);
            last = now;
        }
    }

    @ParameterizedTest
    @EnumSource(value = Execution.class, names = {"MASKED", "STRUCTURED"})
    void iterationsWithoutARewiringEventCopyNothingBetweenDeviceAndHost(Execution execution) {
        MultiLayerNetwork net = net(execution, Grouping.RANDOM);
        RewiringListener rewiring = RewiringListener.builder().everyIterations(6).fraction(0.2)
                .prune(PruneCriterion.HEBBIAN).grow(GrowthCriterion.GRADIENT).seed(3).logEvents(false).build();
        TransferRecorder recorder = new TransferRecorder();
        net.setListeners(rewiring, recorder);
        DataSet ds = randomData(32, 24, 3, 5, DataType.FLOAT);
        for (int i = 0; i < 20; i++) {
            net.fit(ds);
        }
        Set<Integer> eventIterations = rewiring.events().stream().map(RewiringEvent::iteration)
                .collect(Collectors.toSet());
        assertEquals(Set.of(5, 11, 17), eventIterations, "rewiring events (both layers) on these iterations");
        long params = net.numParams();
        for (Map.Entry<Integer, Long> e : recorder.perIteration.entrySet()) {
            int it = e.getKey();
            long moved = e.getValue();
            if (eventIterations.contains(it)) {
                assertTrue(moved > 0, "an event copies the layers' arrays to the host (iteration " + it + ")");
                assertTrue(moved <= 16 * params, "an event copies each array a few times, not per entry: "
                        + moved + " values at iteration " + it);
            } else if (it > 0) {
                assertEquals(0L, moved, "values copied between device and host in iteration " + it
                        + " (no rewiring event)");
            }
        }
        long before = HostArrays.transferredValues();
        net.output(ds.getFeatures());
        assertEquals(before, HostArrays.transferredValues(), "inference copies nothing either");
    }

    @Test
    void structuredLayerPicksUpAnIndexWrittenStraightIntoTheParameters() {
        MultiLayerNetwork a = net(Execution.STRUCTURED, Grouping.INDEX);
        DataSet ds = randomData(16, 24, 3, 9, DataType.FLOAT);
        a.output(ds.getFeatures());
        G2GStructuredLayerImpl la = (G2GStructuredLayerImpl) a.getLayer(0);
        int[][] slotsBefore = la.slots();
        MultiLayerNetwork b = a.clone();
        b.setListeners(RewiringListener.builder().everyIterations(1).fraction(0.5).prune(PruneCriterion.RANDOM)
                .grow(GrowthCriterion.RANDOM).seed(11).logEvents(false).build());
        for (int i = 0; i < 3; i++) {
            b.fit(ds);
        }
        G2GStructuredLayerImpl lb = (G2GStructuredLayerImpl) b.getLayer(0);
        assertFalse(java.util.Arrays.deepEquals(slotsBefore, lb.slots()), "rewiring moved some tiles");
        long before = HostArrays.transferredValues();
        a.setParams(b.params()); // an in-place assign: the layer is not told
        INDArray out = a.output(ds.getFeatures());
        assertTrue(HostArrays.transferredValues() > before, "the changed index was read once");
        assertEquals(b.output(ds.getFeatures()), out);
        assertArrayEquals(lb.slots(), la.slots());
        assertArrayEquals(lb.hostIndex(), la.hostIndex());
    }
}
