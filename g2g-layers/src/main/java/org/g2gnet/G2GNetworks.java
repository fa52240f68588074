package org.g2gnet;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.layers.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.g2gnet.conf.G2GConvolutionLayer;
import org.g2gnet.conf.G2GDenseLayer;
import org.g2gnet.layers.G2GBlockImpl;
import org.g2gnet.layers.G2GLayer;
import org.g2gnet.topology.Grouping;

/**
 * Network-level helpers: G2G layer stacks with the paper's groupings, and the sparsity report of any
 * {@code MultiLayerNetwork} or {@code ComputationGraph}.
 */
public final class G2GNetworks {
    private G2GNetworks() {
    }

    /**
     * A stack of G2G layers with the paper's groupings: a grouping belongs to a layer and applies to both of its
     * sides. With INDEX (or INTERLEAVED) everywhere, consecutive layers line up and the network has G nearly
     * isolated pathways; the Mixer pattern ({@code grouping == null}: layer k groups both sides by
     * {@link Grouping#mixer(int)}) and RANDOM (an independent permutation for each side of each layer) re-mix the
     * groups between layers, so each output group of layer k feeds every input group of layer k + 1. One way to
     * see it: the two-layer path counts {@code M_k M_{k+1}} take two values by block when pathways line up
     * (coefficient of variation about 0.47 at G = 8, pInter 0.15, width 1024) and are flat when groups are
     * re-mixed (about 0.10).
     *
     * @param nIn       inputs of the first layer
     * @param widths    outputs of each layer
     * @param grouping  grouping of every layer (both sides); null for the paper's Mixer pattern
     * @param customize applied to each layer's builder after nIn, nOut and groupings are set (activation,
     *                  groups, pIntra/pInter or density, ...)
     * @return the layer configurations, in order
     */
    public static List<G2GDenseLayer> stack(long nIn, int[] widths, Grouping grouping,
                                            UnaryOperator<G2GDenseLayer.Builder> customize) {
        List<G2GDenseLayer> out = new ArrayList<>();
        long in = nIn;
        for (int k = 0; k < widths.length; k++) {
            Grouping g = grouping == null ? Grouping.mixer(k) : grouping;
            G2GDenseLayer.Builder b = new G2GDenseLayer.Builder().nIn(in).nOut(widths[k]).grouping(g).inputGrouping(g);
            out.add(customize.apply(b).build());
            in = widths[k];
        }
        return out;
    }

    /**
     * The paper's Mixer stack: layer k groups both of its sides by {@link Grouping#mixer(int)} (even k INDEX,
     * odd k INTERLEAVED), so that between consecutive layers every output group feeds every input group with
     * N / G^2 neurons (flat two-layer path counts, unlike lined-up INDEX pathways).
     *
     * @param nIn       inputs of the first layer
     * @param widths    outputs of each layer
     * @param customize applied to each layer's builder
     * @return the layer configurations
     */
    public static List<G2GDenseLayer> mixerStack(long nIn, int[] widths, UnaryOperator<G2GDenseLayer.Builder> customize) {
        return stack(nIn, widths, null, customize);
    }

    /**
     * A stack of G2G convolutions over channel groups, with the paper's groupings as {@link #stack} gives them to
     * dense layers: a grouping belongs to a layer and applies to both its sides (its input and output channels);
     * {@code grouping == null} gives the Mixer pattern (G2G convolution k groups both sides by
     * {@link Grouping#mixer(int)}), RANDOM an independent permutation for each side of each layer. Pooling, batch
     * normalisation and activations between the convolutions keep channel identities, so the groups are re-mixed
     * between Mixer layers exactly as between dense ones.
     *
     * @param nIn       input channels of the first convolution
     * @param channels  output channels of each convolution
     * @param grouping  grouping of every layer (both sides); null for the paper's Mixer pattern
     * @param customize applied to each layer's builder after nIn, nOut and groupings are set (kernel size,
     *                  convolution mode, activation, groups, pIntra/pInter or density, ...)
     * @return the convolution configurations, in order (the caller puts pooling or normalisation between them)
     */
    public static List<G2GConvolutionLayer> convStack(long nIn, int[] channels, Grouping grouping,
                                                      UnaryOperator<G2GConvolutionLayer.Builder> customize) {
        List<G2GConvolutionLayer> out = new ArrayList<>();
        long in = nIn;
        for (int k = 0; k < channels.length; k++) {
            Grouping g = grouping == null ? Grouping.mixer(k) : grouping;
            G2GConvolutionLayer.Builder b = new G2GConvolutionLayer.Builder().nIn(in).nOut(channels[k]).grouping(g)
                    .inputGrouping(g);
            out.add(customize.apply(b).build());
            in = channels[k];
        }
        return out;
    }

