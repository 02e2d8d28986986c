package dev.posflow.view;

import java.util.List;

/** A page of history; {@code next} is the cursor of the following page, null on the last one. */
public record PageView(List<PositionView> items, String next) {
}
