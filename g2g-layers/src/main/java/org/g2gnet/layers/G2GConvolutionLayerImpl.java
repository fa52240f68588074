package org.g2gnet.layers;

import java.util.Arrays;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.g2gnet.arrays.HostArrays;
import org.g2gnet.arrays.Workspaces;
import org.g2gnet.conf.G2GConvolutionLayer;
import org.g2gnet.conf.G2GConvolutionParamInitializer;
import org.g2gnet.topology.ConnectionMask;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The runtime G2G convolution: DL4J's {@code ConvolutionLayer} computing with the kernels {@code W * M} (the
 * channel-pair mask M [nOut, nIn] broadcast over [kH, kW]), with the weight gradient masked
 * ({@code dL/dW = dense gradient * M}) and a zero gradient for the mask.
 *
 * <p>Everything else (im2col and GEMM or a backend helper, NCHW/NHWC, convolution modes, dropout, weight noise,
 * regularisation, workspaces) is DL4J's: this class only substitutes the effective kernels for W wherever DL4J asks
 * for the weights. The effective kernels live in one buffer owned by the layer and detached from workspaces
 * (allocated once, {@link Workspaces#detached}), written by every forward pass and reused by the backward pass of
 * the same training iteration (DL4J's backward pass asks for the weights twice). W is never assumed to be zero
 * where M is zero. With an all-ones mask the layer computes exactly what a ConvolutionLayer computes.</p>
 *
 * <p>For gradient-based regrowth the layer copies its dense kernel gradient (every channel pair, before masking) into
 * a buffer given with {@link #captureDenseGradient(INDArray)}; when none is given this costs nothing.</p>
 */
public class G2GConvolutionLayerImpl extends ConvolutionLayer implements RecordedLayer {
    private static final long serialVersionUID = 1L;

    /** Where the dense kernel gradient [nOut, nIn, kH, kW] goes when asked for; null when not. */
    private transient INDArray denseGradientSink;
    /** Created on first use: transient fields are not restored by Java deserialisation. */
    private transient EffectiveWeights effective;

    /**
     * @param conf     the layer's configuration
     * @param dataType the network's data type
     */
    public G2GConvolutionLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /**
     * Constructor used by DL4J's {@code BaseLayer#clone()}.
     *
     * @param conf the layer's configuration
     */
    public G2GConvolutionLayerImpl(NeuralNetConfiguration conf) {
        this(conf, conf.getDataType());
    }

    @Override
    protected INDArray getParamWithNoise(String param, boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray p = super.getParamWithNoise(param, training, workspaceMgr);
        if (!G2GConvolutionParamInitializer.WEIGHT_KEY.equals(param)) {
            return p;
        }
        return effective().of(p, mask(), training);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        Pair<Gradient, INDArray> result = effective().duringBackprop(() -> super.backpropGradient(epsilon, workspaceMgr));
        // the updater reads the gradient view; a backend helper may also return its own array: mask both
        INDArray view = gradientViews.get(G2GConvolutionParamInitializer.WEIGHT_KEY);
        if (denseGradientSink != null) {
            denseGradientSink.assign(view);
        }
        ChannelMaskMath.maskKernelsInto(view, mask(), view);
        INDArray weightGrad = result.getFirst().getGradientFor(G2GConvolutionParamInitializer.WEIGHT_KEY);
        if (weightGrad != null && weightGrad != view) {
            ChannelMaskMath.maskKernelsInto(weightGrad, mask(), weightGrad);
        }
        result.getFirst().gradientForVariable().put(G2GConvolutionParamInitializer.MASK_KEY,
                gradientViews.get(G2GConvolutionParamInitializer.MASK_KEY));
        return result;
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray gradients) {
        super.setBackpropGradientsViewArray(gradients);
        gradientViews.get(G2GConvolutionParamInitializer.MASK_KEY).assign(0);
    }

    /** @return the configuration */
    public G2GConvolutionLayer g2gConf() {
        return (G2GConvolutionLayer) layerConf();
    }

    /** @return the weights W [nOut, nIn, kH, kW] (a view into the network's parameters) */
    public INDArray weights() {
        return getParam(G2GConvolutionParamInitializer.WEIGHT_KEY);
    }

    /** @return the channel-pair mask M [nOut, nIn] (a view into the network's parameters) */
    public INDArray mask() {
        return getParam(G2GConvolutionParamInitializer.MASK_KEY);
    }

    /**
     * Asks the layer to write its dense kernel gradient dL/dW [nOut, nIn, kH, kW] (every channel pair, connected or
     * not, before masking and regularisation) into {@code sink} on every backward pass, until called again with
     * null. When no sink is given this costs nothing.
     *
     * @param sink [nOut, nIn, kH, kW] array detached from workspaces, or null to stop
     */
    @Override
    public void captureDenseGradient(INDArray sink) {
        long[] shape = denseGradientShape();
        if (sink != null && !Arrays.equals(sink.shape(), shape)) {
            throw new IllegalArgumentException(layerId() + ": dense kernel gradient buffer must have shape "
                    + Arrays.toString(shape) + ", got " + Arrays.toString(sink.shape()));
        }
        this.denseGradientSink = sink;
    }

    /** @return [nOut, nIn, kH, kW], the kernels' shape */
    @Override
    public long[] denseGradientShape() {
        return weights().shape();
    }

    /** @return 'c', the order of DL4J's convolution kernels */
    @Override
    public char denseGradientOrder() {
        return 'c';
    }

    /** @return the layout of the input and output maps (NCHW or NHWC) */
    @Override
    public CNN2DFormat activationMaps() {
        return g2gConf().getCnn2dDataFormat();
    }

    @Override
    public String name() {
        String n = layerConf().getLayerName();
        return n != null ? n : String.valueOf(getIndex());
    }

    /** @return the channel-pair mask as a ConnectionMask [nIn, nOut] (entry (i, o) = M[o, i]) */
    @Override
    public ConnectionMask currentMask() {
        INDArray m = mask();
        // M [nOut, nIn] in 'c' order is ConnectionMask's layout (entry (i, o) at i + o * nIn)
        return new ConnectionMask((int) m.columns(), (int) m.rows(), HostArrays.toFloatsC(m));
    }

    /** @return active channel pairs x kH x kW: the kernel weights that can be non-zero */
    @Override
    public long activeConnections() {
        return Math.round(mask().sumNumber().doubleValue()) * weightsPerMaskEntry();
    }

    /** @return nIn x nOut x kH x kW */
    @Override
    public long totalConnections() {
        return weights().length();
    }

    /** @return active kernel weights + biases (the mask excluded) */
    @Override
    public long activeParams() {
        return activeConnections() + (hasBias() ? getParam(G2GConvolutionParamInitializer.BIAS_KEY).length() : 0);
    }

    /** @return kH x kW */
    @Override
    public long weightsPerMaskEntry() {
        return g2gConf().getKernelArea();
    }

    private EffectiveWeights effective() {
        if (effective == null) {
            effective = new EffectiveWeights(ChannelMaskMath::maskKernelsInto, 'c');
        }
        return effective;
    }

    @Override
    public void clear() {
        super.clear();
        effective().invalidate();
    }
}
