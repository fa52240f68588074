package org.g2gnet.cli.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

import org.g2gnet.cli.compare.CompareModel;
import org.g2gnet.cli.compare.Reports.Stat;
import org.g2gnet.cli.compare.Reports;

/**
 * sweep.csv (one row per run), sweep.md (the tables and a reading of them) and the plots, all made from the run
 * records and the cost measurements.
 */
public final class SweepReports {
    /** Header of sweep.csv. */
    public static final String HEADER = "model,seed,density,groups,train_fraction,train_examples,epochs,"
            + "final_test_accuracy,best_test_accuracy,validation_accuracy,active_params,seconds_per_epoch,execution";

    private SweepReports() {
    }

    /**
     * @param o    the sweep
     * @param rows its runs
     * @param cost its cost measurements (written to cost.csv by {@link CostMeasure}); empty without a cost part
     * @param out  the output directory
     * @return sweep.md and the files: sweep.csv, cost.csv when there is a cost part, sweep.md and the plots of the
     *         parts the sweep has
     */
    static Reports.Written writeAll(SweepOptions o, List<Sweep.Row> rows, List<CostMeasure.Cost> cost, Path out) {
        try {
            Files.createDirectories(out);
            List<Path> files = new ArrayList<>();
            files.add(Files.writeString(out.resolve("sweep.csv"), csv(rows), StandardCharsets.UTF_8));
            if (!cost.isEmpty()) {
                files.add(out.resolve(CostMeasure.CSV));
            }
            String md = summary(o, rows, cost);
            files.add(Files.writeString(out.resolve("sweep.md"), md, StandardCharsets.UTF_8));
            SweepPlots.density(o, rows, out.resolve("accuracy-vs-density.png")).ifPresent(files::add);
            SweepPlots.data(o, rows, out.resolve("accuracy-vs-data.png")).ifPresent(files::add);
            SweepPlots.time(o, rows, cost, out.resolve("accuracy-vs-time.png")).ifPresent(files::add);
            return new Reports.Written(md, List.copyOf(files));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sweep's reports in " + out, e);
        }
    }

