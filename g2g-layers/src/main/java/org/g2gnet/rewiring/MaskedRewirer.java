package org.g2gnet.rewiring;

import java.util.SplittableRandom;

import org.g2gnet.layers.G2GBaseLayer;
import org.g2gnet.layers.G2GDenseLayerImpl;
import org.g2gnet.layers.HostArrays;
import org.g2gnet.topology.GroupPartition;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Rewiring of a layer in masked execution, one connection at a time: an event prunes the lowest-scored active
 * connections (optionally only among the smallest weights, {@code prunePrefilter}) and grows as many of the
 * highest-scored inactive ones anywhere in the mask, then hands both lists to {@link MaskUpdater}.
 */
final class MaskedRewirer implements LayerRewirer {
    private final G2GDenseLayerImpl layer;
    private final RewiringConfig config;
    /** Input and output partitions, for the intra/inter split of the diagnostics (computed at the first event). */
    private GroupPartition[] partitions;
    /** A detached array shaped like the weights, overwritten at every event. */
    private INDArray scratch;

    MaskedRewirer(G2GDenseLayerImpl layer, RewiringConfig config) {
        this.layer = layer;
        this.config = config;
    }

    @Override
    public G2GBaseLayer layer() {
        return layer;
    }

    @Override
    public RewiringEvent rewire(Context event) {
        float[] oldMask = HostArrays.toFloats(layer.mask());
        int activeCount = 0;
        for (float v : oldMask) {
            if (v != 0f) {
                activeCount++;
            }
        }
        int[] active = new int[activeCount];
        int[] inactive = new int[oldMask.length - activeCount];
        for (int k = 0, a = 0, b = 0; k < oldMask.length; k++) {
            if (oldMask[k] != 0f) {
                active[a++] = k;
            } else {
                inactive[b++] = k;
            }
        }
        int count = (int) Math.min(Math.round(event.fraction() * activeCount), inactive.length);
        UnitScores scores = new UnitScores(() -> UnitScores.abs(HostArrays.toFloats(layer.weights())),
                () -> event.hebbian(layer.name()), () -> event.absDenseGradient(layer.name()));
        SplittableRandom rng = event.rng(layer.getIndex());
        int[] candidates = active;
        if (config.prunePrefilter() < 1 && config.prune() != PruneCriterion.MAGNITUDE) {
            // only the smallest weights may go: the criterion chooses among the prunePrefilter share of them
            int keep = (int) Math.min(active.length, Math.max(count, Math.ceil(config.prunePrefilter() * active.length)));
            candidates = Selection.lowest(scores.absWeights(), active, keep, rng);
        }
        int[] pruned = Selection.lowest(config.prune().scores(scores), candidates, count, rng);
        int[] grown = Selection.highest(config.grow().scores(scores), inactive, count, rng);

        float[] absW = scores.absWeights();
        double meanAbsActive = mean(absW, active);
        float[] hebbian = scores.hebbianOrNull();
        if (scratch == null) {
            scratch = HostArrays.detachedLike(layer.weights());
        }
        float[] newMask = MaskUpdater.apply(layer, oldMask, pruned, grown, config.regrowth(), meanAbsActive,
                event.updater(), rng, scratch);
        return describe(event, oldMask, newMask, activeCount, pruned, grown, absW, meanAbsActive, hebbian);
    }

    private RewiringEvent describe(Context event, float[] oldMask, float[] newMask, int activeCount, int[] pruned,
                                   int[] grown, float[] absW, double meanAbsActive, float[] hebbian) {
        if (partitions == null) {
            partitions = new GroupPartition[] {layer.layerConf().inputPartition(event.networkSeed()),
                    layer.layerConf().outputPartition(event.networkSeed())};
        }
        int[] inLabels = partitions[0].labels();
        int[] outLabels = partitions[1].labels();
        int nIn = inLabels.length;
        int grownIntra = 0;
        for (int k : grown) {
            if (inLabels[k % nIn] == outLabels[k / nIn]) {
                grownIntra++;
            }
        }
        long intraActive = 0;
        for (int k = 0; k < newMask.length; k++) {
            if (newMask[k] != 0f && inLabels[k % nIn] == outLabels[k / nIn]) {
                intraActive++;
            }
        }
        double zeroShare = Double.NaN;
        if (hebbian != null && pruned.length > 0) {
            int zeros = 0;
            for (int k : pruned) {
                if (hebbian[k] == 0f) {
                    zeros++;
                }
            }
            zeroShare = zeros / (double) pruned.length;
        }
        return new RewiringEvent(layer.name(), layer.getIndex(), event.iteration(), event.epoch(), pruned.length,
                grown.length, activeCount / (double) oldMask.length, mean(hebbian, pruned), mean(hebbian, grown),
                grownIntra, grown.length - grownIntra, mean(absW, pruned), meanAbsActive, zeroShare,
                activeCount == 0 ? 0 : intraActive / (double) activeCount, event.fraction());
    }

    private static double mean(float[] values, int[] idx) {
        if (values == null || idx.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (int k : idx) {
            s += values[k];
        }
        return s / idx.length;
    }
}
