package org.g2gnet.ui;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.stats.api.Histogram;
import org.deeplearning4j.ui.model.stats.api.StatsInitializationReport;
import org.deeplearning4j.ui.model.stats.api.StatsReport;
import org.deeplearning4j.ui.model.stats.api.StatsType;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.g2gnet.G2GNetworks;
import org.g2gnet.G2GTestBase;
import org.g2gnet.conf.Execution;
import org.g2gnet.conf.G2GDenseLayer;
import org.g2gnet.layers.G2GDenseLayerImpl;
import org.g2gnet.arrays.HostArrays;
import org.g2gnet.rewiring.GrowthCriterion;
import org.g2gnet.rewiring.PruneCriterion;
import org.g2gnet.rewiring.RewiringListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The router between StatsListener and the UI's storage: no M or I, masked weights over active entries only. */
class MaskAwareStatsRouterTest extends G2GTestBase {

    private static List<StatsReport> reports(InMemoryStatsStorage storage) {
        List<StatsReport> out = new ArrayList<>();
        for (String session : storage.listSessionIDs()) {
            for (String worker : storage.listWorkerIDsForSession(session)) {
                for (Persistable p : storage.getAllUpdatesAfter(session, StatsListener.TYPE_ID, worker, 0)) {
                    out.add((StatsReport) p);
                }
            }
        }
        return out;
    }

    private static StatsInitializationReport staticInfo(InMemoryStatsStorage storage) {
        String session = storage.listSessionIDs().get(0);
        String worker = storage.listWorkerIDsForSession(session).get(0);
        return (StatsInitializationReport) storage.getStaticInfo(session, StatsListener.TYPE_ID, worker);
    }

    /** Every key of every map of a report: histograms, summaries of params/gradients/updates, learning rates. */
    private static List<String> keys(StatsReport r) {
        List<String> out = new ArrayList<>(r.getLearningRates().keySet());
        for (StatsType t : new StatsType[] {StatsType.Parameters, StatsType.Gradients, StatsType.Updates}) {
            out.addAll(r.getHistograms(t).keySet());
            out.addAll(r.getMean(t).keySet());
            out.addAll(r.getStdev(t).keySet());
            out.addAll(r.getMeanMagnitudes(t).keySet());
        }
        return out;
    }

    /** The active entries of a masked layer's weights, as doubles. */
    private static double[] activeWeights(G2GDenseLayerImpl layer) {
        float[] w = HostArrays.toFloats(layer.weights());
        float[] m = HostArrays.toFloats(layer.mask());
        return java.util.stream.IntStream.range(0, w.length).filter(i -> m[i] == 1f).mapToDouble(i -> w[i]).toArray();
    }

    @Test
    void masksAreLeftOutAndWeightsAreReportedOverActiveConnections() {
        MultiLayerNetwork net = g2gNet(40, new int[] {32, 24}, 4, 0.2, Activation.RELU, new Adam(3e-3), DataType.FLOAT, 5);
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        RewiringListener rewiring = RewiringListener.builder().everyIterations(3).fraction(0.2)
                .prune(PruneCriterion.MAGNITUDE).grow(GrowthCriterion.RANDOM).seed(7).logEvents(false).build();
        // the stats listener comes after the rewiring listener, as in ./g2g train
        net.setListeners(rewiring, new StatsListener(new MaskAwareStatsRouter(storage, net), 1));
        DataSet ds = randomData(64, 40, 5, 3, DataType.FLOAT);
        for (int i = 0; i < 8; i++) {
            net.fit(ds);
        }
        assertFalse(rewiring.events().isEmpty(), "rewiring happened");
        List<StatsReport> reports = reports(storage);
        assertEquals(8, reports.size());
        for (StatsReport r : reports) {
            for (String k : keys(r)) {
                assertFalse(k.endsWith("_M") || k.endsWith("_I"), k + " in report " + r.getIterationCount());
            }
            assertTrue(r.getHistograms(StatsType.Parameters).containsKey("0_W"));
            assertTrue(r.getMeanMagnitudes(StatsType.Updates).containsKey("1_b"));
        }
        StatsReport last = reports.get(reports.size() - 1);
        for (int l = 0; l < 2; l++) {
            G2GDenseLayerImpl layer = (G2GDenseLayerImpl) net.getLayer(l);
            double[] active = activeWeights(layer);
            assertTrue(active.length < layer.weights().length(), "layer " + l + " is sparse");
            String key = l + "_W";
            Histogram h = last.getHistograms(StatsType.Parameters).get(key);
            assertEquals(active.length, Arrays.stream(h.getBinCounts()).sum(), key + " counts the active entries");
            // the histogram ND4J gives for the active entries alone (same range: they hold both signs)
            var op = new org.nd4j.linalg.api.ops.impl.transforms.Histogram(
                    Nd4j.createFromArray(active).castTo(DataType.FLOAT), h.getNBins());
            Nd4j.exec(op);
            int[] expected = Arrays.stream(op.getOutputArgument(0).toDoubleVector()).mapToInt(d -> (int) d).toArray();
            assertArrayEquals(expected, h.getBinCounts(), key);
            double mean = Arrays.stream(active).average().orElseThrow();
            double meanMag = Arrays.stream(active).map(Math::abs).average().orElseThrow();
            double var = Arrays.stream(active).map(v -> (v - mean) * (v - mean)).sum() / (active.length - 1);
            assertEquals(mean, last.getMean(StatsType.Parameters).get(key), 1e-5, key + " mean");
            assertEquals(meanMag, last.getMeanMagnitudes(StatsType.Parameters).get(key), 1e-5, key + " mean magnitude");
            assertEquals(Math.sqrt(var), last.getStdev(StatsType.Parameters).get(key), 1e-5, key + " stdev");
            // the update's histogram, too, holds one count per active connection
            assertEquals(active.length,
                    Arrays.stream(last.getHistograms(StatsType.Updates).get(key).getBinCounts()).sum(), key + " updates");
            assertEquals(active.length,
                    Arrays.stream(last.getHistograms(StatsType.Gradients).get(key).getBinCounts()).sum(), key + " gradients");
        }
        // the output layer is a plain DenseLayer-like layer: untouched
        assertEquals(24 * 5, Arrays.stream(last.getHistograms(StatsType.Parameters).get("2_W").getBinCounts()).sum());

        StatsInitializationReport init = staticInfo(storage);
        assertEquals(G2GNetworks.sparsityReport(net).activeParams(), init.getModelNumParams());
        assertEquals(List.of("0_W", "0_b", "1_W", "1_b", "2_W", "2_b"), Arrays.asList(init.getModelParamNames()));
    }

