"""The global sensitivity study of the baseline: the Saltelli sweep over the scenario's assumption
parameters (scenarios/sweeps/sensitivity.yaml) and the table of its Sobol indices
(docs/sensitivity.md).

    python3 -m analysis sensitivity-design --write scenarios/sweeps/sensitivity.yaml
    commsim sweep scenarios/sweeps/sensitivity.yaml -o results/sensitivity.h5 --threads 2
    python3 -m analysis sensitivity results/sensitivity.h5 --write docs/sensitivity.md

The design is read off the schema (`commsim schema`, the table of every key with its source), so it
follows the model when parameters are added, renamed or given a source: a parameter is in the study
when it is a number of a section that moves casework or well-being, its source is an assumption
(or it has none yet), and it is not a policy lever (a key a file of scenarios/policies/ sets).
"""

from __future__ import annotations

import math
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from .load import read_sweep
from .numbers import format_number
from .outcomes import describe_outcome, machine, outcome_available, outcome_values, require_outcomes, write_markdown
from .stats import saltelli_matrices, sobol_indices

ROOT = Path(__file__).resolve().parents[1]

# Sections whose parameters move casework (reporting, staff, escalation, volunteers) or well-being.
SECTIONS = ("reporting", "staffing", "organisation", "volunteers", "casework", "wellbeing")
# Keys of other sections that change well-being directly or the needs' arrival (a council fix's
# lifetime and the share of the rate it takes off), and knees issue #12 names although their
# source says "calibrated" (the calibration compared different quantities, issue #12 item 4).
INCLUDE = ("councils.trust_gain", "topics.fix_lifetime_days", "topics.fix_rate_reduction",
           "casework.department_response", "casework.on_the_spot")
# Numbers of those sections that are not knees of the model, with the reason.
EXCLUDE = {
    "staffing.hours_per_day": "the 8-hour working day, a labour-law standard",
    "staffing.days_per_week": "the 5-day working week, a labour-law standard",
    "volunteers.min_age": "adulthood, a definition",
}
# Ranges other than x0.5-x2 of the default: (low factor, high factor, why).
FACTORS = {
    key: (0.5, 1.4, "x0.5-x1.4: patrol, paperwork and training hours must fit in the 8-hour day together")
    for key in ("staffing.patrol_hours", "staffing.paperwork_hours", "staffing.training_hours")
}
# Keys whose default is a sentinel (-1: derived): (min, max, why).
RANGES = {
    "casework.community_capacity_hours": (
        14.0, 56.0, "x0.5-x2 of the 28 h a day its default (-1) gives the baseline: 7 centre workers x 8 h / 2"),
    "volunteers.max_age": (70, 90, "ages 70-90: x0.5-x2 would reach 40 and 160"),
}
FACTOR = (0.5, 2.0)

# The outcomes of docs/sensitivity.md (issue #12): closure, time to resolution, trust and the
# largest group gap. The first of each pair that the runs hold is used; --metric replaces them.
OUTCOME_CHOICES = (
    ("closure_rate_left_grid", "closure_rate_escalated", "closure_rate"),
    ("time_to_resolution_mean",),
    ("trust_final",),
    ("maxabs(wellbeing_gap_final)",),
)


@dataclass
class SchemaKey:
    key: str
    type: str
    default: str
    range: tuple[float, float] | None
    meaning: str
    source: str
    unit: str = ""


@dataclass
class StudyParameter:
    key: str
    default: float
    low: float
    high: float
    integer: bool
    how: str
    source: str


def _cells(line: str) -> list[str]:
    """The cells of a Markdown table row, `\\|` kept inside a cell."""
    parts = re.split(r"(?<!\\)\|", line.strip())[1:-1]
    return [p.strip().replace("\\|", "|") for p in parts]


def parse_schema_markdown(text: str) -> list[SchemaKey]:
    """Every key of `commsim schema`'s table. The source is its own column when the table has one,
    else the `Source: ...` sentence at the end of the meaning."""
    header: list[str] | None = None
    keys = []
    for line in text.splitlines():
        if not line.startswith("|"):
            continue
        cells = _cells(line)
        if header is None:
            header = [c.lower() for c in cells]
            continue
        if not cells or not cells[0].startswith("`"):
            continue  # the rule below the header, section rows (**`run`**)
        row = dict(zip(header, cells))
        meaning = row.get("meaning", "")
        source = row.get("source")
        if source is None:
            found = re.search(r"\s*Source: (.*?)\.?$", meaning)
            source = found.group(1) if found else ""
            meaning = meaning[: found.start()] if found else meaning
        bounds = re.fullmatch(r"\[(\S+), (\S+)\]", row.get("range", ""))
        keys.append(SchemaKey(key=cells[0].strip("`"), type=row.get("type", ""), default=row.get("default", "").strip("`"),
                              range=(float(bounds[1]), float(bounds[2])) if bounds else None, meaning=meaning,
                              source=source.strip(), unit=row.get("unit", "")))
    if header is None or "key" not in header:
        raise ValueError("not the output of `commsim schema`: no table with a key column")
    return keys


