package org.g2gnet.rewiring;

import java.util.List;
import java.util.function.Function;

import org.deeplearning4j.nn.api.Layer;
import org.g2gnet.activity.ActivityRecorder;
import org.g2gnet.layers.G2GBlockImpl;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Tile rewiring ({@link TileRewirer}) of one inner layer of a block: the same events as for the structured layer it
 * computes, on the weights and index the block holds ({@link G2GBlockImpl#inner(int)}). Its activity comes from the
 * block: during training from what the block keeps of the forward pass for its backward pass, rebuilt in the
 * network's neuron order only when the listener records ({@link G2GBlockImpl.Inner#input()},
 * {@link G2GBlockImpl.Inner#output()}); for an event on a sample, from one inference pass of the block per inner
 * layer ({@link G2GBlockImpl#innerOutputs}).
 *
 * <p>Its RNG is its own: unit id {@link #unit(int, int)}, which no layer index can equal, so that every inner layer
 * of every block draws its own numbers. An event of inner layer k therefore makes the same choices as one of the
 * equivalent structured layer only where no random numbers decide (criteria without ties; RANDOM never).</p>
 *
 * <p>Gradient growth is refused: the block computes the gradient of its connected weights only, not the dense
 * {@code x^T delta} that GRADIENT ranks inactive connections by.</p>
 */
final class InnerLayerRewirer extends TileRewirer {
    private final G2GBlockImpl block;
    private final G2GBlockImpl.Inner inner;

    /**
     * @param block  the block
     * @param k      the inner layer
     * @param config the configuration
     * @throws IllegalStateException naming the inner layer, the block and the option when the configuration asks
     *                               for something the block cannot do (gradient growth; those of {@link TileRewirer})
     */
    InnerLayerRewirer(G2GBlockImpl block, int k, RewiringConfig config) {
        super(block.inner(k), block.inner(k), unit(block.getIndex(), k), config);
        this.block = block;
        this.inner = block.inner(k);
        if (config.grow().needsDenseGradient()) {
            throw new IllegalStateException("RewiringListener: layer '" + inner.name() + "' is inner layer " + k
                    + " of the G2GBlock '" + block.conf().getLayer().getLayerName() + "' (index " + block.getIndex()
                    + "), which does not compute the dense gradient x^T delta that growth criterion GRADIENT ranks "
                    + "inactive connections by; use structured execution (one G2GDenseLayer per layer, e.g. "
                    + "G2GBlock.equivalentStack) or another growth criterion (HEBBIAN or RANDOM)");
        }
    }

    /**
     * The RNG unit id of an inner layer: (blockIndex + 1) * 2^32 + k. A layer index is below 2^31, so no inner
     * layer shares its RNG with a layer, and no two inner layers share one.
     *
     * @param blockIndex the block's index in the network
     * @param k          the inner layer
     * @return the id
     */
    static long unit(int blockIndex, int k) {
        return ((long) blockIndex + 1) << 32 | k;
    }

    /** @return the inner layer's output in the forward pass just done, [minibatch, nOut_k] in neuron order */
    @Override
    public INDArray output(Function<Layer, INDArray> networkOutputs) {
        return inner.output();
    }

    /**
     * Runs the block on the sample and records the inner layer's input (the block's input, or the output of the
     * inner layer below) and output.
     */
    @Override
    public void recordSample(ActivityRecorder activity, INDArray layerInput, Function<Layer, INDArray> networkOutputs) {
        List<INDArray> outputs = block.innerOutputs(layerInput);
        int k = inner.position();
        activity.recordSample(inner, k == 0 ? layerInput : outputs.get(k - 1), outputs.get(k));
    }
}
