package org.g2gnet.conf;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.api.layers.LayerConstraint;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.util.ConvolutionUtils;
import org.g2gnet.layers.G2GConvolutionLayerImpl;
import org.g2gnet.topology.ConnectionMask;
import org.g2gnet.topology.GroupPartition;
import org.g2gnet.topology.Grouping;
import org.g2gnet.topology.LayerTopology;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.shade.jackson.annotation.JsonIgnore;

/**
 * A sparse "group-to-group" 2-D convolution: the input and output channels are each split into G groups, and a
 * 0/1 channel-pair mask M [nOut, nIn] connects input channel i to output channel o densely (probability pIntra)
 * inside a group and sparsely (pInter) across groups. The layer computes DL4J's convolution with the kernels
 * {@code W * M} (M broadcast over every kernel position [kH, kW]): a masked pair has no kernel at all. A drop-in
 * replacement for DL4J's {@code ConvolutionLayer}:
 * <pre>{@code
 * new G2GConvolutionLayer.Builder(3, 3).nIn(64).nOut(128).activation(Activation.RELU)
 *         .convolutionMode(ConvolutionMode.Same)
 *         .groups(8).pIntra(1.0).pInter(1.0 / 7)     // or .density(0.25)
 *         .grouping(Grouping.INTERLEAVED).inputGrouping(Grouping.INTERLEAVED).build();
 * }</pre>
 * Parameters, in DL4J's layout plus the mask: {@code b} [nOut] (absent with {@code hasBias(false)}), {@code W}
 * [nOut, nIn, kH, kW] ('c' order, as DL4J's ConvolutionParamInitializer; the same for NCHW and NHWC) and {@code M}
 * [nOut, nIn] ('c' order; entry (o, i) is the {@link ConnectionMask} entry (i, o)), with no updater, no
 * regularisation and a zero gradient. DL4J's {@code numParams()} counts M; use
 * {@link org.g2gnet.G2GNetworks#sparsityReport} for counts that do not.
 *
 * <p>Everything a {@code ConvolutionLayer} has (kernel size, stride, padding, dilation, convolution mode, data
 * format, bias) works as in DL4J. Validation is eager, as for {@link G2GDenseLayer}: setters reject values out of
 * range and {@link Builder#build()} rejects combinations, naming the layer, the field and the value.</p>
 */
public class G2GConvolutionLayer extends ConvolutionLayer {
    private static final long serialVersionUID = 1L;

    private int groups = G2GDenseLayer.DEFAULT_GROUPS;
    private double pIntra = G2GDenseLayer.DEFAULT_P_INTRA;
    private double pInter = G2GDenseLayer.DEFAULT_P_INTER;
    /** Target density of the channel pairs; NaN when pInter is given instead. */
    private double density = Double.NaN;
    private Grouping grouping = Grouping.INDEX;
    private Grouping inputGrouping = Grouping.INDEX;
    /** Seed of the mask draw; null: derived from the network seed and the layer name. */
    private Long maskSeed;
    /** Seed of a RANDOM output side; null: derived from the network seed, the layer name and the side. */
    private Long groupingSeed;
    /** Seed of a RANDOM input side; null: derived from the network seed, the layer name and the side. */
    private Long inputGroupingSeed;
    private boolean exactCount = true;

    /** For Jackson and DL4J's clone; use the {@link Builder}. */
    public G2GConvolutionLayer() {
    }

    private G2GConvolutionLayer(Builder b) {
        super(b);
        this.cnn2dDataFormat = b.dataFormat;
        this.groups = b.groups;
        this.pIntra = b.pIntra;
        this.pInter = b.pInter;
        this.density = b.density;
        this.grouping = b.grouping;
        this.inputGrouping = b.inputGrouping;
        this.maskSeed = b.maskSeed;
        this.groupingSeed = b.groupingSeed;
        this.inputGroupingSeed = b.inputGroupingSeed;
        this.exactCount = b.exactCount;
        excludeMaskFromConstraints();
    }

