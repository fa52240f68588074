package org.g2gnet.benchmarks;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./g2g bench}: benchmarks printing CSV.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks (CSV on standard output; speed as ratios measured in the same run).",
        subcommands = {BenchCommand.Rewiring.class})
public final class BenchCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }

    /** {@code ./g2g bench rewiring}. */
    @Command(name = "rewiring", mixinStandardHelpOptions = true,
            description = "Cost of a rewiring event per 1024x1024 layer and of an idle listener, as ratios to a "
                    + "training iteration of the paper network.")
    static final class Rewiring implements Callable<Integer> {
        @Option(names = "--repeats", defaultValue = "20", description = "timed iterations (default: ${DEFAULT-VALUE})")
        int repeats;

        @Override
        public Integer call() {
            RewiringBench.run(repeats, System.out);
            return 0;
        }
    }
}
