package org.g2gnet.conf;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.api.layers.LayerConstraint;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.g2gnet.layers.G2GBaseLayer;
import org.g2gnet.layers.G2GDenseLayerImpl;
import org.g2gnet.layers.G2GStructuredLayerImpl;
import org.g2gnet.topology.G2GStructure;
import org.g2gnet.topology.Grouping;
import org.g2gnet.topology.LayerTopology;
import org.g2gnet.topology.TileLayout;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A sparse "group-to-group" dense layer: {@code out = activation(x (W * M) + b)} where the 0/1 mask M
 * connects G groups of inputs to G groups of outputs, densely (probability pIntra) inside a group and
 * sparsely (probability pInter) across groups. A drop-in replacement for DL4J's {@code DenseLayer}:
 * <pre>{@code
 * new G2GDenseLayer.Builder().nIn(784).nOut(1024).activation(Activation.RELU)
 *         .groups(8).pIntra(1.0).pInter(0.15)          // or .density(0.25)
 *         .grouping(Grouping.INDEX).build();
 * }</pre>
 * Parameters: {@code W} [nIn, nOut], {@code b} [nOut] and the mask {@code M} [nIn, nOut] (values 0/1,
 * no updater, no regularisation, zero gradient), so the mask travels with the model through JSON,
 * {@code ModelSerializer}, {@code clone()} and workspaces. DL4J's {@code numParams()} counts M; use
 * {@link org.g2gnet.G2GNetworks#sparsityReport} for counts that do not.
 *
 * <p>Validation is eager: builder setters reject values out of range and {@link Builder#build()} rejects
 * combinations (a density that pIntra makes unreachable, more groups than neurons, a mask with no connection, a
 * layer larger than its arrays can hold), naming the layer, the field, the allowed range and the value. A
 * configuration read from JSON goes through the builder, so it fails at deserialisation with the same messages;
 * {@code init()} checks again once nIn is known and refuses a layer that does not fit in memory before allocating
 * it (see {@link G2GLayerValidation} and {@link LayerMemory}).</p>
 */
public class G2GDenseLayer extends FeedForwardLayer implements G2GStructured {
    private static final long serialVersionUID = 1L;

    /** Default number of groups G (the paper's). */
    public static final int DEFAULT_GROUPS = G2GStructure.DEFAULT_GROUPS;
    /** Default intra-group connection probability (the paper's). */
    public static final double DEFAULT_P_INTRA = G2GStructure.DEFAULT_P_INTRA;
    /** Default inter-group connection probability (the paper's). */
    public static final double DEFAULT_P_INTER = G2GStructure.DEFAULT_P_INTER;

    private G2GStructure structure = G2GStructure.DEFAULT;
    /**
     * How RANDOM sides get their seed when none is given. True for every layer built by the {@link Builder}: each
     * side of each layer draws its own permutation. False only for configurations written before version 0.2
     * (their JSON lacks the field, and Jackson leaves this initial value): both sides of every layer used the
     * network seed (or the one groupingSeed), which lined consecutive RANDOM layers up. Kept so that such models
     * load with the partitions they were trained with.
     */
    private boolean independentSides;
    private Execution execution = Execution.MASKED;
    /** Tile size of structured execution; 0: the largest divisor of nIn / G that is at most nIn / (4 G). */
    private int tileSize;

    /** For DL4J's clone; use the {@link Builder}. */
    public G2GDenseLayer() {
    }

    /** Jackson's way in: through the builder, so that JSON is checked as the builder checks (same messages). */
    @JsonCreator
    private static G2GDenseLayer fromJson(@JsonProperty("layerName") String layerName, @JsonProperty("nin") Long nIn,
            @JsonProperty("nout") Long nOut, @JsonProperty("groups") Integer groups,
            @JsonProperty("pintra") Double pIntra, @JsonProperty("pinter") Double pInter,
            @JsonProperty("density") Double density, @JsonProperty("grouping") Grouping grouping,
            @JsonProperty("inputGrouping") Grouping inputGrouping, @JsonProperty("maskSeed") Long maskSeed,
            @JsonProperty("groupingSeed") Long groupingSeed, @JsonProperty("inputGroupingSeed") Long inputGroupingSeed,
            @JsonProperty("independentSides") Boolean independentSides, @JsonProperty("exactCount") Boolean exactCount,
            @JsonProperty("execution") Execution execution, @JsonProperty("tileSize") Integer tileSize) {
        Builder b = new Builder().name(layerName);
        G2GStructure written = G2GLayerValidation.structureFromJson(b.structure(), groups, pIntra, pInter, density,
                grouping, inputGrouping, maskSeed, groupingSeed, inputGroupingSeed, exactCount);
        G2GDenseLayer l = new G2GDenseLayer();
        G2GLayerValidation.sizesFromJson(b, l, nIn, nOut);
        if (execution != null) {
            l.execution = b.execution(execution).execution;
        }
        if (tileSize != null && tileSize != 0) {
            l.tileSize = b.tileSize(tileSize).tileSize;
        }
        b.build();
        l.setLayerName(layerName);
        l.structure = written;
        l.independentSides = independentSides != null && independentSides;
        return l;
    }

    private G2GDenseLayer(Builder b, G2GStructure structure) {
        super(b);
        this.structure = structure;
        this.independentSides = true;
        this.execution = b.execution;
        this.tileSize = b.tileSize;
        initializeConstraints(b);
        StructureParams.excludeFromConstraints(constraints);
    }

    @Override
    public void setConstraints(List<LayerConstraint> constraints) {
        super.setConstraints(StructureParams.excludeFromConstraints(constraints));
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
                             int layerIndex, INDArray layerParamsView, boolean initializeParams,
                             DataType networkDataType) {
        LayerValidation.assertNInNOutSet("G2GDenseLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        G2GLayerValidation.checkShape(describe(getLayerName(), layerIndex), nIn, nOut, getGroups(), "", "");
        G2GBaseLayer layer;
        if (execution == Execution.BLOCK) {
            throw new IllegalArgumentException(describe(getLayerName(), layerIndex) + ": execution BLOCK applies to a "
                    + "stack of layers: build a G2GBlock instead of G2GDenseLayers");
        }
        if (execution == Execution.STRUCTURED) {
            topologySpec().checkStructured(describe(getLayerName(), layerIndex), conf.getSeed());
            layer = new G2GStructuredLayerImpl(conf, networkDataType);
        } else {
            layer = new G2GDenseLayerImpl(conf, networkDataType);
        }
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        layer.setParamTable(initializer().init(conf, layerParamsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return G2GParamInitializer.getInstance();
    }

    @Override
    public IUpdater getUpdaterByParam(String paramName) {
        return StructureParams.isStructure(paramName) ? new NoOp() : super.getUpdaterByParam(paramName);
    }

    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        return StructureParams.isStructure(paramName) ? List.of() : super.getRegularizationByParam(paramName);
    }

    /**
     * Memory use in DL4J's terms. Masked execution: W, b and M, updater state for W and b, and the effective
     * weight W * M in one [nIn, nOut] buffer. Structured execution: compact W [G, K, nOut / G], b and the index
     * I [G, K], updater state for W and b, the gather index and its copy (2 G K), and per example the transposed
     * input (nIn), the gathered inputs (G K) and the outputs (nOut), twice that in training (the backward pass
     * has the same three shapes).
     */
    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType outputType = getOutputType(-1, inputType);
        long numParams = initializer().numParams(this);
        long trainVariable = outputType.arrayElementsPerExample();
        if (getIDropout() != null) {
            trainVariable += inputType.arrayElementsPerExample();
        }
        LayerMemoryReport.Builder report = new LayerMemoryReport.Builder(layerName, G2GDenseLayer.class, inputType,
                outputType);
        if (execution == Execution.STRUCTURED) {
            TileLayout t = tileLayout(0); // the shape does not depend on the seed
            long gk = (long) t.groups() * t.fanIn();
            long perExample = nIn + gk + nOut;
            report.standardMemory(numParams, getIUpdater().stateSize(gk * t.outGroupSize() + nOut))
                    .workingMemory(2 * gk, perExample, 2 * gk, trainVariable + 2 * perExample);
        } else {
            report.standardMemory(numParams, getIUpdater().stateSize(nIn * nOut + nOut))
                    .workingMemory(0, 0, nIn * nOut, trainVariable);
        }
        return report.cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS).build();
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

    @Override
    public LayerTopology.Spec topologySpec() {
        return structure.spec(describe(layerName, -1), layerName, nIn, nOut, independentSides, tileSize);
    }

    /**
     * This layer's structure in a network with the given seed.
     *
     * @param networkSeed the network's seed (NeuralNetConfiguration#getSeed)
     * @return partitions, resolved pInter, mask seed and tile size
     */
    public LayerTopology topology(long networkSeed) {
        return topologySpec().resolve(networkSeed);
    }

    /**
     * The tile layout of structured execution.
     *
     * @param networkSeed the network's seed
     * @return the layout (tile size, inter-group tiles per output group)
     */
    public TileLayout tileLayout(long networkSeed) {
        return topology(networkSeed).tileLayout();
    }

    /**
     * The initial slot tiles of structured execution, drawn with the mask seed.
     *
     * @param networkSeed the network's seed
     * @return [G][c] tile ids
     */
    public int[][] initialSlots(long networkSeed) {
        return topology(networkSeed).initialSlots();
    }

    /** @return the tile size of structured execution (resolving 0 to the default) */
    @JsonIgnore
    public int getEffectiveTileSize() {
        return topologySpec().effectiveTileSize();
    }

    /**
     * A copy whose mask seed and both side seeds are explicit, set to what this layer derives from the network
     * seed and its name: the copy draws the same partitions and connections in any network, under any name and
     * at any position (e.g. the layers of a {@link G2GBlock} laid out as a stack of their own).
     *
     * @param networkSeed the network's seed
     * @return the copy
     */
    public G2GDenseLayer withResolvedSeeds(long networkSeed) {
        LayerTopology.Spec spec = topologySpec();
        G2GDenseLayer c = clone();
        c.structure = structure.withMaskSeed(spec.maskSeed(networkSeed))
                .withGroupingSeed(spec.sideSeed(networkSeed, false))
                .withInputGroupingSeed(spec.sideSeed(networkSeed, true));
        c.independentSides = true;
        return c;
    }

    static String describe(String name, long layerIndex) {
        return G2GLayerValidation.describe("G2GDenseLayer", name, layerIndex);
    }

    // ---------------------------------------------------------------- getters / setters (Jackson uses them)

    /**
     * @return true when each side's RANDOM permutation has its own seed (every layer built since version 0.2);
     *         false for configurations written before (both sides used the network seed)
     */
    public boolean isIndependentSides() {
        return independentSides;
    }

    /** @param independentSides see {@link #isIndependentSides()} */
    public void setIndependentSides(boolean independentSides) {
        this.independentSides = independentSides;
    }

    /** @return how the layer computes */
    public Execution getExecution() {
        return execution;
    }

    /** @param execution how the layer computes */
    public void setExecution(Execution execution) {
        this.execution = execution;
    }

    /** @return tile size of structured execution (0: automatic) */
    public int getTileSize() {
        return tileSize;
    }

    /** @param tileSize tile size of structured execution, &gt;= 1 (0: automatic) */
    public void setTileSize(int tileSize) {
        this.tileSize = tileSize == 0 ? 0 : G2GLayerValidation.tileSize(describe(layerName, -1), tileSize);
    }

    @Override
    public G2GDenseLayer clone() {
        return (G2GDenseLayer) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof G2GDenseLayer other) || !super.equals(o)) {
            return false;
        }
        return structure.equals(other.structure) && independentSides == other.independentSides
                && execution == other.execution && tileSize == other.tileSize;
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof G2GDenseLayer;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), structure, independentSides, execution, tileSize);
    }

    @Override
    public String toString() {
        return "G2GDenseLayer(name=" + layerName + ", nIn=" + nIn + ", nOut=" + nOut + ", " + structure.describe()
                + ", execution=" + execution + (execution == Execution.STRUCTURED ? ", tileSize=" + tileSize : "") + ")";
    }

    /**
     * Builder of {@link G2GDenseLayer}. Setters validate their value at once; {@link #build()} checks
     * combinations.
     */
    public static class Builder extends FeedForwardLayer.Builder<Builder> implements G2GStructureBuilder<Builder> {
        private final G2GStructure.Builder structure = new G2GStructure.Builder(this::who);
        private Execution execution = Execution.MASKED;
        private int tileSize;

        /** A builder with the paper's defaults (G = 8, pIntra = 1, pInter = 0.15, INDEX groupings). */
        public Builder() {
        }

        @Override
        public G2GStructure.Builder structure() {
            return structure;
        }

        /**
         * @param execution MASKED (default: any mask) or STRUCTURED (compact storage, batched GEMMs, inter-group
         *                  links at tile granularity); BLOCK is rejected (see {@link G2GBlock})
         * @return this
         */
        public Builder execution(Execution execution) {
            if (execution == Execution.BLOCK) {
                throw new IllegalArgumentException(who() + ": execution BLOCK applies to a stack of layers: build a "
                        + "G2GBlock instead of G2GDenseLayers");
            }
            this.execution = Objects.requireNonNull(execution, "execution");
            return this;
        }

        /**
         * @param tileSize tile size of structured execution, &gt;= 1, dividing nIn / G (default: automatic)
         * @return this
         */
        public Builder tileSize(int tileSize) {
            this.tileSize = G2GLayerValidation.tileSize(who(), tileSize);
            return this;
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
        public G2GDenseLayer build() {
            G2GStructure s = structure.build();
            G2GLayerValidation.checkSizes(who(), nIn, nOut, s.groups(), "");
            G2GDenseLayer layer = new G2GDenseLayer(this, s);
            if (execution == Execution.STRUCTURED && nIn > 0 && nOut > 0) {
                layer.topologySpec().checkStructured(who(), 0);
            }
            G2GLayerValidation.checkDensityReachable(layer, nIn, nOut);
            G2GLayerValidation.checkComplete(layer, who());
            return layer;
        }
    }
}
