#!/usr/bin/env bash
# A throwaway PostgreSQL with a small NeuroCred-like schema, backed up into a local directory with
# ./scripts/backup-db.sh (which verifies it), listed, put through a retention dry run and the health
# checks, then restored with `gunzip -c | psql` and with ./scripts/restore-db.sh to show it is good.
# Needs only Java 17+, Maven and the PostgreSQL server binaries. The backups stay in $DEMO_DIR/backups.
# With AWS_ENDPOINT_URL (and the aws CLI) it also backs up to, verifies in and lists a bucket there.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

pg_bin="${PG_BIN:-}"
if [[ -z "$pg_bin" ]]; then
    pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    [[ -n "$pg_bin" ]] || pg_bin="$(pg_config --bindir 2>/dev/null || true)"
fi
if [[ ! -x "$pg_bin/initdb" ]]; then
    echo "demo: PostgreSQL server binaries not found; install them (apt-get install postgresql) or set PG_BIN" >&2
    exit 1
fi

# The scripts never build; a checkout builds the jar once, here.
[[ -f "$root/cli/target/neurocred-backup.jar" || -n "${NEUROCRED_JAR:-}" ]] || "$root/scripts/install.sh"

demo="${DEMO_DIR:-$(mktemp -d /tmp/neurocred-demo.XXXXXX)}"
mkdir -p "$demo/backups"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo 55432)"
password="demo-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
as_postgres=()
if [[ "$(id -u)" == 0 ]]; then
    as_postgres=(runuser -u postgres --)
    chown postgres "$demo"
fi

cleanup() {
    "${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$demo/pgdata" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$demo/pgdata" "$demo/pwfile" "$demo/server.log"
}
trap cleanup EXIT

echo "==> starting a throwaway PostgreSQL ($("$pg_bin/postgres" --version)) on 127.0.0.1:$port"
printf '%s\n' "$password" > "$demo/pwfile"
chmod 600 "$demo/pwfile"
[[ "$(id -u)" == 0 ]] && chown postgres "$demo/pwfile"
"${as_postgres[@]}" "$pg_bin/initdb" -D "$demo/pgdata" -U postgres --pwfile="$demo/pwfile" -E UTF8 --no-locale \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
"${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$demo/pgdata" -l "$demo/server.log" -w \
    -o "-p $port -k $demo -c listen_addresses=127.0.0.1" start >/dev/null

export PGPASSWORD="$password"
psql=("$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres)
"${psql[@]}" -d postgres -c "CREATE DATABASE neurocred"
"${psql[@]}" -d neurocred -f "$root/scripts/sample/neurocred-sample.sql" >/dev/null
echo "==> loaded the sample schema into database 'neurocred'"

# Without an alert topic the alerts a run would publish are logged; show them here.
export NEUROCRED_JAVA_OPTS="${NEUROCRED_JAVA_OPTS:-} -Dorg.slf4j.simpleLogger.log.com.neurocred.backup.notify=info"
# The settings every command below reads; the password reaches pg_dump through its environment only.
export ENVIRONMENT=development DB_HOST=127.0.0.1 DB_PORT="$port" DB_USER=postgres DB_PASSWORD="$password" \
    DB_NAME=neurocred DB_SSLMODE=disable BACKUP_DIR="$demo/backups" PG_BIN="$pg_bin"

echo "==> ./scripts/backup-db.sh development full   (then verifies it: no S3 trigger for a local directory)"
"$root/scripts/backup-db.sh" development full

echo "==> ./scripts/neurocred-backup list development"
"$root/scripts/neurocred-backup" list development

echo "==> ./scripts/neurocred-backup retention development --dry-run"
"$root/scripts/neurocred-backup" retention development --dry-run

echo "==> ./scripts/neurocred-backup status development"
"$root/scripts/neurocred-backup" status development

if [[ -n "${AWS_ENDPOINT_URL:-}" ]] && command -v aws >/dev/null 2>&1; then
    bucket="neurocred-demo-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
    echo "==> S3 at $AWS_ENDPOINT_URL: bucket $bucket, backup, then verify-backup.sh on the uploaded dump"
    aws --endpoint-url "$AWS_ENDPOINT_URL" s3 mb "s3://$bucket" >/dev/null
    DB_BACKUP_S3_BUCKET="$bucket" "$root/scripts/backup-db.sh" development full
    key="$(aws --endpoint-url "$AWS_ENDPOINT_URL" s3 ls "s3://$bucket/development/" | awk '/neurocred_/ {print $4}' | head -n 1)"
    DB_BACKUP_S3_BUCKET="$bucket" "$root/scripts/verify-backup.sh" "s3://$bucket/development/$key" --restore-test
    DB_BACKUP_S3_BUCKET="$bucket" "$root/scripts/neurocred-backup" list development
fi

dump="$(ls -t "$demo"/backups/neurocred_development_*.sql.gz | head -n 1)"
manifest="$demo/backups/manifest_development_${dump##*_development_}"
manifest="${manifest%.sql.gz}.json"
echo "==> manifest ($manifest), tables and rows:"
grep -A1 '"name"' "$manifest" | grep -v -- '--' | paste - - | sed -E 's/ *"name" : "(.*)",[[:space:]]*"rows" : ([0-9]+)/    \1: \2 rows/; s/\\"/"/g'

echo "==> sha256sum agrees with the manifest:"
recorded="$(grep '"sha256"' "$manifest" | sed -E 's/.*: "([0-9a-f]+)".*/\1/')"
actual="$(sha256sum "$dump" | cut -d' ' -f1)"
[[ "$recorded" == "$actual" ]] && echo "    $actual" || { echo "demo: checksum mismatch" >&2; exit 1; }

echo "==> restoring with gunzip -c | psql into 'neurocred_restored'"
"${psql[@]}" -d postgres -c "CREATE DATABASE neurocred_restored"
gunzip -c "$dump" | "${psql[@]}" -d neurocred_restored >/dev/null
echo "==> ./scripts/restore-db.sh development full latest --target-db neurocred_latest --create"
"$root/scripts/restore-db.sh" development full latest --target-db neurocred_latest --create
for db in neurocred neurocred_restored neurocred_latest; do
    printf '    %-20s customers=%s applications=%s payments=%s\n' "$db" \
        "$("${psql[@]}" -d "$db" -At -c 'SELECT count(*) FROM public.customers')" \
        "$("${psql[@]}" -d "$db" -At -c 'SELECT count(*) FROM credit.applications')" \
        "$("${psql[@]}" -d "$db" -At -c 'SELECT count(*) FROM credit.payments')"
done
echo "==> done: the backup is in $demo/backups (the demo server has been stopped and removed)"
