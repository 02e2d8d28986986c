package dev.posflow.api;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.posflow.latest.SnapshotJson;
import dev.posflow.store.read.LatestReader.LatestRow;
import dev.posflow.store.read.LatestReader.SourceRow;
import dev.posflow.view.PositionView;
import dev.posflow.view.SourceView;

/** The JSON of latest_positions' rows, for the latest snapshot and for the pages read from MySQL alike. */
@ApplicationScoped
class LatestJson implements SnapshotJson {

    private final ObjectMapper json;

    LatestJson(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public byte[] position(LatestRow row) {
        return JsonBytes.of(json, PositionView.of(row));
    }

    @Override
    public byte[] summary(SourceRow row) {
        return JsonBytes.of(json, SourceView.of(row));
    }
}
