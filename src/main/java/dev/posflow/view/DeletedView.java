package dev.posflow.view;

/** What an erasure deleted: the rows of positions (a source's latest row and counts go with its last row). */
public record DeletedView(long deleted) {
}
