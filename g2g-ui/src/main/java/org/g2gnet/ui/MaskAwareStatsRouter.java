package org.g2gnet.ui;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.core.storage.StorageMetaData;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.layers.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.ui.model.stats.api.Histogram;
import org.deeplearning4j.ui.model.stats.api.StatsInitializationReport;
import org.deeplearning4j.ui.model.stats.api.StatsReport;
import org.deeplearning4j.ui.model.stats.api.StatsType;
import org.g2gnet.G2GNetworks;
import org.g2gnet.conf.G2GParamInitializer;
import org.g2gnet.layers.G2GBaseLayer;
import org.g2gnet.layers.G2GDenseLayerImpl;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Sits between DL4J's {@code StatsListener} and a {@code StatsStorage} and makes the training UI's charts mean
 * what they say for G2G layers:
 * <ul>
 *   <li>The mask {@code M} (masked execution) and the input index {@code I} (structured execution) are left out
 *       of every report: histograms, means, standard deviations and mean magnitudes of parameters, gradients and
 *       updates, learning rates, and the parameter names. They are never trained (a NoOp updater), so their
 *       update:parameter ratio is 0, which the UI's Model page draws at its floor of 10^-10, stretching the axis
 *       so that W and b become flat lines; M's histogram is two bars (0 and 1) and I's holds input indices.</li>
 *   <li>A masked layer's {@code W} holds exact zeros wherever {@code M == 0}, and so do its gradient and its
 *       update. Its statistics are reported over the active connections only: the masked zeros are taken out of
 *       the histogram's bin that holds 0, and the mean, standard deviation and mean magnitude are those of the
 *       active entries. (The update:parameter ratio is the same either way: both magnitudes scale alike.)</li>
 *   <li>The network's parameter count (the Overview page's table) is its active parameter count, masks
 *       excluded, as {@link G2GNetworks#sparsityReport} gives it.</li>
 * </ul>
 * Layers other than G2G layers, and everything else in a report (score, performance, memory, activations),
 * pass unchanged. Use it with any DL4J network holding G2G layers:
 * <pre>{@code
 * StatsStorage storage = new InMemoryStatsStorage();
 * UIServer.getInstance().attach(storage);
 * net.addListeners(new StatsListener(new MaskAwareStatsRouter(storage, net)));
 * }</pre>
 * Reports are rewritten on the thread that calls the listener (the training thread), where the network's
 * masks are those the report was computed from.
 */
public final class MaskAwareStatsRouter implements StatsStorageRouter {
    private static final StatsType[] ARRAY_STATS = {StatsType.Parameters, StatsType.Gradients, StatsType.Updates};

    private final StatsStorageRouter target;
    private final Model model;
    /** Report keys ({@code <layer>_M}, {@code <layer>_I}) left out. */
    private final java.util.Set<String> dropped = new java.util.HashSet<>();
    /** Report key of the weights of each masked G2G layer ({@code <layer>_W}) -> the layer. */
    private final Map<String, G2GDenseLayerImpl> maskedWeights = new LinkedHashMap<>();

    /**
     * @param target where the rewritten reports go (a StatsStorage, or any router)
     * @param model  the network the StatsListener watches: a MultiLayerNetwork or ComputationGraph, initialised
     */
    public MaskAwareStatsRouter(StatsStorageRouter target, Model model) {
        if (target == null) {
            throw new IllegalArgumentException("MaskAwareStatsRouter: target must not be null");
        }
        this.target = target;
        this.model = model;
        Layer[] layers;
        List<String> prefixes = new ArrayList<>();
        if (model instanceof MultiLayerNetwork m) {
            layers = m.getLayers();
            for (int i = 0; layers != null && i < layers.length; i++) {
                prefixes.add(i + "_");
            }
        } else if (model instanceof ComputationGraph g) {
            layers = g.getLayers();
            for (int i = 0; layers != null && i < layers.length; i++) {
                prefixes.add(layers[i].conf().getLayer().getLayerName() + "_");
            }
        } else {
            throw new IllegalArgumentException("MaskAwareStatsRouter: expected a MultiLayerNetwork or ComputationGraph, got "
                    + (model == null ? "null" : model.getClass().getName()));
        }
        if (layers == null) {
            throw new IllegalStateException("MaskAwareStatsRouter: the network is not initialised; call init() first");
        }
        for (int i = 0; i < layers.length; i++) {
            Layer l = unwrap(layers[i]);
            if (l instanceof G2GBaseLayer || l instanceof org.g2gnet.layers.G2GConvolutionLayerImpl) {
                dropped.add(prefixes.get(i) + G2GParamInitializer.MASK_KEY);
                dropped.add(prefixes.get(i) + G2GParamInitializer.INDEX_KEY);
            }
            if (l instanceof G2GDenseLayerImpl masked) {
                maskedWeights.put(prefixes.get(i) + G2GParamInitializer.WEIGHT_KEY, masked);
            }
        }
    }

    private static Layer unwrap(Layer l) {
        if (l instanceof FrozenLayer f) {
            return f.getInsideLayer();
        }
        if (l instanceof FrozenLayerWithBackprop f) {
            return f.getInsideLayer();
        }
        return l;
    }

    @Override
    public void putStorageMetaData(StorageMetaData storageMetaData) {
        target.putStorageMetaData(storageMetaData);
    }

    @Override
    public void putStorageMetaData(Collection<? extends StorageMetaData> storageMetaData) {
        target.putStorageMetaData(storageMetaData);
    }

    @Override
    public void putStaticInfo(Persistable staticInfo) {
        target.putStaticInfo(rewriteStatic(staticInfo));
    }

    @Override
    public void putStaticInfo(Collection<? extends Persistable> staticInfo) {
        target.putStaticInfo(staticInfo.stream().map(this::rewriteStatic).toList());
    }

    @Override
    public void putUpdate(Persistable update) {
        target.putUpdate(rewrite(update));
    }

    @Override
    public void putUpdate(Collection<? extends Persistable> updates) {
        target.putUpdate(updates.stream().map(this::rewrite).toList());
    }

    /** The model information without M and I, and with the active parameter count. */
    private Persistable rewriteStatic(Persistable p) {
        if (p instanceof StatsInitializationReport r && r.hasModelInfo()) {
            String[] names = r.getModelParamNames();
            String[] kept = names == null ? null
                    : java.util.Arrays.stream(names).filter(n -> !dropped.contains(n)).toArray(String[]::new);
            r.reportModelInfo(r.getModelClassName(), r.getModelConfigJson(), kept, r.getModelNumLayers(),
                    G2GNetworks.sparsityReport(model).activeParams());
        }
        return p;
    }

    /** A StatsReport without M and I, and with the weights of masked layers over active connections only. */
    private Persistable rewrite(Persistable p) {
        if (!(p instanceof StatsReport r)) {
            return p;
        }
        Map<String, Long> active = new HashMap<>();
        maskedWeights.forEach((key, layer) -> active.put(key, layer.activeConnections()));
        for (StatsType type : ARRAY_STATS) {
            Map<String, Histogram> h = r.getHistograms(type);
            if (h != null) {
                Map<String, Histogram> out = new LinkedHashMap<>();
                h.forEach((k, v) -> {
                    if (!dropped.contains(k)) {
                        out.put(k, active.containsKey(k) ? activeHistogram(v, maskedWeights.get(k), active.get(k)) : v);
                    }
                });
                r.reportHistograms(type, out);
            }
            Map<String, Double> mean = r.getMean(type);
            Map<String, Double> stdev = r.getStdev(type);
            Map<String, Double> meanMag = r.getMeanMagnitudes(type);
            if (stdev != null) {
                Map<String, Double> out = new LinkedHashMap<>();
                stdev.forEach((k, v) -> {
                    if (!dropped.contains(k)) {
                        Double m = mean == null ? null : mean.get(k);
                        out.put(k, active.containsKey(k) && m != null
                                ? activeStdev(v, m, maskedWeights.get(k).weights().length(), active.get(k)) : v);
                    }
                });
                r.reportStdev(type, out);
            }
            if (mean != null) {
                r.reportMean(type, scaled(mean, active));
            }
            if (meanMag != null) {
                r.reportMeanMagnitudes(type, scaled(meanMag, active));
            }
        }
        Map<String, Double> lrs = r.getLearningRates();
        if (lrs != null) {
            Map<String, Double> out = new LinkedHashMap<>(lrs);
            out.keySet().removeAll(dropped);
            r.reportLearningRates(out);
        }
        return r;
    }

    /** Means and mean magnitudes without M and I; those of masked weights over the active entries. */
    private Map<String, Double> scaled(Map<String, Double> values, Map<String, Long> active) {
        Map<String, Double> out = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (!dropped.contains(k)) {
                out.put(k, active.containsKey(k) ? activeMean(v, maskedWeights.get(k).weights().length(), active.get(k)) : v);
            }
        });
        return out;
    }

    /**
     * @param meanAll mean (or mean magnitude) over all n entries, of which n - active are exact zeros
     * @param n       entries
     * @param active  entries that may be non-zero
     * @return the mean over the active entries
     */
    static double activeMean(double meanAll, long n, long active) {
        return active <= 0 ? meanAll : meanAll * n / active;
    }

    /**
     * @param stdevAll bias-corrected standard deviation over all n entries (ND4J's {@code stdNumber()})
     * @param meanAll  mean over all n entries
     * @param n        entries, of which n - active are exact zeros
     * @param active   entries that may be non-zero
     * @return the bias-corrected standard deviation over the active entries
     */
    static double activeStdev(double stdevAll, double meanAll, long n, long active) {
        if (active <= 1 || active >= n) {
            return stdevAll;
        }
        double sum = meanAll * n;
        double sumSq = stdevAll * stdevAll * (n - 1) + sum * sum / n;
        double var = (sumSq - sum * sum / active) / (active - 1);
        return Math.sqrt(Math.max(0, var));
    }

    /**
     * The histogram without the n - active masked zeros: they are taken out of the bin that holds 0, found by
     * running ND4J's histogram op (the one StatsListener runs) on {min, max, 0}, which has the same range as
     * the full array and so puts 0 in the same bin.
     */
    static Histogram activeHistogram(Histogram h, G2GDenseLayerImpl layer, long active) {
        long zeros = layer.weights().length() - active;
        int[] counts = h.getBinCounts().clone();
        if (zeros <= 0 || counts.length == 0 || !(h.getMin() <= 0 && h.getMax() >= 0)) {
            return h;
        }
        int bin = zeroBin(h.getMin(), h.getMax(), counts.length, layer.weights().dataType());
        counts[bin] = (int) Math.max(0, counts[bin] - zeros);
        return new Histogram(h.getMin(), h.getMax(), h.getNBins(), counts);
    }

    /** @return the bin ND4J's histogram op puts 0 in for data spanning [min, max] */
    static int zeroBin(double min, double max, int bins, DataType type) {
        if (min == max) {
            return 0;
        }
        var probe = Nd4j.createFromArray(min, max, 0.0).castTo(type);
        var op = new org.nd4j.linalg.api.ops.impl.transforms.Histogram(probe, bins);
        Nd4j.exec(op);
        var counts = op.getOutputArgument(0);
        for (int b = 0; b < bins; b++) {
            // min lands in bin 0 and max in the last bin; 0 is wherever a third count shows up
            long expected = (b == 0 ? 1 : 0) + (b == bins - 1 ? 1 : 0);
            if (counts.getDouble(b) > expected) {
                return b;
            }
        }
        throw new IllegalStateException("ND4J's histogram op lost the value 0 in [" + min + ", " + max + "]");
    }
}
