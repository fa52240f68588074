package org.g2gnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.g2gnet.G2GTestBase;
import org.g2gnet.data.IdxFiles;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/**
 * Random option combinations of {@code ./g2g train} and {@code ./g2g compare}, valid and invalid values mixed, each
 * run in this JVM on tiny generated data: every one must end in success (exit 0, its files written) or in a
 * one-line error (exit 2), never a stack trace and never exit 1 (an internal error). Seeded; {@code
 * -Dg2g.fuzz.runs=N} runs N train combinations (and N / 16, at least 6, compare ones: each trains 1024-wide
 * models) instead of the default 100, {@code -Dg2g.fuzz.seed=S} changes the seed and {@code -Dg2g.fuzz.print=true}
 * prints every refused command line with its error.
 */
@Tag("slow")
class CommandLineFuzzTest extends G2GTestBase {
    private static final String[] STACK_TRACE = {"\tat ", "Exception in thread", "Caused by:"};

    @TempDir
    Path dir;

    /** Option -> values to draw from, valid ones first; "" as a value means the option is left out. */
    private static Map<String, String[]> trainPool(Path data, Path cifar, Path file) {
        Map<String, String[]> p = new LinkedHashMap<>();
        p.put("--model", new String[] {"g2g", "dense", "er", "cnn"});
        p.put("--width", new String[] {"8", "16", "0", "-4", "eight"});
        p.put("--layers", new String[] {"1", "2", "0"});
        p.put("--groups", new String[] {"4", "1", "2", "8", "9", "0"});
        p.put("--p-intra", new String[] {"1.0", "0.5", "0", "1.5", "NaN"});
        p.put("--p-inter", new String[] {"0.15", "0", "1", "-0.1"});
        p.put("--density", new String[] {"", "0.3", "0.6", "1e-9", "0", "2"});
        p.put("--grouping", new String[] {"mixer", "index", "interleaved", "random", "diagonal"});
        p.put("--execution", new String[] {"masked", "structured", "sparse"});
        p.put("--tile-size", new String[] {"0", "1", "2", "3", "-1"});
        p.put("--epochs", new String[] {"1", "2", "0"});
        p.put("--batch", new String[] {"16", "32", "100", "0", "-1"});
        p.put("--lr", new String[] {"1e-3", "0.1", "1e3", "0", "-1", "abc"});
        p.put("--weight-decay", new String[] {"1e-4", "0", "-1"});
        p.put("--seed", new String[] {"1", "42", "-7"});
        p.put("--dataset", new String[] {"fashion-mnist", "cifar10", "cifar100", "cifar100-coarse", "mnist"});
        p.put("--data-dir", new String[] {data.toString(), cifar.toString(), data.resolveSibling("none").toString()});
        p.put("--train-limit", new String[] {"64", "0", "-5"});
        p.put("--validation", new String[] {"0", "16", "96", "-1"});
        p.put("--out", new String[] {"FRESH", "", " ", file.toString(), file.resolve("sub").toString()});
        p.put("--dst", new String[] {"none", "hebbian:hebbian", "magnitude:random", "hebbian-magnitude:gradient",
            "random:random", "hebbian", "hebbian:weird"});
        p.put("--rewire-every", new String[] {"2", "1000", "0"});
        p.put("--rewire-fraction", new String[] {"0.1", "0.5", "1.5", "0"});
        p.put("--rewire-schedule", new String[] {"constant", "cosine", "linear"});
        p.put("--rewire-stop", new String[] {"0", "50%", "3", "150%", "-1", "soon"});
        p.put("--hebbian", new String[] {"signed", "absolute", "centered", "paper", "odd"});
        p.put("--prune-prefilter", new String[] {"1", "0.5", "0", "2"});
        p.put("--regrowth", new String[] {"zero", "small", "big"});
        p.put("--hebbian-average", new String[] {"none", "0.9:3", "1:0", "0.5", "x:y"});
        p.put("--checkpoint-every", new String[] {"0", "2", "500", "-1"});
        p.put("--keep-checkpoints", new String[] {"3", "1", "0"});
        p.put("--resume", new String[] {"FLAG"});
        p.put("--engine", new String[] {"local", "spark", "gpu"});
        p.put("--master", new String[] {"local[2]"});
        p.put("--averaging-frequency", new String[] {"5", "0"});
        p.put("--workers", new String[] {"0", "2", "-1"});
        p.put("--bogus", new String[] {"FLAG", "1"});
        return p;
    }

