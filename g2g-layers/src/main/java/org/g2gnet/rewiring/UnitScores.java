package org.g2gnet.rewiring;

import java.util.function.Supplier;

/**
 * What a criterion may rank the units of one layer by, at one event: |w|, the Hebbian score and |dL/dw| of the
 * dense gradient, one value per unit. A unit is what an event adds or removes: a connection for a masked layer
 * (index {@code i + o * nIn}, the flattened 'f' order of the weights), a slot or a candidate tile for a structured
 * layer, whose value is then the mean of the per-connection values over the tile's connections. Each array is
 * computed at most once, when a criterion or a diagnostic first asks for it.
 */
final class UnitScores {
    private final Supplier<float[]> absWeightsSource;
    private final Supplier<float[]> hebbianSource;
    private final Supplier<float[]> absGradientSource;
    private float[] absWeights;
    private float[] hebbian;
    private boolean hebbianLoaded;
    private float[] absGradient;

    /**
     * @param absWeights       |w| per unit
     * @param hebbian          Hebbian score per unit, or null when none was collected
     * @param absDenseGradient |dL/dw| per unit, or null when the gradient was not captured
     */
    UnitScores(Supplier<float[]> absWeights, Supplier<float[]> hebbian, Supplier<float[]> absDenseGradient) {
        this.absWeightsSource = absWeights;
        this.hebbianSource = hebbian;
        this.absGradientSource = absDenseGradient;
    }

    float[] absWeights() {
        if (absWeights == null) {
            absWeights = absWeightsSource.get();
        }
        return absWeights;
    }

    /** @return the Hebbian scores, or null when none were collected */
    float[] hebbianOrNull() {
        if (!hebbianLoaded) {
            hebbian = hebbianSource.get();
            hebbianLoaded = true;
        }
        return hebbian;
    }

    float[] hebbian() {
        float[] h = hebbianOrNull();
        if (h == null) {
            throw new IllegalStateException("Hebbian scores were not collected for this event");
        }
        return h;
    }

    float[] absDenseGradient() {
        if (absGradient == null) {
            absGradient = absGradientSource.get();
            if (absGradient == null) {
                throw new IllegalStateException("the dense gradient was not captured for this event");
            }
        }
        return absGradient;
    }

    /**
     * @param v values
     * @return a new array of their absolute values
     */
    static float[] abs(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.abs(v[i]);
        }
        return out;
    }
}
