package org.g2gnet.cli.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes metrics.csv row by row, flushing each row so a stopped run keeps what it measured. */
public final class MetricsWriter implements AutoCloseable {
    private final BufferedWriter w;
    private final Path file;

    private MetricsWriter(BufferedWriter w, Path file) {
        this.w = w;
        this.file = file;
    }

    /**
     * Starts metrics.csv afresh with the rows of the epochs already done (none, or those of a checkpoint).
     *
     * @param dir  the run directory (null: write nothing)
     * @param rows rows already done
     * @return the writer
     */
    public static MetricsWriter open(Path dir, List<String> rows) {
        if (dir == null) {
            return new MetricsWriter(null, null);
        }
        Path f = dir.resolve("metrics.csv");
        try {
            Files.createDirectories(dir);
            BufferedWriter w = Files.newBufferedWriter(f, StandardCharsets.UTF_8);
            w.write(EpochMetrics.CSV_HEADER);
            w.newLine();
            for (String row : rows) {
                w.write(row);
                w.newLine();
            }
            w.flush();
            return new MetricsWriter(w, f);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + f + ": " + OutputLock.reason(e), e);
        }
    }

    /** @param m one epoch's row, written and flushed at once */
    public void row(EpochMetrics m) {
        if (w == null) {
            return;
        }
        try {
            w.write(m.csv());
            w.newLine();
            w.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + OutputLock.reason(e), e);
        }
    }

    @Override
    public void close() {
        if (w != null) {
            try {
                w.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close " + file + ": " + OutputLock.reason(e), e);
            }
        }
    }
}
