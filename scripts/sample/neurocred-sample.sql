-- A small NeuroCred-like schema with the data types and objects a backup must carry intact.
CREATE SCHEMA credit;

CREATE TABLE public.customers (
    id          bigserial PRIMARY KEY,
    full_name   text NOT NULL,
    email       text UNIQUE,
    notes       text,
    country     char(2),
    created_at  timestamptz NOT NULL DEFAULT '2024-01-01 00:00:00+00'
);

CREATE TABLE credit.applications (
    id            bigserial PRIMARY KEY,
    customer_id   bigint NOT NULL REFERENCES public.customers(id),
    amount        numeric(14,2) NOT NULL,
    term_months   int,
    status        text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    features      jsonb,
    tags          text[],
    scores        double precision[],
    document      bytea,
    submitted_at  timestamptz
);

CREATE TABLE credit."Score History" (
    application_id bigint REFERENCES credit.applications(id),
    "model version" text,
    score          numeric,
    computed_at    timestamptz
);

-- Partitioned by month: the data lives in the partitions.
CREATE TABLE credit.payments (
    id         bigint GENERATED ALWAYS AS IDENTITY,
    customer_id bigint NOT NULL,
    paid_at    timestamptz NOT NULL,
    amount     numeric(12,2) NOT NULL,
    PRIMARY KEY (id, paid_at)
) PARTITION BY RANGE (paid_at);
CREATE TABLE credit.payments_2024_01 PARTITION OF credit.payments FOR VALUES FROM ('2024-01-01') TO ('2024-02-01');
CREATE TABLE credit.payments_2024_02 PARTITION OF credit.payments FOR VALUES FROM ('2024-02-01') TO ('2024-03-01');

-- Classic inheritance: the parent has rows of its own too.
CREATE TABLE public.audit_log (id serial, action text, at timestamptz DEFAULT '2024-01-01 00:00:00+00');
CREATE TABLE public.audit_log_archive (archived_by text) INHERITS (public.audit_log);

CREATE TABLE public.empty_table (id int);

CREATE SEQUENCE public.invoice_numbers START 1000 INCREMENT 7;

CREATE FUNCTION credit.risk_band(score numeric) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    -- A line that looks like data to a naive parser:
    -- COPY fake.table (x) FROM stdin;
    RETURN CASE WHEN score >= 700 THEN 'low' WHEN score >= 550 THEN 'medium' ELSE 'high' END;
END;
$$;

CREATE FUNCTION public.touch_audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO public.audit_log(action) VALUES (TG_OP || ' on ' || TG_TABLE_NAME);
    RETURN NEW;
END;
$$;

CREATE TRIGGER customers_audit AFTER INSERT ON public.customers FOR EACH ROW EXECUTE FUNCTION public.touch_audit();

CREATE VIEW credit.application_overview AS
    SELECT a.id, c.full_name, a.amount, a.status FROM credit.applications a JOIN public.customers c ON c.id = a.customer_id;

INSERT INTO public.customers (full_name, email, notes, country) VALUES
    ('Ada Lovelace', 'ada@example.com', E'tab\there\nnew line and back\\slash', 'GB'),
    ('Zoë Ñúñez 李雷', 'zoe@example.com', NULL, 'ES'),
    ('Quote O''Brien', NULL, E'\\.\nlooks like a COPY terminator', NULL),
    ('Emoji 🚀 User', 'rocket@example.com', '', 'US');

INSERT INTO public.customers (full_name, email, notes, country)
    SELECT 'Customer ' || g, 'c' || g || '@example.com', repeat('x', g % 50), 'DE' FROM generate_series(1, 200) g;

INSERT INTO credit.applications (customer_id, amount, term_months, status, features, tags, scores, document, submitted_at)
    SELECT (g % 204) + 1, (g * 137.25)::numeric(14,2), 12 * (1 + g % 5),
           (ARRAY['pending', 'approved', 'rejected'])[1 + g % 3],
           jsonb_build_object('income', g * 1000, 'employed', g % 2 = 0, 'nested', jsonb_build_object('k', 'v"' || g)),
           ARRAY['tag' || g, 'with space', 'quote"d'],
           ARRAY[g * 0.5, NULL, -1e-10],
           decode(md5(g::text), 'hex') || '\x00ff'::bytea,
           '2024-01-15 10:00:00+00'::timestamptz + g * interval '1 hour'
    FROM generate_series(1, 500) g;

INSERT INTO credit."Score History" SELECT id, 'v1.' || (id % 3), 300 + (id * 7) % 550, submitted_at FROM credit.applications;

INSERT INTO credit.payments (customer_id, paid_at, amount)
    SELECT (g % 204) + 1, '2024-01-01'::timestamptz + (g * interval '3 hours'), g * 10.5 FROM generate_series(1, 400) g;

INSERT INTO public.audit_log_archive (action, archived_by) VALUES ('old action', 'system');

SELECT setval('public.invoice_numbers', 1234);

SELECT lo_from_bytea(0, '\x0102030405ff'::bytea);
