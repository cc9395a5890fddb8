#!/usr/bin/env bash
# Usage: ./scripts/restore-db.sh <environment> full <file|s3-uri|latest> [--target-db NAME] [--create] [--clean]
#   ./scripts/restore-db.sh production full latest --target-db neurocred_restored --create
# Checks the backup's SHA-256 first, then restores into DB_NAME (or --target-db) and prints how long it took.
set -euo pipefail
if [[ $# -lt 3 ]]; then
    echo "usage: $0 <production|staging|development> full <file|s3-uri|latest> [--target-db NAME] [--create] [--clean]" >&2
    exit 2
fi
exec "$(dirname "${BASH_SOURCE[0]}")/neurocred-backup" restore "$@"
