package org.g2gnet.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.g2gnet.ReferenceNetworks;
import org.g2gnet.rewiring.GrowthCriterion;
import org.g2gnet.rewiring.PruneCriterion;
import org.g2gnet.rewiring.RewiringListener;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Cost of dynamic sparse training on the paper network (784-1024x3-10, G2G Mixer, batch 256), as ratios to
 * a plain training iteration measured in the same run: an iteration with the listener attached but no
 * event due (Hebbian statistics must cost nothing), and one rewiring event per 1024x1024 layer for every
 * criterion pair.
 */
public final class RewiringBench {
    private RewiringBench() {
    }

    /** One row of the output. */
    record Row(String what, double medianMs, double ratio) {
    }

    /**
     * @param repeats timed iterations per measurement
     * @param out     where the CSV goes
     * @return the rows
     */
    public static List<Row> run(int repeats, PrintStream out) {
        ReferenceNetworks.Mlp o = ReferenceNetworks.mlp().totalIterations(10_000);
        DataSet batch = new DataSet(Nd4j.rand(256, 784), Nd4j.eye(10).repeat(0, 26).get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 256), org.nd4j.linalg.indexing.NDArrayIndex.all()));
        List<Row> rows = new ArrayList<>();
        out.println("what,median_ms,ratio_to_iteration");

        MultiLayerNetwork plain = net(o);
        MultiLayerNetwork idle = net(o);
        idle.setListeners(RewiringListener.builder().everyIterations(1_000_000).logEvents(false).build());
        double[] ms = Timing.interleavedMedianMs(5, repeats, () -> plain.fit(batch), () -> idle.fit(batch));
        double iteration = ms[0];
        rows.add(new Row("iteration", iteration, 1.0));
        rows.add(new Row("iteration_with_listener_no_event", ms[1], ms[1] / iteration));

        for (PruneCriterion p : PruneCriterion.values()) {
            for (GrowthCriterion g : GrowthCriterion.values()) {
                MultiLayerNetwork n = net(o);
                n.setListeners(RewiringListener.builder().everyIterations(1).prune(p).grow(g).logEvents(false).build());
                double eventIteration = Timing.medianMs(2, Math.max(3, repeats / 4), () -> n.fit(batch));
                double perLayer = (eventIteration - iteration) / 3;
                rows.add(new Row("event_per_layer_" + p.name().toLowerCase(Locale.ROOT) + "_"
                        + g.name().toLowerCase(Locale.ROOT), perLayer, perLayer / iteration));
            }
        }
        for (Row r : rows) {
            out.printf(Locale.ROOT, "%s,%.2f,%.3f%n", r.what(), r.medianMs(), r.ratio());
        }
        return rows;
    }

    private static MultiLayerNetwork net(ReferenceNetworks.Mlp o) {
        MultiLayerNetwork n = new MultiLayerNetwork(o.build(784, 10));
        n.init();
        return n;
    }
}
