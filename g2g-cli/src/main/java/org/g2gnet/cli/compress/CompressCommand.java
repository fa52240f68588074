package org.g2gnet.cli.compress;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.g2gnet.G2GNetworks;
import org.g2gnet.MaskIntegrity;
import org.g2gnet.cli.train.DatasetLoader;
import org.g2gnet.cli.train.OutputLock;
import org.g2gnet.cli.train.TrainOptions;
import org.g2gnet.cli.train.Trainer;
import org.g2gnet.compress.Compressor;
import org.g2gnet.data.ShufflingDataSetIterator;
import org.g2gnet.util.EnumNames;
import org.g2gnet.util.Seeds;
import org.g2gnet.schedule.CosineSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.ScheduleType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./g2g compress}: a trained dense model (made by {@code ./g2g train --model dense}, or any ModelSerializer
 * file of a MultiLayerNetwork with dense hidden layers) compressed at a density by each method of
 * {@link Compressor.Method}, evaluated right after the conversion and after fine-tuning, with the inference speed
 * of each compressed model against the dense original measured in the same run.
 */
@Command(name = "compress", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compress a trained dense model: its hidden DenseLayers become G2G layers that start from the "
                + "trained weights (groups learned from the weights' mass), beside unstructured magnitude pruning and "
                + "the paper's Mixer grouping at the same density and fine-tuning budget. Writes model.zip (the "
                + "learned-groups network), compress.csv and summary.md."})
public final class CompressCommand implements Callable<Integer> {
    /** Header of compress.csv. */
    public static final String HEADER = "method,density,groups,stage,test_accuracy,active_params,mass_kept,"
            + "inference_speedup,compiled_speedup,gradual_epochs,finetune_epochs";

    @Option(names = "--model", required = true, description = "the trained dense model (a ModelSerializer zip)")
    Path model;

    @Option(names = "--density", defaultValue = "0.25", description = "connections kept in each compressed layer, in "
            + "(0, 1) (default: ${DEFAULT-VALUE})")
    double density;

    @Option(names = "--groups", description = "G of the G2G layers (default: the smallest power of two whose "
            + "intra-group blocks hold at most half of the kept connections: 8 at 0.25)")
    Integer groups;

    @Option(names = "--epochs", defaultValue = "1", description = "fine-tuning epochs, 0 for none (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--gradual", defaultValue = "0", paramLabel = "E", description = "epochs of gradual pruning "
            + "before the conversion (the regrouped network trained dense while the connections the method drops are "
            + "pruned, smallest |w| first, on a cubic schedule), 0 to convert at once (default: ${DEFAULT-VALUE})")
    int gradual;

    @Option(names = "--lr-decay", defaultValue = "cosine", description = "cosine (the rate annealed to 0 over the "
            + "gradual and fine-tuning epochs together) or none (default: ${DEFAULT-VALUE})")
    String lrDecay;

    @Option(names = "--rewire-every", defaultValue = "0", paramLabel = "N", description = "rewire the compressed "
            + "layers during fine-tuning every N iterations with the library's default rule (prune the smallest "
            + "weights, grow by Hebbian score, fraction 0.1 cosine-decayed, none in the last quarter); 0 for none "
            + "(default: ${DEFAULT-VALUE})")
    int rewireEvery;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Adam learning rate of fine-tuning (default: ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--methods", defaultValue = "learned,block,mixer,magnitude", split = ",",
            description = "learned | block (learned groups as a G2GBlock: whole tiles) | mixer | magnitude | "
                    + "coactivation (groups from how the neurons fire together on 2,048 training images; not in the "
                    + "default) | scratch "
                    + "(the baseline: a G2G block of the same G and density trained from scratch, with the paper's "
                    + "protocol, for the dense model's epochs plus --gradual plus --epochs; not in the default) "
                    + "(default: ${DEFAULT-VALUE})")
    List<String> methods;

    @Option(names = "--batch", defaultValue = "256", description = "mini-batch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the fine-tuning order (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--dataset", defaultValue = "fashion-mnist", description = "the data the model was trained on (default: ${DEFAULT-VALUE})")
    String dataset;

    @Option(names = "--data-dir", description = "directory with the dataset's files")
    Path dataDir;

    @Option(names = "--train-limit", defaultValue = "0", description = "fine-tune on the first N training images (0 = all)")
    int trainLimit;

    @Option(names = "--out", defaultValue = "runs/compress", description = "output directory (default: ${DEFAULT-VALUE})")
    Path out;

