package org.g2gnet;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.g2gnet.layers.G2GConvolutionLayerImpl;
import org.g2gnet.layers.G2GDenseLayerImpl;
import org.g2gnet.layers.G2GLayer;
import org.g2gnet.arrays.HostArrays;

/**
 * Checks what parameter averaging (DL4J's ParallelWrapper, its Spark engine) must never break: every mask is 0/1
 * (an average of different masks would leave fractions) and every masked weight is exactly 0 (a G2G convolution's:
 * every weight of a masked kernel). The engines run it after every averaging; {@link G2GNetworks#sparsityReport}
 * runs the mask part before it counts anything.
 */
public final class MaskIntegrity {
    private MaskIntegrity() {
    }

    /**
     * @param net   a MultiLayerNetwork or ComputationGraph, e.g. the driver's network after a training round
     * @param where what just happened, for the message
     * @throws IllegalStateException naming the layer and the value when a mask entry is not 0 or 1, or a masked
     *                               weight is not 0
     */
    public static void check(Model net, String where) {
        for (Layer l : layers(net)) {
            if (!(l instanceof G2GLayer g)) {
                continue;
            }
            float[] m = checkMask(l, g, where);
            if (l instanceof G2GDenseLayerImpl d) {
                double leak = d.weights().mul(d.mask().rsub(1)).amaxNumber().doubleValue();
                if (leak != 0) {
                    throw new IllegalStateException("layer '" + g.name() + "': a masked weight is " + leak + " after "
                            + where + "; masked weights must stay exactly 0");
                }
            }
            if (l instanceof G2GConvolutionLayerImpl c) {
                checkKernels(c, where);
            }
        }
    }

    /**
     * The mask part alone: every mask entry of every G2G layer is 0 or 1.
     *
     * @param net   a MultiLayerNetwork or ComputationGraph
     * @param where what just happened, for the message
     * @throws IllegalStateException naming the layer, the entry and the value
     */
    public static void checkMasks(Model net, String where) {
        for (Layer l : layers(net)) {
            if (l instanceof G2GLayer g) {
                checkMask(l, g, where);
            }
        }
    }

    private static Layer[] layers(Model net) {
        if (net instanceof MultiLayerNetwork m) {
            return m.getLayers();
        }
        if (net instanceof ComputationGraph g) {
            return g.getLayers();
        }
        throw new IllegalArgumentException("expected a MultiLayerNetwork or ComputationGraph, got "
                + (net == null ? "null" : net.getClass().getName()));
    }

    private static float[] checkMask(Layer l, G2GLayer g, String where) {
        float[] m;
        if (l instanceof G2GDenseLayerImpl d) {
            m = HostArrays.toFloats(d.mask());
        } else if (l instanceof G2GConvolutionLayerImpl c) {
            m = HostArrays.toFloatsC(c.mask());
        } else {
            try {
                // structured layers: the mask is derived from the tile indices, which it validates
                m = g.currentMask().values();
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("layer '" + g.name() + "': invalid connections after " + where
                        + ": " + e.getMessage(), e);
            }
        }
        for (int k = 0; k < m.length; k++) {
            if (m[k] != 0f && m[k] != 1f) {
                throw new IllegalStateException("layer '" + g.name() + "': mask entry " + k + " is " + m[k]
                        + " after " + where + "; masks must be 0/1 (were they averaged across different masks? "
                        + "train with rewiring on several workers through org.g2gnet.parallel.ParallelRewiring)");
            }
        }
        return m;
    }

    /** Every weight of a masked kernel W[o, i, :, :] (M[o, i] == 0) must be exactly 0. */
    private static void checkKernels(G2GConvolutionLayerImpl c, String where) {
        long[] shape = c.weights().shape();
        int nIn = (int) shape[1];
        int positions = (int) (shape[2] * shape[3]);
        // W [nOut, nIn, kH, kW] and M [nOut, nIn], both read in 'c' order: kernel (o, i) is mask entry o * nIn + i
        float[] w = HostArrays.toFloatsC(c.weights());
        float[] m = HostArrays.toFloatsC(c.mask());
        for (int pair = 0; pair < m.length; pair++) {
            if (m[pair] != 0f) {
                continue;
            }
            for (int p = pair * positions; p < (pair + 1) * positions; p++) {
                if (w[p] != 0f) {
                    throw new IllegalStateException("layer '" + c.name() + "': masked kernel (o " + pair / nIn + ", i "
                            + pair % nIn + ") has weight " + w[p] + " after " + where
                            + "; masked kernels must stay exactly 0");
                }
            }
        }
    }
}
