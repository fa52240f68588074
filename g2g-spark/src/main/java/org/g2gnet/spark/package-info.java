/**
 * G2G networks on DL4J's Spark engine: the {@code --engine spark} trainer (parameter averaging, rewiring on
 * the driver between rounds), the data readers as RDDs of minibatches, and the mask checks after averaging.
 * Depends on g2g-cli and dl4j-spark; nothing else in the project depends on it (it is found by ServiceLoader).
 */
package org.g2gnet.spark;
