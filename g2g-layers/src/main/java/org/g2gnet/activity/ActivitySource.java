package org.g2gnet.activity;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What {@link ActivityRecorder} reads of one rewirable unit: the name its statistics are kept under (and saved
 * under, in a listener's state), its input of the training batch just done and, when asked, its dense weight
 * gradient. Every runtime G2G layer is one ({@code org.g2gnet.layers.RecordedLayer}); so is an inner layer of a
 * block ({@code G2GBlockImpl.Inner}), which is no DL4J layer. That is why the recorder asks for this and not for a DL4J
 * {@code Layer}: an adapter {@code Layer} per inner layer would implement the whole DL4J interface to answer these
 * few questions.
 */
public interface ActivitySource {
    /** @return the unit's name (an inner layer of a block: the block's name, a slash and its position) */
    String name();

    /**
     * @return the unit's input of the last training forward pass, rows [minibatch, nIn] in the network's neuron
     *         order (a convolution: its input maps), or null when there is none to read (valid during the
     *         network's forward-pass callback)
     */
    INDArray input();

    /**
     * @return the layout of the unit's input and output when they are activation maps ([minibatch, channels,
     *         height, width] for NCHW, [minibatch, height, width, channels] for NHWC), or null when they are rows
     *         [minibatch, features]
     */
    default CNN2DFormat activationMaps() {
        return null;
    }

    /** @return the network's data type (that of the unit's weights) */
    DataType activityDataType();

    /**
     * @return the shape of the dense weight gradient: [nIn, nOut] for a dense layer, [nOut, nIn, kH, kW] for a
     *         convolution
     */
    long[] denseGradientShape();

    /** @return the order ('f' or 'c') in which the dense weight gradient is laid out: 'f' dense, 'c' convolution */
    char denseGradientOrder();

    /**
     * Asks the unit to write its dense weight gradient (before masking and regularisation) into {@code sink} on
     * every backward pass, until called again with null. When no sink is given this costs nothing.
     *
     * @param sink an array of {@link #denseGradientShape()} in {@link #denseGradientOrder()}, detached from
     *             workspaces, or null to stop
     * @throws IllegalArgumentException naming the layer and both shapes when the sink has another shape
     * @throws IllegalStateException    naming the unit when it cannot compute its dense gradient
     */
    void captureDenseGradient(INDArray sink);
}
