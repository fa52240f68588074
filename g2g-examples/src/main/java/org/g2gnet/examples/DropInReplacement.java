package org.g2gnet.examples;

import java.io.File;
import java.nio.file.Path;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.g2gnet.G2GNetworks;
import org.g2gnet.conf.G2GDenseLayer;
import org.g2gnet.data.FashionMnist;
import org.g2gnet.data.LabeledData;
import org.g2gnet.data.ShufflingDataSetIterator;
import org.g2gnet.topology.Grouping;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Dropping G2G into a trained dense model: load a saved dense MultiLayerNetwork, replace its second hidden
 * DenseLayer with a G2G layer through DL4J's TransferLearning (starting from the dense weights where the mask
 * keeps them), fine-tune, and compare test accuracy: dense, G2G right after the swap, G2G fine-tuned.
 *
 * <pre>./g2g example drop-in [DATA_DIR [EPOCHS [TRAIN_LIMIT [DENSE_MODEL.zip]]]]</pre>
 * Without a model file a small dense model (784-256-256-10) is trained first and saved as runs/examples/dense.zip.
 */
public final class DropInReplacement {
    private DropInReplacement() {
    }

    /**
     * Test accuracies of the three stages.
     *
     * @param dense    the dense model
     * @param swapped  G2G swapped in, not fine-tuned
     * @param tuned    G2G after fine-tuning
     * @param density  density of the G2G layer
     */
    public record Result(double dense, double swapped, double tuned, double density) {
    }

    /**
     * @param dataDir    Fashion-MNIST files
     * @param epochs     epochs of each training (dense, if trained here, and fine-tuning)
     * @param trainLimit first N training images (0: all)
     * @param denseModel a saved dense model 784-256-256-10; trained and written there when missing
     * @return the accuracies
     * @throws Exception when a file cannot be read or written
     */
    public static Result run(Path dataDir, int epochs, int trainLimit, File denseModel) throws Exception {
        LabeledData train = FashionMnist.train(dataDir);
        ShufflingDataSetIterator trainIter = new ShufflingDataSetIterator(
                trainLimit > 0 ? train.head(trainLimit) : train, 256, true, 7, null);
        ShufflingDataSetIterator testIter = new ShufflingDataSetIterator(FashionMnist.test(dataDir), 1000, false, 0, null);

        if (!denseModel.exists()) {
            MultiLayerNetwork d = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(7)
                    .updater(new Adam(1e-3)).weightInit(WeightInit.RELU_UNIFORM).list()
                    .layer(new DenseLayer.Builder().nIn(784).nOut(256).activation(Activation.RELU).build())
                    .layer(new DenseLayer.Builder().nIn(256).nOut(256).activation(Activation.RELU).build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(256).nOut(10)
                            .activation(Activation.SOFTMAX).build()).build());
            d.init();
            d.fit(trainIter, epochs);
            d.save(denseModel, true);
        }
        MultiLayerNetwork dense = MultiLayerNetwork.load(denseModel, true);
        double denseAcc = dense.evaluate(testIter).accuracy();

        // keep layer 0, replace layer 1 (DenseLayer 256 -> 256) by a G2G layer, put the output layer back
        MultiLayerNetwork g2g = new TransferLearning.Builder(dense)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(new Adam(5e-4)).seed(7).build())
                .removeLayersFromOutput(2)
                .addLayer(new G2GDenseLayer.Builder().nIn(256).nOut(256).activation(Activation.RELU)
                        .groups(8).density(0.25).grouping(Grouping.INDEX).inputGrouping(Grouping.INDEX).build())
                .addLayer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(256).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build();
        // start from what the dense model learned: its weights where the mask keeps a connection, its output layer
        INDArray mask = g2g.getLayer(1).getParam("M");
        g2g.getLayer(1).getParam("W").assign(dense.getLayer(1).getParam("W").mul(mask));
        g2g.getLayer(1).getParam("b").assign(dense.getLayer(1).getParam("b"));
        g2g.getLayer(2).setParams(dense.getLayer(2).params());
        double swapped = g2g.evaluate(testIter).accuracy();

        g2g.fit(trainIter, epochs);
        double tuned = g2g.evaluate(testIter).accuracy();
        double density = G2GNetworks.sparsityReport(g2g).layers().get(1).density();
        System.out.println(G2GNetworks.sparsityReport(g2g));
        System.out.printf("test accuracy: dense %.4f | G2G swapped in (density %.2f) %.4f | after fine-tuning %.4f%n",
                denseAcc, density, swapped, tuned);
        return new Result(denseAcc, swapped, tuned, density);
    }

    /**
     * @param args [data directory [epochs [training images [dense model file]]]]
     * @throws Exception on a missing file
     */
    public static void main(String[] args) throws Exception {
        Path dir = ExampleArgs.pathArg(args, 0, FashionMnist.DEFAULT_DIR);
        int epochs = ExampleArgs.intArg(args, 1, "EPOCHS", 2, 1);
        int limit = ExampleArgs.intArg(args, 2, "TRAIN_LIMIT (0 = all)", 0, 0);
        run(dir, epochs, limit, args.length > 3 ? new File(args[3]) : ExampleArgs.output("dense.zip"));
    }
}
