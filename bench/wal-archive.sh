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
# Prefetch (fetch_rates, pitr_replay): the same segments fetched as recovery asks for them, in a data directory
# in recovery, with WAL_FETCH_PREFETCH=0 and with the default 8 (the launcher's fast path serving what the
# background prefetcher downloaded); then a point-in-time recovery over BENCH_PITR_SEGMENTS segments of a base
# backup through restore_command = wal-fetch, with and without prefetch, timed from start to promotion against
# replaying the same segments already in pg_wal (no restore_command: crash recovery from the backup_label).
#
# Environment: BENCH_SEGMENTS (default 48), BENCH_PITR_SEGMENTS (default 200; 0 skips the recovery rows),
# PG_BIN (default the newest /usr/lib/postgresql/*/bin),
# BENCH_DIR (default a new mktemp -d), NEUROCRED_JAR (default cli/target/neurocred-backup.jar),
# BENCH_S3 (default 1 when moto_server is on PATH). Nothing is asserted: it measures.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
segments="${BENCH_SEGMENTS:-48}"
pg_bin="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)}"
dir="${BENCH_DIR:-$(mktemp -d /tmp/neurocred-walbench.XXXXXX)}"
src_jar="${NEUROCRED_JAR:-$root/cli/target/neurocred-backup.jar}"
s3="${BENCH_S3:-$(command -v moto_server >/dev/null && echo 1 || echo 0)}"
pitr_segments="${BENCH_PITR_SEGMENTS:-200}"
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
    stop_recoveries
    rm -rf "$dir/pgdata" "$dir/backups" "$dir/fetched" "$dir/recovering" "$dir/base" "$dir/replay" "$dir/cost" "$jar" "$jar".*.jsa
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

# A background pusher outlives its round by its idle time, and would push the next round's segments while they
# pile up: each round stops it, so each measures its own pushes.
stop_pusher() {
    pkill -f "wal-push-ahead.*$dir/pgdata" 2>/dev/null || true
    rm -f "$dir/pgdata/pg_wal/neurocred_spool/pusher.lock"
}

# Fills BENCH_SEGMENTS segments with real WAL while archiving is held back.
pile_up() {
    psql -c "ALTER SYSTEM SET archive_command = 'false'" -c "SELECT pg_reload_conf()" >/dev/null
    stop_pusher
    for ((i = 0; i < segments; i++)); do
        psql -c "INSERT INTO wal_bench SELECT g, 'customer-' || (g * 7919 % 100003), (g % 99991) / 7.0,
                 now() - (g % 86400) * interval '1 second', jsonb_build_object('score', g % 851, 'tags', array[g % 17, g % 31])
                 FROM generate_series(1, 60000) g" -c "SELECT pg_switch_wal()" >/dev/null
    done
}

