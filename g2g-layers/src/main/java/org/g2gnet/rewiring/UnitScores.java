package org.g2gnet.rewiring;

import java.util.function.Supplier;

/**
 * What a criterion may rank the units of one layer by, at one event: |w|, the Hebbian score and |dL/dw| of the
 * dense gradient, one value per unit. A unit is what an event adds or removes:
 * <ul>
 *   <li>a connection of a masked layer (index {@code i + o * nIn}, the flattened 'f' order of the weights);</li>
 *   <li>a slot or a candidate tile of a structured layer, whose value is then the mean of the per-connection values
 *       over the tile's connections;</li>
 *   <li>a channel pair (o, i) of a convolution (index {@code i + o * nIn}, the 'c' order of its mask [nOut, nIn]),
 *       whose |w| is the L2 norm of its kernel W[o, i, :, :] ({@link #sliceNorms}), whose |dL/dw| is the L2 norm
 *       of the dense kernel gradient's slice dL/dW[o, i, :, :], and whose Hebbian score is that of its two
 *       channels (the cosine over batch x positions of their pooled activation maps).</li>
 * </ul>
 * A connection's |w| is the L2 norm of its one weight, so the three definitions of |w| are one. Each array is
 * computed at most once, when a criterion or a diagnostic first asks for it.
 */
public final class UnitScores {
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

    /** @return |w| per unit (a connection's |weight|, a slot's mean, a channel pair's kernel norm) */
    public float[] absWeights() {
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

    /**
     * @return the Hebbian score per unit
     * @throws IllegalStateException when no Hebbian statistics were collected for this event
     */
    public float[] hebbian() {
        float[] h = hebbianOrNull();
        if (h == null) {
            throw new IllegalStateException("Hebbian scores were not collected for this event");
        }
        return h;
    }

    /**
     * @return |dL/dw| of the dense gradient per unit (only for growth criteria whose
     *         {@link GrowthCriterion#needsDenseGradient()} is true)
     * @throws IllegalStateException when the dense gradient was not captured for this event
     */
    public float[] absDenseGradient() {
        if (absGradient == null) {
            absGradient = absGradientSource.get();
            if (absGradient == null) {
                throw new IllegalStateException("the dense gradient was not captured for this event");
            }
        }
        return absGradient;
    }

    /**
     * The L2 norm of every slice of consecutive values, e.g. of every kernel W[o, i, :, :] of a convolution's weights
     * [nOut, nIn, kH, kW] in 'c' order (slice length kH x kW), each summed in double.
     *
     * @param v     values, a multiple of {@code slice} long
     * @param slice values per slice, &gt;= 1
     * @return one norm per slice, v.length / slice values
     */
    static float[] sliceNorms(float[] v, int slice) {
        float[] out = new float[v.length / slice];
        for (int u = 0; u < out.length; u++) {
            double s = 0;
            for (int j = u * slice; j < (u + 1) * slice; j++) {
                s += (double) v[j] * v[j];
            }
            out[u] = (float) Math.sqrt(s);
        }
        return out;
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
