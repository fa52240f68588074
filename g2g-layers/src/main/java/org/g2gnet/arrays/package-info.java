/**
 * The ND4J plumbing shared by the layers, the activity recording and rewiring: the workspace rules
 * ({@link org.g2gnet.arrays.Workspaces}: where an array may live and how to leave a workspace) and the one counted
 * way to copy between ND4J and Java arrays ({@link org.g2gnet.arrays.HostArrays}; on a GPU every such copy is a
 * device/host transfer, and tests count them). Depends on nothing else of the library.
 */
package org.g2gnet.arrays;
