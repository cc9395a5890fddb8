package com.neurocred.backup.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TableNamesTest {
    @Test
    void normalize_should_makeEveryWayOfWritingATableNameComparable() {
        assertThat(TableNames.normalize("customers")).isEqualTo("public.customers");
        assertThat(TableNames.normalize("public.Customers")).isEqualTo("public.customers");
        assertThat(TableNames.normalize("credit.\"Score History\"")).isEqualTo("credit.Score History");
        assertThat(TableNames.normalize("\"we.ird\".\"a\"\"b\"")).isEqualTo("we.ird.a\"b");
    }
}
