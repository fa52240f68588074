package org.g2gnet.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.g2gnet.G2GTestBase;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;

/** What a layer needs in memory, and a layer too large for this JVM refused before anything is allocated. */
class LayerMemoryTest extends G2GTestBase {

    @Test
    void figuresOfAMaskedAndAStructuredLayer() {
        G2GDenseLayer masked = new G2GDenseLayer.Builder().name("m").nIn(1024).nOut(2048).updater(new Adam()).build();
        LayerMemory m = LayerMemory.of(masked, DataType.FLOAT);
        assertEquals((2L * 1024 * 2048 + 2048) * 4, m.parameterBytes());
        assertEquals(2L * (1024 * 2048 + 2048) * 4, m.updaterStateBytes(), "Adam: two moments of W and b, none of M");
        assertEquals("W 8.0 MB, M 8.0 MB, b 8.0 KB, updater state (Adam) 16.0 MB", m.describe());
        assertEquals(m.parameterBytes() + m.updaterStateBytes(), m.trainingBytes());
        assertEquals(8, LayerMemory.of(masked, DataType.DOUBLE).bytesPerValue());

        G2GDenseLayer structured = new G2GDenseLayer.Builder().name("s").nIn(64).nOut(64).groups(8).pInter(1.0 / 7)
                .execution(Execution.STRUCTURED).updater(new Adam()).build();
        LayerMemory s = LayerMemory.of(structured, DataType.FLOAT);
        assertEquals(G2GParamInitializer.getInstance().numParams(structured) * 4, s.parameterBytes());
        assertTrue(s.weights() < 64 * 64, "compact storage");
        // the layer's memory report counts the same parameters and updater state
        LayerMemoryReport r = masked.getMemoryReport(InputType.feedForward(1024));
        assertEquals(m.updaterState(), r.getUpdaterStateSize());
        assertEquals(m.weights() + m.mask() + m.bias(), r.getParameterSize());
    }

    @Test
    void availableMemoryIsReportedWithItsSources() {
        LayerMemory.Available a = LayerMemory.Available.now();
        assertTrue(a.offHeap() > 0 && a.heap() > 0);
        assertTrue(a.describe().contains("physical memory") && a.describe().contains("Java heap -Xmx"), a.describe());
    }

    @Test
    void aLayerTooLargeForThisJvmIsRefusedAtInitBeforeAllocating() {
        // 46,000 x 46,000 fits in the mask's array but needs 15.8 GB for W and M: more than the tests' JVM may use
        G2GDenseLayer probe = new G2GDenseLayer.Builder().nIn(46_000).nOut(46_000).build();
        LayerMemory need = LayerMemory.of(probe, DataType.FLOAT);
        assumeTrue(need.parameterBytes() > LayerMemory.Available.now().offHeap(),
                "this JVM could allocate the layer; the test would allocate it");
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().updater(new Adam()).list()
                .layer(new G2GDenseLayer.Builder().name("huge").nOut(46_000).build())
                .layer(new OutputLayer.Builder().nOut(2).build())
                .setInputType(InputType.feedForward(46_000)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        IllegalStateException e = assertThrows(IllegalStateException.class, net::init);
        assertTrue(e.getMessage().startsWith("G2GDenseLayer 'huge': too large for this JVM"), e.getMessage());
        assertTrue(e.getMessage().contains("W 7.9 GB, M 7.9 GB") && e.getMessage().contains("updater state (Adam) 15.8 GB")
                && e.getMessage().contains("are available") && e.getMessage().contains("maxPhysicalBytes"), e.getMessage());
    }

    @Test
    void anEmptyBernoulliDrawIsRefusedAtInit() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new G2GDenseLayer.Builder().name("sparse").nIn(16).nOut(16).groups(4).pIntra(0).pInter(1e-9)
                        .exactCount(false).build())
                .layer(new OutputLayer.Builder().nIn(16).nOut(2).build()).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MultiLayerNetwork(conf).init());
        assertTrue(e.getMessage().contains("G2GDenseLayer 'sparse'") && e.getMessage().contains("came out empty"),
                e.getMessage());
    }
}
