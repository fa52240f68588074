package org.g2gnet.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Print streams that capture what a run prints, for the tests to read. */
final class Logs {
    private Logs() {
    }

    /**
     * @param sink where the text goes
     * @return a UTF-8 print stream into it
     */
    static PrintStream into(ByteArrayOutputStream sink) {
        return new PrintStream(sink, true, StandardCharsets.UTF_8);
    }

    /** @return a print stream whose text is dropped */
    static PrintStream discard() {
        return into(new ByteArrayOutputStream());
    }
}
