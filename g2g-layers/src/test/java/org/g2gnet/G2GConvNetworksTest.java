package org.g2gnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.g2gnet.conf.G2GConvolutionLayer;
import org.g2gnet.conf.G2GDenseLayer;
import org.g2gnet.layers.G2GConvolutionLayerImpl;
import org.g2gnet.topology.Grouping;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Stacks of G2G convolutions (groupings over channels), their initialisation and the sparsity report. */
class G2GConvNetworksTest extends G2GTestBase {

    @Test
    void convStackGroupsBothSidesOfEachLayerByMixerK() {
        List<G2GConvolutionLayer> s = G2GNetworks.convStack(32, new int[] {64, 128, 128}, null,
                b -> b.kernelSize(3, 3).groups(8));
        for (int k = 0; k < 3; k++) {
            assertEquals(Grouping.mixer(k), s.get(k).getInputGrouping(), "layer " + k);
            assertEquals(Grouping.mixer(k), s.get(k).getGrouping(), "layer " + k);
        }
        assertEquals(32, s.get(0).getNIn());
        assertEquals(64, s.get(1).getNIn());
        assertEquals(128, s.get(2).getNOut());
        // Mixer re-mixes between layers: layer 0's output groups (INDEX) differ from layer 1's input groups
        // (INTERLEAVED), and every output group of layer 0 feeds every input group of layer 1 with 64 / 8^2 channels
        int[] out0 = s.get(0).outputPartition(1).labels();
        int[] in1 = s.get(1).inputPartition(1).labels();
        int[][] overlap = new int[8][8];
        for (int c = 0; c < 64; c++) {
            overlap[out0[c]][in1[c]]++;
        }
        for (int[] row : overlap) {
            for (int v : row) {
                assertEquals(1, v);
            }
        }
    }

    @Test
    void randomConvStackDrawsAnIndependentPermutationPerSideAndLayer() {
        List<G2GConvolutionLayer> s = G2GNetworks.convStack(16, new int[] {16, 16}, Grouping.RANDOM,
                b -> b.kernelSize(3, 3).convolutionMode(ConvolutionMode.Same).groups(4));
        NeuralNetConfiguration.ListBuilder lb = new NeuralNetConfiguration.Builder().seed(7).list();
        s.forEach(lb::layer);
        var conf = lb.layer(new OutputLayer.Builder().nOut(2).build())
                .setInputType(InputType.convolutional(4, 4, 16)).build();
        long seed = conf.getConf(0).getSeed();
        var l0 = (G2GConvolutionLayer) conf.getConf(0).getLayer();
        var l1 = (G2GConvolutionLayer) conf.getConf(1).getLayer();
        assertNotEquals(l0.inputPartition(seed), l0.outputPartition(seed));
        assertNotEquals(l0.outputPartition(seed), l1.inputPartition(seed));
        assertNotEquals(l0.outputPartition(seed), l1.outputPartition(seed));
        // lined up by hand: the same seed on both sides of the junction gives the same permutation
        var a = new G2GConvolutionLayer.Builder(3, 3).nIn(16).nOut(16).groups(4).grouping(Grouping.RANDOM)
                .groupingSeed(11).build();
        var b = new G2GConvolutionLayer.Builder(3, 3).nIn(16).nOut(16).groups(4).inputGrouping(Grouping.RANDOM)
                .inputGroupingSeed(11).build();
        assertEquals(a.outputPartition(seed), b.inputPartition(seed));
    }

    /**
     * The paper's 75% sparsity over channel pairs: G = 8, pIntra 1, pInter 1/7 (or density 0.25). Exact counts are
     * exact per block: round(pInter x |block|) pairs in each inter-group block (18 of 8 x 16 here).
     */
    @Test
    void exactCountsGiveTheTargetChannelPairDensityPerBlock() {
        var l = new G2GConvolutionLayer.Builder(3, 3).nIn(64).nOut(128).groups(8).pInter(1.0 / 7)
                .grouping(Grouping.INTERLEAVED).inputGrouping(Grouping.INTERLEAVED).build();
        long expected = 8 * 8 * 16 + 56 * Math.round(8 * 16 / 7.0);
        assertEquals(expected, l.generateMask(1).activeCount());
        assertEquals(0.25, l.generateMask(1).density(), 0.5 * 56 / (64.0 * 128));
        var d = new G2GConvolutionLayer.Builder(3, 3).nIn(64).nOut(128).groups(8).density(0.25).build();
        assertEquals(expected, d.generateMask(1).activeCount());
    }

