package org.g2gnet.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The math of the G2G convolution, as static methods on plain arrays: a channel-pair mask applied to every kernel
 * position.
 */
public final class ChannelMaskMath {
    private ChannelMaskMath() {
    }

    /**
     * Effective kernels {@code out[o, i, y, x] = w[o, i, y, x] * m[o, i]}.
     *
     * @param w   kernels (or their gradient) [nOut, nIn, kH, kW]
     * @param m   0/1 channel-pair mask [nOut, nIn]
     * @param out result [nOut, nIn, kH, kW]; may be w itself (in place), not m
     * @return out
     */
    public static INDArray maskKernelsInto(INDArray w, INDArray m, INDArray out) {
        if (w.rank() != 4 || m.rank() != 2 || w.size(0) != m.size(0) || w.size(1) != m.size(1)) {
            throw new IllegalArgumentException("ChannelMaskMath: kernels " + java.util.Arrays.toString(w.shape())
                    + " do not match the channel mask " + java.util.Arrays.toString(m.shape())
                    + " (expected [nOut, nIn, kH, kW] and [nOut, nIn])");
        }
        Nd4j.getExecutioner().exec(new BroadcastMulOp(w, m, out, 0, 1));
        return out;
    }
}
