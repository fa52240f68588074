package org.g2gnet.cli.sweep;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.g2gnet.cli.compare.CompareModel;
import org.g2gnet.cli.compare.Comparison;
import org.g2gnet.cli.compare.RunRecord;
import org.g2gnet.cli.train.TrainOptions;

/**
 * The runs of a sweep or a structure screen, each in its own directory under {@code OUT/runs}: finished runs with
 * the same settings are loaded (or copied from {@code --reuse} directories, the parts of a split sweep), the others
 * trained in order with progress and an ETA weighted by each run's work; an interrupted run resumes from its
 * checkpoints when its options say so.
 */
final class RunQueue {
    private RunQueue() {
    }

    /**
     * One run.
     *
     * @param label   how progress lines name it
     * @param model   the model (for the run record)
     * @param seed    its seed
     * @param options its options (out = its directory)
     * @param work    its relative cost for the ETA (training images x epochs, scaled for cheap models)
     */
    record Job(String label, CompareModel model, long seed, TrainOptions options, double work) {
        Path dir() {
            return options.output().out();
        }
    }

    /**
     * @param records every job's record, in the jobs' order
     * @param reused  how many were loaded (or copied) instead of trained
     */
    record Outcome(Map<Job, RunRecord> records, int reused) {
    }

    /**
     * @param jobs  the runs, in the order to train them
     * @param reuse other output directories whose finished runs are copied instead of trained (may be empty)
     * @param log   where progress goes
     * @return every job's record
     */
    static Outcome run(List<Job> jobs, List<Path> reuse, PrintStream log) {
        for (Path r : reuse) {
            // a mistyped --reuse would otherwise train everything again, silently
            if (!Files.isDirectory(r.resolve("runs"))) {
                throw new IllegalArgumentException("--reuse " + r + ": not a sweep's output directory (no "
                        + r.resolve("runs") + ")");
            }
        }
        Map<Path, String> fingerprints = new LinkedHashMap<>();
        jobs.forEach(j -> fingerprints.put(j.dir(), j.options().fingerprint()));
        RunRecord.refuseOverwritingFinished(fingerprints);

        int copied = 0;
        List<Job> todo = new ArrayList<>();
        Map<Job, RunRecord> loaded = new LinkedHashMap<>();
        for (Job j : jobs) {
            RunRecord r = load(j, j.dir());
            if (r == null && copyFinishedFromReuse(reuse, j)) {
                copied++;
                r = load(j, j.dir());
            }
            if (r == null) {
                todo.add(j);
            } else {
                loaded.put(j, r);
            }
        }
        if (!reuse.isEmpty()) {
            log.printf(Locale.ROOT, "sweep: copied %d finished run%s from %s%n", copied, copied == 1 ? "" : "s", reuse);
        }
        if (!loaded.isEmpty()) {
            log.printf(Locale.ROOT, "sweep: reusing %d finished run%s%n", loaded.size(), loaded.size() == 1 ? "" : "s");
        }
        double workTotal = todo.stream().mapToDouble(Job::work).sum();
        double[] workDone = {0};
        long start = System.nanoTime();
        int index = 0;
        Map<Job, RunRecord> records = new LinkedHashMap<>();
        for (Job j : jobs) {
            RunRecord r = loaded.get(j);
            if (r == null) {
                index++;
                String head = String.format(Locale.ROOT, "[%d/%d] %s", index, todo.size(), j.label());
                log.println(head);
                double perEpoch = j.work() / j.options().protocol().epochs();
                r = RunRecord.train(j.model(), j.seed(), j.options(), Comparison.indented(log), m -> {
                    workDone[0] += perEpoch;
                    double elapsed = (System.nanoTime() - start) / 1e9;
                    double eta = elapsed / workDone[0] * Math.max(0, workTotal - workDone[0]);
                    log.printf(Locale.ROOT, "%s: epoch %d/%d test accuracy %.4f | overall %d%%, elapsed %s, ETA %s%n",
                            head, m.epoch(), j.options().protocol().epochs(), m.testAccuracy(),
                            (int) Math.min(100, 100 * workDone[0] / Math.max(1e-9, workTotal)),
                            Comparison.duration(elapsed), Comparison.duration(eta));
                });
            }
            records.put(j, r);
        }
        return new Outcome(records, loaded.size());
    }

    /**
     * Copies a run that one of the reused directories finished (same fingerprint) into the job's directory, which
     * has not finished it. Checkpoints, model files and lock files stay behind: a finished run needs none of them
     * to be reported. An unfinished run of the same name in the job's directory is replaced.
     *
     * @return whether a run was copied
     */
    private static boolean copyFinishedFromReuse(List<Path> reuse, Job j) {
        for (Path other : reuse) {
            Path from = other.resolve("runs").resolve(j.dir().getFileName().toString());
            if (load(j, from) == null) {
                continue;
            }
            try {
                if (Files.exists(j.dir())) {
                    try (Stream<Path> old = Files.walk(j.dir())) {
                        for (Path f : old.sorted(Comparator.reverseOrder()).toList()) {
                            Files.delete(f);
                        }
                    }
                }
                try (Stream<Path> files = Files.walk(from)) {
                    for (Path f : files.toList()) {
                        Path rel = from.relativize(f);
                        String name = f.getFileName().toString();
                        if (rel.startsWith("checkpoints") || name.equals(".g2g.lock") || name.equals("model.zip")) {
                            continue;
                        }
                        if (Files.isDirectory(f)) {
                            Files.createDirectories(j.dir().resolve(rel.toString()));
                        } else {
                            Files.copy(f, j.dir().resolve(rel.toString()), StandardCopyOption.COPY_ATTRIBUTES);
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy the finished run " + from + " into " + j.dir(), e);
            }
            return true;
        }
        return false;
    }

    private static RunRecord load(Job j, Path dir) {
        return RunRecord.load(dir, j.model(), j.seed(), j.options().protocol().lr(), j.options().fingerprint());
    }
}
