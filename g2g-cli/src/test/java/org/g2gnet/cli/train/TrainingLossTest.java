package org.g2gnet.cli.train;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.g2gnet.G2GTestBase;
import org.g2gnet.data.IdxFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The training loss is the data loss whatever the weights, and an impossible one stops training. */
class TrainingLossTest extends G2GTestBase {

    /** The cross-entropy of a clipped softmax cannot exceed -ln(1e-10) per example. */
    private static final double MAX_XENT = -Math.log(1e-10);

    @Test
    void aDivergingRunNeverReportsANegativeLoss(@TempDir Path dir) throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 256, 50, true);
        for (ModelKind model : new ModelKind[] {ModelKind.DENSE, ModelKind.G2G}) {
            for (double lr : new double[] {10, 1e3}) {
                TrainOptions o = TrainOptions.builder().model(model).width(24).layers(2).groups(4).epochs(1).batch(32)
                        .lr(lr).dataDir(data).progress(false).checkpointEvery(0).build();
                String what = model + " at lr " + lr;
                try {
                    TrainResult r = Trainer.run(o, new PrintStream(new ByteArrayOutputStream()));
                    double loss = r.epochs().get(0).trainLoss();
                    assertTrue(loss >= 0 && loss <= MAX_XENT + 1e-3, what + ": train loss " + loss);
                } catch (Trainer.TrainingFailedException e) {
                    assertTrue(e.getMessage().contains("training stopped"), what + ": " + e.getMessage());
                }
            }
        }
    }

    private static MultiLayerNetwork tinyNet(double weightDecay) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(SEED)
                .updater(new Adam(1e-3)).weightDecay(weightDecay, true).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(3).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(3).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    @Test
    void anImpossibleLossStopsTrainingLikeANonFiniteOne() {
        MultiLayerNetwork net = tinyNet(0);
        NonFiniteGuard guard = new NonFiniteGuard();
        net.setScore(1.5);
        assertDoesNotThrow(() -> guard.onGradientCalculation(net));
        net.setScore(-0.5);
        NonFiniteGuard.NonFiniteException negative = assertThrows(NonFiniteGuard.NonFiniteException.class,
                () -> guard.onGradientCalculation(net));
        assertTrue(negative.getMessage().contains("impossible training loss -0.5")
                && negative.getMessage().contains("cannot be negative"), negative.getMessage());
        net.setScore(1e4);
        NonFiniteGuard.NonFiniteException tooLarge = assertThrows(NonFiniteGuard.NonFiniteException.class,
                () -> guard.onGradientCalculation(net));
        assertTrue(tooLarge.getMessage().contains("impossible training loss 10000") && tooLarge.getMessage()
                .contains("23.02"), tooLarge.getMessage());

        // with weight decay, DL4J's score holds the regularisation term: the data loss is what is checked
        MultiLayerNetwork decayed = tinyNet(0.1);
        double reg = decayed.calcRegularizationScore(true);
        assertTrue(reg > 0);
        decayed.setScore(reg + 0.7);
        assertDoesNotThrow(() -> guard.onGradientCalculation(decayed));
        decayed.setScore(reg - 0.7);
        assertThrows(NonFiniteGuard.NonFiniteException.class, () -> guard.onGradientCalculation(decayed));
    }
}
