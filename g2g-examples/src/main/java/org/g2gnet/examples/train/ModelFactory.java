package org.g2gnet.examples.train;

import java.util.List;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.g2gnet.G2GNetworks;
import org.g2gnet.conf.Execution;
import org.g2gnet.conf.G2GBlock;
import org.g2gnet.conf.G2GDenseLayer;
import org.g2gnet.schedule.CosineSchedule;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * The networks of the paper's protocol: {@code layers} hidden layers of {@code width} (ReLU, He-uniform
 * init), a softmax output, Adam with a cosine-annealed learning rate and decoupled weight decay. With
 * {@code --execution block} the G2G hidden layers are one {@link G2GBlock}.
 */
public final class ModelFactory {
    private ModelFactory() {
    }

    /**
     * The network of the options' architecture for examples of a shape.
     *
     * @param o               the run's options
     * @param shape           one example's shape, e.g. {28, 28} or {3, 32, 32}
     * @param classes         output classes
     * @param totalIterations optimizer steps of the whole run (the cosine period)
     * @return the configuration: the MLP on the flattened example, or the CNN ({@link CnnFactory})
     */
    public static MultiLayerConfiguration build(TrainOptions o, int[] shape, int classes, int totalIterations) {
        if (o.arch() == Arch.CNN) {
            return CnnFactory.build(o, shape, classes, totalIterations);
        }
        return build(o, java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b), classes, totalIterations);
    }

    /**
     * @param o               the run's options (arch mlp)
     * @param nIn             input features
     * @param classes         output classes
     * @param totalIterations optimizer steps of the whole run (the cosine period)
     * @return the configuration
     */
    public static MultiLayerConfiguration build(TrainOptions o, int nIn, int classes, int totalIterations) {
        if (o.arch() == Arch.CNN) {
            throw new IllegalArgumentException("--arch cnn needs the image shape: use build(options, shape, ...)");
        }
        NeuralNetConfiguration.ListBuilder lb = new NeuralNetConfiguration.Builder()
                .seed(o.seed())
                .updater(new Adam(new CosineSchedule(ScheduleType.ITERATION, o.lr(), 0.0, Math.max(1, totalIterations))))
                .weightDecay(o.weightDecay(), true)
                .weightInit(WeightInit.RELU_UNIFORM)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .list();
        int[] widths = new int[o.layers()];
        java.util.Arrays.fill(widths, o.width());
        switch (o.model()) {
            case DENSE -> {
                long in = nIn;
                for (int w : widths) {
                    lb.layer(new DenseLayer.Builder().nIn(in).nOut(w).activation(Activation.RELU).build());
                    in = w;
                }
            }
            case ER -> {
                // a G2G layer with one group is an Erdos-Renyi mask: every entry active with the same probability
                double d = o.effectiveDensity();
                List<G2GDenseLayer> stack = G2GNetworks.stack(nIn, widths, org.g2gnet.topology.Grouping.INDEX,
                        b -> b.activation(Activation.RELU).groups(1).pIntra(d).pInter(0));
                stack.forEach(lb::layer);
            }
            case G2G -> {
                if (o.execution() == Execution.BLOCK) {
                    lb.layer(block(o, nIn, widths));
                } else {
                    List<G2GDenseLayer> stack = G2GNetworks.stack(nIn, widths, o.grouping().grouping(), b -> {
                        b.activation(Activation.RELU).groups(o.groups()).pIntra(o.pIntra()).execution(o.execution());
                        if (o.tileSize() > 0) {
                            b.tileSize(o.tileSize());
                        }
                        return o.density() != null ? b.density(o.density()) : b.pInter(o.pInter());
                    });
                    stack.forEach(lb::layer);
                }
            }
            default -> throw new AssertionError(o.model());
        }
        lb.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(o.width()).nOut(classes)
                .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build());
        return lb.build();
    }

    /**
     * The G2G hidden layers as one {@link G2GBlock} (the options were checked: pIntra is 1, no rewiring). Its inner
     * layers carry the names DL4J gives the layers of a stack ("layer0", "layer1", ...), so the block draws the
     * connections and initial weights that {@code --execution structured} draws with the same seed.
     */
    private static G2GBlock block(TrainOptions o, int nIn, int[] widths) {
        String[] names = new String[widths.length];
        for (int k = 0; k < names.length; k++) {
            names[k] = "layer" + k;
        }
        G2GBlock.Builder b = new G2GBlock.Builder().nIn(nIn).widths(widths).activation(Activation.RELU)
                .groups(o.groups()).innerNames(names);
        if (o.grouping().grouping() != null) {
            b.grouping(o.grouping().grouping());
        }
        if (o.tileSize() > 0) {
            b.tileSize(o.tileSize());
        }
        return (o.density() != null ? b.density(o.density()) : b.pInter(o.pInter())).build();
    }
}
