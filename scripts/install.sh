#!/usr/bin/env bash
# Builds the command line once, in a checkout (needs Java 17+ and Maven): cli/target/neurocred-backup.jar,
# which the scripts beside this one run, and the release cli/target/neurocred-backup-VERSION.tar.gz, which
# installs on servers without Maven. With --prefix DIR it also unpacks the release into DIR/neurocred-backup.
#   scripts/install.sh                  # build
#   scripts/install.sh --prefix /opt    # build and install into /opt/neurocred-backup
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefix=""
if [[ "${1:-}" == "--prefix" ]]; then
    [[ -n "${2:-}" ]] || { echo "usage: $0 [--prefix DIR]" >&2; exit 2; }
    prefix="$2"
elif [[ $# -gt 0 ]]; then
    echo "usage: $0 [--prefix DIR]" >&2
    exit 2
fi
command -v mvn >/dev/null || { echo "install.sh: Maven (mvn) is needed to build; or install a release tarball" >&2; exit 2; }
echo "install.sh: building the command line (mvn -pl cli -am package) ..." >&2
log="$(mktemp)"
if ! mvn -B -q -f "$root/pom.xml" -pl cli -am package -DskipTests >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "install.sh: the build failed (above); it needs Java 17+ and Maven" >&2
    exit 1
fi
rm -f "$log"
tarball="$(ls "$root"/cli/target/neurocred-backup-*.tar.gz | head -n 1)"
echo "built $root/cli/target/neurocred-backup.jar and $tarball"
if [[ -n "$prefix" ]]; then
    mkdir -p "$prefix"
    tar -xzf "$tarball" -C "$prefix"
    echo "installed into $prefix/neurocred-backup (run $prefix/neurocred-backup/scripts/backup-db.sh)"
fi
