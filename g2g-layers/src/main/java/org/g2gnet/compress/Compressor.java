package org.g2gnet.compress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.g2gnet.conf.G2GDenseLayer;
import org.g2gnet.topology.GroupPartition;
import org.g2gnet.topology.Grouping;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Compresses a trained {@link MultiLayerNetwork}: each dense hidden layer ({@link DenseLayer}, or the ones named)
 * becomes a {@link G2GDenseLayer} (masked execution) that starts from the trained weights and biases, at a target
 * density. The network's function is kept where the mask keeps a connection; the rest of the network (output layer,
 * other layers) is copied.
 *
 * <p>How the connections are chosen ({@link Method}):</p>
 * <ul>
 *   <li>{@code LEARNED} (G2G with groups learned from the trained weights): the output neurons of each layer are
 *   split into G balanced groups by the weight mass (sum of |w|) they receive from each input group, greedily, largest
 *   mass first, so that the dense intra-group blocks hold as much of the trained weights as a balanced grouping can;
 *   a layer's input groups are the previous layer's output groups (the first layer's inputs: contiguous INDEX groups).
 *   The hidden neurons are then permuted so that every group is contiguous (the next layer's rows permuted alike: the
 *   network computes exactly the same function), and the G2G layers use INDEX groupings on both sides. The
 *   intra-group blocks are kept dense and the inter-group connections of largest |w| fill the density.</li>
 *   <li>{@code COACTIVATION}: the same, with the groups chosen by how the neurons fire together on a data sample
 *   ({@link Builder#sample}; the Hebbian signal |mean x_i y_o| in place of |w|).</li>
 *   <li>{@code MIXER}: the paper's Mixer grouping (layer k: {@link Grouping#mixer(int)} on both sides) applied to the
 *   trained weights, ignoring what they learned; intra-group blocks dense, largest |w| between groups.</li>
 *   <li>{@code MAGNITUDE}: unstructured magnitude pruning (one group: the largest |w| of each layer), what
 *   TensorFlow's {@code prune_low_magnitude} and {@code torch.nn.utils.prune} do.</li>
 * </ul>
 * <p>When the intra-group blocks alone exceed the density (d &lt; 1 / G), the largest |w| inside them are kept.
 * The G2G layer's configuration records G, the groupings and the density; its mask is the parameter {@code M}, so
 * ModelSerializer, {@code clone()} and JSON-plus-parameters keep it bit for bit (a configuration alone, without the
 * parameters, would draw a random mask of the same structure at {@code init()}).</p>
 *
 * <pre>{@code
 * Compressor.Result r = Compressor.builder().density(0.25).method(Compressor.Method.LEARNED).build().compress(dense);
 * MultiLayerNetwork g2g = r.network();     // fine-tune it with fit(...), optionally with a RewiringListener
 * }</pre>
 */
public final class Compressor {
    /** How the kept connections are chosen. */
    public enum Method {
        /** G2G, groups from the trained weights' mass (neurons permuted so that groups are contiguous). */
        LEARNED,
        /** G2G with the paper's Mixer grouping, applied to the trained weights. */
        MIXER,
        /** Unstructured magnitude pruning (one group). */
        MAGNITUDE,
        /**
         * G2G with learned groups, as a {@link org.g2gnet.conf.G2GBlock} (structured execution, the form that runs
         * faster than dense): the hidden layers become one block; each output group keeps its own group densely and
         * the whole input tiles of other groups that carry the most weight mass (as many as the density allows).
         */
        BLOCK,
        /**
         * G2G, groups from the trained network's co-activation on a data sample ({@link Builder#sample}): each
         * output neuron goes to the input group whose neurons it fires with most, the Hebbian signal |mean x_i y_o|
         * summed over the group (greedily, balanced, as LEARNED does with the weight mass); masked, the kept
         * inter-group connections are still those of largest |w|.
         */
        COACTIVATION
    }

    private final double density;
    private final Method method;
    private final int groups;
    private final Set<String> layerNames;
    private final IUpdater updater;
    private final INDArray sample;

    private Compressor(Builder b) {
        this.density = b.density;
        this.method = b.method;
        this.groups = b.groups;
        this.layerNames = b.layerNames;
        this.updater = b.updater;
        this.sample = b.sample;
        if (method == Method.COACTIVATION && sample == null) {
            throw new IllegalArgumentException("Compressor: COACTIVATION groups neurons by how they fire together on "
                    + "data: give a sample of inputs (builder.sample(features))");
        }
    }

    /** @return a builder: density 0.25, LEARNED, G by {@link #defaultGroups} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The default group count at a density: the smallest power of two, at least 2, whose intra-group blocks (1/G of
     * all pairs) hold at most half of the kept connections (G = 4 at 0.5, 8 at 0.25, 32 at 0.1).
     *
     * @param density the target density, in (0, 1)
     * @return G
     */
    public static int defaultGroups(double density) {
        int g = 2;
        while (1.0 / g > density / 2 + 1e-12) {
            g *= 2;
        }
        return g;
    }

    /**
     * What one compressed layer kept.
     *
     * @param index      the layer's index in the network
     * @param name       the layer's name
     * @param groups     G (1 for magnitude pruning)
     * @param density    connections kept / all
     * @param massKept   sum of |w| kept / sum of |w| of the trained layer
     * @param intraShare share of the kept connections inside groups
     */
    public record LayerReport(int index, String name, int groups, double density, double massKept, double intraShare) {
        /** @return one line for logs */
        public String summary() {
            return String.format(Locale.ROOT, "layer %d (%s): G = %d, density %.4f, weight mass kept %.4f, intra share "
                    + "%.3f", index, name, groups, density, massKept, intraShare);
        }
    }

    /**
     * @param network the compressed network (initialised, with the trained parameters)
     * @param layers  one report per compressed layer
     */
    public record Result(MultiLayerNetwork network, List<LayerReport> layers) {
    }

    /**
     * @param dense a trained, initialised network
     * @return the compressed network and what each layer kept; {@code dense} is not changed
     * @throws IllegalArgumentException naming the layer when there is no dense hidden layer to compress, a named
     *                                  layer is missing, or a layer cannot be followed (its successor is not a
     *                                  feed-forward layer with a weight matrix)
     */
    public Result compress(MultiLayerNetwork dense) {
        Plan p = plan(dense);
        // BLOCK: planning built the block from these very weights already
        return p.built() != null ? p.built() : realise(dense, p);
    }

    /**
     * Compresses with structured pruning during fine-tuning instead of at once: the trained network's neurons are
     * regrouped and the connections to keep are chosen as {@link #compress} chooses them (the plan); then the
     * regrouped network is trained, still dense, for {@code epochs} epochs while the connections outside the plan are
     * pruned gradually, the smallest |w| first (the share pruned follows Zhu and Gupta's cubic schedule, reaching all
     * of them at three quarters of the iterations and holding them at 0 after), so that the kept connections take over
     * what the others did; only then is the network converted, exactly to the plan. The fine-tuning uses this
     * compressor's updater (default: the dense network's) from a fresh state.
     *
     * @param dense              a trained, initialised network; not changed
     * @param train              the fine-tuning data
     * @param epochs             epochs of gradual pruning, &gt;= 1
     * @param iterationsPerEpoch minibatches in one epoch of {@code train} (the schedule's length)
     * @return the compressed network (its layers' reports describe the plan; mass kept is measured on the pruned
     *         network, so it is 1 up to rounding)
     * @throws IllegalArgumentException as {@link #compress}, or for epochs or iterations below 1
     */
    public Result compressGradually(MultiLayerNetwork dense, DataSetIterator train, int epochs, int iterationsPerEpoch) {
        Objects.requireNonNull(train, "train");
        if (epochs < 1 || iterationsPerEpoch < 1) {
            throw new IllegalArgumentException("Compressor: gradual pruning needs epochs and iterationsPerEpoch >= 1, "
                    + "got " + epochs + " and " + iterationsPerEpoch);
        }
        Plan p = plan(dense);
        MultiLayerNetwork work = regrouped(dense, p);
        Map<Integer, INDArray> keep = new LinkedHashMap<>();
        for (int k : p.targets()) {
            keep.put(k, Nd4j.create(p.keep()[k]).castTo(work.getLayer(k).getParam("W").dataType()));
        }
        GradualPruning pruning = new GradualPruning(keep, (long) epochs * iterationsPerEpoch);
        work.setListeners(pruning);
        for (int e = 0; e < epochs; e++) {
            train.reset();
            work.fit(train);
        }
        pruning.finish(work);
        // the trained, pruned weights in the plan's order, then the network built exactly to the plan
        for (int k = 0; k < p.w().length; k++) {
            if (p.w()[k] != null) {
                p.w()[k] = work.getLayer(k).getParam("W").toFloatMatrix();
                p.b()[k] = work.getLayer(k).getParam("b").toFloatVector();
            }
        }
        work.setListeners();
        return realise(work, p);
    }

    /**
     * What {@link #compress} decides before building: the weights and biases with the hidden neurons regrouped
     * (permuted), the G2G layers' groups and groupings, and per compressed layer the 0/1 matrix of kept connections
     * (in the regrouped order) and, for BLOCK, the input tiles of each output group and the block network built
     * from the planned weights while choosing them.
     */
    private record Plan(MultiLayerConfiguration conf, List<Integer> targets, float[][][] w, float[][] b,
                        float[][][] keep, int[] groups, Grouping[] groupings, int[][][] slots, Result built) {
    }

    private Plan plan(MultiLayerNetwork dense) {
        Objects.requireNonNull(dense, "dense");
        if (dense.getLayers() == null) {
            throw new IllegalArgumentException("Compressor: the network is not initialised; call init() first");
        }
        MultiLayerConfiguration conf = dense.getLayerWiseConfigurations();
        int n = conf.getConfs().size();
        List<Integer> targets = targets(conf);
        // host copies of every feed-forward layer's W [nIn, nOut] and b, permuted as neurons move
        float[][][] w = new float[n][][];
        float[][] b = new float[n][];
        for (int k = 0; k < n; k++) {
            if (conf.getConf(k).getLayer() instanceof FeedForwardLayer && dense.getLayer(k).getParam("W") != null
                    && dense.getLayer(k).getParam("W").rank() == 2) {
                w[k] = dense.getLayer(k).getParam("W").toFloatMatrix();
                b[k] = dense.getLayer(k).getParam("b").toFloatVector();
            }
        }
        // COACTIVATION: per compressed layer |mean x_i y_o| on the sample [nIn, nOut], its rows moved as w's are
        float[][][] affinity = method == Method.COACTIVATION ? coactivation(dense, targets, n) : null;
        float[][][] keep = new float[n][][];
        int[] layerGroups = new int[n];
        Grouping[] groupings = new Grouping[n];
        for (int j = 0; j < targets.size(); j++) {
            int k = targets.get(j);
            int nIn = w[k].length;
            int nOut = w[k][0].length;
            int g = method == Method.MAGNITUDE ? 1 : Math.min(groups > 0 ? groups : defaultGroups(density),
                    Math.min(nIn, nOut));
            int[] in;
            int[] out;
            if (method == Method.BLOCK && j > 0 && targets.get(j - 1) != k - 1) {
                throw new IllegalArgumentException("Compressor: BLOCK turns consecutive dense hidden layers into one "
                        + "block; layers " + targets.get(j - 1) + " and " + k + " are not consecutive");
            }
            if (method == Method.MIXER) {
                groupings[k] = Grouping.mixer(j);
                in = GroupPartition.of(groupings[k], nIn, g, 0).labels();
                out = GroupPartition.of(groupings[k], nOut, g, 0).labels();
            } else {
                groupings[k] = Grouping.INDEX;
                in = GroupPartition.of(Grouping.INDEX, nIn, g, 0).labels();
                out = GroupPartition.of(Grouping.INDEX, nOut, g, 0).labels();
                if (method == Method.LEARNED || method == Method.BLOCK || method == Method.COACTIVATION) {
                    int[] order = learnedOrder(affinity != null ? affinity[k] : w[k], in, g,
                            GroupPartition.of(Grouping.INDEX, nOut, g, 0).groupSizes());
                    permute(w, b, k, order);
                    if (affinity != null && k + 1 < n && affinity[k + 1] != null) {
                        affinity[k + 1] = rows(affinity[k + 1], order);
                    }
                }
            }
            layerGroups[k] = g;
            if (method != Method.BLOCK) {
                keep[k] = mask(w[k], in, out, density);
            }
        }
        int[][][] slots = null;
        Result blockNetwork = null;
        if (method == Method.BLOCK) {
            Built built = block(dense, conf, targets, layerGroups[targets.get(0)], w, b, null);
            slots = built.slots();
            blockNetwork = built.result();
            for (int j = 0; j < targets.size(); j++) {
                keep[targets.get(j)] = built.kept()[j];
            }
        }
        return new Plan(conf, targets, w, b, keep, layerGroups, groupings, slots, blockNetwork);
    }

    /**
     * The compressed network of a plan, with the parameters of {@code source}: the dense network, or its regrouped
     * copy (whose weights the plan then holds).
     */
    private Result realise(MultiLayerNetwork source, Plan p) {
        MultiLayerConfiguration conf = p.conf();
        List<Integer> targets = p.targets();
        float[][][] w = p.w();
        float[][] b = p.b();
        if (method == Method.BLOCK) {
            return block(source, conf, targets, p.groups()[targets.get(0)], w, b, p.slots()).result();
        }
        MultiLayerNetwork net = build(conf, targets, p.groups(), p.groupings());
        List<LayerReport> reports = new ArrayList<>();
        for (int k = 0; k < conf.getConfs().size(); k++) {
            if (p.keep()[k] != null) {
                INDArray m = Nd4j.create(p.keep()[k]).castTo(net.getLayer(k).getParam("W").dataType());
                net.getLayer(k).setParam("M", m);
                net.getLayer(k).setParam("W", Nd4j.create(w[k]).castTo(m.dataType()).muli(m));
                net.getLayer(k).setParam("b", Nd4j.create(b[k]).reshape(net.getLayer(k).getParam("b").shape())
                        .castTo(m.dataType()));
                int g = p.groups()[k];
                GroupPartition in = GroupPartition.of(p.groupings()[k], w[k].length, g, 0);
                GroupPartition out = GroupPartition.of(p.groupings()[k], w[k][0].length, g, 0);
                reports.add(report(k, conf.getConf(k).getLayer().getLayerName(), g, w[k], p.keep()[k], in.labels(),
                        out.labels()));
            } else {
                copyParams(source.getLayer(k), net.getLayer(k), w[k], b[k]);
            }
        }
        return new Result(net, List.copyOf(reports));
    }

    /** Copies a layer's parameters, with W and b taken from the host arrays where given. */
    private static void copyParams(org.deeplearning4j.nn.api.Layer from, org.deeplearning4j.nn.api.Layer to,
                                   float[][] w, float[] b) {
        for (var e : from.paramTable().entrySet()) {
            INDArray v = e.getKey().equals("W") && w != null ? Nd4j.create(w)
                    : e.getKey().equals("b") && b != null ? Nd4j.create(b).reshape(e.getValue().shape())
                    : e.getValue().dup();
            to.setParam(e.getKey(), v.castTo(e.getValue().dataType()));
        }
    }

    /**
     * The dense network with its hidden neurons regrouped as the plan says (the same function), with this
     * compressor's updater from a fresh state, for gradual pruning.
     */
    private MultiLayerNetwork regrouped(MultiLayerNetwork dense, Plan p) {
        MultiLayerConfiguration conf = p.conf();
        NeuralNetConfiguration.ListBuilder lb = listBuilder(conf);
        for (int k = 0; k < conf.getConfs().size(); k++) {
            lb.layer(k, copyWithUpdater(conf.getConf(k).getLayer()));
            if (conf.getInputPreProcess(k) != null) {
                lb.inputPreProcessor(k, conf.getInputPreProcess(k).clone());
            }
        }
        MultiLayerNetwork net = new MultiLayerNetwork(lb.build());
        net.init();
        for (int k = 0; k < conf.getConfs().size(); k++) {
            copyParams(dense.getLayer(k), net.getLayer(k), p.w()[k], p.b()[k]);
        }
        return net;
    }

    /**
     * The BLOCK method: the (permuted) hidden layers as one G2GBlock with INDEX groupings; each output group keeps
     * its own input group and the input tiles of other groups with the largest weight mass into it.
     */
    private Built block(MultiLayerNetwork dense, MultiLayerConfiguration conf, List<Integer> targets, int g,
                        float[][][] w, float[][] b, int[][][] plannedSlots) {
        int first = targets.get(0);
        int last = targets.get(targets.size() - 1);
        DenseLayer head = (DenseLayer) conf.getConf(first).getLayer();
        int[] widths = new int[targets.size()];
        for (int j = 0; j < targets.size(); j++) {
            DenseLayer d = (DenseLayer) conf.getConf(targets.get(j)).getLayer();
            if (!d.getActivationFn().equals(head.getActivationFn())) {
                throw new IllegalArgumentException("Compressor: BLOCK needs one activation for all its layers; layer "
                        + targets.get(j) + " has " + d.getActivationFn() + ", layer " + first + " "
                        + head.getActivationFn());
            }
            widths[j] = (int) d.getNOut();
        }
        long nIn = head.getNIn();
        for (long side : concat(nIn, widths)) {
            if (side % g != 0) {
                throw new IllegalArgumentException("Compressor: BLOCK needs G (" + g + ") to divide every side of the "
                        + "block; " + side + " is not a multiple (choose groups(...) accordingly)");
            }
        }
        NeuralNetConfiguration.ListBuilder lb = listBuilder(conf);
        int index = 0;
        for (int k = 0; k < conf.getConfs().size(); k++) {
            if (k > first && k <= last) {
                continue;
            }
            if (k == first) {
                org.g2gnet.conf.G2GBlock.Builder bb = new org.g2gnet.conf.G2GBlock.Builder().nIn(nIn).widths(widths)
                        .groups(g).density(density).grouping(Grouping.INDEX).activation(head.getActivationFn());
                if (head.getLayerName() != null) {
                    bb.name(head.getLayerName());
                }
                lb.layer(index++, bb.build());
            } else {
                lb.layer(index++, copyWithUpdater(conf.getConf(k).getLayer()));
            }
            if (conf.getInputPreProcess(k) != null) {
                lb.inputPreProcessor(index - 1, conf.getInputPreProcess(k).clone());
            }
        }
        MultiLayerNetwork net = new MultiLayerNetwork(lb.build());
        net.init();
        org.g2gnet.layers.G2GBlockImpl blockImpl = (org.g2gnet.layers.G2GBlockImpl) net.getLayer(first);
        List<LayerReport> reports = new ArrayList<>();
        int[][][] usedSlots = new int[targets.size()][][];
        float[][][] keptAll = new float[targets.size()][][];
        for (int j = 0; j < targets.size(); j++) {
            int k = targets.get(j);
            org.g2gnet.topology.TileLayout layout = blockImpl.inner(j).layout();
            int[][] slots = plannedSlots != null ? plannedSlots[j] : heaviestTiles(w[k], layout);
            usedSlots[j] = slots;
            int[][] idx = layout.inputIndex(slots);
            int m = layout.outGroupSize();
            int kk = layout.fanIn();
            int[] outOrder = layout.outputOrder();
            float[] compact = new float[g * kk * m];
            float[][] kept = new float[w[k].length][w[k][0].length];
            keptAll[j] = kept;
            for (int gi = 0; gi < g; gi++) {
                for (int q = 0; q < kk; q++) {
                    for (int jj = 0; jj < m; jj++) {
                        int o = outOrder[gi * m + jj];
                        compact[(gi * kk + q) * m + jj] = w[k][idx[gi][q]][o];
                        kept[idx[gi][q]][o] = 1;
                    }
                }
            }
            var type = net.getLayer(first).getParam("W" + j).dataType();
            net.getLayer(first).setParam("W" + j, Nd4j.create(compact, new long[] {g, kk, m}, 'c').castTo(type));
            net.getLayer(first).setParam("b" + j, Nd4j.create(b[k]).reshape(net.getLayer(first).getParam("b" + j)
                    .shape()).castTo(type));
            float[] flatIndex = new float[g * kk];
            for (int gi = 0; gi < g; gi++) {
                for (int q = 0; q < kk; q++) {
                    flatIndex[gi * kk + q] = idx[gi][q];
                }
            }
            net.getLayer(first).setParam("I" + j, Nd4j.create(flatIndex, new long[] {g, kk}, 'c').castTo(type));
            reports.add(report(k, blockImpl.inner(j).name(), g, w[k], kept, layout.in().labels(),
                    layout.out().labels()));
        }
        // the layers after the block: the output layer's rows follow the last layer's permutation
        for (int k = last + 1; k < conf.getConfs().size(); k++) {
            copyParams(dense.getLayer(k), net.getLayer(k - (last - first)), w[k], b[k]);
        }
        for (int k = 0; k < first; k++) {
            copyParams(dense.getLayer(k), net.getLayer(k), null, null);
        }
        return new Built(new Result(net, List.copyOf(reports)), usedSlots, keptAll);
    }

    /** A built block network, the input tiles of each output group per inner layer, and the kept connections. */
    private record Built(Result result, int[][][] slots, float[][][] kept) {
    }

    private static long[] concat(long head, int[] rest) {
        long[] all = new long[rest.length + 1];
        all[0] = head;
        for (int i = 0; i < rest.length; i++) {
            all[i + 1] = rest[i];
        }
        return all;
    }

    /** For each output group, the c input tiles of other groups with the largest weight mass into the group. */
    static int[][] heaviestTiles(float[][] w, org.g2gnet.topology.TileLayout layout) {
        int g = layout.groups();
        int tile = layout.tile();
        int m = layout.outGroupSize();
        int[] inOrder = layout.inputOrder();
        int[] outOrder = layout.outputOrder();
        int[][] slots = new int[g][layout.slots()];
        for (int gi = 0; gi < g; gi++) {
            double[] mass = new double[layout.tiles()];
            for (int t = 0; t < layout.tiles(); t++) {
                if (layout.groupOfTile(t) == gi) {
                    mass[t] = Double.NEGATIVE_INFINITY;
                    continue;
                }
                for (int p = t * tile; p < (t + 1) * tile; p++) {
                    for (int jj = 0; jj < m; jj++) {
                        mass[t] += Math.abs(w[inOrder[p]][outOrder[gi * m + jj]]);
                    }
                }
            }
            Integer[] order = new Integer[mass.length];
            for (int t = 0; t < order.length; t++) {
                order[t] = t;
            }
            Arrays.sort(order, (x, y) -> Double.compare(mass[y], mass[x]));
            for (int j = 0; j < layout.slots(); j++) {
                slots[gi][j] = order[j];
            }
        }
        return slots;
    }

    /** The hidden DenseLayers to compress: the named ones, or every DenseLayer followed by a layer with weights. */
    private List<Integer> targets(MultiLayerConfiguration conf) {
        List<Integer> out = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int n = conf.getConfs().size();
        for (int k = 0; k < n; k++) {
            var l = conf.getConf(k).getLayer();
            names.add(l.getLayerName() + " (" + l.getClass().getSimpleName() + ")");
            boolean named = layerNames.isEmpty() || layerNames.contains(l.getLayerName());
            if (!(l instanceof DenseLayer) || !named) {
                continue;
            }
            if (k + 1 >= n || !(conf.getConf(k + 1).getLayer() instanceof FeedForwardLayer)
                    || conf.getInputPreProcess(k + 1) != null) {
                if (!layerNames.isEmpty()) {
                    throw new IllegalArgumentException("Compressor: layer " + k + " '" + l.getLayerName() + "' is not "
                            + "followed directly by a feed-forward layer with weights, so its neurons cannot be "
                            + "regrouped; the layers are " + names);
                }
                continue;
            }
            out.add(k);
        }
        for (String wanted : layerNames) {
            boolean found = false;
            for (int k = 0; k < n; k++) {
                found |= wanted.equals(conf.getConf(k).getLayer().getLayerName());
            }
            if (!found) {
                throw new IllegalArgumentException("Compressor: no layer named '" + wanted + "'; the layers are " + names);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("Compressor: the network has no dense hidden layer (a DenseLayer followed "
                    + "by a layer with weights) to compress; its layers are " + names);
        }
        return out;
    }

    /**
     * The order of a layer's output neurons that makes the learned groups contiguous: each output neuron goes to the
     * group it receives the most weight mass from, greedily (largest mass first), within the groups' sizes.
     */
    static int[] learnedOrder(float[][] w, int[] inLabels, int g, int[] outSizes) {
        int nIn = w.length;
        int nOut = w[0].length;
        double[][] mass = new double[nOut][g];
        for (int i = 0; i < nIn; i++) {
            for (int o = 0; o < nOut; o++) {
                mass[o][inLabels[i]] += Math.abs(w[i][o]);
            }
        }
        // every (neuron, group) pair, largest mass first: a primitive index sort, no boxing of 10^5 doubles per pair
        long pairs = (long) nOut * g;
        Integer[] idx = new Integer[(int) pairs];
        for (int p = 0; p < pairs; p++) {
            idx[p] = p;
        }
        Arrays.sort(idx, (p, q) -> Double.compare(mass[q / g][q % g], mass[p / g][p % g]));
        int[] group = new int[nOut];
        Arrays.fill(group, -1);
        int[] room = outSizes.clone();
        for (Integer p : idx) {
            int o = p / g;
            int c = p % g;
            if (group[o] < 0 && room[c] > 0) {
                group[o] = c;
                room[c]--;
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int c = 0; c < g; c++) {
            for (int o = 0; o < nOut; o++) {
                if (group[o] == c) {
                    order.add(o);
                }
            }
        }
        return order.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The Hebbian signal of every compressed layer on the sample: |mean over the examples of x_i y_o|, x the layer's
     * input and y its output (after the activation), as [nIn, nOut] in the network's neuron order.
     */
    private float[][][] coactivation(MultiLayerNetwork dense, List<Integer> targets, int n) {
        if (sample.rank() != 2 || sample.size(0) < 1) {
            throw new IllegalArgumentException("Compressor: the sample must be inputs [examples, features], got shape "
                    + Arrays.toString(sample.shape()));
        }
        List<INDArray> acts = dense.feedForward(sample, false);
        float[][][] out = new float[n][][];
        for (int k : targets) {
            INDArray x = acts.get(k);
            INDArray y = acts.get(k + 1);
            out[k] = Transforms.abs(x.transpose().mmul(y).divi(sample.size(0)), false).toFloatMatrix();
        }
        return out;
    }

    /** @return the rows of m in {@code order} */
    private static float[][] rows(float[][] m, int[] order) {
        float[][] r = new float[order.length][];
        for (int o = 0; o < order.length; o++) {
            r[o] = m[order[o]];
        }
        return r;
    }

    /** Moves layer k's output neurons (its columns, its biases) and layer k + 1's rows into {@code order}. */
    private static void permute(float[][][] w, float[][] b, int k, int[] order) {
        float[][] wk = w[k];
        float[][] moved = new float[wk.length][order.length];
        for (int i = 0; i < wk.length; i++) {
            for (int o = 0; o < order.length; o++) {
                moved[i][o] = wk[i][order[o]];
            }
        }
        w[k] = moved;
        float[] bias = new float[order.length];
        for (int o = 0; o < order.length; o++) {
            bias[o] = b[k][order[o]];
        }
        b[k] = bias;
        w[k + 1] = rows(w[k + 1], order);
    }

    /**
     * The mask: every intra-group pair, then the inter-group pairs of largest |w| up to round(density nIn nOut); when
     * the intra pairs alone are more, the intra pairs of largest |w|.
     */
    static float[][] mask(float[][] w, int[] in, int[] out, double density) {
        int nIn = w.length;
        int nOut = w[0].length;
        long budget = Math.max(1, Math.round(density * nIn * nOut));
        long intra = 0;
        for (int i = 0; i < nIn; i++) {
            for (int o = 0; o < nOut; o++) {
                intra += in[i] == out[o] ? 1 : 0;
            }
        }
        boolean intraOnly = intra >= budget;
        long take = intraOnly ? budget : budget - intra;
        // the |w| threshold of the candidates (inter pairs, or intra pairs when they alone are too many)
        int count = (int) (intraOnly ? intra : (long) nIn * nOut - intra);
        float[] cand = new float[count];
        int c = 0;
        for (int i = 0; i < nIn; i++) {
            for (int o = 0; o < nOut; o++) {
                if ((in[i] == out[o]) == intraOnly) {
                    cand[c++] = Math.abs(w[i][o]);
                }
            }
        }
        float[] sorted = cand.clone();
        Arrays.sort(sorted);
        float threshold = take <= 0 ? Float.POSITIVE_INFINITY : sorted[(int) (count - take)];
        long above = 0;
        for (float v : cand) {
            above += v > threshold ? 1 : 0;
        }
        long ties = take - above; // entries equal to the threshold that are still taken, first come first served
        float[][] m = new float[nIn][nOut];
        for (int i = 0; i < nIn; i++) {
            for (int o = 0; o < nOut; o++) {
                boolean isIntra = in[i] == out[o];
                if (isIntra && !intraOnly) {
                    m[i][o] = 1;
                } else if (isIntra == intraOnly) {
                    float v = Math.abs(w[i][o]);
                    if (v > threshold || (v == threshold && ties-- > 0)) {
                        m[i][o] = 1;
                    }
                }
            }
        }
        return m;
    }

    private static LayerReport report(int k, String name, int g, float[][] w, float[][] m, int[] in, int[] out) {
        double all = 0;
        double kept = 0;
        long active = 0;
        long intra = 0;
        for (int i = 0; i < w.length; i++) {
            for (int o = 0; o < w[0].length; o++) {
                double a = Math.abs(w[i][o]);
                all += a;
                if (m[i][o] != 0) {
                    kept += a;
                    active++;
                    intra += in[i] == out[o] ? 1 : 0;
                }
            }
        }
        return new LayerReport(k, name, g, active / ((double) w.length * w[0].length), all == 0 ? 1 : kept / all,
                active == 0 ? 0 : intra / (double) active);
    }

    /** The compressed network's configuration: the dense one with G2G layers in place of the compressed ones. */
    private MultiLayerNetwork build(MultiLayerConfiguration conf, List<Integer> targets, int[] groups,
                                    Grouping[] groupings) {
        NeuralNetConfiguration.ListBuilder lb = listBuilder(conf);
        for (int k = 0; k < conf.getConfs().size(); k++) {
            var l = conf.getConf(k).getLayer();
            if (targets.contains(k)) {
                DenseLayer d = (DenseLayer) l;
                int g = groups[k];
                double pIntra = Math.min(1, density * g);
                G2GDenseLayer.Builder gb = new G2GDenseLayer.Builder().nIn(d.getNIn()).nOut(d.getNOut())
                        .activation(d.getActivationFn()).groups(g).pIntra(pIntra).density(density)
                        .grouping(groupings[k]).inputGrouping(groupings[k]);
                if (l.getLayerName() != null) {
                    gb.name(l.getLayerName());
                }
                if (updater != null) {
                    gb.updater(updater);
                } else if (d.getIUpdater() != null) {
                    gb.updater(d.getIUpdater());
                }
                lb.layer(k, gb.build());
            } else {
                lb.layer(k, copyWithUpdater(l));
            }
            if (conf.getInputPreProcess(k) != null) {
                lb.inputPreProcessor(k, conf.getInputPreProcess(k).clone());
            }
        }
        MultiLayerNetwork net = new MultiLayerNetwork(lb.build());
        net.init();
        return net;
    }

    /** A configuration builder with the network's seed and data type and this compressor's updater. */
    private NeuralNetConfiguration.ListBuilder listBuilder(MultiLayerConfiguration conf) {
        return new NeuralNetConfiguration.Builder().seed(conf.getConf(0).getSeed()).dataType(conf.getDataType())
                .updater(updater != null ? updater : ((BaseLayer) firstBaseLayer(conf)).getIUpdater()).list();
    }

    /** A copy of a layer's configuration, with this compressor's updater when one is set. */
    private org.deeplearning4j.nn.conf.layers.Layer copyWithUpdater(org.deeplearning4j.nn.conf.layers.Layer l) {
        var copy = l.clone();
        if (updater != null && copy instanceof BaseLayer bl) {
            bl.setIUpdater(updater);
        }
        return copy;
    }

    private static org.deeplearning4j.nn.conf.layers.Layer firstBaseLayer(MultiLayerConfiguration conf) {
        for (NeuralNetConfiguration c : conf.getConfs()) {
            if (c.getLayer() instanceof BaseLayer) {
                return c.getLayer();
            }
        }
        throw new IllegalArgumentException("Compressor: the network has no layer with parameters");
    }

    /** Builder of {@link Compressor}. */
    public static final class Builder {
        private double density = 0.25;
        private Method method = Method.LEARNED;
        private int groups;
        private Set<String> layerNames = Set.of();
        private IUpdater updater;
        private INDArray sample;

        private Builder() {
        }

        /**
         * @param features inputs [examples, features] on which COACTIVATION measures how neurons fire together
         *                 (a few thousand training examples; ignored by the other methods)
         * @return this
         */
        public Builder sample(INDArray features) {
            this.sample = features;
            return this;
        }

        /**
         * @param density connections kept in each compressed layer, in (0, 1]
         * @return this
         */
        public Builder density(double density) {
            if (!(density > 0 && density <= 1)) {
                throw new IllegalArgumentException("Compressor: density must be in (0, 1], got " + density);
            }
            this.density = density;
            return this;
        }

        /**
         * @param method how the kept connections are chosen (default LEARNED)
         * @return this
         */
        public Builder method(Method method) {
            this.method = Objects.requireNonNull(method, "method");
            return this;
        }

        /**
         * @param groups G of the G2G layers, &gt;= 1 (default: {@link #defaultGroups} of the density; ignored by
         *               MAGNITUDE)
         * @return this
         */
        public Builder groups(int groups) {
            if (groups < 1) {
                throw new IllegalArgumentException("Compressor: groups must be >= 1, got " + groups);
            }
            this.groups = groups;
            return this;
        }

        /**
         * @param names the layers to compress (default: every DenseLayer followed by a layer with weights)
         * @return this
         */
        public Builder layers(String... names) {
            this.layerNames = Set.of(names);
            return this;
        }

        /**
         * @param updater the updater of the compressed network, for fine-tuning (default: the dense network's)
         * @return this
         */
        public Builder updater(IUpdater updater) {
            this.updater = updater;
            return this;
        }

        /** @return the compressor */
        public Compressor build() {
            return new Compressor(this);
        }
    }
}
