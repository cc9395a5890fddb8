#!/usr/bin/env bash
# Times this project's full backup beside plain pg_dump pipelines on the same throwaway database
# (and, as a second table, its verification beside gzip -t + sha256sum on the stored dump).
#
#   BENCH_SIZE_MB=400 bench/backup-vs-pgdump.sh | tee result.md
#
# Environment:
#   BENCH_SIZE_MB  target pg_database_size in MB (MB = 2^20 bytes here and in the output), default 400
#   BENCH_REPS     repetitions of each timed method; the median is reported, default 3
#   PG_BIN         PostgreSQL binaries, default the newest /usr/lib/postgresql/*/bin
#   BENCH_DIR      working directory, default a new mktemp -d under /tmp; the result table stays
#                  there as result.md, the cluster and every dump are removed on exit
#   NEUROCRED_JAR  the command-line jar, default cli/target/neurocred-backup.jar (copied into
#                  BENCH_DIR first, so a rebuild during the run changes nothing)
# Prints the markdown result on stdout, progress on stderr. Nothing here is asserted: it measures.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
size_mb="${BENCH_SIZE_MB:-400}"
reps="${BENCH_REPS:-3}"
pg_bin="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)}"
dir="${BENCH_DIR:-$(mktemp -d /tmp/neurocred-bench.XXXXXX)}"
src_jar="${NEUROCRED_JAR:-$root/cli/target/neurocred-backup.jar}"
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

[[ "$size_mb" =~ ^[0-9]+$ && "$size_mb" -ge 10 ]] || { echo "BENCH_SIZE_MB must be an integer >= 10" >&2; exit 2; }
[[ "$reps" =~ ^[0-9]+$ && "$reps" -ge 1 ]] || { echo "BENCH_REPS must be a positive integer" >&2; exit 2; }
[[ -x "$pg_bin/pg_dump" && -x "$pg_bin/initdb" ]] || { echo "no PostgreSQL binaries in PG_BIN=$pg_bin" >&2; exit 2; }
if [[ ! -f "$src_jar" && -z "${NEUROCRED_JAR:-}" ]]; then
    log "building the command line first (a clean clone has none)"
    "$root/scripts/install.sh" >/dev/null
fi
[[ -f "$src_jar" ]] || { echo "no jar at $src_jar: build it (mvn -pl cli -am package) or set NEUROCRED_JAR" >&2; exit 2; }
if [[ ! -x /usr/bin/time ]]; then
    log "installing GNU time for the peak RSS"
    apt-get install -y -qq time >/dev/null
fi
mkdir -p "$dir"
jar="$dir/neurocred-backup.jar"
cp "$src_jar" "$jar"

# --- a throwaway cluster on a free loopback port, password (SCRAM) over TCP as in production -------
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
password="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
as_pg=()
if [[ "$(id -u)" == 0 ]]; then
    as_pg=(runuser -u postgres --)   # initdb and postgres refuse to run as root
