#!/usr/bin/env bash
# Usage: ./scripts/backup-db.sh <production|staging|development> [full|base|wal] [--json] [--no-verify]
# Takes a full backup, a base backup for point-in-time recovery, or checks WAL archiving, with the
# settings in the environment (see docs/configuration.md).
set -euo pipefail
if [[ $# -lt 1 ]]; then
    echo "usage: $0 <production|staging|development> [full|base|wal] [--json] [--no-verify]" >&2
    exit 2
fi
exec "$(dirname "${BASH_SOURCE[0]}")/neurocred-backup" backup "$@"
