package dev.posflow.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.posflow.devinfra.LocalPorts;

/**
 * A TCP proxy in front of MySQL that the fault suite can cut: while cut, the port refuses connections and every
 * connection open through it is closed, which is what the service sees when its database host goes away.
 */
final class DatabaseProxy implements AutoCloseable {

    private final int port = LocalPorts.findFree();
    private volatile int target;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;

    DatabaseProxy(int target) throws IOException {
        this.target = target;
        restore();
    }

    int port() {
        return port;
    }

    synchronized void restore() throws IOException {
        if (server != null) {
            return;
        }
        ServerSocket listening = new ServerSocket();
        listening.setReuseAddress(true);
        listening.bind(new InetSocketAddress("127.0.0.1", port));
        server = listening;
        Thread acceptor = new Thread(() -> accept(listening), "db-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * The address moved to another server (a virtual IP or a ProxySQL host group switched to the promoted replica):
     * open connections are closed, new ones reach {@code newTarget}, the service's URL stays the same.
     */
    synchronized void moveTo(int newTarget) throws IOException {
        target = newTarget;
        for (Socket socket : sockets) {
            socket.close();
        }
        sockets.clear();
    }

    synchronized void cut() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
        for (Socket socket : sockets) {
            socket.close();
        }
        sockets.clear();
    }

    private void accept(ServerSocket listening) {
        while (!listening.isClosed()) {
            Socket client;
            try {
                client = listening.accept();
            } catch (IOException closed) {
                return;
            }
            try {
                Socket database = new Socket("127.0.0.1", target);
                sockets.add(client);
                sockets.add(database);
                pipe(client, database);
                pipe(database, client);
            } catch (IOException refused) {
                // the server behind the address is down (a killed primary not yet replaced): the client's connection
                // is closed as a refused one would be, and the next is accepted. Returning here once left every later
                // connection unanswered in the backlog, and the service's pool waiting for them for good
                close(client);
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException closed) {
                // the other side or cut() closed it
            } finally {
                close(from);
                close(to);
            }
        }, "db-proxy-pipe");
        thread.setDaemon(true);
        thread.start();
    }

    private void close(Socket socket) {
        sockets.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        cut();
    }
}