    @Test
    void structuredLayersLoseTheirIndexAndKeepTheirCompactWeights() {
        NeuralNetConfiguration.ListBuilder lb = new NeuralNetConfiguration.Builder().seed(SEED).updater(new Adam(1e-3))
                .list();
        lb.layer(new G2GDenseLayer.Builder().nIn(32).nOut(32).groups(4).pInter(0.25).execution(Execution.STRUCTURED)
                .activation(Activation.RELU).build());
        lb.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(32).nOut(4)
                .activation(Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(lb.build());
        net.init();
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        net.setListeners(new StatsListener(new MaskAwareStatsRouter(storage, net), 1));
        net.fit(randomData(16, 32, 4, 1, DataType.FLOAT));
        StatsReport r = reports(storage).get(0);
        for (String k : keys(r)) {
            assertFalse(k.endsWith("_I"), k);
        }
        long compact = net.getLayer(0).getParam("W").length();
        assertEquals(compact, Arrays.stream(r.getHistograms(StatsType.Parameters).get("0_W").getBinCounts()).sum());
    }

    @Test
    void networksWithoutG2GLayersPassUnchanged() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(SEED)
                .updater(new Adam(1e-3)).list()
                .layer(new DenseLayer.Builder().nIn(10).nOut(8).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(3)
                        .activation(Activation.SOFTMAX).build()).build());
        net.init();
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        net.setListeners(new StatsListener(new MaskAwareStatsRouter(storage, net), 1));
        net.fit(randomData(16, 10, 3, 1, DataType.FLOAT));
        StatsReport r = reports(storage).get(0);
        Map<String, Double> mm = r.getMeanMagnitudes(StatsType.Parameters);
        assertEquals(net.getLayer(0).getParam("W").norm1Number().doubleValue() / 80, mm.get("0_W"), 1e-6);
        assertEquals(net.numParams(), staticInfo(storage).getModelNumParams());
    }

    @Test
    void activeStatisticsFromWholeArrayStatistics() {
        double[] active = {0.5, -1.25, 2.0, 0.0, 3.5, -0.75};
        double[] all = Arrays.copyOf(active, 10); // four masked zeros
        var a = Nd4j.createFromArray(all);
        double mean = a.meanNumber().doubleValue();
        double stdev = a.stdNumber().doubleValue();
        double activeMean = Arrays.stream(active).average().orElseThrow();
        double activeVar = Arrays.stream(active).map(v -> (v - activeMean) * (v - activeMean)).sum() / 5;
        assertEquals(activeMean, MaskAwareStatsRouter.activeMean(mean, 10, 6), 1e-12);
        assertEquals(Math.sqrt(activeVar), MaskAwareStatsRouter.activeStdev(stdev, mean, 10, 6), 1e-12);
        assertEquals(stdev, MaskAwareStatsRouter.activeStdev(stdev, mean, 10, 10), 0);
        // 0 in [-1.25, 3.5] with 20 bins falls in bin floor(1.25 / 0.2375) = 5
        assertEquals(5, MaskAwareStatsRouter.zeroBin(-1.25, 3.5, 20, DataType.FLOAT));
        assertEquals(0, MaskAwareStatsRouter.zeroBin(0, 3.5, 20, DataType.FLOAT));
        assertEquals(19, MaskAwareStatsRouter.zeroBin(-2, 0, 20, DataType.DOUBLE));
    }

    @Test
    void errorsNameWhatIsMissing() {
        MultiLayerNetwork net = g2gNet(8, new int[] {8}, 2, 0.5, Activation.RELU, new Adam(1e-3), DataType.FLOAT, 2);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new MaskAwareStatsRouter(null, net))
                .getMessage().contains("target must not be null"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new MaskAwareStatsRouter(new InMemoryStatsStorage(), null)).getMessage()
                .contains("expected a MultiLayerNetwork or ComputationGraph, got null"));
        MultiLayerNetwork notInit = new MultiLayerNetwork(net.getLayerWiseConfigurations().clone());
        assertTrue(assertThrows(IllegalStateException.class,
                () -> new MaskAwareStatsRouter(new InMemoryStatsStorage(), notInit)).getMessage()
                .contains("not initialised; call init() first"));
        assertNotNull(new MaskAwareStatsRouter(new InMemoryStatsStorage(), net));
    }
}
