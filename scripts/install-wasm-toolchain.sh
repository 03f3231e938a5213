#!/usr/bin/env bash
# Installs what building the WebAssembly package needs, without rustup's wasm32 target (whose
# servers are not reachable): Debian bookworm-security's rustc-web with its matching standard
# library source (for -Zbuild-std), LLVM 22's wasm-ld, unpacked into .cache/wasm-toolchain
# (ignored by git) without changing the system's Rust; plus clang-16 and llvm-16 (secp256k1-sys's
# C code for wasm32) and binaryen (wasm-opt) from Debian with apt-get.
#
#   scripts/install-wasm-toolchain.sh          # install if missing, print where it is
#   scripts/install-wasm-toolchain.sh --force  # reinstall the unpacked part
#
# Result: .cache/wasm-toolchain/bin/{rustc,wasm-ld} (wrappers that find their own libraries) and
# .cache/wasm-toolchain/env.sh, which scripts/build-wasm.sh sources. The versions are whatever
# bookworm-security serves now (resolved with apt-cache, never pinned); rustc and its source are
# one source package, so they always match. A second run only checks and prints (under a second).
set -euo pipefail
cd "$(dirname "$0")/.."

ROOT="$(pwd)"
TOOL_DIR="$ROOT/.cache/wasm-toolchain"
SYSTEM_PACKAGES=(clang-16 llvm-16 binaryen)
export DEBIAN_FRONTEND=noninteractive

die() {
    echo "install-wasm-toolchain.sh: error: $*" >&2
    exit 1
}

force=0
case "${1:-}" in
    "") ;;
    --force) force=1 ;;
    -h | --help)
        sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *) die "unknown argument '$1' (expected --force or nothing)" ;;
esac

