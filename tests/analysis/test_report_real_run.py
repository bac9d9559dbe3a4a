"""A report built from a real commsim run: the binary's output must satisfy the layout the
analysis package reads. Runs when COMMSIM_BIN names a built commsim (CTest sets it); skipped
otherwise."""

import os
import re
import subprocess
from pathlib import Path

import pytest

from analysis import build_report, read_run

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "baseline.yaml"


def commsim_binary() -> Path:
    value = os.environ.get("COMMSIM_BIN")
    if not value:
        pytest.skip("COMMSIM_BIN is not set: point it at a built commsim (e.g. build/release/commsim)")
    binary = Path(value)
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        pytest.skip(f"COMMSIM_BIN={value} is not an executable file")
    if not SCENARIO.is_file():
        pytest.skip(f"{SCENARIO} does not exist")
    return binary


def test_report_of_a_30_day_baseline_run(tmp_path):
    binary = commsim_binary()
    results = tmp_path / "run.h5"
    subprocess.run([str(binary), "run", str(SCENARIO), "-o", str(results), "--days", "30", "--quiet"],
                   check=True, cwd=ROOT, timeout=300)
    run = read_run(results)
    assert run.days == 30
    assert all(m.values.shape[0] == 30 for m in run.timeseries.values())
    assert all(m.unit and m.description for m in [*run.timeseries.values(), *run.summary.values()])

    index = build_report(results, tmp_path / "report")
    shown = re.findall(r"<img src='([^']+)'", index.read_text(encoding="utf-8"))
    made = sorted(p.name for p in index.parent.glob("*.png"))
    assert shown and sorted(shown) == made
    assert all((index.parent / src).is_file() for src in shown)
