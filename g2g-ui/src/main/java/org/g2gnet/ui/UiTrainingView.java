package org.g2gnet.ui;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.api.UIServer;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.stats.impl.DefaultStatsUpdateConfiguration;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.g2gnet.cli.train.TrainingView;

/**
 * {@code ./g2g train --ui} and {@code --stats-file}: DL4J's training UI ({@code deeplearning4j-ui}, a Vert.x web
 * server) and its {@code StatsListener}, which reports through a {@link MaskAwareStatsRouter} so that the
 * masks of G2G layers do not distort the charts. Found by {@link java.util.ServiceLoader} from g2g-cli.
 */
public final class UiTrainingView implements TrainingView {

    /** For {@link java.util.ServiceLoader}. */
    public UiTrainingView() {
    }

    @Override
    public Session start(Settings s, PrintStream log) {
        StatsStorage storage = s.statsFile() == null ? new InMemoryStatsStorage() : openFile(s.statsFile().toFile());
        UIServer server = null;
        if (s.ui()) {
            try {
                server = serve(s.port(), storage);
            } catch (RuntimeException e) {
                closeQuietly(storage, e);
                throw e;
            }
            log.printf(Locale.ROOT, "training UI: %s/train/overview (DL4J UI server on port %d)%n", server.getAddress(),
                    server.getPort());
        }
        if (s.statsFile() != null) {
            log.println("recording training statistics to " + s.statsFile() + " (open it later with ./g2g ui "
                    + s.statsFile() + ")");
        }
        return new UiSession(s, storage, server);
    }

    /**
     * @param file a DL4J stats file (created when missing; a new session is added to an existing one)
     * @return the storage
     */
    static FileStatsStorage openFile(File file) {
        try {
            File parent = file.getAbsoluteFile().getParentFile();
            if (parent != null) {
                Files.createDirectories(parent.toPath());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("--stats-file: cannot create the directory of " + file, e);
        }
        return new FileStatsStorage(file);
    }

    /**
     * Starts DL4J's UI server (single-session mode) and attaches the storage.
     *
     * @param port    the port, 0 for any free one
     * @param storage what it shows
     * @return the server
     * @throws IllegalStateException naming the port when the server cannot listen on it
     */
    static UIServer serve(int port, StatsStorage storage) {
        UIServer server;
        try {
            server = VertxUIServer.getInstance(port, false, null);
        } catch (RuntimeException e) {
            stopServer(); // DL4J keeps the instance that failed to listen; drop it so that a later start can work
            throw new IllegalStateException("the training UI cannot listen on port " + port + " (" + rootMessage(e)
                    + "); choose another with --ui-port (0 = any free port)", e);
        }
        server.attach(storage);
        return server;
    }

    /** Closes the storage after a failure, keeping the failure as the error. */
    private static void closeQuietly(StatsStorage storage, RuntimeException failure) {
        try {
            storage.close();
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** Stops the UI server if it runs; DL4J keeps one per JVM. */
    static void stopServer() {
        try {
            VertxUIServer.stopInstance();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the training UI server", e);
        }
    }

    /** One watched run. */
    private static final class UiSession implements Session {
        private final Settings settings;
        private final StatsStorage storage;
        private final UIServer server;
        private final String sessionId;
        private boolean closed;

        UiSession(Settings settings, StatsStorage storage, UIServer server) {
            this.settings = settings;
            this.storage = storage;
            this.server = server;
            this.sessionId = "g2g-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT))
                    + "-" + java.util.UUID.randomUUID().toString().substring(0, 4);
        }

        @Override
        public TrainingListener listener(MultiLayerNetwork net) {
            return new StatsListener(new MaskAwareStatsRouter(storage, net), null,
                    new DefaultStatsUpdateConfiguration.Builder().reportingFrequency(settings.everyIterations()).build(),
                    sessionId, null);
        }

        @Override
        public void trainingFinished(PrintStream log) {
            if (server != null) {
                if (settings.lingerSeconds() < 0) {
                    log.printf(Locale.ROOT, "training finished; the UI keeps serving at %s/train/overview until Ctrl-C%n",
                            server.getAddress());
                    log.flush();
                    awaitShutdown();
                } else if (settings.lingerSeconds() > 0) {
                    log.printf(Locale.ROOT, "training finished; the UI keeps serving at %s/train/overview for %d s%n",
                            server.getAddress(), settings.lingerSeconds());
                    log.flush();
                    try {
                        Thread.sleep(settings.lingerSeconds() * 1000L);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            close();
        }

        /** Blocks until the JVM shuts down (Ctrl-C, SIGTERM): DL4J's shutdown hook then stops the server. */
        private static void awaitShutdown() {
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (server != null) {
                stopServer();
            }
            try {
                storage.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close the training statistics storage", e);
            }
        }
    }
}
