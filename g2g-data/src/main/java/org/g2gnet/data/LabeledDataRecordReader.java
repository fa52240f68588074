package org.g2gnet.data;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

import org.datavec.api.conf.Configuration;
import org.datavec.api.records.Record;
import org.datavec.api.records.metadata.RecordMetaData;
import org.datavec.api.records.metadata.RecordMetaDataIndex;
import org.datavec.api.records.reader.BaseRecordReader;
import org.datavec.api.split.InputSplit;
import org.datavec.api.writable.IntWritable;
import org.datavec.api.writable.NDArrayWritable;
import org.datavec.api.writable.Writable;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The DataVec face of the readers: one record per image, {@code [features, label]} with the features as an
 * {@link NDArrayWritable} [1, pixels] (scaled to [0, 1] as the iterators serve them) and the label as an
 * {@link IntWritable}, so that DL4J's {@code RecordReaderDataSetIterator(reader, batch, 1, classes)} and DataVec
 * transforms work on them. The subclasses say which files {@link #initialize(InputSplit)} reads from the split's
 * directory.
 */
public abstract class LabeledDataRecordReader extends BaseRecordReader {
    private static final long serialVersionUID = 1L;

    private transient LabeledData data;
    private URI location;
    private int cursor;
    private Configuration conf;

    /**
     * Reads the examples from a directory.
     *
     * @param dir the directory the split names
     * @return the examples
     */
    protected abstract LabeledData read(Path dir);

    /**
     * @param split a split whose first location is the directory holding the dataset's files (e.g.
     *              {@code new FileSplit(new File("/usr/share/datasets/fashion-mnist"))})
     */
    @Override
    public void initialize(InputSplit split) {
        URI[] locations = split.locations();
        if (locations == null || locations.length == 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": the input split names no location");
        }
        Path dir = Path.of(locations[0]);
        if (!dir.toFile().isDirectory()) {
            dir = dir.getParent();
        }
        this.inputSplit = split;
        this.location = dir.toUri();
        this.data = read(dir);
        this.cursor = 0;
    }

    @Override
    public void initialize(Configuration conf, InputSplit split) {
        setConf(conf);
        initialize(split);
    }

    /** @return the examples read, for callers that want them as arrays */
    public LabeledData data() {
        checkInitialized();
        return data;
    }

    @Override
    public List<Writable> next() {
        return nextRecord().getRecord();
    }

    @Override
    public boolean hasNext() {
        checkInitialized();
        return cursor < data.count();
    }

    @Override
    public List<String> getLabels() {
        checkInitialized();
        List<String> labels = new ArrayList<>();
        for (int c = 0; c < data.numClasses(); c++) {
            labels.add(String.valueOf(c));
        }
        return labels;
    }

    @Override
    public void reset() {
        cursor = 0;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    /** Records come from files read as a whole; a single stream is not a dataset here. */
    @Override
    public List<Writable> record(URI uri, DataInputStream dataInputStream) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " reads whole files: use initialize(split)");
    }

    @Override
    public Record nextRecord() {
        if (!hasNext()) {
            throw new NoSuchElementException(getClass().getSimpleName() + ": no more records (" + data.count() + " read)");
        }
        int i = cursor++;
        return new org.datavec.api.records.impl.Record(example(i), new RecordMetaDataIndex(i, location, getClass()));
    }

    @Override
    public Record loadFromMetaData(RecordMetaData recordMetaData) {
        return loadFromMetaData(List.of(recordMetaData)).get(0);
    }

    @Override
    public List<Record> loadFromMetaData(List<RecordMetaData> recordMetaDatas) {
        checkInitialized();
        List<Record> out = new ArrayList<>();
        for (RecordMetaData m : recordMetaDatas) {
            if (!(m instanceof RecordMetaDataIndex idx) || idx.getIndex() < 0 || idx.getIndex() >= data.count()) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": not a record of this reader: " + m);
            }
            int i = (int) idx.getIndex();
            out.add(new org.datavec.api.records.impl.Record(example(i), m));
        }
        return out;
    }

    private List<Writable> example(int i) {
        int fs = data.featureSize();
        float[] x = new float[fs];
        System.arraycopy(data.features(), i * fs, x, 0, fs);
        return List.of(new NDArrayWritable(Nd4j.create(x, new long[] {1, fs}, 'c')), new IntWritable(data.labels()[i]));
    }

    private void checkInitialized() {
        if (data == null) {
            throw new IllegalStateException(getClass().getSimpleName() + ": call initialize(split) first");
        }
    }

    @Override
    public void close() throws IOException {
        data = null;
    }

    @Override
    public void setConf(Configuration conf) {
        this.conf = conf;
    }

    @Override
    public Configuration getConf() {
        return conf;
    }
}