# CPU time every process on the machine has used, in clock ticks (/proc/stat: all but idle and iowait).
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
# CPU time (user + system, clock ticks) a running process has used so far, into $ticks_used; 0 when there is none.
# Builtins only: the loops that sample it must not themselves take the CPU they measure.
ticks_used=0
process_ticks() {
    local fields=()
    ticks_used=0
    [[ -n "$1" && -r "/proc/$1/stat" ]] && read -ra fields < "/proc/$1/stat" 2>/dev/null && ticks_used=$((fields[13] + fields[14]))
    return 0
}
# Whether any segment still waits for the archiver (a glob, no process started: the archiver's pace is measured).
# The archiver renames each as it goes: only the count of names matched is looked at, never whether one of them
# still exists.
ready_left() {
    local ready
    shopt -s nullglob
    ready=("$dir"/pgdata/pg_wal/archive_status/*.ready)
    shopt -u nullglob
    ((${#ready[@]} > 0))
}
ticks=$(getconf CLK_TCK)
profile_rows=()

# Switches archive_command to wal-push and times the archiver's catch-up; records how busy the cores were and
# what the background pusher itself used (the profile of an asynchronous round).
drain() {
    local config="$1" extra_env="$2" label="${3:-}" before target start end busy0 busy1 pusher pusher_ticks log_from calls
    before="$(archived)"
    log_from=$(($(wc -l < "$dir/server.log") + 1))
    target=$((before + segments))
    busy0=$(busy_ticks)
    psql -c "ALTER SYSTEM SET archive_command = '$extra_env NEUROCRED_JAR=$jar $root/scripts/neurocred-backup wal-push --config $config %p'" \
         -c "SELECT pg_reload_conf()" >/dev/null
    start=$(date +%s.%N)
    sleep 0.05
    while ready_left; do sleep 0.05; done
    end=$(date +%s.%N)
    busy1=$(busy_ticks)
    (( $(archived) >= target )) || log "only $(( $(archived) - before )) of $segments segments archived"
    pusher=$(head -n 1 "$dir/pgdata/pg_wal/neurocred_spool/pusher.lock" 2>/dev/null || true)
    process_ticks "$pusher"
    pusher_ticks=$ticks_used
    stop_pusher
    # Who answered the server's calls: the launcher from a marker there already, the launcher after waiting for
    # the pusher's marker, or a JVM (each costs a JVM start, on the cores the pusher needs).
    calls="$(tail -n +"$log_from" "$dir/server.log" | awk '/^wal-push: .* pushed ahead$/ { a++ } /^wal-push: .* by the background pusher$/ { w++ } /^wal-push: .* in [0-9]+ ms$/ { j++ } END { printf "%d / %d / %d", a, w, j }')"
    [[ -n "$label" ]] && profile_rows+=("$(python3 -c "
wall = $end - $start
print(f'| {\"$label\"} | {($busy1 - $busy0) / $ticks / wall:.2f} of $(nproc) | {$pusher_ticks / $ticks / $segments:.3f} | {($busy1 - $busy0 - $pusher_ticks) / $ticks / $segments:.3f} | $calls |')")")
    python3 -c "print(f'{$segments / ($end - $start):.2f} {($end - $start):.1f}')"
}

cat > "$dir/local.env" <<CONF
ENVIRONMENT=development
BACKUP_DIR=$dir/backups
CONF
mkdir -p "$dir/backups"
[[ ${#as_pg[@]} -gt 0 ]] && chown -R postgres "$dir/backups" "$dir/local.env"

# The prefetch rows. restore_command runs in the data directory; the prefetcher works while recovery.signal is
# there and the server (postmaster.pid) runs, so the fetch loop runs in a directory with both.
fetch_loop() {
    local config="$1" names="$2" start end
    start=$(date +%s.%N)
    for n in $names; do
        (cd "$dir/recovering" && NEUROCRED_JAR="$jar" "$root/scripts/neurocred-backup" wal-fetch --config "$config" "$n" pg_wal/RECOVERYXLOG >/dev/null)
    done
    end=$(date +%s.%N)
    python3 -c "print(f'{$(echo "$names" | wc -l) / ($end - $start):.2f} {($end - $start):.1f}')"
}

# Ends a background prefetcher by ending the recovery it serves (it then removes its directory).
end_recovery_of() {
    rm -f "$1/recovery.signal"
    for _ in $(seq 100); do [[ -d "$1/pg_wal/neurocred_prefetch" ]] || return 0; sleep 0.1; done
}

fetch_rates() {
    local names count rate secs
    names=$(cd "$dir/backups/wal" && ls | grep -E '^[0-9A-F]{24}\.gz$' | sed 's/\.gz$//' | head -n "$segments")
    count=$(echo "$names" | wc -l)
    printf 'ENVIRONMENT=development\nBACKUP_DIR=%s/backups\nWAL_FETCH_PREFETCH=0\n' "$dir" > "$dir/local-noprefetch.env"
    mkdir -p "$dir/recovering/pg_wal"
    touch "$dir/recovering/recovery.signal" "$dir/recovering/postmaster.pid"
    log "wal-fetch of $count segments in a data directory in recovery, WAL_FETCH_PREFETCH=0"
    read -r rate secs < <(fetch_loop "$dir/local-noprefetch.env" "$names")
    rows+=("| wal-fetch in recovery, WAL_FETCH_PREFETCH=0 (as before prefetching) | $count | $secs | $rate | $(mbps "$rate") |")
    log "the same with prefetch (default 8): the launcher serves what the background prefetcher placed"
    read -r rate secs < <(fetch_loop "$dir/local.env" "$names")
    rows+=("| wal-fetch in recovery, WAL_FETCH_PREFETCH=8 (default), one call after another | $count | $secs | $rate | $(mbps "$rate") |")
    end_recovery_of "$dir/recovering"
}

# Starts a copy of the base backup and times it to promotion (or, without recovery.signal, the end of crash recovery).
# Records, as a row of the recovery profile, how busy the cores were and the CPU per segment of the server's
# startup process (replay), of the background prefetcher and of everything else.
timed_recovery() {
    local data="$1" label="$2" start end busy0 busy1 postmaster="" startup="" startup_ticks=0 prefetcher="" prefetcher_ticks=0
    busy0=$(busy_ticks)
    start=$(date +%s.%N)
    # -W: pg_ctl would otherwise wait for connections, which crash recovery accepts only once it is done.
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$data" -l "$data/server.log" -W start >/dev/null
    # The server's own word that recovery is over (after the end-of-recovery checkpoint), read from its log: a
    # connection attempt every 50 ms would start a backend each time and take the CPU recovery needs.
    until grep -q 'database system is ready to accept connections' "$data/server.log" 2>/dev/null; do
        # Sampled while they run: both processes end with recovery.
        [[ -n "$postmaster" ]] || { read -r postmaster < "$data/postmaster.pid"; } 2>/dev/null || true
        [[ -n "$startup" || -z "$postmaster" ]] || startup=$(pgrep -P "$postmaster" -f 'startup' | head -n 1 || true)
        process_ticks "$startup"; ((ticks_used > startup_ticks)) && startup_ticks=$ticks_used
        [[ -n "$prefetcher" ]] || { read -r prefetcher < "$data/pg_wal/neurocred_prefetch/prefetcher"; } 2>/dev/null || true
        process_ticks "$prefetcher"; ((ticks_used > prefetcher_ticks)) && prefetcher_ticks=$ticks_used
        sleep 0.05
    done
    end=$(date +%s.%N)
    busy1=$(busy_ticks)
    recovery_profile_rows+=("$(python3 -c "
wall, n = $end - $start, $pitr_segments
other = $busy1 - $busy0 - $startup_ticks - $prefetcher_ticks
print(f'| {\"$label\"} | {($busy1 - $busy0) / $ticks / wall:.2f} of $(nproc) | {$startup_ticks / $ticks / n:.3f} | {$prefetcher_ticks / $ticks / n:.3f} | {other / $ticks / n:.3f} |')")")
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
    cp "$data/server.log" "$dir/server-$(basename "$data").log"
    python3 -c "print(f'{($end - $start):.1f}')"
}

stop_recoveries() {
    local d
    for d in "$dir/replay"/*; do
        [[ -f "$d/postmaster.pid" ]] && "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$d" -m immediate -w stop >/dev/null 2>&1
    done
    return 0
}

# A copy of the base backup (pg_basebackup's plain copy) to recover in.
base_copy() {
    local name="$1"
    rm -rf "$dir/replay/$name"
    cp -a "$dir/base" "$dir/replay/$name"
    echo "$dir/replay/$name"
}

pitr_replay() {
    [[ "$pitr_segments" -gt 0 ]] || return 0
    local segments="$pitr_segments" data secs_prefetch secs_plain secs_local first last
    log "point-in-time recovery over $segments segments: a base backup, then $segments segments of inserts archived"
    psql -c "ALTER SYSTEM SET archive_command = 'NEUROCRED_JAR=$jar $root/scripts/neurocred-backup wal-push --config $dir/local.env %p'" \
         -c "SELECT pg_reload_conf()" >/dev/null
    "${as_pg[@]}" "$pg_bin/pg_basebackup" -h "$dir" -p "$port" -U postgres -D "$dir/base" -X none -c fast
    first=$(sed -n 's/^START WAL LOCATION: .*(file \([0-9A-F]\{24\}\)).*/\1/p' "$dir/base/backup_label")
    pile_up
    # The same asynchronous push as above over a backlog four times as long: the pusher's start and warm-up
    # spread over more segments, nearer its steady rate.
    drain "$dir/local.env" "" "to a local directory, async, $segments segments" > "$dir/drain.out"
    read -r rate secs < "$dir/drain.out"
    rows+=("| wal-push to a local directory, async (default), a backlog of $segments | $segments | $secs | $rate | $(mbps "$rate") |")
    last=$(psql -c "SELECT pg_walfile_name(pg_current_wal_lsn())")
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/pgdata" -m fast -w stop >/dev/null
    mkdir -p "$dir/replay"
    [[ ${#as_pg[@]} -gt 0 ]] && chown postgres "$dir/replay"
    # Each copy recovers on the source's port (it is stopped), as a restored server would, without archiving.
    local conf="archive_mode = off"$'\n'"recovery_target_timeline = 'latest'"
    # A copy recovered through restore_command = wal-fetch under a settings file; its time into $dir/recovery.out.
    recover_through_fetch() {
        local name="$1" config="$2" label="$3"
        data=$(base_copy "$name")
        printf '%s\nrestore_command = '\''NEUROCRED_JAR=%s %s wal-fetch --config %s %%f %%p'\''\n' "$conf" "$jar" \
            "$root/scripts/neurocred-backup" "$config" >> "$data/postgresql.auto.conf"
        touch "$data/recovery.signal"
        timed_recovery "$data" "$label" > "$dir/recovery.out"
    }
    log "recovery through wal-fetch with prefetch (default 8)"
    recover_through_fetch prefetch "$dir/local.env" "through wal-fetch, prefetch 8 (default)"
    secs_prefetch=$(cat "$dir/recovery.out")
    served=$(grep -c "restored from the prefetch directory" "$data/server.log" || true)
    log "recovery through wal-fetch without prefetch (WAL_FETCH_PREFETCH=0)"
    recover_through_fetch plain "$dir/local-noprefetch.env" "through wal-fetch, WAL_FETCH_PREFETCH=0"
    secs_plain=$(cat "$dir/recovery.out")
    log "replay of the same segments already in pg_wal (no restore_command)"
    data=$(base_copy local)
    for f in "$dir/backups/wal/"*.gz; do
        n=$(basename "$f" .gz)
        [[ "$n" =~ ^[0-9A-F]{24}$ && ! "$n" < "$first" && ! "$n" > "$last" ]] && gzip -dc "$f" > "$data/pg_wal/$n"
    done
    [[ ${#as_pg[@]} -gt 0 ]] && chown -R postgres "$data/pg_wal"
    printf '%s\n' "archive_mode = off" >> "$data/postgresql.auto.conf"
    timed_recovery "$data" "segments already in pg_wal" > "$dir/recovery.out"
    secs_local=$(cat "$dir/recovery.out")
    pitr_rows+=("| recovery through wal-fetch, WAL_FETCH_PREFETCH=0 (as before prefetching) | $segments | $secs_plain | $(python3 -c "print(f'{$secs_plain / $secs_local:.2f}')") |")
    pitr_rows+=("| recovery through wal-fetch, WAL_FETCH_PREFETCH=8 (default; $served served by the launcher's fast path) | $segments | $secs_prefetch | $(python3 -c "print(f'{$secs_prefetch / $secs_local:.2f}')") |")
    pitr_rows+=("| replay of the same segments already in pg_wal (crash recovery from backup_label) | $segments | $secs_local | 1.00 |")
}

rows=()
pitr_rows=()
recovery_profile_rows=()
log "piling up $segments segments, then wal-push to a local directory, synchronously (one JVM per segment)"
pile_up
drain "$dir/local.env" "WAL_PUSH_MODE=sync" "to a local directory, sync" > "$dir/drain.out"
read -r rate secs < "$dir/drain.out"
rows+=("| wal-push to a local directory, WAL_PUSH_MODE=sync | $segments | $secs | $rate | $(mbps "$rate") |")
log "the same, asynchronously (the default: a background pusher pushes ahead)"
pile_up
drain "$dir/local.env" "" "to a local directory, async" > "$dir/drain.out"
read -r rate secs < "$dir/drain.out"
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
    drain "$dir/s3.env" "WAL_PUSH_MODE=sync" "to S3, sync" > "$dir/drain.out"
    read -r rate secs < "$dir/drain.out"
    rows+=("| wal-push to S3 (moto_server on loopback), WAL_PUSH_MODE=sync | $segments | $secs | $rate | $(mbps "$rate") |")
    log "the same, asynchronously"
    pile_up
    drain "$dir/s3.env" "" "to S3, async" > "$dir/drain.out"
    read -r rate secs < "$dir/drain.out"
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
rows+=("| wal-fetch from a local directory, outside recovery (no prefetch) | $count | $secs | $rate | $(mbps "$rate") |")
fetch_rates
pitr_replay

# What one segment costs in each step, on one core (bench/WalSegmentCost.java): the ceiling of the rates above.
log "CPU per segment of each step of a push and a fetch, on one core"
mkdir -p "$dir/cost"
for f in $(ls "$dir/backups/wal/"*.gz | grep -E '/[0-9A-F]{24}\.gz$' | tail -n 8); do
    gzip -dc "$f" > "$dir/cost/$(basename "$f" .gz)"
done
cost_table="$(java -cp "$jar" "$root/bench/WalSegmentCost.java" "$dir/cost/"*)"
rm -rf "$dir/cost"
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
    echo
    echo "| where the CPU went while the archiver caught up | cores busy | background pusher, CPU s per segment | everything else (server, archiver, launcher calls; moto), CPU s per segment | calls answered: launcher at once / launcher after waiting / JVM |"
    echo "|---|---:|---:|---:|---:|"
    printf '%s\n' "${profile_rows[@]}"
    echo
    echo "$cost_table"
    if [[ ${#pitr_rows[@]} -gt 0 ]]; then
        echo
        echo "| point-in-time recovery from a base backup | segments | seconds to promotion | × local replay |"
        echo "|---|---:|---:|---:|"
        printf '%s\n' "${pitr_rows[@]}"
        echo
        echo "| where the CPU went during recovery | cores busy | replay (startup process), CPU s per segment | background prefetcher, CPU s per segment | everything else (restore_command calls, checkpointer, ...), CPU s per segment |"
        echo "|---|---:|---:|---:|---:|"
        printf '%s\n' "${recovery_profile_rows[@]}"
    fi
} | tee "$dir/result.md"
