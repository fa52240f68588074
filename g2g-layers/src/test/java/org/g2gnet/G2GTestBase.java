package org.g2gnet;

import java.util.List;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.g2gnet.conf.G2GDenseLayer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Seeded base class: resets ND4J's RNG before each test and restores ND4J's global default data types
 * afterwards (tests switch to DOUBLE for gradient checks). Offers small G2G networks and data.
 */
public abstract class G2GTestBase {
    /** The seed every test starts from. */
    protected static final long SEED = 12345;

    private DataType savedDefault;
    private DataType savedFloating;

    @BeforeEach
    void seedAndSaveDefaults() {
        savedDefault = Nd4j.dataType();
        savedFloating = Nd4j.defaultFloatingPointType();
        Nd4j.getRandom().setSeed(SEED);
    }

    @AfterEach
    void restoreDefaults() {
        Nd4j.setDefaultDataTypes(savedDefault, savedFloating);
    }

    /** Switches ND4J to double precision for this test (restored afterwards). */
    protected static void useDouble() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    /**
     * A network: nIn -> G2G layers of the given widths (Mixer groupings) -> softmax output.
     *
     * @param nIn      inputs
     * @param widths   hidden widths
     * @param groups   groups per G2G layer
     * @param pInter   inter-group probability
     * @param act      hidden activation
     * @param updater  updater
     * @param dtype    network data type
     * @param nOut     classes
     * @return an initialised network
     */
    protected static MultiLayerNetwork g2gNet(int nIn, int[] widths, int groups, double pInter, Activation act,
                                              IUpdater updater, DataType dtype, int nOut) {
        NeuralNetConfiguration.ListBuilder lb = new NeuralNetConfiguration.Builder().seed(SEED).dataType(dtype)
                .updater(updater).weightInit(WeightInit.XAVIER)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED).inferenceWorkspaceMode(WorkspaceMode.ENABLED).list();
        List<G2GDenseLayer> stack = G2GNetworks.mixerStack(nIn, widths,
                b -> b.activation(act).groups(groups).pInter(pInter));
        for (G2GDenseLayer l : stack) {
            lb.layer(l);
        }
        MultiLayerConfiguration conf = lb.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nIn(widths[widths.length - 1]).nOut(nOut).activation(Activation.SOFTMAX).build()).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * Random features in [0, 1) and random one-hot labels.
     *
     * @param n     examples
     * @param nIn   features
     * @param nOut  classes
     * @param seed  seed
     * @param dtype data type
     * @return the data set
     */
    protected static DataSet randomData(int n, int nIn, int nOut, long seed, DataType dtype) {
        org.nd4j.linalg.api.rng.Random rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
        INDArray x = Nd4j.rand(rng, n, nIn).castTo(dtype);
        INDArray y = Nd4j.zeros(dtype, n, nOut);
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, r.nextInt(nOut), 1.0);
        }
        return new DataSet(x, y);
    }
}
