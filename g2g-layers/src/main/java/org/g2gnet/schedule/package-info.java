/**
 * The schedules, in one place: the learning rate's ({@link org.g2gnet.schedule.CosineSchedule}, the paper's cosine
 * annealing, for DL4J updaters; ND4J has none) and rewiring's ({@link org.g2gnet.schedule.RewiringSchedule}: when
 * events happen, the fraction they replace and how it decays). Depends on ND4J and {@code org.g2gnet.util} only.
 */
package org.g2gnet.schedule;
