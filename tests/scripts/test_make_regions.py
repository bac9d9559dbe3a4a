"""The shipped region scenarios are what scripts/make_regions.py writes, and commsim builds them to
their published totals ([002]: 664 communities, 50 subdistricts, 7,293 grids, 7,253 community
workers; Wuzhong's 93 communities; the test region's own table).

The commsim checks need COMMSIM_BIN (ctest sets it); building urban Ningxia (5 million residents,
about 3 s and 1.2 GB in a release build) runs only with COMMSIM_SLOW_TESTS=1."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import h5py
import pytest

ROOT = Path(__file__).resolve().parents[2]
REGIONS = ROOT / "scenarios" / "regions"
BIN = os.environ.get("COMMSIM_BIN")
needs_commsim = pytest.mark.skipif(not BIN, reason="COMMSIM_BIN not set")


def test_tables_are_up_to_date():
    # The script asserts the totals as it builds; --check fails if a file differs from its output.
    p = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_regions.py"), "--check"],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "grids 7,293, workers 7,253" in p.stdout


@needs_commsim
@pytest.mark.parametrize("name, says", [
    ("ningxia_urban", "a region of 664 communities in 50 subdistricts, 2334075 households"),
    ("wuzhong", "a region of 93 communities in 7 subdistricts, 327798 households"),
    ("two_subdistricts", "a region of 4 communities in 2 subdistricts, 1900 households"),
])
def test_region_validates(name, says):
    p = subprocess.run([BIN, "validate", str(REGIONS / f"{name}.yaml")],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert says in p.stdout


def built(tmp_path, name) -> dict:
    """The region as built on day 0: grids, community workers (grid + centre), part-time."""
    out = tmp_path / f"{name}.h5"
    subprocess.run([BIN, "run", str(REGIONS / f"{name}.yaml"), "--days", "1",
                    "--set", "run.burn_in_days=0", "-q", "-o", str(out)], check=True)
    with h5py.File(out, "r") as f:
        s = f["summary"]
        return {"grids": s["grid_households"].shape[0],
                "households": int(s["grid_households"][()].sum()),
                "grid_workers": int(s["full_time_workers"][()]),
                "centre_workers": int(s["centre_workers"][()]),
                "part_time": int(s["part_time_workers"][()])}


@needs_commsim
def test_two_subdistricts_is_built_to_its_table(tmp_path):
    # The table in two_subdistricts.yaml's header: 12 grids, 2 workers each (1 + 1), 8 part-time.
    assert built(tmp_path, "two_subdistricts") == {
        "grids": 12, "households": 1900, "grid_workers": 4, "centre_workers": 4, "part_time": 8}


@needs_commsim
def test_wuzhong_is_built_to_its_totals(tmp_path):
    b = built(tmp_path, "wuzhong")
    assert (b["grids"], b["households"], b["part_time"]) == (1021, 327798, 619)
    # The 92 synthetic communities' 1,003 (626 + 377) exactly; Jinhuayuan's 12 grid workers and
    # 7 or 8 at its centre (19.63 expected at 18 per 10,000).
    assert b["grid_workers"] == 638
    assert b["centre_workers"] in (384, 385)


@needs_commsim
@pytest.mark.skipif(os.environ.get("COMMSIM_SLOW_TESTS") != "1", reason="COMMSIM_SLOW_TESTS not 1")
def test_ningxia_is_built_to_the_published_totals(tmp_path):
    # [002] "664个社区划分网格7293个,配备社区工作者7253名"
    b = built(tmp_path, "ningxia_urban")
    assert (b["grids"], b["grid_workers"] + b["centre_workers"]) == (7293, 7253)
    assert (b["households"], b["grid_workers"], b["part_time"]) == (2334075, 4501, 5138)
