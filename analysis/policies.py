"""The policy table (docs/policies.md): every lever of scenarios/policies/, each level run with the
same seeds as its lever's base level, and the paired difference of the key outcomes with its 95% CI.

    python3 -m analysis policies scenarios/policies --seeds 5 --write docs/policies.md

Policy files are named `<lever>_<level>.yaml` and change only their lever. Files are grouped into
levers by name and by what they set: files whose names share their first word and whose changed
keys overlap are levels of one lever (council_weekly, council_monthly: `councils.calendar`), named
by the longest common start of their names (burden_reduction_off, _on: `burden_reduction`); files
that share the first word but set different keys are different levers (staffing_24_per_10k and a
staffing_allocation_even). The base level is the one that leaves the lever's keys as the base
scenario has them, else a level named off or none, else the first in natural order. Every level
runs with seeds 1..n, so replication s of every arm has the same residents and the same needs on
the same days (common random numbers) and the differences are paired by seed
(analysis.stats.paired_difference). A new policy file is picked up without a code change.
"""

from __future__ import annotations

import re
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from .load import read_run
from .numbers import format_number
from .outcomes import (
    describe_outcome,
    machine,
    outcome_available,
    outcome_values,
    require_outcomes,
    run_rows,
    write_markdown,
)
from .progress import Progress
from .stats import mean_ci, paired_difference

# The key outcomes of the table; of each tuple the first the runs hold is used (so the table
# follows metrics other work renames or adds); --metric replaces the list.
OUTCOME_CHOICES = (
    ("closure_rate_left_grid", "closure_rate_escalated", "closure_rate"),
    ("closure_rate",),
    ("time_to_resolution_mean",),
    ("commitment_breaches",),
    ("work_orders_open_end",),
    ("needs_hidden_end",),
    ("sense_of_gain_final",),
    ("trust_final",),
    ("belonging_final",),
    ("maxabs(wellbeing_gap_final)",),
    ("intergroup_attitude_final",),
)


def _flatten(node, prefix: str = "") -> dict:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            out.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix: node}


def scenario_settings(path: Path) -> dict:
    """The keys a scenario file sets itself (a list counts as one key), `extends` left out."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of scenario keys")
    return {k: v for k, v in _flatten(data).items() if k != "extends"}


def scenario_keys(path: Path) -> set[str]:
    return set(scenario_settings(path))


def base_scenario(path: Path) -> Path:
    """The scenario a policy file extends (resolved against its folder), or the file itself."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    extends = data.get("extends") if isinstance(data, dict) else None
    return (Path(path).parent / extends).resolve() if extends else Path(path).resolve()


def _natural(name: str):
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def _common_start(names: list[str]) -> str:
    words = [n.split("_") for n in names]
    common = []
    for parts in zip(*words):
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    return "_".join(common)


@dataclass
class Lever:
    name: str
    files: list[Path]  # in natural order of their names
    keys: list[str]  # every key a level sets
    base: Path | None = None
    base_reason: str = ""
    settings: dict[Path, dict] = field(default_factory=dict)

    def level(self, path: Path) -> str:
        stem = path.stem
        if path == self.base and self.settings.get(path) == {}:
            return f"{stem} (base scenario)"
        return stem[len(self.name) + 1:] if stem.startswith(self.name + "_") and len(self.files) > 1 else stem


def levers(folder: Path) -> list[Lever]:
    """The policy files of `folder`, grouped into levers (see the module's docstring)."""
    files = sorted(Path(folder).glob("*.yaml"), key=lambda p: _natural(p.stem))
    if not files:
        raise ValueError(f"{folder}: no policy scenarios (*.yaml)")
    settings = {f: scenario_settings(f) for f in files}
    by_word: dict[str, list[Path]] = {}
    for f in files:
        by_word.setdefault(f.stem.split("_", 1)[0], []).append(f)
    result = []
    for group in by_word.values():
        # Connected components of "sets a key the other sets" within one first word.
        components: list[list[Path]] = []
        for f in group:
            touching = [c for c in components if any(set(settings[f]) & set(settings[g]) for g in c)]
            merged = [f] + [g for c in touching for g in c]
            components = [c for c in components if c not in touching] + [merged]
        for component in components:
            component.sort(key=lambda p: _natural(p.stem))
            name = _common_start([p.stem for p in component]) if len(component) > 1 else component[0].stem
            if len(component) > 1 and not name:
                name = component[0].stem.split("_", 1)[0]
            keys = sorted({k for f in component for k in settings[f]})
            result.append(Lever(name, component, keys, settings={f: settings[f] for f in component}))
    return sorted(result, key=lambda lever: _natural(lever.name))


