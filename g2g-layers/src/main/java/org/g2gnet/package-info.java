/**
 * G2GNet for Deeplearning4j: network-level helpers ({@link org.g2gnet.G2GNetworks}). The layer lives in
 * {@code conf} (configuration) and {@code layers} (runtime), masks in {@code topology}, dynamic sparse
 * training in {@code rewiring}, data readers in {@code data}.
 */
package org.g2gnet;
