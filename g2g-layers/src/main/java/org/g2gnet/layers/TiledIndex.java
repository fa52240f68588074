package org.g2gnet.layers;

import java.util.ArrayList;
import java.util.List;

import org.g2gnet.arrays.HostArrays;
import org.g2gnet.arrays.Workspaces;
import org.g2gnet.topology.TileLayout;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.shape.Gather;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * What a layer in structured execution (the structured dense layer, an inner layer of a block) derives from its
 * input index I [G, K], and the backward pass's tile sum that uses it: the index on the host, the slot tiles, the
 * gather index (each group's K inputs as rows of the array the layer gathers from) and the rounds of the
 * backward scatter. Rebuilt only when I changed, which is decided on the device (one comparison with the copy of
 * the last rebuild, a scalar back), so a pass copies nothing between device and host unless I changed; then I is
 * read once.
 */
final class TiledIndex {
    /** Chunk size (T B values) from which the backward tile sum adds the slot chunks in place, one by one. */
    static final long IN_PLACE_FROM = 16384;

    private final TileLayout layout;
    /** Row of input neuron n in the array the layer gathers from. */
    private final int[] rowOf;

    private INDArray last;
    private int[][] index;
    private int[][] slots;
    private INDArray gather;
    /** Per round of the backward scatter: slot chunks of dXg (rows of [G K / T, T B]) and their distinct tiles. */
    private INDArray[] roundChunks;
    private INDArray[] roundTiles;

    /**
     * @param layout the layer's tile layout
     * @param rowOf  row of each input neuron in the array the layer gathers from
     */
    TiledIndex(TileLayout layout, int[] rowOf) {
        this.layout = layout;
        this.rowOf = rowOf;
    }

    /**
     * Rebuilds what derives from the index when it changed since the last call.
     *
     * @param current the index parameter I [G, K]
     */
    void refresh(INDArray current) {
        if (last != null && current.distance1(last) == 0) {
            return;
        }
        int g = layout.groups();
        int k = layout.fanIn();
        float[] v = HostArrays.toFloatsC(current);
        int[][] idx = new int[g][k];
        int[] rows = new int[g * k];
        for (int i = 0; i < g; i++) {
            for (int j = 0; j < k; j++) {
                idx[i][j] = (int) v[i * k + j];
                rows[i * k + j] = rowOf[idx[i][j]];
            }
        }
        slots = layout.slotsOf(idx);
        buildRounds();
        gather = HostArrays.ints(rows);
        index = idx;
        if (last == null) {
            last = Workspaces.detached(() -> current.dup('c'));
        } else {
            last.assign(current);
        }
    }

    /**
     * Slot chunks in rounds of distinct tiles: a chunk goes to the first round its tile is not in yet, so the
     * readers of a tile are added in slot order.
     */
    private void buildRounds() {
        int perGroup = layout.fanIn() / layout.tile();
        int own = layout.tilesPerGroup();
        List<List<int[]>> rounds = new ArrayList<>();
        List<boolean[]> used = new ArrayList<>();
        for (int i = 0; i < layout.groups(); i++) {
            for (int j = 0; j < layout.slots(); j++) {
                int tile = slots[i][j];
                int round = 0;
                while (round < rounds.size() && used.get(round)[tile]) {
                    round++;
                }
                if (round == rounds.size()) {
                    rounds.add(new ArrayList<>());
                    used.add(new boolean[layout.tiles()]);
                }
                rounds.get(round).add(new int[] {i * perGroup + own + j, tile});
                used.get(round)[tile] = true;
            }
        }
        roundChunks = new INDArray[rounds.size()];
        roundTiles = new INDArray[rounds.size()];
        for (int r = 0; r < rounds.size(); r++) {
            roundChunks[r] = HostArrays.ints(rounds.get(r).stream().mapToInt(c -> c[0]).toArray());
            roundTiles[r] = HostArrays.ints(rounds.get(r).stream().mapToInt(c -> c[1]).toArray());
        }
    }

    /** @return the index [G][K] as of the last refresh (the helper's own array: copy before handing it out) */
    int[][] index() {
        return index;
    }

    /** @return the slot tiles [G][c] as of the last refresh (the helper's own array) */
    int[][] slots() {
        return slots;
    }

    /** @return the gather index [G K] (INT, outside workspaces) */
    INDArray gather() {
        return gather;
    }

    /** @return rounds of the backward scatter (the most slots that read one input tile) */
    int scatterRounds() {
        return roundChunks.length;
    }

    /**
     * The input gradient in group-major input order: every input tile receives the chunk of T rows of dXg from
     * its own group, plus one chunk from every slot that reads it, added in slot order. Small chunks (T B below
     * {@link #IN_PLACE_FROM} values) go in rounds whose tiles are distinct (a gather of the round's chunks and a
     * parallel scatter-add each: a few ops instead of G c small ones); large ones are added one by one in place (the
     * gather would copy megabytes). Both add a tile's chunks in the same order: the result is the same to the bit.
     * The measurement behind the threshold: docs/PERFORMANCE.md, "The backward tile sum".
     *
     * @param dXg W dY [G, K, B] ('c')
     * @param r   the result [tiles, T B] ('c'), uninitialised
     */
    void addTiles(INDArray dXg, INDArray r) {
        addTiles(dXg, r, r.size(1) >= IN_PLACE_FROM);
    }

    /** {@link #addTiles(INDArray, INDArray)} with the way chosen (the tests check both). */
    void addTiles(INDArray dXg, INDArray r, boolean inPlace) {
        long tileRows = r.size(1);
        int perGroup = layout.fanIn() / layout.tile();
        INDArray chunks = dXg.reshape('c', (long) layout.groups() * perGroup, tileRows);
        // each tile's own chunk, one strided copy
        r.reshape('c', layout.groups(), layout.tilesPerGroup(), tileRows).assign(chunks.reshape('c', layout.groups(),
                perGroup, tileRows).get(NDArrayIndex.all(), NDArrayIndex.interval(0, layout.tilesPerGroup()),
                NDArrayIndex.all()));
        if (inPlace) {
            // as rows [nIn, B]: every slot's T rows onto its tile's rows
            long batch = dXg.size(2);
            long t = layout.tile();
            long ng = layout.inGroupSize();
            INDArray rows = r.reshape('c', r.size(0) * t, batch);
            for (int g = 0; g < layout.groups(); g++) {
                for (int j = 0; j < layout.slots(); j++) {
                    long tileRow = slots[g][j] * t;
                    rows.get(NDArrayIndex.interval(tileRow, tileRow + t), NDArrayIndex.all()).addi(dXg.get(
                            NDArrayIndex.point(g), NDArrayIndex.interval(ng + j * t, ng + (j + 1) * t),
                            NDArrayIndex.all()));
                }
            }
            return;
        }
        for (int round = 0; round < roundChunks.length; round++) {
            scatterAddDistinct(r, roundTiles[round], Nd4j.exec(new Gather(chunks, roundChunks[round], 0))[0]);
        }
    }

    /**
     * ref[idx[q]] += updates[q] for every row q, in parallel: the targets must be distinct (libnd4j's parallel
     * scatter races on duplicates; its sequential one is several times slower).
     */
    private static void scatterAddDistinct(INDArray ref, INDArray idx, INDArray updates) {
        Nd4j.exec(DynamicCustomOp.builder("scatter_add").addInputs(ref, idx, updates).addOutputs(ref)
                .addBooleanArguments(false, false).build());
    }

    /**
     * @param rows host rows
     * @return a deep copy
     */
    static int[][] copyOf(int[][] rows) {
        int[][] out = new int[rows.length][];
        for (int g = 0; g < out.length; g++) {
            out[g] = rows[g].clone();
        }
        return out;
    }
}
