package org.g2gnet.examples;

import java.nio.file.Path;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.g2gnet.G2GNetworks;
import org.g2gnet.conf.G2GDenseLayer;
import org.g2gnet.data.FashionMnist;
import org.g2gnet.data.LabeledData;
import org.g2gnet.data.ShufflingDataSetIterator;
import org.g2gnet.rewiring.GrowthCriterion;
import org.g2gnet.rewiring.PruneCriterion;
import org.g2gnet.rewiring.RewiringListener;
import org.g2gnet.topology.Grouping;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A ComputationGraph with G2G layers: two branches from the pixels, a G2G branch (Mixer groupings over two
 * layers) and a narrow dense branch, merged before the softmax output; the rewiring listener works on graphs
 * as on MultiLayerNetworks. nIn of the G2G layers is set by DL4J from the input type.
 *
 * <pre>./g2g example graph [DATA_DIR [EPOCHS [TRAIN_LIMIT]]]</pre>
 */
public final class ComputationGraphG2G {
    private ComputationGraphG2G() {
    }

    /**
     * @param dataDir    Fashion-MNIST files
     * @param epochs     epochs
     * @param trainLimit first N training images (0: all)
     * @return the test evaluation
     */
    public static Evaluation run(Path dataDir, int epochs, int trainLimit) {
        LabeledData train = FashionMnist.train(dataDir);
        ShufflingDataSetIterator trainIter = new ShufflingDataSetIterator(
                trainLimit > 0 ? train.head(trainLimit) : train, 256, true, 3, null);
        ShufflingDataSetIterator testIter = new ShufflingDataSetIterator(FashionMnist.test(dataDir), 1000, false, 0, null);

        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(1e-3))
                .weightInit(WeightInit.RELU_UNIFORM).graphBuilder()
                .addInputs("pixels")
                .setInputTypes(InputType.feedForward(784))
                .addLayer("g2g0", new G2GDenseLayer.Builder().nOut(512).activation(Activation.RELU).groups(8)
                        .density(0.25).grouping(Grouping.mixer(0)).inputGrouping(Grouping.mixer(0)).build(), "pixels")
                .addLayer("g2g1", new G2GDenseLayer.Builder().nOut(512).activation(Activation.RELU).groups(8)
                        .density(0.25).grouping(Grouping.mixer(1)).inputGrouping(Grouping.mixer(1)).build(), "g2g0")
                .addLayer("dense", new DenseLayer.Builder().nOut(64).activation(Activation.RELU).build(), "pixels")
                .addVertex("merge", new MergeVertex(), "g2g1", "dense")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build(), "merge")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        System.out.println(G2GNetworks.sparsityReport(graph));

        int steps = trainIter.batchesPerEpoch() * epochs;
        RewiringListener rewiring = RewiringListener.builder().everyIterations(Math.max(1, steps / 5)).fraction(0.1)
                .prune(PruneCriterion.MAGNITUDE).grow(GrowthCriterion.GRADIENT).stopAt(steps * 3 / 4).seed(3).build();
        graph.setListeners(rewiring);
        graph.fit(trainIter, epochs);

        Evaluation eval = graph.evaluate(testIter);
        System.out.printf("test accuracy %.4f after %d epochs, %d rewiring events%n", eval.accuracy(), epochs,
                rewiring.events().size());
        return eval;
    }

    /**
     * @param args [data directory [epochs [training images]]]
     */
    public static void main(String[] args) {
        run(ExampleArgs.pathArg(args, 0, FashionMnist.DEFAULT_DIR), ExampleArgs.intArg(args, 1, "EPOCHS", 2, 1),
                ExampleArgs.intArg(args, 2, "TRAIN_LIMIT (0 = all)", 0, 0));
    }
}
