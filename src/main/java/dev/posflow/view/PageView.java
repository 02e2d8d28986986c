package dev.posflow.view;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A page of history; {@code next} is the cursor of the following page, null on the last one. */
@RegisterForReflection
public record PageView(List<PositionView> items, String next) {
}
