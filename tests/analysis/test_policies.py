"""The policy table: policy files grouped into levers and their base levels (from file names and the
keys the files set), and docs/policies.md from short real runs with paired seeds, checked against
the run files themselves."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import real
from analysis import read_run
from analysis.__main__ import main
from analysis.policies import choose_base, levers


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text("extends: ../base.yaml\n" + text, encoding="utf-8")
    return path


@pytest.fixture
def policy_folder(tmp_path) -> Path:
    folder = tmp_path / "policies"
    folder.mkdir()
    for n in (12, 18, 24):
        write(folder, f"staffing_{n}_per_10k", f"staffing:\n  rule: per_10k\n  full_time_per_10k: {n}\n")
    write(folder, "staffing_allocation_even", "staffing:\n  allocation: even\n")
    write(folder, "staffing_allocation_first", "staffing:\n  allocation: first_grids\n")
    write(folder, "burden_reduction_off", "staffing:\n  burden_reduction: 0.0\n")
    write(folder, "burden_reduction_on", "staffing:\n  burden_reduction: 0.7\n")
    write(folder, "seats_random", "councils:\n  seat_selection: random\n")
    write(folder, "seats_proportional", "councils:\n  seat_selection: proportional\n")
    write(folder, "seats_proportional_min_one", "councils:\n  seat_selection: proportional_min_one\n")
    write(folder, "festivals_none", "activities:\n  festivals: none\n")
    write(folder, "festivals_monthly", "activities:\n  festivals: monthly\n")
    write(folder, "volunteer_roles", "volunteers:\n  stretch: 2\n")
    return folder


def test_files_grouped_into_levers(policy_folder):
    found = {lever.name: [f.stem for f in lever.files] for lever in levers(policy_folder)}
    assert found == {
        "burden_reduction": ["burden_reduction_off", "burden_reduction_on"],
        "festivals": ["festivals_monthly", "festivals_none"],
        "seats": ["seats_proportional", "seats_proportional_min_one", "seats_random"],
        # Same first word, different keys: two levers, the levels in natural order (12 before 24).
        "staffing": ["staffing_12_per_10k", "staffing_18_per_10k", "staffing_24_per_10k"],
        "staffing_allocation": ["staffing_allocation_even", "staffing_allocation_first"],
        "volunteer_roles": ["volunteer_roles"],
    }


def test_base_level_is_the_one_the_base_scenario_has(policy_folder):
    base = (policy_folder.parent / "base.yaml").resolve()
    resolved = {base: {"staffing": {"rule": "per_10k", "full_time_per_10k": 18.0, "burden_reduction": 0},
                       "councils": {"seat_selection": "proportional_min_one"},
                       "activities": {"festivals": "as_scheduled"}}}
    chosen = {}
    for lever in levers(policy_folder):
        if len(lever.files) > 1:
            choose_base(lever, resolved)
            chosen[lever.name] = (lever.level(lever.base), lever.base_reason)
    assert chosen["staffing"][0] == "18_per_10k"  # 18 == 18.0
    assert chosen["burden_reduction"][0] == "off"
    assert chosen["seats"][0] == "proportional_min_one"
    # No level equals the base scenario: the level named none, else the first.
    assert chosen["festivals"] == ("none", "the lever off (no level equals the base scenario)")
    assert chosen["staffing_allocation"][0] == "even" and "first level" in chosen["staffing_allocation"][1]


def test_policy_table_from_paired_runs(tmp_path):
    """Two staffing levels and a lone policy on a small community for 30 days, 3 seeds: the table's
    base mean and paired difference are those of the run files."""
    binary = real.commsim_binary()
    (tmp_path / "base.yaml").write_text(
        f"extends: {real.BASELINE}\nrun:\n  days: 30\ncommunity:\n  households: 400\n", encoding="utf-8")
    folder = tmp_path / "policies"
    folder.mkdir()
    write(folder, "staffing_6_per_10k", "staffing:\n  full_time_per_10k: 6\n")
    write(folder, "staffing_18_per_10k", "staffing:\n  full_time_per_10k: 18\n")
    write(folder, "volunteers_none", "volunteers:\n  teams: []\n")
    out, work = tmp_path / "docs" / "policies.md", tmp_path / "work"
    assert main(["policies", str(folder), "--seeds", "3", "--work", str(work), "--write", str(out),
                 "--commsim", str(binary), "--metric", "work_orders_open_end", "--metric", "trust_final", "-q"]) == 0
    text = out.read_text(encoding="utf-8")
    assert f"analysis policies {folder} --seeds 3" in text and "seeds 1..3, over 30 days" in text
    assert "## staffing" in text and "## volunteers_none" in text
    assert "`staffing_18_per_10k.yaml`: `staffing.full_time_per_10k: 18` (base: the level the base scenario has)" in text
    assert "(base: the scenario the policy file extends)" in text  # the lone file against base.yaml

    def values(stem):
        return np.array([float(read_run(work / f"{stem}_seed{s}.h5").summary["work_orders_open_end"].values)
                         for s in (1, 2, 3)])

    base, fewer = values("staffing_18_per_10k"), values("staffing_6_per_10k")
    staffing = text.split("## staffing")[1].split("## ")[0]
    row = next(line for line in staffing.splitlines() if line.startswith("| `work_orders_open_end`"))
    cells = [c.strip().strip("*") for c in row.split("|")[2:-1]]
    assert float(cells[0].replace(",", "")) == pytest.approx(base.mean(), rel=1e-3)
    difference = float(cells[1].split(" [")[0].replace(",", ""))
    assert difference == pytest.approx((fewer - base).mean(), rel=1e-3, abs=1e-9)
