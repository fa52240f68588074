package org.g2gnet.cli.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

import org.g2gnet.data.Augmentation;
import org.g2gnet.data.Cifar;
import org.g2gnet.data.CropAndFlip;
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
     * Training, validation and test data of one dataset.
     *
     * @param train        training examples (without the validation examples, then limited by --train-limit)
     * @param validation   the last --validation training examples, held out; null when none
     * @param test         test examples
     * @param augmentation applied to training batches, or null
     */
    public record Split(LabeledData train, LabeledData validation, LabeledData test, Augmentation augmentation) {
    }

    /** @return "DIR does not exist", or "DIR lacks a, b and c" */
    private static String whatIsMissing(Path dir, List<String> missing) {
        if (!Files.isDirectory(dir)) {
            return dir + " does not exist";
        }
        String list = missing.size() == 1 ? missing.get(0) : String.join(", ", missing.subList(0, missing.size() - 1))
                + " and " + missing.get(missing.size() - 1);
        return "in " + dir + ", missing " + list;
    }

    /**
     * @param dataset    fashion-mnist, cifar10, cifar100 (fine labels) or cifar100-coarse
     * @param dataDir    directory, or null for the dataset's default
     * @param trainLimit first N training examples, 0 for all
     * @return the data, without a validation split
     * @throws MissingDataException when the files are not there, naming --data-dir and how to get them
     */
    public static Split load(String dataset, Path dataDir, int trainLimit) {
        return load(dataset, dataDir, trainLimit, 0);
    }

    /**
     * @param dataset    fashion-mnist, cifar10, cifar100 (fine labels) or cifar100-coarse
     * @param dataDir    directory, or null for the dataset's default
     * @param trainLimit first N of the remaining training examples, 0 for all
     * @param validation hold out the last N training examples for validation (0: none); they are never trained on,
     *                   whatever the train limit
     * @return the data
     * @throws MissingDataException when the files are not there, naming --data-dir and how to get them
     * @throws IllegalArgumentException when the validation split leaves no training example
     */
    public static Split load(String dataset, Path dataDir, int trainLimit, int validation) {
        String name = dataset.toLowerCase(Locale.ROOT);
        Split s = switch (name) {
            case "fashion-mnist" -> {
                Path dir = dataDir != null ? dataDir : Path.of(FashionMnist.DEFAULT_DIR);
                if (!FashionMnist.isPresent(dir)) {
                    throw new MissingDataException("Fashion-MNIST not found: " + whatIsMissing(dir,
                            FashionMnist.missingFiles(dir)) + (Files.isDirectory(dir) ? " (each plain or gzipped)" : "")
                            + ". Install it with "
                            + "'apt-get install dataset-fashion-mnist' (Debian; ./g2g does this itself when run as root), "
                            + "or download {train,t10k}-{images-idx3,labels-idx1}-ubyte.gz from "
                            + "https://github.com/zalandoresearch/fashion-mnist and pass --data-dir DIR.");
                }
                yield new Split(FashionMnist.train(dir), null, FashionMnist.test(dir), null);
            }
            case "cifar10", "cifar100", "cifar100-coarse" -> {
                boolean c100 = !name.equals("cifar10");
                if (dataDir == null || !Cifar.isPresent(dataDir, c100)) {
                    throw new MissingDataException((c100 ? "CIFAR-100" : "CIFAR-10") + " binary files not found: "
                            + (dataDir == null ? "no --data-dir given" : whatIsMissing(dataDir, Cifar.missingFiles(
                            dataDir, c100))) + ". Download the \"binary version\" from "
                            + "https://www.cs.toronto.edu/~kriz/cifar.html, unpack it, and pass --data-dir DIR holding "
                            + (c100 ? "train.bin and test.bin" : "data_batch_1.bin ... data_batch_5.bin and test_batch.bin")
                            + ".");
                }
                Augmentation aug = new CropAndFlip(3, 32, 32, 4);
                if (!c100) {
                    yield new Split(Cifar.cifar10Train(dataDir), null, Cifar.cifar10Test(dataDir), aug);
                }
                Cifar.Labels labels = name.equals("cifar100") ? Cifar.Labels.FINE : Cifar.Labels.COARSE;
                yield new Split(Cifar.cifar100Train(dataDir, labels), null, Cifar.cifar100Test(dataDir, labels), aug);
            }
            default -> throw new IllegalArgumentException("Unknown --dataset '" + dataset
                    + "': expected fashion-mnist, cifar10, cifar100 or cifar100-coarse");
        };
        LabeledData train = s.train();
        LabeledData held = null;
        if (validation > 0) {
            if (validation >= train.count()) {
                throw new IllegalArgumentException("--validation " + validation + " must be less than the "
                        + train.count() + " training examples of " + dataset);
            }
            held = train.slice(train.count() - validation, train.count());
            train = train.slice(0, train.count() - validation);
        }
        if (trainLimit > 0) {
            train = train.head(trainLimit);
        }
        return new Split(train, held, s.test(), s.augmentation());
    }

    /**
     * The class names of a dataset, for DL4J's {@code Evaluation.stats()}.
     *
     * @param dataset the dataset's name
     * @param classes the number of classes
     * @return the names (Fashion-MNIST's and CIFAR-10's own; "0", "1", ... otherwise)
     */
    public static List<String> classNames(String dataset, int classes) {
        List<String> names = switch (dataset.toLowerCase(Locale.ROOT)) {
            case "fashion-mnist" -> List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
                    "Shirt", "Sneaker", "Bag", "Ankle boot");
            case "cifar10" -> List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse",
                    "ship", "truck");
            default -> List.of();
        };
        if (names.size() == classes) {
            return names;
        }
        return IntStream.range(0, classes).mapToObj(String::valueOf).toList();
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
