package org.g2gnet.serve;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.layers.BaseOutputLayer;
import org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.g2gnet.layers.G2GBlockImpl;
import org.g2gnet.layers.G2GDenseLayerImpl;
import org.g2gnet.topology.TileLayout;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * An inference-only copy of a trained network of dense layers, masked G2G layers and {@link
 * org.g2gnet.conf.G2GBlock}s (and an output layer), whose cost at serving batch sizes is the arithmetic: the
 * weights are held once, contiguous and row-major; each dense or masked layer is one GEMM, each block layer one GEMM
 * per output group on its gathered inputs (the compact weights only); the bias and a ReLU or identity activation
 * are applied in the same pass that places the results, with no workspace, no per-layer validation and no
 * intermediate ND4J operations; the products call the OpenBLAS that ND4J bundles directly ({@link Gemm}). The
 * activations are held feature-major, [features, B], so that a block group's gather is a copy of whole rows. It
 * computes what {@code net.output(x)} computes (to float rounding: {@code CompiledNetworkTest}) and is safe to call from several threads (each thread keeps its own scratch arrays).
 * A snapshot: parameters changed later (training, rewiring) are not seen; compile again.
 *
 * <pre>{@code
 * CompiledNetwork served = CompiledNetwork.of(net);   // or CompiledNetwork.of(MultiLayerNetwork.load(file, false))
 * INDArray probabilities = served.output(batch);      // [B, nIn] -> [B, classes]
 * }</pre>
 *
 * <p>CPU backend and FLOAT networks only (the scratch arrays are read as direct NIO buffers).</p>
 */
public final class CompiledNetwork {
    private final List<Step> steps;
    private final int nIn;
    private final int nOut;
    private final ThreadLocal<Scratch> scratch = new ThreadLocal<>();

    private CompiledNetwork(List<Step> steps) {
        this.steps = List.copyOf(steps);
        this.nIn = steps.get(0).nIn();
        this.nOut = steps.get(steps.size() - 1).nOut();
    }

