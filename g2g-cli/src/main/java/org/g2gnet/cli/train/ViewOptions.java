package org.g2gnet.cli.train;

import java.io.PrintStream;
import java.nio.file.Path;

import picocli.CommandLine.Option;

/**
 * {@code ./g2g train} options of the live training view (DL4J's training UI, module g2g-ui): see
 * {@link TrainingView}.
 */
public final class ViewOptions {
    @Option(names = "--ui", description = "serve DL4J's training UI on localhost during training and after it, "
            + "until Ctrl-C (module g2g-ui; README, \"Watch training\")")
    boolean ui;

    @Option(names = "--ui-port", defaultValue = "9000", description = "port of the UI, 0 = any free one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--ui-linger", defaultValue = "-1",
            description = "after training, keep serving the UI this many seconds, then exit (default: until Ctrl-C)")
    int lingerSeconds;

    @Option(names = "--stats-file", description = "record the UI's statistics to this file (DL4J FileStatsStorage), "
            + "to open later in DL4J's UI")
    Path statsFile;

    @Option(names = "--stats-every", defaultValue = "10",
            description = "a statistics report (score, histograms, update ratios) every N iterations (default: ${DEFAULT-VALUE})")
    int statsEvery;

    /** @return whether --ui or --stats-file was given */
    public boolean requested() {
        return ui || statsFile != null;
    }

    /**
     * Starts the view when {@code --ui} or {@code --stats-file} was given.
     *
     * @param engine the run's engine (the view watches local training only)
     * @param log    where the UI's address is printed
     * @return the session, or null when no view was asked for
     * @throws IllegalArgumentException on a bad value, or a view with an engine other than local
     */
    public TrainingView.Session start(String engine, PrintStream log) {
        if (!ui && (port != 9000 || lingerSeconds != -1)) {
            throw new IllegalArgumentException("--ui-port and --ui-linger need --ui");
        }
        if (!requested()) {
            if (statsEvery != 10) {
                throw new IllegalArgumentException("--stats-every needs --ui or --stats-file");
            }
            return null;
        }
        if (!"local".equalsIgnoreCase(engine.trim())) {
            throw new IllegalArgumentException("--ui and --stats-file watch local training only, not --engine " + engine);
        }
        return TrainingView.load().start(new TrainingView.Settings(ui, port, lingerSeconds, statsFile, statsEvery), log);
    }
}
