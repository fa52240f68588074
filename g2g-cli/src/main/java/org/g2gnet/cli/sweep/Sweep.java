package org.g2gnet.cli.sweep;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.g2gnet.cli.compare.CompareModel;
import org.g2gnet.cli.compare.MatchedWidth;
import org.g2gnet.cli.compare.Reports;
import org.g2gnet.cli.compare.RunRecord;
import org.g2gnet.cli.train.DatasetLoader;
import org.g2gnet.cli.train.OutputLock;
import org.g2gnet.cli.train.TrainOptions;

/**
 * Runs a sweep: every point in turn (seed-major, so that a sweep stopped early already covers every point
 * once), reusing finished runs, resuming interrupted ones, printing progress with an ETA; then the cost part
 * (seconds per epoch of each model and execution, measured interleaved against dense) and the reports.
 */
public final class Sweep {
    /** The sparse models of the sparsity part, in report order. */
    public static final List<CompareModel> SPARSE = List.of(CompareModel.G2G_MIXER, CompareModel.G2G_MIXER_DST,
            CompareModel.ER, CompareModel.DENSE_MATCHED);
    /** Batch size of every run (the paper's). */
    static final int BATCH = 256;

    private Sweep() {
    }

    /**
     * One finished run of a sweep.
     *
     * @param point         what it is
     * @param groups        G of its G2G layers (0 for dense models, 1 for ER: one group at the density)
     * @param trainExamples training images it was trained on
     * @param options       its options
     * @param run           its record (per-epoch metrics, parameters)
     */
    public record Row(SweepPoint point, int groups, int trainExamples, TrainOptions options, RunRecord run) {
    }

    /**
     * What a sweep produced.
     *
     * @param rows    every run
     * @param cost    the cost part's measurements (empty without one)
     * @param reused  runs loaded instead of trained
     * @param summary sweep.md
     * @param out     the output directory
     */
    public record Result(List<Row> rows, List<CostMeasure.Cost> cost, int reused, String summary, Path out) {
    }

    /**
     * @param o   the sweep
     * @param log where progress goes
     * @return the result
     */
    public static Result run(SweepOptions o, PrintStream log) {
        // one sweep at a time in the output directory (each run also locks its own directory under runs/)
        try (OutputLock lock = OutputLock.acquire(o.out(), "sweep", log)) {
            return sweep(o, log);
        }
    }

    private static Result sweep(SweepOptions o, PrintStream log) {
        Data data = Data.load(o.dataset(), o.dataDir(), o.pool(), o.validation());
        Map<String, Planned> plan = new LinkedHashMap<>();
        Map<Double, Integer> matched = new HashMap<>();
        for (long seed = o.seeds().first(); seed <= o.seeds().last(); seed++) {
            List<SweepPoint> points = new ArrayList<>();
            if (!o.densities().isEmpty()) {
                points.add(new SweepPoint(CompareModel.DENSE, 1.0, 1.0, seed));
            }
            for (double d : o.densities()) {
                for (CompareModel m : SPARSE) {
                    points.add(new SweepPoint(m, d, 1.0, seed));
                }
            }
            for (double f : o.fractions()) {
                points.add(new SweepPoint(CompareModel.DENSE, 1.0, f, seed));
                for (CompareModel m : SPARSE) {
                    points.add(new SweepPoint(m, o.dataDensity(), f, seed));
                }
            }
            for (SweepPoint p : points) {
                int width = matched.computeIfAbsent(p.density(), d -> MatchedWidth.forG2G(
                        CompareModel.G2G_MIXER.options(protocol(o, d, 1.0, data.pool()), null, 1, 1), data.nIn(),
                        data.classes()));
                plan.putIfAbsent(p.dirName(), planned(o, p, data.pool(), width));
            }
        }
        log.printf(Locale.ROOT, "sweep: %d runs (%s) of %d epochs on %s (%d training images at 100%%, %d held out "
                        + "for validation); groups per density: %s; output in %s%n", plan.size(), o.seeds(),
                o.epochs(), o.dataset(), data.pool(), o.validation(), groupsText(o), o.out());

        Map<Planned, RunQueue.Job> jobs = new LinkedHashMap<>();
        for (Planned p : plan.values()) {
            jobs.put(p, new RunQueue.Job(p.point().label(), p.point().model(), p.point().seed(), p.options(),
                    p.work()));
        }
        RunQueue.Outcome done = RunQueue.run(List.copyOf(jobs.values()), o.reuse(), log);
        List<Row> rows = new ArrayList<>();
        for (Planned p : plan.values()) {
            rows.add(new Row(p.point(), p.groups(), p.trainExamples(), p.options(), done.records().get(jobs.get(p))));
        }
        List<CostMeasure.Cost> cost = o.costRounds() == 0 ? List.of()
                : CostMeasure.measureOrReuse(o, matched, data.pool(), data.nIn(), data.classes(), data.split(), log);
        Reports.Written written = SweepReports.writeAll(o, rows, cost, o.out());
        log.println();
        log.println(written.summary());
        log.printf(Locale.ROOT, "files: %s (runs in %s)%n", written.fileList(), o.out().resolve("runs"));
        return new Result(rows, cost, done.reused(), written.summary(), o.out());
    }

