package org.g2gnet.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.g2gnet.G2GTestBase;
import org.g2gnet.arrays.HostArrays;
import org.g2gnet.conf.G2GDenseLayer;
import org.g2gnet.topology.Grouping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Forward and backward math of the masked layer: gradient checks and equality with DenseLayer. */
class G2GLayerMathTest extends G2GTestBase {

    private static MultiLayerNetwork gradNet(Grouping grouping, int nIn, int hidden, int groups) {
        NeuralNetConfiguration.ListBuilder lb = new NeuralNetConfiguration.Builder().seed(SEED)
                .dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER).list();
        for (G2GDenseLayer l : org.g2gnet.G2GNetworks.stack(nIn, new int[] {hidden, hidden - 1}, grouping,
                b -> b.activation(Activation.TANH).groups(groups).pInter(0.4))) {
            lb.layer(l);
        }
        lb.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(hidden - 1).nOut(3)
                .activation(Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(lb.build());
        net.init();
        return net;
    }

    @ParameterizedTest
    @EnumSource(Grouping.class)
    void gradientCheckWithGroupsNotDividingWidths(Grouping grouping) {
        useDouble();
        MultiLayerNetwork net = gradNet(grouping, 7, 8, 3);
        DataSet ds = randomData(5, 7, 3, 1, DataType.DOUBLE);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net)
                .input(ds.getFeatures()).labels(ds.getLabels()).excludeParams(Set.of("0_M", "1_M")));
        assertTrue(ok, "gradient check failed for " + grouping);
    }

    @Test
    void gradientCheckMixerAndComputationGraph() {
        useDouble();
        MultiLayerNetwork net = gradNet(null, 10, 9, 4);
        DataSet ds = randomData(4, 10, 3, 2, DataType.DOUBLE);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(ds.getFeatures())
                .labels(ds.getLabels()).excludeParams(Set.of("0_M", "1_M"))));

        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(SEED).dataType(DataType.DOUBLE)
                .updater(new NoOp()).weightInit(WeightInit.XAVIER).graphBuilder().addInputs("in")
                .addLayer("g", new G2GDenseLayer.Builder().nIn(10).nOut(8).groups(3).pInter(0.3)
                        .activation(Activation.TANH).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "g")
                .setOutputs("out").build();
        ComputationGraph cg = new ComputationGraph(conf);
        cg.init();
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(cg)
                .inputs(new INDArray[] {ds.getFeatures()}).labels(new INDArray[] {ds.getLabels()})
                .excludeParams(Set.of("g_M"))));
    }

    /** With an all-ones mask and the same W and b, G2G must equal DL4J's DenseLayer exactly. */
    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void allOnesMaskEqualsDenseLayer(DataType dtype) {
        MultiLayerNetwork dense = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(SEED).dataType(dtype)
                .updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(12).nOut(10).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(10).nOut(4)
                        .activation(Activation.SOFTMAX).build()).build());
        dense.init();
        MultiLayerNetwork g2g = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(SEED).dataType(dtype)
                .updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).list()
                .layer(new G2GDenseLayer.Builder().nIn(12).nOut(10).groups(2).pIntra(1).pInter(1)
                        .activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(10).nOut(4)
                        .activation(Activation.SOFTMAX).build()).build());
        g2g.init();
        assertEquals(120.0, g2g.getLayer(0).getParam("M").sumNumber().doubleValue());
        for (String p : new String[] {"W", "b"}) {
            g2g.getLayer(0).setParam(p, dense.getLayer(0).getParam(p));
        }
        g2g.getLayer(1).setParams(dense.getLayer(1).params());
        DataSet ds = randomData(6, 12, 4, 3, dtype);
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
        // and one training step keeps them equal
        dense.fit(ds);
        g2g.fit(ds);
        assertEquals(dense.getLayer(0).getParam("W"), g2g.getLayer(0).getParam("W"));
    }

    @Test
    void forwardIsXTimesMaskedWPlusB() {
        MultiLayerNetwork net = g2gNet(9, new int[] {6}, 3, 0.3, Activation.IDENTITY, new Sgd(0.1), DataType.FLOAT, 2);
        var layer = (G2GDenseLayerImpl) net.getLayer(0);
        // put garbage where the mask is 0: the layer must ignore it
        INDArray garbage = Nd4j.rand(DataType.FLOAT, 9, 6).muli(layer.mask().rsub(1));
        layer.weights().addi(garbage);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 9);
        INDArray expected = x.mmul(layer.weights().mul(layer.mask())).addiRowVector(layer.getParam("b"));
        assertEquals(expected, net.feedForward(x, false).get(1));
    }

    @Test
    void maskGradientIsZeroAndWeightGradientIsMasked() {
        MultiLayerNetwork net = g2gNet(9, new int[] {6}, 3, 0.3, Activation.TANH, new Sgd(0.1), DataType.FLOAT, 2);
        DataSet ds = randomData(8, 9, 2, 4, DataType.FLOAT);
        net.setInput(ds.getFeatures());
        net.setLabels(ds.getLabels());
        net.computeGradientAndScore();
        Gradient g = net.gradient();
        INDArray m = net.getLayer(0).getParam("M");
        assertEquals(0.0, g.getGradientFor("0_M").amaxNumber().doubleValue(), 0);
        assertEquals(0.0, g.getGradientFor("0_W").mul(m.rsub(1)).amaxNumber().doubleValue(), 0);
        assertTrue(g.getGradientFor("0_W").amaxNumber().doubleValue() > 0);
    }

    @Test
    void denseGradientCaptureGivesXTransposeDelta() {
        MultiLayerNetwork net = g2gNet(9, new int[] {6}, 3, 0.3, Activation.TANH, new Sgd(0.1), DataType.FLOAT, 2);
        var layer = (G2GDenseLayerImpl) net.getLayer(0);
        INDArray sink = HostArrays.detachedLike(layer.weights());
        layer.captureDenseGradient(sink);
        DataSet ds = randomData(8, 9, 2, 4, DataType.FLOAT);
        net.setInput(ds.getFeatures());
        net.setLabels(ds.getLabels());
        net.computeGradientAndScore();
        INDArray masked = net.gradient().getGradientFor("0_W");
        // masked gradient = dense gradient * M, and the dense one is non-zero somewhere the mask is 0
        assertEquals(sink.mul(layer.mask()), masked);
        assertTrue(sink.mul(layer.mask().rsub(1)).amaxNumber().doubleValue() > 0);
        layer.captureDenseGradient(null);
    }
}
