package org.g2gnet.cli.compress;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

import org.g2gnet.cli.compare.Reports;
import org.g2gnet.cli.compare.Reports.Stat;
import org.g2gnet.cli.train.OutputLock;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./g2g compress-report}: one table and one plot from several {@code ./g2g compress} runs, each run one
 * replicate (a dense model of its own seed, compressed at one density): accuracy right after the conversion, after
 * the first and after the last fine-tuning epoch (mean ± std over the runs), the inference speed-ups, Welch's
 * t-test of every method against magnitude pruning and against the dense originals, and accuracy against density per
 * method.
 */
@Command(name = "compress-report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Report several ./g2g compress runs together (each a replicate: its own dense model, one "
                + "density): reads each one's compress.csv and writes compress.csv (all rows, with a run column), "
                + "summary.md (mean ± std per method and density, Welch p-values) and accuracy-vs-density.png to --out."})
public final class CompressReportCommand implements Callable<Integer> {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0x9467bd), new Color(0xff7f0e), new Color(0x7f7f7f)};

    @Parameters(arity = "1..*", paramLabel = "RUN", description = "./g2g compress output directories or their "
            + "compress.csv files")
    List<Path> sources;

    @Option(names = "--out", required = true, description = "output directory")
    Path out;

    /**
     * One row of a compress.csv.
     *
     * @param run            the run it comes from (1, 2, ... in the order given)
     * @param method         dense, learned, block, mixer, magnitude or scratch
     * @param density        the density compressed to (1 for the dense original)
     * @param stage          dense, converted, finetuned or trained
     * @param accuracy       test accuracy
     * @param activeParams   active parameters
     * @param speedup        inference speed-up of DL4J's output() over the dense original's (NaN when absent)
     * @param compiled       the same with CompiledNetwork (NaN when absent)
     * @param finetuneEpochs fine-tuning epochs done (-1: the last, in files written before the column existed)
     */
    record Row(int run, String method, double density, String stage, double accuracy, long activeParams,
               double speedup, double compiled, int finetuneEpochs) {
    }

    @Override
    public Integer call() {
        List<Row> rows = new ArrayList<>();
        // all rows with their run, in the newest layout (older files lack the last columns: left empty)
        int columns = CompressCommand.HEADER.split(",").length;
        List<String> merged = new ArrayList<>(List.of("run," + CompressCommand.HEADER));
        for (int i = 0; i < sources.size(); i++) {
            Path csv = Files.isDirectory(sources.get(i)) ? sources.get(i).resolve("compress.csv") : sources.get(i);
            List<String> lines = read(csv);
            for (String line : lines.subList(1, lines.size())) {
                rows.add(parse(i + 1, line, csv));
                String[] f = Arrays.copyOf(line.split(",", -1), columns);
                merged.add((i + 1) + "," + String.join(",", Arrays.stream(f).map(v -> v == null ? "" : v).toList()));
            }
        }
        String summary = summary(rows);
        try (OutputLock lock = OutputLock.acquire(out, "compress-report", System.out)) {
            Files.writeString(out.resolve("compress.csv"), String.join("\n", merged) + "\n", StandardCharsets.UTF_8);
            Files.writeString(out.resolve("summary.md"), summary, StandardCharsets.UTF_8);
            plot(rows, out.resolve("accuracy-vs-density.png"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + out + ": " + e.getMessage(), e);
        }
        System.out.printf(Locale.ROOT, "compress-report: %d rows from %d runs%n%n%s%nfiles: %s, %s, %s%n", rows.size(),
                sources.size(), summary, out.resolve("compress.csv"), out.resolve("summary.md"),
                out.resolve("accuracy-vs-density.png"));
        return 0;
    }

    private static List<String> read(Path csv) {
        if (!Files.isRegularFile(csv)) {
            throw new IllegalArgumentException("no compress.csv at " + csv + ": name a directory written by "
                    + "./g2g compress, or its compress.csv");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty() || !lines.get(0).startsWith("method,density,groups,stage,test_accuracy,active_params,"
                + "mass_kept,inference_speedup,compiled_speedup")) {
            throw new IllegalArgumentException(csv + " is not a compress.csv written by ./g2g compress (its header is '"
                    + (lines.isEmpty() ? "" : lines.get(0)) + "')");
        }
        return lines;
    }

    static Row parse(int run, String line, Path csv) {
        String[] f = line.split(",", -1);
        try {
            int epochs = f.length > 10 && !f[10].isEmpty() ? Integer.parseInt(f[10])
                    : f[3].equals("finetuned") ? -1 : 0;
            return new Row(run, f[0], Double.parseDouble(f[1]), f[3], Double.parseDouble(f[4]), Long.parseLong(f[5]),
                    number(f[7]), number(f[8]), epochs);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException(csv + ": a damaged row '" + line + "' (" + e.getMessage() + ")", e);
        }
    }

    private static double number(String s) {
        return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }

    /** The last fine-tuning row of a method in a run (the highest epoch count; -1 marks "the last" itself). */
    private static boolean isFinal(Row r, List<Row> all) {
        if (!r.stage().equals("finetuned")) {
            return false;
        }
        return all.stream().noneMatch(o -> o.run() == r.run() && o.method().equals(r.method())
                && o.density() == r.density() && o.stage().equals("finetuned")
                && o.finetuneEpochs() > r.finetuneEpochs() && r.finetuneEpochs() >= 0);
    }

    private static double[] values(List<Row> rows, Predicate<Row> p) {
        return rows.stream().filter(p).mapToDouble(Row::accuracy).toArray();
    }

    static String summary(List<Row> rows) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "# Compression of trained dense models%n%n"
                + "%d runs. Per density and method: test accuracy right after the conversion, after the first and "
                + "after the last fine-tuning epoch (mean ± std over the runs at that density), inference speed-up "
                + "over the dense original with DL4J's output() and with CompiledNetwork (mean), and Welch's "
                + "two-sided t-test of the final accuracy against magnitude pruning and against the dense originals of "
                + "the same runs.%n", rows.stream().mapToInt(Row::run).max().orElse(0)));
        TreeSet<Double> densities = new TreeSet<>(rows.stream().filter(r -> !r.stage().equals("dense"))
                .map(Row::density).toList());
        for (double d : densities.descendingSet()) {
            List<Row> at = rows.stream().filter(r -> r.density() == d).toList();
            // the dense original of every run at this density (a model compressed at several densities counts
            // once per density)
            java.util.Set<Integer> runs = at.stream().map(Row::run).collect(java.util.stream.Collectors.toSet());
            // the same model compressed by other methods in a separate run (its dense row repeated, accuracy and size
            // alike) counts once
            double[] dense = rows.stream().filter(r -> r.stage().equals("dense") && runs.contains(r.run()))
                    .map(r -> List.of(r.accuracy(), (double) r.activeParams())).distinct()
                    .mapToDouble(k -> k.get(0)).toArray();
            double[] magnitude = values(at, r -> r.method().equals("magnitude") && isFinal(r, at));
            sb.append(String.format(Locale.ROOT, "%n## Density %s%n%nThe dense originals of these runs: %s.%n",
                    number(d), dense.length == 0 ? "n/a" : Stat.of(dense).format()));
            sb.append(String.format(Locale.ROOT, "%n| method | runs | converted | fine-tuned 1 epoch "
                    + "| fine-tuned (last) | final vs dense | p vs dense | p vs magnitude | active parameters | "
                    + "speed-up | compiled |%n|---|---|---|---|---|---|---|---|---|---|---|%n"));
            for (String method : at.stream().map(Row::method).distinct().toList()) {
                List<Row> m = at.stream().filter(r -> r.method().equals(method)).toList();
                double[] fin = values(m, r -> isFinal(r, at) || r.stage().equals("trained"));
                double[] conv = values(m, r -> r.stage().equals("converted"));
                double[] one = values(m, r -> r.stage().equals("finetuned") && r.finetuneEpochs() == 1);
                Stat f = Stat.of(fin);
                sb.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s | %,d | %s | %s |%n",
                        method, m.stream().mapToInt(Row::run).distinct().count(), format(conv), format(one),
                        format(fin), fin.length > 0 && dense.length > 0
                                ? String.format(Locale.ROOT, "%+.4f", f.mean() - Stat.of(dense).mean()) : "",
                        p(fin, dense), method.equals("magnitude") ? "" : p(fin, magnitude),
                        m.get(0).activeParams(), mean(m.stream().mapToDouble(Row::speedup).toArray()),
                        mean(m.stream().mapToDouble(Row::compiled).toArray())));
            }
        }
        return sb.toString();
    }

    private static String format(double[] v) {
        return v.length == 0 ? "" : Stat.of(v).format();
    }

    private static String p(double[] a, double[] b) {
        double p = Reports.welchP(a, b);
        return Double.isNaN(p) ? "" : p < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", p);
    }

    private static String mean(double[] v) {
        double[] ok = Arrays.stream(v).filter(x -> !Double.isNaN(x)).toArray();
        return ok.length == 0 ? "" : String.format(Locale.ROOT, "%.2fx", Arrays.stream(ok).average().orElse(0));
    }

    private static String number(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    /** Final fine-tuned accuracy against density (log x) per method, mean with ± std error bars; dense as a line. */
    static void plot(List<Row> rows, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(560)
                .title("Compressed models: test accuracy after fine-tuning (mean ± std over the runs)")
                .xAxisTitle("density (share of connections kept), log scale").yAxisTitle("test accuracy").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE).setMarkerSize(7);
        chart.getStyler().setXAxisLogarithmic(true);
        int c = 0;
        List<String> methods = rows.stream().filter(r -> !r.stage().equals("dense")).map(Row::method).distinct()
                .toList();
        for (String method : methods) {
            Map<Double, double[]> byDensity = new TreeMap<>();
            for (double d : rows.stream().filter(r -> r.method().equals(method)).map(Row::density).distinct()
                    .toList()) {
                List<Row> at = rows.stream().filter(r -> r.density() == d).toList();
                byDensity.put(d, values(at, r -> r.method().equals(method)
                        && (isFinal(r, at) || r.stage().equals("trained"))));
            }
            byDensity.values().removeIf(v -> v.length == 0);
            if (byDensity.isEmpty()) {
                continue;
            }
            double[] x = byDensity.keySet().stream().mapToDouble(Double::doubleValue).toArray();
            double[] y = byDensity.values().stream().mapToDouble(v -> Stat.of(v).mean()).toArray();
            double[] err = byDensity.values().stream().mapToDouble(v -> v.length > 1 ? Stat.of(v).std() : 0).toArray();
            XYSeries s = chart.addSeries(method, x, y, err);
            Color color = COLORS[c++ % COLORS.length];
            s.setLineColor(color);
            s.setMarkerColor(color);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        double[] dense = values(rows, r -> r.stage().equals("dense"));
        if (dense.length > 0 && c > 0) {
            double lo = rows.stream().filter(r -> !r.stage().equals("dense")).mapToDouble(Row::density).min()
                    .orElse(0.1);
            double mean = Stat.of(dense).mean();
            XYSeries ref = chart.addSeries("dense original", new double[] {lo, 1.0}, new double[] {mean, mean});
            ref.setMarker(SeriesMarkers.NONE);
            ref.setLineColor(Color.BLACK);
            ref.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
                    new float[] {6, 4}, 0));
        }
        String s = png.toString();
        BitmapEncoder.saveBitmap(chart, s.substring(0, s.length() - 4), BitmapEncoder.BitmapFormat.PNG);
    }
}
