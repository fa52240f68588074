/**
 * {@code ./g2g compress}: a trained dense model compressed into G2G layers (the library's
 * {@link org.g2gnet.compress.Compressor}), fine-tuned, and compared with unstructured magnitude pruning and the
 * paper's Mixer grouping in one table.
 */
package org.g2gnet.cli.compress;
