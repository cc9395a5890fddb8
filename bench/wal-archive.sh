#!/usr/bin/env bash
# How fast WAL leaves the server through archive_command = 'neurocred-backup wal-push ...', and how fast
# wal-fetch brings it back (recovery's pace), on a throwaway cluster, to a local directory and, when
# moto_server is installed, to the S3 emulator.
#
#   bench/wal-archive.sh | tee result.md
#
# Method: archiving is held back (archive_command = 'false') while BENCH_SEGMENTS segments of real WAL
# (inserts of varied rows, 16 MB segments) pile up in pg_wal; then archive_command is switched to
# wal-push and the time until the archiver has caught up is measured: segments / time = pushes per
# second, JVM start included, exactly as the server runs it. Done with WAL_PUSH_MODE=sync (one JVM per
# segment, the release before) and with the default asynchronous push (a background pusher pushes
# WAL_PUSH_CONCURRENCY segments at once; the server's calls answer from its markers), to each destination.
# Then every segment is fetched back with wal-fetch, one process each.
#
# Environment: BENCH_SEGMENTS (default 48), PG_BIN (default the newest /usr/lib/postgresql/*/bin),
# BENCH_DIR (default a new mktemp -d), NEUROCRED_JAR (default cli/target/neurocred-backup.jar),
# BENCH_S3 (default 1 when moto_server is on PATH). Nothing is asserted: it measures.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
segments="${BENCH_SEGMENTS:-48}"
pg_bin="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)}"
dir="${BENCH_DIR:-$(mktemp -d /tmp/neurocred-walbench.XXXXXX)}"
src_jar="${NEUROCRED_JAR:-$root/cli/target/neurocred-backup.jar}"
s3="${BENCH_S3:-$(command -v moto_server >/dev/null && echo 1 || echo 0)}"
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
if [[ ! -f "$src_jar" && -z "${NEUROCRED_JAR:-}" ]]; then
    log "building the command line first (a clean clone has none)"
    "$root/scripts/install.sh" >/dev/null
fi
[[ -f "$src_jar" ]] || { echo "no jar at $src_jar: build it (mvn -pl cli -am package) or set NEUROCRED_JAR" >&2; exit 2; }

