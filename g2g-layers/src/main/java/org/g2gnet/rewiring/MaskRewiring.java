package org.g2gnet.rewiring;

import java.util.SplittableRandom;

/**
 * What rewiring a 0/1 mask entry by entry has in common, whatever an entry stands for: a connection of a masked
 * dense layer ({@link MaskedRewirer}) or a channel pair of a convolution ({@link ChannelPairRewirer}). Entries are
 * indexed {@code i + o * nIn} in both (the 'f' order of a dense mask [nIn, nOut], the 'c' order of a convolution's
 * mask [nOut, nIn]), as are the per-unit quantities of {@link UnitScores} and the Hebbian score [nIn, nOut].
 */
final class MaskRewiring {
    private MaskRewiring() {
    }

    /**
     * One event's choice.
     *
     * @param active the entries active before the event, ascending
     * @param pruned the entries to deactivate
     * @param grown  the entries to activate (as many)
     */
    record Choice(int[] active, int[] pruned, int[] grown) {
    }

    /**
     * Chooses what an event prunes and grows: round(fraction x active) entries (at most as many as are inactive),
     * the lowest-scored active ones by the prune criterion (only among the {@code prunePrefilter} share of smallest
     * |w| when asked) and as many of the highest-scored inactive ones by the growth criterion, anywhere in the
     * mask. Draws from {@code rng} in this order: prefilter, prune, growth.
     *
     * @param mask     the mask before the event, one 0/1 value per unit
     * @param fraction the share of active units to replace
     * @param scores   the units' quantities
     * @param config   the criteria and the prefilter
     * @param rng      the event's randomness for this layer
     * @return the choice
     */
    static Choice choose(float[] mask, double fraction, UnitScores scores, RewiringConfig config,
                         SplittableRandom rng) {
        int activeCount = 0;
        for (float v : mask) {
            if (v != 0f) {
                activeCount++;
            }
        }
        int[] active = new int[activeCount];
        int[] inactive = new int[mask.length - activeCount];
        for (int k = 0, a = 0, b = 0; k < mask.length; k++) {
            if (mask[k] != 0f) {
                active[a++] = k;
            } else {
                inactive[b++] = k;
            }
        }
        int count = (int) Math.min(Math.round(fraction * activeCount), inactive.length);
        int[] candidates = active;
        if (config.prunePrefilter() < 1 && config.prune() != PruneCriterion.MAGNITUDE) {
            // only the smallest weights may go: the criterion chooses among the prunePrefilter share of them
            int keep = (int) Math.min(active.length, Math.max(count, Math.ceil(config.prunePrefilter() * active.length)));
            candidates = Selection.lowest(scores.absWeights(), active, keep, rng);
        }
        int[] pruned = Selection.lowest(config.prune().scores(scores), candidates, count, rng);
        int[] grown = Selection.highest(config.grow().scores(scores), inactive, count, rng);
        return new Choice(active, pruned, grown);
    }

    /**
     * The event record of one layer.
     *
     * @param layer         the layer's name
     * @param layerIndex    its index in the network
     * @param event         the event
     * @param unit          what an entry is ({@link RewiringEvent#CONNECTIONS} or {@link RewiringEvent#CHANNEL_PAIRS})
     * @param inLabels      the input side's group labels (of neurons or channels)
     * @param outLabels     the output side's group labels
     * @param oldMask       the mask before the event
     * @param newMask       the mask after it
     * @param choice        what was chosen
     * @param meanAbsW      mean |w| of every entry's weights (one weight for a connection, a kernel for a pair)
     * @param meanAbsActive mean |w| over the weights of the entries active before the event
     * @param hebbian       the Hebbian score per entry, or null when none was collected
     * @return the record
     */
    static RewiringEvent describe(String layer, int layerIndex, LayerRewirer.Context event, String unit,
                                  int[] inLabels, int[] outLabels, float[] oldMask, float[] newMask, Choice choice,
                                  float[] meanAbsW, double meanAbsActive, float[] hebbian) {
        int[] pruned = choice.pruned();
        int[] grown = choice.grown();
        int activeCount = choice.active().length;
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
        return new RewiringEvent(layer, layerIndex, event.iteration(), event.epoch(), pruned.length,
                grown.length, activeCount / (double) oldMask.length, mean(hebbian, pruned), mean(hebbian, grown),
                grownIntra, grown.length - grownIntra, mean(meanAbsW, pruned), meanAbsActive, zeroShare,
                activeCount == 0 ? 0 : intraActive / (double) activeCount, event.fraction(), unit);
    }

    /**
     * @param values a value per entry, or null
     * @param idx    entries
     * @return the mean of the values at idx (NaN for none, or no values)
     */
    static double mean(float[] values, int[] idx) {
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