def _value_at(tree, key: str):
    node = tree
    for part in key.split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def _same(a, b) -> bool:
    try:
        return float(a) == float(b)
    except (TypeError, ValueError):
        return str(a) == str(b)


def choose_base(lever: Lever, base_resolved: dict[Path, dict]) -> None:
    """Sets lever.base: the level that leaves every key it sets at the base scenario's value, else
    a level named off or none, else the first."""
    for f in lever.files:
        resolved = base_resolved.get(base_scenario(f))
        if resolved is not None and all(_same(v, _value_at(resolved, k)) for k, v in lever.settings[f].items()):
            lever.base, lever.base_reason = f, "the level the base scenario has"
            return
    for f in lever.files:
        if lever.level(f) in ("off", "none", "0"):
            lever.base, lever.base_reason = f, "the lever off (no level equals the base scenario)"
            return
    lever.base, lever.base_reason = lever.files[0], "the first level (no level equals the base scenario)"


def _commsim(binary: str, *args: str) -> None:
    done = subprocess.run([binary, *args, "--quiet"], capture_output=True, text=True)
    if done.returncode != 0:
        raise ValueError(f"commsim {' '.join(args)} failed (exit {done.returncode}): {done.stderr.strip()}")


def resolved_scenario(binary: str, scenario: Path, folder: Path) -> dict:
    """A scenario with every default filled in, as the run's provenance records it (a one-day run)."""
    out = folder / f"resolved_{scenario.stem}.h5"
    _commsim(binary, "run", str(scenario), "-o", str(out), "--days", "1", "--threads", "1")
    return yaml.safe_load(read_run(out).provenance.get("scenario_resolved", "")) or {}


@dataclass
class PolicyRuns:
    levers: list[Lever]
    rows: pd.DataFrame  # file, seed, one column per summary field
    summaries: dict
    seeds: list[int]
    days: int | None


def run_policies(folder: Path, seeds: int, binary: str, work: Path, jobs: int = 2, days: int | None = None,
                 progress: Progress | None = None) -> PolicyRuns:
    """Runs every level of every lever with seeds 1..`seeds` into `work` (one thread a run, `jobs` at once)."""
    found = levers(folder)
    work = Path(work)
    work.mkdir(parents=True, exist_ok=True)
    bases = sorted({base_scenario(f) for lever in found for f in lever.files})
    base_resolved = {b: resolved_scenario(binary, b, work) for b in bases}
    for lever in found:
        if len(lever.files) == 1:
            # A lone policy file is compared with the scenario it changes.
            base = base_scenario(lever.files[0])
            lever.files.insert(0, base)
            lever.settings[base] = {}
            lever.base, lever.base_reason = base, "the scenario the policy file extends"
        else:
            choose_base(lever, base_resolved)
    if progress:
        progress.stage(f"running {sum(len(lever.files) for lever in found)} levels x {seeds} seeds")
    seed_list = list(range(1, seeds + 1))
    # A file that is a level of two levers (a base scenario) runs once.
    tasks = list(dict.fromkeys((f, s) for lever in found for f in lever.files for s in seed_list))
    extra = ["--days", str(days)] if days else []

    def one(task):
        f, s = task
        out = work / f"{f.stem}_seed{s}.h5"
        _commsim(binary, "run", str(f), "-o", str(out), "--seed", str(s), "--threads", "1", *extra)
        return f, s, out

    outputs = []
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for i, result in enumerate(pool.map(one, tasks), start=1):
            outputs.append(result)
            if progress:
                progress.tick(i, len(tasks))
    runs = [read_run(out) for _, _, out in outputs]
    rows = run_rows(runs)
    rows.insert(0, "file", [str(f) for f, _, _ in outputs])
    rows.insert(1, "seed", [s for _, s, _ in outputs])
    rows.insert(2, "days", [run.days for run in runs])
    return PolicyRuns(found, rows, runs[0].summary if runs else {}, seed_list, days)


def default_outcomes(rows: pd.DataFrame, summaries: dict) -> list[str]:
    chosen = []
    for choices in OUTCOME_CHOICES:
        found = next((o for o in choices if outcome_available(rows, summaries, o)), None)
        if found and found not in chosen:
            chosen.append(found)
    return chosen


