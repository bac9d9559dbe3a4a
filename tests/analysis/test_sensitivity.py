"""The sensitivity study: the design read off the schema (which parameters, which ranges), the
shipped sweep file against the built binary, and docs/sensitivity.md from a Saltelli sweep whose
true indices are known (synthetic.py)."""

from __future__ import annotations

import re
import subprocess

import pytest

import real
from analysis.__main__ import main
from analysis.sensitivity import (
    default_outcomes,
    is_assumption,
    parse_schema_markdown,
    select_parameters,
    sensitivity_markdown,
)
from synthetic import SALTELLI_PARAMETERS

# The table as `commsim schema` printed it before sources had a column ...
OLD_TABLE = """# Scenario reference

| key | type | default | unit | range | meaning |
|---|---|---|---|---|---|
| **`casework`** | section |  |  |  | Work orders. |
| `casework.community_resolution` | number | `0.7` | probability | [0, 1] | Probability the community resolves an escalated order. |
| `casework.department_response` | number | `0.3` | probability | [0, 1] | Probability a department solves it. Source: [002] whistles; calibrated to [001] Huairen. |
| `casework.max_whistles` | integer | `2` |  | [1, 100] | Whistle rounds. Source: assumption; calibrated with department_response. |
| `casework.on_the_spot` | list of number | `[0.95, 0.75, 0.5]` |  | [3, 3] | Probability a grid worker resolves a minor, moderate, serious order on the spot. Source: [002] 'small matters stay in the grid'. |
| `casework.sizes` | number | `12` |  | [1, 50] | Households per stairwell \\| floors x doors. Source: [003] Jinhuayuan. |
| `staffing.full_time_per_10k` | number | `18` |  | [0, 1000] | Full-time workers. Source: assumption: a lever. |
| `staffing.hours_per_day` | number | `8` | hours | [0.1, 24] | Working hours. |
| `wellbeing.initial_spread` | number | `0` |  | [0, 0.5] | Initial spread. |
| `needs.types[].rate` | number | required |  | [0, 365] | Base rate. |
| `community.households` | integer | `5025` |  | [1, 1e+07] | Households. |
"""

# ... and with its own source column (seeds' schema change for issue #12).
NEW_TABLE = """| key | type | default | unit | range | meaning | source |
|---|---|---|---|---|---|---|
| **`casework`** | section |  |  |  | Work orders. |  |
| `casework.community_resolution` | number | `0.7` | probability | [0, 1] | Probability the community resolves. | assumption: no figure in the seeds |
| `casework.follow_up_days` | number | `7` | days | [0, 365] | Days to follow-up. | [002] follow-up of whistled matters |
"""


def test_schema_table_read_in_either_layout():
    old = {k.key: k for k in parse_schema_markdown(OLD_TABLE)}
    assert old["casework.community_resolution"].source == ""
    assert old["casework.department_response"].source == "[002] whistles; calibrated to [001] Huairen"
    assert old["casework.department_response"].meaning == "Probability a department solves it."
    assert old["casework.max_whistles"].range == (1.0, 100.0)
    assert old["casework.sizes"].meaning.startswith("Households per stairwell | floors")  # an escaped pipe
    new = {k.key: k for k in parse_schema_markdown(NEW_TABLE)}
    assert new["casework.community_resolution"].source == "assumption: no figure in the seeds"
    assert new["casework.follow_up_days"].source == "[002] follow-up of whistled matters"
    assert "casework" not in new  # section rows are not keys
    with pytest.raises(ValueError, match="commsim schema"):
        parse_schema_markdown("no table here")


def test_assumption_means_assumed_or_unsourced():
    assert is_assumption("") and is_assumption("assumption: why") and is_assumption("[002] ...; the rate is an assumption")
    assert is_assumption("length assumed")
    assert not is_assumption("[003] Jinhuayuan: 5,025 households")


