package org.g2gnet.cli.train;

/**
 * How {@code ./g2g train --engine spark} runs: DL4J's Spark engine with parameter averaging.
 *
 * @param master             Spark master URL (e.g. {@code local[2]}, {@code spark://host:7077}); null takes the
 *                           one spark-submit set, else {@code local[*]}
 * @param averagingFrequency minibatches each worker fits between two parameter averagings
 * @param workers            partitions of every training round (0 = Spark's default parallelism)
 */
public record SparkSettings(String master, int averagingFrequency, int workers) {
    /** Validates eagerly, naming the option. */
    public SparkSettings {
        if (master != null && master.isBlank()) {
            throw new IllegalArgumentException("--master must be a Spark master URL such as local[2], got ''");
        }
        if (averagingFrequency < 1) {
            throw new IllegalArgumentException("--averaging-frequency must be >= 1, got " + averagingFrequency);
        }
        if (workers < 0) {
            throw new IllegalArgumentException("--workers must be >= 0 (0 = Spark's default parallelism), got " + workers);
        }
    }
}
