package org.g2gnet.layers;

import org.g2gnet.topology.ConnectionMask;

/**
 * What every runtime G2G layer (dense with masked or structured execution, or convolution) tells about its
 * connectivity.
 */
public interface G2GLayer {
    /** @return the layer's name, or its index when unnamed */
    String name();

    /**
     * @return the connection mask it computes with, [nIn, nOut] (for structured layers: the equivalent one; for
     *         convolutions: the channel-pair mask, one entry per (input channel, output channel))
     */
    ConnectionMask currentMask();

    /**
     * @return weights that can be non-zero: the mask's active entries times {@link #weightsPerMaskEntry()} (for a
     *         convolution, active channel pairs x kH x kW)
     */
    long activeConnections();

    /** @return weights of the dense layer of the same shape: nIn * nOut (times kH * kW for a convolution) */
    long totalConnections();

    /** @return weights behind one mask entry: 1 for dense layers, kH * kW for a convolution's channel pair */
    default long weightsPerMaskEntry() {
        return 1;
    }

    /** @return active weights + biases (masks and indices excluded) */
    long activeParams();
}
