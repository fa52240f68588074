package org.g2gnet.extending;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.Set;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.constraint.MaxNormConstraint;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.g2gnet.G2GNetworks;
import org.g2gnet.G2GTestBase;
import org.g2gnet.rewiring.RewiringListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * docs/EXTENDING.md "Add a layer kind": the example kind {@link G2GLinear} (a G2G layer without a bias) passes the
 * checks every built-in kind passes: with every connection it computes what DL4J's own layer computes, its
 * gradients are right, the mask and the inactive weights do not move in training (under weight decay too), and it
 * survives JSON, ModelSerializer and clone(); a bad value is refused naming the layer and the field.
 */
class G2GLinearTest extends G2GTestBase {

    private static MultiLayerNetwork net(Layer hidden, IUpdater updater, DataType dtype) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(SEED).dataType(dtype)
                .updater(updater).weightInit(WeightInit.XAVIER).weightDecay(1e-2).list()
                .layer(hidden)
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(12).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static G2GLinear linear(int groups, double pInter) {
        return new G2GLinear.Builder().nIn(10).nOut(12).groups(groups).pInter(pInter).activation(Activation.TANH)
                .build();
    }

    @Test
    void withEveryConnectionItComputesWhatDl4jsDenseLayerWithoutBiasComputes() {
        MultiLayerNetwork g2g = net(linear(2, 1.0), new NoOp(), DataType.FLOAT);
        MultiLayerNetwork dense = net(new DenseLayer.Builder().nIn(10).nOut(12).hasBias(false)
                .activation(Activation.TANH).build(), new NoOp(), DataType.FLOAT);
        assertEquals(120, g2g.getLayer(0).getParam("M").sumNumber().intValue(), "pInter 1: every connection");
        dense.getLayer(0).setParam("W", g2g.getLayer(0).getParam("W"));
        dense.getLayer(1).setParams(g2g.getLayer(1).params());
        DataSet ds = randomData(16, 10, 3, 7, DataType.FLOAT);
        assertEquals(dense.output(ds.getFeatures()), g2g.output(ds.getFeatures()));
        g2g.setInput(ds.getFeatures());
        g2g.setLabels(ds.getLabels());
        g2g.computeGradientAndScore();
        dense.setInput(ds.getFeatures());
        dense.setLabels(ds.getLabels());
        dense.computeGradientAndScore();
        assertEquals(dense.gradient().getGradientFor("0_W"), g2g.gradient().getGradientFor("0_W"));
        assertEquals(dense.score(), g2g.score(), 1e-6);
    }

    @Test
    void gradientsPassDl4jsGradientCheck() {
        useDouble();
        MultiLayerNetwork net = net(linear(3, 0.3), new NoOp(), DataType.DOUBLE);
        DataSet ds = randomData(8, 10, 3, 3, DataType.DOUBLE);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net)
                .input(ds.getFeatures()).labels(ds.getLabels()).excludeParams(Set.of("0_M"))));
    }

    @Test
    void trainingMovesNeitherTheMaskNorTheInactiveWeights() {
        // a constraint on every parameter, as a user may write it: it must not reach the 0/1 mask
        MultiLayerNetwork net = net(new G2GLinear.Builder().nIn(10).nOut(12).groups(3).pInter(0.2)
                .activation(Activation.TANH).constrainAllParameters(new MaxNormConstraint(0.5, 1)).build(),
                new Adam(1e-2), DataType.FLOAT);
        // Adam keeps two values per trained parameter: W (120) and the output layer's (39), not the mask
        assertEquals(2 * (120 + 39), net.getUpdater().getStateViewArray().length());
        INDArray mask = net.getLayer(0).getParam("M").dup();
        INDArray w0 = net.getLayer(0).getParam("W").dup();
        long active = mask.sumNumber().longValue();
        assertTrue(active > 0 && active < 120, "a sparse mask: " + active);
        DataSet ds = randomData(32, 10, 3, 5, DataType.FLOAT);
        for (int i = 0; i < 20; i++) {
            net.fit(ds);
        }
        INDArray w = net.getLayer(0).getParam("W");
        assertEquals(mask, net.getLayer(0).getParam("M"), "the mask is not trained, decayed or constrained");
        assertEquals(0, w.mul(mask.rsub(1)).sumNumber().doubleValue(), 0.0, "inactive weights stay 0");
        assertTrue(w.sub(w0).mul(mask).norm2Number().doubleValue() > 0, "active weights train");
        assertTrue(w.norm2(1).maxNumber().doubleValue() <= 0.5 + 1e-5, "the constraint holds on W");
        G2GNetworks.SparsityReport report = G2GNetworks.sparsityReport(net);
        assertEquals(active + net.getLayer(1).numParams(), report.activeParams(), "the report counts the new kind");
    }

    @Test
    void survivesJsonModelSerializerAndClone(@TempDir Path dir) throws Exception {
        MultiLayerNetwork net = net(linear(4, 0.3), new Adam(1e-3), DataType.FLOAT);
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(net.getLayerWiseConfigurations().toJson());
        assertEquals(net.getLayerWiseConfigurations(), back);
        assertEquals(linear(4, 0.3).getStructure(), ((G2GLinear) back.getConf(0).getLayer()).getStructure());

        DataSet ds = randomData(8, 10, 3, 9, DataType.FLOAT);
        net.fit(ds);
        File file = dir.resolve("model.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertEquals(net.output(ds.getFeatures()), restored.output(ds.getFeatures()));
        assertEquals(net.getLayer(0).getParam("M"), restored.getLayer(0).getParam("M"));
        assertEquals(net.output(ds.getFeatures()), net.clone().output(ds.getFeatures()));
    }

    @Test
    void aBadValueIsRefusedNamingTheLayerAndTheField() {
        IllegalArgumentException built = assertThrows(IllegalArgumentException.class,
                () -> new G2GLinear.Builder().name("proj").nIn(10).nOut(12).groups(-3).build());
        assertTrue(built.getMessage().contains("G2GLinear 'proj'") && built.getMessage().contains("groups"),
                built.getMessage());
        String json = net(linear(4, 0.3), new NoOp(), DataType.FLOAT).getLayerWiseConfigurations().toJson()
                .replace("\"groups\" : 4", "\"groups\" : -3");
        assertTrue(json.contains("\"groups\" : -3"), "the JSON names the field as the test expects");
        Throwable read = assertThrows(Exception.class, () -> MultiLayerConfiguration.fromJson(json));
        while (read.getCause() != null) {
            read = read.getCause();
        }
        assertTrue(read.getMessage().contains("G2GLinear") && read.getMessage().contains("groups must be >= 1, got -3"),
                read.getMessage());
    }

    @Test
    void theRewiringListenerRefusesAKindItHasNoRewirerForByName() {
        MultiLayerNetwork net = net(linear(3, 0.3), new Adam(1e-3), DataType.FLOAT);
        net.setListeners(RewiringListener.builder().everyIterations(1).build());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> net.fit(randomData(8, 10, 3, 1, DataType.FLOAT)));
        assertTrue(e.getMessage().contains("G2GLinearLayer") && e.getMessage().contains("cannot rewire"), e.getMessage());
    }
}
