package org.g2gnet.conf;

import static org.g2gnet.conf.JsonEdits.message;
import static org.g2gnet.conf.JsonEdits.rootMessage;
import static org.g2gnet.conf.JsonEdits.with;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.g2gnet.G2GTestBase;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** A configuration read from JSON is checked as the builder checks it, with the builder's messages. */
class G2GDenseLayerJsonValidationTest extends G2GTestBase {

    private static MultiLayerConfiguration conf() {
        return new NeuralNetConfiguration.Builder().seed(SEED).list()
                .layer(new G2GDenseLayer.Builder().name("g2g1").nIn(16).nOut(16).groups(4).pInter(0.25)
                        .activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build();
    }

    private static ComputationGraphConfiguration graph() {
        return new NeuralNetConfiguration.Builder().seed(SEED).graphBuilder().addInputs("in")
                .addLayer("g2g1", new G2GDenseLayer.Builder().nIn(16).nOut(16).groups(4).pInter(0.25)
                        .activation(Activation.RELU).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "g2g1")
                .setOutputs("out").setInputTypes(InputType.feedForward(16)).build();
    }

    @Test
    void badSingleValuesFailAtDeserialisationWithTheBuildersMessage() {
        String json = conf().toJson();
        assertEquals(message(() -> new G2GDenseLayer.Builder().name("g2g1").groups(-3)),
                rootMessage(() -> MultiLayerConfiguration.fromJson(with(json, "groups", "-3"))));
        assertEquals(message(() -> new G2GDenseLayer.Builder().name("g2g1").pIntra(1.5)),
                rootMessage(() -> MultiLayerConfiguration.fromJson(with(json, "pintra", "1.5"))));
        assertEquals(message(() -> new G2GDenseLayer.Builder().name("g2g1").pInter(-0.1)),
                rootMessage(() -> MultiLayerConfiguration.fromJson(with(json, "pinter", "-0.1"))));
        assertEquals(message(() -> new G2GDenseLayer.Builder().name("g2g1").density(0)),
                rootMessage(() -> MultiLayerConfiguration.fromJson(with(json, "density", "0.0"))));
        assertEquals(message(() -> new G2GDenseLayer.Builder().name("g2g1").tileSize(-1)),
                rootMessage(() -> MultiLayerConfiguration.fromJson(with(json, "tileSize", "-1"))));
    }

    @Test
    void badCombinationsFailAtDeserialisationWithTheBuildersMessage() {
        String json = conf().toJson();
        assertEquals(message(() -> new G2GDenseLayer.Builder().name("g2g1").nIn(16).nOut(16).groups(20).build()),
                rootMessage(() -> MultiLayerConfiguration.fromJson(with(json, "groups", "20"))));
        assertEquals(message(() -> new G2GDenseLayer.Builder().name("g2g1").nIn(16).nOut(16).groups(4).pIntra(0)
                        .pInter(0).build()),
                rootMessage(() -> MultiLayerConfiguration.fromJson(with(with(json, "pintra", "0.0"), "pinter", "0.0"))));
    }

    @Test
    void computationGraphsAreCheckedToo() {
        String json = graph().toJson();
        assertEquals(message(() -> new G2GDenseLayer.Builder().name("g2g1").groups(-3)),
                rootMessage(() -> ComputationGraphConfiguration.fromJson(with(json, "groups", "-3"))));
    }

    @Test
    void goodConfigurationsStillRoundTrip() {
        MultiLayerConfiguration c = conf();
        assertEquals(c, MultiLayerConfiguration.fromJson(c.toJson()));
        ComputationGraphConfiguration g = graph();
        assertEquals(g, ComputationGraphConfiguration.fromJson(g.toJson()));
    }
}