    /**
     * @param net a trained, initialised network of FLOAT data type whose layers are DL4J DenseLayers, masked
     *            G2GDenseLayers, G2GBlocks and a final output layer, without input preprocessors
     * @return the compiled copy
     * @throws IllegalArgumentException naming the layer when a layer, its data type or an activation is not supported
     */
    public static CompiledNetwork of(MultiLayerNetwork net) {
        Objects.requireNonNull(net, "net");
        if (net.getLayers() == null) {
            throw new IllegalArgumentException("CompiledNetwork: the network is not initialised; call init() first");
        }
        if (!"CPU".equalsIgnoreCase(Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend", "CPU"))) {
            throw new IllegalArgumentException("CompiledNetwork: the CPU backend only");
        }
        List<Step> steps = new ArrayList<>();
        Layer[] layers = net.getLayers();
        for (int k = 0; k < layers.length; k++) {
            Layer l = layers[k];
            String who = "layer " + k + " (" + l.getClass().getSimpleName() + ")";
            if (net.getLayerWiseConfigurations().getInputPreProcess(k) != null) {
                throw new IllegalArgumentException("CompiledNetwork: " + who + " has an input preprocessor; only "
                        + "feed-forward stacks are compiled");
            }
            if (l.numParams() > 0 && l.params().dataType() != DataType.FLOAT) {
                throw new IllegalArgumentException("CompiledNetwork: " + who + " is " + l.params().dataType()
                        + "; FLOAT networks only");
            }
            if (l instanceof G2GBlockImpl b) {
                IActivation act = b.layerConf().getActivationFn();
                for (int i = 0; i < b.depth(); i++) {
                    steps.add(BlockStep.of(b.inner(i), act, who));
                }
            } else if (l instanceof G2GDenseLayerImpl g) {
                steps.add(DenseStep.of(g.weights().mul(g.mask()), g.getParam("b"), activation(l), who));
            } else if (l instanceof DenseLayer || l instanceof BaseOutputLayer<?>) {
                steps.add(DenseStep.of(l.getParam("W"), l.getParam("b"), activation(l), who));
            } else {
                throw new IllegalArgumentException("CompiledNetwork: " + who + " is not supported; compiled are "
                        + "DenseLayer, G2GDenseLayer (masked execution), G2GBlock and output layers");
            }
        }
        for (int k = 0; k < steps.size() - 1; k++) {
            if (steps.get(k).softmax()) {
                throw new IllegalArgumentException("CompiledNetwork: a softmax is compiled in the last layer only; "
                        + "step " + k + " of " + steps.size() + " has one");
            }
        }
        for (int k = 1; k < steps.size(); k++) {
            if (steps.get(k).nIn() != steps.get(k - 1).nOut()) {
                throw new IllegalArgumentException("CompiledNetwork: layer sizes do not chain: " + steps.get(k - 1).nOut()
                        + " outputs into " + steps.get(k).nIn() + " inputs");
            }
        }
        return new CompiledNetwork(steps);
    }

    private static IActivation activation(Layer l) {
        return ((BaseLayer) l.conf().getLayer()).getActivationFn();
    }

    /** @return input features */
    public int nIn() {
        return nIn;
    }

    /** @return outputs */
    public int nOut() {
        return nOut;
    }

    /**
     * @param x inputs, [B, nIn]
     * @return the network's output, [B, nOut] (a new array)
     */
    public INDArray output(INDArray x) {
        if (x.rank() != 2 || x.columns() != nIn) {
            throw new IllegalArgumentException("CompiledNetwork.output: expected [B, " + nIn + "], got "
                    + java.util.Arrays.toString(x.shape()));
        }
        int batch = (int) x.rows();
        Scratch s = scratch.get();
        if (s == null || s.batch != batch) {
            s = new Scratch(batch, steps);
            scratch.set(s);
        }
        // activations are feature-major, [n, B]: a gather of input features is a copy of whole rows
        float[] xs = x.dataType() == DataType.FLOAT && x.ordering() == 'c' && !x.isView() && x.offset() == 0
                ? hostRows(x, s.host, batch * nIn) : x.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] t = s.hostT;
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < nIn; i++) {
                t[i * batch + b] = xs[b * nIn + i];
            }
        }
        s.input.data().asNioFloat().put(0, t, 0, batch * nIn);
        INDArray in = s.input;
        FloatPointer inPointer = s.inputPointer;
        for (int k = 0; k < steps.size(); k++) {
            steps.get(k).apply(in, inPointer, s.outputs[k], s, k);
            in = s.outputs[k];
            inPointer = s.outputPointers[k];
        }
        // back to [B, nOut], the last step's activation (a softmax across each example's outputs) applied here
        float[] y = s.host;
        in.data().asNioFloat().get(0, y, 0, batch * nOut);
        float[] out = new float[batch * nOut];
        for (int o = 0; o < nOut; o++) {
            for (int b = 0; b < batch; b++) {
                out[b * nOut + o] = y[o * batch + b];
            }
        }
        Step last = steps.get(steps.size() - 1);
        if (last.softmax()) {
            for (int b = 0; b < batch; b++) {
                softmaxRow(out, b * nOut, nOut);
            }
        }
        return Nd4j.createFromArray(out).reshape('c', batch, nOut);
    }

    /** x's elements (a plain c-ordered FLOAT array) in a host array, by one bulk copy. */
    private static float[] hostRows(INDArray x, float[] host, int n) {
        x.data().asNioFloat().get(0, host, 0, n);
        return host;
    }

    /** Per-thread arrays for one batch size: the input and every step's output [n, B], and the block gathers. */
    private static final class Scratch {
        final int batch;
        final INDArray input;
        final INDArray[] outputs;
        final INDArray gathered;
        final INDArray product;
        /** Per step, views [K, B] and [m, B] of the two above (null for dense steps). */
        final INDArray[] gatheredViews;
        final INDArray[] productViews;
        /** {@link Gemm#pointer}s of the arrays above (null where products go through ND4J). */
        final FloatPointer inputPointer;
        final FloatPointer[] outputPointers;
        final FloatPointer gatheredPointer;
        final FloatPointer productPointer;
        /** Host arrays as large as the widest activation: a transpose, a step's results. */
        final float[] host;
        final float[] hostT;

        Scratch(int batch, List<Step> steps) {
            this.batch = batch;
            int widest = steps.get(0).nIn();
            int gather = 1;
            int product = 1;
            for (Step st : steps) {
                widest = Math.max(widest, st.nOut());
                if (st instanceof BlockStep b) {
                    gather = Math.max(gather, b.fanIn);
                    product = Math.max(product, b.groupSize);
                }
            }
            this.input = Nd4j.createUninitializedDetached(DataType.FLOAT, steps.get(0).nIn(), batch);
            this.outputs = new INDArray[steps.size()];
            this.outputPointers = new FloatPointer[steps.size()];
            for (int k = 0; k < steps.size(); k++) {
                outputs[k] = Nd4j.createUninitializedDetached(DataType.FLOAT, steps.get(k).nOut(), batch);
                outputPointers[k] = Gemm.pointer(outputs[k]);
            }
            this.gathered = Nd4j.createUninitializedDetached(DataType.FLOAT, gather, batch);
            this.product = Nd4j.createUninitializedDetached(DataType.FLOAT, product, batch);
            this.gatheredViews = new INDArray[steps.size()];
            this.productViews = new INDArray[steps.size()];
            for (int k = 0; k < steps.size(); k++) {
                if (steps.get(k) instanceof BlockStep b) {
                    gatheredViews[k] = this.gathered.get(NDArrayIndex.interval(0, b.fanIn), NDArrayIndex.all());
                    productViews[k] = this.product.get(NDArrayIndex.interval(0, b.groupSize), NDArrayIndex.all());
                }
            }
            this.inputPointer = Gemm.pointer(input);
            this.gatheredPointer = Gemm.pointer(gathered);
            this.productPointer = Gemm.pointer(this.product);
            this.host = new float[widest * batch];
            this.hostT = new float[widest * batch];
        }
    }

    /** One layer of the compiled network, on feature-major activations [n, B]. */
    private interface Step {
        int nIn();

        int nOut();

        /** @return the activation; applied by the step unless it is a softmax (applied across outputs at the end) */
        IActivation act();

        /** @return whether the activation is a softmax */
        default boolean softmax() {
            return act() instanceof ActivationSoftmax;
        }

        /**
         * @param in        this step's input [nIn, B], the previous step's output (or the scratch input)
         * @param inPointer its {@link Gemm#pointer}
         * @param out       this step's output [nOut, B]
         */
        void apply(INDArray in, FloatPointer inPointer, INDArray out, Scratch s, int index);
    }

    /** The activations applied while placing results; any other goes through DL4J's IActivation after the pass. */
    private static boolean fused(IActivation a) {
        return a instanceof ActivationReLU || a instanceof ActivationIdentity;
    }

    /**
     * Adds each row's bias to rows [from, from + rows) of a feature-major host array and applies a ReLU when asked;
     * row r takes bias[biasIndex[r]] (or bias[r] when biasIndex is null).
     */
    private static void biasRows(float[] v, int rows, int batch, float[] bias, int[] biasIndex, int biasFrom,
                                 boolean relu) {
        for (int r = 0; r < rows; r++) {
            float add = bias[biasIndex == null ? r : biasIndex[biasFrom + r]];
            for (int b = r * batch, end = b + batch; b < end; b++) {
                float z = v[b] + add;
                v[b] = relu && z < 0 ? 0f : z;
            }
        }
    }

    /** A dense (or masked, with W * M folded in) layer: out = act(W^T in + b), one GEMM. */
    private record DenseStep(INDArray w, FloatPointer wPointer, float[] bias, IActivation act, boolean relu)
            implements Step {
        static DenseStep of(INDArray w, INDArray b, IActivation act, String who) {
            INDArray weights = w.dup('c');
            return new DenseStep(weights, Gemm.pointer(weights), b.dup().data().asFloat(), act,
                    act instanceof ActivationReLU);
        }

        @Override
        public int nIn() {
            return (int) w.rows();
        }

        @Override
        public int nOut() {
            return (int) w.columns();
        }

        @Override
        public void apply(INDArray in, FloatPointer inPointer, INDArray out, Scratch s, int index) {
            Gemm.productTransposedA(w, wPointer, in, inPointer, out, s.outputPointers[index]);
            FloatBuffer y = out.data().asNioFloat();
            int all = s.batch * bias.length;
            float[] ya = s.host;
            y.get(0, ya, 0, all);
            biasRows(ya, bias.length, s.batch, bias, null, 0, relu);
            y.put(0, ya, 0, all);
            if (!fused(act) && !softmax()) {
                applyUnfusedFeatureMajor(act, out);
            }
        }
    }

    /**
     * One inner layer of a block: for each output group g, the input rows that group reads (its index row) copied
     * into [K, B], one GEMM with the group's compact weights (W_g^T [m, K] times [K, B]), then bias and activation,
     * and the group's rows copied to its output neurons (natural order, as the block returns them).
     */
    private record BlockStep(int nIn, int nOut, int groups, int fanIn, int groupSize, int[][] index, INDArray[] w,
                             FloatPointer[] wPointers, int[] outOrder, float[] bias, IActivation act, boolean relu)
            implements Step {
        static BlockStep of(G2GBlockImpl.Inner inner, IActivation act, String who) {
            TileLayout layout = inner.layout();
            int g = layout.groups();
            int k = layout.fanIn();
            int m = layout.outGroupSize();
            INDArray weights = inner.weights().dup('c'); // [G, K, m]
            INDArray[] perGroup = new INDArray[g];
            FloatPointer[] pointers = new FloatPointer[g];
            for (int i = 0; i < g; i++) {
                perGroup[i] = weights.slice(i).dup('c');
                pointers[i] = Gemm.pointer(perGroup[i]);
            }
            return new BlockStep(layout.in().size(), layout.out().size(), g, k, m, inner.hostIndex(), perGroup, pointers,
                    layout.outputOrder().clone(), inner.bias().dup().data().asFloat(), act, act instanceof ActivationReLU);
        }

        @Override
        public void apply(INDArray in, FloatPointer inPointer, INDArray out, Scratch s, int step) {
            int batch = s.batch;
            FloatBuffer x = in.data().asNioFloat();
            FloatBuffer xg = s.gathered.data().asNioFloat();
            FloatBuffer y = out.data().asNioFloat();
            float[] yg = s.host;
            INDArray gathered = s.gatheredViews[step];
            INDArray product = s.productViews[step];
            for (int g = 0; g < groups; g++) {
                int[] row = index[g];
                for (int q = 0; q < fanIn; q++) {
                    xg.put(q * batch, x, row[q] * batch, batch);
                }
                Gemm.productTransposedA(w[g], wPointers[g], gathered, s.gatheredPointer, product, s.productPointer);
                s.product.data().asNioFloat().get(0, yg, 0, groupSize * batch);
                biasRows(yg, groupSize, batch, bias, outOrder, g * groupSize, relu);
                for (int j = 0; j < groupSize; j++) {
                    y.put(outOrder[g * groupSize + j] * batch, yg, j * batch, batch);
                }
            }
            if (!fused(act) && !softmax()) {
                applyUnfusedFeatureMajor(act, out);
            }
        }
    }

    /** An elementwise activation DL4J applies, on a feature-major array (elementwise: the layout does not matter). */
    private static void applyUnfusedFeatureMajor(IActivation act, INDArray out) {
        INDArray a = act.getActivation(out, false);
        if (a != out) {
            out.assign(a);
        }
    }

    /**
     * Softmax of one row in place, as DL4J computes it (the row's maximum subtracted, exp, divided by the sum; in
     * double where the sum is taken), in the pass that places the output layer's results: at serving batch sizes the
     * five ND4J operations it would take cost more than the arithmetic.
     */
    private static void softmaxRow(float[] v, int from, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = from; i < from + n; i++) {
            max = Math.max(max, v[i]);
        }
        double sum = 0;
        for (int i = from; i < from + n; i++) {
            float e = (float) Math.exp(v[i] - max);
            v[i] = e;
            sum += e;
        }
        for (int i = from; i < from + n; i++) {
            v[i] = (float) (v[i] / sum);
        }
    }
}
