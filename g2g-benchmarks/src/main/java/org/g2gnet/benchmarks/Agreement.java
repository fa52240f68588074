package org.g2gnet.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
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
import java.util.function.Predicate;

/**
 * Whether a benchmark reproduces itself: the speed-ups of this run against those of an earlier run's CSV,
 * row by row, and this run's rows whose timings were noisy. Both go to a report (standard error), one line
 * per row that did not agree, so that a user sees which figures to distrust.
 *
 * @param keys      columns that identify a row (e.g. size, density, mode, pass)
 * @param values    the columns compared (ratios to dense), each on its own
 * @param include   which rows count (e.g. not the dense rows, whose ratio is 1 by definition)
 * @param tolerance largest relative difference that still agrees (0.10: 10%)
 */
record Agreement(List<String> keys, List<String> values, Predicate<Map<String, String>> include,
                 double tolerance) {

    /** Agreement of {@code ./g2g bench layer} runs: every speed-up but the dense rows'. */
    static Agreement layer() {
        return new Agreement(List.of("size", "density", "mode", "pass"), List.of("speedup", "cpu_speedup"),
                r -> !"dense".equals(r.get("mode")), 0.10);
    }

    /** Agreement of {@code ./g2g bench network} runs. */
    static Agreement network() {
        return new Agreement(List.of("width", "batch", "model", "pass"), List.of("speedup", "cpu_speedup"),
                r -> !"dense".equals(r.get("model")), 0.10);
    }

    /** Agreement of {@code ./g2g bench serve} runs: every speed-up but DL4J dense's. */
    static Agreement serve() {
        return new Agreement(List.of("width", "batch", "model"), List.of("speedup"),
                r -> !"dense".equals(r.get("model")), 0.10);
    }

    /** Agreement of {@code ./g2g bench epoch} runs: the ratio of each model's median row. */
    static Agreement epoch() {
        return new Agreement(List.of("model"), List.of("ratio_to_dense", "cpu_ratio_to_dense"),
                r -> "median".equals(r.get("round")) && !"dense".equals(r.get("model")), 0.10);
    }

    /**
     * Writes the report: noisy rows of this run, and (when a previous CSV is given) the rows whose value differs
     * from the previous run's by more than the tolerance.
     *
     * @param current  this run's CSV (header and rows)
     * @param previous an earlier run's CSV file, or null
     * @param report   where the lines go
     * @return the number of wall-clock ratios (the first value column) that did not agree with the previous run (0
     *         without one)
     */
    int report(String current, Path previous, PrintStream report) {
        List<Map<String, String>> now = parse(current);
        List<String> noisy = new ArrayList<>();
        for (Map<String, String> r : now) {
            String flag = r.getOrDefault("flag", "");
            if (flag.contains("noisy")) {
                noisy.add(key(r) + " (spread " + r.get("spread_pct") + "%)");
            }
        }
        report.printf(Locale.ROOT, "# %d of %d rows noisy (interquartile range above 10%% of the median)%s%n",
                noisy.size(), now.size(), noisy.isEmpty() ? "" : ":");
        noisy.forEach(n -> report.println("#   " + n));
        if (previous == null) {
            return 0;
        }
        String before;
        try {
            before = Files.readString(previous, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + previous, e);
        }
        List<Map<String, String>> earlier = parse(before);
        int wallDiffer = 0;
        for (String value : values) {
            Map<String, Double> then = new LinkedHashMap<>();
            for (Map<String, String> r : earlier) {
                if (include.test(r) && number(r, value) != null) {
                    then.put(key(r), number(r, value));
                }
            }
            int compared = 0;
            List<String> differ = new ArrayList<>();
            for (Map<String, String> r : now) {
                Double a = number(r, value);
                if (!include.test(r) || a == null || !then.containsKey(key(r))) {
                    continue;
                }
                compared++;
                double b = then.get(key(r));
                double rel = a / b - 1;
                if (Math.abs(rel) > tolerance) {
                    differ.add(String.format(Locale.ROOT, "%s: %.3f here, %.3f there (%+.1f%%)", key(r), a, b,
                            100 * rel));
                }
            }
            if (compared == 0) {
                continue;
            }
            report.printf(Locale.ROOT, "# against %s: %d of %d %s values within %.0f%%%s%n", previous,
                    compared - differ.size(), compared, value, 100 * tolerance, differ.isEmpty() ? "" : "; these differ:");
            differ.forEach(d -> report.println("#   " + d));
            if (value.equals(values.get(0))) {
                wallDiffer = differ.size();
            }
        }
        return wallDiffer;
    }

    /** @return the column's value as a number, or null when the row lacks it or it is empty or NaN */
    private static Double number(Map<String, String> row, String column) {
        String v = row.get(column);
        if (v == null || v.isBlank()) {
            return null;
        }
        double d = Double.parseDouble(v);
        return Double.isNaN(d) ? null : d;
    }

    private String key(Map<String, String> row) {
        StringBuilder sb = new StringBuilder();
        for (String k : keys) {
            sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(row.get(k));
        }
        return sb.toString();
    }

    /** Rows of a CSV text as maps from column name to value (no quoting: our benchmarks never need it). */
    static List<Map<String, String>> parse(String csv) {
        List<Map<String, String>> rows = new ArrayList<>();
        String[] header = null;
        for (String line : csv.split("\\R")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (header == null) {
                header = cells;
                continue;
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], i < cells.length ? cells[i] : "");
            }
            rows.add(row);
        }
        if (header == null) {
            throw new IllegalArgumentException("not a CSV with a header: " + Arrays.toString(csv.lines().limit(2)
                    .toArray()));
        }
        return rows;
    }
}
