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
}
