package org.g2gnet.cli.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;

import org.g2gnet.data.IdxFiles;
import org.g2gnet.data.LabeledData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The validation split: the last N training images, never trained on, whatever the train limit. */
class DatasetLoaderTest {

    @Test
    void validationHoldsOutTheLastTrainingImages(@TempDir Path dir) throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 300, 40, true);
        LabeledData all = DatasetLoader.load("fashion-mnist", data, 0).train();
        assertNull(DatasetLoader.load("fashion-mnist", data, 0).validation());

        DatasetLoader.Split s = DatasetLoader.load("fashion-mnist", data, 0, 50);
        assertEquals(250, s.train().count());
        assertEquals(50, s.validation().count());
        int fs = all.featureSize();
        assertArrayEquals(Arrays.copyOfRange(all.features(), 250 * fs, 300 * fs), s.validation().features());
        assertArrayEquals(Arrays.copyOfRange(all.labels(), 250, 300), s.validation().labels());
        assertArrayEquals(Arrays.copyOfRange(all.features(), 0, 250 * fs), s.train().features());

        // a train limit takes the first images of what is left; the validation images stay the same
        DatasetLoader.Split limited = DatasetLoader.load("fashion-mnist", data, 100, 50);
        assertEquals(100, limited.train().count());
        assertArrayEquals(s.validation().features(), limited.validation().features());
        DatasetLoader.Split big = DatasetLoader.load("fashion-mnist", data, 280, 50);
        assertEquals(250, big.train().count(), "the limit never reaches into the validation images");
    }

    @Test
    void missingDataNamesEachMissingFile(@TempDir Path dir) throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 30, 20, true);
        java.nio.file.Files.delete(data.resolve("t10k-labels-idx1-ubyte.gz"));
        DatasetLoader.MissingDataException e = assertThrows(DatasetLoader.MissingDataException.class,
                () -> DatasetLoader.load("fashion-mnist", data, 0));
        assertTrue(e.getMessage().contains("missing t10k-labels-idx1-ubyte") && !e.getMessage().contains("train-"),
                e.getMessage());
        java.nio.file.Files.delete(data.resolve("train-images-idx3-ubyte.gz"));
        e = assertThrows(DatasetLoader.MissingDataException.class, () -> DatasetLoader.load("fashion-mnist", data, 0));
        assertTrue(e.getMessage().contains("missing train-images-idx3-ubyte and t10k-labels-idx1-ubyte"), e.getMessage());
        e = assertThrows(DatasetLoader.MissingDataException.class,
                () -> DatasetLoader.load("fashion-mnist", dir.resolve("nowhere"), 0));
        assertTrue(e.getMessage().contains(dir.resolve("nowhere") + " does not exist"), e.getMessage());

        Path cifar = java.nio.file.Files.createDirectories(dir.resolve("cifar"));
        for (String f : new String[] {"data_batch_1.bin", "data_batch_2.bin", "data_batch_4.bin", "data_batch_5.bin"}) {
            java.nio.file.Files.write(cifar.resolve(f), new byte[3073]);
        }
        e = assertThrows(DatasetLoader.MissingDataException.class, () -> DatasetLoader.load("cifar10", cifar, 0));
        assertTrue(e.getMessage().contains("missing data_batch_3.bin and test_batch.bin"), e.getMessage());
    }

    @Test
    void aValidationSplitThatLeavesNoTrainingImageIsRefused(@TempDir Path dir) throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 300, 40, true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatasetLoader.load("fashion-mnist", data, 0, 300));
        assertTrue(e.getMessage().contains("--validation 300") && e.getMessage().contains("300 training"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrainOptions.builder().validation(-1).build());
    }

    @Test
    void metricsRowsOfBothFormatsParse() {
        EpochMetrics old = EpochMetrics.parse("3,0.5,0.4,0.85,12.5,705");
        assertTrue(Double.isNaN(old.valAccuracy()));
        EpochMetrics m = new EpochMetrics(3, 0.5, 0.4, 0.85, 12.5, 705, 0.8731);
        assertEquals(m, EpochMetrics.parse(m.csv()));
        assertEquals(old, EpochMetrics.parse(old.csv()));
        assertThrows(IllegalArgumentException.class, () -> EpochMetrics.parse("1,2,3"));
    }

    @Test
    void theValidationOptionEntersTheFingerprintOnlyWhenSet() {
        String plain = TrainOptions.defaults().fingerprint();
        assertTrue(!plain.contains("validation"), plain);
        assertTrue(TrainOptions.builder().validation(10000).build().fingerprint().endsWith("validation=10000"));
    }

    @Test
    void runsMadeBeforeTheGroupingsApplyToBothSidesAreNotReused() {
        // the fingerprint of 0.1 for a Mixer network had no "sides" entry: its done markers no longer match
        String mixer = TrainOptions.defaults().fingerprint();
        assertTrue(mixer.contains(" grouping=mixer sides=layer "), mixer);
        String index = TrainOptions.builder().grouping(GroupingChoice.INDEX).build().fingerprint();
        assertTrue(!index.contains("sides="), "INDEX stacks did not change: " + index);
        String er = TrainOptions.builder().model(ModelKind.ER).build().fingerprint();
        assertTrue(!er.contains("sides="), er);
    }
}
