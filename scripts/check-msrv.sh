#!/usr/bin/env bash
# Proves the codec crate's declared MSRV (`rust-version` in address/Cargo.toml): builds `btcaddr`
# (with and without std) with that exact rustc.
#
# rustup cannot download toolchains on this machine kind, so the old rustc comes from Debian's
# registry: bookworm's `rustc-web` of that version (with its std and LLVM), fetched with
# `apt-get download` and unpacked into .cache/msrv-<version>/ without touching the system.
# Idempotent: a second run reuses the unpacked toolchain.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

die() {
    echo "check-msrv.sh: error: $*" >&2
    exit 1
}

msrv="$(sed -nE 's/^rust-version = "([0-9.]+)"/\1/p' address/Cargo.toml)"
[ -n "$msrv" ] || die "address/Cargo.toml declares no rust-version"
# Debian names the package by major.minor; its patch version is whatever bookworm ships.
minor="$(echo "$msrv" | cut -d. -f1,2)"
DIR="$ROOT/.cache/msrv-$minor"
RUSTC="$DIR/usr/bin/rustc"

if [ ! -x "$RUSTC" ]; then
    export DEBIAN_FRONTEND=noninteractive
    version="$(apt-cache madison rustc-web | awk -v m="$minor" '$3 ~ "^"m"\\." {print $3; exit}')"
    if [ -z "$version" ]; then
        apt-get update -qq
        version="$(apt-cache madison rustc-web | awk -v m="$minor" '$3 ~ "^"m"\\." {print $3; exit}')"
    fi
    [ -n "$version" ] || die "no rustc-web $minor.* in this machine's apt sources (apt-cache madison rustc-web)"
    llvm="$(apt-cache show "libstd-rust-web-$minor=$version" | sed -nE 's/^Depends:.*(libllvm[0-9]+).*/\1/p' | head -n 1)"
    [ -n "$llvm" ] || die "cannot tell which libllvm libstd-rust-web-$minor $version needs"
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    (cd "$work" && apt-get download -qq -o APT::Sandbox::User=root "rustc-web=$version" "libstd-rust-web-dev=$version" \
        "libstd-rust-web-$minor=$version" "$llvm") || die "apt-get download of rustc-web $version failed"
    rm -rf "$DIR.partial"
    mkdir -p "$DIR.partial"
    for deb in "$work"/*.deb; do
        dpkg-deb -x "$deb" "$DIR.partial"
    done
    rm -rf "$DIR"
    mv "$DIR.partial" "$DIR"
fi

export LD_LIBRARY_PATH="$DIR/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
got="$("$RUSTC" --version)"
case "$got" in
    "rustc $msrv"*) ;;
    *) die "expected rustc $msrv, the unpacked toolchain says: $got" ;;
esac
echo "check-msrv.sh: $got (declared rust-version of btcaddr: $msrv)"
# Its own target folder: another rustc's artefacts must not mix with the main toolchain's.
export CARGO_TARGET_DIR="$ROOT/target/msrv"
RUSTC="$RUSTC" cargo build -p btcaddr --locked --lib
RUSTC="$RUSTC" cargo build -p btcaddr --locked --lib --no-default-features
echo "check-msrv.sh: btcaddr builds with rustc $msrv (std and no_std)"
