package org.g2gnet.examples;

import java.nio.file.Path;

/**
 * The examples' positional arguments: each read by position with its name, range and default, so that a wrong one
 * says which it is ("argument 2 (EPOCHS) must be an integer >= 1, got 'abc'") instead of a bare NumberFormatException.
 * Hand-written because the examples are plain mains a user copies, without a command-line library.
 */
public final class ExampleArgs {
    /** Where the examples write the models they save, relative to the working directory (ignored by git). */
    public static final Path OUTPUT = Path.of("runs", "examples");

    private ExampleArgs() {
    }

    /**
     * @param args     the main's arguments
     * @param index    0-based position
     * @param name     the argument's name in the usage line
     * @param fallback value when the argument is absent
     * @param min      smallest allowed value
     * @return the value
     * @throws IllegalArgumentException naming the position, the name, the range and the value
     */
    public static int intArg(String[] args, int index, String name, int fallback, int min) {
        if (args.length <= index) {
            return fallback;
        }
        String s = args[index].trim();
        try {
            int v = Integer.parseInt(s);
            if (v >= min) {
                return v;
            }
        } catch (NumberFormatException e) {
            // the message below names the argument
        }
        throw new IllegalArgumentException("argument " + (index + 1) + " (" + name + ") must be an integer >= " + min
                + ", got '" + args[index] + "'");
    }

    /**
     * @param args     the main's arguments
     * @param index    0-based position
     * @param fallback value when the argument is absent
     * @return the path
     */
    public static Path pathArg(String[] args, int index, String fallback) {
        return Path.of(args.length > index ? args[index] : fallback);
    }

    /**
     * @param name a model file name
     * @return the file under {@link #OUTPUT}, its directory created
     */
    public static java.io.File output(String name) {
        try {
            java.nio.file.Files.createDirectories(OUTPUT);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + OUTPUT, e);
        }
        return OUTPUT.resolve(name).toFile();
    }
}