    static String csv(List<Sweep.Row> rows) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (Sweep.Row r : rows) {
            SweepPoint p = r.point();
            boolean dense = p.model() == CompareModel.DENSE || p.model() == CompareModel.DENSE_MATCHED;
            double val = r.run().finalValidationAccuracy();
            sb.append(String.format(Locale.ROOT, "%s,%d,%s,%d,%s,%d,%d,%.6f,%.6f,%s,%d,%.3f,%s%n", p.model().id(),
                    p.seed(), SweepPoint.number(p.density()), r.groups(), SweepPoint.number(p.fraction()),
                    r.trainExamples(), r.run().epochs().size(), r.run().finalAccuracy(), r.run().bestAccuracy(),
                    Double.isNaN(val) ? "" : String.format(Locale.ROOT, "%.6f", val), r.run().activeParams(),
                    r.run().secondsPerEpoch(), dense ? "dense" : "masked"));
        }
        return sb.toString();
    }

    /** Final test accuracies of the runs that match, one per seed. */
    static double[] accuracies(List<Sweep.Row> rows, Predicate<Sweep.Row> which) {
        return rows.stream().filter(which).mapToDouble(r -> r.run().finalAccuracy()).toArray();
    }

    static Predicate<Sweep.Row> at(CompareModel m, double density, double fraction) {
        return r -> r.point().model() == m && r.point().fraction() == fraction
                && (m == CompareModel.DENSE || r.point().density() == density);
    }

    private static String cell(double[] v) {
        return v.length == 0 ? "" : Stat.of(v).format();
    }

    static String summary(SweepOptions o, List<Sweep.Row> rows, List<CostMeasure.Cost> cost) {
        StringBuilder sb = new StringBuilder();
        int seeds = (int) rows.stream().mapToLong(r -> r.point().seed()).distinct().count();
        String rule = o.groups().describe(o.intraShare());
        sb.append(String.format(Locale.ROOT, "Sweep: width %d x %d hidden layers, %d epochs, %d seed%s, final test "
                        + "accuracy (mean ± std over seeds). G per density: %s.%n%n", o.width(), o.layers(),
                o.epochs(), seeds, seeds == 1 ? "" : "s", rule));
        double[] dense = accuracies(rows, at(CompareModel.DENSE, 1, 1.0));
        if (!o.densities().isEmpty()) {
            sb.append("Accuracy against density (100% of the training images; dense: ").append(cell(dense))
                    .append(")\n\n| density | G |");
            Sweep.SPARSE.forEach(m -> sb.append(' ').append(m.id()).append(" |"));
            sb.append("\n|---|---|").append("---|".repeat(Sweep.SPARSE.size())).append('\n');
            for (double d : o.densities()) {
                sb.append("| ").append(SweepPoint.number(d)).append(" | ").append(o.groups().at(d)).append(" |");
                for (CompareModel m : Sweep.SPARSE) {
                    sb.append(' ').append(cell(accuracies(rows, at(m, d, 1.0)))).append(" |");
                }
                sb.append('\n');
            }
            sb.append('\n');
        }
        if (!o.fractions().isEmpty()) {
            sb.append("Accuracy against training-set size (density ").append(SweepPoint.number(o.dataDensity()))
                    .append(")\n\n| share | images | dense |");
            Sweep.SPARSE.forEach(m -> sb.append(' ').append(m.id()).append(" |"));
            sb.append("\n|---|---|---|").append("---|".repeat(Sweep.SPARSE.size())).append('\n');
            for (double f : o.fractions()) {
                int images = rows.stream().filter(r -> r.point().fraction() == f).mapToInt(Sweep.Row::trainExamples)
                        .findFirst().orElse(0);
                sb.append("| ").append(SweepPoint.number(100 * f)).append("% | ").append(images).append(" | ")
                        .append(cell(accuracies(rows, at(CompareModel.DENSE, 1, f)))).append(" |");
                for (CompareModel m : Sweep.SPARSE) {
                    sb.append(' ').append(cell(accuracies(rows, at(m, o.dataDensity(), f)))).append(" |");
                }
                sb.append('\n');
            }
            sb.append('\n');
        }
        if (!cost.isEmpty()) {
            sb.append("Training cost, measured interleaved with dense in the same rounds (seconds per epoch of the "
                    + "100% training set; time vs dense below 1 is faster; spread = p25-p75 over rounds)\n\n"
                    + "| density | model | execution | s / epoch | time vs dense | spread |\n|---|---|---|---|---|---|\n");
            for (CostMeasure.Cost c : cost) {
                sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f | %.2f | %.0f%% |%n",
                        SweepPoint.number(c.density()), c.model().id(), c.execution(), c.secondsPerEpoch(),
                        c.timeVsDense(), 100 * c.spread()));
            }
            sb.append('\n');
        }
        sb.append(reading(o, rows));
        return sb.toString();
    }

    /**
     * The differences a reader asks about, with the seed spread: g2g-mixer against er and dense-matched, and the
     * rewired g2g-mixer-dst against the static g2g-mixer, at every density and training-set size.
     */
    static String reading(SweepOptions o, List<Sweep.Row> rows) {
        StringBuilder sb = new StringBuilder("Differences in final test accuracy (Welch's t-test, two-sided; "
                + "\"beyond spread\": the difference exceeds both models' seed standard deviations and p < 0.05)\n\n"
                + "| point | comparison | difference | p | beyond spread |\n|---|---|---|---|---|\n");
        List<double[]> points = new ArrayList<>();
        o.densities().forEach(d -> points.add(new double[] {d, 1.0}));
        o.fractions().stream().filter(f -> f != 1.0 || !o.densities().contains(o.dataDensity()))
                .forEach(f -> points.add(new double[] {o.dataDensity(), f}));
        CompareModel[][] comparisons = {{CompareModel.G2G_MIXER, CompareModel.ER},
                {CompareModel.G2G_MIXER, CompareModel.DENSE_MATCHED}, {CompareModel.G2G_MIXER_DST, CompareModel.G2G_MIXER},
                {CompareModel.G2G_MIXER, CompareModel.DENSE}};
        for (double[] pt : points) {
            String where = String.format(Locale.ROOT, "density %s, %s%% of the images", SweepPoint.number(pt[0]),
                    SweepPoint.number(100 * pt[1]));
            for (CompareModel[] c : comparisons) {
                double[] a = accuracies(rows, at(c[0], pt[0], pt[1]));
                double[] b = accuracies(rows, at(c[1], pt[0], pt[1]));
                if (a.length == 0 || b.length == 0) {
                    continue;
                }
                Stat sa = Stat.of(a);
                Stat sb2 = Stat.of(b);
                double diff = sa.mean() - sb2.mean();
                double p = Reports.welchP(a, b);
                boolean beyond = !Double.isNaN(p) && p < 0.05 && Math.abs(diff) > Math.max(sa.std(), sb2.std());
                sb.append(String.format(Locale.ROOT, "| %s | %s - %s | %+.4f | %s | %s |%n", where, c[0].id(), c[1].id(),
                        diff, Reports.formatP(p), Double.isNaN(p) ? "n/a (one seed)" : beyond ? "yes" : "no"));
            }
        }
        return sb.toString();
    }

    /** Mean and std per x of a model's final accuracies, x chosen by the caller. */
    static Map<Double, Stat> series(List<Sweep.Row> rows, Predicate<Sweep.Row> which,
                                    ToDoubleFunction<Sweep.Row> x) {
        Map<Double, List<Double>> by = new TreeMap<>();
        rows.stream().filter(which).forEach(r -> by.computeIfAbsent(x.applyAsDouble(r), k -> new ArrayList<>())
                .add(r.run().finalAccuracy()));
        Map<Double, Stat> out = new TreeMap<>();
        by.forEach((k, v) -> out.put(k, Stat.of(v.stream().mapToDouble(Double::doubleValue).toArray())));
        return out;
    }
}
