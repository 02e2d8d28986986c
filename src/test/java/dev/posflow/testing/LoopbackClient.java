package dev.posflow.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bare HTTP/1.1 client that connects from a chosen loopback address (127.0.0.2, 127.0.0.3, ...), so that one test
 * can act as several callers: posflow tells anonymous callers apart by remote address.
 */
public final class LoopbackClient {

    private LoopbackClient() {
    }

    public record Answer(int status, Map<String, String> headers, String body) {

        public String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    /** An open response whose body is still being read: a live stream. Closing it drops the connection. */
    public static final class Stream implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader reader;
        public final int status;
        public final Map<String, String> headers;

        private Stream(Socket socket, BufferedReader reader, int status, Map<String, String> headers) {
            this.socket = socket;
            this.reader = reader;
            this.status = status;
            this.headers = headers;
        }

        /** The next line of the body (chunk-size lines included), or null at its end. */
        public String readLine() throws IOException {
            return reader.readLine();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    public static Answer post(String fromAddress, int port, String path, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return exchange(fromAddress, port, "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n", body);
    }

    public static Answer get(String fromAddress, int port, String path) {
        return exchange(fromAddress, port, "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                new byte[0]);
    }

    /** Sends a GET and returns once the status line and headers have arrived. */
    public static Stream open(String fromAddress, int port, String path) throws IOException {
        Socket socket = connect(fromAddress, port);
        socket.setSoTimeout(30_000);
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        int status = status(reader.readLine());
        return new Stream(socket, reader, status, headers(reader));
    }

    private static Answer exchange(String fromAddress, int port, String head, byte[] body) {
        try (Socket socket = connect(fromAddress, port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            try {
                out.write(body);
                out.flush();
            } catch (IOException refusedMidway) {
                // the server may answer (413) and close before it has read the whole body
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            int status = status(reader.readLine());
            Map<String, String> headers = headers(reader);
            StringBuilder text = new StringBuilder();
            String length = headers.get("content-length");
            if (length != null) {
                char[] chars = new char[Integer.parseInt(length)];
                int read = 0;
                while (read < chars.length) {
                    int n = reader.read(chars, read, chars.length - read);
                    if (n < 0) {
                        break;
                    }
                    read += n;
                }
                text.append(chars, 0, read);
            } else {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    text.append(line).append('\n');
                }
            }
            return new Answer(status, headers, text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Socket connect(String fromAddress, int port) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(fromAddress, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        return socket;
    }

    private static int status(String statusLine) throws IOException {
        if (statusLine == null) {
            throw new IOException("connection closed before a status line");
        }
        return Integer.parseInt(statusLine.split(" ")[1]);
    }

    private static Map<String, String> headers(BufferedReader reader) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = reader.readLine(); line != null && !line.isEmpty(); line = reader.readLine()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(), line.substring(colon + 1).trim());
        }
        return headers;
    }
}
