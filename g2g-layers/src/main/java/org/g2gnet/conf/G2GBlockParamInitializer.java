package org.g2gnet.conf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Parameters of a {@link G2GBlock}: for every inner layer k the structured layer's {@code W, b, I} under the
 * keys {@code W<k>} [G, K, nOut/G], {@code b<k>} [nOut] and {@code I<k>} [G, K], laid out in one flat view as
 * {@code [W0 | b0 | I0 | W1 | b1 | I1 | ...]}: exactly the flat parameters of the equivalent stack of
 * structured {@link G2GDenseLayer}s ({@link G2GBlock#equivalentStack}), concatenated. Inner layers are
 * initialised as the structured layer initialises itself ({@link G2GParamInitializer}), in order.
 */
public final class G2GBlockParamInitializer implements ParamInitializer {
    private static final G2GBlockParamInitializer INSTANCE = new G2GBlockParamInitializer();

    private G2GBlockParamInitializer() {
    }

    /** @return the shared instance */
    public static G2GBlockParamInitializer getInstance() {
        return INSTANCE;
    }

    /**
     * @param k inner layer
     * @return the key of its compact weights
     */
    public static String weightKey(int k) {
        return G2GParamInitializer.WEIGHT_KEY + k;
    }

    /**
     * @param k inner layer
     * @return the key of its bias
     */
    public static String biasKey(int k) {
        return G2GParamInitializer.BIAS_KEY + k;
    }

    /**
     * @param k inner layer
     * @return the key of its input index
     */
    public static String indexKey(int k) {
        return G2GParamInitializer.INDEX_KEY + k;
    }

    /**
     * @param key a parameter key of a block
     * @return whether it is an input index (no updater, no regularisation, zero gradient)
     */
    public static boolean isIndexParam(String key) {
        return key != null && key.startsWith(G2GParamInitializer.INDEX_KEY);
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        long n = 0;
        for (G2GDenseLayer l : ((G2GBlock) layer).innerLayers()) {
            n += G2GParamInitializer.getInstance().numParams(l);
        }
        return n;
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        List<String> keys = new ArrayList<>();
        for (int k = 0; k < ((G2GBlock) layer).getDepth(); k++) {
            keys.add(weightKey(k));
            keys.add(biasKey(k));
            keys.add(indexKey(k));
        }
        return keys;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        List<String> keys = new ArrayList<>();
        for (int k = 0; k < ((G2GBlock) layer).getDepth(); k++) {
            keys.add(weightKey(k));
        }
        return keys;
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        List<String> keys = new ArrayList<>();
        for (int k = 0; k < ((G2GBlock) layer).getDepth(); k++) {
            keys.add(biasKey(k));
        }
        return keys;
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return key.startsWith(G2GParamInitializer.WEIGHT_KEY);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return key.startsWith(G2GParamInitializer.BIAS_KEY);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        G2GBlock block = (G2GBlock) conf.getLayer();
        long expected = numParams(block);
        if (paramsView.length() != expected) {
            throw new IllegalStateException(G2GBlock.describe(block.getLayerName(), -1)
                    + ": expected a parameter view of length " + expected + ", got " + paramsView.length());
        }
        Map<String, INDArray> views = views(block, paramsView);
        if (initializeParams) {
            List<G2GDenseLayer> inner = block.innerLayers();
            for (int k = 0; k < inner.size(); k++) {
                G2GParamInitializer.initializeStructured(inner.get(k), conf.getSeed(), views.get(weightKey(k)),
                        views.get(biasKey(k)), views.get(indexKey(k)));
            }
        }
        for (String key : paramKeys(block)) {
            conf.addVariable(key);
        }
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views((G2GBlock) conf.getLayer(), gradientView);
    }

    private static Map<String, INDArray> views(G2GBlock block, INDArray flat) {
        INDArray v = flat.reshape(flat.length());
        Map<String, INDArray> out = Collections.synchronizedMap(new LinkedHashMap<>());
        long offset = 0;
        List<G2GDenseLayer> inner = block.innerLayers();
        for (int k = 0; k < inner.size(); k++) {
            long n = G2GParamInitializer.getInstance().numParams(inner.get(k));
            Map<String, INDArray> layer = G2GParamInitializer.views(inner.get(k), v.get(NDArrayIndex.interval(offset,
                    offset + n)));
            out.put(weightKey(k), layer.get(G2GParamInitializer.WEIGHT_KEY));
            out.put(biasKey(k), layer.get(G2GParamInitializer.BIAS_KEY));
            out.put(indexKey(k), layer.get(G2GParamInitializer.INDEX_KEY));
            offset += n;
        }
        return out;
    }
}
