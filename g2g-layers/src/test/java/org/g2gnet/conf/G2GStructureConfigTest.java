package org.g2gnet.conf;

import static org.g2gnet.conf.JsonEdits.message;
import static org.g2gnet.conf.JsonEdits.rootMessage;
import static org.g2gnet.conf.JsonEdits.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.deeplearning4j.nn.api.layers.LayerConstraint;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.constraint.MaxNormConstraint;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.g2gnet.G2GTestBase;
import org.g2gnet.topology.G2GStructure;
import org.g2gnet.topology.Grouping;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The three G2G configurations hold one {@link G2GStructure}: each is checked when read from JSON with its
 * builder's messages (the layer and the field named), survives a JSON round trip, and keeps its masks and indices
 * out of constraints.
 */
class G2GStructureConfigTest extends G2GTestBase {

    private static OutputLayer output() {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2).activation(Activation.SOFTMAX)
                .build();
    }

    private static MultiLayerConfiguration conv() {
        return new NeuralNetConfiguration.Builder().seed(SEED).list()
                .layer(new G2GConvolutionLayer.Builder(3, 3).name("c1").nIn(8).nOut(8).groups(4).density(0.5)
                        .grouping(Grouping.RANDOM).inputGrouping(Grouping.INTERLEAVED).maskSeed(3).groupingSeed(4)
                        .exactCount(false).convolutionMode(ConvolutionMode.Same).build())
                .layer(new GlobalPoolingLayer.Builder().build())
                .layer(output())
                .setInputType(InputType.convolutional(6, 6, 8)).build();
    }

    private static MultiLayerConfiguration block() {
        return new NeuralNetConfiguration.Builder().seed(SEED).list()
                .layer(new G2GBlock.Builder().name("b").nIn(16).widths(16, 16).groups(4).density(0.5)
                        .groupings(Grouping.INDEX, Grouping.RANDOM).tileSizes(2, 2).maskSeed(9)
                        .innerNames("x", "y").activation(Activation.TANH).build())
                .layer(output())
                .setInputType(InputType.feedForward(16)).build();
    }

    private static MultiLayerConfiguration dense() {
        return new NeuralNetConfiguration.Builder().seed(SEED).list()
                .layer(new G2GDenseLayer.Builder().name("d").nIn(16).nOut(16).groups(4).intraShare(0.5).density(0.5)
                        .grouping(Grouping.RANDOM).inputGroupingSeed(5).execution(Execution.MASKED).build())
                .layer(new G2GDenseLayer.Builder().name("s").nIn(16).nOut(16).groups(4).pInter(0.5)
                        .execution(Execution.STRUCTURED).tileSize(2).build())
                .layer(output())
                .setInputType(InputType.feedForward(16)).build();
    }

    @Test
    void fromJsonRefusesAnInvalidConvolutionNamingTheLayerAndTheField() {
        String json = conv().toJson();
        assertEquals("G2GConvolutionLayer 'c1': groups must be >= 1, got -3",
                rootMessage(() -> MultiLayerConfiguration.fromJson(with(json, "groups", "-3"))));
        assertEquals(message(() -> new G2GConvolutionLayer.Builder(3, 3).name("c1").pIntra(1.5)),
                rootMessage(() -> MultiLayerConfiguration.fromJson(with(json, "pintra", "1.5"))));
        assertEquals(message(() -> new G2GConvolutionLayer.Builder(3, 3).name("c1").density(0)),
                rootMessage(() -> MultiLayerConfiguration.fromJson(with(json, "density", "0.0"))));
        // combinations, as build() checks them
        assertEquals(message(() -> new G2GConvolutionLayer.Builder(3, 3).name("c1").nIn(8).nOut(8).groups(16).build()),
                rootMessage(() -> MultiLayerConfiguration.fromJson(with(json, "groups", "16"))));
        String m = rootMessage(() -> MultiLayerConfiguration.fromJson(with(json, "density", "0.1")));
        assertTrue(m.startsWith("G2GConvolutionLayer 'c1': density 0.1 is not reachable with pIntra 1.0"), m);
    }

    @Test
    void fromJsonRefusesAnInvalidBlockNamingTheLayerAndTheField() {
        String json = block().toJson();
        assertEquals("G2GBlock 'b': groups must be >= 1, got -3",
                rootMessage(() -> MultiLayerConfiguration.fromJson(with(json, "groups", "-3"))));
        assertEquals("G2GBlock 'b': density must be in (0, 1], got 1.5",
                rootMessage(() -> MultiLayerConfiguration.fromJson(with(json, "density", "1.5"))));
        String threeGroupings = json.replace("[ \"INDEX\", \"RANDOM\" ]", "[ \"INDEX\", \"RANDOM\", \"INDEX\" ]");
        assertNotEquals(json, threeGroupings);
        assertEquals("G2GBlock 'b': 3 groupings for 2 inner layers",
                rootMessage(() -> MultiLayerConfiguration.fromJson(threeGroupings)));
    }

    @Test
    void fromJsonRefusesABlockWhoseInnerLayerCannotBeBuilt() {
        String json = block().toJson();
        Throwable t = assertThrows(Exception.class, () -> MultiLayerConfiguration.fromJson(with(json, "groups", "32")));
        while (!(t instanceof IllegalArgumentException)) {
            t = t.getCause();
        }
        assertTrue(t.getMessage().startsWith("G2GBlock 'b', inner layer 0: G2GDenseLayer 'x': groups must be in "
                + "[1, min(nIn, nOut)] = [1, 16]"), t.getMessage());
    }

    @Test
    void eachConfigurationRoundTripsThroughJson() {
        for (MultiLayerConfiguration c : List.of(dense(), conv(), block())) {
            MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(c.toJson());
            assertEquals(c, back);
            assertEquals(c.toJson(), back.toJson());
            for (int i = 0; i < c.getConfs().size(); i++) {
                Layer l = c.getConf(i).getLayer();
                assertEquals(l.toString(), back.getConf(i).getLayer().toString());
                if (l instanceof G2GStructured s) {
                    assertEquals(s.getStructure(), ((G2GStructured) back.getConf(i).getLayer()).getStructure());
                }
            }
        }
        G2GConvolutionLayer c = (G2GConvolutionLayer) conv().getConf(0).getLayer();
        assertEquals(new G2GStructure(4, 1.0, 0.15, 0.5, Grouping.RANDOM, Grouping.INTERLEAVED, 3L, 4L, null, false),
                c.getStructure());
        G2GDenseLayer d = (G2GDenseLayer) dense().getConf(0).getLayer();
        assertEquals(1.0, d.getPIntra(), 1e-12, "intraShare 0.5 x density 0.5 x 4 groups");
        ComputationGraphConfiguration g = new NeuralNetConfiguration.Builder().seed(SEED).graphBuilder()
                .addInputs("in")
                .addLayer("b", block().getConf(0).getLayer(), "in")
                .addLayer("c", new G2GDenseLayer.Builder().nIn(16).nOut(8).groups(2).build(), "b")
                .addLayer("out", new OutputLayer.Builder().nIn(8).nOut(2).build(), "c")
                .setOutputs("out").build();
        assertEquals(g, ComputationGraphConfiguration.fromJson(g.toJson()));
    }

    @Test
    void settersCheckTheirValueNamingTheLayer() {
        G2GConvolutionLayer c = (G2GConvolutionLayer) conv().getConf(0).getLayer();
        assertEquals("G2GConvolutionLayer 'c1': pInter must be in [0, 1], got 2.0", message(() -> c.setPInter(2)));
        G2GDenseLayer d = (G2GDenseLayer) dense().getConf(0).getLayer();
        assertEquals("G2GDenseLayer 'd': groups must be >= 1, got 0", message(() -> d.setGroups(0)));
        G2GBlock b = (G2GBlock) block().getConf(0).getLayer();
        assertEquals("G2GBlock 'b': density must be in (0, 1], got 2.0", message(() -> b.setDensity(2)));
        c.setGroups(2);
        assertEquals(2, c.getStructure().groups());
    }

    @Test
    void masksAndIndicesAreNeverConstrained() {
        MaxNormConstraint maxNorm = new MaxNormConstraint(0.5, 1);
        List<Layer> layers = List.of(
                new G2GDenseLayer.Builder().nIn(8).nOut(8).groups(2).constrainAllParameters(maxNorm).build(),
                new G2GDenseLayer.Builder().nIn(8).nOut(8).groups(2).execution(Execution.STRUCTURED)
                        .constrainAllParameters(maxNorm).build(),
                new G2GConvolutionLayer.Builder(3, 3).nIn(8).nOut(8).groups(2).constrainAllParameters(maxNorm).build(),
                new G2GBlock.Builder().nIn(8).widths(8, 8).groups(2).constrainAllParameters(maxNorm).build());
        for (Layer l : layers) {
            for (LayerConstraint c : l.getConstraints()) {
                assertTrue(c.getParams().stream().noneMatch(StructureParams::isStructure), l + ": " + c.getParams());
                assertTrue(c.getParams().stream().anyMatch(k -> k.startsWith("W")), l + ": " + c.getParams());
            }
        }
        // nor when a configuration is given constraints later (as JSON does)
        G2GBlock b = (G2GBlock) layers.get(3).clone();
        LayerConstraint all = maxNorm.clone();
        all.setParams(new java.util.HashSet<>(List.of("W0", "b0", "I0", "W1", "b1", "I1")));
        b.setConstraints(new java.util.ArrayList<>(List.of(all)));
        assertEquals(java.util.Set.of("W0", "b0", "W1", "b1"), b.getConstraints().get(0).getParams());
    }

    @Test
    void aBlockTrainedUnderConstrainAllParametersKeepsItsIndex() {
        G2GBlock block = new G2GBlock.Builder().nIn(16).widths(16, 16).groups(4).pInter(0.5).tileSize(2)
                .activation(Activation.TANH).constrainAllParameters(new MaxNormConstraint(0.1, 0)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(SEED)
                .updater(new Sgd(0.1)).list().layer(block)
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(2)
                        .activation(Activation.SOFTMAX).build()).build());
        net.init();
        INDArray i0 = net.getLayer(0).getParam("I0").dup();
        INDArray i1 = net.getLayer(0).getParam("I1").dup();
        INDArray w0 = net.getLayer(0).getParam("W0").dup();
        DataSet ds = new DataSet(Nd4j.rand(8, 16), Nd4j.eye(2).repeat(0, 4));
        for (int i = 0; i < 3; i++) {
            net.fit(ds);
        }
        assertNotEquals(w0, net.getLayer(0).getParam("W0"), "the weights train");
        assertEquals(i0, net.getLayer(0).getParam("I0"), "index 0 untouched by MaxNorm");
        assertEquals(i1, net.getLayer(0).getParam("I1"), "index 1 untouched by MaxNorm");
    }
}