    /** Rounds of the interleaved inference timing. */
    static final int TIMING_ROUNDS = 15;

    @Override
    public Integer call() {
        run(System.out);
        return 0;
    }

    /**
     * @param log where progress goes
     * @return the rows of compress.csv
     */
    List<String> run(PrintStream log) {
        if (!(density > 0 && density < 1)) {
            throw new IllegalArgumentException("--density must be in (0, 1), got " + density);
        }
        if (epochs < 0 || batch < 1 || trainLimit < 0 || !(lr > 0)) {
            throw new IllegalArgumentException("--epochs and --train-limit must be >= 0, --batch >= 1 and --lr > 0, got "
                    + epochs + ", " + trainLimit + ", " + batch + ", " + lr);
        }
        if (!lrDecay.equals("cosine") && !lrDecay.equals("none")) {
            throw new IllegalArgumentException("--lr-decay must be cosine or none, got '" + lrDecay + "'");
        }
        if (rewireEvery < 0) {
            throw new IllegalArgumentException("--rewire-every must be >= 0 iterations, got " + rewireEvery);
        }
        if (gradual < 0) {
            throw new IllegalArgumentException("--gradual must be >= 0 epochs, got " + gradual);
        }
        List<Compressor.Method> ms = new ArrayList<>();
        boolean scratch = false;
        for (String m : methods) {
            if (m.trim().equalsIgnoreCase("scratch")) {
                scratch = true;
                continue;
            }
            ms.add(EnumNames.parse(Compressor.Method.class, m.trim(), "--methods"));
        }
        MultiLayerNetwork dense = load(model);
        try (OutputLock lock = OutputLock.acquire(out, "compress", log)) {
            return compress(dense, ms, scratch, log);
        }
    }

