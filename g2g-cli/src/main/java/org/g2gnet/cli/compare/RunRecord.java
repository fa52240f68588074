package org.g2gnet.cli.compare;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;

import org.g2gnet.cli.train.EpochMetrics;
import org.g2gnet.cli.train.EventProbe;
import org.g2gnet.cli.train.EventsCsv;
import org.g2gnet.cli.train.OutputLock;
import org.g2gnet.cli.train.TrainOptions;
import org.g2gnet.cli.train.TrainResult;
import org.g2gnet.cli.train.Trainer;
import org.g2gnet.rewiring.RewiringEvent;
import org.g2gnet.topology.ConnectionMask;

/**
 * What a comparison keeps of one finished (model, seed) run, and its files in the run's directory:
 * metrics.csv and events.csv (written by the trainer), mask_before.csv / mask_after.csv (the mask of one
 * layer as a grid of tile densities, inputs and outputs sorted by group), run.properties, and the
 * {@value #DONE} marker written last.
 *
 * @param model        the model
 * @param seed         the seed
 * @param lr           the peak learning rate it was trained with
 * @param epochs       per-epoch metrics
 * @param activeParams active parameters (masks excluded)
 * @param density      density of all weights
 * @param events       rewiring events: layer, iteration, density and intra-group share
 * @param maskBefore   tile densities before training, or null
 * @param maskAfter    tile densities after training, or null
 * @param probes       accuracy just before and after each rewiring event (empty for static runs)
 */
