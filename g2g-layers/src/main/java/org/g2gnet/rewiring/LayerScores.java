package org.g2gnet.rewiring;

import java.util.function.Supplier;

/**
 * The per-entry quantities a criterion may rank by, for one layer at one event, as host arrays in the
 * flattened 'f' order of the weights (index {@code i + o * nIn}). Each is copied from the device at most
 * once, and only when a criterion or a diagnostic asks for it.
 */
final class LayerScores {
    private final Supplier<float[]> weightsSource;
    private final Supplier<float[]> hebbianSource;
    private final Supplier<float[]> gradientSource;
    private float[] absWeights;
    private float[] hebbian;
    private boolean hebbianLoaded;
    private float[] absGradient;

    LayerScores(Supplier<float[]> weights, Supplier<float[]> hebbian, Supplier<float[]> denseGradient) {
        this.weightsSource = weights;
        this.hebbianSource = hebbian;
        this.gradientSource = denseGradient;
    }

    float[] absWeights() {
        if (absWeights == null) {
            absWeights = abs(weightsSource.get());
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
            float[] g = gradientSource.get();
            if (g == null) {
                throw new IllegalStateException("the dense gradient was not captured for this event");
            }
            absGradient = abs(g);
        }
        return absGradient;
    }

    private static float[] abs(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.abs(v[i]);
        }
        return out;
    }
}
