/**
 * DL4J configuration of the G2G layer: {@link org.g2gnet.conf.G2GDenseLayer} (a {@code FeedForwardLayer}
 * with its Builder and eager validation) and {@link org.g2gnet.conf.G2GParamInitializer} (W, b and the mask M),
 * and of {@link org.g2gnet.conf.G2GBlock} (a stack of structured G2G layers as one layer) with
 * {@link org.g2gnet.conf.G2GBlockParamInitializer}.
 * Depends on DL4J, ND4J and {@code org.g2gnet.topology}; never on {@code rewiring} or the runtime layer's internals.
 */
package org.g2gnet.conf;
