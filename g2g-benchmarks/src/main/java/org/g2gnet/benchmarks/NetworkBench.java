package org.g2gnet.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.g2gnet.ReferenceNetworks;
import org.g2gnet.conf.Execution;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Whole networks: the paper's (784-1024x3-10) and wider ones (784-Wx3-10), as DL4J's dense stack, the G2G
 * stack in masked and in structured execution, and the G2G stack as one {@link org.g2gnet.conf.G2GBlock},
 * built as {@code ./g2g train} builds them (ReLU, Mixer groupings, softmax output). Two passes: inference
 * ({@code output}) and forward + backward ({@code computeGradientAndScore}: loss and all gradients, no
 * optimizer step), at each batch size. The four networks are timed interleaved ({@link Timing}); the
 * speed-up is the median over rounds of dense time / this time in the same round, and the CPU columns are the
 * same for the CPU time of the process (stable on a shared machine; work, not latency).
 */
public final class NetworkBench {
    /** The CSV header. */
    static final String HEADER = "width,batch,density,model,pass,median_ms,p25_ms,p75_ms,spread_pct,speedup,"
            + "speedup_p25,speedup_p75,cpu_ms,cpu_speedup,rounds,flag";
    private static final String[] MODELS = {"dense", "masked", "structured", "block"};

    private NetworkBench() {
    }

    /** One measured configuration. */
    record Row(int width, int batch, double density, String model, String pass, Timing.Stats ms,
               Timing.Stats speedup, Timing.Stats cpuMs, Timing.Stats cpuSpeedup, String flag) {
    }

    /**
     * @param widths  hidden widths (3 hidden layers each)
     * @param batches batch sizes
     * @param density G2G density of every hidden layer
     * @param budget  timing budget of each measurement (scaled up for wide networks)
     * @param out     CSV destination
     * @return the rows
     */
    public static List<Row> run(int[] widths, int[] batches, double density, Timing.Budget budget, PrintStream out) {
        out.println(HEADER);
        List<Row> rows = new ArrayList<>();
        for (int w : widths) {
            List<MultiLayerNetwork> nets = new ArrayList<>();
            for (String m : MODELS) {
                nets.add(network(m, w, density));
            }
            for (int batch : batches) {
                INDArray x = Nd4j.rand(batch, 784);
                INDArray y = Nd4j.zeros(batch, 10);
                for (int i = 0; i < batch; i++) {
                    y.putScalar(i, i % 10, 1.0);
                }
                for (String pass : new String[] {"inference", "train"}) {
                    Runnable[] bodies = new Runnable[nets.size()];
                    for (int i = 0; i < nets.size(); i++) {
                        MultiLayerNetwork n = nets.get(i);
                        bodies[i] = pass.equals("inference") ? () -> n.output(x) : () -> {
                            n.setInput(x);
                            n.setLabels(y);
                            n.computeGradientAndScore();
                        };
                    }
                    double scale = Math.max(1, w / 1024.0 / 2) * (batch >= 128 ? 1 : 0.5);
                    Timing.Result r = Timing.interleaved(budget.scaled(scale), bodies);
                    for (int i = 0; i < nets.size(); i++) {
                        Row row = new Row(w, batch, i == 0 ? 1.0 : density, MODELS[i], pass, r.times()[i],
                                r.speedups()[i], r.cpu()[i], r.cpuSpeedups()[i], LayerBench.flag(r, i));
                        rows.add(row);
                        out.println(String.format(Locale.ROOT,
                                "%d,%d,%s,%s,%s,%.3f,%.3f,%.3f,%.1f,%.3f,%.3f,%.3f,%.3f,%.3f,%d,%s", w, batch,
                                row.density(), row.model(), pass, row.ms().median(), row.ms().p25(), row.ms().p75(),
                                100 * row.ms().spread(), row.speedup().median(), row.speedup().p25(),
                                row.speedup().p75(), row.cpuMs().median(), row.cpuSpeedup().median(), row.ms().n(),
                                row.flag()));
                    }
                }
            }
            for (MultiLayerNetwork n : nets) {
                n.clear();
            }
        }
        return rows;
    }

    /**
     * @param model   dense, masked, structured or block
     * @param width   hidden width
     * @param density G2G density
     * @return the initialised network, as {@code ./g2g train} builds it
     */
    static MultiLayerNetwork network(String model, int width, double density) {
        ReferenceNetworks.Mlp b = ReferenceNetworks.mlp().width(width).totalIterations(10_000);
        switch (model) {
            case "dense" -> b.kind(ReferenceNetworks.Kind.DENSE);
            case "masked" -> b.density(density).execution(Execution.MASKED);
            case "structured" -> b.density(density).execution(Execution.STRUCTURED);
            case "block" -> b.density(density).execution(Execution.BLOCK);
            default -> throw new IllegalArgumentException("unknown model " + model);
        }
        MultiLayerNetwork n = new MultiLayerNetwork(b.build(784, 10));
        n.init();
        return n;
    }
}
