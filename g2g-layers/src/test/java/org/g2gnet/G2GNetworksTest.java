package org.g2gnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.g2gnet.conf.G2GDenseLayer;
import org.g2gnet.topology.Grouping;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;

class G2GNetworksTest extends G2GTestBase {

    @Test
    void mixerStackLinesUpGroupings() {
        List<G2GDenseLayer> s = G2GNetworks.mixerStack(784, new int[] {64, 64, 64}, b -> b.groups(8));
        assertEquals(Grouping.INDEX, s.get(0).getInputGrouping());
        assertEquals(Grouping.INDEX, s.get(0).getGrouping());
        assertEquals(Grouping.INDEX, s.get(1).getInputGrouping());
        assertEquals(Grouping.INTERLEAVED, s.get(1).getGrouping());
        assertEquals(Grouping.INTERLEAVED, s.get(2).getInputGrouping());
        assertEquals(Grouping.INDEX, s.get(2).getGrouping());
        assertEquals(784, s.get(0).getNIn());
        assertEquals(64, s.get(2).getNIn());
    }

    @Test
    void sparsityReportCountsActiveParamsWithoutMasks() {
        MultiLayerNetwork net = g2gNet(32, new int[] {16, 16}, 4, 0.2, Activation.RELU, new Adam(1e-3), DataType.FLOAT, 5);
        G2GNetworks.SparsityReport r = G2GNetworks.sparsityReport(net);
        assertEquals(3, r.layers().size());
        long m0 = Math.round(net.getLayer(0).getParam("M").sumNumber().doubleValue());
        long m1 = Math.round(net.getLayer(1).getParam("M").sumNumber().doubleValue());
        assertEquals(m0, r.layers().get(0).activeConnections());
        assertEquals(32 * 16, r.layers().get(0).totalConnections());
        assertEquals(m0 + 16, r.layers().get(0).activeParams());
        assertEquals(16 * 5 + 5, r.layers().get(2).activeParams());
        assertEquals(m0 + 16 + m1 + 16 + 85, r.activeParams());
        // DL4J's count includes the masks
        assertEquals(r.activeParams() + (32 * 16 - m0) + (16 * 16 - m1) + 32 * 16 + 16 * 16, net.numParams());
        double expectedDensity = 0.25 + 0.2 * 0.75;
        assertEquals(expectedDensity, r.layers().get(0).density(), 0.02);
        assertTrue(r.toString().contains("G2GDenseLayer"));
        assertThrows(IllegalArgumentException.class, () -> G2GNetworks.sparsityReport(null));
    }
}
