package org.g2gnet.layers;

import org.deeplearning4j.nn.api.Layer;
import org.g2gnet.activity.ActivityRecorder;
import org.g2gnet.activity.ActivitySource;
import org.g2gnet.conf.G2GParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A runtime G2G layer whose activity {@link ActivityRecorder} records for dynamic sparse training: its input and
 * output of a training batch (for the Hebbian statistics) and, when asked, its dense weight gradient (every weight,
 * connected or not, before masking). The masked and structured dense layers and the G2G convolution are such
 * layers; their input and output are rows [minibatch, features] or, for a convolution, activation maps.
 */
public interface RecordedLayer extends Layer, G2GLayer, ActivitySource {

    /** @return the data type of the layer's weights */
    @Override
    default DataType activityDataType() {
        return getParam(G2GParamInitializer.WEIGHT_KEY).dataType();
    }
}
