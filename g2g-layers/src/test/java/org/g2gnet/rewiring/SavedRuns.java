package org.g2gnet.rewiring;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/** The resume step the rewiring tests share: a network and its listener saved to one model file and read back. */
final class SavedRuns {
    private SavedRuns() {
    }

    /**
     * A network and its listener as a resumed run starts them.
     *
     * @param net      the restored network, the listener attached
     * @param listener the fresh listener, its state restored
     */
    record Resumed(MultiLayerNetwork net, RewiringListener listener) {
    }

    /**
     * Writes {@code net} (updater included) and {@code listener}'s state into {@code dir/ckpt.zip} as a checkpoint
     * does, then restores the network and {@code fresh}'s state from that file and attaches {@code fresh}.
     *
     * @param net      the network of the first part of the run
     * @param listener its listener
     * @param fresh    a new listener with the same configuration
     * @param dir      where the file goes
     * @return the restored network and listener
     * @throws IOException when the file cannot be written or read
     */
    static Resumed saveAndRestore(MultiLayerNetwork net, RewiringListener listener, RewiringListener fresh, Path dir)
            throws IOException {
        File f = dir.resolve("ckpt.zip").toFile();
        ModelSerializer.writeModel(net, f, true);
        listener.saveState(f);
        MultiLayerNetwork resumed = ModelSerializer.restoreMultiLayerNetwork(f, true);
        fresh.restoreState(f);
        resumed.setListeners(fresh);
        return new Resumed(resumed, fresh);
    }
}
