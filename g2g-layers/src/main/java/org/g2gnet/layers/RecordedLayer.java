package org.g2gnet.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A runtime G2G layer whose activity {@link ActivityRecorder} records for dynamic sparse training: its input and
 * output of a training batch (for the Hebbian statistics) and, when asked, its dense weight gradient (every weight,
 * connected or not, before masking). The masked and structured dense layers and the G2G convolution are such
 * layers; their input and output are rows [minibatch, features] or, for a convolution, activation maps.
 */
public interface RecordedLayer extends Layer, G2GLayer {

    /**
     * @return the layout of the layer's input and output when they are activation maps ([minibatch, channels, height,
     *         width] for NCHW, [minibatch, height, width, channels] for NHWC), or null when they are rows
     *         [minibatch, features]
     */
    default CNN2DFormat activationMaps() {
        return null;
    }

    /**
     * @return the shape of the dense weight gradient: [nIn, nOut] for a dense layer, [nOut, nIn, kH, kW] for a
     *         convolution
     */
    long[] denseGradientShape();

    /** @return the order ('f' or 'c') in which the dense weight gradient is laid out: 'f' dense, 'c' convolution */
    char denseGradientOrder();

    /**
     * Asks the layer to write its dense weight gradient (before masking and regularisation) into {@code sink} on
     * every backward pass, until called again with null. When no sink is given this costs nothing.
     *
     * @param sink an array of {@link #denseGradientShape()} in {@link #denseGradientOrder()}, detached from
     *             workspaces, or null to stop
     * @throws IllegalArgumentException naming the layer and both shapes when the sink has another shape
     */
    void captureDenseGradient(INDArray sink);
}
