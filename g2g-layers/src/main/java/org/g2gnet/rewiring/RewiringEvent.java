package org.g2gnet.rewiring;

import java.io.Serializable;
import java.util.Locale;

/**
 * What one rewiring event did to one layer. Counts are in the layer's unit: connections (single weights) for a G2G
 * dense layer, masked or structured (a structured layer's replaced tiles are counted as the connections they hold);
 * channel pairs for a G2G convolution, each one kernel of kH x kW weights, so that a convolution's pruned count is
 * both the channel pairs and the kernels removed, and its density is active pairs / all pairs = active kernels /
 * all kernels.
 *
 * @param layer               the layer's name
 * @param layerIndex          the layer's index in the network
 * @param iteration           the optimizer step after which the event ran (0-based, as DL4J counts)
 * @param epoch               the epoch it ran in
 * @param pruned              units removed
 * @param grown               units added (always equal to pruned)
 * @param density             density of the layer after the event, active units / all units (unchanged by
 *                            construction)
 * @param meanScorePruned     mean Hebbian score of the pruned units (NaN when none was collected)
 * @param meanScoreGrown      mean Hebbian score of the grown units (NaN when none was collected)
 * @param grownIntra          grown units inside a group
 * @param grownInter          grown units across groups
 * @param meanAbsWeightPruned mean |w| of the weights of the pruned units
 * @param meanAbsWeightActive mean |w| of the weights of all units active before the event
 * @param zeroScorePrunedShare share of pruned units whose Hebbian score was exactly 0 (NaN when unknown)
 * @param intraShare          share of active units inside a group, after the event
 * @param fraction            the fraction of active units the schedule asked for
 * @param unit                what the counts count: {@link #CONNECTIONS} or {@link #CHANNEL_PAIRS} (records read
 *                            from files written before it existed say {@link #CONNECTIONS})
 */
public record RewiringEvent(String layer, int layerIndex, int iteration, int epoch, int pruned, int grown,
                            double density, double meanScorePruned, double meanScoreGrown, int grownIntra,
                            int grownInter, double meanAbsWeightPruned, double meanAbsWeightActive,
                            double zeroScorePrunedShare, double intraShare, double fraction, String unit)
        implements Serializable {

    /** The unit of a dense layer's events: single connections (weights). */
    public static final String CONNECTIONS = "connections";
    /** The unit of a convolution's events: channel pairs (input channel, output channel), one kernel each. */
    public static final String CHANNEL_PAIRS = "channel pairs";

    /** Takes a missing unit (a record saved before it existed) as connections. */
    public RewiringEvent {
        if (unit == null) {
            unit = CONNECTIONS;
        }
    }

    /**
     * An event counted in connections (a dense layer's).
     *
     * @param layer               the layer's name
     * @param layerIndex          the layer's index
     * @param iteration           the optimizer step
     * @param epoch               the epoch
     * @param pruned              connections removed
     * @param grown               connections added
     * @param density             density after the event
     * @param meanScorePruned     mean Hebbian score of the pruned connections
     * @param meanScoreGrown      mean Hebbian score of the grown connections
     * @param grownIntra          grown connections inside a group
     * @param grownInter          grown connections across groups
     * @param meanAbsWeightPruned mean |w| of the pruned connections
     * @param meanAbsWeightActive mean |w| of the active connections
     * @param zeroScorePrunedShare share of pruned connections with a Hebbian score of 0
     * @param intraShare          share of active connections inside a group
     * @param fraction            the fraction asked for
     */
    public RewiringEvent(String layer, int layerIndex, int iteration, int epoch, int pruned, int grown,
                         double density, double meanScorePruned, double meanScoreGrown, int grownIntra,
                         int grownInter, double meanAbsWeightPruned, double meanAbsWeightActive,
                         double zeroScorePrunedShare, double intraShare, double fraction) {
        this(layer, layerIndex, iteration, epoch, pruned, grown, density, meanScorePruned, meanScoreGrown, grownIntra,
                grownInter, meanAbsWeightPruned, meanAbsWeightActive, zeroScorePrunedShare, intraShare, fraction,
                CONNECTIONS);
    }

    /** @return a one-line summary for logs */
    public String summary() {
        String what = CHANNEL_PAIRS.equals(unit) ? " channel pairs (kernels)" : "";
        return String.format(Locale.ROOT,
                "rewiring layer %s at iteration %d: pruned %d%s (mean |w| %.4g vs %.4g active, hebbian %.3g), "
                        + "grew %d (%d intra / %d inter, hebbian %.3g), density %.4f, intra share %.3f",
                layer, iteration, pruned, what, meanAbsWeightPruned, meanAbsWeightActive, meanScorePruned, grown,
                grownIntra, grownInter, meanScoreGrown, density, intraShare);
    }
}
