"""The type stub matches the compiled module (mypy's stubtest), and code using the package
type-checks."""

import subprocess
import sys
import textwrap


def run(*args, cwd):
    return subprocess.run([sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True)


def test_stub_matches_the_compiled_module(tmp_path):
    # From an empty directory, so that only the installed package is seen.
    result = run("mypy.stubtest", "btcaddr", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_typed_usage_checks_and_misuse_is_caught(tmp_path):
    good = tmp_path / "good.py"
    good.write_text(textwrap.dedent("""
        import btcaddr
        a: btcaddr.Address = btcaddr.decode("btc:x")
        s: bytes = a.script
        w: "str | None" = a.warning
        names: list[str] = [x.address for x in btcaddr.suggest("btc:x")]
        e: str = btcaddr.encode("btc", bytearray(b"Q"))
        std: str = btcaddr.from_standard("bc1q", network=None)
    """))
    bad = tmp_path / "bad.py"
    bad.write_text("import btcaddr\nn: int = btcaddr.decode('btc:x').network\n")
    flags = ("mypy", "--strict", "--no-incremental", "--cache-dir=/dev/null")
    ok = run(*flags, str(good), cwd=tmp_path)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    caught = run(*flags, str(bad), cwd=tmp_path)
    assert caught.returncode == 1 and "Incompatible types in assignment" in caught.stdout, caught.stdout
