package org.g2gnet.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.List;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.g2gnet.G2GNetworks;
import org.g2gnet.G2GTestBase;
import org.g2gnet.conf.G2GDenseLayer;
import org.g2gnet.topology.Grouping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Training invariants, serialisation, clone, ComputationGraph and transfer learning. */
class G2GLayerLifecycleTest extends G2GTestBase {

    private static MultiLayerConfiguration conf(DataType dtype, WorkspaceMode ws, boolean regularised) {
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder().seed(SEED).dataType(dtype)
                .updater(new Adam(1e-2)).weightInit(WeightInit.RELU_UNIFORM)
                .trainingWorkspaceMode(ws).inferenceWorkspaceMode(ws);
        if (regularised) {
            b.weightDecay(1e-2).l1(1e-3).l2(1e-3);
        }
        NeuralNetConfiguration.ListBuilder lb = b.list();
        for (G2GDenseLayer l : G2GNetworks.mixerStack(20, new int[] {16, 12},
                x -> x.activation(Activation.RELU).groups(4).pInter(0.2).dropOut(regularised ? new Dropout(0.8) : null))) {
            lb.layer(l);
        }
        return lb.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(12).nOut(3)
                .activation(Activation.SOFTMAX).build()).build();
    }

    private static MultiLayerNetwork net(DataType dtype, WorkspaceMode ws, boolean regularised) {
        MultiLayerNetwork n = new MultiLayerNetwork(conf(dtype, ws, regularised));
        n.init();
        return n;
    }

    private static void assertMaskedWeightsZero(MultiLayerNetwork net, List<INDArray> initialMasks) {
        for (int i = 0; i < initialMasks.size(); i++) {
            INDArray m = net.getLayer(i).getParam("M");
            assertEquals(initialMasks.get(i), m, "mask of layer " + i + " changed");
            INDArray w = net.getLayer(i).getParam("W");
            assertEquals(0.0, w.mul(m.rsub(1)).amaxNumber().doubleValue(), 0.0, "masked weight revived in layer " + i);
            assertTrue(w.mul(m).amaxNumber().doubleValue() > 0);
        }
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void maskedWeightsStayExactlyZeroUnderAdamWeightDecayL1L2AndDropout(DataType dtype) {
        MultiLayerNetwork net = net(dtype, WorkspaceMode.ENABLED, true);
        List<INDArray> masks = List.of(net.getLayer(0).getParam("M").dup(), net.getLayer(1).getParam("M").dup());
        INDArray before = net.params().dup();
        DataSet ds = randomData(32, 20, 3, 5, dtype);
        for (int i = 0; i < 200; i++) {
            net.fit(ds);
        }
        assertNotEquals(before, net.params());
        assertMaskedWeightsZero(net, masks);
        assertTrue(Double.isFinite(net.score()));
    }

    @Test
    void workspacesOnAndOffGiveTheSameTraining() {
        MultiLayerNetwork a = net(DataType.DOUBLE, WorkspaceMode.ENABLED, false);
        MultiLayerNetwork b = net(DataType.DOUBLE, WorkspaceMode.NONE, false);
        assertEquals(a.params(), b.params());
        DataSet ds = randomData(16, 20, 3, 6, DataType.DOUBLE);
        for (int i = 0; i < 20; i++) {
            a.fit(ds);
            b.fit(ds);
        }
        assertEquals(a.params(), b.params());
        assertEquals(a.output(ds.getFeatures()), b.output(ds.getFeatures()));
    }

    @Test
    void jsonRoundTripKeepsEveryG2GSetting() {
        NeuralNetConfiguration.ListBuilder lb = new NeuralNetConfiguration.Builder().seed(3).list()
                .layer(new G2GDenseLayer.Builder().name("a").nIn(30).nOut(20).groups(5).pIntra(0.9).density(0.4)
                        .grouping(Grouping.RANDOM).inputGrouping(Grouping.INTERLEAVED).maskSeed(77).groupingSeed(5)
                        .exactCount(false).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder().nIn(20).nOut(2).build());
        MultiLayerConfiguration c = lb.build();
        String json = c.toJson();
        assertTrue(json.contains("org.g2gnet.conf.G2GDenseLayer"), json);
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(json);
        assertEquals(c, back);
        G2GDenseLayer l = (G2GDenseLayer) back.getConf(0).getLayer();
        assertEquals(5, l.getGroups());
        assertEquals(0.4, l.getDensity());
        assertEquals(Grouping.RANDOM, l.getGrouping());
        assertEquals(Grouping.INTERLEAVED, l.getInputGrouping());
        assertEquals(77L, l.getMaskSeed());
        assertEquals(5L, l.getGroupingSeed());
        assertTrue(!l.isExactCount());
        // the same configuration draws the same masks
        MultiLayerNetwork n1 = new MultiLayerNetwork(c);
        n1.init();
        MultiLayerNetwork n2 = new MultiLayerNetwork(back);
        n2.init();
        assertEquals(n1.getLayer(0).getParam("M"), n2.getLayer(0).getParam("M"));
    }

    @Test
    void modelSerializerRoundTripKeepsMasksParamsUpdaterAndOutputs(@TempDir Path dir) throws Exception {
        MultiLayerNetwork net = net(DataType.FLOAT, WorkspaceMode.ENABLED, false);
        DataSet ds = randomData(16, 20, 3, 7, DataType.FLOAT);
        for (int i = 0; i < 5; i++) {
            net.fit(ds);
        }
        File f = dir.resolve("net.zip").toFile();
        ModelSerializer.writeModel(net, f, true);
        MultiLayerNetwork back = ModelSerializer.restoreMultiLayerNetwork(f, true);
        assertEquals(net.params(), back.params());
        assertEquals(net.getLayer(1).getParam("M"), back.getLayer(1).getParam("M"));
        assertEquals(net.getUpdater().getStateViewArray(), back.getUpdater().getStateViewArray());
        assertEquals(net.output(ds.getFeatures()), back.output(ds.getFeatures()));
        net.fit(ds);
        back.fit(ds);
        assertEquals(net.params(), back.params());
    }

    @Test
    void cloneIsIndependentAndEqual() {
        MultiLayerNetwork net = net(DataType.FLOAT, WorkspaceMode.ENABLED, false);
        MultiLayerNetwork copy = net.clone();
        assertEquals(net.params(), copy.params());
        DataSet ds = randomData(16, 20, 3, 8, DataType.FLOAT);
        assertEquals(net.output(ds.getFeatures()), copy.output(ds.getFeatures()));
        copy.fit(ds);
        assertNotEquals(net.params(), copy.params());
        assertEquals(net.getLayer(0).getParam("M"), copy.getLayer(0).getParam("M"));
    }

    @Test
    void computationGraphTrainsSerialisesAndKeepsMasks(@TempDir Path dir) throws Exception {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(SEED).updater(new Adam(1e-2))
                .weightDecay(1e-3).graphBuilder().addInputs("in")
                .addLayer("g1", new G2GDenseLayer.Builder().nIn(20).nOut(16).groups(4).activation(Activation.RELU).build(), "in")
                .addLayer("g2", new G2GDenseLayer.Builder().nIn(16).nOut(12).groups(4).grouping(Grouping.INTERLEAVED)
                        .activation(Activation.RELU).build(), "g1")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(12).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "g2")
                .setOutputs("out").build();
        assertEquals(conf, ComputationGraphConfiguration.fromJson(conf.toJson()));
        ComputationGraph cg = new ComputationGraph(conf);
        cg.init();
        INDArray m1 = cg.getLayer("g1").getParam("M").dup();
        DataSet ds = randomData(16, 20, 3, 9, DataType.FLOAT);
        for (int i = 0; i < 50; i++) {
            cg.fit(ds);
        }
        assertEquals(m1, cg.getLayer("g1").getParam("M"));
        assertEquals(0.0, cg.getLayer("g1").getParam("W").mul(m1.rsub(1)).amaxNumber().doubleValue(), 0);
        File f = dir.resolve("cg.zip").toFile();
        ModelSerializer.writeModel(cg, f, true);
        ComputationGraph back = ModelSerializer.restoreComputationGraph(f, true);
        assertEquals(cg.params(), back.params());
        assertEquals(cg.outputSingle(ds.getFeatures()), back.outputSingle(ds.getFeatures()));
        assertEquals(cg.params(), cg.clone().params());
        var report = G2GNetworks.sparsityReport(cg);
        assertEquals(3, report.layers().size());
    }

    @Test
    void transferLearningFreezeKeepsG2GLayerBitForBit() {
        MultiLayerNetwork net = net(DataType.FLOAT, WorkspaceMode.ENABLED, false);
        DataSet ds = randomData(16, 20, 3, 10, DataType.FLOAT);
        net.fit(ds);
        MultiLayerNetwork tl = new TransferLearning.Builder(net)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(new Sgd(0.1)).weightDecay(1e-2).build())
                .setFeatureExtractor(0).build();
        INDArray w = tl.getLayer(0).getParam("W").dup();
        INDArray m = tl.getLayer(0).getParam("M").dup();
        INDArray w1 = tl.getLayer(1).getParam("W").dup();
        for (int i = 0; i < 20; i++) {
            tl.fit(ds);
        }
        assertEquals(w, tl.getLayer(0).getParam("W"));
        assertEquals(m, tl.getLayer(0).getParam("M"));
        assertNotEquals(w1, tl.getLayer(1).getParam("W"));
        var report = G2GNetworks.sparsityReport(tl);
        assertTrue(report.layers().get(0).type().contains("frozen"), report.toString());
        assertEquals(Math.round(m.sumNumber().doubleValue()), report.layers().get(0).activeConnections());
    }
}
