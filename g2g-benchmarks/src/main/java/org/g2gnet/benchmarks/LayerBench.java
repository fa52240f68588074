package org.g2gnet.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.g2gnet.conf.Execution;
import org.g2gnet.conf.G2GBlock;
import org.g2gnet.conf.G2GDenseLayer;
import org.g2gnet.layers.G2GBlockImpl;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * One layer alone: forward (inference) and forward + backward (training, without the optimizer step) of DL4J's
 * DenseLayer and of the G2G layer in masked and structured execution and as a one-layer {@link G2GBlock}, at
 * several sizes and densities. Structured execution meets the density to the nearest whole tile; the density
 * column is the actual one. The four are timed interleaved ({@link Timing}): warm-up until the timings settle,
 * then rounds for a fixed time; {@code speedup} is the median over rounds of dense time / this time in the same
 * round, with its quartiles; {@code spread_pct} is the interquartile range of this row's time over its median,
 * and rows above 10% are flagged {@code noisy}. {@code cpu_ms} and {@code cpu_speedup} are the same for the CPU
 * time of the process (all threads): stable on a shared machine, but a measure of work, not of latency.
 */
public final class LayerBench {
    /** The CSV header. */
    static final String HEADER = "size,density,mode,pass,median_ms,p25_ms,p75_ms,spread_pct,speedup,speedup_p25,"
            + "speedup_p75,cpu_ms,cpu_speedup,rounds,flag";
    private static final String WS = "G2G_BENCH";
    private static final WorkspaceConfiguration WS_CONF = WorkspaceConfiguration.builder()
            .policyAllocation(AllocationPolicy.OVERALLOCATE).overallocationLimit(0.2)
            .policyLearning(LearningPolicy.FIRST_LOOP).build();

    private LayerBench() {
    }

    /** One measured configuration. */
    record Row(int size, double density, String mode, String pass, Timing.Stats ms, Timing.Stats speedup,
               Timing.Stats cpuMs, Timing.Stats cpuSpeedup, String flag) {
    }

    /** A layer ready to be timed. */
    record Subject(String mode, Layer layer) {
    }

    /**
     * @param sizes     layer widths (nIn = nOut)
     * @param densities G2G densities
     * @param batch     mini-batch size
     * @param budget    timing budget of each measurement (scaled up at widths above 1024)
     * @param out       CSV destination
     * @return the rows
     */
    public static List<Row> run(int[] sizes, double[] densities, int batch, Timing.Budget budget, PrintStream out) {
        out.println(HEADER);
        List<Row> rows = new ArrayList<>();
        for (int n : sizes) {
            INDArray x = Nd4j.rand(batch, n);
            INDArray eps = Nd4j.rand(batch, n).subi(0.5);
            Subject dense = new Subject("dense", layer(n, -1, Mode.DENSE));
            for (double d : densities) {
                List<Subject> subjects = List.of(dense, new Subject("masked", layer(n, d, Mode.MASKED)),
                        new Subject("structured", layer(n, d, Mode.STRUCTURED)),
                        new Subject("block", layer(n, d, Mode.BLOCK)));
                for (String pass : new String[] {"forward", "train"}) {
                    Runnable[] bodies = new Runnable[subjects.size()];
                    for (int i = 0; i < subjects.size(); i++) {
                        Layer l = subjects.get(i).layer();
                        // a workspace per subject and measurement: a workspace learns its size in its first cycle,
                        // and a body that needs more (another subject's, or a train pass after a forward one)
                        // allocates outside it, which costs more than some of the passes
                        String ws = WS + "_" + i;
                        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.builder().defaultWorkspace(ws, WS_CONF).build();
                        bodies[i] = pass.equals("forward") ? () -> forward(l, x, ws, mgr)
                                : () -> train(l, x, eps, ws, mgr);
                    }
                    Timing.Result r = Timing.interleaved(budget.scaled(Math.max(1, n / 1024.0 / 2)), bodies);
                    Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
                    for (int i = 0; i < subjects.size(); i++) {
                        Layer l = subjects.get(i).layer();
                        Row row = new Row(n, density(l), subjects.get(i).mode(), pass, r.times()[i], r.speedups()[i],
                                r.cpu()[i], r.cpuSpeedups()[i], flag(r, i));
                        rows.add(row);
                        out.println(csv(row));
                    }
                }
            }
        }
        return rows;
    }

