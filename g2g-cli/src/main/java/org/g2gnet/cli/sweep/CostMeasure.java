package org.g2gnet.cli.sweep;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.g2gnet.cli.compare.CompareModel;
import org.g2gnet.cli.train.DatasetLoader;
import org.g2gnet.cli.train.ModelFactory;
import org.g2gnet.cli.train.TrainOptions;
import org.g2gnet.conf.Execution;
import org.g2gnet.data.ShufflingDataSetIterator;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The cost part of a sweep: seconds per training iteration of every model and execution at every density,
 * measured interleaved with dense in the same rounds (so that the machine's load affects all alike), and turned
 * into seconds per epoch of the sweep's 100% training set. Training runs of a sweep report their own seconds too,
 * but those are measured whenever each run happened; these ratios are measured side by side.
 *
 * <p>A hand-written loop rather than a benchmark harness (JMH): it times whole DL4J {@code fit} calls of
 * networks built exactly as the sweep trains them, a few hundred milliseconds each, where a harness adds
 * nothing but a second build.</p>
 */
public final class CostMeasure {
    /** Name of the cost part's file in the sweep's output directory. */
    static final String CSV = "cost.csv";

    /** Header of cost.csv. */
    public static final String HEADER = "density,model,execution,groups,seconds_per_iteration,p25,p75,"
            + "seconds_per_epoch,time_vs_dense";
    /** Iterations per timed block. */
    static final int BLOCK = 4;
    /** Warm-up iterations per network. */
    static final int WARMUP = 3;

    private CostMeasure() {
    }

    /**
     * One model and execution at one density.
     *
     * @param density          the density (1 for dense)
     * @param model            the model
     * @param execution        masked, structured or dense
     * @param groups           G (0 for dense models)
     * @param secondsPerIter   median seconds per training iteration
     * @param p25              25th percentile
     * @param p75              75th percentile
     * @param secondsPerEpoch  median seconds per epoch of the sweep's 100% training set
     * @param timeVsDense      this model's time over dense's, measured in the same rounds (below 1: faster)
     */
    public record Cost(double density, CompareModel model, String execution, int groups, double secondsPerIter,
                       double p25, double p75, double secondsPerEpoch, double timeVsDense) {
        /** @return the row of cost.csv */
        public String csv() {
            return String.format(Locale.ROOT, "%s,%s,%s,%d,%.6f,%.6f,%.6f,%.3f,%.4f", SweepPoint.number(density),
                    model.id(), execution, groups, secondsPerIter, p25, p75, secondsPerEpoch, timeVsDense);
        }

        /** @return the spread p25-p75 as a share of the median */
        public double spread() {
            return (p75 - p25) / secondsPerIter;
        }

        static Cost parse(String row) {
            String[] f = row.split(",");
            return new Cost(Double.parseDouble(f[0]), CompareModel.parseList(f[1]).get(0), f[2], Integer.parseInt(f[3]),
                    Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6]), Double.parseDouble(f[7]),
                    Double.parseDouble(f[8]));
        }
    }

    /**
     * Measures, or reads cost.csv when it was measured with the same settings (so that re-running a finished
     * sweep does not change its figures).
     *
     * @param o        the sweep
     * @param matched  dense-matched width per density
     * @param pool     training images at 100%
     * @param nIn      input features
     * @param classes  classes
     * @param data     the data (batches are taken from its training set)
     * @param log      where progress goes
     * @return one row per density, model and execution
     */
    static List<Cost> measureOrReuse(SweepOptions o, Map<Double, Integer> matched, int pool, int nIn, int classes,
                                     DatasetLoader.Split data, PrintStream log) {
        Path csv = o.out().resolve(CSV);
        String settings = String.format(Locale.ROOT, "# width=%d layers=%d densities=%s rounds=%d pool=%d", o.width(),
                o.layers(), o.densities(), o.costRounds(), pool);
        try {
            if (Files.isRegularFile(csv)) {
                List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
                if (lines.size() > 2 && lines.get(0).equals(settings) && lines.get(1).equals(HEADER)) {
                    log.println("sweep: reusing the cost measurements in " + csv);
                    return lines.subList(2, lines.size()).stream().map(Cost::parse).toList();
                }
            }
            List<Cost> cost = measure(o, matched, pool, nIn, classes, data, log);
            StringBuilder sb = new StringBuilder(settings).append('\n').append(HEADER).append('\n');
            cost.forEach(c -> sb.append(c.csv()).append('\n'));
            Files.createDirectories(o.out());
            Files.writeString(csv, sb.toString(), StandardCharsets.UTF_8);
            return cost;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + csv, e);
        }
    }

    private record Candidate(CompareModel model, String execution, int groups, MultiLayerNetwork net, List<Double> times) {
    }

    static List<Cost> measure(SweepOptions o, Map<Double, Integer> matched, int pool, int nIn, int classes,
                              DatasetLoader.Split data, PrintStream log) {
        int itersPerEpoch = (pool + Sweep.BATCH - 1) / Sweep.BATCH;
        ShufflingDataSetIterator it = new ShufflingDataSetIterator(data.train().head(Sweep.BATCH * BLOCK),
                Sweep.BATCH, false, 0, null);
        List<DataSet> batches = new ArrayList<>();
        while (it.hasNext()) {
            batches.add(it.next());
        }
        List<Double> densities = new ArrayList<>(o.densities());
        if (densities.isEmpty()) {
            densities.add(o.dataDensity());
        }
        List<Cost> out = new ArrayList<>();
        for (double d : densities) {
            TrainOptions base = Sweep.protocol(o, d, 1.0, pool);
            List<Candidate> cs = new ArrayList<>();
            cs.add(candidate(CompareModel.DENSE, "dense", 0, CompareModel.DENSE.options(base, null, 1, 1), nIn, classes));
            cs.add(candidate(CompareModel.DENSE_MATCHED, "dense", 0,
                    CompareModel.DENSE_MATCHED.options(base, null, matched.get(d), 1), nIn, classes));
            cs.add(candidate(CompareModel.ER, "masked", 1, CompareModel.ER.options(base, null, 1, 1), nIn, classes));
            TrainOptions mixer = CompareModel.G2G_MIXER.options(base, null, 1, 1);
            cs.add(candidate(CompareModel.G2G_MIXER, "masked", mixer.model().groups(), mixer, nIn, classes));
            try {
                TrainOptions structured = mixer.toBuilder().execution(Execution.STRUCTURED).build();
                cs.add(candidate(CompareModel.G2G_MIXER, "structured", mixer.model().groups(), structured, nIn, classes));
            } catch (IllegalArgumentException e) {
                log.printf(Locale.ROOT, "sweep: no structured execution at density %s (%s)%n", SweepPoint.number(d),
                        e.getMessage());
            }
            for (Candidate c : cs) {
                for (int i = 0; i < WARMUP; i++) {
                    c.net().fit(batches.get(i % batches.size()));
                }
            }
            for (int r = 0; r < o.costRounds(); r++) {
                for (int k = 0; k < cs.size(); k++) {
                    Candidate c = cs.get((k + r) % cs.size());
                    long t0 = System.nanoTime();
                    for (DataSet b : batches) {
                        c.net().fit(b);
                    }
                    c.times().add((System.nanoTime() - t0) / 1e9 / batches.size());
                }
            }
            double dense = median(cs.get(0).times());
            for (Candidate c : cs) {
                double m = median(c.times());
                out.add(new Cost(c.model() == CompareModel.DENSE ? 1.0 : d, c.model(), c.execution(), c.groups(), m,
                        quantile(c.times(), 0.25), quantile(c.times(), 0.75), m * itersPerEpoch, m / dense));
            }
            log.printf(Locale.ROOT, "sweep: cost at density %s measured (%d networks x %d rounds)%n",
                    SweepPoint.number(d), cs.size(), o.costRounds());
        }
        return out;
    }

    private static Candidate candidate(CompareModel m, String execution, int groups, TrainOptions opts, int nIn,
                                       int classes) {
        MultiLayerNetwork net = new MultiLayerNetwork(ModelFactory.build(opts, nIn, classes, 1000));
        net.init();
        return new Candidate(m, execution, groups, net, new ArrayList<>());
    }

    static double median(List<Double> v) {
        return quantile(v, 0.5);
    }

    static double quantile(List<Double> v, double q) {
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double pos = q * (s.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(s.length - 1, lo + 1);
        return s[lo] + (s[hi] - s[lo]) * (pos - lo);
    }
}
