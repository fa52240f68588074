package org.g2gnet.layers;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keeps arrays of a training forward pass (the pre-activation, gathered inputs) for the backward pass of
 * the same iteration, instead of recomputing them as DL4J's BaseLayer does (its backward pass runs the
 * forward GEMM again). An entry is only handed out for the same input array and while the workspace it
 * lives in is still in the generation it was written in; otherwise the caller recomputes, so a stale
 * array is never used.
 */
final class ForwardCache {
    private INDArray input;
    private INDArray preOutput;
    private INDArray extra;

    /**
     * Stores copies (in the activations workspace, which lives through the backward pass).
     *
     * @param input     the input the arrays were computed from
     * @param preOutput pre-activation, copied because the activation overwrites it
     * @param extra     another array to keep as it is (may be null)
     * @param mgr       the workspace manager of the forward pass
     */
    void store(INDArray input, INDArray preOutput, INDArray extra, LayerWorkspaceMgr mgr) {
        this.input = input;
        this.preOutput = mgr.dup(ArrayType.ACTIVATIONS, preOutput);
        this.extra = extra == null ? null : mgr.leverageTo(ArrayType.ACTIVATIONS, extra);
    }

    /** @return the cached pre-activation for this input, or null (consumed: a second call returns null) */
    INDArray takePreOutput(INDArray currentInput) {
        INDArray z = valid(currentInput, preOutput) ? preOutput : null;
        preOutput = null;
        return z;
    }

    /** @return the cached extra array for this input, or null */
    INDArray extra(INDArray currentInput) {
        return valid(currentInput, extra) ? extra : null;
    }

    void clear() {
        input = null;
        preOutput = null;
        extra = null;
    }

    private boolean valid(INDArray currentInput, INDArray a) {
        return a != null && currentInput == input && current(a);
    }

    /**
     * @param a an array kept from an earlier pass
     * @return whether it still holds what was written: in scope, and its workspace (if any) still in the generation
     *         it was allocated in
     */
    static boolean current(INDArray a) {
        if (!a.isInScope()) {
            return false;
        }
        return !a.isAttached() || a.data().getGenerationId() == a.data().getParentWorkspace().getGenerationId();
    }
}
