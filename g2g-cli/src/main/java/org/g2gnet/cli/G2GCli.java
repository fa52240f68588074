package org.g2gnet.cli;

import java.io.UncheckedIOException;
import java.util.concurrent.Callable;

import org.g2gnet.cli.train.DatasetLoader;
import org.g2gnet.cli.train.TrainCommand;
import org.g2gnet.cli.train.Trainer;
import org.g2gnet.data.DataFormatException;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * {@code ./g2g}: G2GNet sparse group-to-group networks on Deeplearning4j.
 */
@Command(name = "g2g", mixinStandardHelpOptions = true, version = "g2gnet-dl4j 0.2.0-SNAPSHOT",
        description = "G2GNet sparse group-to-group networks with Hebbian rewiring, on Deeplearning4j.",
        subcommands = {TrainCommand.class, CommandLine.HelpCommand.class})
public final class G2GCli implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }

    /**
     * @return the command line with every subcommand that is on the classpath
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new G2GCli());
        addIfPresent(cl, "compare", "org.g2gnet.cli.compare.CompareCommand");
        addIfPresent(cl, "sweep", "org.g2gnet.cli.sweep.SweepCommand");
        addIfPresent(cl, "report", "org.g2gnet.cli.compare.ReportCommand");
        addIfPresent(cl, "compress", "org.g2gnet.cli.compress.CompressCommand");
        addIfPresent(cl, "compress-report", "org.g2gnet.cli.compress.CompressReportCommand");
        cl.addSubcommand("example", new ExampleCommand());
        addIfPresent(cl, "bench", "org.g2gnet.benchmarks.BenchCommand");
        addIfPresent(cl, "ui", "org.g2gnet.ui.UiCommand");
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            boolean expected = isUserError(ex);
            cmd.getErr().println(cmd.getColorScheme().errorText("error: " + (expected ? ex.getMessage()
                    : "internal error (" + ex + "); please report it with the command line, G2G_DEBUG=1 prints the "
                    + "stack trace")));
            if (System.getenv("G2G_DEBUG") != null) {
                ex.printStackTrace(cmd.getErr());
            }
            return expected ? 2 : 1;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            String hint = ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()
                    ? " (did you mean " + String.join(" or ", u.getSuggestions()) + "?)" : "";
            cmd.getErr().println(cmd.getColorScheme().errorText("error: " + oneLine(ex.getMessage()) + hint)
                    + "; './" + cmd.getCommandSpec().qualifiedName() + " --help' lists the options");
            return cmd.getCommandSpec().exitCodeOnInvalidInput();
        });
        return cl;
    }

    /**
     * Errors a user can cause and fix (a bad value, missing or damaged data, an unwritable or busy output directory,
     * a network too large, a diverging run): one line and exit code 2. Anything else is a bug: exit code 1.
     */
    static boolean isUserError(Exception ex) {
        return ex instanceof IllegalArgumentException || ex instanceof IllegalStateException
                || ex instanceof UncheckedIOException || ex instanceof DataFormatException
                || ex instanceof Trainer.TrainingFailedException
                || ex instanceof DatasetLoader.MissingDataException;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    private static void addIfPresent(CommandLine cl, String name, String className) {
        try {
            cl.addSubcommand(name, Class.forName(className).getDeclaredConstructor().newInstance());
        } catch (ClassNotFoundException e) {
            // the module that provides it is not on the classpath: the command is simply absent
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create the '" + name + "' command", e);
        }
    }

    /**
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        try {
            System.exit(commandLine().execute(args));
        } catch (LinkageError | RuntimeException e) {
            // ND4J's backend is loaded lazily, on the first array: a missing native library surfaces here
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            boolean backend = root.getClass().getSimpleName().equals("NoAvailableBackendException")
                    || root instanceof UnsatisfiedLinkError || e instanceof ExceptionInInitializerError;
            if (!backend) {
                throw e;
            }
            System.err.println("error: the ND4J backend could not be loaded (" + root + ").");
            System.err.println("With --backend cuda this needs an NVIDIA GPU with its driver (libcuda.so.1) and the "
                    + "CUDA 11.6 runtime libraries (or a build with -Pcuda,cuda-redist, which bundles them); "
                    + "use --backend cpu (the default) otherwise.");
            System.exit(3);
        }
    }
}
