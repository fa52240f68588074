/**
 * Learning-rate schedules for DL4J updaters that ND4J lacks (the paper's cosine schedule).
 * Depends on ND4J only.
 */
package org.g2gnet.schedule;
