/**
 * The runtime G2G layers ({@link org.g2gnet.layers.G2GDenseLayerImpl}, {@link org.g2gnet.layers.G2GStructuredLayerImpl},
 * the block {@link org.g2gnet.layers.G2GBlockImpl}) and the only code in this library
 * that deals with ND4J workspaces ({@link org.g2gnet.layers.Workspaces}). The math sits in small static
 * methods ({@link org.g2gnet.layers.MaskedMath}) that tests call directly.
 */
package org.g2gnet.layers;
