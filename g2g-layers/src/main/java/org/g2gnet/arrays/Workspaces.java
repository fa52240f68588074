package org.g2gnet.arrays;

import java.util.function.Supplier;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The single place where this library leaves ND4J workspaces: arrays that must outlive a training
 * iteration (buffers owned by a layer or a listener) are allocated here, detached from any workspace.
 * Allocation outside workspaces is slow compared with a workspace's (README "Speed"), so callers allocate once
 * and reuse.
 */
public final class Workspaces {
    private Workspaces() {
    }

    /**
     * Runs an allocation outside every workspace.
     *
     * @param allocation creates the array(s)
     * @param <T>        result type
     * @return what the allocation returned, detached from workspaces
     */
    public static <T> T detached(Supplier<T> allocation) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return allocation.get();
        }
    }
}
