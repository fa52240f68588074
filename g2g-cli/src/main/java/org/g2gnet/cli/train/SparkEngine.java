package org.g2gnet.cli.train;

import java.io.PrintStream;
import java.util.ServiceLoader;

/**
 * The Spark training engine, provided by the {@code g2g-spark} module through {@link java.util.ServiceLoader}
 * so that the rest of the command line (and its classpath) does not depend on Spark.
 */
public interface SparkEngine {
    /**
     * @param o        the run's options (validated)
     * @param settings how to run on Spark
     * @param log      where progress and results are printed
     * @return the result, as {@link Trainer#run(TrainOptions, PrintStream)} gives it
     */
    TrainResult train(TrainOptions o, SparkSettings settings, PrintStream log);

    /**
     * @return the engine on the classpath
     * @throws IllegalStateException naming what to do when g2g-spark is not on the classpath
     */
    static SparkEngine load() {
        return ServiceLoader.load(SparkEngine.class).findFirst().orElseThrow(() -> new IllegalStateException(
                "--engine spark needs the g2g-spark module on the classpath; run it through ./g2g (which builds "
                        + "g2g-spark when it sees --engine spark) or spark-submit the g2g-spark jar (README, \"Spark\")"));
    }
}
