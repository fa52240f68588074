package org.g2gnet.cli.train;

import java.nio.file.Path;

/**
 * Where a run writes and how it survives being stopped.
 *
 * @param out             output directory, or null for none
 * @param checkpointEvery write a checkpoint every N iterations (0: never)
 * @param keepCheckpoints how many checkpoints to keep
 * @param resume          continue from the newest intact checkpoint in {@code out}
 */
public record OutputOptions(Path out, int checkpointEvery, int keepCheckpoints, boolean resume) {

    /**
     * Checks every value, naming the option.
     *
     * @throws IllegalArgumentException on a bad value
     */
    void validate() {
        if (checkpointEvery < 0) {
            throw new IllegalArgumentException("--checkpoint-every must be >= 0 (0 = never), got " + checkpointEvery);
        }
        if (keepCheckpoints < 1) {
            throw new IllegalArgumentException("--keep-checkpoints must be >= 1, got " + keepCheckpoints);
        }
        if (out != null && out.toString().isBlank()) {
            throw new IllegalArgumentException("--out must name a directory, got an empty path '" + out + "'");
        }
        if (resume && out == null) {
            throw new IllegalArgumentException("--resume needs an output directory (--out) holding the checkpoints");
        }
    }
}