def test_parameters_chosen_and_ranges_explained():
    keys = parse_schema_markdown(OLD_TABLE)
    chosen, left_out = select_parameters(keys, levers={"staffing.full_time_per_10k"},
                                         include=("casework.department_response", "casework.on_the_spot"))
    by_key = {p.key: p for p in chosen}
    # An unsourced probability: x0.5-x2, clipped to its schema range.
    resolution = by_key["casework.community_resolution"]
    assert (resolution.low, resolution.high) == (0.35, 1.0) and "clipped" in resolution.how
    # An integer: whole bounds.
    assert (by_key["casework.max_whistles"].low, by_key["casework.max_whistles"].high) == (1, 4)
    # A list of probabilities: one parameter per element, each kept in [0, 1] although the schema's
    # range of a list is its length.
    assert [by_key[f"casework.on_the_spot.{i}"].high for i in range(3)] == [1.0, 1.0, 1.0]
    assert by_key["casework.on_the_spot.2"].low == 0.25
    # A default of 0 takes the schema range when it is narrow.
    assert (by_key["wellbeing.initial_spread"].low, by_key["wellbeing.initial_spread"].high) == (0.0, 0.5)
    assert "casework.department_response" in by_key  # sourced but named as a knee: included
    assert "casework.sizes" not in by_key  # sourced from a seed document
    assert "needs.types[].rate" not in by_key and "community.households" not in by_key  # outside the study
    reasons = dict(left_out)
    assert reasons["staffing.full_time_per_10k"].startswith("a policy lever")
    assert "labour-law" in reasons["staffing.hours_per_day"]


def test_shipped_sweep_file_is_valid_and_sized_as_it_says():
    """scenarios/sweeps/sensitivity.yaml passes `commsim sweep --dry-run` (every point validated) and
    its header's run count is the design's. Regenerate it (analysis sensitivity-design) when this fails
    after a schema change."""
    path = real.ROOT / "scenarios" / "sweeps" / "sensitivity.yaml"
    done = subprocess.run([str(real.commsim_binary()), "sweep", str(path), "--dry-run"], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    text = path.read_text(encoding="utf-8")
    k = len(re.findall(r"^  \S+: \{min: ", text, re.MULTILINE))
    n = int(re.search(r"^samples: (\d+)$", text, re.MULTILINE)[1])
    replications = int(re.search(r"^replications: (\d+)$", text, re.MULTILINE)[1])
    assert f"k = {k} parameters, N = {n} rows" in text
    assert f"= {n * (k + 2) * replications} baseline years" in text


def test_sensitivity_table_ranks_the_known_indices(saltelli_file):
    """closure = 4 x1 + 2 x2 (+ common noise): ST 0.8, 0.2, 0; trust_final/Han = x3."""
    text = sensitivity_markdown(saltelli_file, ["closure_rate", "trust_final/Han"], "CMD", "SWEEP", bootstrap=100)
    assert "Generated by `CMD` from the sweep `SWEEP`" in text
    names = list(SALTELLI_PARAMETERS)
    closure = text.split("## `closure_rate`")[1].split("## `trust_final/Han`")[0]
    ranks = re.findall(r"^\| (\d) \| `([^`]+)` \| [^|]+ \| ([-\d.]+) \[", closure, re.MULTILINE)
    assert [name for _, name, _ in ranks] == names
    assert abs(float(ranks[0][2]) - 0.8) < 0.1 and abs(float(ranks[1][2]) - 0.2) < 0.1
    assert abs(float(ranks[2][2])) < 0.05
    trust = text.split("## `trust_final/Han`")[1]
    assert re.search(rf"^\| 1 \| `{re.escape(names[2])}` \|", trust, re.MULTILINE)


def test_sensitivity_command_writes_the_file(saltelli_file, tmp_path):
    out = tmp_path / "docs" / "sensitivity.md"
    assert main(["sensitivity", str(saltelli_file), "--write", str(out), "--metric", "closure_rate",
                 "--bootstrap", "50", "--label", "A smaller run", "-q"]) == 0
    text = out.read_text(encoding="utf-8")
    assert "**A smaller run**" in text and f"analysis sensitivity {saltelli_file}" in text
    assert not list(tmp_path.glob("docs/*.tmp"))
    # An outcome the runs do not hold is an error naming it, and nothing is written.
    assert main(["sensitivity", str(saltelli_file), "--write", str(tmp_path / "x.md"), "--metric", "nope", "-q"]) == 2
    assert not (tmp_path / "x.md").exists()


def test_default_outcomes_take_what_the_runs_hold(saltelli_file):
    from analysis import read_sweep

    assert default_outcomes(read_sweep(saltelli_file)) == ["closure_rate"]

