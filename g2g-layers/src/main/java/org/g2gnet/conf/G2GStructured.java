package org.g2gnet.conf;

import org.g2gnet.topology.ConnectionMask;
import org.g2gnet.topology.G2GStructure;
import org.g2gnet.topology.GroupPartition;
import org.g2gnet.topology.Grouping;
import org.g2gnet.topology.LayerTopology;
import org.nd4j.shade.jackson.annotation.JsonIgnore;

/**
 * A layer configuration that holds a {@link G2GStructure} ({@link G2GDenseLayer}, {@link G2GConvolutionLayer}):
 * the structure's getters and setters, written once. They are the properties its JSON has always had ("groups",
 * "pintra", "pinter", "density", "grouping", "inputGrouping", "maskSeed", "groupingSeed", "inputGroupingSeed",
 * "exactCount"); each setter checks its value as the builder does, naming the layer and the field.
 */
public interface G2GStructured {

    /** @return the layer's structure */
    @JsonIgnore
    G2GStructure getStructure();

    /**
     * @param structure the layer's new structure
     * @throws IllegalArgumentException naming the layer and the field when a value is out of range
     */
    @JsonIgnore
    void setStructure(G2GStructure structure);

    /**
     * The values that define this layer's structure, with its sizes and name, as the topology package resolves them.
     *
     * @return the layer's topology specification
     */
    LayerTopology.Spec topologySpec();

    /**
     * The inter-group probability this layer uses: pInter, or the value solved from the target density for the
     * layer's actual partitions.
     *
     * @param in  input partition
     * @param out output partition
     * @return pInter in [0, 1]
     * @throws IllegalArgumentException when the density is not reachable with pIntra
     */
    default double resolvePInter(GroupPartition in, GroupPartition out) {
        return topologySpec().resolvePInter(in, out);
    }

    /**
     * @param networkSeed the network's seed (for RANDOM groupings without an explicit seed)
     * @return the partition of the nIn inputs (channels)
     */
    default GroupPartition inputPartition(long networkSeed) {
        return topologySpec().inputPartition(networkSeed);
    }

    /**
     * @param networkSeed the network's seed
     * @return the partition of the nOut outputs (channels)
     */
    default GroupPartition outputPartition(long networkSeed) {
        return topologySpec().outputPartition(networkSeed);
    }

    /**
     * Draws this layer's mask, exactly as the parameter initializer does.
     *
     * @param networkSeed the network's seed (NeuralNetConfiguration#getSeed)
     * @return the mask, [nIn, nOut]
     */
    default ConnectionMask generateMask(long networkSeed) {
        return topologySpec().resolve(networkSeed).mask();
    }

    /** @return pIntra / G + pInter (G-1) / G, or the target density when one is set */
    @JsonIgnore
    default double getNominalDensity() {
        return getStructure().nominalDensity();
    }

    /** @return number of groups G */
    default int getGroups() {
        return getStructure().groups();
    }

    /** @param groups number of groups G, &gt;= 1 */
    default void setGroups(int groups) {
        setStructure(getStructure().withGroups(groups));
    }

    /** @return intra-group connection probability */
    default double getPIntra() {
        return getStructure().pIntra();
    }

    /** @param pIntra intra-group connection probability, in [0, 1] */
    default void setPIntra(double pIntra) {
        setStructure(getStructure().withPIntra(pIntra));
    }

    /** @return inter-group connection probability (unused when a density is set) */
    default double getPInter() {
        return getStructure().pInter();
    }

    /** @param pInter inter-group connection probability, in [0, 1] */
    default void setPInter(double pInter) {
        setStructure(getStructure().withPInter(pInter));
    }

    /** @return target density, NaN when pInter is used */
    default double getDensity() {
        return getStructure().density();
    }

    /** @param density target density in (0, 1], NaN for none */
    default void setDensity(double density) {
        setStructure(getStructure().withDensity(density));
    }

    /** @return grouping of the output side */
    default Grouping getGrouping() {
        return getStructure().grouping();
    }

    /** @param grouping grouping of the output side */
    default void setGrouping(Grouping grouping) {
        setStructure(getStructure().withGrouping(grouping));
    }

    /** @return grouping of the input side */
    default Grouping getInputGrouping() {
        return getStructure().inputGrouping();
    }

    /** @param inputGrouping grouping of the input side */
    default void setInputGrouping(Grouping inputGrouping) {
        setStructure(getStructure().withInputGrouping(inputGrouping));
    }

    /** @return explicit mask seed, or null when derived from the network seed and layer name */
    default Long getMaskSeed() {
        return getStructure().maskSeed();
    }

    /** @param maskSeed explicit mask seed, or null */
    default void setMaskSeed(Long maskSeed) {
        setStructure(getStructure().withMaskSeed(maskSeed));
    }

    /** @return explicit seed of a RANDOM output side, or null for one derived from the network seed and layer */
    default Long getGroupingSeed() {
        return getStructure().groupingSeed();
    }

    /** @param groupingSeed explicit seed of a RANDOM output side, or null */
    default void setGroupingSeed(Long groupingSeed) {
        setStructure(getStructure().withGroupingSeed(groupingSeed));
    }

    /** @return explicit seed of a RANDOM input side, or null for one derived from the network seed and layer */
    default Long getInputGroupingSeed() {
        return getStructure().inputGroupingSeed();
    }

    /** @param inputGroupingSeed explicit seed of a RANDOM input side, or null */
    default void setInputGroupingSeed(Long inputGroupingSeed) {
        setStructure(getStructure().withInputGroupingSeed(inputGroupingSeed));
    }

    /** @return whether blocks get exact connection counts (true) or Bernoulli draws */
    default boolean isExactCount() {
        return getStructure().exactCount();
    }

    /** @param exactCount exact counts per block (true) or Bernoulli draws */
    default void setExactCount(boolean exactCount) {
        setStructure(getStructure().withExactCount(exactCount));
    }
}
