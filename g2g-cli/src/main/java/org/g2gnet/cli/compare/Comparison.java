package org.g2gnet.cli.compare;

import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.g2gnet.cli.train.DatasetLoader;
import org.g2gnet.cli.train.OutputLock;
import org.g2gnet.cli.train.ProtocolOptions;
import org.g2gnet.cli.train.TrainOptions;

/**
 * Runs a comparison: every (model, seed) in turn, reusing runs already finished in the output directory
 * with the same options, with an overall progress line and an ETA after every epoch; then writes
 * results.csv, summary.md and the plots.
 */
public final class Comparison {
    private Comparison() {
    }

    /**
     * What a comparison produced.
     *
     * @param runs    every run, in report order
     * @param reused  how many runs were loaded instead of trained
     * @param summary the summary table (markdown)
     * @param out     the output directory
     */
    public record Result(List<RunRecord> runs, int reused, String summary, Path out) {
    }

    /**
     * @param o   the comparison
     * @param log where progress is printed
     * @return the result
     */
    public static Result run(CompareOptions o, PrintStream log) {
        // one comparison at a time in the output directory (each run also locks its own directory under runs/)
        try (OutputLock lock = OutputLock.acquire(o.out(),
                "compare", log)) {
            return compare(o, log);
        }
    }

    private static Result compare(CompareOptions o, PrintStream log) {
        // the data is read once here only to learn the shapes; each run reads it again (cheap: ~1 s)
        ProtocolOptions protocol = o.base().protocol();
        DatasetLoader.Split data = DatasetLoader.load(protocol.dataset(), protocol.dataDir(), protocol.trainLimit());
        int nIn = data.train().featureSize();
        int classes = data.train().numClasses();
        int matched = o.models().contains(CompareModel.DENSE_MATCHED)
                ? MatchedWidth.forG2G(CompareModel.G2G_MIXER.options(o.base(), o.dst(), 1, 1), nIn, classes) : 0;

        // seed-major: every model's seed 1 first, so that a comparison stopped early already compares all models
        List<Planned> plan = new ArrayList<>();
        for (long seed = o.seeds().first(); seed <= o.seeds().last(); seed++) {
            for (CompareModel m : o.models()) {
                for (double lr : o.learningRates()) {
                    TrainOptions opts = m.options(o.base().toBuilder().lr(lr).build(), o.dst(), matched, seed);
                    String name = m.id() + (o.sweepsLearningRate() ? "-lr" + lrName(lr) : "") + "-s" + seed;
                    Path dir = o.out().resolve("runs").resolve(name);
                    boolean resume = o.base().output().resume();
                    plan.add(new Planned(m, seed, lr, opts.toBuilder().out(dir).resume(resume).build(), dir));
                }
            }
        }
        log.printf(Locale.ROOT, "compare: %d models x %d seed%s%s%s = %d runs of %d epochs on %s; %s"
                        + "output in %s%n", o.models().size(), o.seeds().count(), o.seeds().count() == 1 ? "" : "s",
                o.seeds().first() == 1 ? "" : " (" + o.seeds() + ")",
                o.sweepsLearningRate() ? " x " + o.lrs().size() + " learning rate" + (o.lrs().size() == 1 ? "" : "s")
                        : "", plan.size(),
                protocol.epochs(), protocol.dataset(), matched > 0 ? "dense-matched width " + matched + "; " : "",
                o.out());

        Map<Path, String> fingerprints = new LinkedHashMap<>();
        plan.forEach(p -> fingerprints.put(p.dir(), p.options().fingerprint()));
        RunRecord.refuseOverwritingFinished(fingerprints);

        RunRecord[] finished = new RunRecord[plan.size()];
        int reused = 0;
        int epochsTotal = 0;
        int runs = 0;
        for (int i = 0; i < plan.size(); i++) {
            Planned p = plan.get(i);
            finished[i] = RunRecord.load(p.dir(), p.model(), p.seed(), p.lr(), p.options().fingerprint());
            if (finished[i] != null) {
                reused++;
            } else {
                runs++;
                epochsTotal += p.options().protocol().epochs();
            }
        }
        if (reused > 0) {
            log.printf(Locale.ROOT, "compare: reusing %d finished run%s from %s%n", reused, reused == 1 ? "" : "s",
                    o.out().resolve("runs"));
        }
        long start = System.nanoTime();
        int[] epochsDone = {0};
        int[] epochsPlanned = {epochsTotal};
        int runIndex = 0;
        List<RunRecord> records = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            Planned p = plan.get(i);
            RunRecord r = finished[i];
            if (r == null) {
                runIndex++;
                int index = runIndex;
                int runCount = runs;
                boolean[] firstEpoch = {true};
                String label = p.model() + (o.sweepsLearningRate() ? " lr " + lrName(p.lr()) : "") + " seed " + p.seed();
                log.printf(Locale.ROOT, "[%d/%d] %s%n", index, runCount, label);
                r = RunRecord.train(p.model(), p.seed(), p.options(), indented(log), m -> {
                    if (firstEpoch[0]) {
                        // a resumed run starts after the epochs its checkpoint already holds
                        epochsPlanned[0] -= m.epoch() - 1;
                        firstEpoch[0] = false;
                    }
                    int total = epochsPlanned[0];
                    epochsDone[0]++;
                    double elapsed = (System.nanoTime() - start) / 1e9;
                    double eta = elapsed / epochsDone[0] * (total - epochsDone[0]);
                    log.printf(Locale.ROOT, "[%d/%d] %s: epoch %d/%d test accuracy %.4f | overall %d%%, "
                                    + "elapsed %s, ETA %s%n", index, runCount, label, m.epoch(),
                            p.options().protocol().epochs(), m.testAccuracy(), 100 * epochsDone[0] / Math.max(1, total),
                            duration(elapsed), duration(eta));
                });
            }
            records.add(r);
        }
        // reports list the models in the order given, each with its seeds in order
        records.sort(Comparator.<RunRecord>comparingInt(r -> o.models().indexOf(r.model()))
                .thenComparingDouble(RunRecord::lr).thenComparingLong(RunRecord::seed));
        Reports.Written written = Reports.writeAll(records, o.out());
        log.println();
        log.println(written.summary());
        log.printf(Locale.ROOT, "files: %s (runs in %s)%n", written.fileList(), o.out().resolve("runs"));
        return new Result(records, reused, written.summary(), o.out());
    }

    /** A run to do. */
    private record Planned(CompareModel model, long seed, double lr, TrainOptions options, Path dir) {
    }

    /**
     * @param lr a learning rate
     * @return it as a short, file-name-safe text: 0.001, 0.002, 0.0003
     */
    public static String lrName(double lr) {
        return BigDecimal.valueOf(lr).stripTrailingZeros().toString();
    }

    /**
     * @param seconds a duration
     * @return "4m05s" or "2h07m"
     */
    public static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    /**
     * @param log a stream
     * @return a stream that writes to it with every line indented by four spaces
     */
    public static PrintStream indented(PrintStream log) {
        return new PrintStream(new OutputStream() {
            private boolean lineStart = true;

            @Override
            public void write(int b) {
                if (lineStart) {
                    log.print("    ");
                }
                log.write(b);
                lineStart = b == '\n';
            }

            @Override
            public void flush() {
                log.flush();
            }
        }, true, StandardCharsets.UTF_8);
    }
}
