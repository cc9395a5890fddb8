#!/usr/bin/env bash
# Usage:
#   ./scripts/restore-db.sh <environment> full <file|s3-uri|latest> [--target-db NAME] [--create] [--clean] [--no-owner]
#   ./scripts/restore-db.sh <environment> pitr (--target-time TIME | --target-lsn LSN | --target-name NAME)
#                           --pgdata DIR [--start [--port N]] [--keep-archiving] [--base-backup TS] [--config FILE]
# full: checks the backup's SHA-256 first, creates the roles the backup needs that the server lacks (listed, without
#       passwords unless the backup stored them), makes the database like the source's, restores with owners and
#       privileges, compares rows, owners and privileges with the manifest and prints how long it took.
#       --no-owner (custom format only): everything owned by the restoring user, no grants, no roles created.
# pitr: restores the newest base backup that ended before the target into the new directory DIR, set up to
#       replay archived WAL up to the target; with --start, starts it and waits until it has promoted.
#   ./scripts/restore-db.sh production full latest --target-db neurocred_restored --create
#   ./scripts/restore-db.sh production pitr --target-time '2025-01-01 12:00:00+00' --pgdata /var/lib/postgresql/15/pitr --start --port 5433
set -euo pipefail
if [[ $# -lt 2 ]] || [[ "$2" == full && $# -lt 3 ]]; then
    echo "usage: $0 <production|staging|development> full <file|s3-uri|latest> [--target-db NAME] [--create] [--clean] [--no-owner]" >&2
    echo "       $0 <production|staging|development> pitr --target-time TIME --pgdata DIR [--start [--port N]]" >&2
    exit 2
fi
exec "$(dirname "${BASH_SOURCE[0]}")/neurocred-backup" restore "$@"
