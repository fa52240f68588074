package org.g2gnet.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.g2gnet.G2GNetworks;
import org.g2gnet.conf.Execution;
import org.g2gnet.data.FashionMnist;
import org.g2gnet.data.ShufflingDataSetIterator;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Structured execution for speed: the same G2G network (784 - 3 x width - 10, Mixer, density 0.25) in masked
 * execution (dense W times a 0/1 mask: the paper's semantics, no faster than dense) and in structured execution
 * (compact weights, one gather and one batched GEMM over the groups per layer; inter-group links are whole
 * tiles), timed against DL4J's DenseLayer network on the same batches, interleaved, median of the rounds.
 *
 * <pre>./g2g example structured [DATA_DIR [WIDTH [ROUNDS]]]</pre>
 */
public final class StructuredSpeed {
    private StructuredSpeed() {
    }

    /**
     * Median milliseconds per training iteration (forward, backward, Adam update).
     *
     * @param dense      DL4J DenseLayers
     * @param masked     G2G, masked execution
     * @param structured G2G, structured execution
     */
    public record Result(double dense, double masked, double structured) {
        /** @return dense time / structured time: above 1, structured is faster */
        public double structuredSpeedup() {
            return dense / structured;
        }
    }

    /**
     * @param dataDir Fashion-MNIST files
     * @param width   hidden width (a multiple of 8)
     * @param rounds  interleaved timing rounds
     * @return the medians
     */
    public static Result run(Path dataDir, int width, int rounds) {
        ShufflingDataSetIterator it = new ShufflingDataSetIterator(FashionMnist.train(dataDir).head(256 * 4), 256,
                false, 0, null);
        List<DataSet> batches = new ArrayList<>();
        it.forEachRemaining(batches::add);
        MultiLayerNetwork[] nets = {net(width, null), net(width, Execution.MASKED), net(width, Execution.STRUCTURED)};
        System.out.println(G2GNetworks.sparsityReport(nets[2]));
        List<List<Double>> times = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int r = -2; r < rounds; r++) {          // two warm-up rounds, not counted
            for (int k = 0; k < nets.length; k++) {
                long t0 = System.nanoTime();
                for (DataSet b : batches) {
                    nets[k].fit(b);
                }
                if (r >= 0) {
                    times.get(k).add((System.nanoTime() - t0) / 1e6 / batches.size());
                }
            }
        }
        Result res = new Result(median(times.get(0)), median(times.get(1)), median(times.get(2)));
        System.out.printf("ms per training iteration (batch 256, median of %d rounds): dense %.1f, G2G masked %.1f "
                        + "(%.2fx dense's speed), G2G structured %.1f (%.2fx)%n", rounds, res.dense(), res.masked(),
                res.dense() / res.masked(), res.structured(), res.structuredSpeedup());
        return res;
    }

    private static MultiLayerNetwork net(int width, Execution execution) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(5).updater(new Adam(1e-3))
                .weightInit(WeightInit.RELU_UNIFORM).list();
        if (execution == null) {
            list.layer(new DenseLayer.Builder().nIn(784).nOut(width).activation(Activation.RELU).build());
            list.layer(new DenseLayer.Builder().nIn(width).nOut(width).activation(Activation.RELU).build());
            list.layer(new DenseLayer.Builder().nIn(width).nOut(width).activation(Activation.RELU).build());
        } else {
            G2GNetworks.mixerStack(784, new int[] {width, width, width},
                    b -> b.activation(Activation.RELU).groups(8).density(0.25).execution(execution)).forEach(list::layer);
        }
        MultiLayerNetwork n = new MultiLayerNetwork(list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nIn(width).nOut(10).activation(Activation.SOFTMAX).build()).build());
        n.init();
        return n;
    }

    private static double median(List<Double> v) {
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /**
     * @param args [data directory [width [rounds]]]
     */
    public static void main(String[] args) {
        int width = ExampleArgs.intArg(args, 1, "WIDTH (a multiple of 8)", 1024, 64);
        if (width % 8 != 0) {
            throw new IllegalArgumentException("argument 2 (WIDTH) must be a multiple of 8 (the example's 8 groups), got "
                    + width);
        }
        run(ExampleArgs.pathArg(args, 0, FashionMnist.DEFAULT_DIR), width, ExampleArgs.intArg(args, 2, "ROUNDS", 5, 1));
    }
}
