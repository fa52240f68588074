package org.g2gnet.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files of unsigned bytes (the MNIST / Fashion-MNIST format), gzip-compressed or plain.
 *
 * <p>Written here because neither DataVec nor deeplearning4j-nn reads IDX: DL4J's own MNIST code lives in
 * deeplearning4j-datasets (which downloads from the internet and reads uncompressed files only).
 * The format: a 4-byte magic number {@code 0x00 0x00 0x08 ndims}, then ndims big-endian 32-bit sizes,
 * then the bytes in row-major order.</p>
 */
public final class IdxReader {
    private IdxReader() {
    }

    /**
     * An IDX array of unsigned bytes.
     *
     * @param dims sizes of each dimension
     * @param data the values (as unsigned bytes), row-major
     */
    public record IdxArray(int[] dims, byte[] data) {
        /** @return the number of items (size of the first dimension) */
        public int count() {
            return dims[0];
        }

        /** @return the number of bytes per item */
        public int itemSize() {
            int s = 1;
            for (int i = 1; i < dims.length; i++) {
                s *= dims[i];
            }
            return s;
        }
    }

    /**
     * Reads one file.
     *
     * @param file         the file (".gz" or not: compression is detected from the content)
     * @param expectedDims the number of dimensions expected (1 for labels, 3 for images)
     * @return the array
     * @throws DataFormatException when the file is missing, has a wrong magic number, is truncated or has
     *                             trailing bytes
     */
    public static IdxArray read(Path file, int expectedDims) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            InputStream in = raw;
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                in = new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
            }
            DataInputStream d = new DataInputStream(in);
            int magic;
            try {
                magic = d.readInt();
            } catch (EOFException e) {
                throw new DataFormatException(file, "too short to be an IDX file (no magic number)");
            }
            int type = (magic >>> 8) & 0xFF;
            int ndims = magic & 0xFF;
            if ((magic >>> 16) != 0 || type != 0x08 || ndims != expectedDims) {
                throw new DataFormatException(file, String.format(
                        "wrong magic number 0x%08X: expected 0x%08X (IDX unsigned bytes, %d dimension%s)", magic,
                        0x0800 | expectedDims, expectedDims, expectedDims == 1 ? "" : "s"));
            }
            int[] dims = new int[ndims];
            long total = 1;
            for (int i = 0; i < ndims; i++) {
                try {
                    dims[i] = d.readInt();
                } catch (EOFException e) {
                    throw new DataFormatException(file, "truncated header: " + i + " of " + ndims + " sizes present");
                }
                if (dims[i] < 0) {
                    throw new DataFormatException(file, "negative size " + dims[i] + " in dimension " + i);
                }
                total *= dims[i];
            }
            if (total > Integer.MAX_VALUE - 8) {
                throw new DataFormatException(file, "declares " + total + " bytes, too many for one array");
            }
            // read what is there, up to what the header declares: a damaged header that declares gigabytes must not
            // make the reader allocate them before finding the file short (readNBytes grows as data arrives)
            byte[] data = d.readNBytes((int) total);
            if (data.length < total) {
                throw new DataFormatException(file, "truncated: the header " + Arrays.toString(dims) + " declares "
                        + total + " bytes of data, found " + data.length);
            }
            if (d.read() != -1) {
                throw new DataFormatException(file, "has more data than its header " + Arrays.toString(dims)
                        + " declares (" + data.length + " bytes)");
            }
            return new IdxArray(dims, data);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, "file not found");
        } catch (ZipException e) {
            throw new DataFormatException(file, "corrupt gzip data (" + e.getMessage() + ")");
        } catch (EOFException e) {
            throw new DataFormatException(file, "truncated gzip stream");
        } catch (IOException e) {
            throw new DataFormatException(file, "cannot be read: " + e);
        }
    }
}