    private List<String> compress(MultiLayerNetwork dense, List<Compressor.Method> ms, boolean scratch,
                                  PrintStream log) {
        DatasetLoader.Split data = DatasetLoader.load(dataset, dataDir, trainLimit, 0);
        ShufflingDataSetIterator train = new ShufflingDataSetIterator(data.train(), batch, true,
                Seeds.mix(seed, "data"), data.augmentation());
        ShufflingDataSetIterator test = new ShufflingDataSetIterator(data.test(), 1000, false, 0, null);
        long denseParams = G2GNetworks.sparsityReport(dense).activeParams();
        double denseAcc = Trainer.evaluate(dense, test)[0];
        log.printf(Locale.ROOT, "compress: %s, %,d parameters, test accuracy %.4f; density %s, %d fine-tuning "
                + "epoch%s at lr %s (%s)%n", model, denseParams, denseAcc, density, epochs, epochs == 1 ? "" : "s", lr,
                lrDecay);
        List<String> rows = new ArrayList<>();
        rows.add(String.format(Locale.ROOT, "dense,1,0,dense,%.6f,%d,1.000000,1.0000,,0,0", denseAcc, denseParams));
        List<MultiLayerNetwork> compressed = new ArrayList<>();
        // rows waiting for the speed-ups, which are measured at the end
        List<Pending> pending = new ArrayList<>();
        List<String> rewiringEvents = new ArrayList<>();
        INDArray sample = ms.contains(Compressor.Method.COACTIVATION) ? sample(train, 2048) : null;
        for (Compressor.Method m : ms) {
            int steps = (gradual + epochs) * train.batchesPerEpoch();
            Compressor.Builder b = Compressor.builder().density(density).method(m).updater(lrDecay.equals("cosine")
                    ? new Adam(new CosineSchedule(ScheduleType.ITERATION, lr, 0, Math.max(1, steps))) : new Adam(lr));
            int g0 = groups != null ? groups : Compressor.defaultGroups(density);
            if (m == Compressor.Method.BLOCK) {
                // a block needs G to divide every side: the largest power-of-two divisor at most the default
                int g1 = g0;
                while (g1 > 1 && !dividesAll(dense, g1)) {
                    g1 /= 2;
                }
                if (g1 < 2) {
                    log.printf(Locale.ROOT, "  block: skipped, no G >= 2 up to %d divides every layer size%n", g0);
                    continue;
                }
                if (g1 != g0) {
                    log.printf(Locale.ROOT, "  block: G = %d (G = %d does not divide every layer size)%n", g1, g0);
                }
                g0 = g1;
            }
            b.groups(g0).sample(sample);
            Compressor.Result r;
            if (gradual > 0) {
                log.printf(Locale.ROOT, "  %s: %d epoch%s of gradual pruning before the conversion%n",
                        m.name().toLowerCase(Locale.ROOT), gradual, gradual == 1 ? "" : "s");
                train.seek(0, 0);
                r = b.build().compressGradually(dense, train, gradual, train.batchesPerEpoch());
                // fine-tuning goes on where the gradual phase stopped on the learning-rate schedule
                r.network().getLayerWiseConfigurations().setIterationCount(gradual * train.batchesPerEpoch());
            } else {
                r = b.build().compress(dense);
            }
            MultiLayerNetwork net = r.network();
            String name = m.name().toLowerCase(Locale.ROOT);
            double mass = r.layers().stream().mapToDouble(Compressor.LayerReport::massKept).average().orElse(1);
            int g = r.layers().get(0).groups();
            long active = G2GNetworks.sparsityReport(net).activeParams();
            for (Compressor.LayerReport l : r.layers()) {
                log.println("  " + name + ": " + l.summary());
            }
            double converted = Trainer.evaluate(net, test)[0];
            log.printf(Locale.ROOT, "  %s: converted, test accuracy %.4f%n", name, converted);
            pending.add(new Pending(name, g, "converted", converted, active, mass, compressed.size(), "0"));
            org.g2gnet.rewiring.RewiringListener rewiring = rewireEvery > 0 && epochs > 0
                    ? rewiring(epochs * train.batchesPerEpoch()) : null;
            if (rewiring != null) {
                net.setListeners(rewiring);
            }
            for (int e = 0; e < epochs; e++) {
                train.seek(gradual + e, 0);
                net.fit(train);
                MaskIntegrity.check(net, "fine-tuning epoch " + (e + 1) + " of " + name);
                double acc = Trainer.evaluate(net, test)[0];
                log.printf(Locale.ROOT, "  %s: fine-tuned %d/%d, test accuracy %.4f%n", name, e + 1, epochs, acc);
                // one row per epoch: the accuracy after 1, 2, ... epochs of fine-tuning
                pending.add(new Pending(name, g, "finetuned", acc, active, mass, compressed.size(),
                        Integer.toString(e + 1)));
            }
            if (rewiring != null) {
                net.setListeners();
                log.printf(Locale.ROOT, "  %s: %d rewiring events during fine-tuning%n", name,
                        rewiring.events().size());
                rewiringEvents.add(name + " " + rewiring.events().size());
            }
            compressed.add(net);
            if (m == Compressor.Method.LEARNED) {
                save(net, out.resolve("model.zip"));
            }
        }
        if (scratch) {
            MultiLayerNetwork fromScratch = scratch(dense, test, pending, compressed.size(), log);
            if (fromScratch != null) {
                compressed.add(fromScratch);
            }
        }
        double[][] speedups = speedups(dense, compressed, test, log);
        for (Pending p : pending) {
            rows.add(p.head(density) + String.format(Locale.ROOT, "%.4f,%.4f,%d,%s", speedups[0][p.model()],
                    speedups[1][p.model()], gradual, p.finetuneEpochs()));
        }
        write(rows, ms, rewiringEvents);
        return rows;
    }

    /**
     * A row of compress.csv waiting for the speed-ups, which are measured once all models exist.
     *
     * @param method         the method's name
     * @param groups         G
     * @param stage          converted, finetuned or trained
     * @param accuracy       test accuracy
     * @param active         active parameters
     * @param mass           weight mass kept, or null (the scratch baseline)
     * @param model          the compressed model it belongs to (index into the speed-ups)
     * @param finetuneEpochs fine-tuning epochs done, or "" (the scratch baseline)
     */
    private record Pending(String method, int groups, String stage, double accuracy, long active, Double mass,
                           int model, String finetuneEpochs) {
        /** @return the columns up to mass_kept, with the comma after it */
        String head(double density) {
            return String.format(Locale.ROOT, "%s,%s,%d,%s,%.6f,%d,%s,", method, density, groups, stage, accuracy,
                    active, mass == null ? "" : String.format(Locale.ROOT, "%.6f", mass));
        }
    }

    /** The features of the first minibatches of the training data, at least {@code n} examples (fewer if there are). */
    private static INDArray sample(ShufflingDataSetIterator train, int n) {
        train.seek(0, 0);
        List<INDArray> parts = new ArrayList<>();
        long have = 0;
        while (have < n && train.hasNext()) {
            INDArray f = train.next().getFeatures();
            parts.add(f);
            have += f.rows();
        }
        return Nd4j.vstack(parts.toArray(new INDArray[0]));
    }