    /** A constraint such as MaxNorm on "all parameters" must never rescale the 0/1 mask. */
    private void excludeMaskFromConstraints() {
        if (constraints != null) {
            for (LayerConstraint c : constraints) {
                if (c.getParams() != null && c.getParams().contains(G2GConvolutionParamInitializer.MASK_KEY)) {
                    java.util.Set<String> keep = new java.util.HashSet<>(c.getParams());
                    keep.remove(G2GConvolutionParamInitializer.MASK_KEY);
                    c.setParams(keep);
                }
            }
        }
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> trainingListeners, int layerIndex,
                                                       INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        LayerValidation.assertNInNOutSet("G2GConvolutionLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        validateShape(describe(getLayerName(), layerIndex), nIn, nOut);
        G2GConvolutionLayerImpl layer = new G2GConvolutionLayerImpl(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        layer.setParamTable(initializer().init(conf, layerParamsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return G2GConvolutionParamInitializer.getInstance();
    }

    @Override
    public IUpdater getUpdaterByParam(String paramName) {
        if (G2GConvolutionParamInitializer.MASK_KEY.equals(paramName)) {
            return new NoOp();
        }
        return super.getUpdaterByParam(paramName);
    }

    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        if (G2GConvolutionParamInitializer.MASK_KEY.equals(paramName)) {
            return Collections.emptyList();
        }
        return super.getRegularizationByParam(paramName);
    }

    // ---------------------------------------------------------------- mask construction

    /**
     * @return this layer's structure as the topology package computes it: the channels of the two sides, G, the
     *         probabilities or the density, the groupings and seeds (every RANDOM side draws its own permutation)
     */
    public LayerTopology.Spec topologySpec() {
        return new LayerTopology.Spec(describe(layerName, -1), layerName, nIn, nOut, groups, pIntra, pInter, density,
                inputGrouping, grouping, maskSeed, inputGroupingSeed, groupingSeed, true, exactCount, 0);
    }

    /**
     * The inter-group probability this layer uses: pInter, or the value solved from the target density for the
     * layer's actual partitions.
     *
     * @param in  input-channel partition
     * @param out output-channel partition
     * @return pInter in [0, 1]
     * @throws IllegalArgumentException when the density is not reachable with pIntra
     */
    public double resolvePInter(GroupPartition in, GroupPartition out) {
        return topologySpec().resolvePInter(in, out);
    }

    /**
     * Partition of the input channels.
     *
     * @param networkSeed the network's seed (for RANDOM groupings without an explicit seed)
     * @return the partition of nIn channels
     */
    public GroupPartition inputPartition(long networkSeed) {
        return topologySpec().inputPartition(networkSeed);
    }

    /**
     * Partition of the output channels.
     *
     * @param networkSeed the network's seed
     * @return the partition of nOut channels
     */
    public GroupPartition outputPartition(long networkSeed) {
        return topologySpec().outputPartition(networkSeed);
    }

    /**
     * Draws this layer's channel-pair mask, exactly as the parameter initializer does.
     *
     * @param networkSeed the network's seed (NeuralNetConfiguration#getSeed)
     * @return the mask, [nIn, nOut] in {@link ConnectionMask}'s orientation
     */
    public ConnectionMask generateMask(long networkSeed) {
        return topologySpec().resolve(networkSeed).mask();
    }

    /** @return kH * kW: the kernel weights of one channel pair */
    @JsonIgnore
    public long getKernelArea() {
        return (long) kernelSize[0] * kernelSize[1];
    }

    /** @return pIntra / G + pInter (G-1) / G, or the target density when one is set */
    @JsonIgnore
    public double getNominalDensity() {
        return Double.isNaN(density) ? ConnectionMask.nominalDensity(groups, pIntra, pInter) : density;
    }

    static String describe(String name, long layerIndex) {
        StringBuilder sb = new StringBuilder("G2GConvolutionLayer");
        if (name != null) {
            sb.append(" '").append(name).append('\'');
        }
        if (layerIndex >= 0) {
            sb.append(" (index ").append(layerIndex).append(')');
        }
        return sb.toString();
    }

    private void validateShape(String who, long nIn, long nOut) {
        if (groups > Math.min(nIn, nOut)) {
            throw new IllegalArgumentException(who + ": groups must be in [1, min(nIn, nOut)] = [1, "
                    + Math.min(nIn, nOut) + "] for nIn " + nIn + " and nOut " + nOut + " channels, got " + groups
                    + (nIn == 1 ? " (a first layer on one input channel needs groups(1), or a plain ConvolutionLayer)" : ""));
        }
        if (nIn > Integer.MAX_VALUE || nOut > Integer.MAX_VALUE || nIn * nOut > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(who + ": nIn * nOut must fit in an int array, got nIn " + nIn
                    + " and nOut " + nOut);
        }
    }

    // ---------------------------------------------------------------- getters / setters (Jackson uses them)

    /** @return number of channel groups G */
    public int getGroups() {
        return groups;
    }

    /** @param groups number of channel groups G */
    public void setGroups(int groups) {
        this.groups = G2GLayerValidation.groups(describe(layerName, -1), groups);
    }

    /** @return intra-group connection probability */
    public double getPIntra() {
        return pIntra;
    }

    /** @param pIntra intra-group connection probability */
    public void setPIntra(double pIntra) {
        this.pIntra = G2GLayerValidation.probability(describe(layerName, -1), "pIntra", pIntra);
    }

    /** @return inter-group connection probability (ignored when a density is set) */
    public double getPInter() {
        return pInter;
    }

    /** @param pInter inter-group connection probability */
    public void setPInter(double pInter) {
        this.pInter = G2GLayerValidation.probability(describe(layerName, -1), "pInter", pInter);
    }

    /** @return target density of the channel pairs, NaN when pInter is used */
    public double getDensity() {
        return density;
    }

    /** @param density target density, NaN for none */
    public void setDensity(double density) {
        this.density = Double.isNaN(density) ? density : G2GLayerValidation.density(describe(layerName, -1), density);
    }

    /** @return grouping of the output channels */
    public Grouping getGrouping() {
        return grouping;
    }

    /** @param grouping grouping of the output channels */
    public void setGrouping(Grouping grouping) {
        this.grouping = grouping;
    }

    /** @return grouping of the input channels */
    public Grouping getInputGrouping() {
        return inputGrouping;
    }

    /** @param inputGrouping grouping of the input channels */
    public void setInputGrouping(Grouping inputGrouping) {
        this.inputGrouping = inputGrouping;
    }

    /** @return explicit mask seed, or null when derived from the network seed and layer name */
    public Long getMaskSeed() {
        return maskSeed;
    }

    /** @param maskSeed explicit mask seed, or null */
    public void setMaskSeed(Long maskSeed) {
        this.maskSeed = maskSeed;
    }

    /** @return explicit seed of a RANDOM output side, or null */
    public Long getGroupingSeed() {
        return groupingSeed;
    }

    /** @param groupingSeed explicit seed of a RANDOM output side, or null */
    public void setGroupingSeed(Long groupingSeed) {
        this.groupingSeed = groupingSeed;
    }

    /** @return explicit seed of a RANDOM input side, or null */
    public Long getInputGroupingSeed() {
        return inputGroupingSeed;
    }

    /** @param inputGroupingSeed explicit seed of a RANDOM input side, or null */
    public void setInputGroupingSeed(Long inputGroupingSeed) {
        this.inputGroupingSeed = inputGroupingSeed;
    }

    /** @return whether blocks get exact connection counts (true) or Bernoulli draws */
    public boolean isExactCount() {
        return exactCount;
    }

    /** @param exactCount exact counts per block (true) or Bernoulli draws */
    public void setExactCount(boolean exactCount) {
        this.exactCount = exactCount;
    }

    @Override
    public G2GConvolutionLayer clone() {
        return (G2GConvolutionLayer) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof G2GConvolutionLayer other) || !super.equals(o)) {
            return false;
        }
        return groups == other.groups && Double.compare(pIntra, other.pIntra) == 0
                && Double.compare(pInter, other.pInter) == 0 && Double.compare(density, other.density) == 0
                && grouping == other.grouping && inputGrouping == other.inputGrouping
                && Objects.equals(maskSeed, other.maskSeed) && Objects.equals(groupingSeed, other.groupingSeed)
                && Objects.equals(inputGroupingSeed, other.inputGroupingSeed) && exactCount == other.exactCount;
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof G2GConvolutionLayer;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), groups, pIntra, pInter, density, grouping, inputGrouping, maskSeed,
                groupingSeed, inputGroupingSeed, exactCount);
    }

    @Override
    public String toString() {
        return "G2GConvolutionLayer(name=" + layerName + ", nIn=" + nIn + ", nOut=" + nOut + ", kernel="
                + java.util.Arrays.toString(kernelSize) + ", stride=" + java.util.Arrays.toString(stride)
                + ", mode=" + convolutionMode + ", format=" + cnn2dDataFormat + ", groups=" + groups + ", pIntra="
                + pIntra + ", " + (Double.isNaN(density) ? "pInter=" + pInter : "density=" + density) + ", grouping="
                + grouping + ", inputGrouping=" + inputGrouping + ", exactCount=" + exactCount + ")";
    }

    /**
     * Builder of {@link G2GConvolutionLayer}: DL4J's convolution settings (kernel size, stride, padding, dilation,
     * convolution mode, data format, bias) plus the G2G ones. Setters validate their value at once; {@link #build()}
     * checks combinations.
     */
    public static class Builder extends ConvolutionLayer.BaseConvBuilder<Builder> {
        private CNN2DFormat dataFormat = CNN2DFormat.NCHW;
        private int groups = G2GDenseLayer.DEFAULT_GROUPS;
        private double pIntra = G2GDenseLayer.DEFAULT_P_INTRA;
        private double pInter = G2GDenseLayer.DEFAULT_P_INTER;
        private boolean pInterSet;
        private double density = Double.NaN;
        private double intraShare = Double.NaN;
        private boolean pIntraSet;
        private Grouping grouping = Grouping.INDEX;
        private Grouping inputGrouping = Grouping.INDEX;
        private Long maskSeed;
        private Long groupingSeed;
        private Long inputGroupingSeed;
        private boolean exactCount = true;

        /** A builder with DL4J's convolution defaults (5 x 5 kernel) and the paper's G2G defaults. */
        public Builder() {
            super();
        }

        /** @param kernelSize kernel height and width */
        public Builder(int... kernelSize) {
            super(kernelSize);
        }

        /**
         * @param kernelSize kernel height and width
         * @param stride     stride
         */
        public Builder(int[] kernelSize, int[] stride) {
            super(kernelSize, stride);
        }

        /**
         * @param kernelSize kernel height and width
         * @param stride     stride
         * @param padding    padding (ConvolutionMode.Truncate and Strict)
         */
        public Builder(int[] kernelSize, int[] stride, int[] padding) {
            super(kernelSize, stride, padding);
        }

        @Override
        protected boolean allowCausal() {
            return false;
        }

        /**
         * @param format NCHW (default) or NHWC: the layout of the activations; the weights are [nOut, nIn, kH, kW]
         *               either way
         * @return this
         */
        public Builder dataFormat(CNN2DFormat format) {
            this.dataFormat = Objects.requireNonNull(format, "dataFormat");
            return this;
        }

        /**
         * @param groups number of channel groups G, &gt;= 1 (and at most min(nIn, nOut), checked in build)
         * @return this
         */
        public Builder groups(int groups) {
            if (groups < 1) {
                throw new IllegalArgumentException(who() + ": groups must be >= 1, got " + groups);
            }
            this.groups = groups;
            return this;
        }

        /**
         * @param pIntra probability of a channel pair inside a group, in [0, 1]
         * @return this
         */
        public Builder pIntra(double pIntra) {
            this.pIntra = checkUnit("pIntra", pIntra);
            this.pIntraSet = true;
            return this;
        }

        /**
         * @param pInter probability of a channel pair between groups, in [0, 1]
         * @return this
         */
        public Builder pInter(double pInter) {
            this.pInter = checkUnit("pInter", pInter);
            this.pInterSet = true;
            return this;
        }

        /**
         * Target density of the channel pairs instead of pInter: pInter is solved with pIntra fixed.
         *
         * @param density fraction of active channel pairs, in (0, 1]
         * @return this
         */
        public Builder density(double density) {
            if (!(density > 0 && density <= 1)) {
                throw new IllegalArgumentException(who() + ": density must be in (0, 1], got " + density);
            }
            this.density = density;
            return this;
        }

        /**
         * The share of the active channel pairs that lie inside groups, with {@link #density}: sets pIntra = s d G
         * (pInter is then solved from the density: (1 - s) d G / (G - 1) when G divides both sides). At a fixed
         * density the group count and this share are the structure's two free choices: ER is s = 1 / G, the paper's
         * point (G = 8, pIntra 1, pInter 0.15) s of about 0.49, a block-diagonal layer s = 1. The layer stores the
         * resulting pIntra and density, so its JSON holds the same structure.
         *
         * @param intraShare s, in (0, 1]; s d G must be at most 1 (checked in build, with the largest share allowed)
         * @return this
         */
        public Builder intraShare(double intraShare) {
            this.intraShare = G2GLayerValidation.intraShare(who(), intraShare);
            return this;
        }

        /**
         * @param grouping grouping of the output channels (default INDEX); see {@link Grouping#mixer(int)} and
         *                 {@link org.g2gnet.G2GNetworks#convStack}
         * @return this
         */
        public Builder grouping(Grouping grouping) {
            this.grouping = Objects.requireNonNull(grouping, "grouping");
            return this;
        }

        /**
         * @param inputGrouping grouping of the input channels (default INDEX); in the paper's networks a layer's
         *                      grouping applies to both of its sides
         * @return this
         */
        public Builder inputGrouping(Grouping inputGrouping) {
            this.inputGrouping = Objects.requireNonNull(inputGrouping, "inputGrouping");
            return this;
        }

        /**
         * @param maskSeed seed of the mask draw (default: derived from the network seed and the layer name)
         * @return this
         */
        public Builder maskSeed(long maskSeed) {
            this.maskSeed = maskSeed;
            return this;
        }

        /**
         * @param groupingSeed seed of a RANDOM output side (default: derived from the network seed, the layer name
         *                     and the side)
         * @return this
         */
        public Builder groupingSeed(long groupingSeed) {
            this.groupingSeed = groupingSeed;
            return this;
        }

        /**
         * @param inputGroupingSeed seed of a RANDOM input side (default: derived like {@link #groupingSeed})
         * @return this
         */
        public Builder inputGroupingSeed(long inputGroupingSeed) {
            this.inputGroupingSeed = inputGroupingSeed;
            return this;
        }

        /**
         * @param exactCount true (default): exactly round(p * |block|) channel pairs per group block; false:
         *                   independent Bernoulli draws
         * @return this
         */
        public Builder exactCount(boolean exactCount) {
            this.exactCount = exactCount;
            return this;
        }

        private double checkUnit(String field, double v) {
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException(who() + ": " + field + " must be in [0, 1], got " + v);
            }
            return v;
        }

        private String who() {
            return describe(layerName, -1);
        }

        /**
         * Builds the layer after checking combinations of values.
         *
         * @return the layer configuration
         * @throws IllegalArgumentException naming the layer and the values when they do not fit together
         */
        @Override
        @SuppressWarnings("unchecked")
        public G2GConvolutionLayer build() {
            pIntra = G2GLayerValidation.pIntraOfBuilder(who(), intraShare, pIntraSet, pIntra, density, groups);
            if (pInterSet && !Double.isNaN(density)) {
                throw new IllegalArgumentException(who() + ": set either pInter (" + pInter + ") or density ("
                        + density + "), not both");
            }
            if (nIn < 0 || nOut < 0) {
                throw new IllegalArgumentException(who() + ": nIn and nOut must be > 0, got nIn " + nIn
                        + " and nOut " + nOut);
            }
            if (kernelSize == null || kernelSize.length != 2 || kernelSize[0] < 1 || kernelSize[1] < 1) {
                throw new IllegalArgumentException(who() + ": kernelSize must be two values >= 1, got "
                        + java.util.Arrays.toString(kernelSize));
            }
            if (nIn > 0 && nOut > 0 && groups > Math.min(nIn, nOut)) {
                throw new IllegalArgumentException(who() + ": groups must be in [1, min(nIn, nOut)] = [1, "
                        + Math.min(nIn, nOut) + "] for nIn " + nIn + " and nOut " + nOut + " channels, got " + groups);
            }
            ConvolutionUtils.validateConvolutionModePadding(convolutionMode, padding);
            ConvolutionUtils.validateCnnKernelStridePadding(kernelSize, stride, padding);
            G2GConvolutionLayer layer = new G2GConvolutionLayer(this);
            if (!Double.isNaN(density)) {
                if (nIn > 0 && nOut > 0) {
                    layer.resolvePInter(layer.inputPartition(0), layer.outputPartition(0));
                } else {
                    // nIn not known yet (set from the input type later): check against balanced groups
                    layer.topologySpec().checkDensityOfBalancedGroups();
                }
            }
            return layer;
        }
    }
}
