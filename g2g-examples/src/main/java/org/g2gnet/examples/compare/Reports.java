package org.g2gnet.examples.compare;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.g2gnet.examples.train.EpochMetrics;

/**
 * results.csv (one row per model, seed and epoch), summary.md (mean +- std over seeds per model) and the
 * plots, all made from the run records (which are themselves read from the run files when reused).
 */
public final class Reports {
    /** Header of results.csv. */
    public static final String RESULTS_HEADER =
            "model,seed,epoch,train_loss,test_loss,test_accuracy,seconds,active_params,density";

    private Reports() {
    }

    /**
     * @param runs every run
     * @param out  output directory
     * @return the summary table (markdown)
     */
    public static String writeAll(List<RunRecord> runs, Path out) {
        try {
            Files.createDirectories(out);
            Files.writeString(out.resolve("results.csv"), resultsCsv(runs), StandardCharsets.UTF_8);
            String summary = summary(runs);
            Files.writeString(out.resolve("summary.md"), summary, StandardCharsets.UTF_8);
            Plots.accuracy(runs, out.resolve("accuracy.png"));
            Plots.dst(runs, out.resolve("dst.png"));
            Plots.mask(runs, out.resolve("mask.png"));
            Plots.eventEffects(runs, out.resolve("events.png"));
            return summary;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the reports in " + out, e);
        }
    }

    static String resultsCsv(List<RunRecord> runs) {
        StringBuilder sb = new StringBuilder(RESULTS_HEADER).append('\n');
        for (RunRecord r : runs) {
            for (EpochMetrics m : r.epochs()) {
                sb.append(String.format(Locale.ROOT, "%s,%d,%d,%.6f,%.6f,%.6f,%.3f,%d,%.6f%n", r.model().id(), r.seed(),
                        m.epoch(), m.trainLoss(), m.testLoss(), m.testAccuracy(), m.seconds(), r.activeParams(),
                        r.density()));
            }
        }
        return sb.toString();
    }

    /** Mean and sample standard deviation. */
    record Stat(double mean, double std, int n) {
        static Stat of(double[] v) {
            double m = 0;
            for (double x : v) {
                m += x;
            }
            m /= v.length;
            double ss = 0;
            for (double x : v) {
                ss += (x - m) * (x - m);
            }
            return new Stat(m, v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0, v.length);
        }

        String format() {
            return n > 1 ? String.format(Locale.ROOT, "%.4f ± %.4f", mean, std) : String.format(Locale.ROOT, "%.4f", mean);
        }
    }

    static Map<CompareModel, List<RunRecord>> byModel(List<RunRecord> runs) {
        Map<CompareModel, List<RunRecord>> m = new LinkedHashMap<>();
        for (RunRecord r : runs) {
            m.computeIfAbsent(r.model(), k -> new ArrayList<>()).add(r);
        }
        return m;
    }

    static String summary(List<RunRecord> runs) {
        Map<CompareModel, List<RunRecord>> models = byModel(runs);
        List<RunRecord> dense = models.get(CompareModel.DENSE);
        Double denseFinal = dense == null ? null
                : Stat.of(dense.stream().mapToDouble(RunRecord::finalAccuracy).toArray()).mean();
        int epochs = runs.get(0).epochs().size();
        int seeds = models.values().stream().mapToInt(List::size).max().orElse(0);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Test accuracy after %d epoch%s, mean ± std over %d seed%s%n%n", epochs,
                epochs == 1 ? "" : "s", seeds, seeds == 1 ? "" : "s"));
        sb.append("| model | final accuracy | best accuracy | final vs dense | active params | sparsity | s / epoch |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
        for (Map.Entry<CompareModel, List<RunRecord>> e : models.entrySet()) {
            List<RunRecord> rs = e.getValue();
            Stat fin = Stat.of(rs.stream().mapToDouble(RunRecord::finalAccuracy).toArray());
            Stat best = Stat.of(rs.stream().mapToDouble(RunRecord::bestAccuracy).toArray());
            Stat sec = Stat.of(rs.stream().mapToDouble(RunRecord::secondsPerEpoch).toArray());
            String delta = denseFinal == null ? "n/a" : String.format(Locale.ROOT, "%+.4f", fin.mean() - denseFinal);
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %,d | %.1f%% | %.1f |%n", e.getKey().id(),
                    fin.format(), best.format(), delta, rs.get(0).activeParams(), 100 * (1 - rs.get(0).density()),
                    sec.mean()));
        }
        return sb.toString();
    }
}
