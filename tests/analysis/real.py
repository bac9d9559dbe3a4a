"""Small real inputs for the analysis tests, made by the built commsim binary in the tests' set-up:
a short baseline run, the same run under a policy (same seed: the arms of a comparison pair up),
and a 2 x 2 sweep of short runs with two replications. The synthetic files (synthetic.py) stay
for the edge cases a real run does not produce.

The binary is COMMSIM_BIN (CTest sets it), else build/release/commsim; tests that need it are
skipped, with the reason, when neither exists."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "baseline.yaml"
POLICY = ROOT / "scenarios" / "policies" / "staffing_24_per_10k.yaml"
RUN_DAYS = 90  # long enough for the weekly averages, the event charts and a whole-week comparison
SWEEP_DAYS = 45


def commsim_binary() -> Path:
    value = os.environ.get("COMMSIM_BIN") or str(ROOT / "build" / "release" / "commsim")
    binary = Path(value)
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        pytest.skip(f"no commsim binary at {value}: build it (cmake --build --preset release --target commsim) "
                    "or set COMMSIM_BIN")
    return binary


def commsim(*args: str) -> None:
    subprocess.run([str(commsim_binary()), *args, "--quiet"], check=True, cwd=ROOT, timeout=600,
                   capture_output=True)


def make_run(path: Path, scenario: Path = BASELINE, days: int = RUN_DAYS) -> Path:
    commsim("run", str(scenario), "-o", str(path), "--days", str(days))
    return path


def make_sweep(folder: Path) -> Path:
    short = folder / "short.yaml"
    short.write_text(f"extends: {BASELINE}\nrun:\n  days: {SWEEP_DAYS}\n", encoding="utf-8")
    sweep = folder / "staffing_calendar.yaml"
    sweep.write_text("base: short.yaml\nseed: 7\nreplications: 2\nseeds: common\ndesign: grid\nparameters:\n"
                     "  staffing.full_time_per_10k: [12, 24]\n  councils.calendar: [weekly, monthly]\n",
                     encoding="utf-8")
    out = folder / "staffing_calendar.h5"
    commsim("sweep", str(sweep), "-o", str(out), "--threads", "2")
    return out
