package org.g2gnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.g2gnet.conf.G2GDenseLayer;
import org.g2gnet.rewiring.GrowthCriterion;
import org.g2gnet.rewiring.PruneCriterion;
import org.g2gnet.rewiring.RewiringListener;
import org.g2gnet.topology.Grouping;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The Java snippet of the README, as it stands there, compiles, trains and rewires. */
class ReadmeSnippetTest extends G2GTestBase {

    @Test
    void readmeSnippetWorks() {
        // --- from README.md, "Drop a G2G layer into a DL4J model" ---
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(42)
                .updater(new Adam(1e-3))
                .weightInit(WeightInit.RELU_UNIFORM)
                .list()
                .layer(new G2GDenseLayer.Builder().nIn(784).nOut(1024)      // was: new DenseLayer.Builder()
                        .activation(Activation.RELU)
                        .groups(8).pIntra(1.0).pInter(0.15)                  // or .density(0.25)
                        .grouping(Grouping.INDEX).inputGrouping(Grouping.INDEX) // the layer's grouping, on both sides
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(1024).nOut(10).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();

        // optional: dynamic sparse training with Hebbian growth (this project's default rule; the paper's
        // literal rule is .prune(PruneCriterion.HEBBIAN), see "Making Hebbian rewiring help")
        int totalIterations = 4700;
        net.addListeners(RewiringListener.builder()
                .everyIterations(1000).fraction(0.1)
                .prune(PruneCriterion.MAGNITUDE).grow(GrowthCriterion.HEBBIAN)
                .cosineDecay(totalIterations).stopAt(totalIterations * 3 / 4)
                .build());

        System.out.println(G2GNetworks.sparsityReport(net));   // active / total connections per layer
        // --- end of the snippet ---

        G2GNetworks.SparsityReport r = G2GNetworks.sparsityReport(net);
        assertEquals(0.25625, r.layers().get(0).density(), 1e-3);
        var ds = randomData(16, 784, 10, 1, DataType.FLOAT);
        for (int i = 0; i < 3; i++) {
            net.fit(ds);
        }
        assertTrue(Double.isFinite(net.score()));
        RewiringListener listener = (RewiringListener) net.getListeners().iterator().next();
        assertEquals(0, listener.events().size(), "the first event comes after 1000 steps");
        // the event the schedule would run at step 1000, now: it rewires and keeps the density
        long active = r.layers().get(0).activeConnections();
        var events = listener.rewireNow(net, ds, 999, 0);
        assertEquals(1, events.size());
        assertTrue(events.get(0).pruned() > 0 && events.get(0).pruned() == events.get(0).grown(), events.toString());
        assertEquals(active, G2GNetworks.sparsityReport(net).layers().get(0).activeConnections());
    }
}
