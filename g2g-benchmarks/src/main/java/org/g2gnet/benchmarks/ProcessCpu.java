package org.g2gnet.benchmarks;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of this process in nanoseconds, summed over all its threads (ND4J's OpenMP workers are native
 * threads that Java's thread MX bean does not see), from Linux's {@code /proc/self/task/<tid>/schedstat}
 * (time on a CPU, in ns). On a machine shared with other jobs the wall time of a pass includes the time its
 * threads wait for a core; its CPU time does not, so it stays stable when the wall time does not. It is a
 * measure of work, not of latency: a pass spread over two cores counts both.
 *
 * <p>The files of the threads are kept open and re-read (about 0.1 ms for 20 threads); the thread list is
 * re-read by {@link #refresh()}. Where {@code /proc} is not available {@link #available()} is false.</p>
 */
final class ProcessCpu {
    private final Map<String, RandomAccessFile> files = new HashMap<>();
    private final byte[] buf = new byte[96];
    private final boolean available;

    ProcessCpu() {
        available = new File("/proc/self/task").isDirectory();
        refresh();
    }

    /** @return whether CPU times can be read here */
    boolean available() {
        return available;
    }

    /** Opens the schedstat files of threads started since the last call. */
    void refresh() {
        if (!available) {
            return;
        }
        String[] tids = new File("/proc/self/task").list();
        if (tids == null) {
            return;
        }
        for (String tid : tids) {
            if (!files.containsKey(tid)) {
                try {
                    files.put(tid, new RandomAccessFile("/proc/self/task/" + tid + "/schedstat", "r"));
                } catch (IOException e) {
                    // the thread ended between the listing and the opening: nothing to count
                    continue;
                }
            }
        }
    }

    /**
     * @param into per-thread CPU nanoseconds, filled in (threads that ended are left out)
     */
    void read(Map<String, Long> into) {
        into.clear();
        for (var e : files.entrySet()) {
            try {
                RandomAccessFile f = e.getValue();
                f.seek(0);
                int n = f.read(buf);
                long v = 0;
                for (int i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; i++) {
                    v = v * 10 + (buf[i] - '0');
                }
                into.put(e.getKey(), v);
            } catch (IOException ex) {
                // an ended thread: its file no longer reads, and its time is not part of the next interval
                continue;
            }
        }
    }

    /**
     * @param before per-thread nanoseconds at the start
     * @param after  per-thread nanoseconds at the end
     * @return CPU nanoseconds spent in between by the threads present at both ends
     */
    static long between(Map<String, Long> before, Map<String, Long> after) {
        long sum = 0;
        for (var e : after.entrySet()) {
            Long b = before.get(e.getKey());
            if (b != null && e.getValue() > b) {
                sum += e.getValue() - b;
            }
        }
        return sum;
    }
}
