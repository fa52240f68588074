package org.g2gnet.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.g2gnet.examples.ComputationGraphG2G;
import org.g2gnet.examples.DropInReplacement;
import org.g2gnet.examples.FashionMnistG2G;
import org.g2gnet.examples.StructuredSpeed;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ./g2g example NAME [ARGS...]}: runs one of the example programs of g2g-examples, passing it the
 * remaining arguments as its {@code main} would get them.
 */
@Command(name = "example", mixinStandardHelpOptions = true,
        description = {"Run an example program (g2g-examples; each is also a plain main to copy).",
                "  fashion-mnist [DATA_DIR [EPOCHS [TRAIN_LIMIT]]]   G2G MLP with Hebbian rewiring, Evaluation.stats(), net.save",
                "  drop-in [DATA_DIR [EPOCHS [TRAIN_LIMIT [MODEL]]]]  replace a trained dense model's hidden layer by G2G",
                "  graph [DATA_DIR [EPOCHS [TRAIN_LIMIT]]]           G2G layers in a ComputationGraph",
                "  structured [DATA_DIR [WIDTH [ROUNDS]]]            structured execution: its speed against dense"})
public final class ExampleCommand implements Callable<Integer> {

    /** The examples by name. */
    interface Main {
        void run(String[] args) throws Exception;
    }

    static final Map<String, Main> EXAMPLES = new LinkedHashMap<>();

    static {
        EXAMPLES.put("fashion-mnist", FashionMnistG2G::main);
        EXAMPLES.put("drop-in", DropInReplacement::main);
        EXAMPLES.put("graph", ComputationGraphG2G::main);
        EXAMPLES.put("structured", StructuredSpeed::main);
    }

    @Parameters(index = "0", paramLabel = "NAME", description = "fashion-mnist | drop-in | graph | structured")
    String name;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "the example's own arguments")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Main m = EXAMPLES.get(name);
        if (m == null) {
            throw new IllegalArgumentException("Unknown example '" + name + "': expected one of " + EXAMPLES.keySet());
        }
        m.run(args.toArray(String[]::new));
        return 0;
    }
}
