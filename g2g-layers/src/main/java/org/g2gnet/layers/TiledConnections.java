package org.g2gnet.layers;

import org.deeplearning4j.nn.api.Layer;
import org.g2gnet.topology.ConnectionMask;
import org.g2gnet.topology.TileLayout;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One G2G layer in structured execution, as tile rewiring sees it: its layout, the slot tiles its index
 * holds, and views of its compact weights, index and weight gradient inside the DL4J layer that owns them
 * (the layer itself for {@link G2GStructuredLayerImpl}, the block for an inner layer of
 * {@link G2GBlockImpl}). Writing the index and the weights through these views is how its connections are
 * changed; the owner notices a changed index on its next pass.
 */
public interface TiledConnections {
    /** @return the layer's name (an inner layer of a block: the block's name, a slash and its position) */
    String name();

    /** @return groups, fan-in K, tile size and slots per group */
    TileLayout layout();

    /** @return the slot tiles [G][c] the index holds now (a copy) */
    int[][] slots();

    /** @return the index [G][K] as host ints (a copy; read from the device only when it changed) */
    int[][] hostIndex();

    /** @return the compact weights [G, K, nOut / G] (a view into the network's parameters) */
    INDArray weights();

    /** @return the input index [G, K] (a view into the network's parameters) */
    INDArray index();

    /** @return the gradient of the compact weights [G, K, nOut / G] (a view into the network's gradient) */
    INDArray weightGradient();

    /** @return the DL4J layer that holds these parameters */
    Layer owner();

    /** @return the key of the compact weights in the owner's parameter table (for its updater state) */
    String weightParam();

    /** @return the 0/1 mask a masked layer would need to compute the same function [nIn, nOut] */
    ConnectionMask equivalentMask();

    /** @return dense weights [nIn, nOut] ('f' order): this layer's where connected, 0 elsewhere */
    INDArray equivalentWeights();
}
