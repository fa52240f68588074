package org.g2gnet.topology;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The group labels of one side of a layer, with the members of each group.
 *
 * @param labels group of each neuron, length N, values in [0, groups)
 * @param groups number of groups G
 */
public record GroupPartition(int[] labels, int groups) {

    /**
     * Validates the labels.
     */
    public GroupPartition {
        if (groups < 1) {
            throw new IllegalArgumentException("GroupPartition: groups must be >= 1, got " + groups);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= groups) {
                throw new IllegalArgumentException("GroupPartition: label of neuron " + i + " must be in [0, "
                        + groups + "), got " + labels[i]);
            }
        }
    }

    /**
     * Builds the partition of a side.
     *
     * @param grouping how to assign groups
     * @param n        number of neurons
     * @param groups   number of groups
     * @param seed     seed for RANDOM
     * @return the partition
     */
    public static GroupPartition of(Grouping grouping, int n, int groups, long seed) {
        return new GroupPartition(grouping.labels(n, groups, seed), groups);
    }

    /** @return number of neurons N */
    public int size() {
        return labels.length;
    }

    /** @return the number of neurons in each group, length G */
    public int[] groupSizes() {
        int[] sizes = new int[groups];
        for (int l : labels) {
            sizes[l]++;
        }
        return sizes;
    }

    /**
     * @param g a group, in [0, groups)
     * @return the neuron indices in group g, ascending
     */
    public int[] members(int g) {
        return IntStream.range(0, labels.length).filter(i -> labels[i] == g).toArray();
    }

    /**
     * Number of (input, output) pairs that share a group, i.e. the size of all intra-group blocks together.
     *
     * @param in  input side
     * @param out output side, with the same number of groups
     * @return sum over groups of |in_g| * |out_g|
     */
    public static long intraPairs(GroupPartition in, GroupPartition out) {
        if (in.groups != out.groups) {
            throw new IllegalArgumentException("GroupPartition: input side has " + in.groups
                    + " groups but output side has " + out.groups);
        }
        int[] a = in.groupSizes();
        int[] b = out.groupSizes();
        long s = 0;
        for (int g = 0; g < a.length; g++) {
            s += (long) a[g] * b[g];
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupPartition p && p.groups == groups && Arrays.equals(p.labels, labels);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(labels) + groups;
    }

    @Override
    public String toString() {
        return "GroupPartition[n=" + labels.length + ", groups=" + groups + "]";
    }
}
