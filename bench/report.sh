#!/usr/bin/env bash
# How long `neurocred-backup report` takes over a production-sized history, and how much memory and output it
# makes: a year of daily full backups (365 sets with manifests and verification records), 52 weekly base backups
# and a WAL archive of 365 × 96 segments (bench/ReportHistory.java), in a local directory and, when moto_server is
# installed, in the S3 emulator.
#
#   bench/report.sh | tee result.md
#
# For --days 30, 90 and 365, HTML (--html FILE) and terminal output, local and S3: the median wall time of
# BENCH_REPS runs (default 3) exactly as an operator runs it (scripts/neurocred-backup, JVM start included), the
# JVM's peak RSS (GNU time's %M; the launcher execs java for `report`), the HTML file's size, and, for S3, the
# requests one run makes (moto_server logs one line per request: GETs of objects, LISTs, others).
#
# Environment: BENCH_REPS (default 3), BENCH_DIR (default a new mktemp -d), NEUROCRED_JAR (default
# cli/target/neurocred-backup.jar), BENCH_S3 (default 1 when moto_server is on PATH). To measure again against a
# history already in a running emulator (writing 36,277 objects into moto takes about 6 minutes on 2 cores):
# BENCH_S3_ENDPOINT=http://127.0.0.1:PORT BENCH_S3_BUCKET=NAME, and BENCH_MOTO_LOG=its log for the request
# counts. Nothing is asserted: it measures.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
reps="${BENCH_REPS:-3}"
dir="${BENCH_DIR:-$(mktemp -d /tmp/neurocred-reportbench.XXXXXX)}"
jar="${NEUROCRED_JAR:-$root/cli/target/neurocred-backup.jar}"
s3="${BENCH_S3:-$(command -v moto_server >/dev/null && echo 1 || echo 0)}"
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
if [[ ! -f "$jar" && -z "${NEUROCRED_JAR:-}" ]]; then
    log "building the command line first (a clean clone has none)"
    "$root/scripts/install.sh" >/dev/null
fi
[[ -f "$jar" ]] || { echo "no jar at $jar: build it (mvn -pl cli -am package) or set NEUROCRED_JAR" >&2; exit 2; }
export NEUROCRED_JAR="$jar"
mkdir -p "$dir"
moto_pid=""
cleanup() {
    [[ -n "$moto_pid" ]] && kill "$moto_pid" 2>/dev/null
    rm -rf "$dir/backups" "$dir"/*.html "$dir/out"
    return 0
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
env_name=production

log "writing the history into $dir/backups"
objects="$(java -cp "$jar" "$root/bench/ReportHistory.java" "$dir/backups")"

s3_env=()
moto_log="${BENCH_MOTO_LOG:-}"
if [[ "$s3" == 1 ]]; then
    if [[ -n "${BENCH_S3_ENDPOINT:-}" ]]; then
        endpoint="$BENCH_S3_ENDPOINT" bucket="${BENCH_S3_BUCKET:?set BENCH_S3_BUCKET with BENCH_S3_ENDPOINT}"
    else
        port="$(free_port)"
        moto_log="$dir/moto.log"
        moto_server -H 127.0.0.1 -p "$port" >"$moto_log" 2>&1 &
        moto_pid=$!
        endpoint="http://127.0.0.1:$port" bucket="report-bench"
        for _ in $(seq 50); do curl -fs "$endpoint" >/dev/null 2>&1 && break; sleep 0.2; done
    fi
    # As the integration tests' AwsEndpointFixture.childEnvironment() configures the command.
    s3_env=(AWS_ENDPOINT_URL="$endpoint" AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
        DB_BACKUP_S3_BUCKET="$bucket" PITR_ENABLED=true)
    if [[ -z "${BENCH_S3_ENDPOINT:-}" ]]; then
        curl -fs -X PUT "$endpoint/$bucket" >/dev/null
        log "writing the history into s3://$bucket/$env_name/ (moto_server; about 6 minutes)"
        env "${s3_env[@]}" java -cp "$jar" "$root/bench/ReportHistory.java" s3 "$bucket" >/dev/null
    fi
fi

rows=()
measure() {  # store days output
    local store="$1" days="$2" output="$3" args=(report "$env_name" --days "$2") envs=() times=() rss=() requests=""
    if [[ "$store" == local ]]; then envs=(BACKUP_DIR="$dir/backups"); else envs=("${s3_env[@]}"); fi
    [[ "$output" == html ]] && args+=(--html "$dir/report-$store-$days.html")
    for ((i = 0; i < reps; i++)); do
        local before=0
        [[ "$store" == s3 && -n "$moto_log" ]] && before="$(wc -l < "$moto_log")"
        local start end
        start="$(date +%s.%N)"
        /usr/bin/time -f '%M' -o "$dir/rss" env "${envs[@]}" "$root/scripts/neurocred-backup" "${args[@]}" >"$dir/out"
        end="$(date +%s.%N)"
        times+=("$(echo "$end - $start" | bc)")
        rss+=("$(cat "$dir/rss")")
        if [[ "$store" == s3 && -n "$moto_log" ]]; then
            sleep 0.2
            requests="$(tail -n +"$((before + 1))" "$moto_log" | awk '
                / "GET [^ ]*\?list-type=2/ || / "GET [^ ]*\?[^ ]*list-type=2/ { list++; next }
                / "GET / { get++; next } / "(HEAD|PUT|POST|DELETE) / { other++ }
                END { printf "%d (%d GET, %d LIST, %d other)", get + list + other, get, list, other }')"
        fi
    done
    local size="-"
    [[ "$output" == html ]] && size="$(awk -v b="$(stat -c %s "$dir/report-$store-$days.html")" 'BEGIN { printf "%.0f", b / 1024 }')"
    local lines="-"
    [[ "$output" == terminal ]] && lines="$(wc -l < "$dir/out")"
    rows+=("| $store | $days | $output | $(printf '%s\n' "${times[@]}" | median | xargs printf '%.2f') | $(printf '%s\n' "${times[@]}" | sort -g | head -1 | xargs printf '%.2f')–$(printf '%s\n' "${times[@]}" | sort -g | tail -1 | xargs printf '%.2f') | $(($(printf '%s\n' "${rss[@]}" | median | cut -d. -f1) / 1024)) | $size | $lines | ${requests:--} |")
    log "${rows[-1]}"
}

stores=(local)
[[ "$s3" == 1 ]] && stores+=(s3)
for store in "${stores[@]}"; do
    for days in 30 90 365; do
        for output in html terminal; do
            measure "$store" "$days" "$output"
        done
    done
done

echo "### Results ($(date +%F)), $objects objects: 365 daily full sets, 52 weekly base backups, 35,040 WAL segments"
echo
echo "| store | --days | output | median wall s | min–max s | peak RSS MB | HTML KB | terminal lines | S3 requests per run |"
echo "|---|---:|---|---:|---:|---:|---:|---:|---|"
printf '%s\n' "${rows[@]}"
echo
echo "Median of $reps runs each, JVM start included. Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
     "$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM; $(java -version 2>&1 | head -n 1); load average when done: $(cut -d' ' -f1-3 /proc/loadavg)."
