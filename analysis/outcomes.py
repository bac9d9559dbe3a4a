"""Outcome fields by name, for the tables that compare runs (docs/sensitivity.md, docs/policies.md).

An outcome is named the way the lead writes it on the command line, so the tables follow the
metrics after they are renamed without a code change:

    closure_rate                 a scalar summary (a column of /sweep/summary)
    trust_final/Hui              one cell of a breakdown
    trust_final                  a breakdown by group: its population value (residents-weighted for
                                 a mean, summed for a count), as the sweep report shows it
    max(wellbeing_gap_final)     the largest cell of a breakdown
    maxabs(wellbeing_gap_final)  the cell largest in absolute value (the largest group gap, signed
                                 gaps of each group against the rest included)
    maxabs(gap_ci/*/gap)         the same over the cells whose field names match a pattern
                                 (fnmatch: `*` within a breakdown; `gap_ci/*/gap` takes one
                                 estimate of a [group, estimate] breakdown)

The values come from a table with one row per run and one column per summary field (a sweep's
/sweep/summary, or run files' summaries laid out the same way) and the runs' /summary metadata
(combine rule, breakdown labels).
"""

from __future__ import annotations

import fnmatch
import os
import platform
import re
from pathlib import Path

import numpy as np
import pandas as pd

from .load import Metric, Run, Sweep

_LARGEST = re.compile(r"^(?P<how>max|maxabs)\((?P<cells>[^()]+)\)$")


def _cells(summary: pd.DataFrame, pattern: str) -> list[str]:
    """The fields a pattern names: `metric` alone is every cell of its breakdown (`metric/...`)."""
    pattern = pattern if "/" in pattern else pattern + "/*"
    return [c for c in summary.columns if fnmatch.fnmatchcase(c, pattern)]


def outcome_available(summary: pd.DataFrame, summaries: dict[str, Metric], outcome: str) -> bool:
    """True when `outcome` can be computed from these runs' summaries."""
    try:
        outcome_values(summary, summaries, outcome)
    except KeyError:
        return False
    return True


def outcome_values(summary: pd.DataFrame, summaries: dict[str, Metric], outcome: str) -> pd.Series:
    """One value of `outcome` per row of `summary`; KeyError naming the outcome when the runs do not
    hold it (a metric renamed or not written by this build)."""
    largest = _LARGEST.match(outcome)
    if largest:
        cells = _cells(summary, largest["cells"])
        if not cells:
            raise KeyError(f"{outcome}: the runs have no field {largest['cells']}")
        values = summary[cells].to_numpy(dtype=float)
        if largest["how"] == "maxabs":
            values = np.abs(values)
        finite = np.isfinite(values).any(axis=1)
        top = np.full(len(summary), np.nan)
        top[finite] = np.nanmax(values[finite], axis=1)
        return pd.Series(top, index=summary.index, name=outcome)
    if outcome in summary.columns:
        return summary[outcome].astype(float).rename(outcome)
    population = Sweep(source="", provenance={}, attrs={}, points=pd.DataFrame(), summary=summary, units={},
                       levels={}, summaries=summaries).headline(outcome)
    if population is None:
        raise KeyError(f"{outcome}: no summary field of that name, and no population value of a breakdown "
                       f"by group (fields look like closure_rate, trust_final/Hui, trust_final, max(metric))")
    return population.rename(outcome)


def require_outcomes(summary: pd.DataFrame, summaries: dict[str, Metric], outcomes: list[str], where: str) -> None:
    """ValueError naming every outcome these runs cannot give (a renamed or unwritten metric)."""
    missing = [o for o in outcomes if not outcome_available(summary, summaries, o)]
    if missing:
        raise ValueError(f"{where}: the runs hold no {', '.join(missing)}")


def write_markdown(output: Path, text: str) -> Path:
    """Writes a generated page under a temporary name and renames it: never a half-written table."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    temporary = output.with_name(output.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(output)
    return output


def describe_outcome(summaries: dict[str, Metric], outcome: str) -> str:
    """What an outcome is, in words, from the metric's own description and unit."""
    largest = _LARGEST.match(outcome)
    name = (largest["cells"] if largest else outcome).split("/", 1)[0]
    metric = summaries.get(name)
    text = metric.description.rstrip(". ") if metric is not None else ""
    unit = f" ({metric.unit})" if metric is not None and metric.unit else ""
    if largest:
        what = "the largest cell" if largest["how"] == "max" else "the cell largest in absolute value"
        cells = f" (cells {largest['cells']})" if "/" in largest["cells"] else ""
        return f"{what}{cells} of: {text}{unit}".strip()
    if "/" in outcome:
        return f"{text}{unit}; cell {outcome.split('/', 1)[1]}".strip()
    if metric is not None and metric.dims == ["group"]:
        return f"{text}{unit}; population value over the groups".strip()
    return f"{text}{unit}".strip()


def run_rows(runs: list[Run]) -> pd.DataFrame:
    """Run files' summaries as one row per run, one column per summary field (as /sweep/summary)."""
    rows = []
    for run in runs:
        frame = run.summary_frame()
        rows.append(dict(zip(frame["field"], frame["value"].astype(float))))
    return pd.DataFrame(rows)


def machine() -> str:
    """The machine the figures were made on: cores, processor, system and its load then."""
    cpu = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
    except OSError:
        pass
    load = ", load average %.1f when the table was written" % os.getloadavg()[0] if hasattr(os, "getloadavg") else ""
    return f"{os.cpu_count()} cores ({cpu or platform.machine()}), {platform.system()} {platform.release()}{load}"
