package org.g2gnet.conf;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.g2gnet.topology.ConnectionMask;
import org.g2gnet.topology.TileLayout;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.UniformDistribution;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Parameters of a {@link G2GDenseLayer}, laid out in one flat view. Masked execution: {@code [W | b | M]},
 * {@code W} [nIn, nOut] ('f' order, as DL4J's DefaultParamInitializer), {@code b} [nOut] (1-D, as
 * DefaultParamInitializer) and the mask {@code M} [nIn, nOut] ('f' order, entries 0/1). Structured execution:
 * {@code [W | b | I]}, compact {@code W} [G, K, nOut / G] ('c' order), {@code b} [nOut] and the input index
 * {@code I} [G, K].
 *
 * <p>Initialisation (docs/DESIGN.md section 1): W from the layer's weight init on the dense shape, masked,
 * then each output column o scaled by {@code sqrt(nIn / activeFanIn(o))} so activations keep their scale;
 * bias uniform in {@code [-1/sqrt(f), 1/sqrt(f)]} with f the mean active fan-in.</p>
 */
public final class G2GParamInitializer implements ParamInitializer {
    /** Key of the weights (DL4J's). */
    public static final String WEIGHT_KEY = DefaultParamInitializer.WEIGHT_KEY;
    /** Key of the bias (DL4J's). */
    public static final String BIAS_KEY = DefaultParamInitializer.BIAS_KEY;
    /** Key of the 0/1 connection mask (masked execution). */
    public static final String MASK_KEY = "M";
    /** Key of the input index [G, K] of structured execution (input neuron read by each slot position). */
    public static final String INDEX_KEY = "I";

    private static final G2GParamInitializer INSTANCE = new G2GParamInitializer();

    private G2GParamInitializer() {
    }

    /** @return the shared instance */
    public static G2GParamInitializer getInstance() {
        return INSTANCE;
    }

    /**
     * What {@code init()} of a network asks before it allocates the parameters: for a G2G layer, also refuses one
     * that its arrays cannot hold or that does not fit in this JVM's memory ({@link LayerMemory#requireAllocatable}).
     */
    @Override
    public long numParams(NeuralNetConfiguration conf) {
        G2GDenseLayer l = (G2GDenseLayer) conf.getLayer();
        String who = G2GDenseLayer.describe(l.getLayerName(), -1);
        G2GLayerValidation.checkSize(who, l.getNIn(), l.getNOut());
        LayerMemory.requireAllocatable(l, conf.getDataType() == null ? org.nd4j.linalg.api.buffer.DataType.FLOAT
                : conf.getDataType(), who);
        return numParams(l);
    }

    @Override
    public long numParams(Layer layer) {
        G2GDenseLayer l = (G2GDenseLayer) layer;
        if (l.getExecution() == Execution.STRUCTURED) {
            long[] s = structuredShape(l);
            return s[0] * s[1] * s[2] + l.getNOut() + s[0] * s[1];
        }
        return 2 * l.getNIn() * l.getNOut() + l.getNOut();
    }

