package org.g2gnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.g2gnet.conf.G2GConvolutionLayer;
import org.g2gnet.topology.Grouping;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The Java snippet of the README's "G2G convolution", as it stands there, compiles and trains. */
class ConvReadmeSnippetTest extends G2GTestBase {

    @Test
    void readmeConvolutionSnippetWorks() {
        // --- from docs/USER-GUIDE.md, "G2G convolution" ---
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(42)
                .updater(new Adam(1e-3))
                .weightInit(WeightInit.RELU_UNIFORM)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(32)         // one input channel: a plain convolution
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(2, 2).stride(2, 2).build())
                .layer(new G2GConvolutionLayer.Builder(3, 3).nOut(64)      // was: new ConvolutionLayer.Builder(3, 3)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU)
                        .groups(8).pIntra(1.0).pInter(1.0 / 7)             // or .density(0.25)
                        .grouping(Grouping.INDEX).inputGrouping(Grouping.INDEX) // over channels, on both sides
                        .build())
                .layer(new SubsamplingLayer.Builder(2, 2).stride(2, 2).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1))        // rows of 784 pixels in
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();

        System.out.println(G2GNetworks.sparsityReport(net));   // kernels: active channel pairs x 3 x 3
        // --- end of the snippet ---

        G2GNetworks.SparsityReport r = G2GNetworks.sparsityReport(net);
        G2GNetworks.LayerSparsity g2g = r.layers().get(1);
        assertEquals("G2GConvolutionLayer", g2g.type());
        assertEquals(32 * 64 * 9, g2g.totalConnections());
        // 8 full intra-group blocks of 4 x 8 pairs, round(32 / 7) = 5 pairs in each of the 56 inter-group blocks
        assertEquals((8 * 32 + 56 * 5) * 9, g2g.activeConnections());
        var ds = randomData(16, 784, 10, 1, DataType.FLOAT);
        for (int i = 0; i < 3; i++) {
            net.fit(ds);
        }
        assertTrue(Double.isFinite(net.score()));
    }
}
