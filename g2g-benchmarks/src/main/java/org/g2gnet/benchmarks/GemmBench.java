package org.g2gnet.benchmarks;

import java.io.PrintStream;
import java.util.Locale;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ceiling: ND4J's GEMM rate on this machine for the shapes of one layer's forward ({@code x W}) and
 * backward ({@code dY W^T}, {@code x^T dY}) at batch 256.
 */
public final class GemmBench {
    private GemmBench() {
    }

    /**
     * @param sizes   widths
     * @param batch   batch size
     * @param repeats timed repeats
     * @param out     CSV destination
     */
    public static void run(int[] sizes, int batch, int repeats, PrintStream out) {
        out.println("size,op,median_ms,gflops");
        for (int n : sizes) {
            INDArray x = Nd4j.rand(batch, n);
            INDArray w = Nd4j.rand(n, n);
            INDArray dy = Nd4j.rand(batch, n);
            INDArray y = Nd4j.create(batch, n);
            INDArray dx = Nd4j.create(batch, n);
            INDArray dw = Nd4j.create(n, n);
            int reps = n >= 4096 ? Math.max(5, repeats / 3) : repeats;
            double[] ms = Timing.interleavedMedianMs(3, reps,
                    () -> x.mmuli(w, y),
                    () -> Nd4j.gemm(dy, w, dx, false, true, 1.0, 0.0),
                    () -> Nd4j.gemm(x, dy, dw, true, false, 1.0, 0.0));
            String[] ops = {"x_W", "dY_Wt", "xt_dY"};
            double flops = 2.0 * batch * n * (double) n;
            for (int i = 0; i < 3; i++) {
                out.printf(Locale.ROOT, "%d,%s,%.3f,%.1f%n", n, ops[i], ms[i], flops / (ms[i] * 1e6));
            }
        }
    }
}
