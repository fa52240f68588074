package org.g2gnet.cli.sweep;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

import org.g2gnet.cli.compare.CompareModel;
import org.g2gnet.cli.compare.Reports;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

/**
 * A structure screen's files, made from its run records: structure.csv (one row per run), structure.md (per density
 * the validation accuracy over G x s, the two best structures chosen on validation, ER and dense-matched) and
 * structure-dD.png (the same grid as a heat map, ER's and dense-matched's values in the title).
 */
public final class StructureReports {
    /** Header of structure.csv. */
    public static final String HEADER = "density,model,groups,intra_share,p_intra,p_inter,seed,val_accuracy,"
            + "test_accuracy,active_params,seconds_per_epoch,realised_intra_share";

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private StructureReports() {
    }

    /**
     * @param o    the screen
     * @param rows its runs
     * @param out  the output directory
     * @return structure.md and the files written
     */
    static Reports.Written writeAll(StructureOptions o, List<StructureScreen.Row> rows, Path out) {
        try {
            Files.createDirectories(out);
            List<Path> files = new ArrayList<>();
            files.add(Files.writeString(out.resolve("structure.csv"), csv(rows), StandardCharsets.UTF_8));
            String md = summary(o, rows);
            files.add(Files.writeString(out.resolve("structure.md"), md, StandardCharsets.UTF_8));
            for (double d : o.densities()) {
                Path png = out.resolve("structure-d" + SweepPoint.number(d) + ".png");
                BitmapEncoder.saveBitmap(heatMap(o, rows, d), png.toString(), BitmapEncoder.BitmapFormat.PNG);
                files.add(png);
            }
            return new Reports.Written(md, List.copyOf(files));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the structure screen's reports in " + out, e);
        }
    }

