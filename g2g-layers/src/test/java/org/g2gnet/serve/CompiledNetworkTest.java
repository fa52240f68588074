package org.g2gnet.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.g2gnet.G2GTestBase;
import org.g2gnet.ReferenceNetworks;
import org.g2gnet.conf.Execution;
import org.g2gnet.topology.Grouping;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The compiled network answers what output() answers, for every layer kind it takes, from several threads. */
class CompiledNetworkTest extends G2GTestBase {

    private static MultiLayerNetwork mlp(ReferenceNetworks.Kind kind, Execution execution, Grouping grouping) {
        ReferenceNetworks.Mlp b = ReferenceNetworks.mlp().kind(kind).width(64).layers(3).groups(8).seed(SEED);
        if (kind != ReferenceNetworks.Kind.DENSE) {
            b.density(0.25).execution(execution).grouping(grouping);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(b.build(40, 5));
        net.init();
        // trained a little, so that biases and weights are not at their initial values
        net.fit(randomData(64, 40, 5, SEED, DataType.FLOAT));
        return net;
    }

    private static void assertSame(MultiLayerNetwork net, CompiledNetwork c, INDArray x, String what) {
        INDArray expected = net.output(x);
        INDArray got = c.output(x);
        assertArrayEquals(expected.shape(), got.shape(), what);
        assertArrayEquals(expected.dup().reshape(-1).toFloatVector(), got.dup().reshape(-1).toFloatVector(), 2e-6f,
                what);
    }

    @Test
    void everyLayerKindAnswersAsOutputAtEveryBatchSize() {
        List<Object[]> nets = List.of(
                new Object[] {"dense", mlp(ReferenceNetworks.Kind.DENSE, Execution.MASKED, null)},
                new Object[] {"masked mixer", mlp(ReferenceNetworks.Kind.G2G, Execution.MASKED, null)},
                new Object[] {"block mixer", mlp(ReferenceNetworks.Kind.G2G, Execution.BLOCK, null)},
                new Object[] {"block interleaved", mlp(ReferenceNetworks.Kind.G2G, Execution.BLOCK, Grouping.INTERLEAVED)},
                new Object[] {"block random", mlp(ReferenceNetworks.Kind.G2G, Execution.BLOCK, Grouping.RANDOM)},
                new Object[] {"er", mlp(ReferenceNetworks.Kind.ER, Execution.MASKED, null)});
        for (Object[] n : nets) {
            MultiLayerNetwork net = (MultiLayerNetwork) n[1];
            CompiledNetwork c = CompiledNetwork.of(net);
            assertEquals(40, c.nIn());
            assertEquals(5, c.nOut());
            for (int batch : new int[] {1, 7, 32}) {
                assertSame(net, c, randomData(batch, 40, 5, SEED + batch, DataType.FLOAT).getFeatures(),
                        n[0] + " at batch " + batch);
            }
            // inputs that take the general copy: a view (rows of a larger batch), 'f' order, DOUBLE
            INDArray big = randomData(20, 40, 5, SEED + 99, DataType.FLOAT).getFeatures();
            INDArray rows = big.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(3, 9),
                    org.nd4j.linalg.indexing.NDArrayIndex.all());
            assertEquals(net.output(rows.dup()), net.output(rows), "the reference itself");
            assertSame(net, c, rows, n[0] + " on a view");
            assertSame(net, c, big.dup('f'), n[0] + " in 'f' order");
            INDArray expected = net.output(big);
            assertArrayEquals(expected.reshape(-1).toFloatVector(),
                    c.output(big.castTo(DataType.DOUBLE)).reshape(-1).toFloatVector(), 2e-6f, n[0] + " from DOUBLE");
        }
    }

    @Test
    void activationsNotFusedAreAppliedAndAHiddenSoftmaxIsRefused() {
        for (org.nd4j.linalg.activations.Activation act : new org.nd4j.linalg.activations.Activation[] {
                org.nd4j.linalg.activations.Activation.TANH, org.nd4j.linalg.activations.Activation.SIGMOID}) {
            MultiLayerNetwork net = new MultiLayerNetwork(new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                    .seed(SEED).list()
                    .layer(new org.g2gnet.conf.G2GDenseLayer.Builder().nIn(40).nOut(32).groups(4).density(0.3)
                            .activation(act).build())
                    .layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nIn(32).nOut(16).activation(act)
                            .build())
                    .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder().nIn(16).nOut(5)
                            .activation(act).lossFunction(org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.MSE)
                            .build())
                    .build());
            net.init();
            assertSame(net, CompiledNetwork.of(net), randomData(9, 40, 5, SEED, DataType.FLOAT).getFeatures(),
                    act + " everywhere, output included");
        }
        MultiLayerNetwork hiddenSoftmax = new MultiLayerNetwork(new org.deeplearning4j.nn.conf.NeuralNetConfiguration
                .Builder().seed(SEED).list()
                .layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nIn(40).nOut(8)
                        .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).build())
                .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder().nIn(8).nOut(5).build())
                .build());
        hiddenSoftmax.init();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CompiledNetwork.of(hiddenSoftmax));
        assertTrue(e.getMessage().contains("softmax is compiled in the last layer only"), e.getMessage());
    }

    @Test
    void severalThreadsAtOnce() throws Exception {
        MultiLayerNetwork net = mlp(ReferenceNetworks.Kind.G2G, Execution.BLOCK, null);
        CompiledNetwork c = CompiledNetwork.of(net);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<INDArray> inputs = new ArrayList<>();
            List<Future<INDArray>> answers = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                INDArray x = randomData(1 + i % 9, 40, 5, SEED + 100 + i, DataType.FLOAT).getFeatures();
                inputs.add(x);
                answers.add(pool.submit(() -> c.output(x)));
            }
            for (int i = 0; i < inputs.size(); i++) {
                INDArray expected = net.output(inputs.get(i));
                assertArrayEquals(expected.dup().reshape(-1).toFloatVector(),
                        answers.get(i).get().dup().reshape(-1).toFloatVector(), 2e-6f, "request " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void unsupportedNetworksAreRefusedByLayer() {
        MultiLayerNetwork cnn = new MultiLayerNetwork(ReferenceNetworks.cnn().kind(ReferenceNetworks.Kind.G2G)
                .channels(List.of(8)).groups(4).density(0.5).seed(SEED).build(8, 8, 1, 4));
        cnn.init();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CompiledNetwork.of(cnn));
        assertTrue(e.getMessage().startsWith("CompiledNetwork: layer 0"), e.getMessage());
        CompiledNetwork c = CompiledNetwork.of(mlp(ReferenceNetworks.Kind.DENSE, Execution.MASKED, null));
        e = assertThrows(IllegalArgumentException.class, () -> c.output(randomData(2, 39, 5, SEED, DataType.FLOAT)
                .getFeatures()));
        assertTrue(e.getMessage().contains("expected [B, 40]"), e.getMessage());
    }
}
