package org.g2gnet.rewiring;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.api.Updater;
import org.g2gnet.conf.G2GParamInitializer;
import org.g2gnet.layers.G2GStructuredLayerImpl;
import org.g2gnet.layers.HostArrays;
import org.g2gnet.topology.TileLayout;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Rewiring of a layer in structured execution, at the granularity of its layout: an inter-group link is a
 * slot (an input tile of T neurons feeding a whole output group), so an event prunes the lowest-scored
 * slots of the layer and gives each affected output group as many new tiles of other groups, the
 * highest-scored among those it does not read. Intra-group blocks are never rewired. A slot's score is
 * the mean over its T x (nOut / G) connections of the per-connection score the criterion uses.
 *
 * <p>This is also the single mutation point of a structured layer's index, with its invariants checked
 * here: every group keeps its own input group and c distinct tiles of other groups, the index equals
 * the layout of the new slots, the weights of changed slots start at 0 and their updater state is reset.</p>
 */
final class TileRewiring {
    private TileRewiring() {
    }

    /** Per-connection scores, host arrays in 'f' order [nIn, nOut] (null: not available). */
    record Sources(float[] hebbian, float[] absDenseGradient) {
    }

    static RewiringEvent rewire(G2GStructuredLayerImpl layer, PruneCriterion prune, GrowthCriterion grow,
                                double fraction, Sources src, int iteration, int epoch, Updater updater,
                                SplittableRandom rng) {
        TileLayout t = layer.layout();
        int groups = t.groups();
        int c = t.slots();
        int tile = t.tile();
        int mg = t.outGroupSize();
        int ng = t.inGroupSize();
        int k = t.fanIn();
        int nIn = t.in().size();
        int[] inOrder = t.inputOrder();
        int[] outOrder = t.outputOrder();
        int[][] oldSlots = layer.slots();
        float[] w = HostArrays.toFloatsC(layer.weights());

        // slot scores (lower is pruned first)
        float[] slotScore = new float[groups * c];
        float[] slotHebbian = new float[groups * c];
        float[] slotAbsW = new float[groups * c];
        double absWSum = 0;
        for (float v : w) {
            absWSum += Math.abs(v);
        }
        for (int g = 0; g < groups; g++) {
            for (int j = 0; j < c; j++) {
                double s = 0;
                for (int r = ng + j * tile; r < ng + (j + 1) * tile; r++) {
                    for (int o = 0; o < mg; o++) {
                        s += Math.abs(w[(g * k + r) * mg + o]);
                    }
                }
                slotAbsW[g * c + j] = (float) (s / (tile * mg));
                slotHebbian[g * c + j] = src.hebbian() == null ? Float.NaN
                        : blockMean(src.hebbian(), oldSlots[g][j], g, t, inOrder, outOrder, nIn);
            }
        }
        float[] pruneScores = switch (prune) {
            case MAGNITUDE -> slotAbsW;
            case RANDOM -> null;
            case HEBBIAN -> requireScores(slotHebbian, "Hebbian");
            case HEBBIAN_MAGNITUDE -> {
                float[] h = requireScores(slotHebbian, "Hebbian");
                float[] p = new float[h.length];
                for (int i = 0; i < h.length; i++) {
                    p[i] = h[i] * slotAbsW[i];
                }
                yield p;
            }
        };
        int count = (int) Math.min(Math.round(fraction * groups * c), (long) groups * c);
        int[] allSlots = java.util.stream.IntStream.range(0, groups * c).toArray();
        int[] prunedSlots = Selection.lowest(pruneScores, allSlots, count, rng);
        Arrays.sort(prunedSlots);

        int[][] newSlots = new int[groups][];
        for (int g = 0; g < groups; g++) {
            newSlots[g] = oldSlots[g].clone();
        }
        double grownHebbian = 0;
        for (int g = 0; g < groups; g++) {
            int finalG = g;
            int[] mine = Arrays.stream(prunedSlots).filter(s -> s / c == finalG).map(s -> s % c).toArray();
            if (mine.length == 0) {
                continue;
            }
            boolean[] used = new boolean[t.tiles()];
            for (int tt : oldSlots[g]) {
                used[tt] = true;
            }
            int[] candidates = java.util.stream.IntStream.range(0, t.tiles())
                    .filter(tt -> t.groupOfTile(tt) != finalG && !used[tt]).toArray();
            float[] tileScores = null;
            if (grow != GrowthCriterion.RANDOM) {
                float[] perConnection = grow == GrowthCriterion.HEBBIAN ? src.hebbian() : src.absDenseGradient();
                if (perConnection == null) {
                    throw new IllegalStateException("rewiring of layer " + layer.name() + ": " + grow
                            + " scores were not collected for this event");
                }
                tileScores = new float[t.tiles()];
                for (int tt : candidates) {
                    tileScores[tt] = blockMean(perConnection, tt, g, t, inOrder, outOrder, nIn);
                }
            }
            int[] chosen = Selection.highest(tileScores, candidates, Math.min(mine.length, candidates.length), rng);
            for (int i = 0; i < chosen.length; i++) {
                newSlots[g][mine[i]] = chosen[i];
                if (src.hebbian() != null) {
                    grownHebbian += blockMean(src.hebbian(), chosen[i], g, t, inOrder, outOrder, nIn);
                }
            }
        }
        apply(layer, oldSlots, newSlots, updater);

        int connectionsPerSlot = tile * mg;
        int grownSlots = 0;
        for (int g = 0; g < groups; g++) {
            for (int j = 0; j < c; j++) {
                grownSlots += newSlots[g][j] != oldSlots[g][j] ? 1 : 0;
            }
        }
        double prunedHebbian = 0;
        double prunedAbsW = 0;
        int zero = 0;
        for (int s : prunedSlots) {
            prunedHebbian += slotHebbian[s];
            prunedAbsW += slotAbsW[s];
            zero += slotHebbian[s] == 0f ? 1 : 0;
        }
        int n = prunedSlots.length;
        return new RewiringEvent(layer.name(), layer.getIndex(), iteration, epoch, n * connectionsPerSlot,
                grownSlots * connectionsPerSlot, t.density(), n == 0 ? Double.NaN : prunedHebbian / n,
                grownSlots == 0 || src.hebbian() == null ? Double.NaN : grownHebbian / grownSlots, 0,
                grownSlots * connectionsPerSlot, n == 0 ? Double.NaN : prunedAbsW / n, absWSum / w.length,
                src.hebbian() == null || n == 0 ? Double.NaN : zero / (double) n, ng / (double) k, fraction);
    }

