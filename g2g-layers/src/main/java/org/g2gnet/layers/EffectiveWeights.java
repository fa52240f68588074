package org.g2gnet.layers;

import java.util.Arrays;
import java.util.function.Supplier;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import org.g2gnet.arrays.Workspaces;

/**
 * The effective weights of a masked layer (W with the mask applied) in one buffer the layer owns, detached from
 * workspaces: computed on every forward pass, and reused by the backward pass of the same training iteration (DL4J
 * asks for the weights again there; W has not changed in between). The dense and the convolution layers differ only
 * in how the mask applies ({@link Masking}) and in the buffer's order. A new masked layer kind (docs/EXTENDING.md)
 * uses it the same way.
 */
public final class EffectiveWeights {
    /** Writes W with the mask applied into {@code out}. */
    @FunctionalInterface
    public interface Masking {
        /**
         * @param w    the weights
         * @param mask the mask
         * @param out  where W with the mask applied goes
         */
        void into(INDArray w, INDArray mask, INDArray out);
    }

    private final Masking masking;
    private final char order;
    private INDArray buffer;
    private boolean valid;
    private boolean inBackprop;

    /**
     * @param masking how the mask applies to W
     * @param order   the buffer's order ('f' for a dense layer's [nIn, nOut], 'c' for kernels)
     */
    public EffectiveWeights(Masking masking, char order) {
        this.masking = masking;
        this.order = order;
    }

    /**
     * @param w        the weights (a parameter view)
     * @param mask     the mask
     * @param training whether this forward pass trains (then the backward pass may reuse the result)
     * @return the effective weights, in the layer's buffer
     */
    public INDArray of(INDArray w, INDArray mask, boolean training) {
        if (inBackprop && valid) {
            return buffer;
        }
        if (buffer == null || buffer.dataType() != w.dataType() || !Arrays.equals(buffer.shape(), w.shape())) {
            buffer = Workspaces.detached(() -> Nd4j.createUninitialized(w.dataType(), w.shape(), order));
        }
        masking.into(w, mask, buffer);
        valid = training;
        return buffer;
    }

    /**
     * Runs a backward pass, in which {@link #of} returns the forward pass's result; after it, the next call computes
     * again.
     *
     * @param pass the backward pass
     * @param <T>  what it returns
     * @return what it returned
     */
    public <T> T duringBackprop(Supplier<T> pass) {
        inBackprop = true;
        try {
            return pass.get();
        } finally {
            inBackprop = false;
            valid = false;
        }
    }

    /** Forgets the result (the layer was cleared: parameters may change before the next pass). */
    public void invalidate() {
        valid = false;
    }
}