    private static Map<String, String[]> comparePool(Path data, Path file) {
        Map<String, String[]> p = new LinkedHashMap<>();
        p.put("--preset", new String[] {"quick", "paper", "fast"});
        p.put("--models", new String[] {"dense", "er", "g2g-mixer", "g2g-mixer-dst", "dense,g2g-index", "default",
            "g2g-huge", ""});
        p.put("--seeds", new String[] {"1", "2", "0"});
        p.put("--dataset", new String[] {"fashion-mnist", "cifar10", "mnist"});
        p.put("--data-dir", new String[] {data.toString(), data.resolveSibling("none").toString()});
        p.put("--out", new String[] {"FRESH", "", file.toString()});
        p.put("--dst", new String[] {"hebbian:hebbian", "magnitude:random", "hebbian"});
        p.put("--epochs", new String[] {"1", "0"});
        p.put("--train-limit", new String[] {"32", "-1"});
        p.put("--rewire-every", new String[] {"1", "0"});
        p.put("--validation", new String[] {"0", "16", "-2"});
        p.put("--lrs", new String[] {"1e-3,2e-3", "1e-3,1e-3", "-1", "x"});
        p.put("--checkpoint-every", new String[] {"0", "1", "-1"});
        p.put("--resume", new String[] {"FLAG"});
        p.put("--frobnicate", new String[] {"FLAG"});
        return p;
    }

    /** What one command line did. */
    private record Outcome(int rc, String err, String stdout, String stderr) {
    }

    private static Outcome execute(List<String> args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        ByteArrayOutputStream capturedErr = new ByteArrayOutputStream();
        StringWriter picocliErr = new StringWriter();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(capturedErr, true, StandardCharsets.UTF_8));
            CommandLine cl = G2GCli.commandLine();
            cl.setErr(new PrintWriter(picocliErr, true));
            cl.setOut(new PrintWriter(new StringWriter(), true));
            int rc = cl.execute(args.toArray(String[]::new));
            return new Outcome(rc, picocliErr.toString(), captured.toString(StandardCharsets.UTF_8),
                    capturedErr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** A random command line: the base of a tiny run, then each option of the pool with probability p. */
    private static List<String> draw(SplittableRandom rng, String command, Map<String, String> base,
                                     Map<String, String[]> pool, double p, Path out) {
        Map<String, String> chosen = new LinkedHashMap<>(base);
        for (Map.Entry<String, String[]> e : pool.entrySet()) {
            if (rng.nextDouble() < p) {
                String[] values = e.getValue();
                // valid values are listed first: favour them so that many combinations get to run
                int i = rng.nextDouble() < 0.6 ? 0 : rng.nextInt(values.length);
                chosen.put(e.getKey(), values[i]);
            }
        }
        List<String> args = new ArrayList<>(List.of(command));
        for (Map.Entry<String, String> e : chosen.entrySet()) {
            String v = e.getValue();
            if (v.equals("FLAG")) {
                args.add(e.getKey());
            } else if (!(v.isEmpty() && !e.getKey().equals("--out") && !e.getKey().equals("--models"))) {
                args.add(e.getKey());
                args.add(v.equals("FRESH") ? out.toString() : v);
            }
        }
        return args;
    }

    private static void check(List<String> args, Outcome r, Path out, Map<String, Integer> tally) {
        String what = String.join(" ", args);
        for (String bad : STACK_TRACE) {
            if (r.err().contains(bad) || r.stderr().contains(bad) || r.stdout().contains(bad)) {
                fail(what + ": a stack trace:\n" + r.err() + r.stderr() + r.stdout());
            }
        }
        if (r.rc() == 0) {
            tally.merge("ran", 1, Integer::sum);
            if (args.contains(out.toString())) {
                String files = args.get(0).equals("train") ? "metrics.csv" : "results.csv";
                assertTrue(Files.isRegularFile(out.resolve(files)), what + ": exit 0 without " + files);
            }
            return;
        }
        assertEquals(2, r.rc(), what + ": exit " + r.rc() + ": " + r.err());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), what + ": not one line:\n" + r.err());
        String line = lines.get(0);
        assertTrue(line.startsWith("error: ") && line.length() > 20 && !line.contains("error: null"),
                what + ": " + line);
        // tally by what was refused: the option named first, or the kind of problem
        String key = line.replaceAll("^error: ", "");
        if (Boolean.getBoolean("g2g.fuzz.print")) {
            System.out.println(what + "\n    -> " + line);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("--[a-z-]+").matcher(key);
        tally.merge(m.find() ? "refused " + m.group() : "refused: " + key.split("[:;(]")[0], 1, Integer::sum);
    }