    private static float[] requireScores(float[] scores, String what) {
        for (float v : scores) {
            if (Float.isNaN(v)) {
                throw new IllegalStateException(what + " scores were not collected for this event");
            }
        }
        return scores;
    }

    /** Mean of a per-connection score over input tile t x output group g. */
    private static float blockMean(float[] perConnection, int tileId, int g, TileLayout t, int[] inOrder,
                                   int[] outOrder, int nIn) {
        double s = 0;
        int mg = t.outGroupSize();
        for (int p = tileId * t.tile(); p < (tileId + 1) * t.tile(); p++) {
            int i = inOrder[p];
            for (int j = 0; j < mg; j++) {
                s += perConnection[i + outOrder[g * mg + j] * nIn];
            }
        }
        return (float) (s / (t.tile() * mg));
    }

    /** The single mutation point of a structured layer. */
    static void apply(G2GStructuredLayerImpl layer, int[][] oldSlots, int[][] newSlots, Updater updater) {
        TileLayout t = layer.layout();
        t.checkSlots(newSlots);
        int groups = t.groups();
        int k = t.fanIn();
        int mg = t.outGroupSize();
        int ng = t.inGroupSize();
        int[][] idx = t.inputIndex(newSlots);
        float[] flat = new float[groups * k];
        for (int g = 0; g < groups; g++) {
            for (int i = 0; i < k; i++) {
                flat[g * k + i] = idx[g][i];
            }
        }
        INDArray w = layer.weights();
        float[] keep = new float[(int) w.length()];
        Arrays.fill(keep, 1f);
        for (int g = 0; g < groups; g++) {
            for (int j = 0; j < t.slots(); j++) {
                if (newSlots[g][j] != oldSlots[g][j]) {
                    for (int r = ng + j * t.tile(); r < ng + (j + 1) * t.tile(); r++) {
                        Arrays.fill(keep, (g * k + r) * mg, (g * k + r + 1) * mg, 0f);
                    }
                }
            }
        }
        INDArray keepArr = HostArrays.array(keep, w.shape(), 'c', w.dataType());
        layer.index().assign(HostArrays.array(flat, new long[] {groups, k}, 'c', layer.index().dataType()));
        w.muli(keepArr);
        MaskUpdater.resetUpdaterState(layer, updater, keepArr);
        // invariants, read back from the network
        if (!Arrays.deepEquals(layer.hostIndex(), idx)) {
            throw new IllegalStateException("rewiring of layer " + layer.name() + ": the index parameter does not hold "
                    + "the new layout");
        }
        float[] wBack = HostArrays.toFloatsC(w);
        for (int i = 0; i < keep.length; i++) {
            if (keep[i] == 0f && wBack[i] != 0f) {
                throw new IllegalStateException("rewiring of layer " + layer.name() + ": a regrown weight is not 0");
            }
        }
        if (layer.getParam(G2GParamInitializer.INDEX_KEY).length() != (long) groups * k) {
            throw new IllegalStateException("rewiring of layer " + layer.name() + ": index has the wrong size");
        }
    }
}
