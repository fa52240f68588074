/**
 * Example programs to copy, one idea each, about 60 to 100 lines, each a plain {@code main} that also runs with
 * {@code ./g2g example NAME}: {@link org.g2gnet.examples.FashionMnistG2G} (a G2G MLP with Hebbian rewiring,
 * ScoreIterationListener, Evaluation.stats(), net.save), {@link org.g2gnet.examples.DropInReplacement} (a trained
 * dense model's hidden DenseLayer replaced by a G2G layer through TransferLearning, then fine-tuned),
 * {@link org.g2gnet.examples.ComputationGraphG2G} (G2G layers in a ComputationGraph) and
 * {@link org.g2gnet.examples.StructuredSpeed} (structured execution, its speed measured against dense). They use the
 * library and the data readers only, like a user's program.
 */
package org.g2gnet.examples;
