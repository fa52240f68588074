/**
 * Readers for the datasets of the paper: IDX files (Fashion-MNIST, gzip or plain) and the CIFAR-10/100
 * binary format, loaded into memory and served by a seeded, resumable, shuffling {@code DataSetIterator}.
 * Depends on DL4J/ND4J only. Every malformed file fails with an error naming the file and the problem.
 */
package org.g2gnet.data;