fi
server_started=false
cleanup() {
    [[ -n "${moto_pid:-}" ]] && kill "$moto_pid" 2>/dev/null
    if $server_started; then
        "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/pgdata" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir/pgdata" "$dir/backups" "$dir/out" "$dir/pwfile" "$jar" "$jar".*.jsa
    [[ -f "$dir/result.md" ]] && log "result kept in $dir/result.md"
    return 0
}
trap cleanup EXIT
(umask 077; printf '%s\n' "$password" > "$dir/pwfile")
if [[ ${#as_pg[@]} -gt 0 ]]; then chown postgres "$dir" "$dir/pwfile"; fi
"${as_pg[@]}" "$pg_bin/initdb" -D "$dir/pgdata" -U postgres -E UTF8 --no-locale \
    --auth-local=trust --auth-host=scram-sha-256 --pwfile="$dir/pwfile" >/dev/null
rm -f "$dir/pwfile"
server_started=true
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/pgdata" -l "$dir/server.log" -w -o \
    "-p $port -k $dir -c listen_addresses=127.0.0.1 -c shared_buffers=512MB -c max_wal_size=4GB" start >/dev/null
pg=(env PGHOST=127.0.0.1 PGPORT="$port" PGUSER=postgres PGPASSWORD="$password")   # only for psql/pg_dump here
psql=("${pg[@]}" "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1)
"${psql[@]}" -d postgres -c "CREATE DATABASE bench"
log "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, data in $dir/pgdata"

# --- deterministic, realistic data ----------------------------------------------------------------
# One "unit" is a customer, a credit application and two payments. Values come from random() after
# setseed(0.42) in a single session, so the rows are the same on every run (for a given size and
# PostgreSQL major). Names, codes, amounts, jsonb features, device fingerprints (hex) and timestamps
# vary like real data, so the plain dump compresses about 3x (not pgbench's ~35x of blank padding).
log "generating about $size_mb MB of customers, credit applications and payments"
t_gen=$(date +%s)
"${psql[@]}" -d bench -v target_bytes="$((size_mb * 1048576))" >/dev/null <<'SQL'
CREATE TABLE customers (
    id bigint PRIMARY KEY, full_name text NOT NULL, email text NOT NULL, phone text, country char(2) NOT NULL,
    segment text NOT NULL, birth_date date, created_at timestamptz NOT NULL, notes text);
CREATE TABLE credit_applications (
    id bigint PRIMARY KEY, customer_id bigint NOT NULL, amount numeric(14,2) NOT NULL, term_months int NOT NULL,
    interest_rate numeric(5,3), status text NOT NULL, features jsonb NOT NULL, tags text[] NOT NULL,
    submitted_at timestamptz NOT NULL, decided_at timestamptz, device_fingerprint text);
CREATE TABLE payments (
    id bigint PRIMARY KEY, application_id bigint NOT NULL, amount numeric(14,2) NOT NULL,
    paid_at timestamptz NOT NULL, reference text NOT NULL, method text NOT NULL);

-- a random element of an array
CREATE FUNCTION pick(anyarray) RETURNS anyelement LANGUAGE sql VOLATILE
    AS $$ SELECT $1[1 + floor(random() * array_length($1, 1))::int] $$;

CREATE FUNCTION fill(lo bigint, hi bigint) RETURNS void LANGUAGE plpgsql AS $fill$
BEGIN
INSERT INTO customers
SELECT g, n.first || ' ' || n.last,
       lower(n.first || '.' || n.last) || (g % 1000) || '@'
           || pick(ARRAY['gmail.com','web.de','outlook.com','yahoo.es','proton.me','mail.test','gmx.net']),
       CASE WHEN random() < 0.8 THEN '+' || (30 + floor(random() * 60)::int) || ' ' || lpad(floor(random() * 1e9)::text, 9, '0') END,
       n.country, pick(ARRAY['retail','retail','retail','sme','sme','premium']),
       date '1950-01-01' + floor(random() * 18000)::int,
       date_trunc('second', timestamptz '2019-01-01' + random() * interval '2100 days'),
       CASE WHEN random() < 0.35 THEN pick(ARRAY['prefers email','call after 17:00','VIP, handle with care',
           'moved recently, address verified','asked about early repayment','complaint resolved'])
           || ' (ticket ' || upper(substr(md5(g::text), 1, 8)) || ')' END
FROM generate_series(lo, hi) g
CROSS JOIN LATERAL (SELECT g AS id,
    pick(ARRAY['Ada','Zoë','Li','Omar','Sven','Priya','Kwame','Ana','Jon','Mei','Lucía','Hans','Fatima','Tom',
               'Olga','Ravi','Chloé','Mateo','Aisha','Lars','Yuki','Pedro','Ines','Noah']) AS first,
    initcap(pick(ARRAY['mül','gar','fer','sch','kow','nak','ber','ols','ros','dub','ali','men','tan','kar']))
        || pick(ARRAY['ler','cía','nández','midt','alski','amura','gström','en','si','ois','yev','dez','aka','son']) AS last,
    pick(ARRAY['DE','DE','ES','ES','GB','US','FR','IN','NG','BR','PL','SE']) AS country) n;

INSERT INTO credit_applications
SELECT g, 1 + floor(random() * g)::bigint, round((500 * exp(random() * ln(200)))::numeric, 2),
       pick(ARRAY[6,12,12,24,24,36,48,60,72,84]), round((2 + random() * 14)::numeric, 3), a.status,
       jsonb_build_object(
           'income', 12000 + floor(random() * 150000)::int,
           'employment_years', floor(random() * 35)::int,
           'debt_to_income', round(random()::numeric * 0.8, 3),
           'credit_score', 300 + floor(random() * 550)::int,
           'open_accounts', floor(random() * 12)::int,
           'delinquencies_24m', (ARRAY[0,0,0,0,0,1,1,2,3])[1 + floor(random() * 9)::int],
           'housing', pick(ARRAY['rent','own','mortgage','family']),
           'purpose', pick(ARRAY['car','home_improvement','debt_consolidation','education','medical','business']),
           'model', jsonb_build_object('version', pick(ARRAY['2.3.1','2.4.0','2.4.2']),
                                       'pd', round(random()::numeric, 4), 'band', pick(ARRAY['A','B','C','D','E']))),
       ARRAY['channel:' || pick(ARRAY['web','app','branch','broker']), 'product:' || pick(ARRAY['personal','auto','sme','card'])]
           || CASE WHEN random() < 0.2 THEN ARRAY['campaign:' || pick(ARRAY['spring','summer','black-friday','referral'])] ELSE '{}' END,
       a.submitted, CASE WHEN a.status <> 'pending' THEN a.submitted + random() * interval '9 days' END,
       CASE WHEN random() < 0.7 THEN md5(random()::text) || substr(md5(random()::text), 1, 8) END
FROM generate_series(lo, hi) g
CROSS JOIN LATERAL (SELECT g AS id,
    pick(ARRAY['approved','approved','approved','rejected','rejected','pending','withdrawn']) AS status,
    date_trunc('second', timestamptz '2021-01-01' + random() * interval '1400 days') AS submitted) a;

INSERT INTO payments
SELECT p, (p + 1) / 2, round((20 + random() * 2500)::numeric, 2),
       date_trunc('second', timestamptz '2021-02-01' + random() * interval '1400 days'),
       'PAY-' || to_char(p, 'FM000000000') || '-' || upper(substr(md5((p * 7)::text), 1, 10)),
       pick(ARRAY['card','card','sepa','sepa','sepa','ach','wire','cash'])
FROM generate_series(2 * lo - 1, 2 * hi) p;
END
$fill$;

-- Grow until pg_database_size reaches the target: a sample batch gives the bytes per unit, then
-- batches sized from it, committed one by one, in this single session (so setseed holds).
CREATE PROCEDURE grow(target bigint) LANGUAGE plpgsql AS $grow$
DECLARE
    units bigint := 20000;
    n bigint;
    base bigint := pg_database_size(current_database());
    per_unit numeric;
    left_bytes bigint;
BEGIN
    PERFORM fill(1, units);
    COMMIT;
    n := units;
    per_unit := (pg_database_size(current_database()) - base)::numeric / n;
    LOOP
        left_bytes := target - pg_database_size(current_database());
        EXIT WHEN left_bytes < target / 200;
        units := least(250000, greatest(2000, floor(left_bytes / per_unit)::bigint));
        PERFORM fill(n + 1, n + units);
        COMMIT;
        n := n + units;
    END LOOP;
    RAISE NOTICE 'units: %, bytes per unit: %', n, round(per_unit);
END
$grow$;

SELECT setseed(0.42);
CALL grow(:target_bytes);
VACUUM ANALYZE;
SQL
log "generated in $(( $(date +%s) - t_gen )) s"
rows="$("${psql[@]}" -d bench -At -F ' ' -c "SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM credit_applications), (SELECT count(*) FROM payments)")"
db_bytes="$("${psql[@]}" -d bench -At -c "SELECT pg_database_size(current_database())")"
# the plain dump's size, untimed; it also warms the cache before the first timed run
plain_bytes="$("${pg[@]}" "$pg_bin/pg_dump" -d bench | wc -c)"
log "database $((db_bytes / 1048576)) MB (customers, applications, payments: $rows), plain dump $((plain_bytes / 1048576)) MB"

# --- timing ---------------------------------------------------------------------------------------
# The backup runs exactly as an operator runs it: scripts/backup-db.sh, which execs
# scripts/neurocred-backup, which execs java -jar (so /usr/bin/time around it measures that JVM).
backup_env=(-u DB_BACKUP_S3_BUCKET -u AWS_ENDPOINT_URL ENVIRONMENT=development DB_HOST=127.0.0.1 DB_PORT="$port"
    DB_USER=postgres DB_PASSWORD="$password" DB_NAME=bench DB_SSLMODE=disable BACKUP_DIR="$dir/backups"
    PG_BIN="$pg_bin" BACKUP_FORMAT=plain NEUROCRED_JAR="$jar")
mkdir -p "$dir/backups" "$dir/out"

# The S3 emulator, when moto_server is installed: the same backup into a bucket (multipart upload).
s3_env=()
if command -v moto_server >/dev/null && [[ "${BENCH_S3:-1}" == 1 ]]; then
    s3_port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    moto_server -H 127.0.0.1 -p "$s3_port" > "$dir/moto.log" 2>&1 &
    moto_pid=$!
    for _ in $(seq 50); do curl -s "http://127.0.0.1:$s3_port" > /dev/null && break; sleep 0.2; done
    AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_REGION=us-east-1 \
        aws --endpoint-url "http://127.0.0.1:$s3_port" s3api create-bucket --bucket neurocred-bench > /dev/null
    s3_env=("${backup_env[@]}" DB_BACKUP_S3_BUCKET=neurocred-bench AWS_ENDPOINT_URL="http://127.0.0.1:$s3_port"
        AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench)
fi

m_devnull() { "${pg[@]}" "$pg_bin/pg_dump" -d bench > /dev/null; }
m_gzip()    { "${pg[@]}" "$pg_bin/pg_dump" -d bench | gzip -6 > "$dir/out/bench.sql.gz"; }
m_custom()  { "${pg[@]}" "$pg_bin/pg_dump" -Fc -d bench > "$dir/out/bench.dump"; }
m_zstd()    { "${pg[@]}" "$pg_bin/pg_dump" -d bench | zstd -q -3 > "$dir/out/bench.sql.zst"; }
backup() { # extra arguments for backup-db.sh; peak RSS (KiB) appended to $dir/rss
    if ! /usr/bin/time -f '%M' -a -o "$dir/rss" env "${backup_env[@]}" ${BACKUP_COMPRESSION:+BACKUP_COMPRESSION=$BACKUP_COMPRESSION} \
            ${BACKUP_COMPRESSION_THREADS:+BACKUP_COMPRESSION_THREADS=$BACKUP_COMPRESSION_THREADS} \
            ${BACKUP_COMPRESSION_LEVEL:+BACKUP_COMPRESSION_LEVEL=$BACKUP_COMPRESSION_LEVEL} \
            "$root/scripts/backup-db.sh" development full "$@" \
            > "$dir/backup.out" 2> "$dir/backup.err"; then
        cat "$dir/backup.out" "$dir/backup.err" >&2
        return 1
    fi
}
m_backup_noverify() { backup --no-verify; }
m_backup_1thread()  { BACKUP_COMPRESSION_THREADS=1 backup --no-verify; }
m_backup_zstd()     { BACKUP_COMPRESSION=zstd backup --no-verify; }
m_backup_zstd4()    { BACKUP_COMPRESSION=zstd BACKUP_COMPRESSION_LEVEL=4 backup --no-verify; }
m_backup_s3()       { env "${s3_env[@]}" "$root/scripts/backup-db.sh" development full --no-verify > "$dir/backup.out" 2> "$dir/backup.err" \
                          || { cat "$dir/backup.out" "$dir/backup.err" >&2; return 1; }; }
m_backup_s3_zstd()  { env "${s3_env[@]}" BACKUP_COMPRESSION=zstd "$root/scripts/backup-db.sh" development full --no-verify \
                          > "$dir/backup.out" 2> "$dir/backup.err" || { cat "$dir/backup.out" "$dir/backup.err" >&2; return 1; }; }
m_backup_verify()   { backup; }
stored_dump() { find "$dir/backups" -name 'neurocred_development_*.sql.gz' | sort | tail -n 1; }
stored_zstd() { find "$dir/backups" -name 'neurocred_development_*.sql.zst' | sort | tail -n 1; }
m_gzip_t()   { gzip -t "$(stored_dump)"; }
m_gzip_sha() { gzip -t "$(stored_dump)" && sha256sum "$(stored_dump)" > /dev/null; }
m_verify()   { env "${backup_env[@]}" "$root/scripts/verify-backup.sh" "$(stored_dump)" > "$dir/verify.out" 2>&1 || { cat "$dir/verify.out" >&2; return 1; }; }
m_verify_restore() { env "${backup_env[@]}" "$root/scripts/verify-backup.sh" "$(stored_dump)" --restore-test > "$dir/verify.out" 2>&1 || { cat "$dir/verify.out" >&2; return 1; }; }

median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
declare -A secs bytes rss_mb cpu
# Busy CPU seconds of the whole machine (every process: pg_dump, the server, the JVM, gzip), from
# /proc/stat: with the run's wall time it says whether the run was bound by the cores it had.
busy_jiffies() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }
timed() { # key, function, whether to empty the backup directory before each run
    local key="$1" fn="$2" clean="$3" t0 t1 i j0 j1
    : > "$dir/times"; : > "$dir/rss"; : > "$dir/cpu"
    for ((i = 1; i <= reps; i++)); do
        if [[ "$clean" == clean ]]; then rm -rf "${dir:?}/backups"/*; fi
        sync
        j0=$(busy_jiffies)
        t0=$(date +%s.%N)
        "$fn"
        t1=$(date +%s.%N)
        j1=$(busy_jiffies)
        awk -v a="$j0" -v b="$j1" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.3f\n", (b - a) / hz }' >> "$dir/cpu"
        awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }' >> "$dir/times"
        log "$key: run $i: $(tail -n 1 "$dir/times") s"
    done
    secs[$key]=$(median < "$dir/times")
    cpu[$key]=$(median < "$dir/cpu")
    if [[ -s "$dir/rss" ]]; then
        rss_mb[$key]=$(sort -n "$dir/rss" | tail -n 1 | awk '{ printf "%.0f", $1 / 1024 }')
    fi
}

timed devnull m_devnull keep
timed gzip m_gzip keep
bytes[gzip]=$(stat -c %s "$dir/out/bench.sql.gz")
timed custom m_custom keep
bytes[custom]=$(stat -c %s "$dir/out/bench.dump")
timed zstd m_zstd keep
bytes[zstd]=$(stat -c %s "$dir/out/bench.sql.zst")
rm -rf "${dir:?}/out"
timed backup_1thread m_backup_1thread clean
bytes[backup_1thread]=$(stat -c %s "$(stored_dump)")
timed backup_zstd m_backup_zstd clean
bytes[backup_zstd]=$(stat -c %s "$(stored_zstd)")
timed backup_zstd4 m_backup_zstd4 clean
bytes[backup_zstd4]=$(stat -c %s "$(stored_zstd)")
if [[ ${#s3_env[@]} -gt 0 ]]; then
    timed backup_s3 m_backup_s3 keep
    timed backup_s3_zstd m_backup_s3_zstd keep
fi
timed backup_noverify m_backup_noverify clean
bytes[backup_noverify]=$(stat -c %s "$(stored_dump)")
timed backup_verify m_backup_verify clean
bytes[backup_verify]=$(stat -c %s "$(stored_dump)")
sql_bytes="$(grep -o '([0-9,]* bytes of SQL)' "$dir/backup.out" | tr -dc 0-9 || true)"
restore_s="$(grep -o 'restore test took [0-9.]*' "$dir/backup.out" | awk 'NR == 1 { print $4 }' || true)"
timed gzip_t m_gzip_t keep
timed gzip_sha m_gzip_sha keep
timed verify m_verify keep
timed verify_restore m_verify_restore keep
stored_bytes=$(stat -c %s "$(stored_dump)")

# --- result ---------------------------------------------------------------------------------------
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
limit=${secs[devnull]}
{
    echo "| method | median wall s | × \`pg_dump > /dev/null\` | output MB | peak RSS MB | CPU s (all processes) |"
    echo "|---|---:|---:|---:|---:|---:|"
    for key in devnull gzip custom zstd backup_1thread backup_noverify backup_zstd backup_zstd4 backup_s3 backup_s3_zstd backup_verify; do
        [[ -n "${secs[$key]:-}" ]] || continue
        case $key in
            devnull) label='`pg_dump -d bench > /dev/null`' ;;
            gzip) label='`pg_dump -d bench \| gzip -6 > file`' ;;
            custom) label='`pg_dump -Fc -d bench > file`' ;;
            zstd) label='`pg_dump -d bench \| zstd -3 > file`' ;;
            backup_1thread) label='`backup-db.sh development full --no-verify`, gzip 6 on one thread (`BACKUP_COMPRESSION_THREADS=1`)' ;;
            backup_noverify) label="\`backup-db.sh development full --no-verify\` (default: gzip 6 on $(nproc) threads, local dir)" ;;
            backup_zstd) label='`backup-db.sh development full --no-verify` with `BACKUP_COMPRESSION=zstd` (level 3)' ;;
            backup_zstd4) label='the same with `BACKUP_COMPRESSION_LEVEL=4`' ;;
            backup_s3) label='the default backup into S3 (moto_server on loopback, multipart)' ;;
            backup_s3_zstd) label='the zstd backup into S3 (moto_server on loopback, multipart)' ;;
            backup_verify) label='`backup-db.sh development full` (then verified, restore test included)' ;;
        esac
        printf '| %s | %.1f | %.2f | %s | %s | %.1f |\n' "$label" "${secs[$key]}" \
            "$(awk -v a="${secs[$key]}" -v b="$limit" 'BEGIN { print a / b }')" \
            "$( [[ -n "${bytes[$key]:-}" ]] && mb "${bytes[$key]}" || echo -)" "${rss_mb[$key]:--}" "${cpu[$key]}"
    done
    echo
    echo "| verification of the stored dump ($(mb "$stored_bytes") MB) | median wall s | stored MB/s |"
    echo "|---|---:|---:|"
    for key in gzip_t gzip_sha verify verify_restore; do
        case $key in
            gzip_t) label='`gzip -t file`' ;;
            gzip_sha) label='`gzip -t file && sha256sum file`' ;;
            verify) label='`verify-backup.sh file` (no restore)' ;;
            verify_restore) label='`verify-backup.sh file --restore-test`' ;;
        esac
        printf '| %s | %.1f | %.0f |\n' "$label" "${secs[$key]}" \
            "$(awk -v b="$stored_bytes" -v s="${secs[$key]}" 'BEGIN { print b / 1048576 / s }')"
    done
    echo
    ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
    echo "| target | measured | met |"
    echo "|---|---:|:---:|"
    r=$(ratio "${secs[backup_noverify]}" "${secs[gzip]}"); echo "| default backup ≤ 0.60 × \`pg_dump \| gzip -6\` | $r | $(awk -v r="$r" 'BEGIN { print (r <= 0.60) ? "yes" : "no" }') |"
    r=$(ratio "${secs[backup_noverify]}" "${secs[custom]}"); echo "| default backup ≤ 0.60 × \`pg_dump -Fc\` | $r | $(awk -v r="$r" 'BEGIN { print (r <= 0.60) ? "yes" : "no" }') |"
    r=$(ratio "${bytes[backup_noverify]}" "${bytes[gzip]}"); echo "| default backup size within 2% of gzip -6 | $r | $(awk -v r="$r" 'BEGIN { print (r >= 0.98 && r <= 1.02) ? "yes" : "no" }') |"
    r=$(ratio "${secs[backup_zstd]}" "${secs[devnull]}"); echo "| zstd backup ≤ 1.15 × \`pg_dump > /dev/null\` | $r | $(awk -v r="$r" 'BEGIN { print (r <= 1.15) ? "yes" : "no" }') |"
    r=$(ratio "${bytes[backup_zstd]}" "${bytes[gzip]}"); echo "| zstd backup size ≤ gzip -6's | $r | $(awk -v r="$r" 'BEGIN { print (r <= 1.0) ? "yes" : "no" }') |"
    echo "| peak RSS of the backup JVM ≤ 300 MB | ${rss_mb[backup_noverify]} MB (zstd ${rss_mb[backup_zstd]:-?} MB) | $(awk -v r="${rss_mb[backup_noverify]}" 'BEGIN { print (r <= 300) ? "yes" : "no" }') |"
    r=$(ratio "${secs[gzip_t]}" "${secs[verify]}"); echo "| verification without restore ≥ 0.9 × \`gzip -t\` throughput | $r | $(awk -v r="$r" 'BEGIN { print (r >= 0.9) ? "yes" : "no" }') |"
    echo
    echo "Database: $(mb "$db_bytes") MB (\`pg_database_size\`; customers, credit_applications, payments rows: ${rows// /, });" \
         "plain dump $(mb "$plain_bytes") MB${sql_bytes:+ (the backup counted $(mb "$sql_bytes") MB of SQL)}; MB = 2^20 bytes;" \
         "median of $reps runs each; the restore test inside the last verified backup took ${restore_s:-?} s."
    echo
    echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
         "$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM; $(java -version 2>&1 | head -n 1);" \
         "$("$pg_bin/pg_dump" --version) (server $("$pg_bin/postgres" --version | awk '{print $3}'))."
} | tee "$dir/result.md"
