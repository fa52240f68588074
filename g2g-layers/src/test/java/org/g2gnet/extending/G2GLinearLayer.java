package org.g2gnet.extending;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.g2gnet.arrays.HostArrays;
import org.g2gnet.layers.EffectiveWeights;
import org.g2gnet.layers.G2GLayer;
import org.g2gnet.layers.MaskedMath;
import org.g2gnet.topology.ConnectionMask;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * docs/EXTENDING.md "Add a layer kind", piece 3 of 3: the runtime layer of {@link G2GLinear}. DL4J's
 * {@code BaseLayer} does everything (dropout, weight noise, regularisation, workspaces); this class substitutes the
 * effective weight {@code W * M} for W ({@link EffectiveWeights}: one buffer, computed once per forward pass, reused
 * by the backward pass), masks the weight gradient, gives the mask a zero gradient, and reports its connections
 * ({@link G2GLayer}, which {@code G2GNetworks.sparsityReport} reads).
 */
public class G2GLinearLayer extends BaseLayer<G2GLinear> implements G2GLayer {
    private static final long serialVersionUID = 1L;
    private static final String W = DefaultParamInitializer.WEIGHT_KEY;
    private static final String M = G2GLinear.G2GLinearInitializer.MASK_KEY;

    private transient EffectiveWeights effective;

    /**
     * @param conf     the layer's configuration
     * @param dataType the network's data type
     */
    public G2GLinearLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /**
     * Constructor used by DL4J's {@code BaseLayer#clone()}.
     *
     * @param conf the layer's configuration
     */
    public G2GLinearLayer(NeuralNetConfiguration conf) {
        this(conf, conf.getDataType());
    }

    @Override
    public boolean hasBias() {
        return false;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    // --- from docs/EXTENDING.md, "Add a layer kind" ---
    @Override
    protected INDArray getParamWithNoise(String param, boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray p = super.getParamWithNoise(param, training, workspaceMgr);
        return W.equals(param) ? effective().of(p, getParam(M), training) : p;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        Pair<Gradient, INDArray> result = effective().duringBackprop(() -> super.backpropGradient(epsilon, workspaceMgr));
        gradientViews.get(W).muli(getParam(M));
        result.getFirst().gradientForVariable().put(M, gradientViews.get(M));
        return result;
    }
    // --- end of the snippet ---

    @Override
    public void setBackpropGradientsViewArray(INDArray gradients) {
        super.setBackpropGradientsViewArray(gradients);
        gradientViews.get(M).assign(0);
    }

    @Override
    public void clear() {
        super.clear();
        effective().invalidate();
    }

    private EffectiveWeights effective() {
        if (effective == null) {
            effective = new EffectiveWeights(MaskedMath::maskInto, 'f');
        }
        return effective;
    }

    @Override
    public String name() {
        return layerConf().getLayerName() != null ? layerConf().getLayerName() : String.valueOf(getIndex());
    }

    @Override
    public ConnectionMask currentMask() {
        INDArray m = getParam(M);
        return new ConnectionMask((int) m.rows(), (int) m.columns(), HostArrays.toFloats(m));
    }

    @Override
    public long activeConnections() {
        return Math.round(getParam(M).sumNumber().doubleValue());
    }

    @Override
    public long totalConnections() {
        return getParam(W).length();
    }

    @Override
    public long activeParams() {
        return activeConnections();
    }
}
