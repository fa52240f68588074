package org.g2gnet.cli.sweep;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.g2gnet.cli.compare.CompareModel;
import org.g2gnet.cli.compare.MatchedWidth;
import org.g2gnet.cli.compare.Reports;
import org.g2gnet.cli.compare.RunRecord;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.g2gnet.cli.train.ModelFactory;
import org.g2gnet.cli.train.ModelKind;
import org.g2gnet.conf.G2GDenseLayer;
import org.g2gnet.topology.ConnectionMask;
import org.g2gnet.cli.train.OutputLock;
import org.g2gnet.cli.train.TrainOptions;

/**
 * Runs a structure screen ({@link StructureOptions}): for each seed and density, the G2G Mixer network at every
 * feasible (G, s), then ER and dense-matched at that density; finished runs are reused, interrupted ones resumed,
 * and the parts of a screen split over processes ({@code --densities}, {@code --seeds}) merged with
 * {@code --reuse}. Writes structure.csv, structure.md and one heat map per density ({@link StructureReports}).
 */
public final class StructureScreen {
    private StructureScreen() {
    }

    /**
     * One finished run of the screen.
     *
     * @param model   g2g-mixer, er or dense-matched
     * @param density the density (dense-matched: the density it matches)
     * @param groups  G (0 for ER and dense-matched)
     * @param share   the intra share s (NaN for ER and dense-matched)
     * @param seed    the seed
     * @param options its options
     * @param realised share of the G2G layers' active connections that lie inside groups, as drawn (exact counts
     *                 round per block, so small blocks move it off s; NaN for ER and dense-matched)
     * @param run     its record
     */
    public record Row(CompareModel model, double density, int groups, double share, long seed, TrainOptions options,
                      double realised, RunRecord run) {
        /** @return the last epoch's validation accuracy */
        public double validation() {
            return run.finalValidationAccuracy();
        }
    }

    /**
     * @param rows    every run
     * @param reused  runs loaded instead of trained
     * @param summary structure.md
     */
    public record Result(List<Row> rows, int reused, String summary) {
    }

    /**
     * @param o   the screen
     * @param log where progress goes
     * @return the result
     */
    public static Result run(StructureOptions o, PrintStream log) {
        try (OutputLock lock = OutputLock.acquire(o.out(), "structure screen", log)) {
            return screen(o, log);
        }
    }

