package org.g2gnet.cli.compare;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The comparison's plots, drawn with XChart from the run records.
 */
public final class Plots {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Plots() {
    }

    /**
     * Test accuracy per epoch, mean over seeds, one line per model.
     *
     * @param runs every run
     * @param png  output file
     * @throws IOException when the file cannot be written
     */
    static void accuracy(List<RunRecord> runs, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(560).title("Test accuracy per epoch (mean over seeds)")
                .xAxisTitle("epoch").yAxisTitle("test accuracy").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE).setMarkerSize(5);
        for (Map.Entry<CompareModel, List<RunRecord>> e : Reports.byModel(runs).entrySet()) {
            int epochs = e.getValue().stream().mapToInt(r -> r.epochs().size()).min().orElse(0);
            double[] x = new double[epochs];
            double[] y = new double[epochs];
            for (int i = 0; i < epochs; i++) {
                x[i] = i + 1;
                for (RunRecord r : e.getValue()) {
                    y[i] += r.epochs().get(i).testAccuracy() / e.getValue().size();
                }
            }
            if (epochs > 0) {
                chart.addSeries(e.getKey().id(), x, y);
            }
        }
        save(chart, png);
    }

    /**
     * Density and intra-group share of every layer over the rewiring events of the first DST run.
     *
     * @param runs every run
     * @param png  output file (deleted when no run rewired)
     * @return the plot, or empty when there is nothing to draw
     * @throws IOException when the file cannot be written
     */
    static Optional<Path> dst(List<RunRecord> runs, Path png) throws IOException {
        RunRecord dst = runs.stream().filter(r -> !r.events().isEmpty()).findFirst().orElse(null);
        if (dst == null) {
            Files.deleteIfExists(png);
            return Optional.empty();
        }
        XYChart chart = new XYChartBuilder().width(900).height(560)
                .title("Rewiring in " + dst.model().id() + " seed " + dst.seed() + ": density and intra-group share")
                .xAxisTitle("iteration").yAxisTitle("share of connections").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        Map<String, List<RunRecord.EventPoint>> byLayer = new TreeMap<>();
        for (RunRecord.EventPoint p : dst.events()) {
            byLayer.computeIfAbsent(p.layer(), k -> new ArrayList<>()).add(p);
        }
        for (Map.Entry<String, List<RunRecord.EventPoint>> e : byLayer.entrySet()) {
            double[] x = e.getValue().stream().mapToDouble(RunRecord.EventPoint::iteration).toArray();
            XYSeries d = chart.addSeries(e.getKey() + " density", x,
                    e.getValue().stream().mapToDouble(RunRecord.EventPoint::density).toArray());
            d.setMarker(SeriesMarkers.CIRCLE);
            XYSeries s = chart.addSeries(e.getKey() + " intra-group share", x,
                    e.getValue().stream().mapToDouble(RunRecord.EventPoint::intraShare).toArray());
            s.setMarker(SeriesMarkers.DIAMOND);
        }
        save(chart, png);
        return Optional.of(png);
    }

    /**
     * Test accuracy just before and just after every rewiring event, for the first seed of every rewiring
     * model: each event is a line from its "before" to its "after" accuracy.
     *
     * @param runs every run
     * @param png  output file (deleted when no run rewired)
     * @return the plot, or empty when there is nothing to draw
     * @throws IOException when the file cannot be written
     */
    static Optional<Path> eventEffects(List<RunRecord> runs, Path png) throws IOException {
        List<RunRecord> rewired = new ArrayList<>();
        Set<CompareModel> seen = new HashSet<>();
        for (RunRecord r : runs) {
            if (!r.probes().isEmpty() && seen.add(r.model())) {
                rewired.add(r);
            }
        }
        if (rewired.isEmpty()) {
            Files.deleteIfExists(png);
            return Optional.empty();
        }
        XYChart chart = new XYChartBuilder().width(900).height(560)
                .title("Test accuracy (2,000-image probe) just before and after each rewiring event")
                .xAxisTitle("iteration").yAxisTitle("test accuracy").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        for (RunRecord r : rewired) {
            double[] x = new double[r.probes().size() * 2];
            double[] y = new double[x.length];
            for (int i = 0; i < r.probes().size(); i++) {
                RunRecord.Probe p = r.probes().get(i);
                x[2 * i] = p.iteration() - 0.5;
                y[2 * i] = p.before();
                x[2 * i + 1] = p.iteration() + 0.5;
                y[2 * i + 1] = p.after();
            }
            XYSeries s = chart.addSeries(r.model().id() + " seed " + r.seed() + " (before -> after)", x, y);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        save(chart, png);
        return Optional.of(png);
    }

    /**
     * Heat maps of one layer's mask before and after training (tile densities, inputs and outputs sorted by
     * group), for the DST run if there is one, else the first G2G run.
     *
     * @param runs every run
     * @param png  output file (deleted when no run has a mask)
     * @return the plot, or empty when there is nothing to draw
     * @throws IOException when the file cannot be written
     */
    static Optional<Path> mask(List<RunRecord> runs, Path png) throws IOException {
        RunRecord r = runs.stream().filter(x -> !x.events().isEmpty() && x.maskBefore() != null).findFirst()
                .orElse(runs.stream().filter(x -> x.maskBefore() != null && x.model() != CompareModel.ER
                                && x.model() != CompareModel.CNN_ER).findFirst()
                        .orElse(null));
        if (r == null) {
            Files.deleteIfExists(png);
            return Optional.empty();
        }
        List<HeatMapChart> charts = List.of(heat(r.maskBefore(), r.model().id() + ": mask before training"),
                heat(r.maskAfter(), r.model().id() + ": mask after training"));
        BitmapEncoder.saveBitmap(charts, 1, 2, withoutExtension(png), BitmapEncoder.BitmapFormat.PNG);
        return Optional.of(png);
    }

    private static HeatMapChart heat(double[][] grid, String title) {
        int rows = grid.length;
        int cols = grid[0].length;
        int[] x = new int[cols];
        int[] y = new int[rows];
        for (int c = 0; c < cols; c++) {
            x[c] = c;
        }
        for (int r = 0; r < rows; r++) {
            y[r] = r;
        }
        // XChart reads heatData as a matrix [x][y]; the first input tile goes at the top
        int[][] data = new int[cols][rows];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                data[c][rows - 1 - r] = (int) Math.round(100 * grid[r][c]);
            }
        }
        HeatMapChart chart = new HeatMapChartBuilder().width(560).height(560).title(title)
                .xAxisTitle("output tile (sorted by group)").yAxisTitle("input tile (sorted by group)").build();
        chart.getStyler().setShowValue(false).setMin(0).setMax(100)
                .setRangeColors(new Color[] {Color.WHITE, new Color(0x3182bd), new Color(0x08306b)});
        chart.getStyler().setLegendVisible(true);
        chart.getStyler().setXAxisTicksVisible(false).setYAxisTicksVisible(false);
        chart.getStyler().setPlotGridLinesVisible(false);
        chart.addSeries("density %", x, y, data);
        return chart;
    }

    private static void save(XYChart chart, Path png) throws IOException {
        BitmapEncoder.saveBitmap(chart, withoutExtension(png), BitmapEncoder.BitmapFormat.PNG);
    }

    private static String withoutExtension(Path png) {
        String s = png.toString();
        return s.endsWith(".png") ? s.substring(0, s.length() - 4) : s;
    }
}
