/**
 * DL4J's training UI for G2G networks: the {@code --ui} / {@code --stats-file} view of {@code ./g2g train}, the
 * {@code ./g2g ui} command, and the stats router that keeps masks out of the UI's charts.
 * Depends on g2g-cli and deeplearning4j-ui; nothing else in the project depends on it (it is found by ServiceLoader).
 */
package org.g2gnet.ui;
