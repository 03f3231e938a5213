#!/usr/bin/env bash
# Tests the address checker page (target/web/index.html) in headless Chromium: installs Chromium
# (scripts/install-chromium.sh) and puppeteer-core (npm, into address/web/tests/node_modules; it
# never downloads a browser), builds the page (scripts/build-web.sh, which rebuilds the wasm
# package when stale), then runs address/web/tests with `node --test` (prints # pass / # fail).
# Screenshots of each state land in target/web/screenshots/. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

die() {
    echo "test-web.sh: error: $*" >&2
    exit 1
}

command -v node >/dev/null 2>&1 || die "node not found: install Node.js 20 (Debian: apt-get install -y nodejs npm)"
command -v npm >/dev/null 2>&1 || die "npm not found: install it (Debian: apt-get install -y npm)"
scripts/install-chromium.sh
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium missing: run scripts/install-chromium.sh"

# puppeteer-core from the lock file; no browser download whatever the package thinks.
export PUPPETEER_SKIP_DOWNLOAD=1 PUPPETEER_SKIP_CHROMIUM_DOWNLOAD=1
tests=address/web/tests
if [ ! -f "$tests/node_modules/puppeteer-core/package.json" ] ||
    [ "$tests/package-lock.json" -nt "$tests/node_modules/.package-lock.json" ]; then
    (cd "$tests" && npm ci --no-audit --no-fund --loglevel=error)
fi

scripts/build-web.sh
rm -rf target/web/screenshots
mkdir -p target/web/screenshots
echo "test-web.sh: page $(wc -c <target/web/index.html) bytes; running the browser tests" >&2
BTCADDR_CHROMIUM=/usr/bin/chromium node --test "$tests/"
