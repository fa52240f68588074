package org.g2gnet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.g2gnet.conf.G2GDenseLayer;
import org.g2gnet.topology.ConnectionMask;
import org.g2gnet.topology.Grouping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class G2GNetworksTest extends G2GTestBase {

    @Test
    void mixerStackGroupsBothSidesOfEachLayerByMixerK() {
        List<G2GDenseLayer> s = G2GNetworks.mixerStack(784, new int[] {64, 64, 64}, b -> b.groups(8));
        assertEquals(Grouping.INDEX, s.get(0).getInputGrouping());
        assertEquals(Grouping.INDEX, s.get(0).getGrouping());
        assertEquals(Grouping.INTERLEAVED, s.get(1).getInputGrouping());
        assertEquals(Grouping.INTERLEAVED, s.get(1).getGrouping());
        assertEquals(Grouping.INDEX, s.get(2).getInputGrouping());
        assertEquals(Grouping.INDEX, s.get(2).getGrouping());
        assertEquals(784, s.get(0).getNIn());
        assertEquals(64, s.get(2).getNIn());
    }

    /**
     * The label-free check of docs/DESIGN.md section 1: two-layer path counts P = M_1 M_2 between the first and the
     * third hidden layer of 784-1024x3 (G = 8, pInter 0.15). Lined-up INDEX pathways give two values by block
     * (about 148 inside a pathway, 56 across: coefficient of variation about 0.47); Mixer and RANDOM re-mix the
     * groups, so every pair of neurons has about 67 paths (about 0.10).
     */
    @ParameterizedTest
    @CsvSource({"INDEX, 0.3, 1.0", "INTERLEAVED, 0.3, 1.0", "MIXER, 0.0, 0.2", "RANDOM, 0.0, 0.2"})
    void pathCountsAreBlockyWhenPathwaysLineUpAndFlatWhenGroupsAreRemixed(String grouping, double minCv, double maxCv) {
        Grouping g = grouping.equals("MIXER") ? null : Grouping.valueOf(grouping);
        MultiLayerConfiguration conf = stackConf(g, 8, 0.15, new int[] {1024, 1024, 1024});
        INDArray m1 = mask(conf, 1);
        INDArray m2 = mask(conf, 2);
        INDArray paths = m1.mmul(m2);
        double mean = paths.meanNumber().doubleValue();
        double cv = paths.stdNumber().doubleValue() / mean;
        assertTrue(cv > minCv && cv < maxCv, grouping + ": coefficient of variation of the path counts " + cv
                + " (mean " + mean + ") not in (" + minCv + ", " + maxCv + ")");
        // the mean is a property of the densities only: about 1024 * 0.25625^2 = 67
        assertEquals(1024 * 0.25625 * 0.25625, mean, 1.0);
    }

    @Test
    void mixerLayerOneHasExactlyTheInterleavedIntraBlocks() {
        int groups = 8;
        MultiLayerConfiguration conf = stackConf(null, groups, 0.15, new int[] {64, 64, 64});
        float[] m = ((G2GDenseLayer) conf.getConf(1).getLayer()).generateMask(conf.getConf(0).getSeed()).values();
        long intra = 0;
        long intraActive = 0;
        for (int o = 0; o < 64; o++) {
            for (int i = 0; i < 64; i++) {
                if (i % groups == o % groups) {
                    intra++;
                    assertEquals(1f, m[i + o * 64], "Mixer layer 1: intra pair (input " + i + ", output " + o
                            + ") must be active at pIntra 1");
                    intraActive++;
                }
            }
        }
        assertEquals(64 * 64 / groups, intra);
        // and each 8 x 8 inter-group block holds exactly round(0.15 * 64) = 10 active entries
        double active = 0;
        for (float v : m) {
            active += v;
        }
        assertEquals(intraActive + Math.round(0.15 * 64) * groups * (groups - 1), active, 1e-9);
    }

    @Test
    void randomStackDrawsAnIndependentPermutationForEverySideOfEveryLayer() {
        MultiLayerConfiguration conf = stackConf(Grouping.RANDOM, 8, 0.15, new int[] {64, 64, 64});
        long seed = conf.getConf(0).getSeed();
        List<int[]> sides = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            G2GDenseLayer l = (G2GDenseLayer) conf.getConf(k).getLayer();
            assertTrue(l.isIndependentSides());
            if (k > 0) {
                sides.add(l.inputPartition(seed).labels());
            }
            sides.add(l.outputPartition(seed).labels());
        }
        for (int a = 0; a < sides.size(); a++) {
            for (int b = a + 1; b < sides.size(); b++) {
                assertFalse(Arrays.equals(sides.get(a), sides.get(b)), "sides " + a + " and " + b + " share a permutation");
            }
        }
        // the pixel side is permuted too, and the same configuration always gives the same partitions
        int[] pixels = ((G2GDenseLayer) conf.getConf(0).getLayer()).inputPartition(seed).labels();
        assertFalse(Arrays.equals(Grouping.INDEX.labels(784, 8, 0), pixels));
        assertArrayEquals(pixels, ((G2GDenseLayer) stackConf(Grouping.RANDOM, 8, 0.15, new int[] {64, 64, 64})
                .getConf(0).getLayer()).inputPartition(seed).labels());
    }

    @Test
    void explicitGroupingSeedsLinePathwaysUpByHand() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(SEED).list()
                .layer(new G2GDenseLayer.Builder().nIn(32).nOut(32).groups(4).grouping(Grouping.RANDOM).groupingSeed(9)
                        .build())
                .layer(new G2GDenseLayer.Builder().nIn(32).nOut(32).groups(4).inputGrouping(Grouping.RANDOM)
                        .inputGroupingSeed(9).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(32).nOut(3).build()).build();
        long seed = conf.getConf(0).getSeed();
        assertArrayEquals(((G2GDenseLayer) conf.getConf(0).getLayer()).outputPartition(seed).labels(),
                ((G2GDenseLayer) conf.getConf(1).getLayer()).inputPartition(seed).labels());
    }

    private static MultiLayerConfiguration stackConf(Grouping g, int groups, double pInter, int[] widths) {
        NeuralNetConfiguration.ListBuilder lb = new NeuralNetConfiguration.Builder().seed(SEED).list();
        G2GNetworks.stack(784, widths, g, b -> b.activation(Activation.RELU).groups(groups).pInter(pInter))
                .forEach(lb::layer);
        return lb.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(widths[widths.length - 1]).nOut(10)
                .build()).build();
    }

    /** Layer k's mask as drawn at initialisation, [nIn, nOut]. */
    private static INDArray mask(MultiLayerConfiguration conf, int k) {
        G2GDenseLayer l = (G2GDenseLayer) conf.getConf(k).getLayer();
        ConnectionMask m = l.generateMask(conf.getConf(0).getSeed());
        return Nd4j.create(m.values(), new long[] {m.nIn(), m.nOut()}, 'f');
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

    @Test
    void summaryShowsDl4jsCountBesideTrainableAndActive() {
        MultiLayerNetwork net = g2gNet(32, new int[] {16}, 4, 0.25, Activation.RELU, new Adam(1e-3), DataType.FLOAT, 4);
        long maskOnes = net.getLayer(0).getParam("M").sumNumber().longValue();
        String table = G2GNetworks.summary(net);
        String[] total = table.lines().filter(l -> l.startsWith("total")).findFirst().orElseThrow().trim().split("\\s+");
        long dl4j = Long.parseLong(total[1].replace(",", ""));
        long trainable = Long.parseLong(total[2].replace(",", ""));
        long active = Long.parseLong(total[3].replace(",", ""));
        assertEquals(net.numParams(), dl4j, table);
        assertEquals(net.numParams() - 32 * 16, trainable, "the mask is not trainable: " + table);
        assertEquals(maskOnes + 16 + 16 * 4 + 4, active, table);
        assertEquals(G2GNetworks.sparsityReport(net).activeParams(), active);

        MultiLayerNetwork block = new MultiLayerNetwork(ReferenceNetworks.mlp().kind(ReferenceNetworks.Kind.G2G)
                .width(64).layers(2).groups(8).density(0.25).execution(org.g2gnet.conf.Execution.BLOCK).seed(SEED)
                .build(64, 4));
        block.init();
        String t = G2GNetworks.summary(block);
        String[] bt = t.lines().filter(l -> l.startsWith("total")).findFirst().orElseThrow().trim().split("\\s+");
        assertTrue(Long.parseLong(bt[1].replace(",", "")) > Long.parseLong(bt[2].replace(",", "")),
                "a block's tile indices count in numParams() but are not trainable: " + t);
        assertEquals(G2GNetworks.sparsityReport(block).activeParams(), Long.parseLong(bt[3].replace(",", "")), t);
    }
}
