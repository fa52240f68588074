package org.g2gnet.cli.compare;

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
import java.util.TreeMap;

import org.apache.commons.math3.stat.inference.TTest;
import org.g2gnet.cli.train.EpochMetrics;
import org.g2gnet.cli.train.OutputLock;

/**
 * results.csv (one row per model, seed and epoch), summary.md (mean +- std over seeds per model) and the
 * plots, all made from the run records (which are themselves read from the run files when reused).
 */
public final class Reports {
    /** Header of results.csv. */
    public static final String RESULTS_HEADER =
            "model,lr,seed,epoch,train_loss,test_loss,test_accuracy,val_accuracy,seconds,active_params,density";

    private Reports() {
    }

    /**
     * What a report wrote (compare's, report's and sweep's).
     *
     * @param summary the summary (markdown)
     * @param files   the files written, in the order written; plots with nothing to draw are not among them
     */
    public record Written(String summary, List<Path> files) {
        /** @return the files, comma-separated, for a command's closing "files:" line */
        public String fileList() {
            return String.join(", ", files.stream().map(Path::toString).toList());
        }
    }

    /**
     * Writes results.csv, summary.md and the plots. When the runs hold several learning rates per model, each
     * model's learning rate is chosen on its mean final validation accuracy over seeds, and the plots and the main
     * table show the chosen runs.
     *
     * @param runs every run
     * @param out  output directory
     * @return the summary and the files written
     */
    public static Written writeAll(List<RunRecord> runs, Path out) {
        try {
            Files.createDirectories(out);
            List<Path> files = new ArrayList<>();
            files.add(Files.writeString(out.resolve("results.csv"), resultsCsv(runs), StandardCharsets.UTF_8));
            List<RunRecord> shown = sweepsLearningRate(runs) ? chosen(runs) : runs;
            String summary = sweepsLearningRate(runs) ? learningRateSummary(runs) : summary(runs);
            files.add(Files.writeString(out.resolve("summary.md"), summary, StandardCharsets.UTF_8));
            Plots.accuracy(shown, out.resolve("accuracy.png"));
            files.add(out.resolve("accuracy.png"));
            Plots.dst(shown, out.resolve("dst.png")).ifPresent(files::add);
            Plots.mask(shown, out.resolve("mask.png")).ifPresent(files::add);
            Plots.eventEffects(shown, out.resolve("events.png")).ifPresent(files::add);
            return new Written(summary, List.copyOf(files));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the reports in " + out + ": "
                    + OutputLock.reason(e), e);
        }
    }

    static String resultsCsv(List<RunRecord> runs) {
        StringBuilder sb = new StringBuilder(RESULTS_HEADER).append('\n');
        for (RunRecord r : runs) {
            for (EpochMetrics m : r.epochs()) {
                sb.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%.6f,%.6f,%.6f,%s,%.3f,%d,%.6f%n", r.model().id(),
                        Comparison.lrName(r.lr()), r.seed(), m.epoch(), m.trainLoss(), m.testLoss(), m.testAccuracy(),
                        Double.isNaN(m.valAccuracy()) ? "" : String.format(Locale.ROOT, "%.6f", m.valAccuracy()),
                        m.seconds(), r.activeParams(), r.density()));
            }
        }
        return sb.toString();
    }

    /**
     * Mean and sample standard deviation.
     *
     * @param mean the mean
     * @param std  the sample standard deviation (0 for one value)
     * @param n    how many values
     */
    public record Stat(double mean, double std, int n) {
        /**
         * @param v values, at least one
         * @return their mean and sample standard deviation
         */
        public static Stat of(double[] v) {
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

        /** @return "mean ± std", or the mean alone for one value */
        public String format() {
            return n > 1 ? String.format(Locale.ROOT, "%.4f ± %.4f", mean, std) : String.format(Locale.ROOT, "%.4f", mean);
        }
    }

    /**
     * Welch's two-sided t-test (unequal variances) of two samples, from Apache Commons Math.
     *
     * @param a one sample
     * @param b the other
     * @return the p-value, or NaN when either sample has fewer than two values or both have no spread
     */
    public static double welchP(double[] a, double[] b) {
        if (a.length < 2 || b.length < 2) {
            return Double.NaN;
        }
        double va = Stat.of(a).std();
        double vb = Stat.of(b).std();
        if (va == 0 && vb == 0) {
            return Double.NaN;
        }
        return new TTest().tTest(a, b);
    }

    /**
     * @param p a p-value or NaN
     * @return "0.012", "&lt; 0.001" or "n/a"
     */
    public static String formatP(double p) {
        return Double.isNaN(p) ? "n/a" : p < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", p);
    }

    static Map<CompareModel, List<RunRecord>> byModel(List<RunRecord> runs) {
        Map<CompareModel, List<RunRecord>> m = new LinkedHashMap<>();
        for (RunRecord r : runs) {
            m.computeIfAbsent(r.model(), k -> new ArrayList<>()).add(r);
        }
        return m;
    }

    private static double[] finals(List<RunRecord> rs) {
        return rs.stream().mapToDouble(RunRecord::finalAccuracy).toArray();
    }

    static String summary(List<RunRecord> runs) {
        int epochs = runs.get(0).epochs().size();
        int seeds = byModel(runs).values().stream().mapToInt(List::size).max().orElse(0);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Test accuracy after %d epoch%s, mean ± std over %d seed%s%n%n", epochs,
                epochs == 1 ? "" : "s", seeds, seeds == 1 ? "" : "s"));
        sb.append(table(byModel(runs), false));
        sb.append(mixerComparisons(byModel(runs)));
        return sb.toString();
    }

    /**
     * The main table: one row per model.
     *
     * @param models    runs per model
     * @param withLr    whether to show each model's learning rate and validation accuracy
     */
    private static String table(Map<CompareModel, List<RunRecord>> models, boolean withLr) {
        CompareModel baseline = CompareModel.baseline(models.keySet());
        List<RunRecord> dense = baseline == null ? null : models.get(baseline);
        StringBuilder sb = new StringBuilder();
        sb.append(withLr ? "| model | lr | validation accuracy " : "| model ");
        sb.append("| final accuracy | best accuracy | final vs dense | p vs dense | active params | sparsity | s / epoch |\n");
        sb.append(withLr ? "|---|---|---|---|---|---|---|---|---|---|\n" : "|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<CompareModel, List<RunRecord>> e : models.entrySet()) {
            List<RunRecord> rs = e.getValue();
            Stat fin = Stat.of(finals(rs));
            Stat best = Stat.of(rs.stream().mapToDouble(RunRecord::bestAccuracy).toArray());
            Stat sec = Stat.of(rs.stream().mapToDouble(RunRecord::secondsPerEpoch).toArray());
            String delta = dense == null ? "n/a" : String.format(Locale.ROOT, "%+.4f", fin.mean() - Stat.of(finals(dense)).mean());
            String p = dense == null || e.getKey() == baseline ? "" : formatP(welchP(finals(rs), finals(dense)));
            sb.append("| ").append(e.getKey().id());
            if (withLr) {
                sb.append(" | ").append(Comparison.lrName(rs.get(0).lr())).append(" | ")
                        .append(Stat.of(rs.stream().mapToDouble(RunRecord::finalValidationAccuracy).toArray()).format());
            }
            sb.append(String.format(Locale.ROOT, " | %s | %s | %s | %s | %,d | %.1f%% | %.1f |%n", fin.format(),
                    best.format(), delta, p, rs.get(0).activeParams(), 100 * (1 - rs.get(0).density()), sec.mean()));
        }
        return sb.toString();
    }

    /** The paper's claim, model by model: g2g-mixer's final accuracy against every other model's. */
    private static String mixerComparisons(Map<CompareModel, List<RunRecord>> models) {
        CompareModel reference = CompareModel.g2gReference(models.keySet());
        List<RunRecord> mixer = reference == null ? null : models.get(reference);
        if (mixer == null || models.size() < 2) {
            return "";
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "%n%s against each model (final accuracy; Welch's t-test, two-sided)%n%n"
                        + "| model | %s minus model | pooled seed std | p |%n|---|---|---|---|%n", reference.id(),
                reference.id()));
        Stat m = Stat.of(finals(mixer));
        for (Map.Entry<CompareModel, List<RunRecord>> e : models.entrySet()) {
            if (e.getKey() == reference) {
                continue;
            }
            Stat other = Stat.of(finals(e.getValue()));
            double pooled = Math.sqrt((m.std() * m.std() + other.std() * other.std()) / 2);
            sb.append(String.format(Locale.ROOT, "| %s | %+.4f | %.4f | %s |%n", e.getKey().id(), m.mean() - other.mean(),
                    pooled, formatP(welchP(finals(mixer), finals(e.getValue())))));
        }
        return sb.toString();
    }

    /** @return whether some model was trained at more than one learning rate */
    static boolean sweepsLearningRate(List<RunRecord> runs) {
        return runs.stream().map(r -> r.model() + "@" + r.lr()).distinct().count()
                > runs.stream().map(RunRecord::model).distinct().count();
    }

    /**
     * Each model's runs at its chosen learning rate: the one with the highest mean final validation accuracy over
     * seeds (ties: the smaller learning rate). The test set plays no part in the choice.
     *
     * @param runs every run of a learning-rate sweep
     * @return the chosen runs, model by model
     */
    static List<RunRecord> chosen(List<RunRecord> runs) {
        List<RunRecord> out = new ArrayList<>();
        for (List<RunRecord> rs : byModel(runs).values()) {
            Map<Double, List<RunRecord>> byLr = new TreeMap<>();
            rs.forEach(r -> byLr.computeIfAbsent(r.lr(), k -> new ArrayList<>()).add(r));
            requireSameSeeds(byLr);
            double bestLr = Double.NaN;
            double bestVal = Double.NEGATIVE_INFINITY;
            for (Map.Entry<Double, List<RunRecord>> e : byLr.entrySet()) {
                double val = Stat.of(e.getValue().stream().mapToDouble(RunRecord::finalValidationAccuracy).toArray()).mean();
                if (Double.isNaN(val)) {
                    throw new IllegalStateException("run " + e.getValue().get(0).model() + " at lr " + e.getKey()
                            + " has no validation accuracy: a learning-rate sweep needs --validation");
                }
                if (val > bestVal) {
                    bestVal = val;
                    bestLr = e.getKey();
                }
            }
            out.addAll(byLr.get(bestLr));
        }
        return out;
    }

    /**
     * Means over different seeds are not comparable (seeds differ by more than learning rates do, often): a model's
     * learning rates must have been tried on the same seeds, or the choice would follow the seeds. This is what a
     * report of a sweep split into parts meets when a part is missing.
     */
    private static void requireSameSeeds(Map<Double, List<RunRecord>> byLr) {
        Map.Entry<Double, List<RunRecord>> first = byLr.entrySet().iterator().next();
        List<Long> seeds = first.getValue().stream().map(RunRecord::seed).sorted().toList();
        for (Map.Entry<Double, List<RunRecord>> e : byLr.entrySet()) {
            List<Long> other = e.getValue().stream().map(RunRecord::seed).sorted().toList();
            if (!other.equals(seeds)) {
                throw new IllegalStateException(String.format(Locale.ROOT, "%s has seeds %s at lr %s but %s at lr %s: "
                                + "each learning rate must be tried on the same seeds before one is chosen (a part "
                                + "of the sweep is missing?)", first.getValue().get(0).model().id(), seeds,
                        Comparison.lrName(first.getKey()), other, Comparison.lrName(e.getKey())));
            }
        }
    }

    /** The summary of a learning-rate sweep: validation accuracy per model and rate, then the chosen rates. */
    static String learningRateSummary(List<RunRecord> runs) {
        Map<CompareModel, List<RunRecord>> models = byModel(runs);
        List<Double> lrs = runs.stream().map(RunRecord::lr).distinct().sorted().toList();
        int epochs = runs.get(0).epochs().size();
        int seeds = (int) runs.stream().mapToLong(RunRecord::seed).distinct().count();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "Learning-rate sweep: %d epochs, %d seed%s; "
                + "each model's learning rate is chosen on its mean final validation accuracy (held-out training "
                + "images), then its test accuracy is reported%n%n", epochs, seeds, seeds == 1 ? "" : "s"));
        sb.append("Final validation accuracy, mean ± std over seeds\n\n| model |");
        lrs.forEach(lr -> sb.append(" lr ").append(Comparison.lrName(lr)).append(" |"));
        sb.append("\n|---|").append("---|".repeat(lrs.size())).append('\n');
        for (Map.Entry<CompareModel, List<RunRecord>> e : models.entrySet()) {
            sb.append("| ").append(e.getKey().id()).append(" |");
            for (double lr : lrs) {
                double[] v = e.getValue().stream().filter(r -> r.lr() == lr)
                        .mapToDouble(RunRecord::finalValidationAccuracy).toArray();
                sb.append(' ').append(v.length == 0 ? "" : Stat.of(v).format()).append(" |");
            }
            sb.append('\n');
        }
        sb.append("\nEach model at its own best learning rate (chosen on validation), test accuracy\n\n");
        Map<CompareModel, List<RunRecord>> best = byModel(chosen(runs));
        sb.append(table(best, true));
        sb.append(mixerComparisons(best));
        return sb.toString();
    }
}
