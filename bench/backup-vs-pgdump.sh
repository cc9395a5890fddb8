#!/usr/bin/env bash
# Times this project's backup beside plain pg_dump pipelines on the same throwaway database, and its
# verification beside gzip -t + sha256sum on the stored dump.
#   BENCH_SIZE_MB=400 BENCH_REPS=3 bench/backup-vs-pgdump.sh
# Prints a markdown table (medians of BENCH_REPS runs) and the machine it ran on.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
size_mb="${BENCH_SIZE_MB:-400}"
reps="${BENCH_REPS:-3}"
pg_bin="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)}"
dir="${BENCH_DIR:-$(mktemp -d /tmp/neurocred-bench.XXXXXX)}"
jar="${NEUROCRED_JAR:-$root/cli/target/neurocred-backup.jar}"
[[ -f "$jar" ]] || mvn -B -q -f "$root/pom.xml" -pl cli -am package -DskipTests >&2
command -v /usr/bin/time >/dev/null || { apt-get install -y -qq time >/dev/null; }

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
as_pg=()
if [[ "$(id -u)" == 0 ]]; then as_pg=(runuser -u postgres --); chown postgres "$dir"; fi
cleanup() { "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/pgdata" -m immediate -w stop >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap cleanup EXIT
"${as_pg[@]}" "$pg_bin/initdb" -D "$dir/pgdata" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/pgdata" -l "$dir/server.log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c shared_buffers=512MB -c max_wal_size=4GB" start >/dev/null
psql=("$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres)
"${psql[@]}" -d postgres -c "CREATE DATABASE bench"

echo "generating ~${size_mb} MB of customers, applications and payments..." >&2
"${psql[@]}" -d bench <<'SQL'
CREATE TABLE customers (id bigint PRIMARY KEY, full_name text, email text, country char(2), segment text,
    created_at timestamptz, notes text);
CREATE TABLE applications (id bigint PRIMARY KEY, customer_id bigint, amount numeric(14,2), term_months int,
    status text, features jsonb, tags text[], submitted_at timestamptz);
CREATE TABLE payments (id bigint PRIMARY KEY, customer_id bigint, amount numeric(12,2), paid_at timestamptz,
    reference text, method text);
-- Deterministic rows from the row number: names, words and numbers vary like real data and compress ~4x.
CREATE FUNCTION fill(batch int, per int) RETURNS void LANGUAGE sql AS $$
INSERT INTO customers
SELECT g, (ARRAY['Ada','Zoë','Li','Omar','Sven','Priya','Kwame','Ana','Jon','Mei'])[1 + (g % 10)::int] || ' '
          || initcap(substr(md5(g::text), 1, (3 + g % 7)::int)) || (ARRAY['son','ez','ova','berg','ski','ton'])[1 + (g % 6)::int],
       substr(md5(g::text), 4, 10) || '@' || (ARRAY['example.com','mail.test','corp.invalid'])[1 + (g % 3)::int],
       (ARRAY['DE','ES','GB','US','FR','IN','NG','BR'])[1 + (g % 8)::int], (ARRAY['retail','sme','premium'])[1 + (g % 3)::int],
       timestamptz '2020-01-01' + (g % 157680) * interval '10 minutes',
       CASE WHEN g % 4 = 0 THEN NULL ELSE 'contact ' || (g % 97) || ' prefers ' || (ARRAY['email','phone','post'])[1 + (g % 3)::int]
            || '; ref ' || substr(md5((g * 3)::text), 1, 12) END
FROM generate_series(batch::bigint * per + 1, (batch + 1)::bigint * per) g;
INSERT INTO applications
SELECT g, 1 + (g * 7) % ((batch + 1) * per), round((500 + (g * 7919) % 250000) / 3.0, 2), 6 * (1 + g % 10),
       (ARRAY['pending','approved','rejected','withdrawn'])[1 + (g % 4)::int],
       jsonb_build_object('income', (g * 104729) % 180000, 'employed', g % 3 <> 0, 'score', 300 + (g * 31) % 550,
                          'region', (ARRAY['north','south','east','west'])[1 + (g % 4)::int], 'dependents', g % 5,
                          'model', 'v' || (1 + g % 3) || '.' || (g % 10), 'hash', substr(md5((g * 11)::text), 1, 16)),
       ARRAY['channel:' || (ARRAY['web','app','branch'])[1 + (g % 3)::int], 'campaign:' || (g % 40)],
       timestamptz '2021-01-01' + (g % 200000) * interval '7 minutes'
FROM generate_series(batch::bigint * per + 1, (batch + 1)::bigint * per) g;
INSERT INTO payments
SELECT g, 1 + (g * 13) % ((batch + 1) * per), round(((g * 6151) % 400000) / 7.0, 2),
       timestamptz '2022-01-01' + (g % 300000) * interval '3 minutes',
       'PAY-' || upper(substr(md5((g * 5)::text), 1, 14)), (ARRAY['card','sepa','ach','wire'])[1 + (g % 4)::int]
FROM generate_series(batch::bigint * per + 1, (batch + 1)::bigint * per) g;
$$;
SQL
per=50000
batch=0
while :; do
    "${psql[@]}" -d bench -c "SELECT fill($batch, $per)" >/dev/null
    batch=$((batch + 1))
    size=$("${psql[@]}" -d bench -At -c "SELECT pg_database_size('bench') / 1000000")
    (( size >= size_mb )) && break
done
"${psql[@]}" -d bench -c "VACUUM ANALYZE"
db_mb=$("${psql[@]}" -d bench -At -c "SELECT pg_database_size('bench') / 1000000")

export PGHOST=127.0.0.1 PGPORT="$port" PGUSER=postgres
backup_env=(ENVIRONMENT=development DB_HOST=127.0.0.1 DB_PORT="$port" DB_USER=postgres DB_NAME=bench
    DB_SSLMODE=disable BACKUP_DIR="$dir/backups" PG_BIN="$pg_bin")
mkdir -p "$dir/backups"

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
declare -A secs bytes rss
run() { # name, command...
    local name="$1"; shift
    : > "$dir/times"
    for _ in $(seq "$reps"); do
        rm -f "$dir/out"
        [[ "$name" == backup-db* ]] && rm -f "$dir"/backups/*
        local t0; t0=$(now)
        "$@"
        echo "$(now) - $t0" | bc >> "$dir/times"
    done
    secs[$name]=$(median < "$dir/times")
    bytes[$name]=$( { stat -c %s "$dir/out" 2>/dev/null || stat -c %s "$dir"/backups/neurocred_*.sql.gz 2>/dev/null || echo 0; } | head -n 1)
    [[ "$name" == backup-db* ]] || [[ "$name" == pg_dump* ]] || bytes[$name]=0
    echo "$name: ${secs[$name]} s" >&2
}
run "pg_dump > /dev/null" bash -c "\"$pg_bin/pg_dump\" bench > /dev/null"
run "pg_dump | gzip -6 > file" bash -c "\"$pg_bin/pg_dump\" bench | gzip -6 > \"$dir/out\""
run "pg_dump -Fc > file" bash -c "\"$pg_bin/pg_dump\" -Fc bench > \"$dir/out\""
run "backup-db.sh --no-verify (gzip -6, local dir)" bash -c 'env "$@" > /dev/null' _ "${backup_env[@]}" NEUROCRED_JAR="$jar" \
    "$root/scripts/backup-db.sh" development full --no-verify
run "backup-db.sh (then verified with a restore test)" bash -c 'env "$@" > /dev/null' _ "${backup_env[@]}" \
    NEUROCRED_JAR="$jar" "$root/scripts/backup-db.sh" development full
rm -f "$dir"/backups/*
rss_kb=$(env "${backup_env[@]}" /usr/bin/time -f '%M' java -jar "$jar" backup development full --no-verify 2>&1 >/dev/null | tail -n 1)
dump_file="$(ls "$dir"/backups/neurocred_*.sql.gz)"
run "gzip -t && sha256sum (stored file)" bash -c "gzip -t \"$dump_file\" && sha256sum \"$dump_file\" > /dev/null"
run "verify-backup.sh (no restore)" bash -c 'env "$@" > /dev/null' _ "${backup_env[@]}" NEUROCRED_JAR="$jar" \
    "$root/scripts/verify-backup.sh" "$dump_file"
run "verify-backup.sh --restore-test" bash -c 'env "$@" > /dev/null' _ "${backup_env[@]}" NEUROCRED_JAR="$jar" \
    "$root/scripts/verify-backup.sh" "$dump_file" --restore-test
stored_bytes=$(stat -c %s "$dump_file")
plain_mb=$("$pg_bin/pg_dump" bench | wc -c | awk '{printf "%.0f", $1 / 1e6}')

limit=${secs["pg_dump > /dev/null"]}
echo "| method | median wall s | × pg_dump > /dev/null | output MB |"
echo "|---|---:|---:|---:|"
for name in "pg_dump > /dev/null" "pg_dump | gzip -6 > file" "pg_dump -Fc > file" \
        "backup-db.sh --no-verify (gzip -6, local dir)" "backup-db.sh (then verified with a restore test)"; do
    printf '| `%s` | %.1f | %.2f | %s |\n' "${name//|/\\|}" "${secs[$name]}" "$(echo "${secs[$name]} / $limit" | bc -l)" \
        "$(awk -v b="${bytes[$name]}" 'BEGIN { print (b > 0) ? sprintf("%.0f", b / 1e6) : "-" }')"
done
echo
echo "| verification of the stored dump | median wall s | MB/s of stored bytes |"
echo "|---|---:|---:|"
for name in "gzip -t && sha256sum (stored file)" "verify-backup.sh (no restore)" "verify-backup.sh --restore-test"; do
    printf '| `%s` | %.1f | %.0f |\n' "$name" "${secs[$name]}" "$(echo "$stored_bytes / 1000000 / ${secs[$name]}" | bc -l)"
done
echo
echo "Database: ${db_mb} MB (pg_database_size), plain dump ${plain_mb} MB; ${reps} runs each, median."
echo "Peak RSS of the backup JVM: $((rss_kb / 1024)) MB."
echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB;" \
     "$(java -version 2>&1 | head -n 1); $("$pg_bin/pg_dump" --version)."
