package org.g2gnet.layers;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.concurrent.atomic.AtomicLong;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The one way between ND4J arrays and Java arrays in the layers and the rewiring code: copies in the
 * flattened 'f' order of DL4J weight matrices (index {@code i + o * nIn}), or in 'c' order where asked, and
 * new arrays from host values. Used when a layer is set up or its index changes and once per rewiring event,
 * never in an iteration without one; on a GPU every call here is a device/host transfer. An architecture test
 * ({@code HostTransferRulesTest}) keeps other classes of these packages from copying by other means, and
 * {@link #transferredValues()} counts what passes here, so that a test can show that an iteration without a
 * rewiring event moves nothing.
 *
 * <p>FLOAT arrays laid out contiguously in 'f' order (the weight and mask views of a G2G layer, the
 * Hebbian score) are copied in bulk through the data buffer's NIO view (about 0.3 ms per million values);
 * anything else goes through a flattened copy. The affinity manager is told about host reads and writes so
 * that device backends (CUDA) synchronise.</p>
 */
public final class HostArrays {
    private static final AtomicLong TRANSFERRED = new AtomicLong();

    private HostArrays() {
    }

    /**
     * @return number of values copied between ND4J and Java arrays through this class since the JVM started,
     * in either direction (a diagnostic for tests and benchmarks)
     */
    public static long transferredValues() {
        return TRANSFERRED.get();
    }

    /**
     * @param a any array
     * @return its elements in 'f' order, as floats
     */
    public static float[] toFloats(INDArray a) {
        return copy(a, 'f');
    }

    /**
     * @param a any array
     * @return its elements in 'c' (row-major) order, as floats
     */
    public static float[] toFloatsC(INDArray a) {
        return copy(a, 'c');
    }

    /**
     * @param a any array
     * @return its elements in 'c' (row-major) order, as doubles (exact for DOUBLE arrays)
     */
    public static double[] toDoublesC(INDArray a) {
        TRANSFERRED.addAndGet(a.length());
        return Workspaces.detached(() -> Nd4j.toFlattened('c', a).toDoubleVector());
    }

    /**
     * A new array from host values, in the current workspace (if any).
     *
     * @param values elements in the given order
     * @param shape  shape of the new array
     * @param order  'c' or 'f': the order of {@code values}
     * @param type   data type of the new array
     * @return the array
     */
    public static INDArray array(float[] values, long[] shape, char order, DataType type) {
        TRANSFERRED.addAndGet(values.length);
        return Nd4j.create(values, shape, order).castTo(type);
    }

    /**
     * A new array from host values, in the current workspace (if any).
     *
     * @param values elements in the given order
     * @param shape  shape of the new array
     * @param order  'c' or 'f': the order of {@code values}
     * @param type   data type of the new array
     * @return the array
     */
    public static INDArray array(double[] values, long[] shape, char order, DataType type) {
        TRANSFERRED.addAndGet(values.length);
        return Nd4j.create(values, shape, order).castTo(type);
    }

    /**
     * @param values integers, e.g. gather indices
     * @return a new INT vector holding them, outside any workspace
     */
    public static INDArray ints(int[] values) {
        TRANSFERRED.addAndGet(values.length);
        return Workspaces.detached(() -> Nd4j.createFromArray(values));
    }

    private static float[] copy(INDArray a, char order) {
        TRANSFERRED.addAndGet(a.length());
        FloatBuffer fb = bulkView(a, order);
        if (fb != null) {
            Nd4j.getAffinityManager().ensureLocation(a, AffinityManager.Location.HOST);
            float[] out = new float[(int) a.length()];
            fb.position((int) a.offset());
            fb.get(out);
            return out;
        }
        return Workspaces.detached(() -> Nd4j.toFlattened(order, a).toFloatVector());
    }

    /**
     * Writes host values into an array.
     *
     * @param values elements in 'f' order, length a.length()
     * @param target destination (e.g. a parameter view), its data type is kept
     */
    public static void assign(float[] values, INDArray target) {
        if (values.length != target.length()) {
            throw new IllegalArgumentException("HostArrays: " + values.length + " values for an array of length "
                    + target.length());
        }
        TRANSFERRED.addAndGet(values.length);
        FloatBuffer fb = bulkView(target, 'f');
        if (fb != null) {
            Nd4j.getAffinityManager().ensureLocation(target, AffinityManager.Location.HOST);
            fb.position((int) target.offset());
            fb.put(values);
            Nd4j.getAffinityManager().tagLocation(target, AffinityManager.Location.HOST);
            return;
        }
        Workspaces.detached(() -> target.assign(
                Nd4j.create(values, target.shape(), 'f').castTo(target.dataType())));
    }

    /**
     * A detached array that can hold a copy of {@code like}.
     *
     * @param like shape and data type to copy
     * @return a new zero-filled 'f'-order array outside any workspace
     */
    public static INDArray detachedLike(INDArray like) {
        return Workspaces.detached(() -> Nd4j.create(like.dataType(), like.shape(), 'f'));
    }

    /** The NIO float view of the whole buffer behind a FLOAT array contiguous in this order, or null. */
    private static FloatBuffer bulkView(INDArray a, char order) {
        if (a.dataType() != DataType.FLOAT || !isContiguous(a, order) || a.length() > Integer.MAX_VALUE
                || a.offset() > Integer.MAX_VALUE) {
            return null;
        }
        ByteBuffer bb = a.data().asNio();
        if (bb == null || bb.capacity() / 4L < a.offset() + a.length()) {
            return null;
        }
        return bb.order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private static boolean isContiguous(INDArray a, char order) {
        if (a.rank() <= 1) {
            return a.rank() == 0 || a.stride(0) == 1;
        }
        return a.ordering() == order && Shape.hasDefaultStridesForShape(a);
    }
}
