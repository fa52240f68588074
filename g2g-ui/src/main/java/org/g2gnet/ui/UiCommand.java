package org.g2gnet.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.ui.api.UIServer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./g2g ui FILE...}: serves stats files written by {@code ./g2g train --stats-file} in DL4J's training UI
 * until Ctrl-C (or for {@code --ui-linger} seconds).
 */
@Command(name = "ui", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Open stats files written by 'train --stats-file' in DL4J's training UI (until Ctrl-C).")
public final class UiCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "stats files (DL4J FileStatsStorage)")
    List<Path> files;

    @Option(names = "--ui-port", defaultValue = "9000", description = "port, 0 = any free one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--ui-linger", defaultValue = "-1",
            description = "serve this many seconds, then exit (default: until Ctrl-C)")
    int lingerSeconds;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--ui-port must be in [0, 65535] (0 = any free port), got " + port);
        }
        if (lingerSeconds < -1) {
            throw new IllegalArgumentException("--ui-linger must be >= 0 seconds (or -1 = until Ctrl-C), got "
                    + lingerSeconds);
        }
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new IllegalArgumentException("no stats file at " + f + " (write one with ./g2g train --stats-file "
                        + f + ")");
            }
        }
        List<StatsStorage> storages = files.stream().<StatsStorage>map(f -> UiTrainingView.openFile(f.toFile())).toList();
        UIServer server = UiTrainingView.serve(port, storages.get(0));
        for (StatsStorage s : storages.subList(1, storages.size())) {
            server.attach(s);
        }
        int sessions = storages.stream().mapToInt(s -> s.listSessionIDs().size()).sum();
        System.out.printf(Locale.ROOT, "training UI: %s/train/overview (%d session%s from %d file%s; %s)%n",
                server.getAddress(), sessions, sessions == 1 ? "" : "s", files.size(), files.size() == 1 ? "" : "s",
                lingerSeconds < 0 ? "Ctrl-C to stop" : "for " + lingerSeconds + " s");
        System.out.flush();
        if (lingerSeconds < 0) {
            new java.util.concurrent.CountDownLatch(1).await(); // until Ctrl-C: DL4J's shutdown hook stops the server
        } else {
            Thread.sleep(lingerSeconds * 1000L);
        }
        UiTrainingView.stopServer();
        for (StatsStorage s : storages) {
            s.close();
        }
        return 0;
    }
}