def is_assumption(source: str) -> bool:
    """A source that says the value is assumed, or no source at all (before every key had one)."""
    return not source or bool(re.search(r"\bassum", source, re.IGNORECASE))


def _is_probability(k: SchemaKey) -> bool:
    return k.unit.lower() in ("probability", "share") or k.meaning.lower().startswith("probability")


def policy_keys(folder: Path) -> set[str]:
    """Every key a policy scenario sets: the levers, studied in docs/policies.md, not here."""
    from .policies import scenario_keys

    return {k for path in sorted(folder.glob("*.yaml")) for k in scenario_keys(path)}


def _study_range(key: str, default: float, bounds: tuple[float, float] | None, integer: bool):
    """(low, high, how chosen) of one parameter, or None with no range to vary over."""
    if key in RANGES:
        low, high, how = RANGES[key]
        return low, high, how
    if default == 0:
        if bounds and bounds[1] <= 1:
            return bounds[0], bounds[1], f"the schema range [{format_number(bounds[0])}, {format_number(bounds[1])}] (default 0)"
        return None
    if default < 0:
        return None  # a sentinel (-1: derived) without an entry in RANGES
    low_factor, high_factor, how = FACTORS.get(key, (*FACTOR, "x0.5-x2 of the default"))
    low, high = default * low_factor, default * high_factor
    if integer:
        low, high = math.floor(low), math.ceil(high)
    if bounds:
        clipped = low < bounds[0] or high > bounds[1]
        low, high = max(low, bounds[0]), min(high, bounds[1])
        if clipped:
            how += f", clipped to the schema range [{format_number(bounds[0])}, {format_number(bounds[1])}]"
    if integer and low == 0 and default >= 1:
        low = 1
    return (low, high, how) if low < high else None


def select_parameters(keys: list[SchemaKey], levers: set[str], sections=SECTIONS, include=INCLUDE,
                      exclude=EXCLUDE) -> tuple[list[StudyParameter], list[tuple[str, str]]]:
    """The study's parameters, and the candidates left out with the reason."""
    chosen, left_out = [], []
    for k in keys:
        if "[]" in k.key:
            continue  # fields of list elements (need types, teams): one per element, not a knee each
        wanted = k.key.split(".", 1)[0] in sections or k.key in include
        numeric = k.type in ("number", "integer", "list of number")
        if not (wanted and numeric):
            continue
        if not is_assumption(k.source) and k.key not in include:
            continue
        if k.key in exclude:
            left_out.append((k.key, exclude[k.key]))
            continue
        if k.key in levers or "(policy)" in k.meaning or "policy lever" in k.meaning.lower():
            left_out.append((k.key, "a policy lever (docs/policies.md)"))
            continue
        if k.type == "list of number":
            values = yaml.safe_load(k.default) if k.default.startswith("[") else []
            elements = [(f"{k.key}.{i}", float(v)) for i, v in enumerate(values)]
            if not elements:
                left_out.append((k.key, "an empty list by default"))
        else:
            try:
                elements = [(k.key, float(k.default))]
            except ValueError:
                left_out.append((k.key, f"no numeric default ({k.default})"))
                continue
        for key, default in elements:
            # A list's schema range is its length, not its values' range; a probability stays in [0, 1].
            bounds = None if k.type == "list of number" else k.range
            if bounds is None and _is_probability(k):
                bounds = (0.0, 1.0)
            found = _study_range(key, default, bounds, k.type == "integer")
            if found is None:
                left_out.append((key, f"no range to vary over around its default {format_number(default)}"))
                continue
            low, high, how = found
            chosen.append(StudyParameter(key, default, low, high, k.type == "integer", how, k.source or "none"))
    return chosen, left_out


