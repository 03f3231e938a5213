#!/usr/bin/env bash
# Tests the C library (address/bindings/c): builds libbtcaddr.a/.so in release, runs the crate's
# Rust tests (header drift against cbindgen, vectors.tsv staleness, FFI unit tests), compiles the
# header as C99 and C++11 with -Werror -pedantic, then compiles and runs the C test linked
# statically, against the .so, under ASan+UBSan and under valgrind, the C++ test, and the
# example (asserting its output). Installs gcc, g++ and valgrind from apt when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v cc >/dev/null || need+=(gcc)
command -v g++ >/dev/null || need+=(g++)
command -v valgrind >/dev/null || need+=(valgrind)
if ((${#need[@]})); then
    echo "test-c: installing ${need[*]} (apt-get install -y ${need[*]})"
    apt-get update -qq && apt-get install -y -qq "${need[@]}"
fi

crate=address/bindings/c
# Absolute, so that ldd prints the same path as LD_LIBRARY_PATH gives.
target=$(realpath -m "${CARGO_TARGET_DIR:-target}")
lib="$target/release"
out="$target/c-tests"
mkdir -p "$out"

echo "== cargo build --release -p btcaddr-c"
cargo build --release -p btcaddr-c --locked
test -f "$lib/libbtcaddr.a" || { echo "test-c: $lib/libbtcaddr.a was not built" >&2; exit 1; }
test -f "$lib/libbtcaddr.so" || { echo "test-c: $lib/libbtcaddr.so was not built" >&2; exit 1; }

echo "== cargo test -p btcaddr-c (header drift, vectors.tsv staleness, FFI unit tests)"
cargo test -p btcaddr-c --locked

strict_c=(-std=c99 -Wall -Wextra -Werror -pedantic -I"$crate/include")
strict_cxx=(-std=c++11 -Wall -Wextra -Werror -pedantic -I"$crate/include")
static_libs=(-lpthread -ldl -lm)

echo "== the header alone as C99 and as C++11"
cc "${strict_c[@]}" -fsyntax-only -x c "$crate/include/btcaddr.h"
g++ "${strict_cxx[@]}" -fsyntax-only -x c++ "$crate/include/btcaddr.h"

# Runs a C test binary and checks its last line is "N passed, 0 failed".
run_c_test() {
    local name=$1
    shift
    local log="$out/$name.log"
    if ! "$@" "$crate/tests/vectors.tsv" >"$log" 2>&1; then
        cat "$log"
        echo "test-c: the C test ($name) failed" >&2
        exit 1
    fi
    local last
    last=$(tail -n 1 "$log")
    if ! [[ $last =~ ^[1-9][0-9]*\ passed,\ 0\ failed$ ]]; then
        cat "$log"
        echo "test-c: the C test ($name) ended with \"$last\"" >&2
        exit 1
    fi
    echo "$name: $last"
}

echo "== C test, linked statically against libbtcaddr.a"
cc "${strict_c[@]}" "$crate/tests/test_btcaddr.c" "$lib/libbtcaddr.a" "${static_libs[@]}" \
    -o "$out/test_static"
run_c_test static "$out/test_static"

echo "== C test, linked against libbtcaddr.so"
cc "${strict_c[@]}" "$crate/tests/test_btcaddr.c" -L"$lib" -lbtcaddr -lpthread -o "$out/test_shared"
LD_LIBRARY_PATH="$lib" ldd "$out/test_shared" | grep "$lib/libbtcaddr.so" >/dev/null \
    || { echo "test-c: test_shared does not load $lib/libbtcaddr.so" >&2; exit 1; }
run_c_test shared env LD_LIBRARY_PATH="$lib" "$out/test_shared"

echo "== C test under AddressSanitizer and UndefinedBehaviorSanitizer (static)"
cc "${strict_c[@]}" -g -fsanitize=address,undefined -fno-sanitize-recover=all \
    "$crate/tests/test_btcaddr.c" "$lib/libbtcaddr.a" "${static_libs[@]}" -o "$out/test_asan"
run_c_test asan env ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 "$out/test_asan"

echo "== C test under valgrind (shared)"
run_c_test valgrind env LD_LIBRARY_PATH="$lib" valgrind -q --error-exitcode=1 \
    --leak-check=full --errors-for-leak-kinds=definite,indirect "$out/test_shared"

echo "== C++ test"
g++ "${strict_cxx[@]}" "$crate/tests/header_cpp.cpp" "$lib/libbtcaddr.a" "${static_libs[@]}" \
    -o "$out/test_cpp"
"$out/test_cpp" | grep -Fx "c++ ok: btc:krbrhhank3fzye is p2a" \
    || { echo "test-c: the C++ test failed" >&2; exit 1; }

echo "== example: examples/check.c"
cc "${strict_c[@]}" "$crate/examples/check.c" "$lib/libbtcaddr.a" "${static_libs[@]}" -o "$out/check"
# expect_check EXIT_CODE STDIN_OR_EMPTY ARG EXPECTED_OUTPUT
expect_check() {
    local want_rc=$1 stdin=$2 expected=$4 got rc=0
    shift 2
    local args=()
    [[ -n $1 ]] && args=("$1")
    # A here-string, not a pipe: check does not read stdin when given an argument.
    got=$("$out/check" "${args[@]}" <<<"$stdin") || rc=$?
    if [[ $rc != "$want_rc" || $got != "$expected" ]]; then
        printf 'test-c: check %s exited %s (want %s) and printed:\n%s\n--- expected:\n%s\n' \
            "${args[*]:-<stdin>}" "$rc" "$want_rc" "$got" "$expected" >&2
        exit 1
    fi
}
expect_check 0 "" btc:yyk8k8us7yc3dfswk1kbatqtsqt18hkd8xmjbzf8i1a \
"valid: btc p2wpkh, 22-byte script
standard form: bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
expect_check 1 "" btc:yyk8k8us7yc3dfswk1kbatqtsqt18hkd8xmjbzf8ia1 \
"invalid: address: check letter mismatch: a letter is mistyped or two letters are swapped
did you mean (confirm with whoever gave you the address):
  btc:yyk8k8us7yc3dfswk1kbatqtsqt18hkd8xmjbzf8i1a  (transposition: positions 45 and 46: swapped)"
expect_check 1 btc:yyk8k8u07yc3dfswk1kbatqtsqt18hkd8xmjbzf8i1a "" \
"invalid: address: invalid character '0' at position 11: not in the z-base-32 alphabet ybndrfg8ejkmcpqxot1uwisza345h769
  btc:yyk8k8u07yc3dfswk1kbatqtsqt18hkd8xmjbzf8i1a
             ^
did you mean (confirm with whoever gave you the address):
  btc:yyk8k8us7yc3dfswk1kbatqtsqt18hkd8xmjbzf8i1a  (substitution: position 11: '0' replaced by 's')"
nonstandard=$(awk -F'\t' '$1 == "valid" && $2 == "btc" && $3 == "nonstandard" { print $5; exit }' \
    "$crate/tests/vectors.tsv")
[[ -n $nonstandard ]] || { echo "test-c: no non-standard btc vector in vectors.tsv" >&2; exit 1; }
nonstandard_len=$(awk -F'\t' -v a="$nonstandard" '$5 == a { print length($4) / 2; exit }' \
    "$crate/tests/vectors.tsv")
expect_check 0 "" "$nonstandard" \
"valid: btc nonstandard, $nonstandard_len-byte script
warning: valid, but pays to a non-standard script of $nonstandard_len bytes: if you expected an ordinary address, it was probably mistyped"
echo "example: 4 runs as expected"

echo "== install.sh into a scratch prefix, then build the example through pkg-config"
prefix="$out/prefix"
rm -rf "$prefix"
"$crate/install.sh" "$prefix" >/dev/null
for f in lib/libbtcaddr.a lib/libbtcaddr.so include/btcaddr.h lib/pkgconfig/btcaddr.pc; do
    test -f "$prefix/$f" || { echo "test-c: install.sh did not install $f" >&2; exit 1; }
done
read -ra pc_flags < <(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs btcaddr)
cc -std=c99 -Wall -Wextra -Werror -pedantic "$crate/examples/check.c" "${pc_flags[@]}" \
    -o "$out/check_installed"
LD_LIBRARY_PATH="$prefix/lib" "$out/check_installed" btc:yyk8k8us7yc3dfswk1kbatqtsqt18hkd8xmjbzf8i1a \
    | grep -Fx "valid: btc p2wpkh, 22-byte script" >/dev/null \
    || { echo "test-c: the example built through pkg-config failed" >&2; exit 1; }
echo "install: ok"

echo "== the README's C example compiles and runs"
awk '/^## Use it from C/ { s = 1 } s && /^## / && !/^## Use it from C/ { s = 0 }
     s && /^```c$/ { c = 1; next } c && /^```$/ { c = 0 } c' README.md >"$out/readme_body.c"
[[ -s $out/readme_body.c ]] || { echo "test-c: no \`\`\`c block under \"## Use it from C\" in README.md" >&2; exit 1; }
{
    printf '#include <stdio.h>\n#include <string.h>\n#include "btcaddr.h"\n'
    printf 'int main(int argc, char **argv) {\nconst char *s = argc > 1 ? argv[1] : "";\n'
    cat "$out/readme_body.c"
    printf 'return 0;\n}\n'
} >"$out/readme.c"
cc "${strict_c[@]}" "$out/readme.c" "$lib/libbtcaddr.a" "${static_libs[@]}" -o "$out/readme"
"$out/readme" btc:yyk8k8us7yc3dfswk1kbatqtsqt18hkd8xmjbzf8i1a | grep -Fx "btc p2wpkh" >/dev/null \
    || { echo "test-c: the README example did not print \"btc p2wpkh\"" >&2; exit 1; }
echo "README example: ok"

echo "test-c: all passed"
