#!/usr/bin/env bash
# The published `btcaddr` crate holds the codec alone: fails when `cargo package --list` shows a
# file that is not the manifest, the README, the lock file or the codec's own source.
set -euo pipefail
cd "$(dirname "$0")/.."
listing="$(cargo package -p btcaddr --list --allow-dirty --locked 2>/dev/null)"
unexpected="$(echo "$listing" | grep -vxE '\.cargo_vcs_info\.json|Cargo\.lock|Cargo\.toml|Cargo\.toml\.orig|README\.md|src/[a-z0-9_/]+\.rs' || true)"
if [ -n "$unexpected" ]; then
    echo "check-package.sh: error: the btcaddr package would ship files that are not the codec's:" >&2
    echo "$unexpected" >&2
    exit 1
fi
count="$(echo "$listing" | grep -c '^src/')"
[ "$count" -ge 10 ] || { echo "check-package.sh: error: only $count source files listed" >&2; exit 1; }
echo "check-package.sh: btcaddr packages $count source files and its manifest, nothing else"
