package org.g2gnet.serve;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code c = a^T b} for c-ordered FLOAT matrices that own their buffers from offset 0 (CompiledNetwork's weights and
 * scratch arrays): through the OpenBLAS that ND4J's CPU backend bundles, called directly, when JavaCPP's OpenBLAS
 * preset is on the classpath (it is with {@code nd4j-native}); otherwise through {@link Nd4j#gemm}.
 *
 * <p>Why not always {@code Nd4j.gemm}: at serving sizes its call path costs more than the arithmetic. One
 * [32, 1024] x [1024, 1024] product ran at 51-95 GFLOP/s through {@code Nd4j.gemm} and at 100-108 GFLOP/s through
 * {@code cblas_sgemm} on the same library (docs/PERFORMANCE.md "Serving a G2G model", probe in
 * {@code bench/probes/gemm-call-path.jsh}), and a block layer makes one product per group.</p>
 */
final class Gemm {
    /** Whether the direct path is used: JavaCPP's OpenBLAS preset loads here. */
    static final boolean DIRECT = directAvailable();

    private Gemm() {
    }

    private static boolean directAvailable() {
        if (Boolean.getBoolean("g2g.serve.nd4jGemm")) {
            return false;
        }
        try {
            Class.forName("org.bytedeco.openblas.global.openblas");
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** A pointer to an array's first element, for {@link #productTransposedA}; null when the direct path is off. */
    static FloatPointer pointer(INDArray a) {
        return DIRECT ? new FloatPointer(a.data().addressPointer()) : null;
    }

    /**
     * c [m, n] = a^T b for a [k, m] and b [k, n] (views whose rows start at their buffer's start and lie
     * {@code columns()} apart, as CompiledNetwork's are); the pointers are {@link #pointer}'s (null: through ND4J).
     */
    static void productTransposedA(INDArray a, FloatPointer pa, INDArray b, FloatPointer pb, INDArray c,
                                   FloatPointer pc) {
        if (pa == null || pb == null || pc == null) {
            Nd4j.gemm(a, b, c, true, false, 1.0, 0.0);
            return;
        }
        int k = (int) a.rows();
        int m = (int) a.columns();
        int n = (int) b.columns();
        Direct.sgemmTransposedA(m, n, k, pa, pb, pc);
    }

    /** The only class that names the preset, loaded only when {@link #DIRECT} is true. */
    private static final class Direct {
        static void sgemmTransposedA(int m, int n, int k, FloatPointer a, FloatPointer b, FloatPointer c) {
            org.bytedeco.openblas.global.openblas.cblas_sgemm(org.bytedeco.openblas.global.openblas.CblasRowMajor,
                    org.bytedeco.openblas.global.openblas.CblasTrans,
                    org.bytedeco.openblas.global.openblas.CblasNoTrans, m, n, k, 1f, a, m, b, n, 0f, c, n);
        }
    }
}
