package org.g2gnet.rewiring;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import org.deeplearning4j.nn.api.Layer;
import org.g2gnet.activity.ActivitySource;
import org.g2gnet.layers.G2GStructuredLayerImpl;
import org.g2gnet.arrays.HostArrays;
import org.g2gnet.layers.TiledConnections;
import org.g2gnet.topology.TileLayout;

/**
 * Rewiring of a layer in structured execution, at the granularity of its layout: an inter-group link is a
 * slot (an input tile of T neurons feeding a whole output group), so an event prunes the lowest-scored slots of
 * the layer and gives each affected output group as many new tiles of other groups, the highest-scored among
 * those it does not read. Intra-group blocks are never rewired. When a group has fewer free tiles than pruned
 * slots, the slots left over keep their tile (and the event counts only what changed).
 *
 * <p>The criteria are the masked layer's: the per-connection quantities (|w|, the Hebbian score, |dL/dw|) in the
 * dense [nIn, nOut] layout are aggregated into one value per slot or candidate tile, the <em>mean</em> over its
 * T x (nOut / G) connections (summed in double, input tile position outer, output inner), and the criterion
 * ranks these means. Options that act on single connections ({@code prunePrefilter}, {@code SMALL_RANDOM}
 * regrowth) are refused when the listener binds to the network.</p>
 *
 * <p>It works on {@link TiledConnections}: a structured layer, or (through {@link InnerLayerRewirer}) an inner
 * layer of a block, whose parameters and updater state its block holds.</p>
 */
class TileRewirer implements LayerRewirer {
    private final TiledConnections layer;
    private final ActivitySource source;
    private final long unit;
    private final RewiringConfig config;

    /**
     * @param layer a structured layer
     * @param config the configuration
     * @throws IllegalStateException naming the layer and the option when the configuration asks for something a
     *                               tile layout cannot do
     */
    TileRewirer(G2GStructuredLayerImpl layer, RewiringConfig config) {
        this(layer, layer, layer.getIndex(), config);
    }

    /**
     * @param layer  the tiled connections
     * @param source what the recorder reads of them (its name is the layer's)
     * @param unit   the unit's id, for its RNG ({@link Context#rng})
     * @param config the configuration
     * @throws IllegalStateException naming the layer and the option when the configuration asks for something a
     *                               tile layout cannot do
     */
    TileRewirer(TiledConnections layer, ActivitySource source, long unit, RewiringConfig config) {
        this.layer = layer;
        this.source = source;
        this.unit = unit;
        this.config = config;
        String who = "RewiringListener: layer '" + layer.name() + "' (index " + layer.owner().getIndex()
                + ") runs in structured execution, which rewires whole tiles";
        if (config.prunePrefilter() < 1) {
            throw new IllegalStateException(who + ", and cannot honour prunePrefilter " + config.prunePrefilter()
                    + " (a share of single smallest weights); use prunePrefilter 1 or masked execution");
        }
        if (config.regrowth() != MaskUpdater.Regrowth.ZERO) {
            throw new IllegalStateException(who + ", and cannot honour regrowth " + config.regrowth()
                    + " (regrown tiles start at 0); use Regrowth.ZERO or masked execution");
        }
    }

    @Override
    public Layer layer() {
        return layer.owner();
    }

    @Override
    public ActivitySource source() {
        return source;
    }

    @Override
    public RewiringEvent rewire(Context event) {
        TileLayout t = layer.layout();
        int groups = t.groups();
        int c = t.slots();
        int[][] oldSlots = layer.slots();
        float[] w = HostArrays.toFloatsC(layer.weights());
        Aggregation agg = new Aggregation(t);
        float[] absW = agg.dense(w, oldSlots);
        float[] hebbian = event.hebbian(layer.name());
        Supplier<float[]> absGradient = memo(() -> event.absDenseGradient(layer.name()));
        SplittableRandom rng = event.rng(unit);

        float[] slotAbsW = agg.slotMeans(absW, oldSlots);
        float[] slotHebbian = hebbian == null ? null : agg.slotMeans(hebbian, oldSlots);
        UnitScores slotScores = new UnitScores(() -> slotAbsW, () -> slotHebbian, () -> {
            float[] g = absGradient.get();
            return g == null ? null : agg.slotMeans(g, oldSlots);
        });
        int count = (int) Math.min(Math.round(event.fraction() * groups * c), (long) groups * c);
        int[] prunedSlots = Selection.lowest(config.prune().scores(slotScores), IntStream.range(0, groups * c).toArray(),
                count, rng);
        Arrays.sort(prunedSlots);

        int[][] newSlots = new int[groups][];
        for (int g = 0; g < groups; g++) {
            newSlots[g] = oldSlots[g].clone();
        }
        double grownHebbian = 0;
        for (int g = 0; g < groups; g++) {
            int group = g;
            int[] mine = Arrays.stream(prunedSlots).filter(s -> s / c == group).map(s -> s % c).toArray();
            if (mine.length == 0) {
                continue;
            }
            boolean[] used = new boolean[t.tiles()];
            for (int tt : oldSlots[g]) {
                used[tt] = true;
            }
            int[] candidates = IntStream.range(0, t.tiles()).filter(tt -> t.groupOfTile(tt) != group && !used[tt])
                    .toArray();
            // a tile the group does not read holds no weights: |w| is 0 there, as for an inactive masked connection
            UnitScores tileScores = new UnitScores(() -> new float[t.tiles()],
                    () -> hebbian == null ? null : agg.tileMeans(hebbian, candidates, group), () -> {
                        float[] gr = absGradient.get();
                        return gr == null ? null : agg.tileMeans(gr, candidates, group);
                    });
            int[] chosen = Selection.highest(config.grow().scores(tileScores), candidates,
                    Math.min(mine.length, candidates.length), rng);
            for (int i = 0; i < chosen.length; i++) {
                newSlots[g][mine[i]] = chosen[i];
                if (hebbian != null) {
                    grownHebbian += agg.mean(hebbian, chosen[i], g);
                }
            }
        }
        MaskUpdater.apply(layer, oldSlots, newSlots, event.updater());
        int[] replaced = Arrays.stream(prunedSlots).filter(s -> newSlots[s / c][s % c] != oldSlots[s / c][s % c])
                .toArray();
        return describe(event, t, w, replaced, slotAbsW, slotHebbian, grownHebbian);
    }

