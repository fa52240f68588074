package org.g2gnet.cli.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.g2gnet.G2GNetworks;
import org.g2gnet.ReferenceNetworks;
import org.g2gnet.conf.Execution;
import org.g2gnet.conf.G2GConvolutionLayer;
import org.g2gnet.layers.G2GConvolutionLayerImpl;
import org.g2gnet.topology.ConnectionMask;
import org.g2gnet.topology.Grouping;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The small CNN of {@code --arch cnn}: for each entry of {@code --channels}, a 3 x 3 convolution (Same mode) with
 * ReLU and 2 x 2 max pooling; then a softmax output layer on the flattened maps. On Fashion-MNIST with the default
 * channels: 28 x 28 x 1 -> 14 x 14 x 32 -> 7 x 7 x 64 -> 3 x 3 x 128 -> 10 (about 104,000 parameters, 89% of them
 * in the convolutions). Training protocol as the MLP's: Adam with a cosine-annealed learning rate, decoupled
 * weight decay, He-uniform init. No batch normalisation: it cost a third more time per epoch here, and without it
 * the G2G layers' own initialisation (kernels rescaled by the active fan-in) keeps the activations' scale.
 *
 * <p>The model kind decides the channel pairs of every convolution but the first, whose single input channel (for
 * grey images) cannot be split into groups; the first one is a plain DL4J convolution in every form, so the forms
 * differ only in the later convolutions:</p>
 * <ul>
 *   <li>dense: DL4J {@code ConvolutionLayer}s;</li>
 *   <li>g2g: {@link G2GConvolutionLayer}s over channel groups ({@code --groups}, {@code --p-intra}, {@code --p-inter}
 *       or {@code --density}), grouped by {@code --grouping} with {@link G2GNetworks#convStack} (the default, Mixer:
 *       G2G convolution k groups both of its sides by {@code Grouping.mixer(k)});</li>
 *   <li>er: an Erdos-Renyi channel mask at the same density (G2G convolutions with one group).</li>
 * </ul>
 * <p>With {@code --dst} the G2G convolutions of the g2g and er forms are rewired channel pair by channel pair (a
 * pair is one 3 x 3 kernel), with the same options as the MLP's G2G layers; the first, plain convolution is not.</p>
 */
public final class CnnFactory {
    /** Output channels of the default CNN's convolutions. */
    public static final List<Integer> DEFAULT_CHANNELS = ReferenceNetworks.Cnn.DEFAULT_CHANNELS;

    private CnnFactory() {
    }

    /**
     * Checks what the CNN needs of the options.
     *
     * @param o the options
     * @throws IllegalArgumentException naming the option and the value
     */
    static void validate(TrainOptions o) {
        ModelKind kind = o.model().kind();
        List<Integer> ch = o.model().channels();
        if (ch == null || ch.isEmpty() || ch.stream().anyMatch(c -> c == null || c < 1)) {
            throw new IllegalArgumentException("--channels must list one or more channel counts >= 1, e.g. 32,64,128, "
                    + "got " + ch);
        }
        if (kind != ModelKind.DENSE && ch.size() < 2) {
            throw new IllegalArgumentException("--arch cnn --model " + kind + " needs at least two convolutions "
                    + "(--channels): the first one stays dense, got --channels " + channelsName(ch));
        }
        int smallestSparseInput = ch.subList(0, ch.size() - 1).stream().mapToInt(Integer::intValue).min().orElse(1);
        int smallestSparseOutput = ch.subList(1, ch.size()).stream().mapToInt(Integer::intValue).min().orElse(1);
        if (kind == ModelKind.G2G && o.model().groups() > Math.min(smallestSparseInput, smallestSparseOutput)) {
            throw new IllegalArgumentException("--groups must be at most the channels of every G2G convolution ("
                    + Math.min(smallestSparseInput, smallestSparseOutput) + " with --channels " + channelsName(ch)
                    + "), got " + o.model().groups());
        }
        if (o.model().execution() == Execution.STRUCTURED) {
            throw new IllegalArgumentException("--execution structured applies to the MLP's G2G layers only, not to "
                    + "--arch cnn");
        }
    }