def policy_differences(result: PolicyRuns, outcomes: list[str]) -> pd.DataFrame:
    """Per lever, level and outcome: base mean, level mean, paired difference and its 95% CI."""
    values = {o: outcome_values(result.rows, result.summaries, o) for o in outcomes}
    records = []
    for lever in result.levers:
        base_rows = result.rows["file"] == str(lever.base)
        for f in lever.files:
            if f == lever.base:
                continue
            rows = result.rows["file"] == str(f)
            for o in outcomes:
                base = pd.Series(values[o][base_rows].to_numpy(), index=result.rows.loc[base_rows, "seed"])
                level = pd.Series(values[o][rows].to_numpy(), index=result.rows.loc[rows, "seed"])
                d = paired_difference(level, base)
                records.append({"lever": lever.name, "base": lever.level(lever.base), "level": lever.level(f),
                                "outcome": o, "base_mean": mean_ci(base).mean, "level_mean": mean_ci(level).mean,
                                "difference": d.mean, "low": d.low, "high": d.high, "n": d.n,
                                "beyond_noise": d.beyond_noise})
    return pd.DataFrame(records)


def _signed(x: float) -> str:
    text = format_number(x)
    return text if text.startswith("-") or text in ("0", "–") else "+" + text


def _settings_text(settings: dict) -> str:
    return ", ".join(f"`{k}: {v}`" for k, v in settings.items()) or "nothing (the base scenario)"


def policies_markdown(result: PolicyRuns, outcomes: list[str], command: str, machine: str, wall: float,
                      folder: Path) -> str:
    table = policy_differences(result, outcomes)
    base_values = {o: outcome_values(result.rows, result.summaries, o) for o in outcomes}
    days = ", ".join(f"{d} days" for d in sorted(set(result.rows["days"])))
    lines = [
        "# Policy levers: paired differences against each lever's base level",
        "",
        f"Generated by `{command}`; do not edit by hand.",
        "",
        f"Every file of `{folder}` is a level of a lever (files `<lever>_<level>.yaml`, grouped by name and by the "
        f"keys they set; see `analysis/policies.py`). Each level ran {len(result.seeds)} times, seeds "
        f"{result.seeds[0]}..{result.seeds[-1]}, over {days}; seed s of every level has the same residents and the "
        "same needs on the same days (common random numbers), so each cell is the mean over seeds of (level - base) "
        "within a seed, with a Student-t 95% CI on those paired differences (`analysis.stats.paired_difference`). "
        "**Bold**: the CI excludes 0 (beyond seed noise). The base column gives the base level's mean over the seeds.",
        "",
        f"{len(result.rows)} runs in {wall:,.0f} s of wall time; machine: {machine}.",
        "",
        "Outcomes:",
        "",
    ]
    lines += [f"- `{o}`: {describe_outcome(result.summaries, o)}" for o in outcomes]
    for lever in result.levers:
        lines += ["", f"## {lever.name}", ""]
        for f in lever.files:
            mark = " (base: " + lever.base_reason + ")" if f == lever.base else ""
            lines.append(f"- `{f.name}`: {_settings_text(lever.settings[f])}{mark}")
        others = [f for f in lever.files if f != lever.base]
        lines += ["", f"| outcome | {lever.level(lever.base)} (base): mean | "
                  + " | ".join(f"{lever.level(f)} − base [95% CI]" for f in others) + " |",
                  "|---|---|" + "---|" * len(others)]
        base_rows = result.rows["file"] == str(lever.base)
        for o in outcomes:
            cells = [format_number(mean_ci(base_values[o][base_rows]).mean)]
            for f in others:
                row = table[(table["lever"] == lever.name) & (table["level"] == lever.level(f)) & (table["outcome"] == o)]
                r = row.iloc[0]
                text = f"{_signed(r['difference'])} [{format_number(r['low'])}, {format_number(r['high'])}]"
                cells.append(f"**{text}**" if r["beyond_noise"] else text)
            lines.append(f"| `{o}` | " + " | ".join(cells) + " |")
    lines += ["", "## To regenerate", "", "```sh", command, "```", ""]
    return "\n".join(lines)


def write_policies(folder: Path, seeds: int, binary: str, work: Path, output: Path, outcomes: list[str] | None,
                   command: str, jobs: int = 2, days: int | None = None, progress: Progress | None = None,
                   started: float | None = None) -> Path:
    started = time.monotonic() if started is None else started
    result = run_policies(folder, seeds, binary, work, jobs, days, progress)
    outcomes = outcomes or default_outcomes(result.rows, result.summaries)
    require_outcomes(result.rows, result.summaries, outcomes, str(folder))
    text = policies_markdown(result, outcomes, command, machine(), time.monotonic() - started, folder)
    return write_markdown(output, text)
