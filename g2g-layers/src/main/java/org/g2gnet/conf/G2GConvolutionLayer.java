package org.g2gnet.conf;

import java.util.Collection;
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
import org.g2gnet.topology.G2GStructure;
import org.g2gnet.topology.Grouping;
import org.g2gnet.topology.LayerTopology;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;

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
 * range and {@link Builder#build()} rejects combinations, naming the layer, the field and the value; a configuration
 * read from JSON goes through the builder and fails with the same messages.</p>
 */
public class G2GConvolutionLayer extends ConvolutionLayer implements G2GStructured {
    private static final long serialVersionUID = 1L;

    private G2GStructure structure = G2GStructure.DEFAULT;

    /** For DL4J's clone; use the {@link Builder}. */
    public G2GConvolutionLayer() {
    }

    /** Jackson's way in: through the builder, so that JSON is checked as the builder checks (same messages). */
    @JsonCreator
    private static G2GConvolutionLayer fromJson(@JsonProperty("layerName") String layerName,
            @JsonProperty("nin") Long nIn, @JsonProperty("nout") Long nOut, @JsonProperty("groups") Integer groups,
            @JsonProperty("pintra") Double pIntra, @JsonProperty("pinter") Double pInter,
            @JsonProperty("density") Double density, @JsonProperty("grouping") Grouping grouping,
            @JsonProperty("inputGrouping") Grouping inputGrouping, @JsonProperty("maskSeed") Long maskSeed,
            @JsonProperty("groupingSeed") Long groupingSeed, @JsonProperty("inputGroupingSeed") Long inputGroupingSeed,
            @JsonProperty("exactCount") Boolean exactCount) {
        Builder b = new Builder().name(layerName);
        G2GStructure written = G2GLayerValidation.structureFromJson(b.structure(), groups, pIntra, pInter, density,
                grouping, inputGrouping, maskSeed, groupingSeed, inputGroupingSeed, exactCount);
        G2GConvolutionLayer l = new G2GConvolutionLayer();
        G2GLayerValidation.sizesFromJson(b, l, nIn, nOut);
        b.build();
        l.setLayerName(layerName);
        l.structure = written;
        return l;
    }

    private G2GConvolutionLayer(Builder b, G2GStructure structure) {
        super(b);
        this.cnn2dDataFormat = b.dataFormat;
        this.structure = structure;
        StructureParams.excludeFromConstraints(constraints);
    }

    @Override
    public void setConstraints(List<LayerConstraint> constraints) {
        super.setConstraints(StructureParams.excludeFromConstraints(constraints));
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> trainingListeners, int layerIndex,
                                                       INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        LayerValidation.assertNInNOutSet("G2GConvolutionLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        G2GLayerValidation.checkShape(describe(getLayerName(), layerIndex), nIn, nOut, getGroups(), " channels",
                " (a first layer on one input channel needs groups(1), or a plain ConvolutionLayer)");
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
        return StructureParams.isStructure(paramName) ? new NoOp() : super.getUpdaterByParam(paramName);
    }

    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        return StructureParams.isStructure(paramName) ? List.of() : super.getRegularizationByParam(paramName);
    }

    // ---------------------------------------------------------------- structure (computed in topology/)

    @Override
    public G2GStructure getStructure() {
        return structure;
    }

    @Override
    public void setStructure(G2GStructure structure) {
        this.structure = structure.validate(describe(layerName, -1));
    }

    /**
     * @return this layer's structure as the topology package computes it: the channels of the two sides, G, the
     *         probabilities or the density, the groupings and seeds (every RANDOM side draws its own permutation)
     */
    @Override
    public LayerTopology.Spec topologySpec() {
        return structure.spec(describe(layerName, -1), layerName, nIn, nOut, true, 0);
    }

    /** @return kH * kW: the kernel weights of one channel pair */
    @JsonIgnore
    public long getKernelArea() {
        return (long) kernelSize[0] * kernelSize[1];
    }

    static String describe(String name, long layerIndex) {
        return G2GLayerValidation.describe("G2GConvolutionLayer", name, layerIndex);
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
        return structure.equals(other.structure);
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof G2GConvolutionLayer;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), structure);
    }

    @Override
    public String toString() {
        return "G2GConvolutionLayer(name=" + layerName + ", nIn=" + nIn + ", nOut=" + nOut + ", kernel="
                + java.util.Arrays.toString(kernelSize) + ", stride=" + java.util.Arrays.toString(stride)
                + ", mode=" + convolutionMode + ", format=" + cnn2dDataFormat + ", " + structure.describe() + ")";
    }

    /**
     * Builder of {@link G2GConvolutionLayer}: DL4J's convolution settings (kernel size, stride, padding, dilation,
     * convolution mode, data format, bias) plus the G2G ones. Setters validate their value at once; {@link #build()}
     * checks combinations.
     */
    public static class Builder extends ConvolutionLayer.BaseConvBuilder<Builder>
            implements G2GStructureBuilder<Builder> {
        private CNN2DFormat dataFormat = CNN2DFormat.NCHW;
        private final G2GStructure.Builder structure = new G2GStructure.Builder(this::who);

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

        @Override
        public G2GStructure.Builder structure() {
            return structure;
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
            G2GStructure s = structure.build();
            if (kernelSize == null || kernelSize.length != 2 || kernelSize[0] < 1 || kernelSize[1] < 1) {
                throw new IllegalArgumentException(who() + ": kernelSize must be two values >= 1, got "
                        + java.util.Arrays.toString(kernelSize));
            }
            G2GLayerValidation.checkSizes(who(), nIn, nOut, s.groups(), " channels");
            ConvolutionUtils.validateConvolutionModePadding(convolutionMode, padding);
            ConvolutionUtils.validateCnnKernelStridePadding(kernelSize, stride, padding);
            G2GConvolutionLayer layer = new G2GConvolutionLayer(this, s);
            G2GLayerValidation.checkDensityReachable(layer, nIn, nOut);
            return layer;
        }
    }
}
