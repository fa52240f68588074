package org.g2gnet.cli.train;

import java.io.PrintStream;
import java.util.Locale;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * A line every N iterations with the iteration, DL4J's score and the throughput, in the style of DL4J's
 * {@code ScoreIterationListener} and {@code PerformanceListener}, for output that is not a terminal (a log file,
 * a CI job), where no progress bar is drawn. Written here rather than using those two because they log through
 * SLF4J (to standard error, at a level set for all of DL4J), while a run's lines belong in its own output
 * stream, which {@code compare} indents per run.
 */
final class IterationLog extends BaseTrainingListener {
    private final int every;
    private final int batch;
    private final PrintStream out;
    private long last = System.nanoTime();
    private int since;

    /**
     * @param every a line every this many iterations, &gt;= 1
     * @param batch examples per iteration (for examples/s)
     * @param out   where the lines go
     */
    IterationLog(int every, int batch, PrintStream out) {
        this.every = every;
        this.batch = batch;
        this.out = out;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        since++;
        if ((iteration + 1) % every != 0) {
            return;
        }
        long now = System.nanoTime();
        double seconds = (now - last) / 1e9;
        out.printf(Locale.ROOT, "iteration %d (epoch %d): score %.4f, %.0f examples/s, %.2f iterations/s%n",
                iteration + 1, epoch + 1, model.score(), since * batch / seconds, since / seconds);
        last = now;
        since = 0;
    }
}
