package org.g2gnet.spark;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.g2gnet.layers.G2GDenseLayerImpl;
import org.g2gnet.layers.G2GLayer;
import org.g2gnet.layers.HostArrays;

/**
 * Checks what parameter averaging must never break: every mask is 0/1 (an average of different masks would
 * leave fractions) and every masked weight is exactly 0.
 */
public final class MaskIntegrity {
    private MaskIntegrity() {
    }

    /**
     * @param net   the driver's network after a training round
     * @param where what just happened, for the message
     * @throws IllegalStateException naming the layer and the value when a mask entry is not 0 or 1, or a masked
     *                               weight is not 0
     */
    public static void check(MultiLayerNetwork net, String where) {
        for (Layer l : net.getLayers()) {
            if (!(l instanceof G2GLayer g)) {
                continue;
            }
            float[] m;
            if (l instanceof G2GDenseLayerImpl d) {
                m = HostArrays.toFloats(d.mask());
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
                            + " after " + where + "; masks must be 0/1 (were they averaged across different masks?)");
                }
            }
            if (l instanceof G2GDenseLayerImpl d) {
                double leak = d.weights().mul(d.mask().rsub(1)).amaxNumber().doubleValue();
                if (leak != 0) {
                    throw new IllegalStateException("layer '" + g.name() + "': a masked weight is " + leak + " after "
                            + where + "; masked weights must stay exactly 0");
                }
            }
        }
    }
}
