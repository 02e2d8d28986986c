package dev.posflow.store.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InsertedRowTest {

    @Test
    void mySqlFrom8019UsesTheRowAliasAndMariaDbKeepsValues() {
        assertTrue(InsertedRow.hasRowAlias("8.0.31"));
        assertTrue(InsertedRow.hasRowAlias("8.0.19"));
        assertTrue(InsertedRow.hasRowAlias("8.4.3"));
        assertFalse(InsertedRow.hasRowAlias("8.0.18"));
        assertFalse(InsertedRow.hasRowAlias("5.7.44-log"));
        assertFalse(InsertedRow.hasRowAlias("5.5.5-10.11.6-MariaDB-0+deb12u1"));
        assertFalse(InsertedRow.hasRowAlias("11.4.5-MariaDB"));
    }

    @Test
    void theAliasFormNamesTheInsertedRowAsNew() {
        assertEquals("insert into t (a, b) values (?, ?) as new on duplicate key update b = greatest(b, new.b)",
                InsertedRow.aliased(
                        "insert into t (a, b) values (?, ?) on duplicate key update b = greatest(b, values(b))"));
    }
}
