package org.g2gnet.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The math of the masked layer, as static methods on plain arrays.
 */
public final class MaskedMath {
    private MaskedMath() {
    }

    /**
     * Effective weights {@code out = W * M} (elementwise).
     *
     * @param w   weights [nIn, nOut]
     * @param m   0/1 mask [nIn, nOut]
     * @param out result [nIn, nOut], may be a fresh buffer; not W or M
     * @return out
     */
    public static INDArray maskInto(INDArray w, INDArray m, INDArray out) {
        Nd4j.getExecutioner().exec(new MulOp(w, m, out));
        return out;
    }

    /**
     * The forward pass of a masked layer before activation, {@code x (W * M) + b}, for reference and tests.
     *
     * @param x input [minibatch, nIn]
     * @param w weights [nIn, nOut]
     * @param b bias [1, nOut]
     * @param m mask [nIn, nOut]
     * @return pre-activations [minibatch, nOut]
     */
    public static INDArray preOutput(INDArray x, INDArray w, INDArray b, INDArray m) {
        return x.mmul(w.mul(m)).addiRowVector(b);
    }
}
