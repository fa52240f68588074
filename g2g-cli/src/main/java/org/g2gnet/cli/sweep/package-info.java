/**
 * {@code ./g2g sweep}: where G2G pays off. Accuracy against density, against training-set size, and against
 * measured training time per epoch, for the Mixer network (static and rewired), an Erdős–Rényi mask and a dense
 * network with as many parameters, with dense as the reference. Runs are reused and resumed like
 * {@code compare}'s; results are {@code sweep.csv}, {@code cost.csv}, {@code sweep.md} and three plots.
 * Depends on the compare and train packages of the application; nothing in the library depends on it.
 */
package org.g2gnet.cli.sweep;
