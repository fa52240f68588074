/**
 * Compression of a trained DL4J network: its dense hidden layers replaced by G2G layers that start from the trained
 * weights ({@link org.g2gnet.compress.Compressor}). Uses the configurations, the masks' topology and the runtime
 * layers' parameters; nothing in the library depends on it.
 */
package org.g2gnet.compress;