mkdir -p "$dir"
jar="$dir/neurocred-backup.jar"
cp "$src_jar" "$jar"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port="$(free_port)"
as_pg=()
[[ "$(id -u)" == 0 ]] && as_pg=(runuser -u postgres --)
moto_pid=""
cleanup() {
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/pgdata" -m immediate -w stop >/dev/null 2>&1 || true
    [[ -n "$moto_pid" ]] && kill "$moto_pid" 2>/dev/null || true
    rm -rf "$dir/pgdata" "$dir/backups" "$dir/fetched" "$jar" "$jar".*.jsa
    return 0
}
trap cleanup EXIT
[[ ${#as_pg[@]} -gt 0 ]] && chown postgres "$dir" "$jar"
"${as_pg[@]}" "$pg_bin/initdb" -D "$dir/pgdata" -U postgres --no-locale --auth-local=trust >/dev/null
cat >> "$dir/pgdata/postgresql.conf" <<CONF
port = $port
listen_addresses = ''
unix_socket_directories = '$dir'
wal_level = replica
archive_mode = on
archive_command = 'false'
max_wal_size = 4GB
CONF
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/pgdata" -l "$dir/server.log" -w start >/dev/null
psql() { "$pg_bin/psql" -h "$dir" -p "$port" -U postgres -X -q -At "$@"; }
psql -c "CREATE TABLE wal_bench (id bigint, customer text, amount numeric(12,2), at timestamptz, doc jsonb)"

archived() { psql -c "SELECT archived_count FROM pg_stat_archiver"; }
# Segments per second as MB/s of WAL (16 MiB segments).
mbps() { python3 -c "print(f'{$1 * 16 * 1.048576:.0f}')"; }

# Fills BENCH_SEGMENTS segments with real WAL while archiving is held back.
pile_up() {
    psql -c "ALTER SYSTEM SET archive_command = 'false'" -c "SELECT pg_reload_conf()" >/dev/null
    for ((i = 0; i < segments; i++)); do
        psql -c "INSERT INTO wal_bench SELECT g, 'customer-' || (g * 7919 % 100003), (g % 99991) / 7.0,
                 now() - (g % 86400) * interval '1 second', jsonb_build_object('score', g % 851, 'tags', array[g % 17, g % 31])
                 FROM generate_series(1, 60000) g" -c "SELECT pg_switch_wal()" >/dev/null
    done
}

# Switches archive_command to wal-push and times the archiver's catch-up.
drain() {
    local config="$1" extra_env="$2" before target start end
    before="$(archived)"
    target=$((before + segments))
    psql -c "ALTER SYSTEM SET archive_command = '$extra_env NEUROCRED_JAR=$jar $root/scripts/neurocred-backup wal-push --config $config %p'" \
         -c "SELECT pg_reload_conf()" >/dev/null
    start=$(date +%s.%N)
    while (( $(archived) < target )); do sleep 0.05; done
    end=$(date +%s.%N)
    python3 -c "print(f'{$segments / ($end - $start):.2f} {($end - $start):.1f}')"
}

cat > "$dir/local.env" <<CONF
ENVIRONMENT=development
BACKUP_DIR=$dir/backups
CONF
mkdir -p "$dir/backups"
[[ ${#as_pg[@]} -gt 0 ]] && chown -R postgres "$dir/backups" "$dir/local.env"

rows=()
log "piling up $segments segments, then wal-push to a local directory, synchronously (one JVM per segment)"
pile_up
read -r rate secs < <(drain "$dir/local.env" "WAL_PUSH_MODE=sync")
rows+=("| wal-push to a local directory, WAL_PUSH_MODE=sync | $segments | $secs | $rate | $(mbps "$rate") |")
log "the same, asynchronously (the default: a background pusher pushes ahead)"
pile_up
read -r rate secs < <(drain "$dir/local.env" "")
rows+=("| wal-push to a local directory, async (default) | $segments | $secs | $rate | $(mbps "$rate") |")

if [[ "$s3" == 1 ]]; then
    s3_port="$(free_port)"
    moto_server -H 127.0.0.1 -p "$s3_port" >"$dir/moto.log" 2>&1 &
    moto_pid=$!
    for _ in $(seq 50); do curl -s "http://127.0.0.1:$s3_port" >/dev/null && break; sleep 0.2; done
    AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_REGION=us-east-1 \
        aws --endpoint-url "http://127.0.0.1:$s3_port" s3api create-bucket --bucket wal-bench >/dev/null
    cat > "$dir/s3.env" <<CONF
ENVIRONMENT=development
DB_BACKUP_S3_BUCKET=wal-bench
AWS_ENDPOINT_URL=http://127.0.0.1:$s3_port
AWS_REGION=us-east-1
AWS_ACCESS_KEY_ID=bench
AWS_SECRET_ACCESS_KEY=bench
CONF
    [[ ${#as_pg[@]} -gt 0 ]] && chown postgres "$dir/s3.env"
    log "wal-push to the S3 emulator (moto_server), synchronously"
    pile_up
    read -r rate secs < <(drain "$dir/s3.env" "WAL_PUSH_MODE=sync")
    rows+=("| wal-push to S3 (moto_server on loopback), WAL_PUSH_MODE=sync | $segments | $secs | $rate | $(mbps "$rate") |")
    log "the same, asynchronously"
    pile_up
    read -r rate secs < <(drain "$dir/s3.env" "")
    rows+=("| wal-push to S3 (moto_server on loopback), async (default) | $segments | $secs | $rate | $(mbps "$rate") |")
fi

log "wal-fetch of every archived segment from the local directory, one process each"
mkdir -p "$dir/fetched"
names=$(cd "$dir/backups/wal" && ls | grep -E '^[0-9A-F]{24}\.gz$' | sed 's/\.gz$//' | head -n "$segments")
count=$(echo "$names" | wc -l)
start=$(date +%s.%N)
for n in $names; do
    NEUROCRED_JAR="$jar" "$root/scripts/neurocred-backup" wal-fetch --config "$dir/local.env" "$n" "$dir/fetched/RECOVERYXLOG" >/dev/null
done
end=$(date +%s.%N)
read -r rate secs < <(python3 -c "print(f'{$count / ($end - $start):.2f} {($end - $start):.1f}')")
rows+=("| wal-fetch from a local directory (default) | $count | $secs | $rate | $(mbps "$rate") |")
stored=$(du -sb "$dir/backups/wal" | cut -f1)
files=$(ls "$dir/backups/wal" | grep -cE '^[0-9A-F]{24}\.gz$')

{
    echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(java -version 2>&1 | head -1); $("$pg_bin/postgres" --version)"
    echo
    echo "| what | segments | seconds | segments/s | MB/s of WAL |"
    echo "|---|---:|---:|---:|---:|"
    printf '%s\n' "${rows[@]}"
    echo
    echo "Local archive: $files segments of 16 MiB stored in $((stored / 1048576)) MiB (gzip level 1)."
} | tee "$dir/result.md"