def sweep_yaml(parameters: list[StudyParameter], left_out: list[tuple[str, str]], samples: int,
               replications: int, seed: int, command: str, seconds_per_run: float = 0.55) -> str:
    k = len(parameters)
    runs = samples * (k + 2) * replications
    cpu = runs * seconds_per_run
    lines = [
        "# Global sensitivity of the baseline: a Saltelli design over every scenario parameter whose",
        "# source is an assumption and that moves casework or well-being (issue #12). Generated by",
        f"#   {command}",
        "# from `commsim schema`; regenerate it after the schema changes rather than editing it.",
        "#",
        f"# k = {k} parameters, N = {samples} rows: N x (k + 2) = {samples * (k + 2)} points x {replications} "
        f"replications = {runs} baseline years.",
        f"# Runtime: `commsim validate scenarios/baseline.yaml` estimates {seconds_per_run:g} s a run",
        f"# on one thread, so about {cpu / 60:.0f} CPU minutes: about {cpu / 120:.0f} min on 2 free cores.",
        "# Run it with",
        "#   commsim sweep scenarios/sweeps/sensitivity.yaml -o results/sensitivity.h5 --threads 2",
        "#   /usr/bin/python3 -m analysis sensitivity results/sensitivity.h5 --write docs/sensitivity.md",
        "#",
        "# Ranges: x0.5-x2 of the default unless the comment says otherwise; common seeds, so",
        "# replication r of every point shares its residents and needs and the seed noise largely",
        "# cancels between the points of one Saltelli row.",
    ]
    if left_out:
        lines.append("# Left out:")
        lines += [f"#   {key}: {why}" for key, why in left_out]
    lines += ["base: ../baseline.yaml", f"seed: {seed}", f"replications: {replications}", "seeds: common",
              "design: saltelli", f"samples: {samples}", "parameters:"]
    for p in parameters:
        lines.append(f"  # default {format_number(p.default)}; {p.how}; source: {p.source}")
        lines.append(f"  {p.key}: {{min: {_yaml_number(p.low, p.integer)}, max: {_yaml_number(p.high, p.integer)}}}")
    return "\n".join(lines) + "\n"


def _yaml_number(x: float, integer: bool) -> str:
    return str(int(round(x))) if integer else f"{x:.6g}"


def commsim_schema(binary: str) -> str:
    return subprocess.run([binary, "schema"], check=True, capture_output=True, text=True).stdout


def run_seconds(binary: str, scenario: Path) -> float:
    """CPU seconds of one run of `scenario` as `commsim validate` estimates them (the README's
    0.55 s a baseline year when the estimate cannot be read)."""
    done = subprocess.run([binary, "validate", str(scenario)], capture_output=True, text=True)
    found = re.search(r"([\d.]+) s on one thread", done.stdout + done.stderr)
    return float(found[1]) if found else 0.55


def write_design(binary: str, output: Path, samples: int, replications: int, seed: int, command: str,
                 policies: Path = ROOT / "scenarios" / "policies") -> tuple[Path, int]:
    keys = parse_schema_markdown(commsim_schema(binary))
    seconds = run_seconds(binary, ROOT / "scenarios" / "baseline.yaml")
    parameters, left_out = select_parameters(keys, policy_keys(policies))
    if not parameters:
        raise ValueError("the schema marks no parameter of the studied sections as an assumption")
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(sweep_yaml(parameters, left_out, samples, replications, seed, command, seconds), encoding="utf-8")
    return output, len(parameters)


# ---- the table of Sobol indices ------------------------------------------------------------


def default_outcomes(sweep) -> list[str]:
    chosen = []
    for choices in OUTCOME_CHOICES:
        found = next((o for o in choices if outcome_available(sweep.summary, sweep.summaries, o)), None)
        if found:
            chosen.append(found)
    return chosen


def sobol_tables(sweep, outcomes: list[str], bootstrap: int = 500) -> pd.DataFrame:
    """Sobol indices of every outcome: metric, parameter, S1, ST and their CIs."""
    tables = []
    for outcome in outcomes:
        values = outcome_values(sweep.summary, sweep.summaries, outcome)
        # Each point's output is its mean over replications, as sweep_sobol takes it.
        means = values.groupby(sweep.summary["point"]).mean()
        f_a, f_b, f_ab = saltelli_matrices(sweep.points, means, len(sweep.parameters))
        with np.errstate(invalid="ignore", divide="ignore"):  # an outcome no parameter moves: NaN indices
            table = sobol_indices(f_a, f_b, f_ab, sweep.parameters, bootstrap=bootstrap)
        table.insert(0, "metric", outcome)
        tables.append(table)
    return pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()


def _ci(value: float, low: float, high: float) -> str:
    return f"{value:.3f} [{low:.3f}, {high:.3f}]"


def design_ranges(sweep_text: str) -> dict[str, tuple[float, float]]:
    """Each parameter's {min, max} as the sweep file gives it (the file is in the provenance)."""
    try:
        parameters = (yaml.safe_load(sweep_text) or {}).get("parameters") or {}
        return {k: (float(v["min"]), float(v["max"])) for k, v in parameters.items()}
    except (yaml.YAMLError, AttributeError, KeyError, TypeError, ValueError):
        return {}


