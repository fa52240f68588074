package org.g2gnet.cli.compare;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.g2gnet.cli.train.OutputLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./g2g report}: one summary from several comparisons' results.csv files, for a comparison split over
 * machines ({@code ./g2g compare --seeds 1-2} here, {@code --seeds 3-3} there) or one whose run directories are gone.
 */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Report several comparisons together: reads each one's results.csv (a comparison's --out "
                + "directory or the file itself), merges their runs (a run found twice must be identical; a model's "
                + "runs must share epochs and parameters) and writes results.csv, summary.md and accuracy.png to "
                + "--out. The rewiring, event and mask plots stay in each comparison's own directory."})
public final class ReportCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "RESULTS", description = "comparison directories or results.csv files")
    List<Path> sources;

    @Option(names = "--out", required = true, description = "output directory")
    Path out;

    @Override
    public Integer call() {
        Map<String, List<RunRecord>> parts = new LinkedHashMap<>();
        for (Path s : sources) {
            Path csv = Files.isDirectory(s) ? s.resolve("results.csv") : s;
            if (!Files.isRegularFile(csv)) {
                throw new IllegalArgumentException("no results.csv at " + csv + ": name a directory written by "
                        + "./g2g compare, or its results.csv");
            }
            parts.put(csv.toString(), ResultsFile.read(csv));
        }
        List<RunRecord> runs = new ArrayList<>(ResultsFile.merge(parts));
        // models in the order first seen, each with its learning rates and seeds in order (as compare lists them)
        List<CompareModel> order = runs.stream().map(RunRecord::model).distinct().toList();
        runs.sort(Comparator.<RunRecord>comparingInt(r -> order.indexOf(r.model()))
                .thenComparingDouble(RunRecord::lr).thenComparingLong(RunRecord::seed));
        Reports.Written written;
        try (OutputLock lock = OutputLock.acquire(out, "report", System.out)) {
            written = Reports.writeAll(runs, out);
        }
        System.out.printf("report: %d runs of %d models from %d results files%n%n%s%nfiles: %s%n", runs.size(),
                order.size(), parts.size(), written.summary(), written.fileList());
        return 0;
    }
}
