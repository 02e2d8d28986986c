package dev.posflow.devinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** TCP port probing for the embedded dev services. */
public final class LocalPorts {

    private static final int CONNECT_TIMEOUT_MS = 300;

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

    /** A port that was free a moment ago; callers bind it soon after, the usual race is acceptable for dev/test. */
    public static int findFree() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free local TCP port", e);
        }
    }
}