    private RewiringEvent describe(Context event, TileLayout t, float[] w, int[] replaced, float[] slotAbsW,
                                   float[] slotHebbian, double grownHebbian) {
        double absWSum = 0;
        for (float v : w) {
            absWSum += Math.abs(v);
        }
        double prunedHebbian = 0;
        double prunedAbsW = 0;
        int zero = 0;
        for (int s : replaced) {
            if (slotHebbian != null) {
                prunedHebbian += slotHebbian[s];
                zero += slotHebbian[s] == 0f ? 1 : 0;
            }
            prunedAbsW += slotAbsW[s];
        }
        int n = replaced.length;
        int connections = n * t.tile() * t.outGroupSize();
        boolean scored = slotHebbian != null && n > 0;
        return new RewiringEvent(layer.name(), layer.owner().getIndex(), event.iteration(), event.epoch(), connections,
                connections, t.density(), scored ? prunedHebbian / n : Double.NaN,
                scored ? grownHebbian / n : Double.NaN, 0, connections, n == 0 ? Double.NaN : prunedAbsW / n,
                absWSum / w.length, scored ? zero / (double) n : Double.NaN, t.inGroupSize() / (double) t.fanIn(),
                event.fraction());
    }

    private static Supplier<float[]> memo(Supplier<float[]> source) {
        float[][] value = new float[1][];
        boolean[] loaded = new boolean[1];
        return () -> {
            if (!loaded[0]) {
                value[0] = source.get();
                loaded[0] = true;
            }
            return value[0];
        };
    }

    /** Means of per-connection quantities ('f' order [nIn, nOut]) over the connections of tiles. */
    private static final class Aggregation {
        private final TileLayout t;
        private final int[] inOrder;
        private final int[] outOrder;
        private final int nIn;

        Aggregation(TileLayout t) {
            this.t = t;
            this.inOrder = t.inputOrder();
            this.outOrder = t.outputOrder();
            this.nIn = t.in().size();
        }

        /** |w| per connection in the dense layout, from compact weights ('c' order [G, K, nOut / G]). */
        float[] dense(float[] compact, int[][] slots) {
            int[][] idx = t.inputIndex(slots);
            int k = t.fanIn();
            int mg = t.outGroupSize();
            float[] out = new float[nIn * t.out().size()];
            for (int g = 0; g < t.groups(); g++) {
                for (int r = 0; r < k; r++) {
                    for (int o = 0; o < mg; o++) {
                        out[idx[g][r] + outOrder[g * mg + o] * nIn] = Math.abs(compact[(g * k + r) * mg + o]);
                    }
                }
            }
            return out;
        }

        /** The mean over every slot, indexed g * c + j. */
        float[] slotMeans(float[] perConnection, int[][] slots) {
            float[] out = new float[t.groups() * t.slots()];
            for (int g = 0; g < t.groups(); g++) {
                for (int j = 0; j < t.slots(); j++) {
                    out[g * t.slots() + j] = mean(perConnection, slots[g][j], g);
                }
            }
            return out;
        }

        /** The mean over the given tiles feeding output group g, indexed by tile (0 elsewhere). */
        float[] tileMeans(float[] perConnection, int[] tiles, int g) {
            float[] out = new float[t.tiles()];
            for (int tile : tiles) {
                out[tile] = mean(perConnection, tile, g);
            }
            return out;
        }

        /** Mean of a per-connection quantity over input tile {@code tile} x output group g. */
        float mean(float[] perConnection, int tile, int g) {
            double s = 0;
            int mg = t.outGroupSize();
            for (int p = tile * t.tile(); p < (tile + 1) * t.tile(); p++) {
                int i = inOrder[p];
                for (int j = 0; j < mg; j++) {
                    s += perConnection[i + outOrder[g * mg + j] * nIn];
                }
            }
            return (float) (s / (t.tile() * mg));
        }
    }
}
