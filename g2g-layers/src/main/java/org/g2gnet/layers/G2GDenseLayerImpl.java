package org.g2gnet.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.g2gnet.arrays.HostArrays;
import org.g2gnet.conf.G2GParamInitializer;
import org.g2gnet.topology.ConnectionMask;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The runtime G2G layer: forward {@code activation(x (W * M) + b)}, backward with the weight gradient
 * masked ({@code dL/dW = (x^T delta) * M}) and a zero gradient for the mask.
 *
 * <p>Everything else (input dropout, weight noise, regularisation, workspaces) is DL4J's
 * {@code BaseLayer}: this class only substitutes the effective weight {@code W * M} for W. The effective
 * weight lives in one buffer owned by the layer, computed once per forward pass and reused by the
 * backward pass of the same iteration. W is never assumed to be zero where M is zero. The training
 * forward pass also keeps its pre-activation for the backward pass ({@link ForwardCache}), which saves the
 * forward GEMM that DL4J's DenseLayer runs a second time.</p>
 *
 * <p>For gradient-based regrowth the layer copies the dense gradient {@code x^T delta} (before masking) into
 * a buffer given with {@link #captureDenseGradient(INDArray)}; when none is given this costs nothing.</p>
 */
public class G2GDenseLayerImpl extends G2GBaseLayer {
    private static final long serialVersionUID = 1L;

    /** Created on first use: transient fields are not restored by Java deserialisation. */
    private transient EffectiveWeights effective;

    /**
     * @param conf     the layer's configuration
     * @param dataType the network's data type
     */
    public G2GDenseLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /**
     * Constructor used by DL4J's {@code BaseLayer#clone()}.
     *
     * @param conf the layer's configuration
     */
    public G2GDenseLayerImpl(NeuralNetConfiguration conf) {
        this(conf, conf.getDataType());
    }

    @Override
    protected INDArray getParamWithNoise(String param, boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray p = super.getParamWithNoise(param, training, workspaceMgr);
        if (!G2GParamInitializer.WEIGHT_KEY.equals(param)) {
            return p;
        }
        return effective().of(p, getParam(G2GParamInitializer.MASK_KEY), training);
    }

    @Override
    protected Pair<INDArray, INDArray> preOutputWithPreNorm(boolean training, boolean forBackprop,
                                                            LayerWorkspaceMgr workspaceMgr) {
        if (forBackprop) {
            INDArray z = cache().takePreOutput(input);
            if (z != null) {
                return new Pair<>(z, z);
            }
        }
        return super.preOutputWithPreNorm(training, forBackprop, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        Pair<Gradient, INDArray> result = effective().duringBackprop(() -> super.backpropGradient(epsilon, workspaceMgr));
        INDArray weightGrad = gradientViews.get(G2GParamInitializer.WEIGHT_KEY);
        if (denseGradientSink != null) {
            denseGradientSink.assign(weightGrad);
        }
        weightGrad.muli(getParam(G2GParamInitializer.MASK_KEY));
        result.getFirst().gradientForVariable().put(G2GParamInitializer.MASK_KEY,
                gradientViews.get(G2GParamInitializer.MASK_KEY));
        return result;
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray gradients) {
        super.setBackpropGradientsViewArray(gradients);
        gradientViews.get(G2GParamInitializer.MASK_KEY).assign(0);
    }

    /** @return the weights W [nIn, nOut] (a view into the network's parameters) */
    public INDArray weights() {
        return getParam(G2GParamInitializer.WEIGHT_KEY);
    }

    /** @return the mask M [nIn, nOut] (a view into the network's parameters) */
    public INDArray mask() {
        return getParam(G2GParamInitializer.MASK_KEY);
    }

    @Override
    public ConnectionMask currentMask() {
        INDArray m = mask();
        return new ConnectionMask((int) m.rows(), (int) m.columns(), HostArrays.toFloats(m));
    }

    @Override
    public long activeConnections() {
        return Math.round(mask().sumNumber().doubleValue());
    }

    @Override
    public long totalConnections() {
        return weights().length();
    }

    @Override
    public long activeParams() {
        return activeConnections() + getParam(G2GParamInitializer.BIAS_KEY).length();
    }

    private EffectiveWeights effective() {
        if (effective == null) {
            effective = new EffectiveWeights(MaskedMath::maskInto, 'f');
        }
        return effective;
    }

    @Override
    public void clear() {
        super.clear();
        effective().invalidate();
    }
}
