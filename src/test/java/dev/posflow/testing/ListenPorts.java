package dev.posflow.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for the processes a test starts (brokers, packaged apps), picked below the kernel's ephemeral range. A port that
 * {@code new ServerSocket(0)} returns lies inside that range, and the outgoing connections of everything on the machine
 * draw from it too: in the time between the pick and the process's bind, a Kafka client's connection has taken such a
 * port, and the app failed to start with "Address already in use" (FaultSuiteIT in a CI run, 2026-12-05).
 */
public final class ListenPorts {

    private static final int LOWEST = 20_000;

    private ListenPorts() {
    }

    /** A port that nothing listens on now and that no outgoing connection will be given. */
    public static int free() {
        int highest = ephemeralStart() - 1;
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, highest + 1);
            try (ServerSocket socket = new ServerSocket(port)) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // someone listens there: another one
            }
        }
        throw new IllegalStateException("no free port between " + LOWEST + " and " + highest);
    }

    /** The first port of net.ipv4.ip_local_port_range (Linux's default 32768), or 32768 where it cannot be read. */
    private static int ephemeralStart() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            int start = Integer.parseInt(range.split("\\s+")[0]);
            return start > LOWEST + 1_000 ? start : 32_768;
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
