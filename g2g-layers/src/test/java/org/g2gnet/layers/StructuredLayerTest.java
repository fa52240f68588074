package org.g2gnet.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.Set;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.g2gnet.G2GNetworks;
import org.g2gnet.G2GTestBase;
import org.g2gnet.conf.Execution;
import org.g2gnet.conf.G2GDenseLayer;
import org.g2gnet.topology.Grouping;
import org.g2gnet.topology.TileLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Structured execution computes what the masked layer computes with the equivalent mask. */
class StructuredLayerTest extends G2GTestBase {

    private static MultiLayerNetwork net(Execution ex, Grouping in, Grouping out, DataType dtype, Activation act,
                                         org.nd4j.linalg.learning.config.IUpdater updater) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(SEED).dataType(dtype).updater(updater)
                .weightInit(WeightInit.XAVIER).list()
                .layer(new G2GDenseLayer.Builder().nIn(24).nOut(16).groups(4).pInter(0.34).execution(ex).tileSize(2)
                        .inputGrouping(in).grouping(out).activation(act).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(3)
                        .activation(Activation.SOFTMAX).build()).build();
        MultiLayerNetwork n = new MultiLayerNetwork(conf);
        n.init();
        return n;
    }

    @ParameterizedTest
    @EnumSource(Grouping.class)
    void sameOutputsAndGradientsAsMaskedLayerWithTheEquivalentMask(Grouping grouping) {
        useDouble();
        MultiLayerNetwork s = net(Execution.STRUCTURED, grouping, grouping == Grouping.INDEX ? Grouping.INTERLEAVED
                : grouping, DataType.DOUBLE, Activation.TANH, new Sgd(0.1));
        MultiLayerNetwork m = net(Execution.MASKED, Grouping.INDEX, Grouping.INDEX, DataType.DOUBLE, Activation.TANH,
                new Sgd(0.1));
        G2GStructuredLayerImpl sl = (G2GStructuredLayerImpl) s.getLayer(0);
        G2GDenseLayerImpl ml = (G2GDenseLayerImpl) m.getLayer(0);
        TileLayout t = sl.layout();
        // 24 inputs in 4 groups of 6, tiles of 2: own group + round(0.34 * 18 / 2) = 3 tiles -> K = 12
        assertEquals(12, t.fanIn());
        assertEquals(0.5, t.density(), 1e-12);
        ml.mask().assign(Nd4j.create(sl.equivalentMask().values(), new long[] {24, 16}, 'f'));
        ml.weights().assign(sl.equivalentWeights());
        ml.getParam("b").assign(sl.getParam("b"));
        m.getLayer(1).setParams(s.getLayer(1).params());

        DataSet ds = randomData(7, 24, 3, 5, DataType.DOUBLE);
        INDArray os = s.output(ds.getFeatures());
        INDArray om = m.output(ds.getFeatures());
        assertTrue(os.equalsWithEps(om, 1e-12), os + " vs " + om);

        s.setInput(ds.getFeatures());
        s.setLabels(ds.getLabels());
        s.computeGradientAndScore();
        m.setInput(ds.getFeatures());
        m.setLabels(ds.getLabels());
        m.computeGradientAndScore();
        assertEquals(m.score(), s.score(), 1e-12);
        // the structured weight gradient, laid out densely, equals the masked layer's gradient
        INDArray gs = s.gradient().getGradientFor("0_W").dup();
        INDArray saved = sl.weights().dup();
        sl.weights().assign(gs);
        INDArray denseOfStructuredGrad = sl.equivalentWeights();
        sl.weights().assign(saved);
        assertTrue(denseOfStructuredGrad.equalsWithEps(m.gradient().getGradientFor("0_W"), 1e-12));
        assertTrue(s.gradient().getGradientFor("0_b").equalsWithEps(m.gradient().getGradientFor("0_b"), 1e-12));
        assertTrue(s.gradient().getGradientFor("1_W").equalsWithEps(m.gradient().getGradientFor("1_W"), 1e-12),
                "epsilon passed to the layer below must agree");
        assertEquals(0.0, s.gradient().getGradientFor("0_I").amaxNumber().doubleValue(), 0);
    }

    @Test
    void gradientCheck() {
        useDouble();
        MultiLayerNetwork s = net(Execution.STRUCTURED, Grouping.INTERLEAVED, Grouping.RANDOM, DataType.DOUBLE,
                Activation.TANH, new NoOp());
        DataSet ds = randomData(5, 24, 3, 6, DataType.DOUBLE);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(s).input(ds.getFeatures())
                .labels(ds.getLabels()).excludeParams(Set.of("0_I"))));
    }

    @Test
    void compactStorageTrainsSerialisesAndReports(@TempDir Path dir) throws Exception {
        MultiLayerNetwork s = net(Execution.STRUCTURED, Grouping.INDEX, Grouping.INDEX, DataType.FLOAT, Activation.RELU,
                new Adam(1e-2));
        G2GStructuredLayerImpl sl = (G2GStructuredLayerImpl) s.getLayer(0);
        assertArrayEquals(new long[] {4, 12, 4}, sl.weights().shape());
        assertEquals(4 * 12 * 4 + 16 + 4 * 12, sl.numParams(), "compact W, b and the index");
        INDArray index = sl.index().dup();
        DataSet ds = randomData(32, 24, 3, 7, DataType.FLOAT);
        INDArray before = s.params().dup();
        for (int i = 0; i < 30; i++) {
            s.fit(ds);
        }
        assertNotEquals(before, s.params());
        assertEquals(index, sl.index(), "the index has no updater");
        File f = dir.resolve("s.zip").toFile();
        ModelSerializer.writeModel(s, f, true);
        MultiLayerNetwork back = ModelSerializer.restoreMultiLayerNetwork(f, true);
        assertEquals(s.params(), back.params());
        assertEquals(s.output(ds.getFeatures()), back.output(ds.getFeatures()));
        assertEquals(MultiLayerConfiguration.fromJson(s.getLayerWiseConfigurations().toJson()),
                s.getLayerWiseConfigurations());
        G2GNetworks.SparsityReport r = G2GNetworks.sparsityReport(s);
        assertEquals(12 * 16, r.layers().get(0).activeConnections());
        assertEquals(0.5, r.layers().get(0).density(), 1e-12);
        assertEquals(12 * 16 + 16, r.layers().get(0).activeParams());
    }

    @Test
    void structuredValidation() {
        String m = assertThrows(IllegalArgumentException.class, () -> new G2GDenseLayer.Builder().nIn(24).nOut(16)
                .groups(4).pIntra(0.9).execution(Execution.STRUCTURED).build()).getMessage();
        assertTrue(m.contains("structured execution needs pIntra = 1"), m);
        m = assertThrows(IllegalArgumentException.class, () -> new G2GDenseLayer.Builder().nIn(25).nOut(16)
                .groups(4).execution(Execution.STRUCTURED).build()).getMessage();
        assertTrue(m.contains("to divide nIn (25)"), m);
        m = assertThrows(IllegalArgumentException.class, () -> new G2GDenseLayer.Builder().nIn(24).nOut(16)
                .groups(4).tileSize(4).execution(Execution.STRUCTURED).build()).getMessage();
        assertTrue(m.contains("tile size to divide the input group size 6, got 4"), m);
        // the paper's 784-wide input: groups of 98, automatic tiles of 14
        G2GDenseLayer l = new G2GDenseLayer.Builder().nIn(784).nOut(1024).execution(Execution.STRUCTURED).build();
        assertEquals(14, l.getEffectiveTileSize());
        assertEquals(98 + 7 * 14, l.tileLayout(1).fanIn(), "round(0.15 * 686 / 14) = 7 tiles");
    }
    /** The memory report counts the compact weights and the gather buffers, not a dense [nIn, nOut] layout. */
    @Test
    void memoryReportDescribesTheStructuredLayout() {
        G2GDenseLayer l = new G2GDenseLayer.Builder().nIn(24).nOut(16).groups(4).pInter(0.34).tileSize(2)
                .execution(Execution.STRUCTURED).activation(Activation.RELU).updater(new Adam(1e-3)).build();
        LayerMemoryReport r = l.getMemoryReport(InputType.feedForward(24));
        // G = 4, K = 12, nOut / G = 4: W [4, 12, 4], b [16], I [4, 12]
        assertEquals(4 * 12 * 4 + 16 + 4 * 12, r.getParameterSize());
        assertEquals(2 * (4 * 12 * 4 + 16), r.getUpdaterStateSize(), "Adam's m and v of W and b; the index has none");
        long fixedTrain = r.getWorkingMemoryFixedTrain().values().iterator().next();
        assertEquals(2 * 4 * 12, fixedTrain, "the gather index and its copy, no [nIn, nOut] buffer");
        assertEquals(24 + 4 * 12 + 16, r.getWorkingMemoryVariableInference(), "x^T, the gathered inputs [G, K], y");
    }
}
