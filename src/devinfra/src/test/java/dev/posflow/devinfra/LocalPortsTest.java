package dev.posflow.devinfra;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class LocalPortsTest {

    @Test
    void aFreePortLiesBelowTheEphemeralRangeAndCanBeBound() throws IOException {
        for (int i = 0; i < 20; i++) {
            int port = LocalPorts.findFree();
            assertTrue(port >= 20_000 && port < LocalPorts.ephemeralStart(), "port " + port);
            assertFalse(LocalPorts.isAccepting("127.0.0.1", port));
            try (ServerSocket bound = new ServerSocket(port)) {
                assertTrue(bound.isBound());
            }
        }
    }

    @Test
    void noPortIsGivenTwiceEvenBeforeItsCallerListens() {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            assertTrue(ports.add(LocalPorts.findFree()), "a port given twice after " + i + " picks");
        }
    }
}
