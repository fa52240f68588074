package org.g2gnet.rewiring;

import java.util.SplittableRandom;

import org.g2gnet.activity.ActivitySource;
import org.g2gnet.activity.ChannelMaps;
import org.g2gnet.arrays.HostArrays;
import org.g2gnet.layers.G2GConvolutionLayerImpl;
import org.g2gnet.layers.RecordedLayer;

/**
 * Rewiring of a G2G convolution, one channel pair (o, i) at a time: a pair is one kernel W[o, i, :, :] of kH x kW
 * weights and one entry M[o, i] of the mask. An event prunes the lowest-scored active pairs (optionally only among
 * those of smallest kernel norm, {@code prunePrefilter}) and grows as many of the highest-scored inactive pairs
 * anywhere in the mask, with the masked layer's selection ({@link MaskRewiring#choose}), and hands both lists to
 * {@link MaskUpdater}: a pruned kernel is set to 0 as a whole, a regrown one starts at 0 (or, with
 * {@code SMALL_RANDOM}, every one of its weights at a small random value), and the optimizer state of every changed
 * kernel is reset.
 *
 * <p>The criteria are the dense layer's, on per-pair quantities ({@link UnitScores}): |w| is the L2 norm of the
 * kernel, |dL/dw| the L2 norm of the dense (unmasked) kernel gradient's slice dL/dW[o, i, :, :], and the Hebbian
 * score the cosine, over the examples of the batch and the spatial positions, between input channel i's and output
 * channel o's activation maps, both averaged to the smaller spatial size ({@code org.g2gnet.activity.ChannelMaps}:
 * nothing is pooled when the sizes agree, as with {@code ConvolutionMode.Same} and stride 1).</p>
 */
final class ChannelPairRewirer implements LayerRewirer {
    private final G2GConvolutionLayerImpl layer;
    private final RewiringConfig config;
    /** Input- and output-channel group labels, for the intra/inter split of the diagnostics (first event). */
    private int[][] labels;

    ChannelPairRewirer(G2GConvolutionLayerImpl layer, RewiringConfig config) {
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
        // M [nOut, nIn] in 'c' order: pair (o, i) at i + o * nIn, the index of the Hebbian score [nIn, nOut] in 'f'
        float[] oldMask = HostArrays.toFloatsC(layer.mask());
        int area = (int) layer.weightsPerMaskEntry();
        float[] w = HostArrays.toFloatsC(layer.weights());
        float[] meanAbsW = kernelMeanAbs(w, area);
        UnitScores scores = new UnitScores(() -> UnitScores.sliceNorms(w, area), () -> event.hebbian(layer.name()),
                () -> {
                    float[] g = event.denseGradient(layer.name());
                    return g == null ? null : UnitScores.sliceNorms(g, area);
                });
        SplittableRandom rng = event.rng(layer.getIndex());
        MaskRewiring.Choice c = MaskRewiring.choose(oldMask, event.fraction(), scores, config, rng);

        double meanAbsActive = MaskRewiring.mean(meanAbsW, c.active());
        float[] hebbian = scores.hebbianOrNull();
        float[] newMask = MaskUpdater.apply(layer, oldMask, c.pruned(), c.grown(), config.regrowth(), meanAbsActive,
                event.updater(), rng);
        if (labels == null) {
            labels = new int[][] {layer.g2gConf().inputPartition(event.networkSeed()).labels(),
                    layer.g2gConf().outputPartition(event.networkSeed()).labels()};
        }
        return MaskRewiring.describe(layer.name(), layer.getIndex(), event, RewiringEvent.CHANNEL_PAIRS, labels[0],
                labels[1], oldMask, newMask, c, meanAbsW, meanAbsActive, hebbian);
    }

    /** Mean |w| of every kernel (consecutive runs of {@code area} weights). */
    private static float[] kernelMeanAbs(float[] w, int area) {
        float[] out = new float[w.length / area];
        for (int u = 0; u < out.length; u++) {
            double s = 0;
            for (int j = u * area; j < (u + 1) * area; j++) {
                s += Math.abs(w[j]);
            }
            out[u] = (float) (s / area);
        }
        return out;
    }
}
