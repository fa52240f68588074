package org.g2gnet.cli.train;

import java.io.PrintStream;
import java.util.ServiceLoader;

/**
 * Training on every core of one machine through DL4J's ParallelWrapper, with rewiring taken once per event on the
 * averaged network; provided by the {@code g2g-parallel} module through {@link ServiceLoader}, so that the rest of
 * the command line does not depend on the wrapper.
 */
public interface ParallelEngine {
    /**
     * @param o                  the run's options (validated)
     * @param workers            workers (&gt;= 2)
     * @param averagingFrequency averaged steps between parameter averagings (&gt;= 1)
     * @param log                where progress and results are printed
     * @return the result, as {@link Trainer#run(TrainOptions, PrintStream)} gives it
     */
    TrainResult train(TrainOptions o, int workers, int averagingFrequency, PrintStream log);

    /**
     * @return the engine on the classpath
     * @throws IllegalStateException naming what to do when g2g-parallel is not on the classpath
     */
    static ParallelEngine load() {
        return ServiceLoader.load(ParallelEngine.class).findFirst().orElseThrow(() -> new IllegalStateException(
                "--engine parallel needs the g2g-parallel module on the classpath; run it through ./g2g (which builds "
                        + "g2g-parallel when it sees --engine parallel)"));
    }
}
