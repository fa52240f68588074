package org.g2gnet.conf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.api.layers.LayerConstraint;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.g2gnet.layers.G2GBlockImpl;
import org.g2gnet.topology.G2GStructure;
import org.g2gnet.topology.Grouping;
import org.g2gnet.util.Seeds;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A stack of G2G layers in structured execution as one DL4J layer, computed with its activations kept in
 * group-major order from the block's input to its output:
 * <pre>{@code
 * new G2GBlock.Builder().nIn(784).widths(1024, 1024, 1024).activation(Activation.RELU)
 *         .groups(8).density(0.25)        // or .pInter(0.15); the paper's Mixer groupings by default
 *         .build();
 * }</pre>
 * Inner layer k is exactly the structured {@link G2GDenseLayer} that {@link #innerLayers()} returns (nIn =
 * the previous width, pIntra = 1, both sides grouped by {@link Grouping#mixer(int) mixer(k)} unless
 * {@link Builder#groupings} says otherwise, the block's activation), and the block computes what the stack
 * of those layers computes: in DOUBLE the outputs and all gradients agree to 1e-12 with the same
 * parameters. Where the stack reorders its activations into and out of group-major order around every
 * layer, the block does so once at its input and once at its output; between layers the re-mixing
 * permutation of the Mixer network is folded into the next layer's gather.
 *
 * <p>Parameters: for every inner layer k, {@code W<k>} [G, K, nOut/G] (compact weights), {@code b<k>} [nOut]
 * and the index {@code I<k>} [G, K] (no updater, no regularisation, zero gradient), laid out as the
 * structured layer lays out its {@code W, b, I}; the block's flat parameters are the stack's parameters
 * concatenated ({@link G2GBlockParamInitializer}).</p>
 *
 * <p>Not supported inside a block: dropout and weight noise between its layers (input dropout of the block
 * applies to its input, as for any layer), activations that are not elementwise (softmax). Rewiring
 * ({@code RewiringListener}) rewires each inner layer tile by tile (not with gradient growth: a block does not
 * compute the dense gradient); each inner layer exposes what tile rewiring reads and changes through
 * {@link G2GBlockImpl#inner(int)}.</p>
 *
 * <p>Validation is eager: builder setters reject values out of range and {@link Builder#build()} checks every
 * inner layer whose input width is known, naming the block, the inner layer and the values; a configuration read
 * from JSON goes through the builder and fails with the same messages.</p>
 */
public class G2GBlock extends FeedForwardLayer {
    private static final long serialVersionUID = 1L;

    private int[] widths;
    /**
     * The structure of every inner layer: its groups, pInter or density and maskSeed (the seed of the slot draws:
     * inner layer k mixes it with k); pIntra is 1 (structured execution) and the groupings are the block's own.
     */
    private G2GStructure structure = G2GStructure.DEFAULT;
    /** Grouping of each inner layer (both sides); null for the Mixer pattern. */
    private Grouping[] groupings;
    /** Tile size of each inner layer (0: automatic); null for automatic everywhere. */
    private int[] tileSizes;
    /** Names of the inner layers; null: the block's name, a slash and the position. */
    private String[] innerNames;

    /** For Jackson and DL4J's clone; use the {@link Builder}. */
    public G2GBlock() {
    }

    /** Jackson's way in: through the builder, so that JSON is checked as the builder checks (same messages). */
    @JsonCreator
    private static G2GBlock fromJson(@JsonProperty("layerName") String layerName, @JsonProperty("nin") Long nIn,
            @JsonProperty("nout") Long nOut, @JsonProperty("widths") int[] widths,
            @JsonProperty("groups") Integer groups, @JsonProperty("pinter") Double pInter,
            @JsonProperty("density") Double density, @JsonProperty("maskSeed") Long maskSeed,
            @JsonProperty("groupings") Grouping[] groupings, @JsonProperty("tileSizes") int[] tileSizes,
            @JsonProperty("innerNames") String[] innerNames) {
        Builder b = new Builder().name(layerName);
        G2GStructure written = G2GLayerValidation.structureFromJson(b.structure, groups, null, pInter, density, null,
                null, maskSeed, null, null, null);
        G2GBlock l = new G2GBlock();
        G2GLayerValidation.sizesFromJson(b, l, nIn, nOut);
        if (widths != null) {
            b.widths(widths);
        }
        if (groupings != null) {
            b.groupings(groupings);
        }
        if (tileSizes != null) {
            b.tileSizes(tileSizes);
        }
        if (innerNames != null) {
            b.innerNames(innerNames);
        }
        b.build();
        l.setLayerName(layerName);
        l.structure = written;
        l.setWidths(widths);
        l.setGroupings(groupings);
        l.setTileSizes(tileSizes);
        l.setInnerNames(innerNames);
        return l;
    }

    private G2GBlock(Builder b, G2GStructure structure) {
        super(b);
        this.widths = b.widths.clone();
        this.structure = structure;
        this.groupings = b.groupings == null ? null : b.groupings.clone();
        this.tileSizes = b.tileSizes == null ? null : b.tileSizes.clone();
        this.innerNames = b.innerNames == null ? null : b.innerNames.clone();
        initializeConstraints(b);
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
        LayerValidation.assertNInNOutSet("G2GBlock", getLayerName(), layerIndex, getNIn(), getNOut());
        validate(describe(getLayerName(), layerIndex));
        G2GBlockImpl layer = new G2GBlockImpl(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        layer.setParamTable(initializer().init(conf, layerParamsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    /** Checks what can only be checked once nIn and the activation are known. */
    private void validate(String who) {
        IActivation act = getActivationFn();
        if (act instanceof ActivationSoftmax) {
            throw new IllegalArgumentException(who + ": the activation of a block must be elementwise, got " + act);
        }
        innerLayers(who);
    }

    @Override
    public ParamInitializer initializer() {
        return G2GBlockParamInitializer.getInstance();
    }

    @Override
    public IUpdater getUpdaterByParam(String paramName) {
        return StructureParams.isStructure(paramName) ? new NoOp() : super.getUpdaterByParam(paramName);
    }

    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        return StructureParams.isStructure(paramName) ? List.of() : super.getRegularizationByParam(paramName);
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType outputType = getOutputType(-1, inputType);
        long numParams = initializer().numParams(this);
        long trainable = 0;
        long perExample = 0;
        for (G2GDenseLayer l : innerLayers()) {
            var t = l.tileLayout(0);
            trainable += (long) t.groups() * t.fanIn() * t.outGroupSize() + l.getNOut();
            // gathered inputs (G K), pre-activation and activation (2 nOut) are kept for the backward pass
            perExample += (long) t.groups() * t.fanIn() + 2 * l.getNOut();
        }
        return new LayerMemoryReport.Builder(layerName, G2GBlock.class, inputType, outputType)
                .standardMemory(numParams, getIUpdater().stateSize(trainable))
                .workingMemory(0, 0, 0, perExample)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    // ---------------------------------------------------------------- the inner layers

    /** @return number of inner layers */
    @JsonIgnore
    public int getDepth() {
        return widths == null ? 0 : widths.length;
    }

    /**
     * @param k inner layer, in [0, depth)
     * @return the grouping of both sides of inner layer k
     */
    public Grouping grouping(int k) {
        return groupings == null ? Grouping.mixer(k) : groupings[k];
    }

    /**
     * @param k inner layer
     * @return its name: the one given to {@link Builder#innerNames}, else the block's name (or "g2g-block"), a
     *         slash and k. Seeds not given explicitly derive from it.
     */
    public String innerName(int k) {
        if (innerNames != null) {
            return innerNames[k];
        }
        return (layerName != null ? layerName : "g2g-block") + "/" + k;
    }

    /**
     * The structured G2G layers this block computes, in order: their configurations, with this block's
     * activation, weight initialisation, updaters, regularisation and gradient normalisation, and (layer 0
     * only) its input dropout. Seeds not given are derived from the network seed and {@link #innerName}.
     *
     * @return one configuration per inner layer
     * @throws IllegalArgumentException when an inner layer is not a valid structured layer (naming the block,
     *                                  the inner layer and the values)
     */
    public List<G2GDenseLayer> innerLayers() {
        return innerLayers(describe(layerName, -1));
    }

    private List<G2GDenseLayer> innerLayers(String who) {
        List<G2GDenseLayer> out = new ArrayList<>();
        for (int k = 0; k < widths.length; k++) {
            out.add(innerLayer(k, who));
        }
        return out;
    }

    private G2GDenseLayer innerLayer(int k, String who) {
        long in = k == 0 ? nIn : widths[k - 1];
        Grouping g = grouping(k);
        G2GDenseLayer.Builder b = new G2GDenseLayer.Builder().name(innerName(k)).nIn(in).nOut(widths[k])
                .groups(structure.groups()).pIntra(1.0).grouping(g).inputGrouping(g).execution(Execution.STRUCTURED);
        if (structure.hasDensity()) {
            b.density(structure.density());
        } else {
            b.pInter(structure.pInter());
        }
        int tile = tileSizes == null ? 0 : tileSizes.length == 1 ? tileSizes[0] : tileSizes[k];
        if (tile > 0) {
            b.tileSize(tile);
        }
        if (structure.maskSeed() != null) {
            b.maskSeed(Seeds.mix(structure.maskSeed(), k));
        }
        G2GDenseLayer l;
        try {
            l = b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(who + ", inner layer " + k + ": " + e.getMessage(), e);
        }
        l.setActivationFn(getActivationFn());
        l.setWeightInitFn(getWeightInitFn());
        l.setBiasInit(getBiasInit());
        l.setGainInit(getGainInit());
        l.setIUpdater(getIUpdater());
        l.setBiasUpdater(getBiasUpdater());
        l.setRegularization(getRegularization());
        l.setRegularizationBias(getRegularizationBias());
        l.setGradientNormalization(getGradientNormalization());
        l.setGradientNormalizationThreshold(getGradientNormalizationThreshold());
        if (k == 0) {
            l.setIDropout(getIDropout());
        }
        return l;
    }

    /**
     * The inner layers as a stack of plain layers that compute exactly what this block computes: the
     * configurations of {@link #innerLayers()} with every seed made explicit, so that in a network of their
     * own they draw the same partitions and connections. With the block's parameters copied in order (the
     * block's flat parameters are theirs concatenated) they give the same outputs and gradients.
     *
     * @param networkSeed the seed of the network this block is in
     * @return one structured G2GDenseLayer per inner layer
     */
    public List<G2GDenseLayer> equivalentStack(long networkSeed) {
        return innerLayers().stream().map(l -> l.withResolvedSeeds(networkSeed)).toList();
    }

    static String describe(String name, long layerIndex) {
        return G2GLayerValidation.describe("G2GBlock", name, layerIndex);
    }

    // ---------------------------------------------------------------- getters / setters (Jackson uses them)

    /** @return output widths of the inner layers */
    public int[] getWidths() {
        return widths == null ? null : widths.clone();
    }

    /** @param widths output widths of the inner layers */
    public void setWidths(int[] widths) {
        this.widths = widths == null ? null : widths.clone();
    }

    /** @return groups G of every inner layer */
    public int getGroups() {
        return structure.groups();
    }

    /** @param groups groups G of every inner layer */
    public void setGroups(int groups) {
        structure = structure.withGroups(groups).validate(describe(layerName, -1));
    }

    /** @return inter-group probability (ignored when a density is set) */
    public double getPInter() {
        return structure.pInter();
    }

    /** @param pInter inter-group probability */
    public void setPInter(double pInter) {
        structure = structure.withPInter(pInter).validate(describe(layerName, -1));
    }

    /** @return target density of every inner layer, NaN when pInter is used */
    public double getDensity() {
        return structure.density();
    }

    /** @param density target density, NaN for none */
    public void setDensity(double density) {
        structure = structure.withDensity(density).validate(describe(layerName, -1));
    }

    /** @return grouping of each inner layer, or null for the Mixer pattern */
    public Grouping[] getGroupings() {
        return groupings == null ? null : groupings.clone();
    }

    /** @param groupings grouping of each inner layer, or null for the Mixer pattern */
    public void setGroupings(Grouping[] groupings) {
        this.groupings = groupings == null ? null : groupings.clone();
    }

    /** @return tile size of each inner layer (one value: all layers; 0: automatic), or null: automatic */
    public int[] getTileSizes() {
        return tileSizes == null ? null : tileSizes.clone();
    }

    /** @param tileSizes tile sizes, see {@link #getTileSizes()} */
    public void setTileSizes(int[] tileSizes) {
        this.tileSizes = tileSizes == null ? null : tileSizes.clone();
    }

    /** @return names of the inner layers, or null for the default ({@link #innerName}) */
    public String[] getInnerNames() {
        return innerNames == null ? null : innerNames.clone();
    }

    /** @param innerNames names of the inner layers, or null */
    public void setInnerNames(String[] innerNames) {
        this.innerNames = innerNames == null ? null : innerNames.clone();
    }

    /** @return explicit seed of the slot draws, or null */
    public Long getMaskSeed() {
        return structure.maskSeed();
    }

    /** @param maskSeed explicit seed of the slot draws, or null */
    public void setMaskSeed(Long maskSeed) {
        structure = structure.withMaskSeed(maskSeed);
    }

    @Override
    public G2GBlock clone() {
        G2GBlock c = (G2GBlock) super.clone();
        c.widths = widths == null ? null : widths.clone();
        c.groupings = groupings == null ? null : groupings.clone();
        c.tileSizes = tileSizes == null ? null : tileSizes.clone();
        c.innerNames = innerNames == null ? null : innerNames.clone();
        return c;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof G2GBlock other) || !super.equals(o)) {
            return false;
        }
        return Arrays.equals(widths, other.widths) && structure.equals(other.structure)
                && Arrays.equals(groupings, other.groupings) && Arrays.equals(tileSizes, other.tileSizes)
                && Arrays.equals(innerNames, other.innerNames);
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof G2GBlock;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), Arrays.hashCode(widths), structure, Arrays.hashCode(groupings),
                Arrays.hashCode(tileSizes), Arrays.hashCode(innerNames));
    }

    @Override
    public String toString() {
        return "G2GBlock(name=" + layerName + ", nIn=" + nIn + ", widths=" + Arrays.toString(widths) + ", groups="
                + structure.groups() + ", " + structure.describeInter() + ", groupings="
                + (groupings == null ? "mixer" : Arrays.toString(groupings)) + ", tileSizes="
                + (tileSizes == null ? "auto" : Arrays.toString(tileSizes)) + ")";
    }

    /**
     * Builder of {@link G2GBlock}. Setters validate their value at once; {@link #build()} checks combinations
     * and every inner layer whose input width is known.
     */
    public static class Builder extends FeedForwardLayer.Builder<Builder> {
        private int[] widths;
        private final G2GStructure.Builder structure = new G2GStructure.Builder(this::who);
        private Grouping[] groupings;
        private int[] tileSizes;
        private String[] innerNames;

        /** A builder with the paper's defaults (G = 8, pInter = 0.15, Mixer groupings). */
        public Builder() {
        }

        /**
         * @param widths output width of each inner layer (at least one, each &gt;= 1); the block's nOut is the last
         * @return this
         */
        public Builder widths(int... widths) {
            if (widths == null || widths.length == 0) {
                throw new IllegalArgumentException(who() + ": widths must name at least one inner layer");
            }
            for (int w : widths) {
                if (w < 1) {
                    throw new IllegalArgumentException(who() + ": widths must be >= 1, got " + Arrays.toString(widths));
                }
            }
            this.widths = widths.clone();
            return this;
        }

        /**
         * @param groups groups G of every inner layer, &gt;= 1, dividing every width (checked in build)
         * @return this
         */
        public Builder groups(int groups) {
            structure.groups(groups);
            return this;
        }

        /**
         * @param pInter inter-group connection probability of every inner layer, in [0, 1] (met to the nearest
         *               whole tile)
         * @return this
         */
        public Builder pInter(double pInter) {
            structure.pInter(pInter);
            return this;
        }

        /**
         * @param density target density of every inner layer instead of pInter, in (0, 1]
         * @return this
         */
        public Builder density(double density) {
            structure.density(density);
            return this;
        }

        /**
         * @param grouping the grouping of both sides of every inner layer (default: the Mixer pattern,
         *                 {@link Grouping#mixer(int)} for inner layer k)
         * @return this
         */
        public Builder grouping(Grouping grouping) {
            Objects.requireNonNull(grouping, "grouping");
            this.groupings = new Grouping[] {grouping};
            return this;
        }

        /**
         * @param groupings the grouping of both sides of each inner layer, one per width (or one for all)
         * @return this
         */
        public Builder groupings(Grouping... groupings) {
            for (Grouping g : groupings) {
                Objects.requireNonNull(g, "groupings");
            }
            this.groupings = groupings.clone();
            return this;
        }

        /**
         * @param tileSize tile size of every inner layer, &gt;= 1, dividing its nIn / G (default: automatic)
         * @return this
         */
        public Builder tileSize(int tileSize) {
            return tileSizes(tileSize);
        }

        /**
         * @param tileSizes tile size of each inner layer (0: automatic), one per width or one for all
         * @return this
         */
        public Builder tileSizes(int... tileSizes) {
            for (int t : tileSizes) {
                if (t < 0) {
                    throw new IllegalArgumentException(who() + ": tile sizes must be >= 1 (or 0 for automatic), got "
                            + Arrays.toString(tileSizes));
                }
            }
            this.tileSizes = tileSizes.clone();
            return this;
        }

        /**
         * @param maskSeed seed of the slot draws (inner layer k uses a seed mixed from it and k; default: derived
         *                 from the network seed and the inner layer's name)
         * @return this
         */
        public Builder maskSeed(long maskSeed) {
            structure.maskSeed(maskSeed);
            return this;
        }

        /**
         * @param names names of the inner layers, one per width, distinct (default: the block's name, a slash and the
         *              position). Seeds not given explicitly derive from them, so a block whose inner layers carry the
         *              names of a stack's layers draws that stack's connections (e.g. "layer0", "layer1", ... for
         *              the first layers of a MultiLayerNetwork)
         * @return this
         */
        public Builder innerNames(String... names) {
            if (names.length != Arrays.stream(names).filter(Objects::nonNull).distinct().count()) {
                throw new IllegalArgumentException(who() + ": inner layer names must be distinct and not null, got "
                        + Arrays.toString(names));
            }
            this.innerNames = names.clone();
            return this;
        }

        private String who() {
            return describe(layerName, -1);
        }

        /**
         * Builds the block after checking combinations of values and every inner layer whose input width is known.
         *
         * @return the block's configuration
         * @throws IllegalArgumentException naming the block, the inner layer and the values when they do not fit
         */
        @Override
        @SuppressWarnings("unchecked")
        public G2GBlock build() {
            if (widths == null) {
                throw new IllegalArgumentException(who() + ": widths must be set (one per inner layer)");
            }
            G2GStructure s = structure.build();
            int depth = widths.length;
            if (nOut > 0 && nOut != widths[depth - 1]) {
                throw new IllegalArgumentException(who() + ": nOut (" + nOut + ") must equal the last width ("
                        + widths[depth - 1] + "); leave nOut unset");
            }
            nOut = widths[depth - 1];
            if (nIn < 0) {
                throw new IllegalArgumentException(who() + ": nIn must be > 0, got " + nIn);
            }
            if (groupings != null && groupings.length == 1 && depth > 1) {
                Grouping g = groupings[0];
                groupings = new Grouping[depth];
                Arrays.fill(groupings, g);
            }
            if (groupings != null && groupings.length != depth) {
                throw new IllegalArgumentException(who() + ": " + groupings.length + " groupings for " + depth
                        + " inner layers");
            }
            if (innerNames != null && innerNames.length != depth) {
                throw new IllegalArgumentException(who() + ": " + innerNames.length + " inner layer names for " + depth
                        + " inner layers");
            }
            if (tileSizes != null && tileSizes.length != 1 && tileSizes.length != depth) {
                throw new IllegalArgumentException(who() + ": " + tileSizes.length + " tile sizes for " + depth
                        + " inner layers (give one for all, or one per layer)");
            }
            G2GBlock block = new G2GBlock(this, s);
            // every inner layer whose nIn is known now (all but the first while nIn comes from the input type)
            for (int k = nIn > 0 ? 0 : 1; k < depth; k++) {
                block.innerLayer(k, who());
            }
            return block;
        }
    }
}