    /**
     * Inference time of the dense original over each compressed model's, on one batch of 256 test images (fewer when
     * the test set is smaller), interleaved.
     */
    private static double[][] speedups(MultiLayerNetwork dense, List<MultiLayerNetwork> nets,
                                       ShufflingDataSetIterator test, PrintStream log) {
        test.seek(0, 0);
        INDArray first = test.next().getFeatures();
        INDArray x = first.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, Math.min(256, first.rows())),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
        // the original's output(), each compressed model's output() and its CompiledNetwork, interleaved
        List<java.util.function.Supplier<INDArray>> all = new ArrayList<>();
        all.add(() -> dense.output(x));
        for (MultiLayerNetwork n : nets) {
            all.add(() -> n.output(x));
        }
        for (MultiLayerNetwork n : nets) {
            org.g2gnet.serve.CompiledNetwork c = org.g2gnet.serve.CompiledNetwork.of(n);
            all.add(() -> c.output(x));
        }
        double[][] t = new double[all.size()][TIMING_ROUNDS];
        for (int r = -3; r < TIMING_ROUNDS; r++) {
            for (int k = 0; k < all.size(); k++) {
                long t0 = System.nanoTime();
                for (int rep = 0; rep < 5; rep++) {
                    all.get(k).get();
                }
                if (r >= 0) {
                    t[k][r] = (System.nanoTime() - t0) / 5e6;
                }
            }
        }
        double base = median(t[0]);
        double[][] out = new double[2][nets.size()];
        for (int k = 0; k < nets.size(); k++) {
            out[0][k] = base / median(t[k + 1]);
            out[1][k] = base / median(t[k + 1 + nets.size()]);
        }
        log.printf(Locale.ROOT, "  inference at batch %d (median of %d interleaved rounds): dense %.2f ms; speed-ups "
                + "of output() %s, compiled %s%n", x.rows(), TIMING_ROUNDS, base, Arrays.toString(out[0]),
                Arrays.toString(out[1]));
        return out;
    }

    /**
     * The library's default rewiring rule ({@code ./g2g train --dst} default: magnitude prune, Hebbian growth, fraction
     * 0.1 cosine-decayed, no rewiring in the last quarter) for a fine-tuning of {@code iterations} steps.
     */
    private org.g2gnet.rewiring.RewiringListener rewiring(int iterations) {
        TrainOptions.Builder o = TrainOptions.builder()
                .rewireEvery(rewireEvery).seed(seed).epochs(Math.max(1, epochs));
        org.g2gnet.cli.train.DstPreset.DEFAULT.applyTo(o);
        TrainOptions options = o.build();
        return options.rewiring().listener(options.protocol().seed(), iterations);
    }

    /**
     * The from-scratch baseline: a G2G block (Mixer grouping, the compressed layers' G, this density) of the dense
     * model's shape trained with the paper's protocol ({@code ./g2g train}'s defaults) for the dense model's epochs
     * plus the gradual and fine-tuning epochs, on the same training images and seed. Skipped, with the reason, when the
     * dense model is not the paper's kind of network (hidden DenseLayers of one width on the dataset's images).
     *
     * @return the trained network (its row added to {@code pending} as model {@code model}), or null when skipped
     */
    private MultiLayerNetwork scratch(MultiLayerNetwork dense, ShufflingDataSetIterator test, List<Pending> pending,
                                      int model, PrintStream log) {
        List<org.deeplearning4j.nn.conf.layers.DenseLayer> hidden = new ArrayList<>();
        for (var c : dense.getLayerWiseConfigurations().getConfs()) {
            if (c.getLayer() instanceof org.deeplearning4j.nn.conf.layers.DenseLayer d) {
                hidden.add(d);
            }
        }
        long width = hidden.isEmpty() ? 0 : hidden.get(0).getNOut();
        boolean uniform = !hidden.isEmpty() && hidden.stream().allMatch(d -> d.getNOut() == width)
                && hidden.size() + 1 == dense.getnLayers();
        if (!uniform) {
            log.println("  scratch: skipped, the dense model is not hidden DenseLayers of one width and an output layer");
            return null;
        }
        int g = groups != null ? groups : Compressor.defaultGroups(density);
        int total = dense.getEpochCount() + gradual + epochs;
        Path dir = out.resolve("scratch");
        log.printf(Locale.ROOT, "  scratch: a G2G block (G = %d, density %s, Mixer grouping) trained from scratch for "
                + "%d epochs (the dense model's %d + %d + %d), output in %s%n", g, density, total,
                dense.getEpochCount(), gradual, epochs, dir);
        org.g2gnet.cli.train.TrainOptions o = org.g2gnet.cli.train.TrainOptions.builder()
                .model(org.g2gnet.cli.train.ModelKind.G2G).execution(org.g2gnet.conf.Execution.BLOCK)
                .width((int) width).layers(hidden.size()).groups(g).density(density).epochs(Math.max(1, total))
                .seed(seed).dataset(dataset).dataDir(dataDir).trainLimit(trainLimit).progress(false).out(dir).build();
        var result = Trainer.run(o, log);
        MultiLayerNetwork net;
        try {
            net = ModelSerializer.restoreMultiLayerNetwork(dir.resolve("model.zip").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the scratch baseline's model in " + dir, e);
        }
        double acc = Trainer.evaluate(net, test)[0];
        log.printf(Locale.ROOT, "  scratch: trained, test accuracy %.4f (training's last epoch: %.4f)%n", acc,
                result.finalAccuracy());
        // trained from scratch: no weight mass kept and no fine-tuning to count
        pending.add(new Pending("scratch", g, "trained", acc, G2GNetworks.sparsityReport(net).activeParams(), null,
                model, ""));
        return net;
    }

    /** Whether g divides the input and every hidden width of the network's dense hidden layers. */
    private static boolean dividesAll(MultiLayerNetwork dense, int g) {
        for (var c : dense.getLayerWiseConfigurations().getConfs()) {
            if (c.getLayer() instanceof org.deeplearning4j.nn.conf.layers.DenseLayer d
                    && (d.getNIn() % g != 0 || d.getNOut() % g != 0)) {
                return false;
            }
        }
        return true;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static MultiLayerNetwork load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--model " + file + ": no such file");
        }
        try {
            return ModelSerializer.restoreMultiLayerNetwork(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("--model " + file + ": not a MultiLayerNetwork saved by DL4J's "
                    + "ModelSerializer (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
    }

    private static void save(MultiLayerNetwork net, Path file) {
        try {
            Files.createDirectories(file.getParent());
            File tmp = file.resolveSibling(file.getFileName() + ".tmp").toFile();
            ModelSerializer.writeModel(net, tmp, true);
            Files.move(tmp.toPath(), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private void write(List<String> rows, List<Compressor.Method> ms, List<String> rewiringEvents) {
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "# Compression of %s at density %s%n%n"
                + "Gradual pruning before the conversion: %d epoch%s. Fine-tuning: %d epoch%s, Adam %s (%s). "
                + "Inference speed-up: the dense original's time over the compressed "
                + "model's with DL4J's output(), and with CompiledNetwork, batch 256, same run.%n%n| method | G | stage | "
                + "fine-tuning epochs | test accuracy | active parameters | weight mass kept | inference speed-up | "
                + "compiled |%n|---|---|---|---|---|---|---|---|---|%n", model.getFileName(),
                density, gradual, gradual == 1 ? "" : "s", epochs, epochs == 1 ? "" : "s", lr,
                lrDecay.equals("cosine") ? "annealed to 0 with a cosine over both" : "constant"));
        for (String r : rows) {
            String[] f = r.split(",", -1);
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %,d | %s | %s | %s |%n", f[0], f[2], f[3],
                    f[10], f[4].substring(0, Math.min(6, f[4].length())), Long.parseLong(f[5]),
                    f[6].substring(0, Math.min(5, f[6].length())), f[7], f[8]));
        }
        if (!rewiringEvents.isEmpty()) {
            md.append(String.format(Locale.ROOT, "%nRewiring during fine-tuning every %d iterations (the default rule); "
                    + "rewiring events: %s%n", rewireEvery, String.join(", ", rewiringEvents)));
        }
        try {
            Files.createDirectories(out);
            Files.writeString(out.resolve("compress.csv"), HEADER + "\n" + String.join("\n", rows) + "\n",
                    StandardCharsets.UTF_8);
            Files.writeString(out.resolve("summary.md"), md.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the reports in " + out, e);
        }
        System.out.println();
        System.out.print(md);
        System.out.printf(Locale.ROOT, "files: %s, %s%s%n", out.resolve("compress.csv"), out.resolve("summary.md"),
                ms.contains(Compressor.Method.LEARNED) ? ", " + out.resolve("model.zip") : "");
    }
}
