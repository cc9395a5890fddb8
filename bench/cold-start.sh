#!/usr/bin/env bash
# Each function's init time (JVM start to a constructed handler: classes, configuration, AWS clients)
# with the JVM flags template.yaml deploys, and its artifact size. No network is touched: the clients
# are built, not used. BENCH_REPS runs each (default 7), the median is reported.
#
#   bench/cold-start.sh          (after mvn -B package -DskipTests)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
reps="${BENCH_REPS:-7}"
tool_options="$(sed -n 's/^ *JAVA_TOOL_OPTIONS: *//p' "$root/template.yaml" | head -n 1)"
work="$(mktemp -d /tmp/neurocred-coldstart.XXXXXX)"
trap 'rm -rf "$work"' EXIT
javac -d "$work" "$root/bench/HandlerInit.java"
declare -A handlers=(
    [backup]=com.neurocred.backup.function.BackupHandler
    [verify]=com.neurocred.backup.function.verify.VerifyHandler
    [retention]=com.neurocred.backup.function.retention.RetentionHandler)
echo "JVM flags (template.yaml JAVA_TOOL_OPTIONS): $tool_options; $(java -version 2>&1 | head -1); $(nproc) cores"
echo
echo "| function | artifact MB | init ms (median of $reps) | min | max |"
echo "|---|---:|---:|---:|---:|"
for fn in backup verify retention; do
    jar="$root/functions/$fn/target/$fn-function.jar"
    [[ -f "$jar" ]] || { echo "no $jar: run mvn -B package -DskipTests first" >&2; exit 2; }
    times=()
    for ((i = 0; i < reps; i++)); do
        times+=("$(env -i PATH="$PATH" JAVA_TOOL_OPTIONS="$tool_options" ENVIRONMENT=production DB_HOST=db.internal \
            DB_USER=backup DB_PASSWORD=unused DB_NAME=neurocred DB_BACKUP_S3_BUCKET=neurocred-backup-bench \
            AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench \
            java -cp "$jar:$work" HandlerInit "${handlers[$fn]}" 2>/dev/null | cut -d' ' -f1)")
    done
    sorted=($(printf '%s\n' "${times[@]}" | sort -n))
    size=$(python3 -c "print(f'{$(stat -c %s "$jar") / 1048576:.1f}')")
    echo "| ${fn^}Function | $size | ${sorted[$((reps / 2))]} | ${sorted[0]} | ${sorted[$((reps - 1))]} |"
done
