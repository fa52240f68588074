package org.g2gnet.layers;

import org.g2gnet.topology.ConnectionMask;

/** What every runtime G2G layer (masked or structured execution) tells about its connectivity. */
public interface G2GLayer {
    /** @return the layer's name, or its index when unnamed */
    String name();

    /** @return the connection mask it computes with, [nIn, nOut] (for structured layers: the equivalent one) */
    ConnectionMask currentMask();

    /** @return connections that can carry a non-zero weight */
    long activeConnections();

    /** @return nIn * nOut */
    long totalConnections();

    /** @return active weights + biases (masks and indices excluded) */
    long activeParams();
}