    /** @return "noisy" when the row's spread is above 10%, "unsettled" when the warm-up ran out of time, or "" */
    static String flag(Timing.Result r, int i) {
        List<String> f = new ArrayList<>();
        if (r.times()[i].noisy()) {
            f.add("noisy");
        }
        if (!r.settled()) {
            f.add("unsettled");
        }
        return String.join(";", f);
    }

    private static String csv(Row r) {
        return String.format(Locale.ROOT, "%d,%s,%s,%s,%.3f,%.3f,%.3f,%.1f,%.3f,%.3f,%.3f,%.3f,%.3f,%d,%s", r.size(),
                r.mode().equals("dense") ? "1.0" : String.format(Locale.ROOT, "%.5f", r.density()), r.mode(), r.pass(),
                r.ms().median(), r.ms().p25(), r.ms().p75(), 100 * r.ms().spread(), r.speedup().median(),
                r.speedup().p25(), r.speedup().p75(), r.cpuMs().median(), r.cpuSpeedup().median(), r.ms().n(),
                r.flag());
    }

    private static double density(Layer l) {
        if (l instanceof org.g2gnet.layers.G2GLayer g) {
            return g.activeConnections() / (double) g.totalConnections();
        }
        if (l instanceof G2GBlockImpl b) {
            var t = b.inner(0).layout();
            return t.density();
        }
        return 1.0;
    }

    private static void forward(Layer l, INDArray x, String wsName, LayerWorkspaceMgr mgr) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(WS_CONF, wsName)) {
            l.setInput(x, mgr);
            l.activate(false, mgr);
        }
    }

    private static void train(Layer l, INDArray x, INDArray eps, String wsName, LayerWorkspaceMgr mgr) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(WS_CONF, wsName)) {
            l.setInput(x, mgr);
            l.activate(true, mgr);
            l.backpropGradient(eps, mgr);
        }
        l.clear();
    }

    /** How the layer computes. */
    enum Mode { DENSE, MASKED, STRUCTURED, BLOCK }

    /**
     * @param n       width
     * @param density G2G density (ignored for DENSE)
     * @param mode    which layer
     * @return the initialised layer (with gradient views)
     */
    static Layer layer(int n, double density, Mode mode) {
        NeuralNetConfiguration.ListBuilder lb = new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(1e-3))
                .weightInit(WeightInit.RELU_UNIFORM).list();
        // G = 8 as in the paper; below its reachable minimum density (1/8 with pIntra = 1) use G = 16
        int groups = density < 0.125 ? 16 : 8;
        switch (mode) {
            case DENSE -> lb.layer(new DenseLayer.Builder().nIn(n).nOut(n).activation(Activation.RELU).build());
            case MASKED, STRUCTURED -> lb.layer(new G2GDenseLayer.Builder().nIn(n).nOut(n).activation(Activation.RELU)
                    .groups(groups).density(density)
                    .execution(mode == Mode.STRUCTURED ? Execution.STRUCTURED : Execution.MASKED).build());
            case BLOCK -> lb.layer(new G2GBlock.Builder().nIn(n).widths(n).activation(Activation.RELU).groups(groups)
                    .density(density).build());
            default -> throw new AssertionError(mode);
        }
        lb.layer(new LossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build());
        lb.setInputType(org.deeplearning4j.nn.conf.inputs.InputType.feedForward(n));
        MultiLayerNetwork net = new MultiLayerNetwork(lb.build());
        net.init();
        net.initGradientsView();
        return net.getLayer(0);
    }
}
