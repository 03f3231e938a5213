"""Where the tests' inputs are: the repository, the fee report and the bandwidth report.

scripts/test-notebooks.sh makes all of them and sets BTCADDR_REPORT_DIR/BTCADDR_BANDWIDTH_DIR;
without those the demo's folder is used. A missing input fails with the command that makes it.
"""

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAKE = "run scripts/test-notebooks.sh (it makes the venv, the demo report and the bandwidth report)"


def _dir(var: str, default: Path) -> Path:
    value = os.environ.get(var)
    if not value:
        return default
    p = Path(value)
    return p if p.is_absolute() else ROOT / p


REPORT = _dir("BTCADDR_REPORT_DIR", ROOT / "out" / "demo-fee-report")
BANDWIDTH = _dir("BTCADDR_BANDWIDTH_DIR", REPORT)
# A --per-tx report over heights 106..2025 of a longer simulated chain: two period=<P> parts.
TWO_PERIODS = _dir("BTCADDR_TWO_PERIODS_DIR", ROOT / "out" / "test-notebooks" / "two-periods")
REPORTS = {"demo": REPORT, "two-periods": TWO_PERIODS}


@pytest.fixture(scope="session", params=list(REPORTS))
def report(request) -> Path:
    """Each report folder in turn: the demo's, then the two-period one."""
    folder = REPORTS[request.param]
    if not (folder / "summary.json").is_file():
        pytest.fail(f"{folder}/summary.json is missing: {MAKE}", pytrace=False)
    return folder


@pytest.fixture(scope="session")
def summary(report) -> dict:
    return json.loads((report / "summary.json").read_text())


@pytest.fixture(scope="session")
def parts(report) -> list[Path]:
    found = sorted((report / "txs").glob("period=*/part-*.parquet"))
    if not found:
        pytest.fail(
            f"no {report}/txs/period=<P>/part-0.parquet: the per-tx dataset is written by "
            f"`fee-report --per-tx` ({MAKE})",
            pytrace=False,
        )
    return found


@pytest.fixture(scope="session")
def bandwidth() -> Path:
    if not (BANDWIDTH / "bandwidth.json").is_file():
        pytest.fail(f"{BANDWIDTH}/bandwidth.json is missing: {MAKE}", pytrace=False)
    return BANDWIDTH
