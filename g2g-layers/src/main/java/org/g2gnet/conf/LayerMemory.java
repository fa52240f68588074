package org.g2gnet.conf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * What one layer needs in memory, in values of its data type: parameters (for a G2G layer W, the mask M and b,
 * off-heap, allocated by {@code init()}), the updater state (Adam's two moments of W and b, off-heap, allocated on
 * the first training step) and the Java heap needed while the layer is initialised (a G2G mask is drawn into a
 * Java array of nIn * nOut floats).
 *
 * <p>{@link Available#now()} says what this JVM has: off-heap, the smaller of what JavaCPP's
 * {@code maxPhysicalBytes} leaves this process (ND4J's arrays count in its resident memory) and the physical
 * memory available; on the heap, what {@code -Xmx} leaves. {@link #requireAllocatable} refuses a G2G layer at
 * {@code init()} before anything is allocated; {@link #requireTrainable} refuses a whole network before training.</p>
 *
 * @param layer         the layer's name (or type when unnamed)
 * @param shape         nIn x nOut, or the layer's type
 * @param weights       values of W (and of other parameters of non-G2G layers)
 * @param mask          values of the mask M (masked execution) or of the input index (structured); 0 otherwise
 * @param bias          values of b
 * @param updaterState  values of the updater state of W and b (0 without an updater)
 * @param updater       the updater's name, or "no updater"
 * @param heapBytes     bytes of Java heap needed at init
 * @param bytesPerValue bytes of one value of the data type
 */
public record LayerMemory(String layer, String shape, long weights, long mask, long bias, long updaterState,
                          String updater, long heapBytes, int bytesPerValue) {

    /**
     * @param l  a G2G layer configuration with nIn and nOut set
     * @param dt the network's data type
     * @return what it needs
     */
    public static LayerMemory of(G2GDenseLayer l, DataType dt) {
        long nIn = l.getNIn();
        long nOut = l.getNOut();
        long w;
        long m;
        long heap;
        if (l.getExecution() == Execution.STRUCTURED) {
            long[] s = G2GParamInitializer.structuredShape(l);
            w = s[0] * s[1] * s[2];
            m = s[0] * s[1];
            heap = 4 * m;
        } else {
            w = nIn * nOut;
            m = w;
            // the mask's float[], and the exact draw's index scratch of the largest group block
            long block = (nIn / l.getGroups() + 1) * (nOut / l.getGroups() + 1);
            heap = 4 * w + 4 * block;
        }
        IUpdater wu = l.getUpdaterByParam(G2GParamInitializer.WEIGHT_KEY);
        IUpdater bu = l.getUpdaterByParam(G2GParamInitializer.BIAS_KEY);
        long state = (wu == null ? 0 : wu.stateSize(w)) + (bu == null ? 0 : bu.stateSize(nOut));
        return new LayerMemory(name(l), nIn + "x" + nOut, w, m, nOut, state, updaterName(wu), heap, width(dt));
    }

    /**
     * @param l  any layer configuration (nIn and nOut set)
     * @param dt the network's data type
     * @return what it needs; for non-G2G layers all parameters count as weights
     */
    public static LayerMemory of(Layer l, DataType dt) {
        if (l instanceof G2GDenseLayer g) {
            return of(g, dt);
        }
        long params = l.initializer().numParams(l);
        IUpdater u = l instanceof BaseLayer b ? b.getIUpdater() : null;
        long state = u == null ? 0 : u.stateSize(params);
        String shape = l instanceof org.deeplearning4j.nn.conf.layers.FeedForwardLayer f
                ? f.getNIn() + "x" + f.getNOut() : l.getClass().getSimpleName();
        return new LayerMemory(name(l), shape, params, 0, 0, state, updaterName(u), 0, width(dt));
    }

    /**
     * @param conf a network configuration
     * @return what each of its layers needs
     */
    public static List<LayerMemory> of(MultiLayerConfiguration conf) {
        List<LayerMemory> out = new ArrayList<>();
        for (NeuralNetConfiguration c : conf.getConfs()) {
            out.add(of(c.getLayer(), conf.getDataType() == null ? DataType.FLOAT : conf.getDataType()));
        }
        return out;
    }

    /** @return bytes of the parameters (W, M and b of a G2G layer) */
    public long parameterBytes() {
        return (weights + mask + bias) * bytesPerValue;
    }

    /** @return bytes of the updater state */
    public long updaterStateBytes() {
        return updaterState * bytesPerValue;
    }

    /** @return bytes off-heap for training: parameters and updater state */
    public long trainingBytes() {
        return parameterBytes() + updaterStateBytes();
    }

    /** @return "W 8.5 GB, M 8.5 GB, b 184.0 KB, updater state (Adam) 17.0 GB" */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        if (mask > 0) {
            sb.append("W ").append(bytes(weights * bytesPerValue)).append(", M ").append(bytes(mask * bytesPerValue))
                    .append(", b ").append(bytes(bias * bytesPerValue));
        } else {
            sb.append("parameters ").append(bytes(parameterBytes()));
        }
        return sb.append(", updater state (").append(updater).append(") ").append(bytes(updaterStateBytes())).toString();
    }

    /**
     * Refuses a G2G layer whose parameters, or the Java array its mask is drawn into, do not fit in what this JVM
     * has: called by the parameter initializer, before {@code init()} allocates anything.
     *
     * @param l   the layer
     * @param dt  the network's data type
     * @param who the layer, for the message
     * @throws IllegalStateException naming what the layer needs and what is available
     */
    static void requireAllocatable(G2GDenseLayer l, DataType dt, String who) {
        LayerMemory need = of(l, dt);
        Available a = Available.now();
        // the initializer also copies the mask into a temporary array of the network's type
        long offHeap = need.parameterBytes() + need.mask * need.bytesPerValue;
        if (offHeap > a.offHeap() || need.heapBytes() > a.heap()) {
            throw new IllegalStateException(String.format(Locale.ROOT, "%s: too large for this JVM: its parameters need "
                    + "%s off-heap (%s; training adds the updater state) and %s of Java heap to draw the mask, but %s",
                    who, bytes(offHeap), need.describe(), bytes(need.heapBytes()), a.describe()));
        }
    }

    /**
     * Refuses a network that cannot be trained here: its parameters and updater state together do not fit off-heap,
     * or the largest mask does not fit on the Java heap.
     *
     * @param conf the network's configuration
     * @throws IllegalStateException naming what the network needs and what is available
     */
    public static void requireTrainable(MultiLayerConfiguration conf) {
        List<LayerMemory> layers = of(conf);
        long params = 0;
        long state = 0;
        long heap = 0;
        LayerMemory largest = layers.get(0);
        for (LayerMemory m : layers) {
            params += m.parameterBytes();
            state += m.updaterStateBytes();
            heap = Math.max(heap, m.heapBytes());
            if (m.trainingBytes() > largest.trainingBytes()) {
                largest = m;
            }
        }
        Available a = Available.now();
        if (params + state > a.offHeap() || heap > a.heap()) {
            throw new IllegalStateException(String.format(Locale.ROOT, "the network is too large for this JVM: it needs "
                    + "%s off-heap to train (parameters %s, updater state %s; the largest layer, '%s' %s: %s)%s, but "
                    + "%s. Use a smaller --width or fewer --layers, or give the JVM more (G2G_JAVA_OPTS with -Xmx and "
                    + "-Dorg.bytedeco.javacpp.maxphysicalbytes)", bytes(params + state), bytes(params), bytes(state),
                    largest.layer(), largest.shape(), largest.describe(),
                    heap == 0 ? "" : " and " + bytes(heap) + " of Java heap to draw its largest mask", a.describe()));
        }
    }

    /**
     * What this JVM has for a new layer.
     *
     * @param offHeap     bytes ND4J can still allocate: the smaller of what JavaCPP's maxPhysicalBytes leaves this
     *                    process and the physical memory available
     * @param heap        bytes of Java heap -Xmx still leaves
     * @param explanation the figures it comes from
     */
    public record Available(long offHeap, long heap, String explanation) {
        /** @return the figures now */
        public static Available now() {
            long used = Pointer.physicalBytes();
            long maxPhysical = Pointer.maxPhysicalBytes();
            long physical = Pointer.availablePhysicalBytes();
            long offHeap = physical > 0 ? physical : Long.MAX_VALUE;
            StringBuilder why = new StringBuilder();
            if (maxPhysical > 0) {
                offHeap = Math.min(offHeap, Math.max(0, maxPhysical - used));
                why.append("JavaCPP maxPhysicalBytes ").append(bytes(maxPhysical)).append(", of which this process uses ")
                        .append(bytes(used)).append("; ");
            }
            why.append("physical memory ").append(bytes(physical)).append(" available of ")
                    .append(bytes(Pointer.totalPhysicalBytes())).append("; JavaCPP maxBytes ")
                    .append(bytes(Pointer.maxBytes()));
            Runtime rt = Runtime.getRuntime();
            long heap = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
            why.append("; Java heap -Xmx ").append(bytes(rt.maxMemory()));
            return new Available(offHeap, heap, why.toString());
        }

        /** @return "only 9.3 GB off-heap and 3.1 GB of Java heap are available (figures)" */
        public String describe() {
            return "only " + bytes(offHeap) + " off-heap and " + bytes(heap) + " of Java heap are available ("
                    + explanation + ")";
        }
    }

    /**
     * @param b a number of bytes
     * @return it in KB, MB or GB (powers of 1024)
     */
    public static String bytes(double b) {
        if (b >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GB", b / (1L << 30));
        }
        if (b >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MB", b / (1L << 20));
        }
        return String.format(Locale.ROOT, "%.1f KB", b / 1024);
    }

    private static String name(Layer l) {
        return l.getLayerName() != null ? l.getLayerName() : l.getClass().getSimpleName();
    }

    private static String updaterName(IUpdater u) {
        return u == null ? "no updater" : u.getClass().getSimpleName();
    }

    private static int width(DataType dt) {
        return dt.width();
    }
}
