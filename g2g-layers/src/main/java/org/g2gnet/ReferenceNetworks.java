package org.g2gnet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.g2gnet.conf.Execution;
import org.g2gnet.conf.G2GBlock;
import org.g2gnet.conf.G2GConvolutionLayer;
import org.g2gnet.schedule.CosineSchedule;
import org.g2gnet.topology.ConnectionMask;
import org.g2gnet.topology.Grouping;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * The reference networks of this project, as documented builders, so that the command line, the benchmarks and
 * a user's own code build exactly the same networks:
 * <ul>
 *   <li>{@link #mlp()}: the paper's network, {@code layers} hidden layers of {@code width} (default 784-1024x3-10),
 *       ReLU, He-uniform init, a softmax output (Xavier), Adam with a cosine-annealed learning rate (from
 *       {@code lr} to 0 over {@code totalIterations}), decoupled weight decay (default 1e-4);</li>
 *   <li>{@link #cnn()}: this project's small CNN, for each channel count a 3 x 3 convolution (Same mode) with ReLU
 *       and 2 x 2 max pooling, then a softmax output on the flattened maps (28 x 28 x 1 -> 32 -> 64 -> 128 -> 10 by
 *       default, about 104,000 parameters); same training protocol. The first convolution, with one input channel
 *       for grey images, is a plain DL4J convolution in every form.</li>
 * </ul>
 * The hidden layers come in three kinds: {@link Kind#DENSE} (DL4J's own layers), {@link Kind#ER} (an Erdős–Rényi
 * mask at the G2G density: a G2G layer with one group) and {@link Kind#G2G} (the paper's Mixer groupings by
 * default, see {@link G2GNetworks#stack}).
 * <pre>{@code
 * MultiLayerConfiguration conf = ReferenceNetworks.mlp().kind(ReferenceNetworks.Kind.G2G).density(0.25)
 *         .totalIterations(4700).build(784, 10);
 * }</pre>
 */
public final class ReferenceNetworks {
    private ReferenceNetworks() {
    }

    /** What the hidden layers are. */
    public enum Kind {
        /** DL4J DenseLayers / ConvolutionLayers. */
        DENSE,
        /** An Erdős–Rényi mask at the G2G density (G2G layers with one group). */
        ER,
        /** G2G layers. */
        G2G
    }

    /** @return a builder of the paper's MLP with its defaults (G2G, Mixer, G = 8, pInter 0.15, 1024 x 3) */
    public static Mlp mlp() {
        return new Mlp();
    }

    /** @return a builder of the small CNN with its defaults (G2G convolutions, Mixer, G = 8, 32-64-128 channels) */
    public static Cnn cnn() {
        return new Cnn();
    }

    /**
     * What both builders share: the kind of hidden layer, the G2G shape and the training protocol.
     *
     * @param <B> the builder's own type
     */
    public abstract static class Common<B extends Common<B>> {
        Kind kind = Kind.G2G;
        int groups = 8;
        double pIntra = 1.0;
        double pInter = 0.15;
        Double density;
        Grouping grouping;
        double lr = 1e-3;
        double weightDecay = 1e-4;
        long seed = 1;
        int totalIterations = 4700;

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        /** @param v the kind of hidden layer (default G2G) @return this */
        public B kind(Kind v) {
            kind = java.util.Objects.requireNonNull(v, "kind");
            return self();
        }

        /** @param v groups G of the G2G layers (default 8) @return this */
        public B groups(int v) {
            groups = v;
            return self();
        }

        /** @param v intra-group probability (default 1) @return this */
        public B pIntra(double v) {
            pIntra = v;
            return self();
        }

        /** @param v inter-group probability (default 0.15; ignored when a density is set) @return this */
        public B pInter(double v) {
            pInter = v;
            return self();
        }

        /** @param v target density instead of pInter, or null @return this */
        public B density(Double v) {
            density = v;
            return self();
        }

        /** @param v grouping of every G2G layer (both sides), or null for the paper's Mixer (default) @return this */
        public B grouping(Grouping v) {
            grouping = v;
            return self();
        }

        /** @param v peak learning rate of Adam (default 1e-3) @return this */
        public B lr(double v) {
            lr = v;
            return self();
        }

        /** @param v decoupled weight decay (default 1e-4) @return this */
        public B weightDecay(double v) {
            weightDecay = v;
            return self();
        }

        /** @param v the network's seed: masks, weights (default 1) @return this */
        public B seed(long v) {
            seed = v;
            return self();
        }

        /** @param v optimizer steps of the whole run: the period of the cosine learning rate (default 4700) @return this */
        public B totalIterations(int v) {
            totalIterations = v;
            return self();
        }

        /** @return the density of the sparse layers: the target, or pIntra / G + pInter (G - 1) / G */
        public double effectiveDensity() {
            return density != null ? density : ConnectionMask.nominalDensity(groups, pIntra, pInter);
        }

        NeuralNetConfiguration.ListBuilder protocol() {
            return new NeuralNetConfiguration.Builder()
                    .seed(seed)
                    .updater(new Adam(new CosineSchedule(ScheduleType.ITERATION, lr, 0.0, Math.max(1, totalIterations))))
                    .weightDecay(weightDecay, true)
                    .weightInit(WeightInit.RELU_UNIFORM)
                    .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                    .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                    .list();
        }

        static OutputLayer softmax(long nIn, int classes) {
            OutputLayer.Builder b = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes)
                    .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER);
            if (nIn > 0) {
                b.nIn(nIn);
            }
            return b.build();
        }
    }

    /** Builder of the paper's MLP. */
    public static final class Mlp extends Common<Mlp> {
        private int width = 1024;
        private int layers = 3;
        private Execution execution = Execution.MASKED;
        private int tileSize;

        Mlp() {
        }

        /** @param v hidden width (default 1024) @return this */
        public Mlp width(int v) {
            width = v;
            return this;
        }

        /** @param v hidden layers (default 3) @return this */
        public Mlp layers(int v) {
            layers = v;
            return this;
        }

        /**
         * @param v how the G2G layers compute (default MASKED); BLOCK makes the hidden layers one {@link G2GBlock}
         * @return this
         */
        public Mlp execution(Execution v) {
            execution = java.util.Objects.requireNonNull(v, "execution");
            return this;
        }

        /** @param v tile size of structured execution (0: automatic) @return this */
        public Mlp tileSize(int v) {
            tileSize = v;
            return this;
        }

        /**
         * @param nIn     input features (784 for Fashion-MNIST)
         * @param classes output classes
         * @return the configuration
         */
        public MultiLayerConfiguration build(int nIn, int classes) {
            NeuralNetConfiguration.ListBuilder lb = protocol();
            int[] widths = new int[layers];
            Arrays.fill(widths, width);
            switch (kind) {
                case DENSE -> {
                    long in = nIn;
                    for (int w : widths) {
                        lb.layer(new DenseLayer.Builder().nIn(in).nOut(w).activation(Activation.RELU).build());
                        in = w;
                    }
                }
                case ER -> {
                    double d = effectiveDensity();
                    G2GNetworks.stack(nIn, widths, Grouping.INDEX, b -> b.activation(Activation.RELU).groups(1)
                            .pIntra(d).pInter(0)).forEach(lb::layer);
                }
                case G2G -> {
                    if (execution == Execution.BLOCK) {
                        lb.layer(block(nIn, widths));
                    } else {
                        G2GNetworks.stack(nIn, widths, grouping, b -> {
                            b.activation(Activation.RELU).groups(groups).pIntra(pIntra).execution(execution);
                            if (tileSize > 0) {
                                b.tileSize(tileSize);
                            }
                            return density != null ? b.density(density) : b.pInter(pInter);
                        }).forEach(lb::layer);
                    }
                }
                default -> throw new AssertionError(kind);
            }
            return lb.layer(softmax(width, classes)).build();
        }

        /**
         * The G2G hidden layers as one block whose inner layers carry the names DL4J gives the layers of a stack
         * ("layer0", "layer1", ...), so that it draws the connections and initial weights of the structured stack.
         */
        private G2GBlock block(int nIn, int[] widths) {
            String[] names = new String[widths.length];
            for (int k = 0; k < names.length; k++) {
                names[k] = "layer" + k;
            }
            G2GBlock.Builder b = new G2GBlock.Builder().nIn(nIn).widths(widths).activation(Activation.RELU)
                    .groups(groups).innerNames(names);
            if (grouping != null) {
                b.grouping(grouping);
            }
            if (tileSize > 0) {
                b.tileSize(tileSize);
            }
            return (density != null ? b.density(density) : b.pInter(pInter)).build();
        }
    }

    /** Builder of the small CNN. */
    public static final class Cnn extends Common<Cnn> {
        /** Output channels of the default CNN's convolutions. */
        public static final List<Integer> DEFAULT_CHANNELS = List.of(32, 64, 128);

        private List<Integer> channels = DEFAULT_CHANNELS;

        Cnn() {
        }

        /** @param v output channels of each convolution (default 32, 64, 128) @return this */
        public Cnn channels(List<Integer> v) {
            channels = List.copyOf(v);
            return this;
        }

        /**
         * @param height  image height
         * @param width   image width
         * @param depth   image channels (1 for grey images)
         * @param classes output classes
         * @return the configuration; its input is the flattened image, reshaped by DL4J's preprocessor from
         *         {@code InputType.convolutionalFlat(height, width, depth)}
         */
        public MultiLayerConfiguration build(int height, int width, int depth, int classes) {
            NeuralNetConfiguration.ListBuilder lb = protocol();
            int[] ch = channels.stream().mapToInt(Integer::intValue).toArray();
            List<Layer> convs = new ArrayList<>();
            convs.add(conv(ch[0]));
            int[] later = Arrays.copyOfRange(ch, 1, ch.length);
            switch (kind) {
                case DENSE -> {
                    for (int c : later) {
                        convs.add(conv(c));
                    }
                }
                case ER -> {
                    double d = effectiveDensity();
                    convs.addAll(G2GNetworks.convStack(ch[0], later, Grouping.INDEX,
                            b -> threeByThree(b).groups(1).pIntra(d).pInter(0)));
                }
                case G2G -> convs.addAll(G2GNetworks.convStack(ch[0], later, grouping, b -> {
                    threeByThree(b).groups(groups).pIntra(pIntra);
                    return density != null ? b.density(density) : b.pInter(pInter);
                }));
                default -> throw new AssertionError(kind);
            }
            int size = Math.min(height, width);
            for (Layer c : convs) {
                lb.layer(c);
                if (size >= 2) {
                    lb.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                            .build());
                    size /= 2;
                }
            }
            lb.layer(softmax(-1, classes));
            lb.setInputType(InputType.convolutionalFlat(height, width, depth));
            return lb.build();
        }

        private static ConvolutionLayer conv(int channels) {
            return new ConvolutionLayer.Builder(3, 3).nOut(channels).convolutionMode(ConvolutionMode.Same)
                    .activation(Activation.RELU).build();
        }

        private static G2GConvolutionLayer.Builder threeByThree(G2GConvolutionLayer.Builder b) {
            return b.kernelSize(3, 3).convolutionMode(ConvolutionMode.Same).activation(Activation.RELU);
        }
    }
}
