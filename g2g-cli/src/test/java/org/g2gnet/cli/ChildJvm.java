package org.g2gnet.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code ./g2g} in a child JVM (the test's classpath), for tests that kill it or run two at once. */
final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * Starts {@code G2GCli} with the given arguments; stdout and stderr go to {@code log}.
     *
     * @param log  where the child's output goes
     * @param args command-line arguments
     * @return the child
     * @throws IOException when it cannot be started
     */
    static Process start(Path log, List<String> args) throws IOException {
        return start(log, List.of(), args);
    }

    /**
     * Starts {@code G2GCli} with JVM options (e.g. {@code FaultInjection.jvmArgs}) and arguments.
     *
     * @param log     where the child's output goes
     * @param jvmArgs options of the child JVM
     * @param args    command-line arguments
     * @return the child
     * @throws IOException when it cannot be started
     */
    static Process start(Path log, List<String> jvmArgs, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // short runs: the C1 compiler and the serial collector start faster and take less CPU
                "-Xmx1g", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.g2gnet.cli.G2GCli"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        return pb.start();
    }

    /**
     * Waits until a file exists, the child ends or the time is up.
     *
     * @param child   the child
     * @param file    the file to wait for
     * @param seconds the most to wait
     * @return whether the file exists
     * @throws InterruptedException when interrupted
     */
    static boolean awaitFile(Process child, Path file, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!Files.exists(file) && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return Files.exists(file);
    }

    /**
     * Waits until the child's output contains a text, the child ends or the time is up.
     *
     * @param child   the child
     * @param log     its output
     * @param text    the text to wait for
     * @param seconds the most to wait
     * @return whether the output contains it
     * @throws Exception when the log cannot be read or the wait is interrupted
     */
    static boolean awaitOutput(Process child, Path log, String text, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (child.isAlive() && System.nanoTime() < deadline) {
            if (Files.readString(log).contains(text)) {
                return true;
            }
            Thread.sleep(10);
        }
        return Files.readString(log).contains(text);
    }

    /**
     * Kills the child with SIGKILL (no shutdown hooks, no flushing) and waits for it.
     *
     * @param child the child
     * @throws InterruptedException when interrupted
     */
    static void kill(Process child) throws InterruptedException {
        child.destroyForcibly();
        if (!child.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("child " + child.pid() + " did not die within 30 s of SIGKILL");
        }
    }
}
