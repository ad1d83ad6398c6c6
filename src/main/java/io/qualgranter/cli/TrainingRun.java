package io.qualgranter.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.qualgranter.EarlyWarmUp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The launcher's training run (ops/granter, README "Start-up time"): the JVM that records the start-up
 * cache runs the ways an operator's launches go, so that the classes of every step, not only those on
 * the way to the first call, are in the cache. It runs, in one JVM, a single grant, a grant from a file
 * (with a holder listing) and a dry run against a throw-away MTurk stand-in on loopback that answers
 * every read with a canned page and every grant with success, except the file's first
 * {@value #THROTTLED} grants: those are refused as over the rate limit (400 ThrottlingException), so
 * that the way an error answer is read (the SDK's error unmarshalling, its exception builders) and the
 * rate's cut are in the cache too: without it, a run's first refusal loaded and verified ~30 classes
 * from the jar (issue 14, stop 36). Nothing leaves the machine; the launcher sets
 * $GRANTER_HOME to a throw-away directory and made-up credentials (and 2 attempts, so that the refused
 * grants are sent again, as in a real run).
 */
final class TrainingRun {

    /** Set by the launcher on the training JVM only. */
    static final String PROPERTY = "granter.training-run";

    private static final String TYPE = "3TRAININGTYPE00000000000001";
    private static final Map<String, String> ANSWERS = Map.of(
            "GetAccountBalance", "{\"AvailableBalance\":\"10000.00\"}",
            "ListQualificationTypes", "{\"NumResults\":1,\"QualificationTypes\":[{\"QualificationTypeId\":\"" + TYPE
                    + "\",\"CreationTime\":1.7E9,\"Name\":\"training\",\"Description\":\"training\","
                    + "\"QualificationTypeStatus\":\"Active\",\"IsRequestable\":true,\"AutoGranted\":false}]}",
            "ListWorkersWithQualificationType", "{\"NumResults\":0,\"Qualifications\":[]}",
            "ListQualificationRequests", "{\"NumResults\":0,\"QualificationRequests\":[]}");

    /** The file run's first grants refused as over the rate limit: two, so that they cut the rate. */
    private static final int THROTTLED = 2;
    private static final String THROTTLING = "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}";
    private static final String FILE_WORKERS = "A1TRAININGROW";
    private static final AtomicInteger throttledLeft = new AtomicInteger();

    private TrainingRun() {
    }

    /** Answers the last command's exit code (the launcher ignores it: the cache is what it wants). */
    static int run() throws IOException {
        EarlyWarmUp.start(); // as Main.main does for grant, so that what it loads is in the cache too
        HttpServer service = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        throttledLeft.set(THROTTLED);
        service.createContext("/", TrainingRun::answer);
        service.start();
        Path dir = Files.createTempDirectory("granter-training");
        try {
            String endpoint = "http://127.0.0.1:" + service.getAddress().getPort();
            Path rows = dir.resolve("rows.csv");
            Path dryRows = dir.resolve("dry-rows.csv");
            Files.writeString(rows, file(FILE_WORKERS));
            Files.writeString(dryRows, file("A1TRAININGDRY"));
            Main.run("grant", "--worker-id", "A1TRAININGONE", "--qualification-type-id", TYPE, "--endpoint-url", endpoint);
            Main.run("grant", "--input", rows.toString(), "--endpoint-url", endpoint, "--rate", "100");
            return Main.run("grant", "--input", dryRows.toString(), "--dry-run");
        } finally {
            service.stop(0);
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /** Twelve rows: enough waiting rows for a holder listing. */
    private static String file(String workerPrefix) {
        StringBuilder csv = new StringBuilder("WorkerId,QualificationTypeId,IntegerValue\n");
        for (int i = 10; i < 22; i++) {
            csv.append(workerPrefix).append(i).append(',').append(TYPE).append(",1\n");
        }
        return csv.toString();
    }

    private static void answer(HttpExchange exchange) throws IOException {
        String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
        String operation = target.substring(target.indexOf('.') + 1);
        boolean refused = operation.equals("AssociateQualificationWithWorker") && request.contains(FILE_WORKERS)
                && throttledLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0;
        byte[] body = (refused ? THROTTLING : ANSWERS.getOrDefault(operation, "{}")).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(refused ? 400 : 200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
