package dev.posflow.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import dev.posflow.testing.BulkRows;
import dev.posflow.testing.KafkaBrokerResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Not a test (surefire does not pick up *Bench): the export rate of each format over the same rows, for
 * docs/performance.md. Run by bench/export-rate.sh. Rows (bench.export.rows, 300,000) are inserted in one statement,
 * then each format is exported whole over HTTP, once to warm up and bench.export.rounds times measured, the body
 * read and dropped by the client; it prints the best and the median rows/s per format.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ExportRateBench {

    private static final String SOURCE = "export-rate";
    private static final int ROWS = Integer.getInteger("bench.export.rows", 300_000);
    private static final int ROUNDS = Integer.getInteger("bench.export.rounds", 5);

    @TestHTTPResource("/")
    URL root;

    @Test
    void exportRateOfEachFormat() throws Exception {
        BulkRows.insert(SOURCE, "export-rate", ROWS, "2024-01-01 00:00:00");
        HttpClient client = HttpClient.newHttpClient();
        StringBuilder report = new StringBuilder();
        for (String format : new String[] { "csv", "ndjson", "geojson" }) {
            URI uri = URI.create(root + "positions/export?format=" + format + "&source=" + SOURCE);
            export(client, uri);
            double[] rates = new double[ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                long start = System.nanoTime();
                long lines = export(client, uri);
                rates[round] = ROWS / ((System.nanoTime() - start) / 1e9);
                assertEquals(format.equals("csv") ? ROWS + 1 : format.equals("geojson") ? ROWS + 2 : ROWS, lines);
            }
            java.util.Arrays.sort(rates);
            report.append(String.format("export-rate %-8s rows=%d rounds=%d best=%.0f rows/s median=%.0f rows/s%n",
                    format, ROWS, ROUNDS, rates[ROUNDS - 1], rates[ROUNDS / 2]));
        }
        System.out.print(report);
    }

    /** @return the lines of the body, read and dropped */
    private static long export(HttpClient client, URI uri) throws IOException, InterruptedException {
        HttpResponse<InputStream> answer = client.send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, answer.statusCode());
        long lines = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream body = answer.body()) {
            for (int read; (read = body.read(buffer)) >= 0;) {
                for (int i = 0; i < read; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        return lines;
    }
}
