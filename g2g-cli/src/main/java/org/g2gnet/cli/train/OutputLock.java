package org.g2gnet.cli.train;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One run at a time in an output directory: an exclusive lock on {@code DIR/.g2g.lock}, which holds the owner's
 * process id, host, start time and command while the run lasts.
 *
 * <p>The lock is the operating system's (an exclusive {@link FileLock}, taken atomically and released by the
 * operating system when the process ends in any way, {@code kill -9} included), so a lock can never outlive its
 * process; the file's text only names the owner. A second run into the same directory stops at once with an error
 * naming the running process. A run that was killed leaves its text behind: the next run finds the file unlocked but
 * not empty, says that it takes over the stale lock of that process, and goes on. On release the text is cleared and
 * the file stays: deleting it would let a run that opened it just before lock a file no longer in the directory while
 * a third run creates and locks a new one.</p>
 *
 * <p>Acquiring the lock is also the first write into the directory, so an output directory that cannot be written
 * (a file of that name, a read-only file system, no permission, a full disk) is reported here, with the operating
 * system's reason, before any data is read.</p>
 */
public final class OutputLock implements AutoCloseable {
    /** Name of the lock file in the output directory. */
    public static final String FILE = ".g2g.lock";
    /** Directories locked by this process (a second channel on a locked file would release its lock on close). */
    private static final Map<Path, String> HELD = new ConcurrentHashMap<>();

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    private OutputLock(Path key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks an output directory, creating it when needed.
     *
     * @param dir     the output directory, or null (nothing to lock)
     * @param command what the run is, for the owner's text (e.g. "train g2g")
     * @param log     where taking over a stale lock is reported
     * @return the lock (close it to release), or null when dir is null
     * @throws IllegalStateException naming the running process when another run holds the directory
     * @throws UncheckedIOException  with the operating system's reason when the directory cannot be written
     */
    public static OutputLock acquire(Path dir, String command, PrintStream log) {
        if (dir == null) {
            return null;
        }
        Path key;
        try {
            Files.createDirectories(dir);
            key = dir.toRealPath();
        } catch (IOException e) {
            throw unwritable(dir, e);
        }
        String me = owner(command);
        String other = HELD.putIfAbsent(key, me);
        if (other != null) {
            throw busy(dir, other);
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(key.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            String previous = read(ch);
            if (l == null) {
                throw busy(dir, previous.isBlank() ? "another process" : previous);
            }
            if (!previous.isBlank()) {
                log.println("note: taking over the stale lock of " + previous + " on " + dir
                        + ": that process ended without releasing it (killed?)");
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((me + System.lineSeparator()).getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(true);
            OutputLock acquired = new OutputLock(key, ch, l);
            ch = null;
            return acquired;
        } catch (IOException e) {
            throw unwritable(dir, e);
        } finally {
            if (ch != null) {
                HELD.remove(key);
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // the lock was not taken; closing the channel is all that is left to do
                }
            }
        }
    }

    /** Clears the owner's text and releases the lock. */
    @Override
    public void close() {
        try {
            channel.truncate(0);
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the operating system releases the lock when the process ends; the next run then reports it as stale
            throw new UncheckedIOException("cannot release the lock " + key.resolve(FILE) + ": " + reason(e), e);
        } finally {
            HELD.remove(key);
        }
    }

    private static String owner(String command) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown host";
        }
        return "pid " + ProcessHandle.current().pid() + " on " + host + " (g2g " + command + ", started "
                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ")";
    }

    private static String read(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(4096, ch.size()));
        ch.read(b, 0);
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).trim();
    }

    private static IllegalStateException busy(Path dir, String owner) {
        return new IllegalStateException("the output directory " + dir + " is in use by another run: " + owner
                + "; wait for it to end, stop it, or choose another --out");
    }

    private static UncheckedIOException unwritable(Path dir, IOException e) {
        return new UncheckedIOException("cannot write to the output directory " + dir + ": " + reason(e), e);
    }

    /**
     * @param e an I/O error
     * @return the operating system's reason, in words ("Not a directory", "No space left on device", ...)
     */
    public static String reason(IOException e) {
        if (e instanceof FileAlreadyExistsException f) {
            return f.getFile() + " exists and is not a directory";
        }
        if (e instanceof AccessDeniedException a) {
            return "permission denied on " + a.getFile();
        }
        if (e instanceof NoSuchFileException n) {
            return "no such file or directory: " + n.getFile();
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason() + (f.getFile() == null ? "" : " (" + f.getFile() + ")");
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
