package org.g2gnet.rewiring;

import java.util.SplittableRandom;

import org.g2gnet.activity.ActivitySource;
import org.g2gnet.layers.G2GDenseLayerImpl;
import org.g2gnet.arrays.HostArrays;
import org.g2gnet.layers.RecordedLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Rewiring of a layer in masked execution, one connection at a time: an event prunes the lowest-scored active
 * connections (optionally only among the smallest weights, {@code prunePrefilter}) and grows as many of the
 * highest-scored inactive ones anywhere in the mask ({@link MaskRewiring#choose}), then hands both lists to
 * {@link MaskUpdater}.
 */
final class MaskedRewirer implements LayerRewirer {
    private final G2GDenseLayerImpl layer;
    private final RewiringConfig config;
    /** Input and output group labels, for the intra/inter split of the diagnostics (computed at the first event). */
    private int[][] labels;
    /** A detached array shaped like the weights, overwritten at every event. */
    private INDArray scratch;

    MaskedRewirer(G2GDenseLayerImpl layer, RewiringConfig config) {
        this.layer = layer;
        this.config = config;
    }

    @Override
    public RecordedLayer layer() {
        return layer;
    }

    @Override
    public ActivitySource source() {
        return layer;
    }

    @Override
    public RewiringEvent rewire(Context event) {
        float[] oldMask = HostArrays.toFloats(layer.mask());
        UnitScores scores = new UnitScores(() -> UnitScores.abs(HostArrays.toFloats(layer.weights())),
                () -> event.hebbian(layer.name()), () -> event.absDenseGradient(layer.name()));
        SplittableRandom rng = event.rng(layer.getIndex());
        MaskRewiring.Choice c = MaskRewiring.choose(oldMask, event.fraction(), scores, config, rng);

        float[] absW = scores.absWeights();
        double meanAbsActive = MaskRewiring.mean(absW, c.active());
        float[] hebbian = scores.hebbianOrNull();
        if (scratch == null) {
            scratch = HostArrays.detachedLike(layer.weights());
        }
        float[] newMask = MaskUpdater.apply(layer, oldMask, c.pruned(), c.grown(), config.regrowth(), meanAbsActive,
                event.updater(), rng, scratch);
        if (labels == null) {
            labels = new int[][] {layer.layerConf().inputPartition(event.networkSeed()).labels(),
                    layer.layerConf().outputPartition(event.networkSeed()).labels()};
        }
        return MaskRewiring.describe(layer.name(), layer.getIndex(), event, RewiringEvent.CONNECTIONS, labels[0],
                labels[1], oldMask, newMask, c, absW, meanAbsActive, hebbian);
    }
}