as_root() {
    if [ "$(id -u)" = 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo -n DEBIAN_FRONTEND=noninteractive "$@"
    else
        die "need root (or sudo) to run: $*"
    fi
}

missing_system_packages() {
    local pkg
    for pkg in "${SYSTEM_PACKAGES[@]}"; do
        if ! dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q '^install ok installed$'; then
            echo "$pkg"
        fi
    done
}

install_system_packages() {
    local missing
    missing="$(missing_system_packages)"
    [ -z "$missing" ] && return 0
    # shellcheck disable=SC2086 # word splitting of the package list is intended
    echo "install-wasm-toolchain.sh: apt-get installing $(echo $missing)" >&2
    # shellcheck disable=SC2086
    if ! as_root apt-get install -y -q --no-install-recommends $missing >/dev/null 2>&1; then
        as_root apt-get update -q >/dev/null ||
            die "'apt-get update' failed: cannot reach Debian's registry for $(echo $missing)"
        # shellcheck disable=SC2086
        as_root apt-get install -y -q --no-install-recommends $missing >/dev/null ||
            die "'apt-get install $(echo $missing)' failed"
    fi
}

installed_ok() {
    [ -f "$TOOL_DIR/.installed" ] && [ -x "$TOOL_DIR/bin/rustc" ] && [ -x "$TOOL_DIR/bin/wasm-ld" ] &&
        [ -f "$TOOL_DIR/env.sh" ]
}

print_summary() {
    local version
    version="$("$TOOL_DIR/bin/rustc" --version 2>&1)" ||
        die "$TOOL_DIR/bin/rustc does not run: $version (reinstall with: scripts/install-wasm-toolchain.sh --force)"
    "$TOOL_DIR/bin/wasm-ld" --version >/dev/null 2>&1 ||
        die "$TOOL_DIR/bin/wasm-ld does not run (reinstall with: scripts/install-wasm-toolchain.sh --force)"
    echo "$version, $("$TOOL_DIR/bin/wasm-ld" --version | head -n 1), $(wasm-opt --version): $TOOL_DIR"
}

# Fast path: nothing to do but check and print.
if [ "$force" = 0 ] && installed_ok && [ -z "$(missing_system_packages)" ]; then
    print_summary
    exit 0
fi

command -v apt-get >/dev/null 2>&1 || die "apt-get not found: this script needs a Debian system"
command -v dpkg-deb >/dev/null 2>&1 || die "dpkg-deb not found: this script needs a Debian system"

mkdir -p "$ROOT/.cache"
# Serialise concurrent runs (several builds sharing one checkout).
exec 9>"$ROOT/.cache/wasm-toolchain.lock"
flock 9

install_system_packages

if [ "$force" = 1 ] || ! installed_ok; then
    # The newest rustc-web apt knows; refresh the lists once if it knows none.
    candidate() { apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2}'; }
    version="$(candidate rustc-web)"
    if [ -z "$version" ] || [ "$version" = "(none)" ]; then
        as_root apt-get update -q >/dev/null || die "'apt-get update' failed: cannot reach Debian's registry"
        version="$(candidate rustc-web)"
    fi
    [ -n "$version" ] && [ "$version" != "(none)" ] ||
        die "apt knows no rustc-web: add bookworm-security (deb.debian.org/debian-security) to apt's sources"
    # libstd-rust-web-<major.minor> holds librustc_driver; the LLVM rustc links against is named
    # in that package's dependencies, and lld of the same LLVM major provides wasm-ld.
    short="$(echo "$version" | sed -E 's/^([0-9]+\.[0-9]+).*/\1/')"
    llvm_lib="$(apt-cache depends "libstd-rust-web-$short=$version" 2>/dev/null |
        awk '/Depends: libllvm[0-9]+$/ {print $2; exit}')"
    [ -n "$llvm_lib" ] || die "cannot tell which libllvm libstd-rust-web-$short $version needs (apt-cache depends)"
    llvm_major="${llvm_lib#libllvm}"
    packages=(
        "rustc-web=$version" "libstd-rust-web-dev=$version" "libstd-rust-web-$short=$version"
        "rust-web-src=$version" "$llvm_lib" "lld-$llvm_major"
    )
    work="$(mktemp -d "$ROOT/.cache/wasm-toolchain-install.XXXXXX")"
    trap 'rm -rf "$work"' EXIT
    mkdir -p "$work/debs"
    chmod 777 "$work/debs" # apt's download sandbox user writes here
    echo "install-wasm-toolchain.sh: downloading ${packages[*]}" >&2
    (cd "$work/debs" && apt-get download -q "${packages[@]}") >"$work/download.log" 2>&1 || {
        cat "$work/download.log" >&2
        die "Debian's registry did not serve ${packages[*]} (see above)"
    }
    stage="$work/toolchain"
    mkdir -p "$stage/root" "$stage/bin"
    for deb in "$work"/debs/*.deb; do
        dpkg-deb -x "$deb" "$stage/root" || die "cannot unpack $deb"
    done
    [ -x "$stage/root/usr/bin/rustc" ] || die "rustc-web $version has no usr/bin/rustc"
    [ -d "$stage/root/usr/lib/rustlib/src/rust/library" ] ||
        die "rust-web-src $version has no usr/lib/rustlib/src/rust/library"
    [ -e "$stage/root/usr/lib/llvm-$llvm_major/bin/lld" ] || die "lld-$llvm_major has no usr/lib/llvm-$llvm_major/bin/lld"
    # The wrappers find the unpacked shared libraries (librustc_driver, libLLVM) by themselves.
    cat >"$stage/bin/rustc" <<'EOF'
#!/bin/sh
# Debian's rustc-web from the unpacked packages (written by scripts/install-wasm-toolchain.sh).
T="$(cd "$(dirname "$0")/.." && pwd)"
LD_LIBRARY_PATH="$T/root/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" exec "$T/root/usr/bin/rustc" "$@"
EOF
    cat >"$stage/bin/wasm-ld" <<EOF
#!/bin/sh
# LLVM $llvm_major's wasm-ld from the unpacked lld-$llvm_major (written by scripts/install-wasm-toolchain.sh).
T="\$(cd "\$(dirname "\$0")/.." && pwd)"
LD_LIBRARY_PATH="\$T/root/usr/lib/x86_64-linux-gnu\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}" exec "\$T/root/usr/lib/llvm-$llvm_major/bin/wasm-ld" "\$@"
EOF
    chmod +x "$stage/bin/rustc" "$stage/bin/wasm-ld"
    ln -sf lld "$stage/root/usr/lib/llvm-$llvm_major/bin/wasm-ld"
    # The environment a cargo build for wasm32 needs (paths relative to this file).
    cat >"$stage/env.sh" <<'EOF'
# Sourced by scripts/build-wasm.sh (written by scripts/install-wasm-toolchain.sh).
WASM_TOOLCHAIN="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export RUSTC="$WASM_TOOLCHAIN/bin/rustc"
# -Zbuild-std on a stable rustc.
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER="$WASM_TOOLCHAIN/bin/wasm-ld"
export CC_wasm32_unknown_unknown=clang-16
export AR_wasm32_unknown_unknown=llvm-ar-16
EOF
    (cd "$work/debs" && ls -1 ./*.deb | sed 's|^\./||') >"$stage/.installed"
    rm -rf "$TOOL_DIR"
    mv "$stage" "$TOOL_DIR"
fi

print_summary