    /** @return {G, K, nOut / G} of a structured layer */
    static long[] structuredShape(G2GDenseLayer l) {
        // the fan-in does not depend on the groupings or seeds: any partition gives the same layout shape
        TileLayout t = l.tileLayout(0);
        return new long[] {t.groups(), t.fanIn(), t.outGroupSize()};
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        if (((G2GDenseLayer) layer).getExecution() == Execution.STRUCTURED) {
            return Arrays.asList(WEIGHT_KEY, BIAS_KEY, INDEX_KEY);
        }
        return Arrays.asList(WEIGHT_KEY, BIAS_KEY, MASK_KEY);
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return Collections.singletonList(WEIGHT_KEY);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return Collections.singletonList(BIAS_KEY);
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return WEIGHT_KEY.equals(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return BIAS_KEY.equals(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        G2GDenseLayer layer = (G2GDenseLayer) conf.getLayer();
        // the checks that need nIn, which an input type may have set after build(): before anything is drawn
        G2GLayerValidation.checkForInit(layer, G2GDenseLayer.describe(layer.getLayerName(), -1), conf.getSeed());
        long expected = numParams(layer);
        if (paramsView.length() != expected) {
            throw new IllegalStateException(G2GDenseLayer.describe(layer.getLayerName(), -1)
                    + ": expected a parameter view of length " + expected + ", got " + paramsView.length());
        }
        Map<String, INDArray> views = views(layer, paramsView);
        boolean structured = layer.getExecution() == Execution.STRUCTURED;
        if (initializeParams) {
            if (structured) {
                initializeStructured(layer, conf.getSeed(), views.get(WEIGHT_KEY), views.get(BIAS_KEY),
                        views.get(INDEX_KEY));
            } else {
                ConnectionMask mask = layer.generateMask(conf.getSeed());
                if (mask.activeCount() == 0) {
                    // exact counts are checked before (G2GLayerValidation); Bernoulli draws can still come out empty
                    throw new IllegalArgumentException(G2GDenseLayer.describe(layer.getLayerName(), -1)
                            + ": no connections: the Bernoulli draw of the mask (pIntra " + layer.getPIntra()
                            + ", pInter " + layer.resolvePInter(layer.inputPartition(conf.getSeed()),
                            layer.outputPartition(conf.getSeed())) + ") came out empty; raise pIntra or pInter");
                }
                initialize(layer, mask, views.get(WEIGHT_KEY), views.get(BIAS_KEY), views.get(MASK_KEY));
            }
        }
        conf.addVariable(WEIGHT_KEY);
        conf.addVariable(BIAS_KEY);
        conf.addVariable(structured ? INDEX_KEY : MASK_KEY);
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views((G2GDenseLayer) conf.getLayer(), gradientView);
    }

    static Map<String, INDArray> views(G2GDenseLayer layer, INDArray flat) {
        if (layer.getExecution() == Execution.STRUCTURED) {
            long[] s = structuredShape(layer);
            long nW = s[0] * s[1] * s[2];
            INDArray v = flat.reshape(flat.length());
            Map<String, INDArray> out = Collections.synchronizedMap(new LinkedHashMap<>());
            out.put(WEIGHT_KEY, v.get(NDArrayIndex.interval(0, nW)).reshape('c', s[0], s[1], s[2]));
            out.put(BIAS_KEY, v.get(NDArrayIndex.interval(nW, nW + layer.getNOut())));
            out.put(INDEX_KEY, v.get(NDArrayIndex.interval(nW + layer.getNOut(), nW + layer.getNOut() + s[0] * s[1]))
                    .reshape('c', s[0], s[1]));
            return out;
        }
        long nIn = layer.getNIn();
        long nOut = layer.getNOut();
        long nW = nIn * nOut;
        INDArray v = flat.reshape(flat.length());
        Map<String, INDArray> out = Collections.synchronizedMap(new LinkedHashMap<>());
        out.put(WEIGHT_KEY, v.get(NDArrayIndex.interval(0, nW)).reshape('f', nIn, nOut));
        out.put(BIAS_KEY, v.get(NDArrayIndex.interval(nW, nW + nOut)));
        out.put(MASK_KEY, v.get(NDArrayIndex.interval(nW + nOut, 2 * nW + nOut)).reshape('f', nIn, nOut));
        return out;
    }

    /**
     * Structured execution: the slot tiles into the index, weights from the layer's weight init on the dense
     * fan-in scaled by sqrt(nIn / K) (every output has fan-in K), bias uniform in +-1/sqrt(K).
     */
    static void initializeStructured(G2GDenseLayer layer, long networkSeed, INDArray w, INDArray b, INDArray index) {
        TileLayout t = layer.tileLayout(networkSeed);
        int[][] idx = t.inputIndex(layer.initialSlots(networkSeed));
        float[] flatIdx = new float[t.groups() * t.fanIn()];
        for (int g = 0; g < idx.length; g++) {
            for (int k = 0; k < idx[g].length; k++) {
                flatIdx[g * t.fanIn() + k] = idx[g][k];
            }
        }
        index.assign(Nd4j.create(flatIdx, new long[] {t.groups(), t.fanIn()}, 'c').castTo(index.dataType()));
        IWeightInit init = layer.getWeightInitFn();
        if (init == null) {
            throw new IllegalStateException(G2GDenseLayer.describe(layer.getLayerName(), -1)
                    + ": no weight initialisation configured");
        }
        init.init(layer.getNIn(), layer.getNOut(), w.shape(), 'c', w);
        w.muli(Math.sqrt((double) layer.getNIn() / t.fanIn()));
        double bound = 1.0 / Math.sqrt(t.fanIn());
        Nd4j.getExecutioner().exec(new UniformDistribution(b, -bound, bound), Nd4j.getRandom());
    }

    /**
     * Writes the mask and the row-scaled masked initial weights into the parameter views.
     *
     * @param layer the configuration (weight init, nIn, nOut)
     * @param mask  the connection mask
     * @param w     weight view [nIn, nOut]
     * @param b     bias view [nOut]
     * @param m     mask view [nIn, nOut]
     */
    static void initialize(G2GDenseLayer layer, ConnectionMask mask, INDArray w, INDArray b, INDArray m) {
        long nIn = layer.getNIn();
        long nOut = layer.getNOut();
        m.assign(Nd4j.create(mask.values(), new long[] {nIn, nOut}, 'f').castTo(m.dataType()));
        IWeightInit init = layer.getWeightInitFn();
        if (init == null) {
            throw new IllegalStateException(G2GDenseLayer.describe(layer.getLayerName(), -1)
                    + ": no weight initialisation configured");
        }
        init.init(nIn, nOut, new long[] {nIn, nOut}, IWeightInit.DEFAULT_WEIGHT_INIT_ORDER, w);
        w.muli(m);
        int[] fanIn = mask.fanIn();
        double[] scale = new double[fanIn.length];
        double meanFanIn = 0;
        for (int o = 0; o < fanIn.length; o++) {
            scale[o] = fanIn[o] == 0 ? 0 : Math.sqrt((double) nIn / fanIn[o]);
            meanFanIn += fanIn[o];
        }
        meanFanIn /= fanIn.length;
        w.muliRowVector(Nd4j.createFromArray(scale).castTo(w.dataType()));
        double bound = meanFanIn > 0 ? 1.0 / Math.sqrt(meanFanIn) : 0;
        Nd4j.getExecutioner().exec(new UniformDistribution(b, -bound, bound), Nd4j.getRandom());
    }
}
