package org.g2gnet.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.g2gnet.G2GNetworks;
import org.g2gnet.G2GTestBase;
import org.g2gnet.arrays.HostArrays;
import org.g2gnet.conf.G2GBlock;
import org.g2gnet.conf.G2GDenseLayer;
import org.g2gnet.topology.Grouping;
import org.g2gnet.topology.TileLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The block computes what the stack of its structured inner layers computes, and is a normal DL4J layer. */
class G2GBlockTest extends G2GTestBase {
    private static final int N_IN = 24;
    private static final int CLASSES = 3;

    /** 24 -> 16 -> 32 -> 16 in 4 groups, tiles of 2 (layer 0: 6 inputs per group, 3 tiles per group). */
    private static G2GBlock.Builder block(Activation act) {
        return new G2GBlock.Builder().nIn(N_IN).widths(16, 32, 16).groups(4).pInter(0.34).tileSizes(2, 2, 4)
                .activation(act);
    }

    private static NeuralNetConfiguration.Builder base(DataType dtype, IUpdater updater, WorkspaceMode ws) {
        return new NeuralNetConfiguration.Builder().seed(SEED).dataType(dtype).updater(updater)
                .weightInit(WeightInit.XAVIER).trainingWorkspaceMode(ws).inferenceWorkspaceMode(ws);
    }

    private static OutputLayer output(int nIn) {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(nIn).nOut(CLASSES)
                .activation(Activation.SOFTMAX).build();
    }

    private static MultiLayerNetwork blockNet(G2GBlock b, DataType dtype, IUpdater updater, WorkspaceMode ws) {
        MultiLayerNetwork n = new MultiLayerNetwork(base(dtype, updater, ws).list().layer(b)
                .layer(output((int) b.getNOut())).build());
        n.init();
        return n;
    }