    @Test
    void randomCommandLinesEndInSuccessOrInAOneLineError() throws Exception {
        long seed = Long.getLong("g2g.fuzz.seed", 16);
        int runs = Integer.getInteger("g2g.fuzz.runs", 100);
        Path data = IdxFiles.fashionMnistDir(dir, 96, 40, true);
        Path cifar = Files.createDirectories(dir.resolve("cifar"));
        for (String f : new String[] {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
            "data_batch_5.bin", "test_batch.bin"}) {
            byte[] b = new byte[8 * 3073];
            for (int r = 0; r < 8; r++) {
                b[r * 3073] = (byte) (r % 10);
            }
            Files.write(cifar.resolve(f), b);
        }
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, Integer> tally = new TreeMap<>();
        Map<String, String> trainBase = new LinkedHashMap<>(Map.of("--width", "8", "--layers", "1", "--epochs", "1",
                "--batch", "16", "--train-limit", "64", "--data-dir", data.toString(), "--out", "FRESH",
                "--no-progress", "FLAG", "--checkpoint-every", "0"));
        trainBase.put("--groups", "4");
        Map<String, String[]> train = trainPool(data, cifar, file);
        long t0 = System.nanoTime();
        for (int k = 0; k < runs; k++) {
            Path out = dir.resolve("t" + k);
            List<String> args = draw(rng, "train", trainBase, train, 0.12, out);
            check(args, execute(args), out, tally);
        }
        Map<String, String> compareBase = new LinkedHashMap<>(Map.of("--models", "dense", "--epochs", "1",
                "--train-limit", "32", "--data-dir", data.toString(), "--out", "FRESH", "--checkpoint-every", "0"));
        Map<String, String[]> compare = comparePool(data, file);
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        int compareRuns = Math.max(6, runs / 16);
        for (int k = 0; k < compareRuns; k++) {
            Path out = dir.resolve("c" + k);
            List<String> args = draw(rng, "compare", compareBase, compare, 0.15, out);
            check(args, execute(args), out, tally);
        }
        int ran = tally.getOrDefault("ran", 0);
        System.out.printf(java.util.Locale.ROOT, "command-line fuzz (seed %d): %d train and %d compare combinations in "
                        + "%.0f s + %.0f s: %d ran, %d refused with a one-line error (exit 2), none otherwise; %s%n", seed,
                runs, compareRuns, trainSeconds, (System.nanoTime() - t0) / 1e9 - trainSeconds, ran,
                runs + compareRuns - ran, tally);
        assertTrue(ran >= (runs + compareRuns) / 5, "too few combinations ran to the end: " + tally);
        assertTrue(ran < runs + compareRuns, "no combination was refused: " + tally);
    }
}
