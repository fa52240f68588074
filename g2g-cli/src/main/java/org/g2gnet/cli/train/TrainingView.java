package org.g2gnet.cli.train;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Function;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;

/**
 * DL4J's training UI and its stats file ({@code ./g2g train --ui}, {@code --stats-file}), provided by the
 * {@code g2g-ui} module through {@link java.util.ServiceLoader} so that the rest of the command line (and its
 * classpath) does not depend on the UI's web server.
 */
public interface TrainingView {

    /**
     * Starts the view before training: opens the stats storage and, with {@code --ui}, the UI server, and
     * prints its address.
     *
     * @param settings what to record and where to serve it
     * @param log      where the address is printed
     * @return the session, which makes the network's listener and is ended after training
     */
    Session start(Settings settings, PrintStream log);

    /** One training run watched by the view. */
    interface Session extends AutoCloseable {
        /**
         * @param net the network about to be trained (initialised)
         * @return the listener that records its statistics (DL4J's {@code StatsListener})
         */
        TrainingListener listener(MultiLayerNetwork net);

        /**
         * After training: with {@code --ui}, keeps serving for the linger time, or until the JVM is stopped
         * (Ctrl-C, SIGTERM) when none is set; then closes. Without the UI it only closes.
         *
         * @param log where the UI's address and how to stop it are printed
         */
        void trainingFinished(PrintStream log);

        /** Stops the UI server (if any) and closes the stats storage; idempotent. */
        @Override
        void close();
    }

    /**
     * What {@code --ui}, {@code --ui-port}, {@code --ui-linger}, {@code --stats-file} and {@code --stats-every}
     * ask for.
     *
     * @param ui             serve DL4J's training UI on localhost
     * @param port           port of the UI (0: any free port)
     * @param lingerSeconds  after training, keep serving this many seconds; -1: until the JVM is stopped
     * @param statsFile      record to this {@code FileStatsStorage} file, or null for memory only
     * @param everyIterations a statistics report every N iterations (the score chart's resolution)
     */
    record Settings(boolean ui, int port, int lingerSeconds, Path statsFile, int everyIterations) {
        /** Validates, naming the option and the value. */
        public Settings {
            if (!ui && statsFile == null) {
                throw new IllegalArgumentException("the training view needs --ui or --stats-file");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("--ui-port must be in [0, 65535] (0 = any free port), got " + port);
            }
            if (lingerSeconds < -1) {
                throw new IllegalArgumentException("--ui-linger must be >= 0 seconds (or -1 = until Ctrl-C), got "
                        + lingerSeconds);
            }
            if (everyIterations < 1) {
                throw new IllegalArgumentException("--stats-every must be >= 1, got " + everyIterations);
            }
        }
    }

    /**
     * @param session the view's session, or null when none was asked for
     * @return a function giving the listeners a run attaches for the view (none without a session)
     */
    static Function<MultiLayerNetwork, List<TrainingListener>> listeners(Session session) {
        return net -> session == null ? List.of() : List.of(session.listener(net));
    }

    /**
     * @return the view on the classpath
     * @throws IllegalStateException naming what to do when g2g-ui is not on the classpath
     */
    static TrainingView load() {
        return ServiceLoader.load(TrainingView.class).findFirst().orElseThrow(() -> new IllegalStateException(
                "--ui and --stats-file need the g2g-ui module on the classpath; run them through ./g2g (which "
                        + "builds g2g-ui when it sees --ui or --stats-file) (README, \"Watch training\")"));
    }
}