    /**
     * @param channels channel counts
     * @return them as "32-64-128"
     */
    public static String channelsName(List<Integer> channels) {
        return channels == null ? "null" : channels.stream().map(String::valueOf).collect(Collectors.joining("-"));
    }

    /**
     * @param shape one example's shape: {height, width} (one channel) or {channels, height, width}
     * @return {height, width, channels}
     * @throws IllegalArgumentException for other shapes
     */
    static int[] imageShape(int[] shape) {
        if (shape.length == 2) {
            return new int[] {shape[0], shape[1], 1};
        }
        if (shape.length == 3) {
            return new int[] {shape[1], shape[2], shape[0]};
        }
        throw new IllegalArgumentException("--arch cnn needs images, got examples of shape "
                + Arrays.toString(shape));
    }

    /**
     * @param o               the run's options (arch cnn)
     * @param shape           one example's shape, e.g. {28, 28} or {3, 32, 32} (channels first)
     * @param classes         output classes
     * @param totalIterations optimizer steps of the whole run (the cosine period)
     * @return the configuration; its input is the flattened image (the iterators' rows), reshaped by DL4J's
     *         preprocessor from {@code InputType.convolutionalFlat}
     */
    public static MultiLayerConfiguration build(TrainOptions o, int[] shape, int classes, int totalIterations) {
        int[] hwc = imageShape(shape);
        ModelOptions m = o.model();
        ProtocolOptions p = o.protocol();
        return ReferenceNetworks.cnn().kind(ModelFactory.kind(m.kind())).channels(m.channels()).groups(m.groups())
                .pIntra(m.pIntra()).pInter(m.pInter()).density(m.kind() == ModelKind.ER ? Double.valueOf(m.effectiveDensity())
                        : m.density()).grouping(m.grouping().grouping()).lr(p.lr()).weightDecay(p.weightDecay())
                .seed(p.seed()).totalIterations(totalIterations).build(hwc[0], hwc[1], hwc[2], classes);
    }

    /**
     * The initial channel-pair mask of the snapshot layer (the second G2G convolution, or the only one), inputs and
     * outputs sorted by group, drawn again from the configuration.
     *
     * @param conf the network's configuration
     * @return the mask, or null when the network has no G2G convolution
     */
    static ConnectionMask initialMask(MultiLayerConfiguration conf) {
        List<G2GConvolutionLayer> g2g = new ArrayList<>();
        for (var c : conf.getConfs()) {
            if (c.getLayer() instanceof G2GConvolutionLayer l) {
                g2g.add(l);
            }
        }
        if (g2g.isEmpty()) {
            return null;
        }
        long seed = conf.getConf(0).getSeed();
        G2GConvolutionLayer l = g2g.get(Math.min(1, g2g.size() - 1));
        return Trainer.groupOrdered(l.generateMask(seed), l.inputPartition(seed).labels(),
                l.outputPartition(seed).labels());
    }

    /**
     * @param net the network
     * @return the current channel-pair mask of the snapshot layer, grouped as {@link #initialMask}, or null
     */
    static ConnectionMask maskSnapshot(MultiLayerNetwork net) {
        List<G2GConvolutionLayerImpl> g2g = new ArrayList<>();
        for (Layer l : net.getLayers()) {
            if (l instanceof G2GConvolutionLayerImpl g) {
                g2g.add(g);
            }
        }
        if (g2g.isEmpty()) {
            return null;
        }
        long seed = net.getLayerWiseConfigurations().getConf(0).getSeed();
        G2GConvolutionLayerImpl layer = g2g.get(Math.min(1, g2g.size() - 1));
        return Trainer.groupOrdered(layer.currentMask(), layer.g2gConf().inputPartition(seed).labels(),
                layer.g2gConf().outputPartition(seed).labels());
    }
}
