package dev.posflow.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.posflow.sample.Sample;

class SampleBodyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final Instant NOW = Instant.parse("2024-01-02T03:04:05.123456Z");

    private static List<Sample> parse(String body) {
        return SampleBody.parse(JSON, body, ZoneOffset.UTC, NOW);
    }

    private static String refused(String body) {
        ProblemException e = assertThrows(ProblemException.class, () -> parse(body));
        assertEquals(Response.Status.BAD_REQUEST, e.status());
        return e.getMessage();
    }

    private static void assertContains(String expected, String actual) {
        assertTrue(actual.contains(expected), () -> "expected '" + expected + "' in: " + actual);
    }

    @Test
    void singleObjectGivesOneSample() {
        List<Sample> samples = parse("{\"id\": \"2021/04/10-20:51:36:287301\", \"x\": 910, \"y\": 454}");

        assertEquals(List.of(new Sample(Optional.empty(), Instant.parse("2021-04-10T20:51:36.287301Z"), 910, 454)),
                samples);
    }

    @Test
    void seedIdIsReadInTheGivenZone() {
        List<Sample> samples = SampleBody.parse(JSON, "{\"id\": \"2021/04/10-20:51:36:287301\", \"x\": 910, \"y\": 454}",
                PARIS, NOW);

        assertEquals(Instant.parse("2021-04-10T18:51:36.287301Z"), samples.get(0).sampledAt());
    }

    @Test
    void arrayGivesSamplesInOrder() {
        List<Sample> samples = parse("[{\"id\": \"2021/04/10-20:51:36:287301\", \"x\": 1, \"y\": 2},"
                + " {\"source\": \"desk-7\", \"sampledAt\": \"2021-04-10T20:51:37Z\", \"x\": 3, \"y\": 4}]");

        assertEquals(List.of(
                new Sample(Optional.empty(), Instant.parse("2021-04-10T20:51:36.287301Z"), 1, 2),
                new Sample(Optional.of("desk-7"), Instant.parse("2021-04-10T20:51:37Z"), 3, 4)), samples);
    }

    @Test
    void concatenatedObjectsAreRefusedRatherThanTruncatedToTheFirst() {
        assertTrue(refused("{\"x\": 1, \"y\": 2}{\"x\": 3, \"y\": 4}").startsWith("the body is not JSON"));
    }

    @Test
    void emptyArrayIsRefused() {
        assertEquals("the array holds no sample", refused("[]"));
    }

    @Test
    void arrayWithOneBadElementIsRefusedNamingItsIndex() {
        String detail = refused("[{\"x\": 1, \"y\": 2}, {\"x\": 1, \"y\": 2}, {\"x\": 1.5, \"y\": 2}]");

        assertTrue(detail.startsWith("sample [2]: "), detail);
        assertContains("'x' must be an integer", detail);
    }

    @Test
    void arrayWithANonObjectElementIsRefusedNamingItsIndex() {
        String detail = refused("[{\"x\": 1, \"y\": 2}, 7]");

        assertEquals("sample [1]: a sample must be a JSON object, not number 7", detail);
    }

    @Test
    void badSingleObjectIsRefusedWithoutIndex() {
        assertEquals("'y' is missing", refused("{\"x\": 1}"));
    }

    @Test
    void notJsonIsRefused() {
        assertContains("the body is not JSON", refused("x=910&y=454"));
        assertContains("the body is not JSON", refused("{\"x\": 1, "));
    }

    @Test
    void emptyBodyIsRefused() {
        assertContains("the body is empty", refused(""));
        assertContains("the body is empty", refused("  \n"));
        assertContains("the body is empty", refused(null));
    }

    @Test
    void jsonThatIsNotAnObjectIsRefused() {
        assertContains("a sample must be a JSON object", refused("\"hello\""));
    }

    @Test
    void defaultTimeIsUsedForSamplesWithoutTime() {
        List<Sample> samples = parse("[{\"x\": 1, \"y\": 2}, {\"sampledAt\": \"2021-04-10T20:51:36Z\", \"x\": 3, \"y\": 4}]");

        assertEquals(NOW, samples.get(0).sampledAt());
        assertEquals(Instant.parse("2021-04-10T20:51:36Z"), samples.get(1).sampledAt());
    }

    @Test
    void arrayOfMoreThan1000SamplesIsRefusedAsTooLarge() {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i <= SampleBody.DEFAULT_MAX_SAMPLES; i++) {
            body.append(i == 0 ? "" : ",").append("{\"x\":1,\"y\":2}");
        }
        ProblemException e = assertThrows(ProblemException.class, () -> parse(body.append("]").toString()));

        assertEquals(Response.Status.REQUEST_ENTITY_TOO_LARGE, e.status());
        assertEquals("the array holds more than the 1000 samples taken at once "
                + "(posflow.publish.max-samples-per-request); send them in parts", e.getMessage());
    }

    @Test
    void arrayOf1000SamplesIsAccepted() {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < SampleBody.DEFAULT_MAX_SAMPLES; i++) {
            body.append(i == 0 ? "" : ",").append("{\"x\":").append(i).append(",\"y\":2}");
        }
        List<Sample> samples = parse(body.append("]").toString());

        assertEquals(1_000, samples.size());
        assertEquals(999, samples.get(999).x());
    }

    @Test
    void trailingContentAfterTheArrayIsRefused() {
        assertContains("trailing token", refused("[{\"x\":1,\"y\":2}] {\"x\":3,\"y\":4}"));
        assertContains("trailing token", refused("{\"x\":1,\"y\":2} {\"x\":3,\"y\":4}"));
    }

    @Test
    void unfinishedArrayIsRefused() {
        assertContains("the body is not JSON", refused("[{\"x\":1,\"y\":2},"));
    }
}
