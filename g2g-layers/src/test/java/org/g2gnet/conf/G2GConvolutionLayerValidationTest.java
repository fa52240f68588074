package org.g2gnet.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.g2gnet.G2GTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every error a user can make in a G2GConvolutionLayer names the layer, the field and the value. */
class G2GConvolutionLayerValidationTest extends G2GTestBase {

    private static void assertMessage(Executable e, String... parts) {
        Exception ex = assertThrows(Exception.class, e);
        for (String p : parts) {
            assertTrue(ex.getMessage() != null && ex.getMessage().contains(p),
                    "message '" + ex.getMessage() + "' lacks '" + p + "'");
        }
    }

    @Test
    void probabilitiesAndDensityOutOfRange() {
        assertMessage(() -> new G2GConvolutionLayer.Builder(3, 3).name("c1").pInter(1.5),
                "G2GConvolutionLayer 'c1'", "pInter must be in [0, 1], got 1.5");
        assertMessage(() -> new G2GConvolutionLayer.Builder(3, 3).pIntra(-0.1), "pIntra must be in [0, 1], got -0.1");
        assertMessage(() -> new G2GConvolutionLayer.Builder(3, 3).density(0), "density must be in (0, 1], got 0.0");
        assertMessage(() -> new G2GConvolutionLayer.Builder(3, 3).groups(0), "groups must be >= 1, got 0");
    }

    @Test
    void groupsAtMostTheChannels() {
        assertMessage(() -> new G2GConvolutionLayer.Builder(3, 3).name("x").nIn(4).nOut(16).groups(8).build(),
                "G2GConvolutionLayer 'x'", "groups must be in [1, min(nIn, nOut)] = [1, 4]", "channels, got 8");
    }

    @Test
    void groupsCheckedAgainstChannelsFromTheInputType() {
        // a first layer on a grey image has one input channel: nIn comes from the input type, checked at init
        NeuralNetConfiguration.ListBuilder lb = new NeuralNetConfiguration.Builder().list()
                .layer(new G2GConvolutionLayer.Builder(3, 3).name("first").nOut(16).groups(8).build())
                .layer(new OutputLayer.Builder().nOut(2).build())
                .setInputType(InputType.convolutionalFlat(8, 8, 1));
        MultiLayerNetwork net = new MultiLayerNetwork(lb.build());
        assertMessage(net::init, "G2GConvolutionLayer 'first'", "groups must be in [1, min(nIn, nOut)] = [1, 1]",
                "got 8", "needs groups(1), or a plain ConvolutionLayer");
    }

    @Test
    void unreachableDensityAndBothPInterAndDensity() {
        assertMessage(() -> new G2GConvolutionLayer.Builder(3, 3).name("d").nIn(64).nOut(64).groups(8).pIntra(1.0)
                        .density(0.05).build(),
                "G2GConvolutionLayer 'd'", "density 0.05 is not reachable with pIntra 1.0 and 8 groups", "[0.125, 1.0]");
        assertMessage(() -> new G2GConvolutionLayer.Builder(3, 3).groups(4).pIntra(0.0).density(0.9).build(),
                "density 0.9 is not reachable with pIntra 0.0 and 4 groups");
        assertMessage(() -> new G2GConvolutionLayer.Builder(3, 3).nIn(8).nOut(8).groups(2).pInter(0.2).density(0.5)
                .build(), "set either pInter (0.2) or density (0.5), not both");
    }

    @Test
    void convolutionSettingsAreCheckedAsDl4jChecksThem() {
        assertMessage(() -> new G2GConvolutionLayer.Builder(3, 3).name("k").kernelSize(3, 0).build(),
                "G2GConvolutionLayer 'k'", "kernelSize must be two values >= 1, got [3, 0]");
        assertMessage(() -> new G2GConvolutionLayer.Builder(3, 3).stride(0, 1).build(), "stride");
        NeuralNetConfiguration.ListBuilder lb = new NeuralNetConfiguration.Builder().list()
                .layer(new G2GConvolutionLayer.Builder(3, 3).nIn(2).nOut(0).groups(1).build())
                .layer(new OutputLayer.Builder().nIn(3).nOut(2).build());
        assertMessage(() -> new MultiLayerNetwork(lb.build()).init(), "G2GConvolutionLayer", "nOut=0", "must be > 0");
    }

    @Test
    void validValuesBuild() {
        G2GConvolutionLayer l = new G2GConvolutionLayer.Builder(3, 3).nIn(64).nOut(128).groups(8).density(0.25)
                .convolutionMode(ConvolutionMode.Same).build();
        assertEquals(0.25, l.getNominalDensity(), 0);
        assertEquals(1.0 / 7, l.resolvePInter(l.inputPartition(1), l.outputPartition(1)), 1e-12);
        assertEquals(9, l.getKernelArea());
        assertEquals(0.25625, new G2GConvolutionLayer.Builder(3, 3).nIn(16).nOut(16).build().getNominalDensity(), 1e-12);
    }

    @Test
    void jsonWithBadValuesIsRefusedNamingTheLayerAndField() {
        org.deeplearning4j.nn.conf.MultiLayerConfiguration conv = new org.deeplearning4j.nn.conf.NeuralNetConfiguration
                .Builder().list()
                .layer(new G2GConvolutionLayer.Builder(3, 3).name("c1").nIn(8).nOut(8).groups(4).build())
                .layer(new org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer.Builder().build())
                .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder().nIn(8).nOut(2).build())
                .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(8, 8, 8)).build();
        String json = conv.toJson();
        assertTrue(json.contains("\"groups\" : 4"), json);
        assertMessage(() -> org.deeplearning4j.nn.conf.MultiLayerConfiguration.fromJson(
                json.replace("\"groups\" : 4", "\"groups\" : -3")), "groups must be >= 1, got -3");
        org.deeplearning4j.nn.conf.MultiLayerConfiguration block = new org.deeplearning4j.nn.conf.NeuralNetConfiguration
                .Builder().list()
                .layer(new G2GBlock.Builder().name("b").nIn(16).widths(16, 16).groups(4).density(0.5).build())
                .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder().nIn(16).nOut(2).build()).build();
        String bj = block.toJson();
        assertTrue(bj.contains("\"groups\" : 4") && bj.contains("\"density\" : 0.5"), bj);
        assertMessage(() -> org.deeplearning4j.nn.conf.MultiLayerConfiguration.fromJson(
                bj.replace("\"groups\" : 4", "\"groups\" : -3")), "groups must be >= 1, got -3");
        assertMessage(() -> org.deeplearning4j.nn.conf.MultiLayerConfiguration.fromJson(
                bj.replace("\"density\" : 0.5", "\"density\" : 1.5")), "density must be in (0, 1], got 1.5");
    }
}
