/**
 * DL4J configuration of the G2G layers: {@link org.g2gnet.conf.G2GDenseLayer} (a {@code FeedForwardLayer}
 * with its Builder and eager validation; its structure is computed by {@code org.g2gnet.topology.LayerTopology})
 * and {@link org.g2gnet.conf.G2GParamInitializer} (masked execution: {@code [W | b | M]}; structured execution:
 * {@code [W | b | I]} with compact W); {@link org.g2gnet.conf.G2GBlock} (a stack of structured G2G layers as one
 * layer) with {@link org.g2gnet.conf.G2GBlockParamInitializer} ({@code W<k>, b<k>, I<k>} per inner layer);
 * {@link org.g2gnet.conf.G2GConvolutionLayer} (a {@code ConvolutionLayer} over channel groups) and
 * {@link org.g2gnet.conf.G2GConvolutionParamInitializer} ({@code [b | W | M]}, M the channel-pair mask).
 * The three hold one {@code org.g2gnet.topology.G2GStructure}; {@link org.g2gnet.conf.G2GStructureBuilder} and
 * {@link org.g2gnet.conf.G2GStructured} give builders and configurations its setters and accessors once, and
 * {@code StructureParams} keeps masks and indices out of updaters, regularisation and constraints.
 * Depends on DL4J, ND4J, {@code topology} and the runtime layers it instantiates; never on {@code rewiring}.
 */
package org.g2gnet.conf;
