package org.g2gnet.examples;

import java.io.File;
import java.nio.file.Path;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.listeners.ScoreIterationListener;
import org.g2gnet.G2GNetworks;
import org.g2gnet.data.FashionMnist;
import org.g2gnet.data.LabeledData;
import org.g2gnet.data.ShufflingDataSetIterator;
import org.g2gnet.rewiring.GrowthCriterion;
import org.g2gnet.rewiring.PruneCriterion;
import org.g2gnet.rewiring.RewiringListener;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A G2G MLP on Fashion-MNIST with Hebbian rewiring: 784 - 3 x 512 G2G (the paper's Mixer groupings, G = 8,
 * 74% of the weights removed) - 10, trained with Adam, watched with DL4J's ScoreIterationListener, evaluated
 * with DL4J's Evaluation and saved with net.save.
 *
 * <pre>./g2g example fashion-mnist [DATA_DIR [EPOCHS [TRAIN_LIMIT]]]</pre>
 */
public final class FashionMnistG2G {
    private FashionMnistG2G() {
    }

    /**
     * @param dataDir    the Fashion-MNIST IDX files
     * @param epochs     epochs
     * @param trainLimit first N training images (0: all)
     * @param model      where the trained network is saved
     * @return the test evaluation
     * @throws Exception when the data cannot be read or the model written
     */
    public static Evaluation run(Path dataDir, int epochs, int trainLimit, File model) throws Exception {
        LabeledData train = FashionMnist.train(dataDir);
        ShufflingDataSetIterator trainIter = new ShufflingDataSetIterator(
                trainLimit > 0 ? train.head(trainLimit) : train, 256, true, 42, null);
        ShufflingDataSetIterator testIter = new ShufflingDataSetIterator(FashionMnist.test(dataDir), 1000, false, 0, null);

        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(42).updater(new Adam(1e-3)).weightInit(WeightInit.RELU_UNIFORM).list();
        // three G2G layers: layer k groups both of its sides by Grouping.mixer(k), as in the paper
        G2GNetworks.mixerStack(784, new int[] {512, 512, 512},
                b -> b.activation(Activation.RELU).groups(8).pIntra(1.0).pInter(0.15)).forEach(list::layer);
        MultiLayerConfiguration conf = list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nIn(512).nOut(10).activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build()).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        System.out.println(G2GNetworks.sparsityReport(net));

        // every 100 steps: prune the 10% smallest weights of each G2G layer, regrow as many where pre- and
        // post-synaptic activity correlate most (this project's default rule), fading out over training
        int steps = trainIter.batchesPerEpoch() * epochs;
        RewiringListener rewiring = RewiringListener.builder().everyIterations(100).fraction(0.1)
                .prune(PruneCriterion.MAGNITUDE).grow(GrowthCriterion.HEBBIAN)
                .cosineDecay(steps).stopAt(steps * 3 / 4).seed(42).build();
        net.setListeners(new ScoreIterationListener(50), rewiring);

        net.fit(trainIter, epochs);
        System.out.println(rewiring.events().size() + " rewiring events; density unchanged: "
                + G2GNetworks.sparsityReport(net).density());

        Evaluation eval = net.evaluate(testIter);
        System.out.println(eval.stats());
        net.save(model, true);
        System.out.println("saved " + model + "; load it with MultiLayerNetwork.load(file, true)");
        return eval;
    }

    /**
     * @param args [data directory [epochs [training images]]]
     * @throws Exception on a missing file
     */
    public static void main(String[] args) throws Exception {
        Path dir = ExampleArgs.pathArg(args, 0, FashionMnist.DEFAULT_DIR);
        int epochs = ExampleArgs.intArg(args, 1, "EPOCHS", 3, 1);
        int limit = ExampleArgs.intArg(args, 2, "TRAIN_LIMIT (0 = all)", 0, 0);
        run(dir, epochs, limit, ExampleArgs.output("fashion-mnist-g2g.zip"));
    }
}
