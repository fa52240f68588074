/**
 * The runtime G2G layers ({@link org.g2gnet.layers.G2GDenseLayerImpl},
 * {@link org.g2gnet.layers.G2GConvolutionLayerImpl}) and the only code in this library that deals with ND4J
 * workspaces ({@link org.g2gnet.layers.Workspaces}). The math sits in small static methods
 * ({@link org.g2gnet.layers.MaskedMath}, {@link org.g2gnet.layers.ChannelMaskMath}) that tests call directly.
 */
package org.g2gnet.layers;
