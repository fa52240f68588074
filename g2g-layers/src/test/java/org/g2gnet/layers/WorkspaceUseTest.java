package org.g2gnet.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.g2gnet.G2GTestBase;
import org.g2gnet.arrays.Workspaces;
import org.g2gnet.conf.Execution;
import org.g2gnet.conf.G2GDenseLayer;
import org.g2gnet.rewiring.GrowthCriterion;
import org.g2gnet.rewiring.PruneCriterion;
import org.g2gnet.rewiring.RewiringListener;
import org.g2gnet.topology.Grouping;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.exception.ND4JIllegalStateException;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.profiler.ProfilerConfig;

/**
 * Workspaces are respected: with ND4J's workspace check on (ND4J's default, pinned here so that the evidence
 * does not depend on it), every op of training with rewiring (Hebbian statistics, the dense gradient for
 * gradient growth, events) and of inference, in both executions and in a ComputationGraph, is checked for
 * arrays from a closed or reopened workspace. On the CPU such an array still holds memory and mostly reads
 * stale values; on a GPU it can crash or corrupt, so this is checked here, where it can be.
 * ({@code ForwardCache} without its generation check fails here: tried.)
 */
class WorkspaceUseTest extends G2GTestBase {

    @BeforeEach
    void checkWorkspaces() {
        Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().checkWorkspaces(true).build());
    }

    /** Back to ND4J's default configuration (the executioner has no getter to save the previous one). */
    @AfterEach
    void restoreProfiling() {
        Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().build());
    }

    @Test
    void theCheckIsOn() {
        WorkspaceConfiguration cfg = WorkspaceConfiguration.builder().initialSize(1 << 20).build();
        INDArray leaked;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().getAndActivateWorkspace(cfg, "WorkspaceUseTest")) {
            leaked = Nd4j.create(DataType.FLOAT, 4, 4);
        }
        String m = assertThrows(ND4JIllegalStateException.class, () -> leaked.addi(1)).getMessage();
        assertTrue(m.contains("WorkspaceUseTest"), m);
    }

    @ParameterizedTest
    @EnumSource(value = Execution.class, names = {"MASKED", "STRUCTURED"})
    void trainingWithRewiringAndInferenceUseNoArrayFromAClosedWorkspace(Execution execution) {
        MultiLayerNetwork net = HostTransferTest.net(execution, Grouping.RANDOM);
        RewiringListener rewiring = RewiringListener.builder().everyIterations(3).fraction(0.2)
                .prune(PruneCriterion.HEBBIAN).grow(GrowthCriterion.GRADIENT).hebbianAverage(0.8, 2).seed(4)
                .logEvents(false).build();
        net.setListeners(rewiring);
        DataSet ds = randomData(32, 24, 3, 8, DataType.FLOAT);
        for (int i = 0; i < 9; i++) {
            net.fit(ds);
        }
        assertEquals(6, rewiring.events().size(), "3 events x 2 layers");
        INDArray out = net.output(ds.getFeatures());
        assertEquals(out, net.output(ds.getFeatures()));
        net.score(ds);
    }

    @Test
    void computationGraphToo() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(SEED).updater(new Adam(1e-2))
                .trainingWorkspaceMode(WorkspaceMode.ENABLED).inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .graphBuilder().addInputs("in")
                .addLayer("g1", new G2GDenseLayer.Builder().nIn(24).nOut(16).groups(4).activation(Activation.RELU)
                        .build(), "in")
                .addLayer("g2", new G2GDenseLayer.Builder().nIn(16).nOut(16).groups(4).execution(Execution.STRUCTURED)
                        .tileSize(2).activation(Activation.RELU).build(), "g1")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "g2")
                .setOutputs("out").build();
        ComputationGraph cg = new ComputationGraph(conf);
        cg.init();
        RewiringListener rewiring = RewiringListener.builder().everyIterations(2).fraction(0.2)
                .prune(PruneCriterion.HEBBIAN).grow(GrowthCriterion.GRADIENT).seed(5).logEvents(false).build();
        cg.setListeners(rewiring);
        DataSet ds = randomData(32, 24, 3, 9, DataType.FLOAT);
        for (int i = 0; i < 6; i++) {
            cg.fit(ds);
        }
        assertEquals(6, rewiring.events().size(), "3 events x 2 layers");
        cg.output(ds.getFeatures());
    }
}
