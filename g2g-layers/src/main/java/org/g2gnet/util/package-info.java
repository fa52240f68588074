/**
 * Small general helpers of the whole library: seed derivation ({@link org.g2gnet.util.Seeds}) and the parsing
 * of user-typed enum names ({@link org.g2gnet.util.EnumNames}). Plain Java; depends on nothing else of the
 * library, so every package may use it.
 */
package org.g2gnet.util;