    private static Result screen(StructureOptions o, PrintStream log) {
        Sweep.Data data = Sweep.Data.load(o.dataset(), o.dataDir(), 0, o.validation());
        List<Row> plan = new ArrayList<>();
        Map<Double, Integer> matched = new HashMap<>();
        for (long seed = o.seeds().first(); seed <= o.seeds().last(); seed++) {
            for (double d : o.densities()) {
                for (StructureOptions.Pair p : o.pairs()) {
                    if (p.density() == d) {
                        plan.add(new Row(CompareModel.G2G_MIXER, d, p.groups(), p.share(), seed,
                                base(o, d, seed).model(ModelKind.G2G).groups(p.groups())
                                        .intraShare(p.share())
                                        .out(dir(o, "g2g-mixer", d, "-G" + p.groups() + "-share" + SweepPoint.number(p.share()), seed))
                                        .resume(o.resume())
                                        .build(), Double.NaN, null));
                    }
                }
                plan.add(new Row(CompareModel.ER, d, 0, Double.NaN, seed,
                        CompareModel.ER.options(base(o, d, seed).build(), null, 1, seed).toBuilder()
                                .out(dir(o, "er", d, "", seed)).resume(o.resume()).build(), Double.NaN, null));
                int width = matched.computeIfAbsent(d, x -> MatchedWidth.forG2G(base(o, x, 1).build(), data.nIn(),
                        data.classes()));
                plan.add(new Row(CompareModel.DENSE_MATCHED, d, 0, Double.NaN, seed,
                        CompareModel.DENSE_MATCHED.options(base(o, d, seed).build(), null, width, seed).toBuilder()
                                .out(dir(o, "dense-matched", d, "", seed)).resume(o.resume()).build(), Double.NaN, null));
            }
        }
        log.printf(Locale.ROOT, "structure screen: %d runs (%d structures, ER and dense-matched at densities %s; %s) "
                        + "of %d epochs, width %d, on %s (%d training images, %d held out for validation); output in "
                        + "%s%n", plan.size(), o.pairs().size(), o.densities(), o.seeds(), o.epochs(), o.width(),
                o.dataset(), data.pool(), o.validation(), o.out());
        Map<Row, RunQueue.Job> jobs = new LinkedHashMap<>();
        for (Row r : plan) {
            String what = r.model() == CompareModel.G2G_MIXER
                    ? String.format(Locale.ROOT, "g2g-mixer G = %d, intra share %s", r.groups(), SweepPoint.number(r.share()))
                    : r.model().id();
            jobs.put(r, new RunQueue.Job(String.format(Locale.ROOT, "%s at density %s, seed %d", what,
                    SweepPoint.number(r.density()), r.seed()), r.model(), r.seed(), r.options(),
                    (double) data.pool() * o.epochs() * (r.model() == CompareModel.DENSE_MATCHED ? 0.3 : 1.0)));
        }
        RunQueue.Outcome done = RunQueue.run(List.copyOf(jobs.values()), o.reuse(), log);
        List<Row> rows = new ArrayList<>();
        for (Row r : plan) {
            double realised = r.model() == CompareModel.G2G_MIXER ? realisedShare(r.options(), data) : Double.NaN;
            rows.add(new Row(r.model(), r.density(), r.groups(), r.share(), r.seed(), r.options(), realised,
                    done.records().get(jobs.get(r))));
        }
        Reports.Written written = StructureReports.writeAll(o, rows, o.out());
        log.println();
        log.println(written.summary());
        log.printf(Locale.ROOT, "files: %s (runs in %s)%n", written.fileList(), o.out().resolve("runs"));
        return new Result(rows, done.reused(), written.summary());
    }

    /**
     * The share of the active connections inside groups over a G2G network's layers, from the masks its configuration
     * draws (the same as at initialisation, without building the network).
     */
    static double realisedShare(TrainOptions o, Sweep.Data data) {
        MultiLayerConfiguration conf = ModelFactory.build(o, data.nIn(), data.classes(), 1);
        long intra = 0;
        long active = 0;
        for (NeuralNetConfiguration c : conf.getConfs()) {
            if (c.getLayer() instanceof G2GDenseLayer l) {
                ConnectionMask m = l.generateMask(c.getSeed());
                int[] in = l.inputPartition(c.getSeed()).labels();
                int[] out = l.outputPartition(c.getSeed()).labels();
                for (int i = 0; i < m.nIn(); i++) {
                    for (int j = 0; j < m.nOut(); j++) {
                        if (m.isActive(i, j)) {
                            active++;
                            intra += in[i] == out[j] ? 1 : 0;
                        }
                    }
                }
            }
        }
        return (double) intra / Math.max(1, active);
    }

    /**
     * The screening protocol at one density: static masks, the learning rate annealed over the run's own epochs; an
     * ER network until a structure is set (ER reaches every density, G2G at the default G and pIntra not all).
     */
    private static TrainOptions.Builder base(StructureOptions o, double density, long seed) {
        return TrainOptions.builder().width(o.width()).layers(o.layers()).epochs(o.epochs()).batch(Sweep.BATCH)
                .dataset(o.dataset()).dataDir(o.dataDir()).validation(o.validation()).progress(false).logEvery(0)
                .checkpointEvery(o.checkpointEvery()).density(density).seed(seed)
                .model(ModelKind.ER);
    }

    private static Path dir(StructureOptions o, String model, double density, String structure, long seed) {
        return o.out().resolve("runs").resolve(model + "-d" + SweepPoint.number(density) + structure + "-s" + seed);
    }
}
