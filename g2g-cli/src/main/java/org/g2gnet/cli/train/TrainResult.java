package org.g2gnet.cli.train;

import java.util.List;

import org.g2gnet.G2GNetworks;
import org.g2gnet.rewiring.RewiringEvent;
import org.g2gnet.topology.ConnectionMask;

/**
 * What a run produced.
 *
 * @param options    the options it ran with
 * @param epochs     per-epoch metrics
 * @param sparsity   the network's sparsity at the end
 * @param events     rewiring events (empty for static masks)
 * @param maskBefore mask of the second G2G layer (or the first if there is one) before training, with inputs
 *                   and outputs sorted by group so that the block structure shows; null without G2G layers
 * @param maskAfter  the same mask after training, or null
 * @param eventEffects test accuracy and losses just before and after each rewiring event (probes.csv)
 */
public record TrainResult(TrainOptions options, List<EpochMetrics> epochs, G2GNetworks.SparsityReport sparsity,
                          List<RewiringEvent> events, ConnectionMask maskBefore, ConnectionMask maskAfter,
                          List<EventProbe.Effect> eventEffects) {

    /** @return the last epoch's test accuracy */
    public double finalAccuracy() {
        return epochs.get(epochs.size() - 1).testAccuracy();
    }

    /** @return the best epoch's test accuracy */
    public double bestAccuracy() {
        return epochs.stream().mapToDouble(EpochMetrics::testAccuracy).max().orElse(Double.NaN);
    }
}