    /**
     * Sparsity of one layer.
     *
     * @param name               layer name
     * @param type               layer class
     * @param activeConnections  weights that can be non-zero (for G2G layers: mask entries equal to 1; for G2G
     *                           convolutions: active channel pairs x kH x kW)
     * @param totalConnections   weights of the dense layer of the same shape (nIn x nOut, x kH x kW for
     *                           convolutions)
     * @param activeParams       active weights + biases + other trainable parameters; masks excluded
     */
    public record LayerSparsity(String name, String type, long activeConnections, long totalConnections,
                                long activeParams) {
        /** @return activeConnections / totalConnections (1 for layers without weights) */
        public double density() {
            return totalConnections == 0 ? 1.0 : activeConnections / (double) totalConnections;
        }
    }

    /**
     * Sparsity of a network.
     *
     * @param layers one entry per layer with parameters
     */
    public record SparsityReport(List<LayerSparsity> layers) {
        /** @return active parameters of the whole network, masks excluded */
        public long activeParams() {
            return layers.stream().mapToLong(LayerSparsity::activeParams).sum();
        }

        /** @return active connections (weights) of the whole network */
        public long activeConnections() {
            return layers.stream().mapToLong(LayerSparsity::activeConnections).sum();
        }

        /** @return connections of the dense network of the same shape */
        public long totalConnections() {
            return layers.stream().mapToLong(LayerSparsity::totalConnections).sum();
        }

        /** @return density over all weights */
        public double density() {
            return totalConnections() == 0 ? 1.0 : activeConnections() / (double) totalConnections();
        }

