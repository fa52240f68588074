package org.g2gnet.conf;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.g2gnet.topology.ConnectionMask;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Parameters of a {@link G2GConvolutionLayer}, laid out in one flat view as DL4J lays out a ConvolutionLayer's,
 * with the mask appended: {@code [b | W | M]}, {@code b} [nOut] (absent without bias), {@code W}
 * [nOut, nIn, kH, kW] ('c' order) and the channel-pair mask {@code M} [nOut, nIn] ('c' order, entries 0/1). The
 * prefix {@code [b | W]} is exactly a ConvolutionLayer's parameter view.
 *
 * <p>Initialisation: b and W exactly as DL4J's ConvolutionParamInitializer (bias init constant, W from the weight
 * init on the dense shape, drawing the same random numbers), then W masked and the kernels of each output channel
 * o scaled by {@code sqrt(nIn / activeIn(o))} so that activations keep their scale (docs/DESIGN.md section 1, with the
 * fan-in counted in channels: every active pair brings kH * kW inputs). With an all-ones mask the parameters are
 * those of a ConvolutionLayer built with the same seed.</p>
 */
public final class G2GConvolutionParamInitializer extends ConvolutionParamInitializer {
    /** Key of the weights (DL4J's). */
    public static final String WEIGHT_KEY = ConvolutionParamInitializer.WEIGHT_KEY;
    /** Key of the bias (DL4J's). */
    public static final String BIAS_KEY = ConvolutionParamInitializer.BIAS_KEY;
    /** Key of the 0/1 channel-pair mask [nOut, nIn]. */
    public static final String MASK_KEY = G2GParamInitializer.MASK_KEY;

    private static final G2GConvolutionParamInitializer INSTANCE = new G2GConvolutionParamInitializer();

    private G2GConvolutionParamInitializer() {
    }

    /** @return the shared instance */
    public static G2GConvolutionParamInitializer getInstance() {
        return INSTANCE;
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        G2GConvolutionLayer l = (G2GConvolutionLayer) layer;
        return (l.hasBias() ? l.getNOut() : 0) + weightCount(l) + l.getNIn() * l.getNOut();
    }

    private static long weightCount(G2GConvolutionLayer l) {
        return l.getNOut() * l.getNIn() * l.getKernelArea();
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return ((G2GConvolutionLayer) layer).hasBias() ? Arrays.asList(WEIGHT_KEY, BIAS_KEY, MASK_KEY)
                : Arrays.asList(WEIGHT_KEY, MASK_KEY);
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return Collections.singletonList(WEIGHT_KEY);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return ((G2GConvolutionLayer) layer).hasBias() ? Collections.singletonList(BIAS_KEY) : Collections.emptyList();
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
        G2GConvolutionLayer layer = (G2GConvolutionLayer) conf.getLayer();
        long expected = numParams(layer);
        if (paramsView.length() != expected) {
            throw new IllegalStateException(G2GConvolutionLayer.describe(layer.getLayerName(), -1)
                    + ": expected a parameter view of length " + expected + ", got " + paramsView.length());
        }
        Segments s = Segments.of(layer, paramsView);
        Map<String, INDArray> out = Collections.synchronizedMap(new LinkedHashMap<>());
        if (s.bias() != null) {
            out.put(BIAS_KEY, createBias(conf, s.bias(), initializeParams));
        }
        INDArray w = createWeightMatrix(conf, s.weights(), initializeParams);
        out.put(WEIGHT_KEY, w);
        INDArray m = s.mask().reshape('c', layer.getNOut(), layer.getNIn());
        out.put(MASK_KEY, m);
        if (initializeParams) {
            initializeMasked(layer.generateMask(conf.getSeed()), w, m);
        }
        conf.addVariable(WEIGHT_KEY);
        if (s.bias() != null) {
            conf.addVariable(BIAS_KEY);
        }
        conf.addVariable(MASK_KEY);
        return out;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        G2GConvolutionLayer layer = (G2GConvolutionLayer) conf.getLayer();
        Segments s = Segments.of(layer, gradientView);
        Map<String, INDArray> out = new LinkedHashMap<>();
        if (s.bias() != null) {
            out.put(BIAS_KEY, s.bias());
        }
        int[] k = layer.getKernelSize();
        out.put(WEIGHT_KEY, s.weights().reshape('c', layer.getNOut(), layer.getNIn(), k[0], k[1]));
        out.put(MASK_KEY, s.mask().reshape('c', layer.getNOut(), layer.getNIn()));
        return out;
    }

    /**
     * Writes the mask, masks the initial kernels and rescales each output channel's kernels by
     * {@code sqrt(nIn / activeIn(o))} (1 for a full row, 0 for an output channel without inputs).
     *
     * @param mask the channel-pair mask, [nIn, nOut] in ConnectionMask's orientation
     * @param w    weights [nOut, nIn, kH, kW], initialised on the dense shape
     * @param m    mask view [nOut, nIn]
     */
    static void initializeMasked(ConnectionMask mask, INDArray w, INDArray m) {
        // ConnectionMask stores entry (i, o) at i + o * nIn: that is [nOut, nIn] in 'c' order
        m.assign(Nd4j.create(mask.values(), new long[] {mask.nOut(), mask.nIn()}, 'c').castTo(m.dataType()));
        Nd4j.getExecutioner().exec(new BroadcastMulOp(w, m, w, 0, 1));
        int[] fanIn = mask.fanIn();
        double[] scale = new double[fanIn.length];
        boolean full = true;
        for (int o = 0; o < fanIn.length; o++) {
            scale[o] = fanIn[o] == 0 ? 0 : Math.sqrt((double) mask.nIn() / fanIn[o]);
            full &= fanIn[o] == mask.nIn();
        }
        if (!full) {
            Nd4j.getExecutioner().exec(new BroadcastMulOp(w, Nd4j.createFromArray(scale).castTo(w.dataType()), w, 0));
        }
    }

    /** The flat segments [b | W | M] of a parameter or gradient view. */
    private record Segments(INDArray bias, INDArray weights, INDArray mask) {
        static Segments of(G2GConvolutionLayer layer, INDArray flat) {
            INDArray v = flat.reshape(flat.length());
            long nb = layer.hasBias() ? layer.getNOut() : 0;
            long nw = weightCount(layer);
            long nm = layer.getNIn() * layer.getNOut();
            INDArray b = nb == 0 ? null : v.get(NDArrayIndex.interval(0, nb));
            INDArray w = v.get(NDArrayIndex.interval(nb, nb + nw));
            INDArray m = v.get(NDArrayIndex.interval(nb + nw, nb + nw + nm));
            return new Segments(b, w, m);
        }
    }
}
