package dev.posflow.store.migration;

/** A change set as Liquibase identifies it in DATABASECHANGELOG: id, author and the changelog's path together. */
record ChangeSetId(String id, String author, String filename) {

    @Override
    public String toString() {
        return filename + "::" + id + "::" + author;
    }
}
