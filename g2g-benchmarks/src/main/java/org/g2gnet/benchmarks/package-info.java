/**
 * Plain-main benchmarks ({@code ./g2g bench ...}), printing CSV with a header row. Every speed figure is a
 * ratio against dense DL4J (or a plain training iteration) measured in the same run; nothing here asserts
 * a time.
 */
package org.g2gnet.benchmarks;
