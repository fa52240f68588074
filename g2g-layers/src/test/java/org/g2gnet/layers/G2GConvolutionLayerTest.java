package org.g2gnet.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.g2gnet.G2GNetworks;
import org.g2gnet.G2GTestBase;
import org.g2gnet.conf.G2GConvolutionLayer;
import org.g2gnet.topology.Grouping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
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

/**
 * The G2G convolution: gradient checks, equality with DL4J's ConvolutionLayer, masking invariants under training,
 * and the drop-in round trips (JSON, ModelSerializer, clone, ComputationGraph, TransferLearning).
 */
class G2GConvolutionLayerTest extends G2GTestBase {
    private static final int H = 6;
    private static final int W = 6;
    private static final int C = 4;

    /** Images [n, C, H, W] (or [n, H, W, C]) in [0, 1) and one-hot labels of 3 classes. */
    private static DataSet images(int n, CNN2DFormat format, long seed, DataType dtype) {
        DataSet flat = randomData(n, C * H * W, 3, seed, dtype);
        long[] shape = format == CNN2DFormat.NCHW ? new long[] {n, C, H, W} : new long[] {n, H, W, C};
        return new DataSet(flat.getFeatures().reshape('c', shape), flat.getLabels());
    }

    /**
     * conv (G2G, 3 x 3 with the given geometry) -> conv (G2G, 2 x 2, Same) -> softmax, on [C, H, W] images.
     *
     * @param grouping grouping of both G2G layers (both sides); null: Mixer
     */
    private static MultiLayerConfiguration twoConvConf(Grouping grouping, ConvolutionMode mode, int stride, int dilation,
                                                       CNN2DFormat format, IUpdater updater, DataType dtype,
                                                       Activation act, boolean regularised) {
        NeuralNetConfiguration.Builder nb = new NeuralNetConfiguration.Builder().seed(SEED).dataType(dtype)
                .updater(updater).weightInit(WeightInit.XAVIER)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED).inferenceWorkspaceMode(WorkspaceMode.ENABLED);
        if (regularised) {
            nb.weightDecay(1e-2).l1(1e-3).l2(1e-3);
        }
        NeuralNetConfiguration.ListBuilder lb = nb.list();
        var stack = G2GNetworks.convStack(C, new int[] {4, 3}, grouping,
                b -> b.kernelSize(3, 3).stride(stride, stride).dilation(dilation, dilation).convolutionMode(mode)
                        .dataFormat(format).activation(act).groups(2).pInter(0.4));
        // the second layer: a 2 x 2 kernel in Same mode, whatever the first one's geometry left of the image
        stack.get(1).setKernelSize(new int[] {2, 2});
        stack.get(1).setStride(new int[] {1, 1});
        stack.get(1).setDilation(new int[] {1, 1});
        stack.get(1).setConvolutionMode(ConvolutionMode.Same);
        stack.forEach(lb::layer);
        return lb.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(H, W, C, format)).build();
    }

    private static MultiLayerNetwork net(MultiLayerConfiguration conf) {
        MultiLayerNetwork n = new MultiLayerNetwork(conf);
        n.init();
        return n;
    }

    @ParameterizedTest
    @CsvSource({
            "INDEX, Truncate, 1, 1, NCHW",
            "INTERLEAVED, Same, 2, 1, NHWC",
            "RANDOM, Same, 1, 2, NCHW",
            "MIXER, Truncate, 1, 2, NHWC",
            "MIXER, Same, 2, 1, NCHW"})
    void gradientCheck(String grouping, ConvolutionMode mode, int stride, int dilation, CNN2DFormat format) {
        useDouble();
        Grouping g = grouping.equals("MIXER") ? null : Grouping.valueOf(grouping);
        MultiLayerNetwork net = net(twoConvConf(g, mode, stride, dilation, format, new NoOp(), DataType.DOUBLE,
                Activation.TANH, false));
        assertTrue(net.getLayer(0).getParam("M").minNumber().doubleValue() == 0, "the mask must be sparse");
        DataSet ds = images(3, format, 1, DataType.DOUBLE);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net)
                .input(ds.getFeatures()).labels(ds.getLabels()).excludeParams(Set.of("0_M", "1_M")));
        assertTrue(ok, "gradient check failed for " + grouping + " " + mode + " stride " + stride + " dilation "
                + dilation + " " + format);
    }

    @Test
    void gradientCheckInComputationGraph() {
        useDouble();
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(SEED).dataType(DataType.DOUBLE)
                .updater(new NoOp()).weightInit(WeightInit.XAVIER).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(H, W, C))
                .addLayer("g", new G2GConvolutionLayer.Builder(3, 3).nOut(4).groups(2).pInter(0.3)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.TANH).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "g")
                .setOutputs("out").build();
        ComputationGraph cg = new ComputationGraph(conf);
        cg.init();
        DataSet ds = images(3, CNN2DFormat.NCHW, 2, DataType.DOUBLE);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(cg)
                .inputs(new INDArray[] {ds.getFeatures()}).labels(new INDArray[] {ds.getLabels()})
                .excludeParams(Set.of("g_M"))));
    }

    /**
     * With an all-ones mask G2G equals DL4J's ConvolutionLayer bit for bit: the same initial parameters from the
     * same seed, outputs, gradients, score and a training step.
     */
    @ParameterizedTest
    @CsvSource({"FLOAT, NCHW, Same", "DOUBLE, NHWC, Truncate"})
    void allOnesMaskEqualsConvolutionLayer(DataType dtype, CNN2DFormat format, ConvolutionMode mode) {
        MultiLayerNetwork dense = net(new NeuralNetConfiguration.Builder().seed(SEED).dataType(dtype)
                .updater(new Adam(1e-2)).weightInit(WeightInit.RELU).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(6).stride(1, 2).convolutionMode(mode)
                        .dataFormat(format).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(H, W, C, format)).build());
        MultiLayerNetwork g2g = net(new NeuralNetConfiguration.Builder().seed(SEED).dataType(dtype)
                .updater(new Adam(1e-2)).weightInit(WeightInit.RELU).list()
                .layer(new G2GConvolutionLayer.Builder(3, 3).nOut(6).stride(1, 2).convolutionMode(mode)
                        .dataFormat(format).activation(Activation.RELU).groups(2).pIntra(1).pInter(1).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(H, W, C, format)).build());
        assertEquals(24.0, g2g.getLayer(0).getParam("M").sumNumber().doubleValue());
        for (String p : new String[] {"W", "b"}) {
            assertEquals(dense.getLayer(0).getParam(p), g2g.getLayer(0).getParam(p), "initial " + p);
        }
        assertEquals(dense.getLayer(1).params(), g2g.getLayer(1).params());
        DataSet ds = images(5, format, 3, dtype);
        assertEquals(dense.output(ds.getFeatures()), g2g.output(ds.getFeatures()));

        dense.setInput(ds.getFeatures());
        dense.setLabels(ds.getLabels());
        dense.computeGradientAndScore();
        g2g.setInput(ds.getFeatures());
        g2g.setLabels(ds.getLabels());
        g2g.computeGradientAndScore();
        Map<String, INDArray> gd = dense.gradient().gradientForVariable();
        Map<String, INDArray> gg = g2g.gradient().gradientForVariable();
        for (String k : gd.keySet()) {
            assertEquals(gd.get(k), gg.get(k), k);
        }
        assertEquals(dense.score(), g2g.score(), 0);
        for (int i = 0; i < 3; i++) {
            dense.fit(ds);
            g2g.fit(ds);
        }
        assertEquals(dense.getLayer(0).getParam("W"), g2g.getLayer(0).getParam("W"));
        assertEquals(dense.output(ds.getFeatures()), g2g.output(ds.getFeatures()));
    }

    /** The layer computes a ConvolutionLayer with the kernels W * M, whatever W holds where M is 0. */
    @Test
    void forwardIsAConvolutionWithMaskedKernels() {
        MultiLayerNetwork g2g = net(twoConvConf(Grouping.RANDOM, ConvolutionMode.Same, 1, 1, CNN2DFormat.NCHW,
                new Sgd(0.1), DataType.FLOAT, Activation.IDENTITY, false));
        var layer = (G2GConvolutionLayerImpl) g2g.getLayer(0);
        INDArray unmasked = Nd4j.rand(DataType.FLOAT, layer.weights().shape());
        INDArray m4 = layer.mask().reshape(4, C, 1, 1).broadcast(layer.weights().shape());
        layer.weights().addi(unmasked.mul(m4.rsub(1)));     // garbage where M is 0
        MultiLayerNetwork plain = net(new NeuralNetConfiguration.Builder().seed(SEED).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.IDENTITY).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(H, W, C)).build());
        plain.getLayer(0).setParam("W", layer.weights().mul(m4));
        plain.getLayer(0).setParam("b", layer.getParam("b"));
        INDArray x = images(4, CNN2DFormat.NCHW, 4, DataType.FLOAT).getFeatures();
        assertEquals(plain.feedForward(x, false).get(1), g2g.feedForward(x, false).get(1));
        INDArray w = Nd4j.rand(DataType.FLOAT, 4, C, 3, 3);
        assertEquals(w.mul(m4), ChannelMaskMath.maskKernelsInto(w, layer.mask(), Nd4j.createUninitialized(
                DataType.FLOAT, 4, C, 3, 3)));
    }

    @Test
    void maskGradientIsZeroAndWeightGradientIsMasked() {
        MultiLayerNetwork net = net(twoConvConf(null, ConvolutionMode.Same, 1, 1, CNN2DFormat.NCHW, new Sgd(0.1),
                DataType.FLOAT, Activation.TANH, false));
        DataSet ds = images(8, CNN2DFormat.NCHW, 5, DataType.FLOAT);
        net.setInput(ds.getFeatures());
        net.setLabels(ds.getLabels());
        net.computeGradientAndScore();
        for (int l = 0; l < 2; l++) {
            INDArray m = net.getLayer(l).getParam("M");
            INDArray gw = net.gradient().getGradientFor(l + "_W");
            INDArray off = m.rsub(1).reshape(m.rows(), m.columns(), 1, 1).broadcast(gw.shape());
            assertEquals(0.0, net.gradient().getGradientFor(l + "_M").amaxNumber().doubleValue(), 0);
            assertEquals(0.0, gw.mul(off).amaxNumber().doubleValue(), 0, "layer " + l);
            assertTrue(gw.amaxNumber().doubleValue() > 0);
        }
    }

    private static void assertMaskedKernelsZero(MultiLayerNetwork net, INDArray[] initialMasks) {
        for (int l = 0; l < initialMasks.length; l++) {
            INDArray m = net.getLayer(l).getParam("M");
            assertEquals(initialMasks[l], m, "mask of layer " + l + " changed");
            INDArray w = net.getLayer(l).getParam("W");
            INDArray off = m.rsub(1).reshape(m.rows(), m.columns(), 1, 1).broadcast(w.shape());
            assertEquals(0.0, w.mul(off).amaxNumber().doubleValue(), 0.0, "masked kernel revived in layer " + l);
            assertTrue(w.amaxNumber().doubleValue() > 0);
        }
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void maskedKernelsStayExactlyZeroUnderAdamWeightDecayL1AndL2(DataType dtype) {
        MultiLayerNetwork net = net(twoConvConf(null, ConvolutionMode.Same, 1, 1, CNN2DFormat.NHWC, new Adam(1e-2),
                dtype, Activation.RELU, true));
        INDArray[] masks = {net.getLayer(0).getParam("M").dup(), net.getLayer(1).getParam("M").dup()};
        INDArray before = net.params().dup();
        DataSet ds = images(16, CNN2DFormat.NHWC, 6, dtype);
        for (int i = 0; i < 60; i++) {
            net.fit(ds);
        }
        assertNotEquals(before, net.params());
        assertMaskedKernelsZero(net, masks);
        assertTrue(Double.isFinite(net.score()));
    }

    @Test
    void workspacesOnAndOffGiveTheSameTraining() {
        MultiLayerConfiguration c = twoConvConf(null, ConvolutionMode.Same, 1, 1, CNN2DFormat.NCHW, new Adam(1e-2),
                DataType.DOUBLE, Activation.RELU, false);
        MultiLayerNetwork a = net(c);
        MultiLayerConfiguration noWs = c.clone();
        noWs.setTrainingWorkspaceMode(WorkspaceMode.NONE);
        noWs.setInferenceWorkspaceMode(WorkspaceMode.NONE);
        MultiLayerNetwork b = net(noWs);
        assertEquals(a.params(), b.params());
        DataSet ds = images(8, CNN2DFormat.NCHW, 7, DataType.DOUBLE);
        for (int i = 0; i < 10; i++) {
            a.fit(ds);
            b.fit(ds);
        }
        assertEquals(a.params(), b.params());
        assertEquals(a.output(ds.getFeatures()), b.output(ds.getFeatures()));
    }

    @Test
    void jsonRoundTripKeepsEveryG2GAndConvolutionSetting() {
        MultiLayerConfiguration c = new NeuralNetConfiguration.Builder().seed(3).list()
                .layer(new G2GConvolutionLayer.Builder(new int[] {3, 2}, new int[] {2, 1}).name("a").nOut(8)
                        .dilation(1, 2).convolutionMode(ConvolutionMode.Same).dataFormat(CNN2DFormat.NHWC).hasBias(false)
                        .groups(4).pIntra(0.9).density(0.4).grouping(Grouping.RANDOM).inputGrouping(Grouping.INTERLEAVED)
                        .maskSeed(77).groupingSeed(5).inputGroupingSeed(6).exactCount(false)
                        .activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder().nOut(2).build())
                .setInputType(InputType.convolutional(H, W, C, CNN2DFormat.NHWC)).build();
        String json = c.toJson();
        assertTrue(json.contains("org.g2gnet.conf.G2GConvolutionLayer"), json);
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(json);
        assertEquals(c, back);
        G2GConvolutionLayer l = (G2GConvolutionLayer) back.getConf(0).getLayer();
        assertEquals(4, l.getGroups());
        assertEquals(0.4, l.getDensity());
        assertEquals(Grouping.RANDOM, l.getGrouping());
        assertEquals(Grouping.INTERLEAVED, l.getInputGrouping());
        assertEquals(77L, l.getMaskSeed());
        assertEquals(5L, l.getGroupingSeed());
        assertEquals(6L, l.getInputGroupingSeed());
        assertTrue(!l.isExactCount() && !l.hasBias());
        assertEquals(CNN2DFormat.NHWC, l.getCnn2dDataFormat());
        assertEquals(ConvolutionMode.Same, l.getConvolutionMode());
        assertEquals(2, l.getDilation()[1]);
        MultiLayerNetwork n1 = net(c);
        MultiLayerNetwork n2 = net(back);
        assertEquals(n1.getLayer(0).getParam("M"), n2.getLayer(0).getParam("M"));
        assertEquals(n1.params(), n2.params());
    }

    @Test
    void modelSerializerRoundTripKeepsMasksParamsUpdaterAndOutputs(@TempDir Path dir) throws Exception {
        MultiLayerNetwork net = net(twoConvConf(null, ConvolutionMode.Same, 1, 1, CNN2DFormat.NCHW, new Adam(1e-2),
                DataType.FLOAT, Activation.RELU, false));
        DataSet ds = images(8, CNN2DFormat.NCHW, 8, DataType.FLOAT);
        for (int i = 0; i < 3; i++) {
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

        MultiLayerNetwork copy = net.clone();
        assertEquals(net.params(), copy.params());
        assertEquals(net.output(ds.getFeatures()), copy.output(ds.getFeatures()));
        copy.fit(ds);
        assertNotEquals(net.params(), copy.params());
        assertEquals(net.getLayer(0).getParam("M"), copy.getLayer(0).getParam("M"));
    }

    @Test
    void computationGraphTrainsSerialisesAndKeepsMasks(@TempDir Path dir) throws Exception {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(SEED).updater(new Adam(1e-2))
                .weightDecay(1e-3).graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(H, W, C))
                .addLayer("c1", new G2GConvolutionLayer.Builder(3, 3).nOut(8).groups(2)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build(), "in")
                .addLayer("pool", new SubsamplingLayer.Builder(2, 2).stride(2, 2).build(), "c1")
                .addLayer("c2", new G2GConvolutionLayer.Builder(3, 3).nOut(6).groups(2).grouping(Grouping.INTERLEAVED)
                        .inputGrouping(Grouping.INTERLEAVED).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU).build(), "pool")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "c2")
                .setOutputs("out").build();
        assertEquals(conf, ComputationGraphConfiguration.fromJson(conf.toJson()));
        ComputationGraph cg = new ComputationGraph(conf);
        cg.init();
        INDArray m1 = cg.getLayer("c1").getParam("M").dup();
        DataSet ds = images(8, CNN2DFormat.NCHW, 9, DataType.FLOAT);
        for (int i = 0; i < 20; i++) {
            cg.fit(ds);
        }
        assertEquals(m1, cg.getLayer("c1").getParam("M"));
        INDArray off = m1.rsub(1).reshape(8, C, 1, 1).broadcast(8, C, 3, 3);
        assertEquals(0.0, cg.getLayer("c1").getParam("W").mul(off).amaxNumber().doubleValue(), 0);
        File f = dir.resolve("cg.zip").toFile();
        ModelSerializer.writeModel(cg, f, true);
        ComputationGraph back = ModelSerializer.restoreComputationGraph(f, true);
        assertEquals(cg.params(), back.params());
        assertEquals(cg.outputSingle(ds.getFeatures()), back.outputSingle(ds.getFeatures()));
        assertEquals(cg.params(), cg.clone().params());
        assertEquals(3, G2GNetworks.sparsityReport(cg).layers().size());
    }

    @Test
    void transferLearningFreezeKeepsTheG2GConvolutionBitForBit() {
        MultiLayerNetwork net = net(twoConvConf(null, ConvolutionMode.Same, 1, 1, CNN2DFormat.NCHW, new Adam(1e-2),
                DataType.FLOAT, Activation.RELU, false));
        DataSet ds = images(8, CNN2DFormat.NCHW, 10, DataType.FLOAT);
        net.fit(ds);
        MultiLayerNetwork tl = new TransferLearning.Builder(net)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(new Sgd(0.1)).weightDecay(1e-2).build())
                .setFeatureExtractor(0).build();
        INDArray w = tl.getLayer(0).getParam("W").dup();
        INDArray m = tl.getLayer(0).getParam("M").dup();
        INDArray w1 = tl.getLayer(1).getParam("W").dup();
        INDArray m1 = tl.getLayer(1).getParam("M").dup();
        for (int i = 0; i < 10; i++) {
            tl.fit(ds);
        }
        assertEquals(w, tl.getLayer(0).getParam("W"));
        assertEquals(m, tl.getLayer(0).getParam("M"));
        assertNotEquals(w1, tl.getLayer(1).getParam("W"));
        assertEquals(m1, tl.getLayer(1).getParam("M"));
        var report = G2GNetworks.sparsityReport(tl);
        assertTrue(report.layers().get(0).type().contains("frozen"), report.toString());
        assertEquals(Math.round(m.sumNumber().doubleValue()) * 9, report.layers().get(0).activeConnections());
    }
}
