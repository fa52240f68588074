/**
 * Serving: a trained network compiled into an inference-only form whose cost at small batches is the arithmetic
 * ({@link org.g2gnet.serve.CompiledNetwork}). Reads the runtime layers' parameters; nothing in the library depends
 * on it.
 */
package org.g2gnet.serve;
