package org.g2gnet.cli.sweep;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.g2gnet.cli.compare.CompareModel;
import org.g2gnet.cli.compare.Reports.Stat;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The sweep's three plots, drawn with XChart from the rows and cost measurements. */
final class SweepPlots {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0x9467bd), new Color(0x7f7f7f)};

    private SweepPlots() {
    }

    /**
     * Accuracy against density (log x), a mean line and a mean ± std band per model, dense as a reference line.
     *
     * @return the plot, or empty without a sparsity part
     */
    static Optional<Path> density(SweepOptions o, List<Sweep.Row> rows, Path png) throws IOException {
        if (o.densities().isEmpty()) {
            return Optional.empty();
        }
        XYChart chart = new XYChartBuilder().width(900).height(560)
                .title("Final test accuracy against density (band: mean ± std over seeds)")
                .xAxisTitle("density (share of connections kept), log scale").yAxisTitle("test accuracy").build();
        style(chart);
        chart.getStyler().setXAxisLogarithmic(true);
        int c = 0;
        for (CompareModel m : Sweep.SPARSE) {
            Map<Double, Stat> s = SweepReports.series(rows, r -> r.point().model() == m && r.point().fraction() == 1.0
                    && o.densities().contains(r.point().density()), r -> r.point().density());
            band(chart, m.id(), s, COLORS[c++ % COLORS.length]);
        }
        double[] dense = SweepReports.accuracies(rows, SweepReports.at(CompareModel.DENSE, 1, 1.0));
        if (dense.length > 0) {
            double lo = o.densities().stream().mapToDouble(Double::doubleValue).min().orElse(0.01);
            double mean = Stat.of(dense).mean();
            XYSeries ref = chart.addSeries("dense (density 1)", new double[] {lo, 1.0}, new double[] {mean, mean});
            ref.setMarker(SeriesMarkers.NONE);
            ref.setLineColor(Color.BLACK);
            ref.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
        }
        save(chart, png);
        return Optional.of(png);
    }

    /**
     * Accuracy against training-set size (log x), one line with a band per model, dense included.
     *
     * @return the plot, or empty without a data-size part
     */
    static Optional<Path> data(SweepOptions o, List<Sweep.Row> rows, Path png) throws IOException {
        if (o.fractions().isEmpty()) {
            return Optional.empty();
        }
        XYChart chart = new XYChartBuilder().width(900).height(560)
                .title("Final test accuracy against training-set size (density " + SweepPoint.number(o.dataDensity())
                        + "; band: mean ± std)")
                .xAxisTitle("training images, log scale").yAxisTitle("test accuracy").build();
        style(chart);
        chart.getStyler().setXAxisLogarithmic(true);
        List<CompareModel> models = new ArrayList<>(Sweep.SPARSE);
        models.add(CompareModel.DENSE);
        int c = 0;
        for (CompareModel m : models) {
            Map<Double, Stat> s = SweepReports.series(rows, r -> r.point().model() == m
                    && o.fractions().contains(r.point().fraction())
                    && (m == CompareModel.DENSE || r.point().density() == o.dataDensity()),
                    r -> r.trainExamples());
            band(chart, m.id(), s, COLORS[c++ % COLORS.length]);
        }
        save(chart, png);
        return Optional.of(png);
    }

    /**
     * Accuracy against seconds per epoch: every (model, execution, density) as a point, with the Pareto front
     * (no other point is both faster and more accurate) drawn through its points.
     *
     * @return the plot, or empty without a cost part
     */
    static Optional<Path> time(SweepOptions o, List<Sweep.Row> rows, List<CostMeasure.Cost> cost, Path png) throws IOException {
        if (cost.isEmpty()) {
            return Optional.empty();
        }
        XYChart chart = new XYChartBuilder().width(900).height(560)
                .title("Accuracy against measured training time (100% of the images; line: Pareto front)")
                .xAxisTitle("seconds per epoch on this machine (measured interleaved with dense)")
                .yAxisTitle("test accuracy").build();
        style(chart);
        chart.getStyler().setDefaultSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter);
        List<double[]> all = new ArrayList<>();
        int c = 0;
        List<String> labels = new ArrayList<>();
        for (CostMeasure.Cost k : cost) {
            String label = k.model().id() + (k.execution().equals("structured") ? " structured" : "");
            if (!labels.contains(label)) {
                labels.add(label);
            }
        }
        // g2g-mixer-dst trains at g2g-mixer's cost (an event costs a fraction of one iteration, a few per run)
        if (labels.contains("g2g-mixer")) {
            labels.add(1, "g2g-mixer-dst");
        }
        for (String label : labels) {
            List<double[]> pts = new ArrayList<>();
            for (CostMeasure.Cost k : cost) {
                String kl = k.model().id() + (k.execution().equals("structured") ? " structured" : "");
                boolean dst = label.equals("g2g-mixer-dst") && kl.equals("g2g-mixer");
                if (!kl.equals(label) && !dst) {
                    continue;
                }
                CompareModel acc = dst ? CompareModel.G2G_MIXER_DST : k.model();
                double[] a = SweepReports.accuracies(rows, SweepReports.at(acc, k.density(), 1.0));
                if (a.length > 0) {
                    pts.add(new double[] {k.secondsPerEpoch(), Stat.of(a).mean()});
                }
            }
            if (pts.isEmpty()) {
                continue;
            }
            all.addAll(pts);
            XYSeries s = chart.addSeries(label, pts.stream().mapToDouble(p -> p[0]).toArray(),
                    pts.stream().mapToDouble(p -> p[1]).toArray());
            s.setMarkerColor(COLORS[c++ % COLORS.length]);
        }
        List<double[]> front = pareto(all);
        if (front.size() > 0) {
            XYSeries f = chart.addSeries("Pareto front", front.stream().mapToDouble(p -> p[0]).toArray(),
                    front.stream().mapToDouble(p -> p[1]).toArray());
            f.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            f.setMarker(SeriesMarkers.NONE);
            f.setLineColor(Color.BLACK);
        }
        save(chart, png);
        return Optional.of(png);
    }

    /**
     * @param pts points {seconds, accuracy}
     * @return the points no other point beats on both (faster and at least as accurate), by increasing time
     */
    static List<double[]> pareto(List<double[]> pts) {
        List<double[]> sorted = new ArrayList<>(pts);
        sorted.sort(Comparator.<double[]>comparingDouble(p -> p[0]).thenComparingDouble(p -> -p[1]));
        List<double[]> front = new ArrayList<>();
        double best = Double.NEGATIVE_INFINITY;
        for (double[] p : sorted) {
            if (p[1] > best) {
                front.add(p);
                best = p[1];
            }
        }
        return front;
    }

    private static void band(XYChart chart, String name, Map<Double, Stat> s, Color color) {
        if (s.isEmpty()) {
            return;
        }
        double[] x = s.keySet().stream().mapToDouble(Double::doubleValue).toArray();
        double[] mean = s.values().stream().mapToDouble(Stat::mean).toArray();
        XYSeries line = chart.addSeries(name, x, mean);
        line.setLineColor(color);
        line.setMarkerColor(color);
        line.setMarker(SeriesMarkers.CIRCLE);
        if (s.values().stream().anyMatch(v -> v.n() > 1)) {
            BasicStroke thin = new BasicStroke(0.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {3, 3}, 0);
            Color light = new Color(color.getRed(), color.getGreen(), color.getBlue(), 140);
            XYSeries hi = chart.addSeries(name + " + std", x, s.values().stream().mapToDouble(v -> v.mean() + v.std()).toArray());
            XYSeries lo = chart.addSeries(name + " - std", x, s.values().stream().mapToDouble(v -> v.mean() - v.std()).toArray());
            for (XYSeries b : new XYSeries[] {hi, lo}) {
                b.setLineColor(light);
                b.setLineStyle(thin);
                b.setMarker(SeriesMarkers.NONE);
                b.setShowInLegend(false);
            }
        }
    }

    private static void style(XYChart chart) {
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE).setMarkerSize(6);
    }

    private static void save(XYChart chart, Path png) throws IOException {
        String s = png.toString();
        BitmapEncoder.saveBitmap(chart, s.substring(0, s.length() - 4), BitmapEncoder.BitmapFormat.PNG);
    }
}
