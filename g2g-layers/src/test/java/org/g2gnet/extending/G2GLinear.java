package org.g2gnet.extending;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.g2gnet.conf.G2GParamInitializer;
import org.g2gnet.conf.G2GStructureBuilder;
import org.g2gnet.conf.G2GStructured;
import org.g2gnet.conf.StructureParams;
import org.g2gnet.topology.ConnectionMask;
import org.g2gnet.topology.G2GStructure;
import org.g2gnet.topology.LayerTopology;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * docs/EXTENDING.md "Add a layer kind", pieces 1 and 2 of 3: the configuration of a G2G layer without a bias,
 * {@code y = activation(x (W * M))}. It holds the G2G structure as one {@link G2GStructure} (the JSON properties and
 * their checks come with {@link G2GStructured}, the builder's setters with {@link G2GStructureBuilder}), keeps the
 * mask out of updaters and regularisation through {@link StructureParams}, and names its initializer and its
 * runtime layer.
 */
public class G2GLinear extends FeedForwardLayer implements G2GStructured {
    private G2GStructure structure = G2GStructure.DEFAULT;

    /** For JSON: the properties are then set one by one, each checked by {@link #setStructure}. */
    public G2GLinear() {
    }

    private G2GLinear(Builder b) {
        super(b);
        this.structure = b.structure.build();
        // the builder's constraints (DL4J's constrainAllParameters and the like), without the mask: it is a
        // parameter too, and a constraint on "all parameters" would rescale it
        initializeConstraints(b);
        StructureParams.excludeFromConstraints(constraints);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                        Collection<TrainingListener> listeners, int layerIndex,
                                                        INDArray paramsView, boolean initializeParams,
                                                        DataType networkDataType) {
        G2GLinearLayer layer = new G2GLinearLayer(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(initializer().init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return G2GLinearInitializer.INSTANCE;
    }

    @Override
    public IUpdater getUpdaterByParam(String paramName) {
        return StructureParams.isStructure(paramName) ? new NoOp() : super.getUpdaterByParam(paramName);
    }

    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        return StructureParams.isStructure(paramName) ? List.of() : super.getRegularizationByParam(paramName);
    }

    @Override
    public boolean isPretrainParam(String paramName) {
        return false;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType outputType = getOutputType(-1, inputType);
        long params = initializer().numParams(this);
        return new LayerMemoryReport.Builder(layerName, G2GLinear.class, inputType, outputType)
                .standardMemory(params, params / 2) // the updater keeps state for W only, not for M
                .workingMemory(0, 0, outputType.arrayElementsPerExample(), outputType.arrayElementsPerExample())
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS).build();
    }

    @Override
    public G2GStructure getStructure() {
        return structure;
    }

    @Override
    public void setStructure(G2GStructure structure) {
        this.structure = structure.validate("G2GLinear '" + layerName + "'");
    }

    @Override
    public LayerTopology.Spec topologySpec() {
        return structure.spec("G2GLinear '" + layerName + "'", layerName, nIn, nOut, true, 0);
    }

    @Override
    public G2GLinear clone() {
        return (G2GLinear) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof G2GLinear other && super.equals(o) && structure.equals(other.structure);
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof G2GLinear;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), structure);
    }

    /** The builder: DL4J's FeedForwardLayer settings and the G2G structure's (groups, density, ...). */
    // --- from docs/EXTENDING.md, "Add a layer kind" ---
    public static class Builder extends FeedForwardLayer.Builder<Builder> implements G2GStructureBuilder<Builder> {
        private final G2GStructure.Builder structure = new G2GStructure.Builder(() -> "G2GLinear '" + layerName + "'");

        @Override
        public G2GStructure.Builder structure() {
            return structure;
        }

        @Override
        @SuppressWarnings("unchecked")
        public G2GLinear build() {
            return new G2GLinear(this);
        }
    }
    // --- end of the snippet ---

    /**
     * Piece 2: the parameters, {@code [W | M]}, both [nIn, nOut] in 'f' order. The mask is a parameter so
     * that it travels with the weights (ModelSerializer, clone(), workspaces); it has a NoOp updater (above) and a
     * zero gradient (the runtime layer).
     */
    public static final class G2GLinearInitializer implements ParamInitializer {
        /** The mask's parameter key: the library's, so that {@link StructureParams} knows it. */
        public static final String MASK_KEY = G2GParamInitializer.MASK_KEY;
        static final G2GLinearInitializer INSTANCE = new G2GLinearInitializer();

        private G2GLinearInitializer() {
        }

        @Override
        public long numParams(NeuralNetConfiguration conf) {
            return numParams(conf.getLayer());
        }

        @Override
        public long numParams(org.deeplearning4j.nn.conf.layers.Layer layer) {
            G2GLinear l = (G2GLinear) layer;
            return 2 * l.getNIn() * l.getNOut();
        }

        @Override
        public List<String> paramKeys(org.deeplearning4j.nn.conf.layers.Layer layer) {
            return List.of(DefaultParamInitializer.WEIGHT_KEY, MASK_KEY);
        }

        @Override
        public List<String> weightKeys(org.deeplearning4j.nn.conf.layers.Layer layer) {
            return List.of(DefaultParamInitializer.WEIGHT_KEY);
        }

        @Override
        public List<String> biasKeys(org.deeplearning4j.nn.conf.layers.Layer layer) {
            return List.of();
        }

        @Override
        public boolean isWeightParam(org.deeplearning4j.nn.conf.layers.Layer layer, String key) {
            return DefaultParamInitializer.WEIGHT_KEY.equals(key);
        }

        @Override
        public boolean isBiasParam(org.deeplearning4j.nn.conf.layers.Layer layer, String key) {
            return false;
        }

        @Override
        public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initialize) {
            G2GLinear l = (G2GLinear) conf.getLayer();
            Map<String, INDArray> views = getGradientsFromFlattened(conf, paramsView);
            if (initialize) {
                // the library draws the mask from the structure and the network's seed
                ConnectionMask mask = l.generateMask(conf.getSeed());
                INDArray w = views.get(DefaultParamInitializer.WEIGHT_KEY);
                INDArray m = views.get(MASK_KEY);
                m.assign(Nd4j.create(mask.values(), new long[] {l.getNIn(), l.getNOut()}, 'f').castTo(m.dataType()));
                l.getWeightInitFn().init(l.getNIn(), l.getNOut(), new long[] {l.getNIn(), l.getNOut()},
                        IWeightInit.DEFAULT_WEIGHT_INIT_ORDER, w);
                w.muli(m);
            }
            conf.addVariable(DefaultParamInitializer.WEIGHT_KEY);
            conf.addVariable(MASK_KEY);
            return views;
        }

        @Override
        public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray flat) {
            G2GLinear l = (G2GLinear) conf.getLayer();
            long n = l.getNIn() * l.getNOut();
            long[] shape = {l.getNIn(), l.getNOut()};
            INDArray row = flat.reshape(flat.length());
            Map<String, INDArray> views = new LinkedHashMap<>(); // in the order of paramKeys: DL4J flattens so
            views.put(DefaultParamInitializer.WEIGHT_KEY, row.get(NDArrayIndex.interval(0, n)).reshape('f', shape));
            views.put(MASK_KEY, row.get(NDArrayIndex.interval(n, 2 * n)).reshape('f', shape));
            return views;
        }
    }
}
