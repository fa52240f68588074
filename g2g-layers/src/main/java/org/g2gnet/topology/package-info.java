/**
 * Static G2G structure, all the mask mathematics: what a user chooses for a layer
 * ({@link org.g2gnet.topology.G2GStructure}, one value with one validation, held by every G2G configuration),
 * how neurons are split into groups
 * ({@link org.g2gnet.topology.Grouping}, {@link org.g2gnet.topology.GroupPartition}), a layer's structure for a
 * network seed ({@link org.g2gnet.topology.LayerTopology}: partitions, resolved pInter, mask seed, tile size),
 * the mask drawn from it ({@link org.g2gnet.topology.ConnectionMask}) and the tile layout of structured execution
 * ({@link org.g2gnet.topology.TileLayout}). Plain Java: no DL4J, no ND4J, no other package of the library but
 * {@code util} (PackageRulesTest), so it is tested alone.
 */
package org.g2gnet.topology;
