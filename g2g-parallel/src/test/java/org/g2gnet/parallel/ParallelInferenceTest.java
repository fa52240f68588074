package org.g2gnet.parallel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.parallelism.ParallelInference;
import org.deeplearning4j.parallelism.inference.InferenceMode;
import org.g2gnet.G2GTestBase;
import org.g2gnet.ReferenceNetworks;
import org.g2gnet.conf.Execution;
import org.g2gnet.rewiring.GrowthCriterion;
import org.g2gnet.rewiring.PruneCriterion;
import org.g2gnet.rewiring.RewiringListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Serving through DL4J's ParallelInference answers what output() answers, for every G2G layer kind. */
class ParallelInferenceTest extends G2GTestBase {

    private static MultiLayerNetwork mlp(Execution execution) {
        MultiLayerNetwork net = new MultiLayerNetwork(ReferenceNetworks.mlp().kind(ReferenceNetworks.Kind.G2G)
                .width(64).layers(3).groups(8).density(0.25).execution(execution).seed(SEED).build(784, 10));
        net.init();
        return net;
    }

    private static MultiLayerNetwork cnn() {
        MultiLayerNetwork net = new MultiLayerNetwork(ReferenceNetworks.cnn().kind(ReferenceNetworks.Kind.G2G)
                .channels(List.of(8, 16)).groups(4).density(0.5).seed(SEED).build(28, 28, 1, 10));
        net.init();
        return net;
    }

    @Test
    void everyModeAnswersAsOutputForDenseBlockAndConvolutionNetworks() throws Exception {
        INDArray x = randomData(24, 784, 10, SEED, org.nd4j.linalg.api.buffer.DataType.FLOAT).getFeatures();
        for (MultiLayerNetwork net : List.of(mlp(Execution.MASKED), mlp(Execution.BLOCK), cnn())) {
            List<INDArray> rows = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                rows.add(x.getRow(i, true));
            }
            INDArray expected = net.output(x);
            for (InferenceMode mode : InferenceMode.values()) {
                ParallelInference pi = new ParallelInference.Builder(net).inferenceMode(mode).workers(2)
                        .batchLimit(8).build();
                ExecutorService clients = Executors.newFixedThreadPool(4);
                try {
                    List<Future<INDArray>> answers = new ArrayList<>();
                    for (INDArray row : rows) {
                        answers.add(clients.submit(() -> pi.output(row)));
                    }
                    for (int i = 0; i < rows.size(); i++) {
                        INDArray got = answers.get(i).get();
                        assertEquals(1, got.rows(), mode + ": one answer per request");
                        assertArrayEquals(expected.getRow(i).toFloatVector(), got.getRow(0).toFloatVector(), 1e-5f,
                                mode + " on " + net.getLayer(0).getClass().getSimpleName() + ", row " + i);
                    }
                } finally {
                    clients.shutdownNow();
                    pi.shutdown();
                }
            }
        }
    }

    @Test
    void theReadmeSnippetsTrainAndServe() {
        MultiLayerNetwork net = mlp(Execution.MASKED);
        List<org.nd4j.linalg.dataset.DataSet> data = randomData(8 * 32, 784, 10, SEED, DataType.FLOAT).batchBy(32);
        org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator<org.nd4j.linalg.dataset.DataSet> trainIterator =
                new org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator<>(data, 1);
        int epochs = 2;
        // --- from docs/USER-GUIDE.md, "Training on several cores" ---
        ParallelRewiring pr = ParallelRewiring.builder(net).workers(2)       // net: no RewiringListener attached
                .rewiring(RewiringListener.builder().everyIterations(1000).fraction(0.1)
                        .prune(PruneCriterion.MAGNITUDE).grow(GrowthCriterion.HEBBIAN).build())
                .build();
        for (int epoch = 0; epoch < epochs; epoch++) {
            pr.fit(trainIterator, epoch);      // one pass; the rewiring schedule counts minibatches, as locally
            trainIterator.reset();
        }
        // --- end of the snippet ---
        assertEquals(16, pr.minibatches());
        INDArray oneRequest = data.get(0).getFeatures().getRow(0, true);
        // --- from docs/USER-GUIDE.md, "Training on several cores" ---
        ParallelInference pi = new ParallelInference.Builder(net).inferenceMode(InferenceMode.BATCHED)
                .workers(2).batchLimit(32).build();
        INDArray answer = pi.output(oneRequest);    // from any thread
        pi.shutdown();
        // --- end of the snippet ---
        assertArrayEquals(net.output(oneRequest).toFloatVector(), answer.toFloatVector(), 1e-5f);
    }
}
