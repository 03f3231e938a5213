#!/usr/bin/env bash
# Installs the C library: builds libbtcaddr.a/.so in release (cargo build --release -p btcaddr-c),
# then copies them to PREFIX/lib, btcaddr.h to PREFIX/include and writes
# PREFIX/lib/pkgconfig/btcaddr.pc, so `pkg-config --cflags --libs btcaddr` (or `--static`) works.
# Usage: address/bindings/c/install.sh [PREFIX]   (default /usr/local)
set -euo pipefail
cd "$(dirname "$0")/../../.."

prefix=$(realpath -m "${1:-/usr/local}")
lib="${CARGO_TARGET_DIR:-target}/release"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)

cargo build --release -p btcaddr-c --locked
install -d "$prefix/lib/pkgconfig" "$prefix/include"
install -m 644 "$lib/libbtcaddr.a" "$prefix/lib/"
install -m 755 "$lib/libbtcaddr.so" "$prefix/lib/"
install -m 644 address/bindings/c/include/btcaddr.h "$prefix/include/"
# Libs.private: what rustc reports with --print native-static-libs for a staticlib on Linux.
cat >"$prefix/lib/pkgconfig/btcaddr.pc" <<PC
prefix=$prefix
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: btcaddr
Description: Generic Bitcoin address codec (any scriptPubKey, z-base-32, CRC-64, Damm check letter)
Version: $version
Cflags: -I\${includedir}
Libs: -L\${libdir} -lbtcaddr
Libs.private: -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
PC
echo "installed libbtcaddr $version into $prefix (pkg-config: PKG_CONFIG_PATH=$prefix/lib/pkgconfig)"
