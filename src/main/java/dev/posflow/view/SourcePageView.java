package dev.posflow.view;

import java.util.List;

/** A page of sources, in name order; {@code next} is the cursor of the following page, null on the last one. */
public record SourcePageView(List<SourceView> items, String next) {
}
