/**
 * The runtime G2G layers: masked execution ({@link org.g2gnet.layers.G2GDenseLayerImpl}, parameters
 * {@code [W | b | M]}), structured execution ({@link org.g2gnet.layers.G2GStructuredLayerImpl},
 * {@code [W | b | I]}), the block of structured layers with group-major activations
 * ({@link org.g2gnet.layers.G2GBlockImpl}) and the G2G convolution
 * ({@link org.g2gnet.layers.G2GConvolutionLayerImpl}, {@code [b | W | M]}), and what a layer offers
 * the recording of its activity ({@link org.g2gnet.layers.RecordedLayer}; the recording itself is in
 * {@code org.g2gnet.activity}). Workspaces and copies between ND4J and Java arrays go through
 * {@code org.g2gnet.arrays}. The math sits in small static methods
 * ({@link org.g2gnet.layers.MaskedMath}, {@link org.g2gnet.layers.ChannelMaskMath}) that tests call directly.
 * Never depends on {@code rewiring}.
 */
package org.g2gnet.layers;
