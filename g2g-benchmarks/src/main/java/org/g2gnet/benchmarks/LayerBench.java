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
import org.g2gnet.conf.G2GDenseLayer;
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
 * One layer alone, batch 256: forward (inference) and forward + backward (training, without the optimizer
 * step) of DL4J's DenseLayer and of the G2G layer in each execution mode, at several sizes and densities.
 * Structured execution meets the density to the nearest whole tile; the density column is the actual one.
 * Modes are timed interleaved in one run; {@code speedup_vs_dense} is the dense median over this median.
 */
public final class LayerBench {
    private static final String WS = "G2G_BENCH";
    private static final WorkspaceConfiguration WS_CONF = WorkspaceConfiguration.builder()
            .policyAllocation(AllocationPolicy.OVERALLOCATE).overallocationLimit(0.2)
            .policyLearning(LearningPolicy.FIRST_LOOP).build();

    private LayerBench() {
    }

    /** One measured configuration. */
    record Row(int size, double density, String mode, String pass, double medianMs, double speedup) {
    }

    /** A layer ready to be timed. */
    record Subject(String mode, Layer layer) {
    }

    /**
     * @param sizes     layer widths (nIn = nOut)
     * @param densities G2G densities
     * @param batch     mini-batch size
     * @param repeats   timed repeats per measurement
     * @param out       CSV destination
     * @return the rows
     */
    public static List<Row> run(int[] sizes, double[] densities, int batch, int repeats, PrintStream out) {
        out.println("size,density,mode,pass,median_ms,speedup_vs_dense");
        List<Row> rows = new ArrayList<>();
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.builder().defaultWorkspace(WS, WS_CONF).build();
        for (int n : sizes) {
            INDArray x = Nd4j.rand(batch, n);
            INDArray eps = Nd4j.rand(batch, n).subi(0.5);
            Subject dense = new Subject("dense", layer(n, -1, false));
            for (double d : densities) {
                List<Subject> subjects = List.of(dense, new Subject("masked", layer(n, d, false)),
                        new Subject("structured", layer(n, d, true)));
                for (String pass : new String[] {"forward", "train"}) {
                    Runnable[] bodies = new Runnable[subjects.size()];
                    for (int i = 0; i < subjects.size(); i++) {
                        Layer l = subjects.get(i).layer();
                        bodies[i] = pass.equals("forward") ? () -> forward(l, x, mgr) : () -> train(l, x, eps, mgr);
                    }
                    int reps = n >= 4096 ? Math.max(5, repeats / 3) : repeats;
                    double[] ms = Timing.interleavedMedianMs(3, reps, bodies);
                    for (int i = 0; i < subjects.size(); i++) {
                        Layer l = subjects.get(i).layer();
                        double actual = l instanceof org.g2gnet.layers.G2GLayer g
                                ? g.activeConnections() / (double) g.totalConnections() : 1.0;
                        Row r = new Row(n, actual, subjects.get(i).mode(), pass, ms[i], ms[0] / ms[i]);
                        rows.add(r);
                        out.printf(Locale.ROOT, "%d,%s,%s,%s,%.3f,%.3f%n", r.size(),
                                r.mode().equals("dense") ? "1.0" : String.format(Locale.ROOT, "%.5f", actual), r.mode(),
                                r.pass(), r.medianMs(), r.speedup());
                    }
                }
            }
        }
        return rows;
    }

    private static void forward(Layer l, INDArray x, LayerWorkspaceMgr mgr) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(WS_CONF, WS)) {
            l.setInput(x, mgr);
            l.activate(false, mgr);
        }
    }

    private static void train(Layer l, INDArray x, INDArray eps, LayerWorkspaceMgr mgr) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(WS_CONF, WS)) {
            l.setInput(x, mgr);
            l.activate(true, mgr);
            l.backpropGradient(eps, mgr);
        }
        l.clear();
    }

    /**
     * @param n          width
     * @param density    G2G density, or &lt; 0 for DL4J's DenseLayer
     * @param structured structured execution (the density is then met to the nearest whole tile)
     * @return the initialised layer (with gradient views)
     */
    static Layer layer(int n, double density, boolean structured) {
        NeuralNetConfiguration.ListBuilder lb = new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(1e-3))
                .weightInit(WeightInit.RELU_UNIFORM).list();
        if (density < 0) {
            lb.layer(new DenseLayer.Builder().nIn(n).nOut(n).activation(Activation.RELU).build());
        } else {
            // G = 8 as in the paper; below its reachable minimum density (1/8 with pIntra = 1) use G = 16
            int groups = density < 0.125 ? 16 : 8;
            lb.layer(new G2GDenseLayer.Builder().nIn(n).nOut(n).activation(Activation.RELU).groups(groups).density(density)
                    .execution(structured ? Execution.STRUCTURED : Execution.MASKED).build());
        }
        lb.layer(new LossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build());
        lb.setInputType(org.deeplearning4j.nn.conf.inputs.InputType.feedForward(n));
        MultiLayerNetwork net = new MultiLayerNetwork(lb.build());
        net.init();
        net.initGradientsView();
        return net.getLayer(0);
    }
}