    static String csv(List<StructureScreen.Row> rows) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (StructureScreen.Row r : rows) {
            boolean g2g = r.model() == CompareModel.G2G_MIXER;
            sb.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%s,%s,%d,%.6f,%.6f,%d,%.3f,%s%n", SweepPoint.number(r.density()),
                    r.model().id(), g2g ? r.groups() : "", g2g ? SweepPoint.number(r.share()) : "",
                    g2g ? sig(r.options().model().pIntra()) : "", g2g ? sig(pInter(r)) : "", r.seed(), r.validation(),
                    r.run().finalAccuracy(), r.run().activeParams(), r.run().secondsPerEpoch(),
                    g2g ? String.format(Locale.ROOT, "%.4f", r.realised()) : ""));
        }
        return sb.toString();
    }

    /** @return v to 6 significant digits, without trailing zeros */
    private static String sig(double v) {
        return java.math.BigDecimal.valueOf(v).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
    }

    /** pInter = (1 - s) d G / (G - 1): what the hidden layers get when G divides the width. */
    private static double pInter(StructureScreen.Row r) {
        return (1 - r.share()) * r.density() * r.groups() / (r.groups() - 1);
    }

    /** @return the mean validation accuracy over seeds of the runs that match, or empty */
    private static OptionalDouble mean(List<StructureScreen.Row> rows, CompareModel model, double density, int groups,
                                       double share) {
        return mean(rows, model, density, groups, share, StructureScreen.Row::validation);
    }

    /** @return the mean test accuracy over seeds of the runs that match, or empty */
    private static OptionalDouble meanTest(List<StructureScreen.Row> rows, CompareModel model, double density,
                                           int groups, double share) {
        return mean(rows, model, density, groups, share, r -> r.run().finalAccuracy());
    }

    /** The mean of one value over the runs of a model (and, for G2G, a structure) at a density. */
    private static OptionalDouble mean(List<StructureScreen.Row> rows, CompareModel model, double density, int groups,
                                       double share, java.util.function.ToDoubleFunction<StructureScreen.Row> value) {
        return rows.stream().filter(r -> r.model() == model && r.density() == density
                        && (model != CompareModel.G2G_MIXER || r.groups() == groups && r.share() == share))
                .mapToDouble(value).average();
    }

    /**
     * The structures of one density ranked by mean validation accuracy, best first.
     *
     * @param o       the screen
     * @param rows    its runs
     * @param density the density
     * @return the feasible pairs of that density, best first
     */
    public static List<StructureOptions.Pair> ranked(StructureOptions o, List<StructureScreen.Row> rows,
                                                     double density) {
        return o.pairs().stream().filter(p -> p.density() == density)
                .filter(p -> mean(rows, CompareModel.G2G_MIXER, density, p.groups(), p.share()).isPresent())
                .sorted(Comparator.comparingDouble((StructureOptions.Pair p) -> -mean(rows, CompareModel.G2G_MIXER,
                        density, p.groups(), p.share()).getAsDouble()))
                .toList();
    }

    static String summary(StructureOptions o, List<StructureScreen.Row> rows) {
        long seeds = rows.stream().mapToLong(StructureScreen.Row::seed).distinct().count();
        StringBuilder sb = new StringBuilder("# Structure screen\n\n");
        sb.append(String.format(Locale.ROOT, "G2G Mixer (static masks) at every feasible group count G and intra share "
                        + "s (share of the active connections inside groups: pIntra = s d G, pInter = (1 - s) d G / "
                        + "(G - 1)), beside ER and dense-matched; %d epoch%s, width %d, %d seed%s, %d validation "
                        + "images. Values: final validation accuracy%s; structures are chosen on it, test accuracy is "
                        + "shown for the chosen ones only. ER is s = 1/G; '-' marks a pair that is not feasible.%n%n",
                o.epochs(), o.epochs() == 1 ? "" : "s", o.width(), seeds, seeds == 1 ? "" : "s", o.validation(),
                seeds == 1 ? "" : " (mean over seeds)"));
        for (double d : o.densities()) {
            sb.append("## Density ").append(SweepPoint.number(d)).append("\n\n| G \\ s |");
            for (double s : o.shares()) {
                sb.append(' ').append(SweepPoint.number(s)).append(" |");
            }
            sb.append("\n|---|").append("---|".repeat(o.shares().size())).append('\n');
            for (int g : o.groups()) {
                sb.append("| ").append(g).append(" |");
                for (double s : o.shares()) {
                    OptionalDouble v = mean(rows, CompareModel.G2G_MIXER, d, g, s);
                    sb.append(' ').append(v.isPresent() ? String.format(Locale.ROOT, "%.4f", v.getAsDouble()) : "-")
                            .append(" |");
                }
                sb.append('\n');
            }
            sb.append('\n');
            List<StructureOptions.Pair> best = ranked(o, rows, d);
            for (int k = 0; k < Math.min(2, best.size()); k++) {
                StructureOptions.Pair p = best.get(k);
                double realised = rows.stream().filter(r -> r.model() == CompareModel.G2G_MIXER && r.density() == d
                        && r.groups() == p.groups() && r.share() == p.share()).mapToDouble(StructureScreen.Row::realised)
                        .findFirst().orElse(Double.NaN);
                sb.append(String.format(Locale.ROOT, "- %s: G = %d, s = %s (as drawn: %.3f): validation %.4f, test %.4f%n",
                        k == 0 ? "best" : "second", p.groups(), SweepPoint.number(p.share()), realised,
                        mean(rows, CompareModel.G2G_MIXER, d, p.groups(), p.share()).getAsDouble(),
                        meanTest(rows, CompareModel.G2G_MIXER, d, p.groups(), p.share()).getAsDouble()));
            }
            for (CompareModel m : List.of(CompareModel.ER, CompareModel.DENSE_MATCHED)) {
                OptionalDouble v = mean(rows, m, d, 0, 0);
                if (v.isPresent()) {
                    sb.append(String.format(Locale.ROOT, "- %s: validation %.4f, test %.4f%n", m.id(), v.getAsDouble(),
                            meanTest(rows, m, d, 0, 0).getAsDouble()));
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static HeatMapChart heatMap(StructureOptions o, List<StructureScreen.Row> rows, double d) {
        List<String> x = o.shares().stream().map(SweepPoint::number).toList();
        List<String> y = o.groups().stream().map(String::valueOf).toList();
        List<Number[]> cells = new ArrayList<>();
        for (int i = 0; i < o.shares().size(); i++) {
            for (int j = 0; j < o.groups().size(); j++) {
                OptionalDouble v = mean(rows, CompareModel.G2G_MIXER, d, o.groups().get(j), o.shares().get(i));
                if (v.isPresent()) {
                    cells.add(new Number[] {i, j, Math.round(v.getAsDouble() * 1000) / 10.0});
                }
            }
        }
        StringBuilder title = new StringBuilder("density " + SweepPoint.number(d) + ": validation accuracy %");
        for (CompareModel m : List.of(CompareModel.ER, CompareModel.DENSE_MATCHED)) {
            OptionalDouble v = mean(rows, m, d, 0, 0);
            if (v.isPresent()) {
                title.append(String.format(Locale.ROOT, "; %s %.1f", m.id(), 100 * v.getAsDouble()));
            }
        }
        HeatMapChart chart = new HeatMapChartBuilder().width(640).height(520).title(title.toString())
                .xAxisTitle("intra share s").yAxisTitle("groups G").build();
        chart.getStyler().setShowValue(true).setRangeColors(new Color[] {new Color(0xf7fbff), new Color(0x9ecae1),
                new Color(0x3182bd)});
        chart.getStyler().setPlotGridLinesVisible(false);
        chart.getStyler().setLegendVisible(true);
        if (cells.isEmpty()) {
            cells.add(new Number[] {0, 0, Double.NaN});
        }
        chart.addSeries("validation %", x, y, cells);
        return chart;
    }
}
