#!/usr/bin/env bash
# Usage: ./scripts/verify-backup.sh <file-or-s3-uri> [--restore-test] [--json]
#   ./scripts/verify-backup.sh /backups/neurocred_production_20250101_020000.sql.gz
# Checks size and SHA-256 against the manifest beside it, gzip integrity, SQL structure and tables;
# --restore-test also restores into a scratch database. Exit 0 only when every check passed.
set -euo pipefail
if [[ $# -lt 1 ]]; then
    echo "usage: $0 <file-or-s3-uri> [--restore-test] [--json]" >&2
    exit 2
fi
exec "$(dirname "${BASH_SOURCE[0]}")/neurocred-backup" verify "$@"
