#!/usr/bin/env bash
# Installs the real Bitcoin node the tests and the demo run against: Bitcoin Knots from Debian sid,
# unpacked into .cache/node (ignored by git) without touching the system's apt sources.
#
#   scripts/install-node.sh          # install if missing, print the version
#   scripts/install-node.sh --force  # reinstall
#
# Result: .cache/node/bin/bitcoind and .cache/node/bin/bitcoin-cli, wrappers that start the sid
# binaries through sid's own dynamic loader (bookworm's libstdc++ is too old for them).
# A second run only checks and prints the version (well under a second).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
NODE_DIR="$ROOT/.cache/node"
SID_PACKAGES=(bitcoin-knots libstdc++6 libc6 libgcc-s1)
# Shared libraries bitcoind loads from the system (bookworm builds work with sid's glibc).
SYSTEM_PACKAGES=(libzmq5 libevent-core-2.1-7 libevent-extra-2.1-7 libevent-pthreads-2.1-7 libsqlite3-0)
# The Debian archive this machine's apt already uses (deb822 .sources or one-line sources.list),
# so sid comes from the same registry; BTCADDR_SID_MIRROR overrides it.
system_mirror() {
    {
        grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{for (i = 2; i <= NF; i++) print $i}'
        grep -hsE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list |
            sed -E 's/\[[^]]*\]//' | awk '{print $2}'
    } | grep -E '/debian/?$' | head -n 1 || true # none found: handled where the mirror is used
}
SID_MIRROR="${BTCADDR_SID_MIRROR:-$(system_mirror)}"
export DEBIAN_FRONTEND=noninteractive

die() {
    echo "install-node.sh: error: $*" >&2
    exit 1
}

force=0
case "${1:-}" in
    "") ;;
    --force) force=1 ;;
    -h | --help)
        sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
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

# Prints the packages of SYSTEM_PACKAGES that are not installed.
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
    echo "install-node.sh: installing system libraries: $(echo $missing)" >&2
    # Try without refreshing the package lists first; update only when apt cannot find them.
    # shellcheck disable=SC2086
    if ! as_root apt-get install -y -q --no-install-recommends $missing >/dev/null 2>&1; then
        as_root apt-get update -q >/dev/null ||
            die "'apt-get update' failed: cannot reach Debian's registry for $(echo $missing)"
        # shellcheck disable=SC2086
        as_root apt-get install -y -q --no-install-recommends $missing >/dev/null ||
            die "'apt-get install $(echo $missing)' failed"
    fi
}

print_version() {
    local line
    line="$("$NODE_DIR/bin/bitcoind" -version 2>&1 | head -n 1)" ||
        die "$NODE_DIR/bin/bitcoind does not run: $line (reinstall with: scripts/install-node.sh --force)"
    echo "$line ($NODE_DIR/bin/bitcoind)"
}

installed_ok() {
    [ -f "$NODE_DIR/.installed" ] && [ -x "$NODE_DIR/bin/bitcoind" ] && [ -x "$NODE_DIR/bin/bitcoin-cli" ]
}

# Fast path: nothing to do but check and print.
if [ "$force" = 0 ] && installed_ok && [ -z "$(missing_system_packages)" ]; then
    print_version
    exit 0
fi

command -v apt-get >/dev/null 2>&1 || die "apt-get not found: this script needs a Debian system"
command -v dpkg-deb >/dev/null 2>&1 || die "dpkg-deb not found: this script needs a Debian system"

mkdir -p "$ROOT/.cache"
# Serialise concurrent runs (several engineers or test runs sharing one checkout).
exec 9>"$ROOT/.cache/node.lock"
flock 9

install_system_packages

if [ "$force" = 1 ] || ! installed_ok; then
    work="$(mktemp -d "$ROOT/.cache/node-install.XXXXXX")"
    trap 'rm -rf "$work"' EXIT
    apt_dir="$work/apt"
    mkdir -p "$apt_dir/sources" "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$work/debs"
    : >"$apt_dir/status"
    [ -n "$SID_MIRROR" ] || die "no Debian archive found in /etc/apt sources; set BTCADDR_SID_MIRROR to a Debian mirror URL"
    cat >"$apt_dir/sources/sid.sources" <<EOF
Types: deb
URIs: $SID_MIRROR
Suites: sid
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    # Only the temporary sid list is used; the empty status file makes sid's versions the candidates.
    apt_opts=(
        -o "Dir::Etc::SourceList=/dev/null"
        -o "Dir::Etc::SourceParts=$apt_dir/sources"
        -o "Dir::State::Lists=$apt_dir/lists"
        -o "Dir::State::status=$apt_dir/status"
        -o "Dir::Cache=$apt_dir/cache"
        -o "APT::Sandbox::User=root"
        -o "Debug::NoLocking=1"
    )
    echo "install-node.sh: fetching Debian sid's package list" >&2
    apt-get "${apt_opts[@]}" update -q >"$work/update.log" 2>&1 || {
        cat "$work/update.log" >&2
        die "cannot fetch Debian sid's package list from $SID_MIRROR (see above)"
    }
    # apt-get update exits 0 on some fetch failures, so check that a package index arrived.
    if ! ls "$apt_dir/lists/" | grep -q '_Packages'; then
        grep -E '^(E|W):' "$work/update.log" >&2 || true
        die "cannot fetch Debian sid's package list from $SID_MIRROR (registry unreachable?)"
    fi
    echo "install-node.sh: downloading ${SID_PACKAGES[*]}" >&2
    (cd "$work/debs" && apt-get "${apt_opts[@]}" download -q "${SID_PACKAGES[@]}") >"$work/download.log" 2>&1 || {
        cat "$work/download.log" >&2
        die "Debian sid's registry did not serve ${SID_PACKAGES[*]} (see above)"
    }
    stage="$work/node"
    mkdir -p "$stage/root" "$stage/bin"
    for deb in "$work"/debs/*.deb; do
        dpkg-deb -x "$deb" "$stage/root" || die "cannot unpack $deb"
    done
    for tool in bitcoind bitcoin-cli; do
        [ -x "$stage/root/usr/bin/$tool" ] || die "the bitcoin-knots package has no usr/bin/$tool"
        cat >"$stage/bin/$tool" <<'EOF'
#!/bin/sh
# Runs Debian sid's binary through sid's loader and libraries (written by scripts/install-node.sh).
NODE="$(cd "$(dirname "$0")/.." && pwd)"
LIB="$NODE/root/usr/lib/x86_64-linux-gnu"
EOF
        echo "exec \"\$LIB/ld-linux-x86-64.so.2\" --library-path \"\$LIB:/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu\" \"\$NODE/root/usr/bin/$tool\" \"\$@\"" >>"$stage/bin/$tool"
        chmod +x "$stage/bin/$tool"
    done
    (cd "$work/debs" && ls -1 ./*.deb | sed 's|^\./||') >"$stage/.installed"
    rm -rf "$NODE_DIR"
    mv "$stage" "$NODE_DIR"
fi

print_version
