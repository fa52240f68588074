/**
 * The runtime G2G layers: masked execution ({@link org.g2gnet.layers.G2GDenseLayerImpl}, parameters
 * {@code [W | b | M]}), structured execution ({@link org.g2gnet.layers.G2GStructuredLayerImpl},
 * {@code [W | b | I]}), the block of structured layers with group-major activations
 * ({@link org.g2gnet.layers.G2GBlockImpl}) and the G2G convolution
 * ({@link org.g2gnet.layers.G2GConvolutionLayerImpl}, {@code [b | W | M]}), what rewiring needs to know of their
 * activity ({@link org.g2gnet.layers.ActivitySource}, {@link org.g2gnet.layers.RecordedLayer},
 * {@link org.g2gnet.layers.ActivityRecorder},
 * {@link org.g2gnet.layers.HebbianStats}, a convolution's maps pooled by {@link org.g2gnet.layers.ChannelMaps}), and
 * the only code of the library that deals with ND4J workspaces ({@link org.g2gnet.layers.Workspaces}) and copies
 * between ND4J and Java arrays ({@link org.g2gnet.layers.HostArrays}). The math sits in small static methods
 * ({@link org.g2gnet.layers.MaskedMath}, {@link org.g2gnet.layers.ChannelMaskMath}) that tests call directly.
 * Never depends on {@code rewiring}.
 */
package org.g2gnet.layers;
