package org.g2gnet.activity;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import org.g2gnet.arrays.HostArrays;
import org.g2gnet.arrays.Workspaces;

/**
 * What a rewiring event needs to know about the activity of each rewirable unit ({@link ActivitySource}: a G2G
 * layer, or an inner layer of a block), recorded
 * during training: the Hebbian statistics ({@link HebbianStats}, one per layer: over input and output neurons for a
 * dense layer, over input and output channels for a convolution) and the dense weight gradient of the last
 * backward pass ({@code x^T delta} [nIn, nOut], or a convolution's kernel gradient [nOut, nIn, kH, kW]). It owns
 * every buffer (detached from workspaces) and hands host copies to the rewiring code; it does not decide when to
 * record (the rewiring schedule does).
 *
 * <p>Layers are keyed by name, so a recorder follows a network across re-binds (a restored or cloned network
 * has the same names).</p>
 */
public final class ActivityRecorder {
    private final double decay;
    private final boolean center;
    private final boolean deferred;
    private final Map<String, HebbianStats> stats = new HashMap<>();
    private final Map<String, INDArray> gradientSinks = new HashMap<>();

    /**
     * A Hebbian average saved for a later run.
     *
     * @param values  the score [nIn, nOut] in 'f' order, in the network's precision
     * @param nIn     rows
     * @param nOut    columns
     * @param batches number of batches it averages
     */
    public record Average(double[] values, long nIn, long nOut, int batches) {
    }

    /**
     * @param decay    weight of the old Hebbian score when a batch is added, in [0, 1); 0 keeps the last batch only
     * @param center   centre the activations on their batch mean first (Pearson instead of the raw cosine)
     * @param deferred keep the last batch's activations and reduce them only when the score is read (for
     *                 schedules that learn only afterwards whether a batch was the last before an event)
     */
    public ActivityRecorder(double decay, boolean center, boolean deferred) {
        this.decay = decay;
        this.center = center;
        this.deferred = deferred;
    }

    /**
     * Records one training batch of a unit: its input ({@code layer.input()}; nothing is recorded when that is
     * null) and its output.
     *
     * @param layer  the unit, after its forward pass
     * @param output the unit's output after activation [minibatch, nOut], or a convolution's output maps (in the
     *               forward pass's workspace)
     */
    public void record(ActivitySource layer, INDArray output) {
        INDArray input = layer.input();
        if (input == null) {
            return;
        }
        HebbianStats s = statsOf(layer.name());
        stash(s, layer, input, output);
        if (!deferred) {
            s.accumulateStashed(decay, center);
        }
    }

    private static void stash(HebbianStats s, ActivitySource layer, INDArray input, INDArray output) {
        if (layer.activationMaps() == null) {
            s.stash(input, output);
        } else {
            s.stashMaps(input, output, layer.activationMaps());
        }
    }

    /**
     * Sets a layer's Hebbian score to that of one sample (no average), e.g. for an event outside training.
     *
     * @param layer  the layer
     * @param input  its input [n, nIn] (a convolution's: its input maps)
     * @param output its output after activation [n, nOut] (a convolution's: its output maps)
     */
    public void recordSample(ActivitySource layer, INDArray input, INDArray output) {
        HebbianStats s = statsOf(layer.name());
        stash(s, layer, input, output);
        s.accumulateStashed(0, center);
    }

    private HebbianStats statsOf(String layer) {
        return stats.computeIfAbsent(layer, k -> new HebbianStats());
    }

    /**
     * Starts or stops the capture of a layer's dense gradient on its backward passes (the buffer is allocated on
     * the first start and kept).
     *
     * @param layer the layer
     * @param want  capture from now on (true) or not
     */
    public void captureGradient(ActivitySource layer, boolean want) {
        INDArray sink = !want ? null : gradientSinks.computeIfAbsent(layer.name(), k -> Workspaces.detached(() ->
                Nd4j.create(layer.activityDataType(), layer.denseGradientShape(), layer.denseGradientOrder())));
        layer.captureDenseGradient(sink);
    }

    /**
     * @param layer a layer name
     * @return a host copy of its Hebbian score [nIn, nOut] in 'f' order, or null when nothing was recorded
     */
    public float[] hebbian(String layer) {
        HebbianStats s = stats.get(layer);
        if (s == null) {
            return null;
        }
        if (s.hasStash()) {
            s.accumulateStashed(0, center);
        }
        INDArray score = s.score();
        return score == null ? null : HostArrays.toFloats(score);
    }

    /**
     * @param layer a layer name
     * @return a host copy of its last captured dense gradient in the layer's order: [nIn, nOut] in 'f' order for a
     * dense layer (index {@code i + o * nIn}), [nOut, nIn, kH, kW] in 'c' order for a convolution (index
     * {@code ((o * nIn + i) * kH + y) * kW + x}); null when none was ever captured
     */
    public float[] denseGradient(String layer) {
        INDArray g = gradientSinks.get(layer);
        if (g == null) {
            return null;
        }
        return g.ordering() == 'c' ? HostArrays.toFloatsC(g) : HostArrays.toFloats(g);
    }

    /** Forgets every Hebbian score (after an event: the next batches start new ones). */
    public void reset() {
        for (HebbianStats s : stats.values()) {
            s.reset();
        }
    }

    /** @return the Hebbian averages in progress, by layer name, in the network's precision */
    public Map<String, Average> averages() {
        Map<String, Average> out = new LinkedHashMap<>();
        for (Map.Entry<String, HebbianStats> e : stats.entrySet()) {
            INDArray s = e.getValue().score();
            if (s != null) {
                out.put(e.getKey(), new Average(HostArrays.toDoubles(s), s.size(0), s.size(1), e.getValue().updates()));
            }
        }
        return out;
    }

    /**
     * Replaces every recorded score with saved averages.
     *
     * @param saved  averages by layer name
     * @param layers the network's rewirable units (averages of other names are ignored)
     */
    public void restore(Map<String, Average> saved, List<? extends ActivitySource> layers) {
        stats.clear();
        for (ActivitySource layer : layers) {
            Average a = saved.get(layer.name());
            if (a != null) {
                HebbianStats h = new HebbianStats();
                h.restore(a.values(), a.nIn(), a.nOut(), a.batches(), layer.activityDataType());
                stats.put(layer.name(), h);
            }
        }
    }
}
