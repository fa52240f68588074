package org.g2gnet.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.g2gnet.activity.ActivitySource;
import org.g2gnet.arrays.HostArrays;
import org.g2gnet.arrays.Workspaces;
import org.g2gnet.conf.G2GBlock;
import org.g2gnet.conf.G2GBlockParamInitializer;
import org.g2gnet.conf.G2GDenseLayer;
import org.g2gnet.topology.ConnectionMask;
import org.g2gnet.topology.TileLayout;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.shape.Gather;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The runtime {@link G2GBlock}: a stack of structured G2G layers whose activations stay in group-major rows
 * ([neurons, minibatch], neurons ordered group by group) from the block's input to its output. Per inner
 * layer k, with G groups, fan-in K, nOut/G outputs per group and tiles of T inputs:
 * <pre>
 *   Xg = H_{k-1}[C_k]                  [G, K, B]  one gather; C_k = the index I_k composed with the order in
 *                                                 which layer k-1 left its outputs (the Mixer re-mixing)
 *   Z  = W^T Xg + b                    [G, nOut/G, B]  one batched GEMM
 *   H_k = act(Z)                       rows in layer k's group-major output order
 * backward:
 *   dZ = act'(Z) dH_k;  db = row sums;  dW = Xg dZ^T     (one batched GEMM into the gradient view)
 *   dXg = W dZ                         [G, K, B]  one batched GEMM
 *   R  = per input tile, the sum of the chunks of T rows of dXg that read it (one strided copy of the own
 *        chunks, then per round of distinct tiles one gather and one scatter-add of slot chunks), rows in
 *        layer k's group-major input order
 *   dH_{k-1} = R in layer k-1's output order (one gather; none where the orders agree)
 * </pre>
 * At the block's input x [B, nIn] becomes rows [nIn, B] (one transpose, free when x is in 'f' order); the
 * output is returned as the transposed view [B, nOut] ('f' order) of the last layer's rows, so the block
 * does not transpose its output back; the backward pass mirrors this.
 *
 * <p>It computes exactly what the stack of its inner layers computes in structured execution
 * ({@link G2GBlock#equivalentStack}); {@link #inner(int)} gives each inner layer's layout, parameters and
 * gradient views ({@link TiledConnections}).</p>
 */
public class G2GBlockImpl extends BaseLayer<G2GBlock> {
    private static final long serialVersionUID = 1L;

    private transient Inner[] inner;
    /** The arrays of the last training forward pass that the backward pass reads; null when none. */
    private transient Trace trace;

    /**
     * @param conf     the block's configuration
     * @param dataType the network's data type
     */
    public G2GBlockImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /**
     * Constructor used by DL4J's {@code BaseLayer#clone()}.
     *
     * @param conf the block's configuration
     */
    public G2GBlockImpl(NeuralNetConfiguration conf) {
        this(conf, conf.getDataType());
    }

    /** @return number of inner layers */
    public int depth() {
        return inner().length;
    }

    /**
     * @param k inner layer, in [0, depth)
     * @return its layout, parameters and gradient views
     */
    public Inner inner(int k) {
        Inner[] all = inner();
        if (k < 0 || k >= all.length) {
            throw new IndexOutOfBoundsException(layerId() + ": inner layer " + k + " of " + all.length);
        }
        return all[k];
    }

    private Inner[] inner() {
        if (inner == null) {
            List<G2GDenseLayer> confs = layerConf().innerLayers();
            Inner[] built = new Inner[confs.size()];
            for (int k = 0; k < built.length; k++) {
                built[k] = new Inner(k, confs.get(k), k == 0 ? null : built[k - 1]);
            }
            inner = built;
        }
        return inner;
    }

    /** @return active weights of all inner layers (masks and indices excluded) */
    public long activeConnections() {
        long n = 0;
        for (Inner l : inner()) {
            n += l.weights().length();
        }
        return n;
    }

    // ------------------------------------------------------------------------------------ forward

    /**
     * What a training forward pass keeps for the backward pass: per inner layer Xg and Z (for plain ReLU act(Z)),
     * and where it lives as long as they do, the activated rows act(Z) (else null), which rewiring reads; and, once
     * rewiring asked for them, each inner layer's output in neuron order (detached), shared by layer k and k + 1.
     */
    private record Trace(INDArray input, INDArray[] gathered, INDArray[] preOutput, INDArray[] activated,
                         INDArray[] natural) {
        Trace(INDArray input, int depth) {
            this(input, new INDArray[depth], new INDArray[depth], new INDArray[depth], new INDArray[depth]);
        }

        boolean usableFor(INDArray currentInput) {
            if (currentInput != input) {
                return false;
            }
            for (int k = 0; k < gathered.length; k++) {
                if (!ForwardCache.current(gathered[k]) || !ForwardCache.current(preOutput[k])) {
                    return false;
                }
            }
            return true;
        }
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        Trace t = training ? new Trace(input, depth()) : null;
        INDArray out = forward(input, training, t, true, true, workspaceMgr);
        trace = t;
        if (maskArray != null) {
            applyMask(out);
        }
        return out;
    }

    /**
     * The forward pass.
     *
     * @param input      the block's input [B, nIn]
     * @param training   training mode (activation functions that differ, weight noise)
     * @param keep       where to record Xg and Z for the backward pass, or null
     * @param keepInActivations whether the recorded arrays go to the activations workspace (else the current one)
     * @param wantOutput whether the output [B, nOut] is wanted (in the activations workspace)
     * @param mgr        workspaces
     * @return the output ('f' order view of [nOut, B] rows), or the last layer's rows when not wanted
     */
    private INDArray forward(INDArray input, boolean training, Trace keep, boolean keepInActivations,
                             boolean wantOutput, LayerWorkspaceMgr mgr) {
        INDArray x = input.castTo(dataType);
        long nIn = layerConf().getNIn();
        if (x.rank() != 2 || x.columns() != nIn) {
            throw new DL4JInvalidInputException("Input of shape " + Arrays.toString(x.shape())
                    + " does not fit this block: expected [minibatch, " + nIn + "] " + layerId());
        }
        long batch = x.size(0);
        IActivation act = layerConf().getActivationFn();
        boolean plainRelu = isPlainRelu(act);
        Inner[] layers = inner();
        INDArray h = rows(x);
        for (int k = 0; k < layers.length; k++) {
            Inner l = layers[k];
            TileLayout t = l.layout;
            l.refresh();
            boolean last = k == layers.length - 1;
            boolean outputHere = last && wantOutput && l.outPositions == null;

            boolean kept = keep != null && keepInActivations;
            INDArray xg = allocate(kept, mgr, (long) t.groups() * t.fanIn(), batch);
            gatherRows(h, l.tiled.gather(), xg);
            xg = xg.reshape('c', t.groups(), t.fanIn(), batch);
            INDArray z = allocate(kept || outputHere, mgr, t.groups(), t.outGroupSize(), batch);
            groupGemm(getParamWithNoise(G2GBlockParamInitializer.weightKey(k), training, mgr), xg, z, true, false);
            INDArray b = getParamWithNoise(G2GBlockParamInitializer.biasKey(k), training, mgr);
            long nOut = t.out().size();
            z.reshape('c', nOut, batch).addiColumnVector(l.outOrder == null ? b.reshape(nOut, 1)
                    : gather(b.reshape(nOut, 1), l.outOrder));
            INDArray a = z;
            if (keep != null) {
                keep.gathered()[k] = xg;
                keep.preOutput()[k] = z;
                // plain ReLU needs only the sign of Z for its derivative, which the activation keeps: inside the
                // block (where nothing else sees the activation) Z is activated in place
                if (outputHere || !plainRelu) {
                    a = outputHere ? mgr.dup(ArrayType.ACTIVATIONS, z, 'c') : z.dup('c');
                }
            }
            INDArray activated = act.getActivation(a, training);
            if (activated != a) {
                a.assign(activated);
            }
            if (keep != null && (a == z || outputHere || !keepInActivations)) {
                // a lives as long as Z: in place, the block's output, or both in the current workspace
                keep.activated()[k] = a;
            }
            h = a.reshape('c', nOut, batch);
        }
        if (!wantOutput) {
            return h;
        }
        Inner l = layers[layers.length - 1];
        if (l.outPositions != null) {
            INDArray ordered = mgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, h.shape(), 'c');
            h = gatherRows(h, l.outPositions, ordered);
        }
        return h.transpose();
    }

    /**
     * c[g] = op(a[g]) op(b[g]) for every group g: one batched matmul, or for large groups one BLAS GEMM per group
     * (libnd4j's batched matmul falls behind separate GEMMs for large groups, and separate GEMMs lose to their
     * per-call cost below {@link #PER_GROUP_GEMM_FLOPS}; the measurement is in docs/PERFORMANCE.md "How the
     * block computes").
     *
     * @param a  [G, m, k] (or [G, k, m] when transposed)
     * @param b  [G, k, n] (or [G, n, k] when transposed)
     * @param c  [G, m, n], written
     * @param ta transpose a
     * @param tb transpose b
     */
    private void groupGemm(INDArray a, INDArray b, INDArray c, boolean ta, boolean tb) {
        long flops = 2 * c.size(1) * c.size(2) * (ta ? a.size(1) : a.size(2));
        if (flops < perGroupGemmFlops) {
            Nd4j.matmul(a, b, c, ta, tb, false);
            return;
        }
        for (long g = 0; g < c.size(0); g++) {
            Nd4j.gemm(group(a, g), group(b, g), group(c, g), ta, tb, 1.0, 0.0);
        }
    }

    /**
     * Group g of a [G, m, n] array as an [m, n] view. (In ND4J 1.0.0-M2.1 {@code slice(g)} and {@code get(point(g),
     * all(), all())} of a view that starts inside a larger buffer, such as a parameter, return an empty array from
     * g = 2 on; the tensor along dimensions 1 and 2 is right.)
     */
    static INDArray group(INDArray a, long g) {
        return a.tensorAlongDimension(g, 1, 2);
    }

    /** Per-group GEMMs from this many floating-point operations per group (docs/PERFORMANCE.md). */
    static final long PER_GROUP_GEMM_FLOPS = 128L << 20;
    /** Per-group GEMMs from this many operations per group: {@link #PER_GROUP_GEMM_FLOPS}, or 0 in a test. */
    private long perGroupGemmFlops = PER_GROUP_GEMM_FLOPS;

    /**
     * Makes this layer take the per-group GEMM path at every size (both paths must compute the same; the equivalence
     * test runs each). Per layer, not global: other layers and tests are not affected.
     */
    void perGroupGemmAtEverySize() {
        perGroupGemmFlops = 0;
    }

    /** @return whether act is ReLU without threshold, slope or ceiling (derivative: 1 where z &gt; 0, else 0) */
    private static boolean isPlainRelu(IActivation act) {
        return act instanceof ActivationReLU r && isZero(r.getMax()) && isZero(r.getThreshold())
                && isZero(r.getNegativeSlope());
    }

    private static boolean isZero(Double v) {
        return v == null || v == 0.0;
    }

    /** x [B, n] as rows [n, B] in 'c' order: a view when x is in 'f' order, else one transposing copy. */
    private static INDArray rows(INDArray x) {
        INDArray t = x.transpose();
        return isRowMajor(t) ? t : t.dup('c');
    }

    private static boolean isRowMajor(INDArray a) {
        return a.rank() == 2 && a.stride(1) == 1 && a.stride(0) == a.size(1);
    }

    private INDArray allocate(boolean inActivations, LayerWorkspaceMgr mgr, long... shape) {
        return inActivations ? mgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, shape, 'c')
                : Nd4j.createUninitialized(dataType, shape, 'c');
    }

    /** out = src rows picked by idx (a native gather into a given array). */
    private static INDArray gatherRows(INDArray src, INDArray idx, INDArray out) {
        Gather op = new Gather(src, idx, 0);
        op.addOutputArgument(out);
        Nd4j.exec(op);
        return out;
    }

    /**
     * A new array of the rows of src picked by idx, in the current workspace (for a vector pass it as a column
     * [n, 1]: libnd4j gathers the elements of a 1-D array one by one, several times slower).
     */
    private static INDArray gather(INDArray src, INDArray idx) {
        return Nd4j.exec(new Gather(src, idx, 0))[0];
    }

    // ------------------------------------------------------------------------------------ backward

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        Inner[] layers = inner();
        Trace t = trace;
        trace = null;
        if (t == null || !t.usableFor(this.input)) {
            t = new Trace(input, layers.length);
            forward(input, true, t, false, false, workspaceMgr);
        }
        INDArray eps = maskArray != null ? epsilon.mulColumnVector(maskArray.castTo(epsilon.dataType())) : epsilon;
        long batch = eps.size(0);
        IActivation act = layerConf().getActivationFn();
        boolean plainRelu = isPlainRelu(act);
        INDArray dH = rows(eps);
        Inner top = layers[layers.length - 1];
        if (top.outOrder != null) {
            dH = gather(dH, top.outOrder);
        }
        for (int k = layers.length - 1; k >= 0; k--) {
            Inner l = layers[k];
            TileLayout tl = l.layout;
            INDArray z = t.preOutput()[k];
            INDArray dZ = plainRelu
                    // relu'(z) dH as a step and a product: a third of the time of ND4J's relu_bp op, same values
                    ? Transforms.step(z, false).muli(dH.reshape('c', tl.groups(), tl.outGroupSize(), batch))
                    : act.backprop(z, dH.reshape('c', tl.groups(), tl.outGroupSize(), batch)).getFirst();
            long nOut = tl.out().size();
            INDArray biasGrad = gradientViews.get(G2GBlockParamInitializer.biasKey(k));
            INDArray dZRows = dZ.reshape('c', nOut, batch);
            if (l.outPositions == null) {
                dZRows.sum(biasGrad, 1);
            } else {
                biasGrad.assign(gather(dZRows.sum(1).reshape(nOut, 1), l.outPositions).reshape(nOut));
            }
            groupGemm(t.gathered()[k], dZ, gradientViews.get(G2GBlockParamInitializer.weightKey(k)), false, true);

            INDArray w = getParamWithNoise(G2GBlockParamInitializer.weightKey(k), true, workspaceMgr);
            INDArray dXg = Nd4j.createUninitialized(dataType, new long[] {tl.groups(), tl.fanIn(), batch}, 'c');
            groupGemm(w, dZ, dXg, false, false);
            boolean bottom = k == 0;
            long tileRows = (long) tl.tile() * batch;
            INDArray r = bottom && l.toPrevious == null
                    ? workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, new long[] {tl.tiles(),
                            tileRows}, 'c')
                    : Nd4j.createUninitialized(dataType, new long[] {tl.tiles(), tileRows}, 'c');
            l.tiled.addTiles(dXg, r);
            dH = r.reshape('c', tl.in().size(), batch);
            if (l.toPrevious != null) {
                INDArray ordered = bottom
                        ? workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, dH.shape(), 'c')
                        : Nd4j.createUninitialized(dataType, dH.shape(), 'c');
                dH = gatherRows(dH, l.toPrevious, ordered);
            }
        }
        Gradient ret = new DefaultGradient();
        for (int k = 0; k < layers.length; k++) {
            for (String key : new String[] {G2GBlockParamInitializer.weightKey(k), G2GBlockParamInitializer.biasKey(k),
                    G2GBlockParamInitializer.indexKey(k)}) {
                ret.gradientForVariable().put(key, gradientViews.get(key));
            }
        }
        weightNoiseParams.clear();
        INDArray epsilonNext = backpropDropOutIfPresent(dH.transpose());
        return new Pair<>(ret, epsilonNext);
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray gradients) {
        super.setBackpropGradientsViewArray(gradients);
        for (int k = 0; k < layerConf().getDepth(); k++) {
            gradientViews.get(G2GBlockParamInitializer.indexKey(k)).assign(0);
        }
    }

    @Override
    protected Pair<INDArray, INDArray> preOutputWithPreNorm(boolean training, boolean forBackprop,
                                                            LayerWorkspaceMgr workspaceMgr) {
        throw new UnsupportedOperationException(layerId() + ": a block has no single pre-activation; use activate");
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
        trace = null;
    }

    // ------------------------------------------------------------------------------------ activity

    /**
     * Inner layer k's output after activation in the network's neuron order, from a trace: the activated rows the
     * trace holds, or act(Z) again (for an activation that draws random numbers in training, such as RReLU, a new
     * draw), the rows put back in neuron order and transposed.
     *
     * @param t        a trace of a forward pass
     * @param k        inner layer
     * @param training the mode of that pass
     * @return [B, nOut_k], detached from workspaces
     */
    private INDArray naturalOutput(Trace t, int k, boolean training) {
        // inner layer k's output is also layer k + 1's input: rebuilt once per trace, read by both units
        if (t.natural()[k] == null) {
            t.natural()[k] = rebuildNaturalOutput(t, k, training);
        }
        return t.natural()[k];
    }

    private INDArray rebuildNaturalOutput(Trace t, int k, boolean training) {
        Inner l = inner()[k];
        INDArray z = t.preOutput()[k];
        INDArray kept = t.activated()[k];
        return Workspaces.detached(() -> {
            INDArray a = kept != null ? kept : layerConf().getActivationFn().getActivation(z.dup('c'), training);
            INDArray rows = a.reshape('c', l.layout.out().size(), z.size(2));
            return (l.outPositions == null ? rows.dup('c') : gather(rows, l.outPositions)).transpose();
        });
    }

    /**
     * Runs the block on a sample in inference mode and returns every inner layer's output after activation, in the
     * network's neuron order: what rewiring scores an event on when it runs outside training. The input of inner
     * layer k &gt; 0 is the output of layer k - 1.
     *
     * @param x the block's input [B, nIn]
     * @return per inner layer its output [B, nOut_k], detached from workspaces
     */
    public List<INDArray> innerOutputs(INDArray x) {
        return Workspaces.detached(() -> {
            Trace t = new Trace(x, depth());
            forward(x, false, t, false, false, LayerWorkspaceMgr.noWorkspaces());
            List<INDArray> out = new ArrayList<>();
            for (int k = 0; k < depth(); k++) {
                out.add(naturalOutput(t, k, false));
            }
            return out;
        });
    }

    // ------------------------------------------------------------------------------------ inner layers

    /**
     * One inner layer: its configuration and layout, the fixed orders (device arrays, null where an order is
     * the identity) and what is derived from its index parameter (refreshed when the index changes). For
     * rewiring it is also an {@link ActivitySource}: during the network's forward-pass callback of a training
     * pass, {@link #input()} and {@link #output()} rebuild its input and output in the network's neuron order from
     * what the block keeps for its backward pass anyway, so that recording costs nothing on other iterations.
     */
    public final class Inner implements TiledConnections, ActivitySource {
        private final int k;
        private final G2GDenseLayer conf;
        private final TileLayout layout;
        /** Row p of this layer's output rows is neuron outOrder[p]; null: the identity. */
        private final INDArray outOrder;
        /** Neuron o is row outPositions[o]; null: the identity. */
        private final INDArray outPositions;
        private final int[] outPositionHost;
        /** Source row of this layer's inputs for each input neuron: the previous layer's row order. */
        private final int[] sourcePosition;
        /** Row p of the previous layer's rows (or of the block input) is row toPrevious[p] of R; null: same. */
        private final INDArray toPrevious;

        /** The index on the host, the gather index and the backward scatter's rounds, rebuilt when I changed. */
        private final TiledIndex tiled;

        private Inner(int k, G2GDenseLayer conf, Inner previous) {
            this.k = k;
            this.conf = conf;
            this.layout = conf.tileLayout(G2GBlockImpl.this.conf().getSeed());
            int[] order = layout.outputOrder();
            outPositionHost = TileLayout.inverse(order);
            boolean identity = isIdentity(order);
            outOrder = identity ? null : HostArrays.ints(order);
            outPositions = identity ? null : HostArrays.ints(outPositionHost);
            int n = layout.in().size();
            int[] sourceOrder = previous == null ? identityOrder(n) : previous.layout.outputOrder();
            sourcePosition = previous == null ? identityOrder(n) : previous.outPositionHost;
            int[] inPosition = TileLayout.inverse(layout.inputOrder());
            int[] back = new int[n];
            for (int p = 0; p < n; p++) {
                back[p] = inPosition[sourceOrder[p]];
            }
            toPrevious = isIdentity(back) ? null : HostArrays.ints(back);
            tiled = new TiledIndex(layout, sourcePosition);
        }

        /** Rebuilds what is derived from the index when it changed ({@link TiledIndex}). */
        private void refresh() {
            tiled.refresh(index());
        }

        /** @return rounds of the backward scatter (the most slots that read one input tile); for tests */
        int scatterRounds() {
            refresh();
            return tiled.scatterRounds();
        }

        /** @return position in the block, 0 = first */
        public int position() {
            return k;
        }

        /** @return the structured layer configuration this inner layer computes */
        public G2GDenseLayer configuration() {
            return conf;
        }

        @Override
        public String name() {
            return conf.getLayerName();
        }

        @Override
        public TileLayout layout() {
            return layout;
        }

        @Override
        public int[][] slots() {
            refresh();
            return TiledIndex.copyOf(tiled.slots());
        }

        @Override
        public int[][] hostIndex() {
            refresh();
            return TiledIndex.copyOf(tiled.index());
        }

        @Override
        public INDArray weights() {
            return getParam(G2GBlockParamInitializer.weightKey(k));
        }

        /** @return the bias [nOut] in original output order (a view into the network's parameters) */
        public INDArray bias() {
            return getParam(G2GBlockParamInitializer.biasKey(k));
        }

        @Override
        public INDArray index() {
            return getParam(G2GBlockParamInitializer.indexKey(k));
        }

        @Override
        public INDArray weightGradient() {
            return gradientViews == null ? null : gradientViews.get(G2GBlockParamInitializer.weightKey(k));
        }

        @Override
        public org.deeplearning4j.nn.api.Layer owner() {
            return G2GBlockImpl.this;
        }

        @Override
        public String weightParam() {
            return G2GBlockParamInitializer.weightKey(k);
        }

        @Override
        public ConnectionMask equivalentMask() {
            return layout.mask(slots());
        }

        /**
         * @return this layer's input in the last training forward pass, [B, nIn_k] in the network's neuron order
         *         (layer 0: the block's input after dropout; a new detached array otherwise), or null once that
         *         pass's backward pass started or when there was none
         */
        @Override
        public INDArray input() {
            Trace t = trace;
            if (t == null) {
                return null;
            }
            return k == 0 ? t.input() : naturalOutput(t, k - 1, true);
        }

        /**
         * @return this layer's output after activation in the last training forward pass, [B, nOut_k] in the
         *         network's neuron order (a new detached array), or null as for {@link #input()}
         */
        public INDArray output() {
            Trace t = trace;
            return t == null ? null : naturalOutput(t, k, true);
        }

        @Override
        public DataType activityDataType() {
            return dataType;
        }

        /** @return [nIn_k, nOut_k] */
        @Override
        public long[] denseGradientShape() {
            return new long[] {layout.in().size(), layout.out().size()};
        }

        @Override
        public char denseGradientOrder() {
            return 'f';
        }

        /**
         * The block does not compute the dense gradient {@code x^T delta} of its inner layers.
         *
         * @param sink null (anything else is refused)
         * @throws IllegalStateException naming the inner layer when a sink is given
         */
        @Override
        public void captureDenseGradient(INDArray sink) {
            if (sink != null) {
                throw new IllegalStateException(layerId() + ": inner layer '" + name() + "' has no dense gradient "
                        + "x^T delta (a block computes only the gradient of its connected weights)");
            }
        }

        @Override
        public INDArray equivalentWeights() {
            return G2GStructuredLayerImpl.equivalentWeights(layout, hostIndex(), weights());
        }
    }

    private static int[] identityOrder(int n) {
        int[] o = new int[n];
        for (int i = 0; i < n; i++) {
            o[i] = i;
        }
        return o;
    }

    private static boolean isIdentity(int[] order) {
        for (int p = 0; p < order.length; p++) {
            if (order[p] != p) {
                return false;
            }
        }
        return true;
    }
}
