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
import java.util.Objects;

import org.g2gnet.cli.train.EpochMetrics;

/**
 * Reads a comparison's results.csv back into run records, so that comparisons run apart (seeds split over
 * machines with {@code --seeds A-B}, or a comparison whose run directories were deleted) can be reported together.
 * The records hold what results.csv holds: per-epoch metrics, active parameters and density; no rewiring events,
 * mask grids or event probes (those plots stay in each comparison's own directory), and no iteration counts.
 */
public final class ResultsFile {

    private ResultsFile() {
    }

    /**
     * @param csv a results.csv written by {@code ./g2g compare}
     * @return its runs in file order, each with its epochs in order
     * @throws IllegalArgumentException naming the file and line when it is not such a file
     */
    public static List<RunRecord> read(Path csv) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException(csv + " is not a results.csv of ./g2g compare: it is not UTF-8 text", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty() || !lines.get(0).strip().equals(Reports.RESULTS_HEADER)) {
            throw new IllegalArgumentException(csv + " is not a results.csv of ./g2g compare: its first line must be '"
                    + Reports.RESULTS_HEADER + "', got '" + (lines.isEmpty() ? "" : lines.get(0)) + "'");
        }
        Map<String, Run> runs = new LinkedHashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                String[] f = line.split(",", -1);
                if (f.length != 11) {
                    throw new IllegalArgumentException("expected 11 fields, got " + f.length);
                }
                CompareModel model = CompareModel.parseList(f[0]).get(0);
                double lr = Double.parseDouble(f[1]);
                long seed = Long.parseLong(f[2]);
                EpochMetrics m = new EpochMetrics(Integer.parseInt(f[3]), Double.parseDouble(f[4]),
                        Double.parseDouble(f[5]), Double.parseDouble(f[6]), Double.parseDouble(f[8]), 0,
                        f[7].isBlank() ? Double.NaN : Double.parseDouble(f[7]));
                check(m, lr, Long.parseLong(f[9]), Double.parseDouble(f[10]));
                Run run = runs.computeIfAbsent(model.id() + "," + f[1] + "," + seed,
                        k -> new Run(model, lr, seed, Long.parseLong(f[9]), Double.parseDouble(f[10])));
                if (m.epoch() != run.epochs.size() + 1) {
                    throw new IllegalArgumentException("epoch " + m.epoch() + " of " + model + " seed " + seed
                            + " follows epoch " + run.epochs.size());
                }
                run.epochs.add(m);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(csv + " line " + (i + 1) + ": " + e.getMessage() + " ('" + line
                        + "')", e);
            }
        }
        if (runs.isEmpty()) {
            throw new IllegalArgumentException(csv + " holds no runs");
        }
        return runs.values().stream().map(Run::record).toList();
    }

    /** Refuses values no run can have, naming the column and the value. */
    private static void check(EpochMetrics m, double lr, long activeParams, double density) {
        if (m.epoch() < 1) {
            throw new IllegalArgumentException("epoch must be >= 1, got " + m.epoch());
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("lr must be > 0, got " + lr);
        }
        if (!(m.trainLoss() >= 0) || !(m.testLoss() >= 0) || Double.isInfinite(m.trainLoss())
                || Double.isInfinite(m.testLoss())) {
            throw new IllegalArgumentException("losses must be finite and >= 0, got train " + m.trainLoss() + ", test "
                    + m.testLoss());
        }
        if (!(m.testAccuracy() >= 0 && m.testAccuracy() <= 1)) {
            throw new IllegalArgumentException("test_accuracy must be in [0, 1], got " + m.testAccuracy());
        }
        if (!Double.isNaN(m.valAccuracy()) && !(m.valAccuracy() >= 0 && m.valAccuracy() <= 1)) {
            throw new IllegalArgumentException("val_accuracy must be in [0, 1] or empty, got " + m.valAccuracy());
        }
        if (!(m.seconds() >= 0) || Double.isInfinite(m.seconds())) {
            throw new IllegalArgumentException("seconds must be >= 0, got " + m.seconds());
        }
        if (activeParams < 1) {
            throw new IllegalArgumentException("active_params must be >= 1, got " + activeParams);
        }
        if (!(density > 0 && density <= 1)) {
            throw new IllegalArgumentException("density must be in (0, 1], got " + density);
        }
    }

    /**
     * Merges the runs of several comparisons: a run (model, learning rate, seed) found in two of them must be the
     * same run (equal metrics) and is kept once; the runs of one model must share their protocol (epochs and active
     * parameters).
     *
     * @param parts the runs of each comparison, with a name for messages
     * @return every distinct run, in the order first seen
     * @throws IllegalArgumentException naming the run and the parts when two disagree
     */
    public static List<RunRecord> merge(Map<String, List<RunRecord>> parts) {
        Map<String, RunRecord> byKey = new LinkedHashMap<>();
        Map<String, String> from = new LinkedHashMap<>();
        Map<CompareModel, RunRecord> protocol = new LinkedHashMap<>();
        Map<CompareModel, String> protocolFrom = new LinkedHashMap<>();
        for (Map.Entry<String, List<RunRecord>> part : parts.entrySet()) {
            for (RunRecord r : part.getValue()) {
                String key = r.model() + " lr " + Comparison.lrName(r.lr()) + " seed " + r.seed();
                RunRecord seen = byKey.get(key);
                if (seen != null) {
                    if (!seen.epochs().equals(r.epochs()) || seen.activeParams() != r.activeParams()) {
                        throw new IllegalArgumentException(key + " is in " + from.get(key) + " and in " + part.getKey()
                                + " with different results: report each part apart, or remove one");
                    }
                    continue;
                }
                RunRecord first = protocol.putIfAbsent(r.model(), r);
                protocolFrom.putIfAbsent(r.model(), part.getKey());
                if (first != null && (first.epochs().size() != r.epochs().size()
                        || first.activeParams() != r.activeParams())) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "%s: %s and %,d active parameters in %s, but %s and %,d in %s; the parts were made "
                                    + "with different protocols", key, epochs(r), r.activeParams(), part.getKey(),
                            epochs(first), first.activeParams(), protocolFrom.get(r.model())));
                }
                byKey.put(key, r);
                from.put(key, part.getKey());
            }
        }
        return new ArrayList<>(byKey.values());
    }

    private static String epochs(RunRecord r) {
        return r.epochs().size() + (r.epochs().size() == 1 ? " epoch" : " epochs");
    }

    /** A run being read. */
    private static final class Run {
        final CompareModel model;
        final double lr;
        final long seed;
        final long activeParams;
        final double density;
        final List<EpochMetrics> epochs = new ArrayList<>();

        Run(CompareModel model, double lr, long seed, long activeParams, double density) {
            this.model = Objects.requireNonNull(model);
            this.lr = lr;
            this.seed = seed;
            this.activeParams = activeParams;
            this.density = density;
        }

        RunRecord record() {
            return new RunRecord(model, seed, lr, List.copyOf(epochs), activeParams, density, List.of(), null, null,
                    List.of());
        }
    }
}
