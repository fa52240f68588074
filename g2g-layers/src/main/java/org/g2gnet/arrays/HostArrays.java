package org.g2gnet.arrays;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
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
 * Hebbian score) are copied in bulk through the data buffer's NIO view;
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
     * @return its elements in 'f' order, as doubles (exact for every floating-point data type)
     */
    public static double[] toDoubles(INDArray a) {
        TRANSFERRED.addAndGet(a.length());
        ByteBuffer bb = a.dataType() == DataType.DOUBLE ? bulkBytes(a, 'f') : null;
        if (bb != null) {
            Nd4j.getAffinityManager().ensureLocation(a, AffinityManager.Location.HOST);
            double[] out = new double[(int) a.length()];
            DoubleBuffer db = bb.asDoubleBuffer();
            db.position((int) a.offset());
            db.get(out);
            return out;
        }
        return Workspaces.detached(() -> Nd4j.toFlattened('f', a).toDoubleVector());
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
     * Writes host values into an array, exactly in its data type (no rounding through float).
     *
     * @param values elements in 'f' order, length target.length()
     * @param target destination (e.g. a saved Hebbian average), its data type is kept
     */
    public static void assign(double[] values, INDArray target) {
        if (values.length != target.length()) {
            throw new IllegalArgumentException("HostArrays: " + values.length + " values for an array of length "
                    + target.length());
        }
        TRANSFERRED.addAndGet(values.length);
        ByteBuffer bb = target.dataType() == DataType.DOUBLE ? bulkBytes(target, 'f') : null;
        if (bb != null) {
            Nd4j.getAffinityManager().ensureLocation(target, AffinityManager.Location.HOST);
            DoubleBuffer db = bb.asDoubleBuffer();
            db.position((int) target.offset());
            db.put(values);
            Nd4j.getAffinityManager().tagLocation(target, AffinityManager.Location.HOST);
            return;
        }
        Workspaces.detached(() -> target.assign(
                Nd4j.create(values, target.shape(), 'f').castTo(target.dataType())));
    }

    /**
     * Writes host values into some entries of an array and leaves every other entry as it is, bit for bit; each
     * value is rounded once, to the array's data type.
     *
     * @param target  destination (e.g. a weight view)
     * @param indices flat 'f'-order indices of the entries to write, in [0, target.length())
     * @param values  their new values, same length as indices
     */
    public static void put(INDArray target, int[] indices, double[] values) {
        if (indices.length != values.length) {
            throw new IllegalArgumentException("HostArrays: " + values.length + " values for " + indices.length
                    + " indices");
        }
        for (int k : indices) {
            if (k < 0 || k >= target.length()) {
                throw new IllegalArgumentException("HostArrays: index " + k + " out of range for an array of length "
                        + target.length());
            }
        }
        ByteBuffer bb = bulkBytes(target, 'f');
        if (bb == null) {
            double[] all = toDoubles(target);
            for (int i = 0; i < indices.length; i++) {
                all[indices[i]] = values[i];
            }
            assign(all, target);
            return;
        }
        TRANSFERRED.addAndGet(indices.length);
        Nd4j.getAffinityManager().ensureLocation(target, AffinityManager.Location.HOST);
        int base = (int) target.offset();
        if (target.dataType() == DataType.FLOAT) {
            FloatBuffer fb = bb.asFloatBuffer();
            for (int i = 0; i < indices.length; i++) {
                fb.put(base + indices[i], (float) values[i]);
            }
        } else {
            DoubleBuffer db = bb.asDoubleBuffer();
            for (int i = 0; i < indices.length; i++) {
                db.put(base + indices[i], values[i]);
            }
        }
        Nd4j.getAffinityManager().tagLocation(target, AffinityManager.Location.HOST);
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
        ByteBuffer bb = a.dataType() == DataType.FLOAT ? bulkBytes(a, order) : null;
        return bb == null ? null : bb.asFloatBuffer();
    }

    /**
     * The NIO bytes (native order) of the whole buffer behind a FLOAT or DOUBLE array contiguous in this order,
     * or null.
     */
    private static ByteBuffer bulkBytes(INDArray a, char order) {
        DataType type = a.dataType();
        if ((type != DataType.FLOAT && type != DataType.DOUBLE) || !isContiguous(a, order)
                || a.length() > Integer.MAX_VALUE || a.offset() > Integer.MAX_VALUE) {
            return null;
        }
        ByteBuffer bb = a.data().asNio();
        if (bb == null || bb.capacity() / (long) type.width() < a.offset() + a.length()) {
            return null;
        }
        return bb.order(ByteOrder.nativeOrder());
    }

    private static boolean isContiguous(INDArray a, char order) {
        if (a.rank() <= 1) {
            return a.rank() == 0 || a.stride(0) == 1;
        }
        return a.ordering() == order && Shape.hasDefaultStridesForShape(a);
    }
}
