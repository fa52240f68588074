package org.g2gnet.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Copies between ND4J arrays and host float arrays in the flattened 'f' order of DL4J weight matrices
 * (index {@code i + o * nIn}). Used once per rewiring event, never per iteration.
 */
public final class HostArrays {
    private HostArrays() {
    }

    /**
     * @param a any array
     * @return its elements in 'f' order, as floats
     */
    public static float[] toFloats(INDArray a) {
        return Workspaces.detached(() -> Nd4j.toFlattened('f', a).toFloatVector());
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
}
