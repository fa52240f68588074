package org.g2gnet.layers;

import java.util.Arrays;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.g2gnet.arrays.HostArrays;
import org.g2gnet.conf.G2GParamInitializer;
import org.g2gnet.topology.ConnectionMask;
import org.g2gnet.topology.TileLayout;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.shape.Gather;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The G2G layer in structured execution: compact weights {@code W} [G, K, nOut / G] and an input index
 * {@code I} [G, K] saying which input neuron every slot of every output group reads (its own input group
 * and c tiles of other groups). The forward pass is one gather and one batched GEMM over the G groups,
 * the backward pass two batched GEMMs and a few block adds (one per group and slot):
 * <pre>
 *   Xg[g]  = x^T[I[g]]              [G, K, B]   (gather of input rows)
 *   Yg[g]  = W[g]^T Xg[g]            [G, nOut/G, B]
 *   y      = Yg in original output order, + b
 *   dW[g]  = Xg[g] dYg[g]^T          [G, K, nOut/G]
 *   dx^T   = sum over groups of W[g] dYg[g], each slot's rows added onto its tile's rows
 * </pre>
 * It computes exactly what a masked layer computes with the equivalent mask
 * ({@link #equivalentMask()}) and weights ({@link #equivalentWeights()}).
 */
public class G2GStructuredLayerImpl extends G2GBaseLayer implements TiledConnections {
    private static final long serialVersionUID = 1L;

    private transient TileLayout layout;
    /**
     * Derived from the layout alone, in {@link #layout()}: each input neuron's position in group-major order,
     * and the permutations as device arrays (null where an order is the identity).
     */
    private transient int[] inputPosition;
    private transient INDArray inputOrderArr;
    private transient INDArray inputPositionArr;
    private transient INDArray outputPositions;
    private transient INDArray groupMajorOutputs;
    /**
     * A device copy of I as of the last refresh, and what was derived from I on the host; rebuilt when I
     * changes (after rewiring, or when the network's parameters are set).
     */
    /** The index on the host, the gather index and the backward scatter's rounds, rebuilt when I changed. */
    private transient TiledIndex tiled;
    private transient INDArray lastGathered;

    /**
     * @param conf     the layer's configuration
     * @param dataType the network's data type
     */
    public G2GStructuredLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /**
     * Constructor used by DL4J's {@code BaseLayer#clone()}.
     *
     * @param conf the layer's configuration
     */
    public G2GStructuredLayerImpl(NeuralNetConfiguration conf) {
        this(conf, conf.getDataType());
    }

    /** @return the tile layout (groups, fan-in K, tile size, slots) */
    public TileLayout layout() {
        if (layout == null) {
            layout = layerConf().tileLayout(conf().getSeed());
            int[] order = layout.outputOrder();
            if (!isIdentity(order)) {
                outputPositions = HostArrays.ints(TileLayout.inverse(order));
                groupMajorOutputs = HostArrays.ints(order);
            }
            int[] inOrder = layout.inputOrder();
            inputPosition = TileLayout.inverse(inOrder);
            if (!isIdentity(inOrder)) {
                inputOrderArr = HostArrays.ints(inOrder);
                inputPositionArr = HostArrays.ints(inputPosition);
            }
            tiled = new TiledIndex(layout, inputPosition);
        }
        return layout;
    }

    /** Refreshes what is derived from the index parameter when it changed ({@link TiledIndex}). */
    private void refreshIndex() {
        layout();
        tiled.refresh(index());
    }

    /** @return the compact weights [G, K, nOut / G] (a view into the network's parameters) */
    public INDArray weights() {
        return getParam(G2GParamInitializer.WEIGHT_KEY);
    }

    /** @return the input index [G, K] (a view into the network's parameters) */
    public INDArray index() {
        return getParam(G2GParamInitializer.INDEX_KEY);
    }

    /** @return the index as host ints [G][K] (a copy; read from the device only when I changed) */
    public int[][] hostIndex() {
        refreshIndex();
        return TiledIndex.copyOf(tiled.index());
    }

    private static boolean isIdentity(int[] order) {
        for (int p = 0; p < order.length; p++) {
            if (order[p] != p) {
                return false;
            }
        }
        return true;
    }

    /** @return the slot tiles [G][c] (a copy) */
    public int[][] slots() {
        refreshIndex();
        return TiledIndex.copyOf(tiled.slots());
    }

    @Override
    public ConnectionMask currentMask() {
        return equivalentMask();
    }

    @Override
    public long activeConnections() {
        return weights().length();
    }

    @Override
    public long totalConnections() {
        return (long) layout().in().size() * layout().out().size();
    }

    @Override
    public long activeParams() {
        return weights().length() + getParam(G2GParamInitializer.BIAS_KEY).length();
    }

    /** x^T with its rows in group-major input order: [nIn, B] in the current workspace. */
    private INDArray groupMajorInputRows(INDArray x) {
        INDArray xT = x.transpose().dup('c');
        return inputOrderArr == null ? xT : Nd4j.exec(new Gather(xT, inputOrderArr, 0))[0];
    }

    /** x^T gathered per group: [G, K, B] in the current workspace. */
    private INDArray gatherInputs(INDArray x) {
        TileLayout t = layout();
        refreshIndex();
        INDArray rows = Nd4j.exec(new Gather(groupMajorInputRows(x), tiled.gather(), 0))[0];
        return rows.reshape('c', t.groups(), t.fanIn(), x.size(0));
    }

    /** [G, nOut/G, B] group-major rows -> [nOut, B] rows in original output order. */
    private INDArray toOutputOrder(INDArray groupRows, long batch) {
        INDArray rows = groupRows.reshape('c', layout().out().size(), batch);
        return outputPositions == null ? rows : Nd4j.exec(new Gather(rows, outputPositions, 0))[0];
    }

    /** [B, nOut] -> [G, nOut/G, B] group-major rows. */
    private INDArray toGroupRows(INDArray delta) {
        TileLayout t = layout();
        INDArray rows = delta.transpose().dup('c');
        if (groupMajorOutputs != null) {
            rows = Nd4j.exec(new Gather(rows, groupMajorOutputs, 0))[0];
        }
        return rows.reshape('c', t.groups(), t.outGroupSize(), delta.size(0));
    }

    @Override
    protected Pair<INDArray, INDArray> preOutputWithPreNorm(boolean training, boolean forBackprop,
                                                            LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(forBackprop);
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray x = this.input.castTo(dataType);
        if (x.rank() != 2 || x.columns() != layout().in().size()) {
            throw new DL4JInvalidInputException("Input of shape " + Arrays.toString(x.shape())
                    + " does not fit this layer: expected [minibatch, " + layout().in().size() + "] " + layerId());
        }
        INDArray w = getParamWithNoise(G2GParamInitializer.WEIGHT_KEY, training, workspaceMgr);
        INDArray b = getParamWithNoise(G2GParamInitializer.BIAS_KEY, training, workspaceMgr);
        INDArray xg = gatherInputs(x);
        lastGathered = xg;
        INDArray yg = Nd4j.matmul(w, xg, true, false, false);
        // a transposing dup is cheaper in ND4J than an assign from a transposed view
        INDArray ret = workspaceMgr.dup(ArrayType.ACTIVATIONS, toOutputOrder(yg, x.size(0)).transpose(), 'c');
        ret.addiRowVector(b);
        if (maskArray != null) {
            applyMask(ret);
        }
        return new Pair<>(ret, ret);
    }

    @Override
    protected INDArray forwardExtra() {
        INDArray g = lastGathered;
        lastGathered = null;
        return g;
    }

    @Override
    public void clear() {
        super.clear();
        lastGathered = null;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray cachedGathered = cache().extra(this.input);
        INDArray z = cache().takePreOutput(this.input);
        if (z == null) {
            z = preOutputWithPreNorm(true, true, workspaceMgr).getFirst();
            cachedGathered = lastGathered;
        }
        lastGathered = null;
        INDArray delta = layerConf().getActivationFn().backprop(z, epsilon).getFirst();
        if (maskArray != null) {
            applyMask(delta);
        }
        TileLayout t = layout();
        INDArray x = this.input.castTo(dataType);
        INDArray w = getParamWithNoise(G2GParamInitializer.WEIGHT_KEY, true, workspaceMgr);
        Gradient ret = new DefaultGradient();

        INDArray biasGrad = gradientViews.get(G2GParamInitializer.BIAS_KEY);
        delta.sum(biasGrad, 0);
        ret.gradientForVariable().put(G2GParamInitializer.BIAS_KEY, biasGrad);

        INDArray dYg = toGroupRows(delta);
        INDArray xg = cachedGathered != null ? cachedGathered : gatherInputs(x);
        INDArray weightGrad = gradientViews.get(G2GParamInitializer.WEIGHT_KEY);
        weightGrad.assign(Nd4j.matmul(xg, dYg, false, true, false));
        ret.gradientForVariable().put(G2GParamInitializer.WEIGHT_KEY, weightGrad);
        ret.gradientForVariable().put(G2GParamInitializer.INDEX_KEY, gradientViews.get(G2GParamInitializer.INDEX_KEY));

        if (denseGradientSink != null) {
            Nd4j.gemm(x, delta, denseGradientSink, true, false, 1.0, 0.0);
        }

        // dx^T, group-major rows: each group's own block, plus every slot's rows added onto its tile's rows
        INDArray dXg = Nd4j.matmul(w, dYg, false, false, false);
        long batch = x.size(0);
        INDArray dxT = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, delta.dataType(), t.in().size(), batch);
        tiled.addTiles(dXg, dxT.reshape('c', t.tiles(), (long) t.tile() * batch));
        if (inputPositionArr != null) {
            dxT = Nd4j.exec(new Gather(dxT, inputPositionArr, 0))[0];
        }
        INDArray epsilonNext = workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, dxT.transpose(), 'c');
        weightNoiseParams.clear();
        epsilonNext = backpropDropOutIfPresent(epsilonNext);
        return new Pair<>(ret, epsilonNext);
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray gradients) {
        super.setBackpropGradientsViewArray(gradients);
        gradientViews.get(G2GParamInitializer.INDEX_KEY).assign(0);
    }

    @Override
    public INDArray weightGradient() {
        return gradientViews.get(G2GParamInitializer.WEIGHT_KEY);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer owner() {
        return this;
    }

    @Override
    public String weightParam() {
        return G2GParamInitializer.WEIGHT_KEY;
    }

    /** @return the 0/1 mask a masked layer would need to compute the same function [nIn, nOut] */
    @Override
    public ConnectionMask equivalentMask() {
        return layout().mask(slots());
    }

    /**
     * @return dense weights [nIn, nOut] ('f' order) equal to this layer's where connected and 0 elsewhere, so
     * that a masked layer with {@link #equivalentMask()} computes the same outputs
     */
    @Override
    public INDArray equivalentWeights() {
        return equivalentWeights(layout(), hostIndex(), weights());
    }

    /**
     * @param t       a layout
     * @param idx     its index [G][K]
     * @param weights compact weights [G, K, nOut / G]
     * @return the dense weights [nIn, nOut] ('f' order) they amount to, 0 where not connected
     */
    static INDArray equivalentWeights(TileLayout t, int[][] idx, INDArray weights) {
        int[] outOrder = t.outputOrder();
        // doubles, so that a DOUBLE network's weights are copied exactly
        double[] w = HostArrays.toDoublesC(weights);
        int nIn = t.in().size();
        int mg = t.outGroupSize();
        double[] dense = new double[nIn * t.out().size()];
        for (int g = 0; g < t.groups(); g++) {
            for (int k = 0; k < t.fanIn(); k++) {
                for (int j = 0; j < mg; j++) {
                    dense[idx[g][k] + outOrder[g * mg + j] * nIn] = w[(g * t.fanIn() + k) * mg + j];
                }
            }
        }
        return HostArrays.array(dense, new long[] {nIn, t.out().size()}, 'f', weights.dataType()).dup('f');
    }
}