def sensitivity_markdown(path: Path, outcomes: list[str] | None, command: str, sweep_command: str,
                         label: str = "", bootstrap: int = 500) -> str:
    sweep = read_sweep(path)
    if sweep.design != "saltelli":
        raise ValueError(f"{path}: a {sweep.design} sweep; the Sobol indices need a saltelli design")
    outcomes = outcomes or default_outcomes(sweep)
    require_outcomes(sweep.summary, sweep.summaries, outcomes, str(path))
    table = sobol_tables(sweep, outcomes, bootstrap)
    ranges = design_ranges(sweep.provenance.get("sweep_text", ""))
    provenance = sweep.provenance
    k, n = len(sweep.parameters), int(sweep.attrs.get("saltelli_n", 0))
    replications = int(sweep.attrs.get("replications", 1))
    wall = float(provenance.get("wall_seconds", float("nan")))
    lines = [
        "# Global sensitivity of the baseline",
        "",
        f"Generated by `{command}` from the sweep `{sweep_command}`; do not edit by hand.",
    ]
    if label:
        lines += ["", f"**{label}**"]
    lines += [
        "",
        f"A Saltelli design over the k = {k} parameters of `scenarios/sweeps/sensitivity.yaml` (every scenario number "
        "of the casework and well-being sections whose source is an assumption; the file gives each range and why): "
        f"N = {n} rows, N x (k + 2) = {n * (k + 2)} points, {replications} replication(s) each with common seeds, "
        f"{len(sweep.summary)} runs. Each point's output is its mean over the replications. First-order (S1, "
        "Saltelli 2010) and total (ST, Jansen 1999) indices as in `analysis/stats.py`, with 95% bootstrap intervals "
        f"over the N rows ({bootstrap} resamples). ST is the share of the output's variance that goes away when the "
        "parameter is known, its interactions included; a parameter with ST near 0 can be fixed anywhere in its range. "
        "With a small N the intervals are wide and an index may fall below 0 or above 1: rank by ST and read the "
        "intervals.",
        "",
        f"Commit {provenance.get('git_commit', 'unknown')}, commsim {provenance.get('commsim_version', '?')} "
        f"({provenance.get('build_type', '?')}); the sweep took {wall:,.0f} s of wall time on "
        f"{provenance.get('threads', '?')} threads; machine: {machine()}.",
        "",
        "## Total indices, every outcome",
        "",
        "Parameters ranked by their largest ST over the outcomes.",
        "",
    ]
    wide = table.pivot(index="parameter", columns="metric", values="ST")[outcomes]
    order = wide.max(axis=1).sort_values(ascending=False).index
    lines.append("| parameter | " + " | ".join(f"ST `{o}`" for o in outcomes) + " |")
    lines.append("|---|" + "---|" * len(outcomes))
    for parameter in order:
        cells = [f"{wide.loc[parameter, o]:.3f}" for o in outcomes]
        lines.append(f"| `{parameter}` | " + " | ".join(cells) + " |")
    for outcome in outcomes:
        part = table[table["metric"] == outcome].sort_values("ST", ascending=False)
        values = outcome_values(sweep.summary, sweep.summaries, outcome)
        lines += [
            "",
            f"## `{outcome}`",
            "",
            f"{describe_outcome(sweep.summaries, outcome)}. Over the runs: mean {format_number(values.mean())}, "
            f"from {format_number(values.min())} to {format_number(values.max())}.",
            "",
            "| rank | parameter | range (the design's) | ST [95% CI] | S1 [95% CI] |",
            "|---|---|---|---|---|",
        ]
        for rank, row in enumerate(part.itertuples(), start=1):
            low, high = ranges.get(row.parameter, (sweep.points[row.parameter].min(), sweep.points[row.parameter].max()))
            span = f"{format_number(low)} – {format_number(high)}"
            lines.append(f"| {rank} | `{row.parameter}` | {span} | {_ci(row.ST, row.ST_low, row.ST_high)} | "
                         f"{_ci(row.S1, row.S1_low, row.S1_high)} |")
    lines += ["", "## To regenerate", "", "The design from the schema of the build, the sweep, this table:", "", "```sh",
              "/usr/bin/python3 -m analysis sensitivity-design --write scenarios/sweeps/sensitivity.yaml",
              "commsim sweep scenarios/sweeps/sensitivity.yaml -o results/sensitivity.h5 --threads 2",
              "/usr/bin/python3 -m analysis sensitivity results/sensitivity.h5 --write docs/sensitivity.md",
              "```", ""]
    return "\n".join(lines)


def write_sensitivity(path: Path, output: Path, outcomes: list[str] | None, command: str, sweep_command: str,
                      label: str = "", bootstrap: int = 500) -> Path:
    return write_markdown(output, sensitivity_markdown(path, outcomes, command, sweep_command, label, bootstrap))
