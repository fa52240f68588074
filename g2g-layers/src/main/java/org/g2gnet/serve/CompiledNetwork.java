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

/**
 * An inference-only copy of a trained network of dense layers, masked G2G layers and {@link
 * org.g2gnet.conf.G2GBlock}s (and an output layer), whose cost at serving batch sizes is the arithmetic: the
 * weights are held once, contiguous and row-major; each dense or masked layer is one GEMM, each block layer one GEMM
 * per output group on its gathered inputs (the compact weights only); the bias and a ReLU or identity activation
 * are applied in the same pass that places the results, with no workspace, no per-layer validation and no
 * intermediate ND4J operations; the products call the OpenBLAS that ND4J bundles directly ({@link Gemm}). It computes what {@code net.output(x)} computes (to float rounding:
 * {@code CompiledNetworkTest}) and is safe to call from several threads (each thread keeps its own scratch arrays).
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
        if (x.dataType() == DataType.FLOAT && x.ordering() == 'c' && !x.isView() && x.offset() == 0) {
            // a bulk copy between the two buffers, no ND4J operation (its fixed cost is what serving avoids)
            java.nio.FloatBuffer from = x.data().asNioFloat();
            float[] host = s.hostIn;
            from.get(0, host, 0, batch * nIn);
            s.input.data().asNioFloat().put(0, host, 0, batch * nIn);
        } else {
            s.input.assign(x.castTo(DataType.FLOAT));
        }
        INDArray in = s.input;
        FloatPointer inPointer = s.inputPointer;
        for (int k = 0; k < steps.size(); k++) {
            steps.get(k).apply(in, inPointer, s.outputs[k], s, k);
            in = s.outputs[k];
            inPointer = s.outputPointers[k];
        }
        return in.dup();
    }

    /** Per-thread arrays for one batch size: the input, every step's output, and the block steps' gathers. */
    private static final class Scratch {
        final int batch;
        final INDArray input;
        final INDArray[] outputs;
        final INDArray[][] gathered;
        final INDArray[][] products;
        /** {@link Gemm#pointer}s of the arrays above (null where products go through ND4J). */
        final FloatPointer inputPointer;
        final FloatPointer[] outputPointers;
        final FloatPointer[][] gatheredPointers;
        final FloatPointer[][] productPointers;
        /** Host copies: every step's input and output, a block group's gathered input and product. */
        final float[][] hostOut;
        final float[] hostIn;
        final float[] hostGather;
        final float[] hostProduct;

        Scratch(int batch, List<Step> steps) {
            this.batch = batch;
            this.input = Nd4j.createUninitializedDetached(DataType.FLOAT, batch, steps.get(0).nIn());
            this.outputs = new INDArray[steps.size()];
            this.gathered = new INDArray[steps.size()][];
            this.products = new INDArray[steps.size()][];
            this.outputPointers = new FloatPointer[steps.size()];
            this.gatheredPointers = new FloatPointer[steps.size()][];
            this.productPointers = new FloatPointer[steps.size()][];
            this.hostOut = new float[steps.size()][];
            int widest = steps.get(0).nIn();
            int gather = 0;
            int product = 0;
            for (int k = 0; k < steps.size(); k++) {
                hostOut[k] = new float[batch * steps.get(k).nOut()];
                widest = Math.max(widest, steps.get(k).nOut());
                if (steps.get(k) instanceof BlockStep b) {
                    gather = Math.max(gather, batch * b.fanIn);
                    product = Math.max(product, batch * b.groupSize);
                }
            }
            this.hostIn = new float[batch * widest];
            this.hostGather = new float[gather];
            this.hostProduct = new float[product];
            for (int k = 0; k < steps.size(); k++) {
                outputs[k] = Nd4j.createUninitializedDetached(DataType.FLOAT, batch, steps.get(k).nOut());
                outputPointers[k] = Gemm.pointer(outputs[k]);
                if (steps.get(k) instanceof BlockStep b) {
                    gathered[k] = new INDArray[b.groups];
                    products[k] = new INDArray[b.groups];
                    gatheredPointers[k] = new FloatPointer[b.groups];
                    productPointers[k] = new FloatPointer[b.groups];
                    for (int g = 0; g < b.groups; g++) {
                        gathered[k][g] = Nd4j.createUninitializedDetached(DataType.FLOAT, batch, b.fanIn);
                        products[k][g] = Nd4j.createUninitializedDetached(DataType.FLOAT, batch, b.groupSize);
                        gatheredPointers[k][g] = Gemm.pointer(gathered[k][g]);
                        productPointers[k][g] = Gemm.pointer(products[k][g]);
                    }
                }
            }
            this.inputPointer = Gemm.pointer(input);
        }
    }

    /** One layer of the compiled network. */
    private interface Step {
        int nIn();

        int nOut();

        /**
         * @param in this step's input, the previous step's output (or the scratch input)
         * @param inPointer its {@link Gemm#pointer}
         */
        void apply(INDArray in, FloatPointer inPointer, INDArray out, Scratch s, int index);
    }

    /** The activations applied while placing results; any other goes through DL4J's IActivation after the pass. */
    private static boolean fused(IActivation a) {
        return a instanceof ActivationReLU || a instanceof ActivationIdentity;
    }

    /** A dense (or masked, with W * M folded in) layer: out = act(in W + b), one GEMM. */
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
            Gemm.product(in, inPointer, w, wPointer, out, s.outputPointers[index]);
            FloatBuffer y = out.data().asNioFloat();
            int n = bias.length;
            int all = s.batch * n;
            float[] ya = s.hostOut[index];
            y.get(0, ya, 0, all);
            boolean softmax = act instanceof ActivationSoftmax;
            for (int b = 0, p = 0; b < s.batch; b++) {
                for (int o = 0; o < n; o++, p++) {
                    float v = ya[p] + bias[o];
                    ya[p] = relu && v < 0 ? 0f : v;
                }
                if (softmax) {
                    softmaxRow(ya, p - n, n);
                }
            }
            y.put(0, ya, 0, all);
            if (!fused(act) && !softmax) {
                applyUnfused(act, out);
            }
        }
    }

    /**
     * One inner layer of a block: for each output group g, the inputs that group reads (its index row) gathered into
     * [B, K], one GEMM with the group's compact weights [K, m], then bias and activation placed at the group's
     * output neurons (natural order, as the block returns them).
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
            // bulk copies between the ND4J buffers and Java arrays; the gathers and the placing work on the arrays
            float[] x = s.hostIn;
            in.data().asNioFloat().get(0, x, 0, batch * nIn);
            float[] y = s.hostOut[step];
            float[] xg = s.hostGather;
            float[] yg = s.hostProduct;
            for (int g = 0; g < groups; g++) {
                int[] row = index[g];
                for (int b = 0; b < batch; b++) {
                    int src = b * nIn;
                    int dst = b * fanIn;
                    for (int q = 0; q < fanIn; q++) {
                        xg[dst + q] = x[src + row[q]];
                    }
                }
                INDArray xgArray = s.gathered[step][g];
                xgArray.data().asNioFloat().put(0, xg, 0, batch * fanIn);
                INDArray ygArray = s.products[step][g];
                Gemm.product(xgArray, s.gatheredPointers[step][g], w[g], wPointers[g], ygArray,
                        s.productPointers[step][g]);
                ygArray.data().asNioFloat().get(0, yg, 0, batch * groupSize);
                int base = g * groupSize;
                for (int b = 0; b < batch; b++) {
                    int src = b * groupSize;
                    int dst = b * nOut;
                    for (int j = 0; j < groupSize; j++) {
                        int o = outOrder[base + j];
                        float v = yg[src + j] + bias[o];
                        y[dst + o] = relu && v < 0 ? 0f : v;
                    }
                }
            }
            out.data().asNioFloat().put(0, y, 0, batch * nOut);
            if (!fused(act)) {
                applyUnfused(act, out);
            }
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

    private static void applyUnfused(IActivation act, INDArray out) {
        if (act instanceof ActivationSoftmax) {
            INDArray max = out.max(true, 1);
            out.subiColumnVector(max);
            org.nd4j.linalg.ops.transforms.Transforms.exp(out, false);
            out.diviColumnVector(out.sum(true, 1));
            return;
        }
        INDArray a = act.getActivation(out, false);
        if (a != out) {
            out.assign(a);
        }
    }
}
