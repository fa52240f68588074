package org.g2gnet.rewiring;

import java.io.Serializable;
import java.util.Locale;

/**
 * What one rewiring event did to one layer.
 *
 * @param layer               the layer's name
 * @param layerIndex          the layer's index in the network
 * @param iteration           the optimizer step after which the event ran (0-based, as DL4J counts)
 * @param epoch               the epoch it ran in
 * @param pruned              connections removed
 * @param grown               connections added (always equal to pruned)
 * @param density             density of the layer after the event (unchanged by construction)
 * @param meanScorePruned     mean Hebbian score of the pruned connections (NaN when none was collected)
 * @param meanScoreGrown      mean Hebbian score of the grown connections (NaN when none was collected)
 * @param grownIntra          grown connections inside a group
 * @param grownInter          grown connections across groups
 * @param meanAbsWeightPruned mean |w| of the pruned connections
 * @param meanAbsWeightActive mean |w| of all connections active before the event
 * @param zeroScorePrunedShare share of pruned connections whose Hebbian score was exactly 0 (NaN when unknown)
 * @param intraShare          share of active connections inside a group, after the event
 * @param fraction            the fraction of active connections the schedule asked for
 */
public record RewiringEvent(String layer, int layerIndex, int iteration, int epoch, int pruned, int grown,
                            double density, double meanScorePruned, double meanScoreGrown, int grownIntra,
                            int grownInter, double meanAbsWeightPruned, double meanAbsWeightActive,
                            double zeroScorePrunedShare, double intraShare, double fraction) implements Serializable {

    /** @return a one-line summary for logs */
    public String summary() {
        return String.format(Locale.ROOT,
                "rewiring layer %s at iteration %d: pruned %d (mean |w| %.4g vs %.4g active, hebbian %.3g), "
                        + "grew %d (%d intra / %d inter, hebbian %.3g), density %.4f, intra share %.3f",
                layer, iteration, pruned, meanAbsWeightPruned, meanAbsWeightActive, meanScorePruned, grown, grownIntra,
                grownInter, meanScoreGrown, density, intraShare);
    }
}
