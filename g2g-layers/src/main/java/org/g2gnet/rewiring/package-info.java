/**
 * Dynamic sparse training, in small separate ideas (criterion, schedule and mechanism kept apart, as in rigl; docs/DESIGN.md section 7): <em>what</em>
 * to prune and grow ({@link org.g2gnet.rewiring.PruneCriterion}, {@link org.g2gnet.rewiring.GrowthCriterion},
 * each defined once on per-unit quantities), <em>when</em> ({@link org.g2gnet.schedule.RewiringSchedule}, part of
 * the {@link org.g2gnet.rewiring.RewiringConfig}), <em>how a layer is rewired</em> (one {@code LayerRewirer} per
 * layer: connections of a masked layer, tiles of a structured one, channel pairs of a convolution) and <em>how a
 * mask changes</em> ({@link org.g2gnet.rewiring.MaskUpdater}, the single mutation point). {@link org.g2gnet.rewiring.RewiringListener}
 * is only the DL4J hook. Works on plain arrays; workspace handling is left to {@code org.g2gnet.layers}
 * and {@code org.g2gnet.arrays}.
 */
package org.g2gnet.rewiring;
