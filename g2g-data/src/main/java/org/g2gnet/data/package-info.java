/**
 * Readers for the datasets of the paper: IDX files (Fashion-MNIST, gzip or plain) and the CIFAR-10/100 binary
 * format, loaded into memory and served by a seeded, resumable, shuffling {@code DataSetIterator}, and as DataVec
 * {@code RecordReader}s ({@link org.g2gnet.data.FashionMnistRecordReader}, {@link org.g2gnet.data.CifarRecordReader})
 * for {@code RecordReaderDataSetIterator} and DataVec transforms. Module g2g-data; depends on g2g-layers (seeds),
 * ND4J and DataVec, never on the application. Every malformed file fails with an error naming the file and the
 * problem.
 */
package org.g2gnet.data;
