/**
 * {@code ./g2g compare}: trains G2G networks and dense DL4J baselines on the same data and protocol, reuses
 * finished runs, and writes results.csv, summary.md and XChart plots made from those files.
 */
package org.g2gnet.cli.compare;
