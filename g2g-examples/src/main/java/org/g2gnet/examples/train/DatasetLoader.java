package org.g2gnet.examples.train;

import java.nio.file.Path;
import java.util.Locale;

import org.g2gnet.data.Augmentation;
import org.g2gnet.data.FashionMnist;
import org.g2gnet.data.LabeledData;

/**
 * Resolves {@code --dataset} and {@code --data-dir} into training and test data, with an error that says
 * how to get missing data.
 */
public final class DatasetLoader {
    private DatasetLoader() {
    }

    /**
     * Training and test data of one dataset.
     *
     * @param train        training examples (limited by --train-limit)
     * @param test         test examples
     * @param augmentation applied to training batches, or null
     */
    public record Split(LabeledData train, LabeledData test, Augmentation augmentation) {
    }

    /**
     * @param dataset    fashion-mnist (cifar10 and cifar100 where supported)
     * @param dataDir    directory, or null for the dataset's default
     * @param trainLimit first N training examples, 0 for all
     * @return the data
     * @throws MissingDataException when the files are not there, naming --data-dir and how to get them
     */
    public static Split load(String dataset, Path dataDir, int trainLimit) {
        String name = dataset.toLowerCase(Locale.ROOT);
        Split s = switch (name) {
            case "fashion-mnist" -> {
                Path dir = dataDir != null ? dataDir : Path.of(FashionMnist.DEFAULT_DIR);
                if (!FashionMnist.isPresent(dir)) {
                    throw new MissingDataException("Fashion-MNIST not found in " + dir + ". Install it with "
                            + "'apt-get install dataset-fashion-mnist' (Debian; ./g2g does this itself when run as root), "
                            + "or download {train,t10k}-{images-idx3,labels-idx1}-ubyte.gz from "
                            + "https://github.com/zalandoresearch/fashion-mnist and pass --data-dir DIR.");
                }
                yield new Split(FashionMnist.train(dir), FashionMnist.test(dir), null);
            }
            default -> throw new IllegalArgumentException("Unknown --dataset '" + dataset
                    + "': expected fashion-mnist, cifar10 or cifar100");
        };
        return trainLimit > 0 ? new Split(s.train().head(trainLimit), s.test(), s.augmentation()) : s;
    }

    /** The data files are not where they were looked for. */
    public static final class MissingDataException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** @param message what is missing and how to get it */
        public MissingDataException(String message) {
            super(message);
        }
    }
}
