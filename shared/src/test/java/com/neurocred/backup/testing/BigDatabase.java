package com.neurocred.backup.testing;

/** One database per JVM with ~40 MB of poorly compressible rows, for multi-part uploads and slow dumps. */
public final class BigDatabase {
    private static String name;

    private BigDatabase() {
    }

    public static synchronized String get() {
        if (name == null) {
            PostgresFixture pg = PostgresFixture.get();
            name = pg.createDatabase("big");
            pg.execute(name, "CREATE TABLE public.events (id bigint PRIMARY KEY, payload text); "
                    + "INSERT INTO public.events SELECT g, md5(g::text) || md5((g * 7)::text) || md5((g * 13)::text) "
                    + "FROM generate_series(1, 400000) g");
        }
        return name;
    }
}
