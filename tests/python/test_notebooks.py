"""The notebooks: executed headless with nbclient on the demo's reports, and stripped in git.

Any cell error fails the test with the cell's source and error. The notebooks assert their own
rebuilt tables against summary.json and bandwidth.json; the tests also check they drew their
figures and printed what they checked.
"""

import json
import os
import subprocess
from importlib import metadata
from pathlib import Path

import nbformat
import polars as pl
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from conftest import ROOT

NOTEBOOKS = ROOT / "notebooks"
VENV = ROOT / ".cache" / "venv-notebooks"


def execute(name: str, env: dict) -> nbformat.NotebookNode:
    """Runs notebooks/<name> in a fresh kernel with `env` added, from the notebooks folder."""
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update({k: str(v) for k, v in env.items() if v is not None})
    for k, v in env.items():
        if v is None:
            os.environ.pop(k, None)
    try:
        NotebookClient(nb, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return nb


def run_or_fail(name: str, env: dict) -> nbformat.NotebookNode:
    try:
        return execute(name, env)
    except CellExecutionError as e:
        pytest.fail(f"{name}: a cell failed:\n{e}", pytrace=False)


def text_of(nb) -> str:
    out = []
    for c in nb.cells:
        for o in c.get("outputs", []):
            if o.output_type == "stream":
                out.append(o.text)
    return "".join(out)


def figures(nb) -> int:
    return sum("image/png" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))


def test_venv_matches_requirements():
    assert (VENV / "bin" / "python").is_file(), f"{VENV} is missing: run scripts/notebooks.sh --setup-only"
    pins = [
        line.split("==")
        for line in (NOTEBOOKS / "requirements.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    ]
    assert len(pins) > 8
    wrong = {n: (v, _version(n)) for n, v in pins if _version(n) != v}
    assert not wrong, f"installed versions differ from requirements.txt {wrong}: run scripts/notebooks.sh --setup-only"


def _version(name: str):
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def test_fee_study_runs_and_checks_summary(report, summary, parts):
    nb = run_or_fail("fee-study.ipynb", {"BTCADDR_REPORT_DIR": report})
    text = text_of(nb)
    assert "range table: 17 figures equal summary.json" in text, text
    for row in summary["by_payer"]:
        assert f"by_payer[{row['payer']}]: 8 figures equal summary.json" in text, text
    with_txs = pl.read_parquet(report / "blocks.parquet").filter(pl.col("fee_txs") > 0).height
    assert f"{with_txs} blocks with transactions agree with blocks.parquet" in text, text
    assert figures(nb) == 4, "expected 4 figures: histogram, round share, rate to get in, by payer"


def test_fee_study_names_the_command_when_the_report_is_missing(tmp_path):
    with pytest.raises(CellExecutionError) as e:
        execute("fee-study.ipynb", {"BTCADDR_REPORT_DIR": tmp_path / "nothing"})
    assert "scripts/demo.sh" in str(e.value)


def test_fee_study_rejects_a_summary_that_differs(report, parts, tmp_path):
    """The notebook's check can fail: one transaction more in summary.json is caught."""
    bad = tmp_path / "report"
    bad.mkdir()
    (bad / "txs").symlink_to(report / "txs")
    (bad / "blocks.parquet").symlink_to(report / "blocks.parquet")
    s = json.loads((report / "summary.json").read_text())
    s["table"]["round_fee_transactions"] += 1
    (bad / "summary.json").write_text(json.dumps(s))
    with pytest.raises(CellExecutionError) as e:
        execute("fee-study.ipynb", {"BTCADDR_REPORT_DIR": bad})
    assert "round_fee_transactions" in str(e.value)


def test_bandwidth_runs_on_the_data_alone():
    nb = run_or_fail("bandwidth.ipynb", {"BTCADDR_BANDWIDTH_DIR": None})
    assert "rates from the CSV files only" in text_of(nb)
    assert figures(nb) == 3


def test_bandwidth_checks_the_report_and_the_chain(bandwidth):
    report = json.loads((bandwidth / "bandwidth.json").read_text())
    assert report["chain"] is not None, (
        f"{bandwidth}/bandwidth.json has no chain growth: run scripts/test-notebooks.sh "
        "(it runs fee-report bandwidth --from/--to on the demo chain)"
    )
    nb = run_or_fail("bandwidth.ipynb", {"BTCADDR_BANDWIDTH_DIR": bandwidth})
    text = text_of(nb)
    assert "rate rows equal the notebook's" in text, text
    chain = report["chain"]
    assert (
        f"chain growth: {chain['samples']} samples of blocks {chain['first_height']}–{chain['last_height']} "
        "equal blocks.parquet" in text
    ), text
    assert figures(nb) == 4


def _committed_notebooks():
    listed = subprocess.run(["git", "ls-files", "notebooks/*.ipynb"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.split()
    on_disk = sorted(str(p.relative_to(ROOT)) for p in NOTEBOOKS.glob("*.ipynb"))
    return listed, on_disk


def test_notebooks_are_committed_stripped():
    listed, on_disk = _committed_notebooks()
    assert {"notebooks/fee-study.ipynb", "notebooks/bandwidth.ipynb"} <= set(listed), listed
    assert sorted(listed) == on_disk, f"untracked or deleted notebooks: git {listed}, disk {on_disk}"
    strip = ".cache/venv-notebooks/bin/jupyter nbconvert --clear-output --inplace notebooks/*.ipynb"
    for path in listed:
        for where, text in [
            ("HEAD", subprocess.run(["git", "show", f"HEAD:{path}"], cwd=ROOT, capture_output=True, text=True).stdout),
            ("work tree", (ROOT / path).read_text()),
        ]:
            if not text:  # not yet committed: the work tree is checked
                continue
            nb = nbformat.reads(text, as_version=4)
            nbformat.validate(nb)
            for i, c in enumerate(nb.cells):
                if c.cell_type != "code":
                    continue
                assert c.outputs == [] and c.execution_count is None, (
                    f"{path} ({where}) cell {i} has outputs or an execution count: strip with `{strip}`"
                )