    /**
     * Initialisation: DL4J's ConvolutionLayer initialisation from the same seed, masked, with the kernels of output
     * channel o scaled by sqrt(nIn / activeIn(o)).
     */
    @Test
    void initialisationIsTheConvolutionOneMaskedAndRescaledPerOutputChannel() {
        MultiLayerNetwork dense = net(new ConvolutionLayer.Builder(3, 3).nOut(12).build());
        MultiLayerNetwork g2g = net(new G2GConvolutionLayer.Builder(3, 3).nOut(12).groups(3).pInter(0.25).build());
        float[] wd = dense.getLayer(0).getParam("W").dup('c').reshape(-1).toFloatVector();
        var layer = (G2GConvolutionLayerImpl) g2g.getLayer(0);
        float[] wg = layer.weights().dup('c').reshape(-1).toFloatVector();
        float[] m = layer.mask().dup('c').reshape(-1).toFloatVector();
        int[] fanIn = layer.currentMask().fanIn();
        for (int o = 0; o < 12; o++) {
            float scale = (float) Math.sqrt(6.0 / fanIn[o]);
            for (int i = 0; i < 6; i++) {
                for (int k = 0; k < 9; k++) {
                    int at = (o * 6 + i) * 9 + k;
                    assertEquals(m[o * 6 + i] == 0 ? 0f : wd[at] * scale, wg[at], 0f, "kernel " + o + ", " + i);
                }
            }
        }
        assertEquals(dense.getLayer(0).getParam("b"), layer.getParam("b"));
    }

    private static MultiLayerNetwork net(org.deeplearning4j.nn.conf.layers.Layer first) {
        MultiLayerNetwork n = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(SEED)
                .weightInit(WeightInit.RELU).list().layer(first)
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(5, 5, 6)).build());
        n.init();
        return n;
    }

    /**
     * The sparsity report counts kernels: a G2G convolution has active channel pairs x kH x kW active weights out
     * of nIn x nOut x kH x kW, and active weights + biases as parameters (the mask excluded); a DL4J convolution
     * and dense layers count as before.
     */
    @Test
    void sparsityReportCountsKernelsAndParametersOfEveryLayerKind() {
        var conf = new NeuralNetConfiguration.Builder().seed(SEED).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(8).convolutionMode(ConvolutionMode.Same).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new G2GConvolutionLayer.Builder(3, 3).nOut(16).groups(4).pInter(0.5)
                        .convolutionMode(ConvolutionMode.Same).build())
                .layer(new G2GConvolutionLayer.Builder(2, 2).nOut(8).groups(4).pInter(0).hasBias(false)
                        .convolutionMode(ConvolutionMode.Same).build())
                .layer(new SubsamplingLayer.Builder(2, 2).stride(2, 2).build())
                .layer(new G2GDenseLayer.Builder().nOut(20).groups(4).pInter(0.2).build())
                .layer(new OutputLayer.Builder().nOut(3).build())
                .setInputType(InputType.convolutionalFlat(6, 6, 1)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        var r = G2GNetworks.sparsityReport(net);
        assertEquals(6, r.layers().size(), r.toString());
        var conv = r.layers().get(0);
        assertEquals(8 * 9, conv.activeConnections());
        assertEquals(8 * 9, conv.totalConnections());
        assertEquals(8 * 9 + 8, conv.activeParams());
        // 8 -> 16 channels, G = 4: 2 x 4 intra pairs per group (32 in all) + half of the 96 inter pairs
        var g1 = r.layers().get(2);
        assertEquals((32 + 48) * 9, g1.activeConnections(), r.toString());
        assertEquals(8 * 16 * 9, g1.totalConnections());
        assertEquals((32 + 48) * 9 + 16, g1.activeParams());
        assertEquals(0.625, g1.density(), 1e-12);
        // 16 -> 8 channels, pInter 0, no bias: the intra blocks only, 4 x 2 pairs per group
        var g2 = r.layers().get(3);
        assertEquals(32 * 4, g2.activeConnections());
        assertEquals(16 * 8 * 4, g2.totalConnections());
        assertEquals(32 * 4, g2.activeParams());
        var dense = r.layers().get(4);
        assertEquals(Math.round(net.getLayer(5).getParam("M").sumNumber().doubleValue()), dense.activeConnections());
        assertEquals(8 * 3 * 3 * 20, dense.totalConnections());
        long weights = r.layers().stream().mapToLong(G2GNetworks.LayerSparsity::activeConnections).sum();
        assertEquals(weights, r.activeConnections());
        assertEquals(r.layers().stream().mapToLong(G2GNetworks.LayerSparsity::activeParams).sum(), r.activeParams());
        assertEquals(DataType.FLOAT, net.params().dataType());
    }
}
