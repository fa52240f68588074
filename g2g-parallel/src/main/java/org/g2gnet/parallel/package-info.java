/**
 * Training with rewiring on several workers of one machine through DL4J's ParallelWrapper:
 * {@link org.g2gnet.parallel.ParallelRewiring} (the library's way) and the {@code ./g2g train --engine parallel}
 * engine. Built on g2g-layers and the command line; nothing in them depends on this package.
 */
package org.g2gnet.parallel;