    /**
     * The data of a sweep, loaded once: the split, the input and class counts, and the training pool left after the
     * validation images.
     */
    record Data(DatasetLoader.Split split, int nIn, int classes, int pool) {
        static Data load(String dataset, Path dataDir, int poolOption, int validation) {
            DatasetLoader.Split all = DatasetLoader.load(dataset, dataDir, 0, validation);
            int available = all.train().count();
            int pool = poolOption > 0 ? Math.min(available, poolOption - validation) : available;
            if (pool < 1) {
                throw new IllegalArgumentException("--pool " + poolOption + " leaves no training image after the "
                        + validation + " validation images");
            }
            return new Data(all, all.train().featureSize(), all.train().numClasses(), pool);
        }
    }

    /** A run to do or reuse. */
    private record Planned(SweepPoint point, int groups, int trainExamples, TrainOptions options) {
        double work() {
            return (double) trainExamples * options.protocol().epochs()
                    * (point.model() == CompareModel.DENSE_MATCHED ? 0.3 : 1.0);
        }
    }

    private static Planned planned(SweepOptions o, SweepPoint p, int pool, int matchedWidth) {
        TrainOptions opts = runOptions(o, p, pool, matchedWidth);
        int groups = p.model() == CompareModel.ER ? 1
                : p.model() == CompareModel.DENSE || p.model() == CompareModel.DENSE_MATCHED ? 0 : opts.model().groups();
        return new Planned(p, groups, trainExamples(p.fraction(), pool), opts);
    }

    /**
     * @param o            the sweep
     * @param p            the point
     * @param pool         training images at 100%
     * @param matchedWidth dense-matched's width at the point's density
     * @return the options of the point's run
     */
    static TrainOptions runOptions(SweepOptions o, SweepPoint p, int pool, int matchedWidth) {
        Path dir = o.out().resolve("runs").resolve(p.dirName());
        // ER is one group at the density (ReferenceNetworks), the same network whatever G and intra share the G2G
        // runs have: it is planned with one structure, the sweeps' first rule (half), so that its fingerprint does
        // not change with --groups or --intra-share and a sweep with another structure reuses its finished runs
        boolean er = p.model() == CompareModel.ER;
        TrainOptions base = protocol(o, p.density(), p.fraction(), pool, er ? SweepGroups.HALF : o.groups(),
                er ? null : o.runIntraShare());
        return p.model().options(base, null, matchedWidth, p.seed()).toBuilder().out(dir).resume(o.resume()).build();
    }

    /** The training images of a share of the pool (at least one batch). */
    static int trainExamples(double fraction, int pool) {
        return Math.max(BATCH, Math.min(pool, (int) Math.round(fraction * pool)));
    }

    /**
     * The protocol of one point: the paper's (Adam 1e-3 cosine, weight decay 1e-4, batch 256) at the sweep's
     * width, with G chosen for the density by the sweep's rule ({@link SweepGroups}) and rewiring every fifth of the run
     * (about the paper's 4.7 events per run of 4,700 iterations, whatever the training-set size).
     */
    static TrainOptions protocol(SweepOptions o, double density, double fraction, int pool) {
        return protocol(o, density, fraction, pool, o.groups(), o.runIntraShare());
    }

    /**
     * @param groups     the rule for G
     * @param intraShare the intra share, or null for pIntra 1
     */
    private static TrainOptions protocol(SweepOptions o, double density, double fraction, int pool, SweepGroups groups,
                                         Double intraShare) {
        int train = trainExamples(fraction, pool);
        int total = (train + BATCH - 1) / BATCH * o.epochs();
        TrainOptions.Builder b = TrainOptions.builder().width(o.width()).layers(o.layers()).epochs(o.epochs())
                .batch(BATCH).dataset(o.dataset()).dataDir(o.dataDir()).validation(o.validation())
                .trainLimit(train).progress(false).logEvery(0).checkpointEvery(o.checkpointEvery())
                .rewireEvery(Math.max(1, total / 5));
        if (density < 1) {
            b.groups(groups.at(density)).density(density).intraShare(intraShare);
        }
        return b.build();
    }

    private static String groupsText(SweepOptions o) {
        StringBuilder sb = new StringBuilder();
        for (double d : o.densities()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(SweepPoint.number(d)).append(" -> G = ")
                    .append(o.groups().at(d));
        }
        Double s = o.runIntraShare();
        String share = s == null ? "" : ", intra share " + s;
        return (sb.length() == 0 ? "G = " + o.groups().at(o.dataDensity()) : sb) + share;
    }
}
