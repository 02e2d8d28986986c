package dev.posflow.devinfra;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** TCP port probing for the embedded dev services and the processes tests start. */
public final class LocalPorts {

    private static final int CONNECT_TIMEOUT_MS = 300;
    private static final int LOWEST = 20_000;
    private static final int LINUX_EPHEMERAL_START = 32_768;
    /** Every port findFree gave this JVM: never given twice. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private LocalPorts() {
    }

    /** True when something accepts TCP connections on host:port. */
    public static boolean isAccepting(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A port that nothing listens on now, picked below the kernel's ephemeral range. A port that
     * {@code new ServerSocket(0)} returns lies inside that range, and every outgoing connection on the machine draws
     * from it too: between the pick and the server's bind, a Kafka client's connection once took such a port, and a
     * packaged app failed to start with "Address already in use" (FaultSuiteIT in a CI run, 2026-12-05).
     */
    public static int findFree() {
        int highest = ephemeralStart() - 1;
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, highest + 1);
            if (!HANDED_OUT.add(port)) {
                // a caller holds it but may not listen yet: two picks in a row once gave an embedded broker the same
                // port for its listener and its controller (LatestBeyondMemoryBoundTest, 2026-12-07)
                continue;
            }
            try (ServerSocket socket = new ServerSocket(port)) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // someone listens there: another one
            }
        }
        throw new IllegalStateException("No free local TCP port between " + LOWEST + " and " + highest);
    }

    /** The first port of net.ipv4.ip_local_port_range, or Linux's default where it cannot be read or is too low. */
    static int ephemeralStart() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            int start = Integer.parseInt(range.split("\\s+")[0]);
            return start > LOWEST + 1_000 ? start : LINUX_EPHEMERAL_START;
        } catch (IOException | RuntimeException e) {
            return LINUX_EPHEMERAL_START;
        }
    }
}
