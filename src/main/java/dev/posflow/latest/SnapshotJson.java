package dev.posflow.latest;

import dev.posflow.store.read.LatestReader.LatestRow;
import dev.posflow.store.read.LatestReader.SourceRow;

/**
 * How the API writes what the latest snapshot holds, once per changed row: the snapshot keeps the bytes ready (the
 * most polled endpoints are served from them), and the wire format stays on the API side, which implements this.
 */
public interface SnapshotJson {

    /** A source's latest position as GET /positions/latest shows it. */
    byte[] position(LatestRow row);

    /** A source's summary as GET /sources shows it. */
    byte[] summary(SourceRow row);
}
