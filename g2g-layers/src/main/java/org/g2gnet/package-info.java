/**
 * G2GNet for Deeplearning4j: network-level helpers ({@link org.g2gnet.G2GNetworks}). The layer lives in
 * {@code conf} (configuration) and {@code layers} (runtime), its structure in {@code topology}, dynamic sparse
 * training in {@code rewiring}, data readers in {@code data}, general helpers in {@code util}. What G2GNet is and
 * where each idea lives: docs/DESIGN.md in the repository.
 */
package org.g2gnet;
