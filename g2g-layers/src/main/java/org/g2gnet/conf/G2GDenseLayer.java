package org.g2gnet.conf;

import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

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
import org.g2gnet.topology.ConnectionMask;
import org.g2gnet.topology.GroupPartition;
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
public class G2GDenseLayer extends FeedForwardLayer {
    private static final long serialVersionUID = 1L;

    /** Default number of groups G (the paper's). */
    public static final int DEFAULT_GROUPS = 8;
    /** Default intra-group connection probability (the paper's). */
    public static final double DEFAULT_P_INTRA = 1.0;
    /** Default inter-group connection probability (the paper's). */
    public static final double DEFAULT_P_INTER = 0.15;

    private int groups = DEFAULT_GROUPS;
    private double pIntra = DEFAULT_P_INTRA;
    private double pInter = DEFAULT_P_INTER;
    /** Target density; NaN when pInter is given instead. */
    private double density = Double.NaN;
    private Grouping grouping = Grouping.INDEX;
    private Grouping inputGrouping = Grouping.INDEX;
    /** Seed of the mask draw; null: derived from the network seed and the layer name. */
    private Long maskSeed;
    /** Seed of a RANDOM output side; null: derived from the network seed, the layer name and the side. */
    private Long groupingSeed;
    /** Seed of a RANDOM input side; null: derived from the network seed, the layer name and the side. */
    private Long inputGroupingSeed;
    /**
     * How RANDOM sides get their seed when none is given. True for every layer built by the {@link Builder}: each
     * side of each layer draws its own permutation. False only for configurations written before version 0.2
     * (their JSON lacks the field, and Jackson leaves this initial value): both sides of every layer used the
     * network seed (or the one groupingSeed), which lined consecutive RANDOM layers up. Kept so that such models
     * load with the partitions they were trained with.
     */
    private boolean independentSides;
    private boolean exactCount = true;
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
        return G2GLayerValidation.fromJson(layerName, nIn, nOut, groups, pIntra, pInter, density, grouping,
                inputGrouping, maskSeed, groupingSeed, inputGroupingSeed, independentSides, exactCount, execution,
                tileSize);
    }

    private G2GDenseLayer(Builder b) {
        super(b);
        this.groups = b.groups;
        this.pIntra = b.pIntra;
        this.pInter = b.pInter;
        this.density = b.density;
        this.grouping = b.grouping;
        this.inputGrouping = b.inputGrouping;
        this.maskSeed = b.maskSeed;
        this.groupingSeed = b.groupingSeed;
        this.inputGroupingSeed = b.inputGroupingSeed;
        this.independentSides = true;
        this.exactCount = b.exactCount;
        this.execution = b.execution;
        this.tileSize = b.tileSize;
        initializeConstraints(b);
        excludeMaskFromConstraints();
    }

    /** A constraint such as MaxNorm on "all parameters" must never rescale the 0/1 mask. */
    private void excludeMaskFromConstraints() {
        if (constraints != null) {
            for (LayerConstraint c : constraints) {
                if (c.getParams() != null && (c.getParams().contains(G2GParamInitializer.MASK_KEY)
                        || c.getParams().contains(G2GParamInitializer.INDEX_KEY))) {
                    Set<String> keep = new HashSet<>(c.getParams());
                    keep.remove(G2GParamInitializer.MASK_KEY);
                    keep.remove(G2GParamInitializer.INDEX_KEY);
                    c.setParams(keep);
                }
            }
        }
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
                             int layerIndex, INDArray layerParamsView, boolean initializeParams,
                             DataType networkDataType) {
        LayerValidation.assertNInNOutSet("G2GDenseLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        validateShape(describe(getLayerName(), layerIndex), nIn, nOut);
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
        if (G2GParamInitializer.MASK_KEY.equals(paramName) || G2GParamInitializer.INDEX_KEY.equals(paramName)) {
            return new NoOp();
        }
        return super.getUpdaterByParam(paramName);
    }

    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        if (G2GParamInitializer.MASK_KEY.equals(paramName) || G2GParamInitializer.INDEX_KEY.equals(paramName)) {
            return Collections.emptyList();
        }
        return super.getRegularizationByParam(paramName);
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

    /**
     * The values that define this layer's structure, as a plain record the topology package resolves.
     *
     * @return the layer's topology specification
     */
    public LayerTopology.Spec topologySpec() {
        return new LayerTopology.Spec(describe(layerName, -1), layerName, nIn, nOut, groups, pIntra, pInter, density,
                inputGrouping, grouping, maskSeed, inputGroupingSeed, groupingSeed, independentSides, exactCount,
                tileSize);
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
     * The inter-group probability this layer uses: pInter, or the value solved from the target density
     * for the layer's actual partitions.
     *
     * @param in  input partition
     * @param out output partition
     * @return pInter in [0, 1]
     * @throws IllegalArgumentException when the density is not reachable with pIntra
     */
    public double resolvePInter(GroupPartition in, GroupPartition out) {
        return topologySpec().resolvePInter(in, out);
    }

    /**
     * Partition of the input side.
     *
     * @param networkSeed the network's seed (for RANDOM groupings without an explicit groupingSeed)
     * @return the partition of nIn neurons
     */
    public GroupPartition inputPartition(long networkSeed) {
        return topologySpec().inputPartition(networkSeed);
    }

    /**
     * Partition of the output side.
     *
     * @param networkSeed the network's seed
     * @return the partition of nOut neurons
     */
    public GroupPartition outputPartition(long networkSeed) {
        return topologySpec().outputPartition(networkSeed);
    }

    /**
     * Draws this layer's mask, exactly as the parameter initializer does.
     *
     * @param networkSeed the network's seed (NeuralNetConfiguration#getSeed)
     * @return the mask
     */
    public ConnectionMask generateMask(long networkSeed) {
        return topology(networkSeed).mask();
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
        c.maskSeed = spec.maskSeed(networkSeed);
        c.groupingSeed = spec.sideSeed(networkSeed, false);
        c.inputGroupingSeed = spec.sideSeed(networkSeed, true);
        c.independentSides = true;
        return c;
    }

    static String describe(String name, long layerIndex) {
        StringBuilder sb = new StringBuilder("G2GDenseLayer");
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
                    + Math.min(nIn, nOut) + "] for nIn " + nIn + " and nOut " + nOut + ", got " + groups);
        }
        if (nIn > Integer.MAX_VALUE || nOut > Integer.MAX_VALUE || nIn * nOut > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(who + ": nIn * nOut must fit in an int array, got nIn " + nIn
                    + " and nOut " + nOut);
        }
    }

    // ---------------------------------------------------------------- getters / setters (Jackson uses them)

    /** @return number of groups G */
    public int getGroups() {
        return groups;
    }

    /** @param groups number of groups G, &gt;= 1 */
    public void setGroups(int groups) {
        this.groups = G2GLayerValidation.groups(describe(layerName, -1), groups);
    }

    /** @return intra-group connection probability */
    public double getPIntra() {
        return pIntra;
    }

    /** @param pIntra intra-group connection probability, in [0, 1] */
    public void setPIntra(double pIntra) {
        this.pIntra = G2GLayerValidation.probability(describe(layerName, -1), "pIntra", pIntra);
    }

    /** @return inter-group connection probability (ignored when a density is set) */
    public double getPInter() {
        return pInter;
    }

    /** @param pInter inter-group connection probability, in [0, 1] */
    public void setPInter(double pInter) {
        this.pInter = G2GLayerValidation.probability(describe(layerName, -1), "pInter", pInter);
    }

    /** @return target density, NaN when pInter is used */
    public double getDensity() {
        return density;
    }

    /** @param density target density in (0, 1], NaN for none */
    public void setDensity(double density) {
        this.density = Double.isNaN(density) ? density : G2GLayerValidation.density(describe(layerName, -1), density);
    }

    /** @return grouping of the output side */
    public Grouping getGrouping() {
        return grouping;
    }

    /** @param grouping grouping of the output side */
    public void setGrouping(Grouping grouping) {
        this.grouping = grouping;
    }

    /** @return grouping of the input side */
    public Grouping getInputGrouping() {
        return inputGrouping;
    }

    /** @param inputGrouping grouping of the input side */
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

    /** @return explicit seed of a RANDOM output side, or null for one derived from the network seed and layer */
    public Long getGroupingSeed() {
        return groupingSeed;
    }

    /** @param groupingSeed explicit seed of a RANDOM output side, or null */
    public void setGroupingSeed(Long groupingSeed) {
        this.groupingSeed = groupingSeed;
    }

    /** @return explicit seed of a RANDOM input side, or null for one derived from the network seed and layer */
    public Long getInputGroupingSeed() {
        return inputGroupingSeed;
    }

    /** @param inputGroupingSeed explicit seed of a RANDOM input side, or null */
    public void setInputGroupingSeed(Long inputGroupingSeed) {
        this.inputGroupingSeed = inputGroupingSeed;
    }

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

    /** @return whether blocks get exact connection counts (true) or Bernoulli draws */
    public boolean isExactCount() {
        return exactCount;
    }

    /** @param exactCount exact counts per block (true) or Bernoulli draws */
    public void setExactCount(boolean exactCount) {
        this.exactCount = exactCount;
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

    /** @return pIntra / G + pInter (G-1) / G, or the target density when one is set */
    @JsonIgnore
    public double getNominalDensity() {
        return Double.isNaN(density) ? ConnectionMask.nominalDensity(groups, pIntra, pInter) : density;
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
        return groups == other.groups && Double.compare(pIntra, other.pIntra) == 0
                && Double.compare(pInter, other.pInter) == 0 && Double.compare(density, other.density) == 0
                && grouping == other.grouping && inputGrouping == other.inputGrouping
                && Objects.equals(maskSeed, other.maskSeed) && Objects.equals(groupingSeed, other.groupingSeed)
                && Objects.equals(inputGroupingSeed, other.inputGroupingSeed) && independentSides == other.independentSides
                && exactCount == other.exactCount && execution == other.execution && tileSize == other.tileSize;
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof G2GDenseLayer;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), groups, pIntra, pInter, density, grouping, inputGrouping, maskSeed,
                groupingSeed, inputGroupingSeed, independentSides, exactCount, execution, tileSize);
    }

    @Override
    public String toString() {
        return "G2GDenseLayer(name=" + layerName + ", nIn=" + nIn + ", nOut=" + nOut + ", groups=" + groups
                + ", pIntra=" + pIntra + ", " + (Double.isNaN(density) ? "pInter=" + pInter : "density=" + density)
                + ", grouping=" + grouping + ", inputGrouping=" + inputGrouping + ", exactCount=" + exactCount
                + ", execution=" + execution + (execution == Execution.STRUCTURED ? ", tileSize=" + tileSize : "") + ")";
    }

    /**
     * Builder of {@link G2GDenseLayer}. Setters validate their value at once; {@link #build()} checks
     * combinations.
     */
    public static class Builder extends FeedForwardLayer.Builder<Builder> {
        private int groups = DEFAULT_GROUPS;
        private double pIntra = DEFAULT_P_INTRA;
        private double pInter = DEFAULT_P_INTER;
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
        private Execution execution = Execution.MASKED;
        private int tileSize;

        /** A builder with the paper's defaults (G = 8, pIntra = 1, pInter = 0.15, INDEX groupings). */
        public Builder() {
        }

        /**
         * @param groups number of groups G, &gt;= 1 (and at most min(nIn, nOut), checked in build)
         * @return this
         */
        public Builder groups(int groups) {
            this.groups = G2GLayerValidation.groups(who(), groups);
            return this;
        }

        /**
         * @param pIntra probability of a connection inside a group, in [0, 1]
         * @return this
         */
        public Builder pIntra(double pIntra) {
            this.pIntra = checkUnit("pIntra", pIntra);
            this.pIntraSet = true;
            return this;
        }

        /**
         * @param pInter probability of a connection between groups, in [0, 1]
         * @return this
         */
        public Builder pInter(double pInter) {
            this.pInter = checkUnit("pInter", pInter);
            this.pInterSet = true;
            return this;
        }

        /**
         * Target density instead of pInter: pInter is solved with pIntra fixed.
         *
         * @param density fraction of active connections, in (0, 1]
         * @return this
         */
        public Builder density(double density) {
            this.density = G2GLayerValidation.density(who(), density);
            return this;
        }

        /**
         * The share of the active connections that lie inside groups, with {@link #density}: sets pIntra = s d G
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
         * @param grouping grouping of the output side (default INDEX); see {@link Grouping#mixer(int)}
         * @return this
         */
        public Builder grouping(Grouping grouping) {
            this.grouping = Objects.requireNonNull(grouping, "grouping");
            return this;
        }

        /**
         * @param inputGrouping grouping of the input side (default INDEX). In the paper a grouping belongs to a layer
         *                      and applies to both its sides ({@link org.g2gnet.G2GNetworks#stack}); to line pathways
         *                      up by hand instead, give layer k + 1 the output grouping (and, for RANDOM, the
         *                      output {@link #groupingSeed} as {@link #inputGroupingSeed}) of layer k
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
         *                     and the side, so that every side of every layer has its own permutation)
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
         * @param exactCount true (default): exactly round(p * |block|) connections per group block;
         *                   false: independent Bernoulli draws
         * @return this
         */
        public Builder exactCount(boolean exactCount) {
            this.exactCount = exactCount;
            return this;
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

        private double checkUnit(String field, double v) {
            return G2GLayerValidation.probability(who(), field, v);
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
            pIntra = G2GLayerValidation.pIntraOfBuilder(who(), intraShare, pIntraSet, pIntra, density, groups);
            if (pInterSet && !Double.isNaN(density)) {
                throw new IllegalArgumentException(who() + ": set either pInter (" + pInter + ") or density ("
                        + density + "), not both");
            }
            if (nIn < 0 || nOut < 0) {
                throw new IllegalArgumentException(who() + ": nIn and nOut must be > 0, got nIn " + nIn
                        + " and nOut " + nOut);
            }
            if (nIn > 0 && nOut > 0 && groups > Math.min(nIn, nOut)) {
                throw new IllegalArgumentException(who() + ": groups must be in [1, min(nIn, nOut)] = [1, "
                        + Math.min(nIn, nOut) + "] for nIn " + nIn + " and nOut " + nOut + ", got " + groups);
            }
            G2GDenseLayer layer = new G2GDenseLayer(this);
            if (execution == Execution.STRUCTURED && nIn > 0 && nOut > 0) {
                layer.topologySpec().checkStructured(who(), 0);
            }
            if (!Double.isNaN(density)) {
                if (nIn > 0 && nOut > 0) {
                    layer.resolvePInter(layer.inputPartition(0), layer.outputPartition(0));
                } else {
                    // nIn not known yet (set from the input type later): check against balanced groups
                    layer.topologySpec().checkDensityOfBalancedGroups();
                }
            }
            G2GLayerValidation.checkComplete(layer, who());
            return layer;
        }
    }
}
