package org.g2gnet.layers;

import java.util.Arrays;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.g2gnet.conf.G2GDenseLayer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the masked and the structured runtime G2G layers share: the training forward pass that keeps its
 * pre-activation (and any other array the backward pass can reuse) in a {@link ForwardCache}, the dense
 * gradient capture for gradient-based regrowth, and naming.
 */
public abstract class G2GBaseLayer extends BaseLayer<G2GDenseLayer> implements RecordedLayer {
    private static final long serialVersionUID = 1L;

    /** Where the dense gradient x^T delta [nIn, nOut] goes when asked for; null when not. */
    protected transient INDArray denseGradientSink;
    private transient ForwardCache cache;

    /**
     * @param conf     the layer's configuration
     * @param dataType the network's data type
     */
    protected G2GBaseLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /**
     * The array (besides the pre-activation) that the last forward pass computed and the backward pass may
     * reuse, e.g. gathered inputs; null when there is none.
     *
     * @return the array, or null
     */
    protected INDArray forwardExtra() {
        return null;
    }

    /** @return the cache of the last training forward pass (created on first use) */
    protected ForwardCache cache() {
        if (cache == null) {
            cache = new ForwardCache();
        }
        return cache;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray z = preOutputWithPreNorm(training, false, workspaceMgr).getFirst();
        if (training) {
            cache().store(input, z, forwardExtra(), workspaceMgr);
        }
        INDArray ret = layerConf().getActivationFn().getActivation(z, training);
        if (maskArray != null) {
            applyMask(ret);
        }
        return ret;
    }

    /**
     * Asks the layer to write its dense weight gradient {@code x^T delta} [nIn, nOut] (every input-output pair,
     * connected or not, before masking and regularisation) into {@code sink} on every backward pass, until
     * called again with null. When no sink is given this costs nothing.
     *
     * @param sink [nIn, nOut] array detached from workspaces, or null to stop
     */
    @Override
    public void captureDenseGradient(INDArray sink) {
        long nIn = layerConf().getNIn();
        long nOut = layerConf().getNOut();
        if (sink != null && (sink.rank() != 2 || sink.rows() != nIn || sink.columns() != nOut)) {
            throw new IllegalArgumentException(layerId() + ": dense gradient buffer must have shape [" + nIn + ", "
                    + nOut + "], got " + Arrays.toString(sink.shape()));
        }
        this.denseGradientSink = sink;
    }

    /** @return [nIn, nOut] */
    @Override
    public long[] denseGradientShape() {
        return new long[] {layerConf().getNIn(), layerConf().getNOut()};
    }

    /** @return 'f', the order of DL4J's dense weight matrices */
    @Override
    public char denseGradientOrder() {
        return 'f';
    }

    @Override
    public String name() {
        String n = layerConf().getLayerName();
        return n != null ? n : String.valueOf(getIndex());
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public boolean hasBias() {
        return true;
    }

    @Override
    public void clear() {
        super.clear();
        if (cache != null) {
            cache.clear();
        }
    }
}