        /** @return a plain-text table */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-12s %-22s %12s %12s %8s %12s%n",
                    "layer", "type", "active", "total", "density", "params"));
            for (LayerSparsity l : layers) {
                sb.append(String.format(Locale.ROOT, "%-12s %-22s %12d %12d %8.4f %12d%n", l.name(), l.type(),
                        l.activeConnections(), l.totalConnections(), l.density(), l.activeParams()));
            }
            sb.append(String.format(Locale.ROOT, "%-12s %-22s %12d %12d %8.4f %12d", "total", "", activeConnections(),
                    totalConnections(), density(), activeParams()));
            return sb.toString();
        }
    }

    /**
     * The per-layer sparsity of a network: active and total connections, density, and active parameters
     * (mask and index parameters are never counted). A {@link org.g2gnet.conf.G2GBlock} gives one row per inner
     * layer, named after it ("block/0", "block/1", ...).
     *
     * @param model a MultiLayerNetwork or ComputationGraph, initialised
     * @return the report
     * @throws IllegalStateException naming the layer and the value when a mask entry is not 0 or 1 (see
     *                               {@link MaskIntegrity})
     */
    public static SparsityReport sparsityReport(Model model) {
        Layer[] layers;
        if (model instanceof MultiLayerNetwork m) {
            layers = m.getLayers();
        } else if (model instanceof ComputationGraph g) {
            layers = g.getLayers();
        } else {
            throw new IllegalArgumentException("sparsityReport: expected a MultiLayerNetwork or ComputationGraph, got "
                    + (model == null ? "null" : model.getClass().getName()));
        }
        if (layers == null) {
            throw new IllegalStateException("sparsityReport: the network is not initialised; call init() first");
        }
        // a mask averaged across workers with different masks holds fractions: no density to report then
        MaskIntegrity.checkMasks(model, "training (sparsityReport counts only 0/1 masks)");
        List<LayerSparsity> out = new ArrayList<>();
        for (Layer l : layers) {
            Layer inner = unwrap(l);
            if (inner.numParams() == 0) {
                continue;
            }
            String name = inner.conf().getLayer().getLayerName();
            String type = inner.conf().getLayer().getClass().getSimpleName() + (inner != l ? " (frozen)" : "");
            if (inner instanceof G2GLayer g) {
                out.add(new LayerSparsity(name, type, g.activeConnections(), g.totalConnections(), g.activeParams()));
            } else if (inner instanceof G2GBlockImpl b) {
                // one row per inner layer: compact weights and biases; indices excluded
                for (int k = 0; k < b.depth(); k++) {
                    G2GBlockImpl.Inner in = b.inner(k);
                    long active = in.weights().length();
                    out.add(new LayerSparsity(in.name(), type, active,
                            (long) in.layout().in().size() * in.layout().out().size(), active + in.bias().length()));
                }
            } else {
                long weights = 0;
                for (var e : inner.paramTable().entrySet()) {
                    if (inner.conf().getLayer().initializer().isWeightParam(inner.conf().getLayer(), e.getKey())) {
                        weights += e.getValue().length();
                    }
                }
                out.add(new LayerSparsity(name, type, weights, weights, inner.numParams()));
            }
        }
        return new SparsityReport(out);
    }

    /**
     * DL4J's parameter count beside the ones that mean something for a sparse network, one row per layer with
     * parameters: {@code numParams()} (DL4J's count of the flat parameter view, which holds the masks and a block's
     * tile indices), trainable (what an updater changes: masks and indices excluded) and active (weights that can
     * be non-zero, plus biases: {@link #sparsityReport}). DL4J's {@code net.summary()} shows the first only.
     *
     * @param model a MultiLayerNetwork or ComputationGraph, initialised
     * @return a plain-text table with a total row
     */
    public static String summary(Model model) {
        Layer[] layers = model instanceof MultiLayerNetwork m ? m.getLayers()
                : model instanceof ComputationGraph g ? g.getLayers() : null;
        if (layers == null) {
            throw new IllegalArgumentException("summary: expected an initialised MultiLayerNetwork or ComputationGraph");
        }
        java.util.Map<String, Long> active = new java.util.HashMap<>();
        for (LayerSparsity l : sparsityReport(model).layers()) {
            // a block's inner layers are reported as block/0, block/1, ...: add them up under the block's name
            String owner = l.name().contains("/") ? l.name().substring(0, l.name().indexOf('/')) : l.name();
            active.merge(owner, l.activeParams(), Long::sum);
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-12s %-22s %14s %12s %12s%n", "layer", "type",
                "numParams()", "trainable", "active"));
        long[] total = new long[3];
        for (Layer l : layers) {
            Layer inner = unwrap(l);
            if (inner.numParams() == 0) {
                continue;
            }
            String name = inner.conf().getLayer().getLayerName();
            long trainable = 0;
            for (var e : inner.paramTable().entrySet()) {
                boolean frozen = inner != l
                        || inner.conf().getLayer().getUpdaterByParam(e.getKey()) instanceof org.nd4j.linalg.learning.config.NoOp;
                trainable += frozen ? 0 : e.getValue().length();
            }
            long act = active.getOrDefault(name, inner.numParams());
            sb.append(String.format(Locale.ROOT, "%-12s %-22s %,14d %,12d %,12d%n", name,
                    inner.conf().getLayer().getClass().getSimpleName(), inner.numParams(), trainable, act));
            total[0] += inner.numParams();
            total[1] += trainable;
            total[2] += act;
        }
        sb.append(String.format(Locale.ROOT, "%-12s %-22s %,14d %,12d %,12d", "total", "", total[0], total[1], total[2]));
        return sb.toString();
    }

    private static Layer unwrap(Layer l) {
        if (l instanceof FrozenLayer f) {
            return f.getInsideLayer();
        }
        if (l instanceof FrozenLayerWithBackprop f) {
            return f.getInsideLayer();
        }
        return l;
    }
}
