/**
 * Dynamic sparse training. Three small, separate ideas (STYLE.md rule 2): <em>what</em> to prune and grow
 * ({@link org.g2gnet.rewiring.PruneCriterion}, {@link org.g2gnet.rewiring.GrowthCriterion}), <em>when</em>
 * ({@link org.g2gnet.rewiring.RewiringSchedule}) and <em>how</em> a mask changes
 * ({@link org.g2gnet.rewiring.MaskUpdater}, the single mutation point). {@link org.g2gnet.rewiring.RewiringListener}
 * is only the DL4J hook. Works on plain arrays; workspace handling is left to {@code org.g2gnet.layers}.
 */
package org.g2gnet.rewiring;
