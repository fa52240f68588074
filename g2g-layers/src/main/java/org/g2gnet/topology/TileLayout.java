package org.g2gnet.topology;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The structure of a G2G layer in structured execution: inputs and outputs are each ordered group by group
 * (group-major); input group g is cut into tiles of T neurons; output group g reads its own input group
 * (all {@code nIn / G} inputs) and {@code c} tiles of other groups ("slots"). Every output group therefore
 * has the same fan-in K = nIn / G + c T, which makes the whole layer one batched GEMM over groups.
 *
 * <p>The slot assignment is an int array [G][c] of input tile ids; {@link #inputIndex(int[][])} turns it
 * into the K input columns (original neuron indices) of every group. Tile t covers the group-major input
 * positions [t T, (t + 1) T) and belongs to input group t / (nIn / G / T).</p>
 *
 * @param in     input partition
 * @param out    output partition
 * @param tile   tile size T
 * @param slots  inter-group tiles per output group, c
 */
public record TileLayout(GroupPartition in, GroupPartition out, int tile, int slots) {

    /** Validates the shape. */
    public TileLayout {
        int g = in.groups();
        if (out.groups() != g) {
            throw new IllegalArgumentException("TileLayout: input and output sides need the same number of groups, got "
                    + g + " and " + out.groups());
        }
        if (in.size() % g != 0 || out.size() % g != 0) {
            throw new IllegalArgumentException("structured execution needs the number of groups (" + g
                    + ") to divide nIn (" + in.size() + ") and nOut (" + out.size() + ")");
        }
        if (tile < 1 || (in.size() / g) % tile != 0) {
            throw new IllegalArgumentException("structured execution needs the tile size to divide the input group size "
                    + (in.size() / g) + ", got " + tile);
        }
        int maxSlots = (g - 1) * (in.size() / g / tile);
        if (slots < 0 || slots > maxSlots) {
            throw new IllegalArgumentException("structured execution: inter-group tiles per output group must be in [0, "
                    + maxSlots + "], got " + slots);
        }
    }

    /**
     * The layout closest to an inter-group probability: c = round(pInter (nIn - nIn / G) / T).
     *
     * @param in     input partition
     * @param out    output partition
     * @param tile   tile size
     * @param pInter inter-group connection probability
     * @return the layout
     */
    public static TileLayout of(GroupPartition in, GroupPartition out, int tile, double pInter) {
        int g = in.groups();
        int others = in.size() - in.size() / Math.max(1, g);
        return new TileLayout(in, out, tile, (int) Math.round(pInter * others / Math.max(1, tile)));
    }

    /** @return the number of groups G */
    public int groups() {
        return in.groups();
    }

    /** @return inputs per group */
    public int inGroupSize() {
        return in.size() / groups();
    }

    /** @return outputs per group */
    public int outGroupSize() {
        return out.size() / groups();
    }

    /** @return fan-in of every output, K = nIn / G + c T */
    public int fanIn() {
        return inGroupSize() + slots * tile;
    }

    /** @return tiles per input group */
    public int tilesPerGroup() {
        return inGroupSize() / tile;
    }

    /** @return total input tiles */
    public int tiles() {
        return in.size() / tile;
    }

    /** @return the input group a tile belongs to */
    public int groupOfTile(int t) {
        return t / tilesPerGroup();
    }

    /** @return active connections / (nIn nOut) */
    public double density() {
        return fanIn() / (double) in.size();
    }

    /** @return input neuron indices in group-major order (group 0's members, then group 1's, ...) */
    public int[] inputOrder() {
        return groupMajor(in);
    }

    /** @return output neuron indices in group-major order */
    public int[] outputOrder() {
        return groupMajor(out);
    }

    /**
     * @param order a permutation, e.g. {@link #inputOrder()}
     * @return its inverse: {@code position[order[p]] = p}
     */
    public static int[] inverse(int[] order) {
        int[] position = new int[order.length];
        for (int p = 0; p < order.length; p++) {
            position[order[p]] = p;
        }
        return position;
    }

    private static int[] groupMajor(GroupPartition p) {
        int[] order = new int[p.size()];
        int k = 0;
        for (int g = 0; g < p.groups(); g++) {
            for (int m : p.members(g)) {
                order[k++] = m;
            }
        }
        return order;
    }

    /**
     * A random initial slot assignment: for every output group, c distinct tiles of other groups.
     *
     * @param seed seed
     * @return slots [G][c] of tile ids
     */
    public int[][] randomSlots(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[][] s = new int[groups()][slots];
        for (int g = 0; g < groups(); g++) {
            List<Integer> candidates = new ArrayList<>();
            for (int t = 0; t < tiles(); t++) {
                if (groupOfTile(t) != g) {
                    candidates.add(t);
                }
            }
            for (int j = 0; j < slots; j++) {
                int pick = j + rng.nextInt(candidates.size() - j);
                Collections.swap(candidates, j, pick);
                s[g][j] = candidates.get(j);
            }
        }
        return s;
    }

    /**
     * The input columns every output group reads, in slot order: its own group, then each slot's tile.
     *
     * @param slots [G][c] tile ids
     * @return [G][K] original input neuron indices
     */
    public int[][] inputIndex(int[][] slots) {
        checkSlots(slots);
        int[] order = inputOrder();
        int ng = inGroupSize();
        int[][] idx = new int[groups()][fanIn()];
        for (int g = 0; g < groups(); g++) {
            System.arraycopy(order, g * ng, idx[g], 0, ng);
            for (int j = 0; j < slots[g].length; j++) {
                System.arraycopy(order, slots[g][j] * tile, idx[g], ng + j * tile, tile);
            }
        }
        return idx;
    }

    /**
     * Recovers the slot tiles from an input index (the inverse of {@link #inputIndex}).
     *
     * @param index [G][K] input neuron indices
     * @return [G][c] tile ids
     * @throws IllegalArgumentException when the index is not a valid layout
     */
    public int[][] slotsOf(int[][] index) {
        int[] position = inverse(inputOrder());
        int ng = inGroupSize();
        int[][] slots = new int[groups()][this.slots];
        for (int g = 0; g < groups(); g++) {
            for (int j = 0; j < this.slots; j++) {
                int first = position[index[g][ng + j * tile]];
                if (first % tile != 0) {
                    throw new IllegalArgumentException("slot " + j + " of group " + g + " does not start a tile");
                }
                slots[g][j] = first / tile;
            }
        }
        if (!Arrays.deepEquals(inputIndex(slots), index)) {
            throw new IllegalArgumentException("the input index is not a valid tile layout");
        }
        return slots;
    }

    /** Checks that every group's slots are distinct tiles of other groups. */
    public void checkSlots(int[][] slots) {
        if (slots.length != groups()) {
            throw new IllegalArgumentException("expected slots for " + groups() + " groups, got " + slots.length);
        }
        for (int g = 0; g < groups(); g++) {
            if (slots[g].length != this.slots) {
                throw new IllegalArgumentException("group " + g + " has " + slots[g].length + " slots, expected " + this.slots);
            }
            boolean[] seen = new boolean[tiles()];
            for (int t : slots[g]) {
                if (t < 0 || t >= tiles() || groupOfTile(t) == g || seen[t]) {
                    throw new IllegalArgumentException("group " + g + ": slot tile " + t
                            + " is out of range, of its own group, or used twice");
                }
                seen[t] = true;
            }
        }
    }

    /**
     * The equivalent 0/1 mask in DL4J's orientation.
     *
     * @param slots [G][c] tile ids
     * @return the mask [nIn, nOut]
     */
    public ConnectionMask mask(int[][] slots) {
        int[][] idx = inputIndex(slots);
        int[] outOrder = outputOrder();
        int nIn = in.size();
        float[] m = new float[nIn * out.size()];
        int mg = outGroupSize();
        for (int g = 0; g < groups(); g++) {
            for (int j = 0; j < mg; j++) {
                int o = outOrder[g * mg + j];
                for (int i : idx[g]) {
                    m[i + o * nIn] = 1f;
                }
            }
        }
        return new ConnectionMask(nIn, out.size(), m);
    }
}
