package org.g2gnet.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import picocli.CommandLine;

/** The command line run in this JVM, as the tests drive it. */
public final class CliRun {
    private CliRun() {
    }

    /**
     * @param args the arguments after {@code ./g2g}
     * @return {exit code, what the command wrote to stderr}
     */
    public static Object[] execute(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = G2GCli.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.getSubcommands().values().forEach(c -> c.setErr(new PrintWriter(err, true)));
        int rc = cl.execute(args);
        return new Object[] {rc, err.toString()};
    }
}
