package org.g2gnet.rewiring;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.IntStream;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Updater;
import org.g2gnet.activity.ActivityRecorder;
import org.g2gnet.activity.ActivitySource;
import org.g2gnet.layers.G2GBlockImpl;
import org.g2gnet.layers.G2GConvolutionLayerImpl;
import org.g2gnet.layers.G2GDenseLayerImpl;
import org.g2gnet.layers.G2GLayer;
import org.g2gnet.layers.G2GStructuredLayerImpl;
import org.g2gnet.util.Seeds;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * "Rewire this layer": one rewirable unit of a network and how an event changes it. {@link RewiringListener}
 * asks {@link #of} once per network layer, when it binds to a network, for that layer's units, and from then on
 * only records their activity and calls {@link #rewire}. A new kind of G2G layer is a new implementation and a
 * line in {@link #of}, nothing in the listener. Until it has its line, {@link #of} refuses a network holding it,
 * naming the layer: no G2G layer is ever left static in silence.
 *
 * <p>A unit is not always a DL4J layer: a block ({@link G2GBlockImpl}) is one network layer holding several G2G
 * layers, and has one unit per inner layer. So a unit names the network layer that holds it ({@link #layer()}: its
 * index orders and labels the events) apart from what the recorder reads of it ({@link #source()}: a name, an
 * input, a dense gradient), and says where its output is ({@link #output}, {@link #recordSample}).</p>
 *
 * <p>Implementations: {@link MaskedRewirer} (a masked dense layer, a unit per connection), {@link TileRewirer}
 * (structured execution, whole tiles; {@link InnerLayerRewirer}, the same for an inner layer of a block) and
 * {@link ChannelPairRewirer} (a convolution, a unit per channel pair, i.e. per kernel). All rank with the same
 * {@link PruneCriterion} and {@link GrowthCriterion} on {@link UnitScores} and change weights only through
 * {@link MaskUpdater}.</p>
 */
interface LayerRewirer {

    /** @return the network layer that holds this unit's connections (for an inner layer: its block) */
    Layer layer();

    /** @return what the activity recorder reads of this unit; its name keys the unit's statistics */
    ActivitySource source();

    /**
     * @param networkOutputs the output of each network layer in the forward pass just done
     * @return this unit's output after activation ([minibatch, nOut], or a convolution's output maps; default: its
     *         layer's output)
     */
    default INDArray output(Function<Layer, INDArray> networkOutputs) {
        return networkOutputs.apply(layer());
    }

    /**
     * Sets this unit's Hebbian score to that of a sample, for an event outside training.
     *
     * @param activity       the recorder
     * @param layerInput     the input of {@link #layer()} for the sample [n, nIn] (or maps)
     * @param networkOutputs the output of each network layer for the sample
     */
    default void recordSample(ActivityRecorder activity, INDArray layerInput, Function<Layer, INDArray> networkOutputs) {
        activity.recordSample(source(), layerInput, output(networkOutputs));
    }

    /**
     * Prunes and regrows this unit's connections once.
     *
     * @param event the event
     * @return what the event did to this unit
     */
    RewiringEvent rewire(Context event);

    /**
     * The units of one network layer: one per G2G layer (masked, structured, convolution) and one per inner layer of
     * a block; none for layers that are not this library's (DL4J's own, and frozen G2G layers and blocks, which DL4J
     * wraps in its {@code FrozenLayer}).
     *
     * @param layer  a layer of the network
     * @param config the rewiring configuration
     * @return its units
     * @throws IllegalStateException when the layer cannot honour an option of the configuration, or when it is a
     *                               G2G layer of a kind no rewirer handles yet (naming the layer and its kind)
     */
    static List<LayerRewirer> of(Layer layer, RewiringConfig config) {
        if (layer instanceof G2GDenseLayerImpl masked) {
            return List.of(new MaskedRewirer(masked, config));
        }
        if (layer instanceof G2GStructuredLayerImpl structured) {
            return List.of(new TileRewirer(structured, config));
        }
        if (layer instanceof G2GConvolutionLayerImpl conv) {
            return List.of(new ChannelPairRewirer(conv, config));
        }
        if (layer instanceof G2GBlockImpl block) {
            return IntStream.range(0, block.depth()).<LayerRewirer>mapToObj(k -> new InnerLayerRewirer(block, k,
                    config)).toList();
        }
        if (isG2GLayer(layer)) {
            throw new IllegalStateException("RewiringListener: layer '" + layer.conf().getLayer().getLayerName()
                    + "' (index " + layer.getIndex() + ", " + layer.getClass().getSimpleName() + ") is a G2G layer "
                    + "of a kind the listener cannot rewire yet; it would stay static while the other layers are "
                    + "rewired. Train this network without the RewiringListener, or freeze that layer (frozen layers "
                    + "are not rewired)");
        }
        return List.of();
    }

    /**
     * @param layer a network layer
     * @return whether it is a G2G layer: it tells its connectivity ({@link G2GLayer}) or it is one of this library's
     *         runtime layers (so that a new kind cannot slip through before it has a rewirer)
     */
    private static boolean isG2GLayer(Layer layer) {
        return layer instanceof G2GLayer || layer.getClass().getName().startsWith("org.g2gnet.");
    }

    /**
     * One event, as every unit sees it.
     *
     * @param iteration    the optimizer step after which the event runs
     * @param epoch        the epoch
     * @param fraction     the fraction of active connections to replace
     * @param baseSeed     the seed the event's randomness derives from
     * @param networkSeed  the network's seed (the layers' partitions derive from it)
     * @param updater      the network's updater (null before the first fit)
     * @param activity     the recorded activity
     * @param hebbianScore how the Hebbian score is computed
     */
    record Context(int iteration, int epoch, double fraction, long baseSeed, long networkSeed, Updater updater,
                   ActivityRecorder activity, HebbianScore hebbianScore) {

        /**
         * @param unit the unit's id: its layer index, or for an inner layer of a block
         *             {@link InnerLayerRewirer#unit(int, int)}
         * @return the unit's own RNG for this event
         */
        SplittableRandom rng(long unit) {
            return new SplittableRandom(Seeds.mix(Seeds.mix(baseSeed, unit), iteration));
        }

        /**
         * @param layer a layer name
         * @return its Hebbian score per connection [nIn, nOut] in 'f' order (|cos| for ABSOLUTE), or null
         */
        float[] hebbian(String layer) {
            float[] h = activity.hebbian(layer);
            if (h != null && hebbianScore == HebbianScore.ABSOLUTE) {
                for (int i = 0; i < h.length; i++) {
                    h[i] = Math.abs(h[i]);
                }
            }
            return h;
        }

        /**
         * @param layer a layer name
         * @return |dL/dw| of its dense gradient per connection [nIn, nOut] in 'f' order, or null
         */
        float[] absDenseGradient(String layer) {
            float[] g = activity.denseGradient(layer);
            return g == null ? null : UnitScores.abs(g);
        }

        /**
         * @param layer a layer name
         * @return its last captured dense gradient in the layer's order (a convolution's: [nOut, nIn, kH, kW] in 'c'
         *         order), or null
         */
        float[] denseGradient(String layer) {
            return activity.denseGradient(layer);
        }
    }
}
