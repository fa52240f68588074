package org.g2gnet.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.stats.api.StatsReport;
import org.deeplearning4j.ui.model.stats.api.StatsType;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.g2gnet.G2GTestBase;
import org.g2gnet.data.IdxFiles;
import org.g2gnet.cli.G2GCli;
import org.g2gnet.cli.train.DstSpec;
import org.g2gnet.cli.train.TrainOptions;
import org.g2gnet.cli.train.Trainer;
import org.g2gnet.cli.train.TrainingView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** {@code ./g2g train --ui / --stats-file} and {@code ./g2g ui}: the UI server, its data, the stats file. */
class UiTrainingViewTest extends G2GTestBase {
    private static final Pattern ADDRESS = Pattern.compile("training UI: (http://localhost:\\d+)/train/overview");

    private static TrainOptions tiny(Path data, Path out) {
        // 256 examples / batch 32 = 8 iterations per epoch, 2 epochs
        return TrainOptions.builder().width(24).layers(2).groups(4).epochs(2).batch(32).trainLimit(256).dataDir(data)
                .out(out).progress(false).logEvery(0).checkpointEvery(0).lr(3e-3)
                .dst(DstSpec.parse("magnitude:random")).rewireEvery(5).build();
    }

    private static JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), url);
        return new ObjectMapper().readTree(r.body());
    }

    private static String address(String printed) {
        Matcher m = ADDRESS.matcher(printed);
        assertTrue(m.find(), printed);
        return m.group(1);
    }

    @AfterEach
    void stopServer() {
        UiTrainingView.stopServer();
    }

    @Test
    void theViewIsFoundByServiceLoader() {
        assertInstanceOf(UiTrainingView.class, TrainingView.load());
    }

    @Test
    void servesTheRunAndRecordsTheStatsFile(@TempDir Path dir) throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 300, 100, false);
        Path file = dir.resolve("stats/run.dl4j");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(printed, true, StandardCharsets.UTF_8);
        TrainingView.Session session = TrainingView.load().start(new TrainingView.Settings(true, 0, 0, file, 1), log);
        Trainer.run(tiny(data, dir.resolve("run")), log, m -> { }, TrainingView.listeners(session));
        String base = address(printed.toString(StandardCharsets.UTF_8));

        JsonNode overview = get(base + "/train/overview/data");
        assertEquals(16, overview.get("scores").size(), "a report per iteration");
        for (JsonNode s : overview.get("scores")) {
            assertTrue(Double.isFinite(s.asDouble()) && s.asDouble() > 0, overview.toString());
        }
        overview.get("updateRatios").fieldNames().forEachRemaining(k -> assertTrue(k.endsWith("_W"), k));
        JsonNode layer = get(base + "/train/model/data/1");
        assertEquals("G2GDense", layer.get("layerInfo").get(1).get(1).asText());
        assertEquals("[\"W\",\"b\"]", sorted(layer.get("paramHist").get("paramNames")));
        assertEquals("[\"W\",\"b\"]", sorted(layer.get("meanMag").get("layerParamNames")));
        assertEquals("[\"W\",\"b\"]", sorted(layer.get("learningRates").get("paramNames")));

        session.trainingFinished(log);
        assertThrows(IOException.class, () -> get(base + "/train/overview/data"), "the server stopped");

        // the stats file: one session, a report per iteration, masks left out
        FileStatsStorage stored = new FileStatsStorage(file.toFile());
        try {
            assertEquals(1, stored.listSessionIDs().size());
            String id = stored.listSessionIDs().get(0);
            String worker = stored.listWorkerIDsForSession(id).get(0);
            var updates = stored.getAllUpdatesAfter(id, StatsListener.TYPE_ID, worker, 0);
            assertEquals(16, updates.size());
            for (Persistable p : updates) {
                StatsReport r = (StatsReport) p;
                assertFalse(r.getHistograms(StatsType.Parameters).containsKey("0_M"));
                assertTrue(r.getHistograms(StatsType.Parameters).containsKey("0_W"));
            }
        } finally {
            stored.close();
        }
    }

    private static String sorted(JsonNode names) {
        java.util.List<String> l = new java.util.ArrayList<>();
        names.forEach(n -> l.add(n.asText()));
        java.util.Collections.sort(l);
        return l.stream().map(s -> "\"" + s + "\"").collect(java.util.stream.Collectors.joining(",", "[", "]"));
    }

    @Test
    void aBusyPortSaysWhatToDoAndDoesNotBlockALaterStart() throws Exception {
        try (ServerSocket busy = new ServerSocket(0)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> UiTrainingView.serve(busy.getLocalPort(), new org.deeplearning4j.ui.model.storage.InMemoryStatsStorage()));
            assertTrue(e.getMessage().contains("cannot listen on port " + busy.getLocalPort())
                    && e.getMessage().contains("--ui-port"), e.getMessage());
        }
        assertTrue(UiTrainingView.serve(0, new org.deeplearning4j.ui.model.storage.InMemoryStatsStorage()).getPort() > 0);
    }

    @Test
    void trainCommandWithStatsFileAndUiCommandOpensIt(@TempDir Path dir) throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 300, 100, false);
        Path file = dir.resolve("run/stats.dl4j");
        PrintStream saved = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int rc;
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            rc = G2GCli.commandLine().execute("train", "--ui", "--ui-port", "0", "--ui-linger", "0", "--stats-file",
                    file.toString(), "--stats-every", "4", "--width", "24", "--layers", "2", "--groups", "4",
                    "--epochs", "1", "--batch", "32", "--train-limit", "256", "--data-dir", data.toString(),
                    "--out", dir.resolve("run").toString(), "--no-progress", "--checkpoint-every", "0");
            assertEquals(0, rc, printed.toString(StandardCharsets.UTF_8));
            rc = G2GCli.commandLine().execute("ui", file.toString(), "--ui-port", "0", "--ui-linger", "0");
        } finally {
            System.setOut(saved);
        }
        String out = printed.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, out);
        assertTrue(out.contains("recording training statistics to " + file), out);
        assertTrue(out.contains("final test accuracy"), out);
        assertTrue(out.contains("(1 session from 1 file; for 0 s)"), out);
        assertTrue(Files.size(file) > 0);
    }

    @Test
    void theUiCommandNamesAMissingFile(@TempDir Path dir) {
        java.io.StringWriter err = new java.io.StringWriter();
        var cl = G2GCli.commandLine();
        cl.getSubcommands().get("ui").setErr(new java.io.PrintWriter(err, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        assertEquals(2, cl.execute("ui", dir.resolve("none.dl4j").toString()));
        assertTrue(err.toString().contains("no stats file at"), err.toString());
    }
}
