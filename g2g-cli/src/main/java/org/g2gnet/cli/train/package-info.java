/**
 * One training run of a G2G or dense network on Fashion-MNIST or CIFAR ({@code ./g2g train}):
 * options ({@link org.g2gnet.cli.train.TrainOptions}: the network's, the protocol's, the rewiring's, the output's and
 * the display's, each a record validated with the flag named), the network ({@link org.g2gnet.cli.train.ModelFactory})
 * and the run itself ({@link org.g2gnet.cli.train.Trainer}), which returns a result object and writes
 * {@code metrics.csv}. Thin on purpose: the mechanics live in g2g-layers. The heavy optional parts are interfaces here,
 * implemented in their own modules and found by ServiceLoader: {@link org.g2gnet.cli.train.SparkEngine}
 * (g2g-spark) and {@link org.g2gnet.cli.train.TrainingView} (g2g-ui, DL4J's training UI).
 */
package org.g2gnet.cli.train;