    private static MultiLayerNetwork stackNet(G2GBlock b, DataType dtype, IUpdater updater) {
        NeuralNetConfiguration.ListBuilder lb = base(dtype, updater, WorkspaceMode.ENABLED).list();
        List<G2GDenseLayer> stack = b.equivalentStack(SEED);
        stack.forEach(lb::layer);
        MultiLayerNetwork n = new MultiLayerNetwork(lb.layer(output((int) b.getNOut())).build());
        n.init();
        return n;
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff <= 1e-12, what + ": differs by " + diff);
    }

    @ParameterizedTest(name = "{0}, {1}, per-group GEMMs {2}")
    @CsvSource({"MIXER, TANH, false", "MIXER, RELU, false", "INDEX, TANH, false", "INTERLEAVED, SIGMOID, false",
            "RANDOM, TANH, false", "MIXER, RELU, true", "RANDOM, TANH, true"})
    void computesExactlyWhatTheStackOfItsStructuredLayersComputes(String grouping, Activation act, boolean perGroup) {
        useDouble();
        checkEquivalence(grouping, act, perGroup);
    }

    private void checkEquivalence(String grouping, Activation act, boolean perGroup) {
        G2GBlock.Builder bb = block(act);
        if (!grouping.equals("MIXER")) {
            bb.grouping(Grouping.valueOf(grouping));
        }
        G2GBlock conf = bb.build();
        MultiLayerNetwork block = blockNet(conf, DataType.DOUBLE, new Sgd(0.1), WorkspaceMode.ENABLED);
        MultiLayerNetwork stack = stackNet((G2GBlock) block.getLayer(0).conf().getLayer(), DataType.DOUBLE,
                new Sgd(0.1));
        assertEquals(stack.numParams(), block.numParams(), "the block's flat parameters are the stack's");
        // the same seed draws the same slots in both, and the same initial parameters
        G2GBlockImpl impl = (G2GBlockImpl) block.getLayer(0);
        if (perGroup) {
            impl.perGroupGemmAtEverySize();
        }
        for (int k = 0; k < 3; k++) {
            G2GStructuredLayerImpl s = (G2GStructuredLayerImpl) stack.getLayer(k);
            assertArrayEquals(s.slots(), impl.inner(k).slots(), "slots of inner layer " + k);
            assertEquals(s.layout(), impl.inner(k).layout());
        }
        assertEquals(stack.params(), block.params(), "initial parameters");
        assertTrue(impl.inner(0).scatterRounds() > 1, "some input tile is read by several slots");

        DataSet ds = randomData(7, N_IN, CLASSES, 5, DataType.DOUBLE);
        assertClose(stack.output(ds.getFeatures()), block.output(ds.getFeatures()), "outputs");
        Pair<Gradient, INDArray> gs = stack.calculateGradients(ds.getFeatures(), ds.getLabels(), null, null);
        INDArray stackGrad = stack.getGradientsViewArray().dup();
        Pair<Gradient, INDArray> gb = block.calculateGradients(ds.getFeatures(), ds.getLabels(), null, null);
        INDArray blockGrad = block.getGradientsViewArray().dup();
        assertClose(stackGrad, blockGrad, "all parameter gradients (flattened)");
        assertClose(gs.getSecond(), gb.getSecond(), "gradient with respect to the input");
        for (int k = 0; k < 3; k++) {
            assertClose(gs.getFirst().getGradientFor(k + "_W"), gb.getFirst().getGradientFor("0_W" + k), "W" + k);
            assertClose(gs.getFirst().getGradientFor(k + "_b"), gb.getFirst().getGradientFor("0_b" + k), "b" + k);
            assertEquals(0.0, gb.getFirst().getGradientFor("0_I" + k).amaxNumber().doubleValue(), 0.0);
        }
        block.setInput(ds.getFeatures());
        block.setLabels(ds.getLabels());
        block.computeGradientAndScore();
        stack.setInput(ds.getFeatures());
        stack.setLabels(ds.getLabels());
        stack.computeGradientAndScore();
        assertEquals(stack.score(), block.score(), 1e-12);

        // and after some training steps with the same updates
        for (int i = 0; i < 3; i++) {
            stack.fit(ds);
            block.fit(ds);
        }
        assertClose(stack.params(), block.params(), "parameters after three SGD steps");
    }

    @Test
    void theReadmeSnippetBuildsThePaperNetworksHiddenLayers() {
        MultiLayerNetwork net = new MultiLayerNetwork(base(DataType.FLOAT, new Adam(1e-3), WorkspaceMode.ENABLED).list()
                // --- from README.md, "Drop a G2G layer into a DL4J model" ---
                .layer(new G2GBlock.Builder().nIn(784).widths(1024, 1024, 1024)   // three G2G layers
                        .activation(Activation.RELU).groups(8).density(0.25)       // or .pInter(0.15)
                        .build())                                                  // Mixer groupings by default
                // --- end of the snippet ---
                .layer(output(1024)).build());
        net.init();
        G2GNetworks.SparsityReport r = G2GNetworks.sparsityReport(net);
        for (int k = 0; k < 3; k++) {
            assertEquals(0.25, r.layers().get(k).density(), 1e-12);
        }
        assertEquals(14, ((G2GBlockImpl) net.getLayer(0)).inner(0).layout().tile(), "784 inputs: tiles of 14");
    }

    @Test
    void groupViewsOfAParameterLikeViewAreRight() {
        // a [8, 256, 128] view starting inside a larger buffer, as the weights of an inner layer are
        INDArray flat = Nd4j.rand(DataType.FLOAT, 743_978);
        INDArray w = flat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(203_296, 203_296 + 262_144))
                .reshape('c', 8, 256, 128);
        INDArray copy = w.dup('c');
        for (int g = 0; g < 8; g++) {
            INDArray v = G2GBlockImpl.group(w, g);
            assertArrayEquals(new long[] {256, 128}, v.shape(), "group " + g);
            assertEquals(copy.tensorAlongDimension(g, 1, 2), v, "group " + g);
        }
    }

    @Test
    void theMixerReMixingIsPartOfTheGatherIndex() {
        MultiLayerNetwork net = blockNet(block(Activation.RELU).build(), DataType.FLOAT, new Sgd(0.1),
                WorkspaceMode.ENABLED);
        G2GBlockImpl b = (G2GBlockImpl) net.getLayer(0);
        assertEquals(Grouping.INDEX, b.inner(0).configuration().getGrouping());
        assertEquals(Grouping.INDEX, b.inner(0).configuration().getInputGrouping());
        assertEquals(Grouping.INTERLEAVED, b.inner(1).configuration().getGrouping());
        assertEquals(Grouping.INTERLEAVED, b.inner(1).configuration().getInputGrouping());
        assertEquals(Grouping.INDEX, b.inner(2).configuration().getGrouping());
        assertEquals("0/1", b.inner(1).name().substring(b.inner(1).name().length() - 3));
    }

    @Test
    void gradientCheck() {
        useDouble();
        G2GBlock conf = new G2GBlock.Builder().nIn(12).widths(8, 8).groups(2).pInter(0.34).tileSize(2)
                .activation(Activation.TANH).build();
        MultiLayerNetwork net = new MultiLayerNetwork(base(DataType.DOUBLE, new NoOp(), WorkspaceMode.ENABLED).list()
                .layer(conf).layer(output(8)).build());
        net.init();
        DataSet ds = randomData(4, 12, CLASSES, 6, DataType.DOUBLE);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(ds.getFeatures())
                .labels(ds.getLabels()).excludeParams(Set.of("0_I0", "0_I1"))));
    }

    @Test
    void gradientCheckInAComputationGraph() {
        useDouble();
        ComputationGraphConfiguration conf = base(DataType.DOUBLE, new NoOp(), WorkspaceMode.ENABLED).graphBuilder()
                .addInputs("in")
                .addLayer("block", new G2GBlock.Builder().nIn(12).widths(8, 8, 8).groups(2).pInter(0.34).tileSize(2)
                        .activation(Activation.TANH).build(), "in")
                .addLayer("out", output(8), "block").setOutputs("out").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        DataSet ds = randomData(4, 12, CLASSES, 7, DataType.DOUBLE);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g)
                .inputs(new INDArray[] {ds.getFeatures()}).labels(new INDArray[] {ds.getLabels()})
                .excludeParams(Set.of("block_I0", "block_I1", "block_I2"))));
    }

    @Test
    void computationGraphGivesWhatTheMultiLayerNetworkGives() {
        useDouble();
        G2GBlock conf = block(Activation.RELU).build();
        MultiLayerNetwork mln = blockNet(conf, DataType.DOUBLE, new Adam(1e-2), WorkspaceMode.ENABLED);
        ComputationGraph g = new ComputationGraph(base(DataType.DOUBLE, new Adam(1e-2), WorkspaceMode.ENABLED)
                .graphBuilder().addInputs("in").addLayer("block", conf.clone(), "in")
                .addLayer("out", output(16), "block").setOutputs("out").build());
        g.init();
        g.setParams(mln.params());
        DataSet ds = randomData(9, N_IN, CLASSES, 8, DataType.DOUBLE);
        assertClose(mln.output(ds.getFeatures()), g.outputSingle(ds.getFeatures()), "outputs");
        for (int i = 0; i < 3; i++) {
            mln.fit(ds);
            g.fit(ds);
        }
        assertClose(mln.params(), g.params(), "parameters after three Adam steps");
    }

    @Test
    void jsonSerialisationCloneAndTraining(@TempDir Path dir) throws Exception {
        G2GBlock conf = block(Activation.RELU).groupings(Grouping.RANDOM, Grouping.INDEX, Grouping.INTERLEAVED)
                .maskSeed(77).innerNames("a", "b", "c").build();
        MultiLayerNetwork net = blockNet(conf, DataType.FLOAT, new Adam(1e-2), WorkspaceMode.ENABLED);
        MultiLayerConfiguration c = net.getLayerWiseConfigurations();
        assertEquals(c, MultiLayerConfiguration.fromJson(c.toJson()));
        assertEquals(c, MultiLayerConfiguration.fromYaml(c.toYaml()));
        G2GBlockImpl b = (G2GBlockImpl) net.getLayer(0);
        List<INDArray> indices = List.of(b.inner(0).index().dup(), b.inner(1).index().dup(), b.inner(2).index().dup());
        DataSet ds = randomData(32, N_IN, CLASSES, 7, DataType.FLOAT);
        INDArray before = net.params().dup();
        double first = net.score(ds);
        for (int i = 0; i < 40; i++) {
            net.fit(ds);
        }
        assertNotEquals(before, net.params());
        assertTrue(net.score(ds) < first, "training lowers the loss: " + first + " -> " + net.score(ds));
        for (int k = 0; k < 3; k++) {
            assertEquals(indices.get(k), b.inner(k).index(), "index " + k + " has no updater");
        }
        File f = dir.resolve("block.zip").toFile();
        ModelSerializer.writeModel(net, f, true);
        MultiLayerNetwork back = ModelSerializer.restoreMultiLayerNetwork(f, true);
        assertEquals(net.params(), back.params());
        assertEquals(net.output(ds.getFeatures()), back.output(ds.getFeatures()));
        back.fit(ds);
        net.fit(ds);
        assertEquals(net.params(), back.params(), "the updater state travelled too");
        MultiLayerNetwork copy = net.clone();
        assertEquals(net.output(ds.getFeatures()), copy.output(ds.getFeatures()));
        assertEquals(net.getLayer(0).conf().getLayer(), copy.getLayer(0).conf().getLayer().clone());
    }

    @Test
    void workspacesChangeNothingAndAnIterationCopiesNothingToTheHost() {
        G2GBlock conf = block(Activation.RELU).build();
        MultiLayerNetwork a = blockNet(conf, DataType.FLOAT, new Adam(1e-2), WorkspaceMode.ENABLED);
        MultiLayerNetwork b = blockNet(conf, DataType.FLOAT, new Adam(1e-2), WorkspaceMode.NONE);
        b.setParams(a.params());
        DataSet ds = randomData(16, N_IN, CLASSES, 9, DataType.FLOAT);
        a.fit(ds);
        b.fit(ds);
        long before = HostArrays.transferredValues();
        for (int i = 0; i < 5; i++) {
            a.fit(ds);
            b.fit(ds);
        }
        a.output(ds.getFeatures());
        assertEquals(before, HostArrays.transferredValues(), "iterations without an index change copy nothing");
        assertEquals(a.params(), b.params());
    }

    @Test
    void inputInEitherOrderAndABackwardPassWithoutItsForwardPass() {
        useDouble();
        MultiLayerNetwork net = blockNet(block(Activation.TANH).build(), DataType.DOUBLE, new Sgd(0.1),
                WorkspaceMode.ENABLED);
        net.initGradientsView();
        G2GBlockImpl b = (G2GBlockImpl) net.getLayer(0);
        INDArray x = randomData(5, N_IN, CLASSES, 3, DataType.DOUBLE).getFeatures();
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        INDArray outC = b.activate(x.dup('c'), false, mgr).dup();
        INDArray outF = b.activate(x.dup('f'), false, mgr).dup();
        assertEquals(outC, outF);
        INDArray eps = Nd4j.rand(DataType.DOUBLE, 5, 16);
        b.setInput(x, mgr);
        b.activate(true, mgr);
        Pair<Gradient, INDArray> withForward = b.backpropGradient(eps, mgr);
        INDArray g1 = b.getGradientsViewArray().dup();
        INDArray e1 = withForward.getSecond().dup();
        b.clear();
        b.setInput(x, mgr);
        Pair<Gradient, INDArray> alone = b.backpropGradient(eps.dup('f'), mgr);
        assertEquals(g1, b.getGradientsViewArray());
        assertEquals(e1, alone.getSecond());
    }

    @Test
    void sparsityReportCountsEachInnerLayerWithoutIndices() {
        MultiLayerNetwork net = blockNet(block(Activation.RELU).name("blk").build(), DataType.FLOAT, new Sgd(0.1),
                WorkspaceMode.ENABLED);
        G2GBlockImpl b = (G2GBlockImpl) net.getLayer(0);
        G2GNetworks.SparsityReport r = G2GNetworks.sparsityReport(net);
        assertEquals(4, r.layers().size(), "three inner layers and the output layer");
        long indices = 0;
        for (int k = 0; k < 3; k++) {
            TileLayout t = b.inner(k).layout();
            G2GNetworks.LayerSparsity l = r.layers().get(k);
            assertEquals("blk/" + k, l.name());
            assertEquals((long) t.groups() * t.fanIn() * t.outGroupSize(), l.activeConnections());
            assertEquals((long) t.in().size() * t.out().size(), l.totalConnections());
            assertEquals(t.density(), l.density(), 1e-12);
            assertEquals(l.activeConnections() + t.out().size(), l.activeParams());
            indices += (long) t.groups() * t.fanIn();
        }
        assertEquals(net.getLayer(0).numParams() - indices, r.layers().subList(0, 3).stream()
                .mapToLong(G2GNetworks.LayerSparsity::activeParams).sum());
        assertEquals(b.activeConnections(), r.layers().subList(0, 3).stream()
                .mapToLong(G2GNetworks.LayerSparsity::activeConnections).sum());
        // 24 inputs in 4 groups of 6, tiles of 2: own group + round(0.34 * 18 / 2) = 3 tiles -> K = 12
        assertEquals(12, b.inner(0).layout().fanIn());
    }

    @Test
    void validationNamesTheBlockTheInnerLayerAndTheValues() {
        String m = assertThrows(IllegalArgumentException.class, () -> new G2GBlock.Builder().name("b").nIn(24)
                .widths(16, 30).groups(4).build()).getMessage();
        assertTrue(m.contains("G2GBlock 'b'") && m.contains("inner layer 1") && m.contains("nOut (30)"), m);
        m = assertThrows(IllegalArgumentException.class, () -> new G2GBlock.Builder().nIn(24).widths(16)
                .groups(4).tileSize(4).build()).getMessage();
        assertTrue(m.contains("inner layer 0") && m.contains("tile size to divide the input group size 6, got 4"), m);
        m = assertThrows(IllegalArgumentException.class, () -> new G2GBlock.Builder().widths(16, 16).nOut(10)
                .build()).getMessage();
        assertTrue(m.contains("nOut (10) must equal the last width (16)"), m);
        m = assertThrows(IllegalArgumentException.class, () -> new G2GBlock.Builder().widths(16, 16)
                .groupings(Grouping.INDEX, Grouping.INDEX, Grouping.INDEX).build()).getMessage();
        assertTrue(m.contains("3 groupings for 2 inner layers"), m);
        m = assertThrows(IllegalArgumentException.class, () -> new G2GBlock.Builder().widths(16, 16)
                .innerNames("x").build()).getMessage();
        assertTrue(m.contains("1 inner layer names for 2 inner layers"), m);
        m = assertThrows(IllegalArgumentException.class, () -> new G2GBlock.Builder().innerNames("x", "x"))
                .getMessage();
        assertTrue(m.contains("must be distinct"), m);
        m = assertThrows(IllegalArgumentException.class, () -> new G2GBlock.Builder().widths(16).pInter(0.2)
                .density(0.3).build()).getMessage();
        assertTrue(m.contains("either pInter (0.2) or density (0.3)"), m);
        m = assertThrows(IllegalArgumentException.class, () -> new G2GBlock.Builder().widths()).getMessage();
        assertTrue(m.contains("at least one inner layer"), m);
        m = assertThrows(IllegalArgumentException.class, () -> blockNet(block(Activation.SOFTMAX).build(),
                DataType.FLOAT, new Sgd(0.1), WorkspaceMode.ENABLED)).getMessage();
        assertTrue(m.contains("activation of a block must be elementwise"), m);
        // nIn from the input type: the first inner layer is checked when the network is built
        MultiLayerNetwork n = new MultiLayerNetwork(base(DataType.FLOAT, new Sgd(0.1), WorkspaceMode.ENABLED).list()
                .layer(new G2GBlock.Builder().widths(16, 16).groups(4).activation(Activation.RELU).build())
                .layer(output(16)).setInputType(org.deeplearning4j.nn.conf.inputs.InputType.feedForward(N_IN))
                .build());
        n.init();
        assertEquals(N_IN, ((G2GBlock) n.getLayer(0).conf().getLayer()).getNIn());
    }
}
