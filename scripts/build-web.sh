#!/usr/bin/env bash
# Builds the address checker page, target/web/index.html: ONE self-contained file (the codec's
# WebAssembly inlined as base64, the JavaScript and CSS inlined, a Content-Security-Policy that
# forbids every request), so it works from file://, offline, or from any static host.
#
#   scripts/build-web.sh
#
# Rebuilds the WebAssembly package first (scripts/build-wasm.sh) when it is missing or older
# than its sources. The page's readable sources are address/web/{index.html,app.js,style.css};
# address/web/build.mjs inlines them (plain string substitution, no bundler).
set -euo pipefail
cd "$(dirname "$0")/.."

die() {
    echo "build-web.sh: error: $*" >&2
    exit 1
}

command -v node >/dev/null 2>&1 ||
    die "node not found: install Node.js 20 (Debian: apt-get install -y nodejs)"

PKG=target/bindings/wasm
CORE="$PKG/core.js"

# The package is stale when any source of it is newer than core.js.
wasm_stale() {
    [ -f "$CORE" ] || return 0
    compgen -G "$PKG/*.wasm" >/dev/null || return 0
    local newer
    newer="$(find address/src address/Cargo.toml address/bindings/wasm Cargo.toml Cargo.lock scripts/build-wasm.sh \
        -newer "$CORE" -type f -print -quit 2>/dev/null || true)"
    [ -n "$newer" ]
}

if wasm_stale; then
    [ -x scripts/build-wasm.sh ] || die "scripts/build-wasm.sh is missing: it builds $PKG, which the page inlines"
    echo "build-web.sh: $PKG is missing or older than its sources; running scripts/build-wasm.sh" >&2
    scripts/build-wasm.sh
fi
[ -f "$CORE" ] || die "scripts/build-wasm.sh ran but $CORE is missing"

mapfile -t wasms < <(find "$PKG" -maxdepth 1 -name '*.wasm' -type f | sort)
[ "${#wasms[@]}" -eq 1 ] || die "expected one .wasm file in $PKG, found ${#wasms[@]}: ${wasms[*]:-none}"

node address/web/build.mjs "$CORE" "${wasms[0]}" target/web/index.html
