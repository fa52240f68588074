/**
 * The {@code ./g2g} command line (picocli): {@code train} and {@code compare}, and {@code bench} when the
 * benchmarks module is on the classpath. Each command parses options and calls a {@code run} method that
 * returns a result object; tests call {@code run} on tiny settings.
 */
package org.g2gnet.cli;
