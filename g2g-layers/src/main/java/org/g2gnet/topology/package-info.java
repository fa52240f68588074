/**
 * Static G2G structure: how neurons are split into groups ({@link org.g2gnet.topology.Grouping},
 * {@link org.g2gnet.topology.GroupPartition}) and how a connection mask is drawn from them
 * ({@link org.g2gnet.topology.MaskGenerator}). Pure Java: no DL4J, no ND4J, so it can be tested alone.
 */
package org.g2gnet.topology;