public record RunRecord(CompareModel model, long seed, double lr, List<EpochMetrics> epochs, long activeParams, double density,
                        List<EventPoint> events, double[][] maskBefore, double[][] maskAfter, List<Probe> probes) {

    /**
     * Test accuracy on the probe subset just before and just after one rewiring event (probes.csv).
     *
     * @param iteration the event's iteration
     * @param before    accuracy before
     * @param after     accuracy after
     */
    public record Probe(int iteration, double before, double after) {
    }

    /** Name of the marker file that says a run finished. */
    public static final String DONE = "done";
    /** Tiles per side of the mask grids. */
    public static final int GRID = 64;

    /**
     * One rewiring event of one layer, as the plots need it.
     *
     * @param layer      layer name
     * @param iteration  iteration of the event
     * @param density    density after the event
     * @param intraShare share of active connections inside a group, after the event
     */
    public record EventPoint(String layer, int iteration, double density, double intraShare) {
    }

    /**
     * @param model the model
     * @param seed  the seed
     * @param r     the trainer's result
     * @return the record
     */
    public static RunRecord of(CompareModel model, long seed, TrainResult r) {
        List<EventPoint> ev = new ArrayList<>();
        for (RewiringEvent e : r.events()) {
            ev.add(new EventPoint(e.layer(), e.iteration(), e.density(), e.intraShare()));
        }
        List<Probe> probes = new ArrayList<>();
        for (var e : r.eventEffects()) {
            probes.add(new Probe(e.iteration(), e.testAccBefore(), e.testAccAfter()));
        }
        return new RunRecord(model, seed, r.options().protocol().lr(), r.epochs(), r.sparsity().activeParams(), r.sparsity().density(), ev,
                grid(r.maskBefore()), grid(r.maskAfter()), probes);
    }

    /** @return the last epoch's test accuracy */
    public double finalAccuracy() {
        return epochs.get(epochs.size() - 1).testAccuracy();
    }

    /** @return the last epoch's validation accuracy (NaN without a validation split) */
    public double finalValidationAccuracy() {
        return epochs.get(epochs.size() - 1).valAccuracy();
    }

    /** @return the best epoch's test accuracy */
    public double bestAccuracy() {
        return epochs.stream().mapToDouble(EpochMetrics::testAccuracy).max().orElse(Double.NaN);
    }

    /** @return mean seconds per epoch */
    public double secondsPerEpoch() {
        return epochs.stream().mapToDouble(EpochMetrics::seconds).average().orElse(Double.NaN);
    }

    /**
     * Densities of GRID x GRID tiles of a mask.
     *
     * @param m a mask, or null
     * @return [row = input tile][column = output tile], or null
     */
    static double[][] grid(ConnectionMask m) {
        if (m == null) {
            return null;
        }
        int rows = Math.min(GRID, m.nIn());
        int cols = Math.min(GRID, m.nOut());
        double[][] sum = new double[rows][cols];
        double[][] count = new double[rows][cols];
        for (int o = 0; o < m.nOut(); o++) {
            int c = (int) ((long) o * cols / m.nOut());
            for (int i = 0; i < m.nIn(); i++) {
                int r = (int) ((long) i * rows / m.nIn());
                sum[r][c] += m.isActive(i, o) ? 1 : 0;
                count[r][c]++;
            }
        }
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                sum[r][c] /= count[r][c];
            }
        }
        return sum;
    }

    /**
     * Writes the files that the trainer did not, and the done marker last.
     *
     * @param dir         the run's directory
     * @param fingerprint the options this run was made with
     */
    public void save(Path dir, String fingerprint) {
        try {
            Files.createDirectories(dir);
            writeGrid(dir.resolve("mask_before.csv"), maskBefore);
            writeGrid(dir.resolve("mask_after.csv"), maskAfter);
            Properties p = new Properties();
            p.setProperty("model", model.id());
            p.setProperty("seed", Long.toString(seed));
            p.setProperty("lr", Double.toString(lr));
            p.setProperty("active_params", Long.toString(activeParams));
            p.setProperty("density", Double.toString(density));
            try (var w = Files.newBufferedWriter(dir.resolve("run.properties"), StandardCharsets.UTF_8)) {
                p.store(w, "g2g compare run");
            }
            Path tmp = dir.resolve(DONE + ".tmp");
            Files.writeString(tmp, fingerprint, StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(DONE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write run files in " + dir + ": "
                    + OutputLock.reason(e), e);
        }
    }

    /**
     * Trains one run of a comparison or sweep into its directory and records it: the directory's done marker goes
     * first (no marker may outlive the files it vouches for while they are rewritten), the marker with the options'
     * fingerprint is written last, and the checkpoints (tens of MB each) are deleted once the run is recorded.
     *
     * @param model   the model
     * @param seed    the seed
     * @param options the run's options (their {@code out} is the run's directory)
     * @param log     where the run prints
     * @param onEpoch called after every epoch (overall progress)
     * @return the record
     */
    public static RunRecord train(CompareModel model, long seed, TrainOptions options, PrintStream log,
                                  Consumer<EpochMetrics> onEpoch) {
        Path dir = options.output().out();
        try {
            Files.deleteIfExists(dir.resolve(DONE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir.resolve(DONE), e);
        }
        RunRecord r = of(model, seed, Trainer.run(options, log, onEpoch));
        r.save(dir, options.fingerprint());
        deleteCheckpoints(dir.resolve("checkpoints"));
        return r;
    }

    /**
     * A finished run keeps its model.zip; its checkpoints (tens of MB each) are no longer needed.
     *
     * @param dir the run's checkpoint directory (may not exist)
     */
    private static void deleteCheckpoints(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
            Files.delete(dir);
        } catch (NoSuchFileException e) {
            // no checkpoint was written (a short run)
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the checkpoints in " + dir, e);
        }
    }

    /**
     * Refuses to go on when any of the given run directories holds a run finished with other options: training it
     * again would delete that finished work (a {@code --resume} with a forgotten {@code --preset} did exactly that).
     * Nothing is changed on disk; the message names each run and the options that differ.
     *
     * @param runs run directory to the fingerprint of the options it is about to be trained with
     * @throws IllegalStateException when a finished run would be overwritten
     */
    public static void refuseOverwritingFinished(Map<Path, String> runs) {
        List<String> clashes = new ArrayList<>();
        for (var e : runs.entrySet()) {
            Path done = e.getKey().resolve(DONE);
            try {
                if (Files.isRegularFile(done)) {
                    String before = Files.readString(done, StandardCharsets.UTF_8);
                    if (!before.equals(e.getValue())) {
                        clashes.add(e.getKey().getFileName() + " (" + differences(before, e.getValue()) + ")");
                    }
                }
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot read " + done, ex);
            }
        }
        if (!clashes.isEmpty()) {
            Path parent = runs.keySet().iterator().next().getParent();
            throw new IllegalStateException(clashes.size() + " finished run" + (clashes.size() == 1 ? " in " : "s in ")
                    + parent + " w" + (clashes.size() == 1 ? "as" : "ere") + " made with other options and would be "
                    + "overwritten: " + String.join(", ", clashes.subList(0, Math.min(4, clashes.size())))
                    + (clashes.size() > 4 ? " and " + (clashes.size() - 4) + " more" : "")
                    + "; nothing was changed. Give the options they were made with, another --out, or delete those "
                    + "run directories to train them again");
        }
    }

    /**
     * @param before a fingerprint ("key=value key=value ...")
     * @param now    another
     * @return the entries that differ, as "key=old here new" (at most three)
     */
    static String differences(String before, String now) {
        Map<String, String> a = entries(before);
        Map<String, String> b = entries(now);
        Set<String> keys = new LinkedHashSet<>(a.keySet());
        keys.addAll(b.keySet());
        List<String> diff = new ArrayList<>();
        for (String k : keys) {
            if (!Objects.equals(a.get(k), b.get(k))) {
                diff.add(k + "=" + a.getOrDefault(k, "(none)") + " here " + b.getOrDefault(k, "(none)"));
            }
        }
        return String.join(", ", diff.subList(0, Math.min(3, diff.size())));
    }

    private static Map<String, String> entries(String fingerprint) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String t : fingerprint.trim().split("\\s+")) {
            int eq = t.indexOf('=');
            m.put(eq < 0 ? t : t.substring(0, eq), eq < 0 ? "" : t.substring(eq + 1));
        }
        return m;
    }

    /**
     * Loads a finished run, if its directory holds one made with the same options.
     *
     * @param dir         the run's directory
     * @param model       the model
     * @param seed        the seed
     * @param lr          the learning rate (part of the fingerprint)
     * @param fingerprint the options the run must have been made with
     * @return the record, or null when the run is missing, unfinished or was made with other options (see
     *         {@link #refuseOverwritingFinished})
     */
    public static RunRecord load(Path dir, CompareModel model, long seed, double lr, String fingerprint) {
        Path done = dir.resolve(DONE);
        try {
            if (!Files.isRegularFile(done) || !Files.readString(done, StandardCharsets.UTF_8).equals(fingerprint)) {
                return null;
            }
            List<EpochMetrics> epochs = new ArrayList<>();
            List<String> lines = Files.readAllLines(dir.resolve("metrics.csv"), StandardCharsets.UTF_8);
            for (String l : lines.subList(1, lines.size())) {
                if (!l.isBlank()) {
                    epochs.add(EpochMetrics.parse(l));
                }
            }
            // a done marker beside a metrics.csv that another run began to rewrite (a run started there by an older
            // version, then stopped) must not pass for a finished run
            String planned = entries(fingerprint).get("epochs");
            if (planned != null && epochs.size() != Integer.parseInt(planned)) {
                throw new IllegalStateException("its metrics.csv holds " + epochs.size() + " of the " + planned
                        + " epochs its done marker promises");
            }
            Properties p = new Properties();
            try (var r = Files.newBufferedReader(dir.resolve("run.properties"), StandardCharsets.UTF_8)) {
                p.load(r);
            }
            List<EventPoint> events = new ArrayList<>();
            Path ev = dir.resolve("events.csv");
            if (Files.isRegularFile(ev)) {
                List<String> rows = Files.readAllLines(ev, StandardCharsets.UTF_8);
                if (!rows.get(0).equals(EventsCsv.HEADER)) {
                    throw new IllegalStateException(ev + ": unexpected header " + rows.get(0));
                }
                for (String row : rows.subList(1, rows.size())) {
                    String[] f = row.split(",");
                    events.add(new EventPoint(f[0], Integer.parseInt(f[1]), Double.parseDouble(f[5]),
                            Double.parseDouble(f[6])));
                }
            }
            List<Probe> probes = new ArrayList<>();
            Path pr = dir.resolve("probes.csv");
            if (Files.isRegularFile(pr)) {
                List<String> rows = Files.readAllLines(pr, StandardCharsets.UTF_8);
                for (String row : rows.subList(1, rows.size())) {
                    EventProbe.Effect e = EventProbe.Effect.parse(row);
                    probes.add(new Probe(e.iteration(), e.testAccBefore(), e.testAccAfter()));
                }
            }
            return new RunRecord(model, seed, lr, epochs, Long.parseLong(p.getProperty("active_params")),
                    Double.parseDouble(p.getProperty("density")), events, readGrid(dir.resolve("mask_before.csv")),
                    readGrid(dir.resolve("mask_after.csv")), probes);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("finished run in " + dir + " cannot be read (" + e.getMessage()
                    + "); delete the directory to train it again", e);
        }
    }

    private static void writeGrid(Path f, double[][] g) throws IOException {
        if (g == null) {
            Files.deleteIfExists(f);
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (double[] row : g) {
            for (int c = 0; c < row.length; c++) {
                sb.append(c == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.5f", row[c]));
            }
            sb.append('\n');
        }
        Files.writeString(f, sb.toString(), StandardCharsets.UTF_8);
    }

    private static double[][] readGrid(Path f) throws IOException {
        if (!Files.isRegularFile(f)) {
            return null;
        }
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        double[][] g = new double[lines.size()][];
        for (int r = 0; r < lines.size(); r++) {
            String[] parts = lines.get(r).split(",");
            g[r] = new double[parts.length];
            for (int c = 0; c < parts.length; c++) {
                g[r][c] = Double.parseDouble(parts[c]);
            }
        }
        return g;
    }
}
