package org.g2gnet.layers;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.g2gnet.G2GTestBase;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;

/** Input that does not fit the network fails with the layer's name and the shapes. */
class InputShapeTest extends G2GTestBase {

    @Test
    void wrongFeatureCountNamesTheLayerAndShapes() {
        MultiLayerNetwork net = g2gNet(20, new int[] {16}, 4, 0.2, Activation.RELU, new Adam(1e-3), DataType.FLOAT, 3);
        DataSet wrong = randomData(4, 21, 3, 1, DataType.FLOAT);
        Exception e = assertThrows(Exception.class, () -> net.fit(wrong));
        String m = e.getMessage();
        assertTrue(m.contains("layer name: layer0") && m.contains("G2GDenseLayerImpl") && m.contains("[4, 21]")
                && m.contains("20"), m);
        e = assertThrows(Exception.class, () -> net.output(wrong.getFeatures()));
        assertTrue(e.getMessage().contains("layer0"), e.getMessage());
    }

    @Test
    void wrongLabelCountNamesTheShapes() {
        MultiLayerNetwork net = g2gNet(20, new int[] {16}, 4, 0.2, Activation.RELU, new Adam(1e-3), DataType.FLOAT, 3);
        DataSet wrong = randomData(4, 20, 5, 1, DataType.FLOAT);
        Exception e = assertThrows(Exception.class, () -> net.fit(wrong));
        String m = e.getMessage();
        assertTrue(m.contains("[4, 5]") && m.contains("[4, 3]"), m);
    }
}
