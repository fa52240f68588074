package org.g2gnet.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.g2gnet.G2GTestBase;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The direct OpenBLAS call is taken on the CPU backend and gives ND4J's product; null pointers go through ND4J. */
class GemmTest extends G2GTestBase {

    @Test
    void directProductEqualsNd4jsAtServingShapes() {
        assertTrue(Gemm.DIRECT, "nd4j-native brings JavaCPP's OpenBLAS preset, so the direct path must be on");
        Nd4j.getRandom().setSeed(SEED);
        for (int[] mkn : new int[][] {{1, 37, 5}, {8, 64, 16}, {32, 256, 128}, {3, 1, 9}}) {
            INDArray a = Nd4j.rand(DataType.FLOAT, mkn[0], mkn[1]).subi(0.5);
            INDArray b = Nd4j.rand(DataType.FLOAT, mkn[1], mkn[2]).subi(0.5);
            INDArray expected = a.mmul(b);
            String what = mkn[0] + "x" + mkn[1] + "x" + mkn[2];
            // a^T for a stored [k, m]: the layout CompiledNetwork multiplies its feature-major activations with
            INDArray at = a.transpose().dup('c');
            INDArray directT = Nd4j.createUninitializedDetached(DataType.FLOAT, mkn[0], mkn[2]);
            assertNotNull(Gemm.pointer(directT));
            Gemm.productTransposedA(at, Gemm.pointer(at), b, Gemm.pointer(b), directT, Gemm.pointer(directT));
            INDArray viaNd4jT = Nd4j.create(DataType.FLOAT, mkn[0], mkn[2]);
            Gemm.productTransposedA(at, null, b, null, viaNd4jT, null);
            assertArrayEquals(expected.reshape(-1).toFloatVector(), directT.reshape(-1).toFloatVector(), 1e-5f,
                    "transposed " + what);
            assertArrayEquals(expected.reshape(-1).toFloatVector(), viaNd4jT.reshape(-1).toFloatVector(), 1e-5f,
                    "transposed " + what);
        }
    }
}
