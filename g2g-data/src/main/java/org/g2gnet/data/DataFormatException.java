package org.g2gnet.data;

import java.nio.file.Path;

/**
 * A data file is missing, malformed or inconsistent. The message names the file and what is wrong.
 */
public class DataFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param file    the offending file
     * @param problem what is wrong with it
     */
    public DataFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }

    /**
     * @param message the full message
     */
    public DataFormatException(String message) {
        super(message);
    }
}
