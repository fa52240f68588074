package org.g2gnet.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.g2gnet.serve.CompiledNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Serving latency: inference ({@code output}) of the paper network (784-Wx3-10) at the batch sizes a served model
 * sees, as DL4J's dense stack, the G2G block ({@code output()}), and the G2G block and the dense stack compiled
 * ({@link CompiledNetwork}), timed interleaved ({@link Timing}); the speed-up is the median over rounds of DL4J
 * dense's time / this time in the same round.
 */
public final class ServeBench {
    /** The CSV header. */
    static final String HEADER = "width,batch,density,model,median_ms,p25_ms,p75_ms,spread_pct,speedup,speedup_p25,"
            + "speedup_p75,rounds,flag";
    private static final String[] MODELS = {"dense", "block", "block-compiled", "dense-compiled"};

    private ServeBench() {
    }

    /**
     * @param widths  hidden widths
     * @param batches batch sizes
     * @param density G2G density
     * @param budget  timing budget per measurement
     * @param out     CSV destination
     * @return the CSV rows
     */
    public static List<String> run(int[] widths, int[] batches, double density, Timing.Budget budget, PrintStream out) {
        out.println(HEADER);
        List<String> rows = new ArrayList<>();
        for (int w : widths) {
            MultiLayerNetwork dense = NetworkBench.network("dense", w, density);
            MultiLayerNetwork block = NetworkBench.network("block", w, density);
            CompiledNetwork blockCompiled = CompiledNetwork.of(block);
            CompiledNetwork denseCompiled = CompiledNetwork.of(dense);
            for (int batch : batches) {
                INDArray x = Nd4j.rand(batch, 784);
                Runnable[] bodies = {() -> dense.output(x), () -> block.output(x), () -> blockCompiled.output(x),
                        () -> denseCompiled.output(x)};
                double scale = Math.max(1, w / 1024.0 / 2) * (batch >= 128 ? 1 : 0.5);
                Timing.Result r = Timing.interleaved(budget.scaled(scale), bodies);
                for (int i = 0; i < bodies.length; i++) {
                    Timing.Stats ms = r.times()[i];
                    Timing.Stats s = r.speedups()[i];
                    String row = String.format(Locale.ROOT, "%d,%d,%s,%s,%.4f,%.4f,%.4f,%.1f,%.3f,%.3f,%.3f,%d,%s", w,
                            batch, i == 0 || i == 3 ? 1.0 : density, MODELS[i], ms.median(), ms.p25(), ms.p75(),
                            100 * ms.spread(), s.median(), s.p25(), s.p75(), ms.n(), LayerBench.flag(r, i));
                    rows.add(row);
                    out.println(row);
                }
            }
            dense.clear();
            block.clear();
        }
        return rows;
    }
}
