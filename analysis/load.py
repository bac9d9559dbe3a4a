"""Reading commsim result files (layout: docs/output.md) into pandas.

A file is either a single run (`commsim run`) or a sweep (`commsim sweep`, `commsim merge`); a
sweep is recognised by its `/sweep` group. Everything is discovered from the file: metric names,
breakdown axes and their labels, units and descriptions come from the datasets' attributes, so a
metric added to the model appears here without changing this module.

Tidy ("long") tables have one row per value:
    time series   day, metric, <one column per breakdown axis>, value, unit
    summaries     metric, field, <one column per breakdown axis>, value, unit, description
where `field` is the name the sweep summary gives the same value (`trust/Hui`).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

import h5py
import numpy as np
import pandas as pd
import yaml

# Columns of /sweep/summary and /sweep/points that identify a run or a design row rather than
# hold a metric or a parameter.
RUN_KEYS = ("point", "replication", "seed")
SALTELLI_KEYS = ("saltelli_block", "saltelli_row")


def _text(value) -> str:
    """An HDF5 string attribute as str (h5py returns bytes for fixed-length strings)."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return str(value)


def _texts(value) -> list[str]:
    if value is None:
        return []
    return [_text(v) for v in np.atleast_1d(value)]


def _plain(value):
    """An attribute value as a plain Python value, so provenance prints without numpy noise."""
    if isinstance(value, (bytes, str)):
        return _text(value)
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        return value.item()
    return value


# Quantities that add up over grids, groups or types: counts, hours, money. A unit containing one
# of these words is not such a quantity (shares, rates, scores, indices, durations); it is averaged
# over the axes a figure leaves out, unweighted, which is an approximation when cells differ in size.
NON_ADDITIVE_UNIT_WORDS = ("share", "rate", "score", "index", "ratio", "mean", "fraction", "proportion",
                           "probability", "%", "0-1", "days")


def is_additive(unit: str) -> bool:
    unit = unit.lower()
    return not any(word in unit for word in NON_ADDITIVE_UNIT_WORDS)


@dataclass
class Metric:
    """One metric dataset: its values and what its attributes say about them."""

    name: str
    unit: str
    description: str
    dims: list[str]  # every axis in order; a time series starts with "day"
    labels: dict[str, list[str]]  # the labels along each axis other than "day"
    values: np.ndarray

    @property
    def breakdown(self) -> list[str]:
        """The axes other than the day."""
        return [d for d in self.dims if d != "day"]

    @property
    def additive(self) -> bool:
        return is_additive(self.unit)

    def collapse(self, keep: list[str] = ()) -> np.ndarray:
        """The values with every breakdown axis not in `keep` summed (or averaged, for a metric
        that is not additive); the day axis and the kept axes stay, in the metric's order."""
        drop = tuple(i for i, d in enumerate(self.dims) if d != "day" and d not in keep)
        if not drop:
            return self.values
        if self.additive:
            return self.values.sum(axis=drop)
        with np.errstate(invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a slice with no value stays NaN
            return np.nanmean(self.values, axis=drop)

    def field_names(self) -> list[str]:
        """The flattened names of the cells, as /sweep/summary names them (`trust/Hui`)."""
        if not self.breakdown:
            return [self.name]
        index = pd.MultiIndex.from_product([self.labels[d] for d in self.breakdown])
        return ["/".join([self.name, *map(str, cell)]) for cell in index]

    def frame(self) -> pd.DataFrame:
        """The metric in long format: one row per cell (and day), labels as columns."""
        axes = [range(n) if d == "day" else self.labels[d] for d, n in zip(self.dims, self.values.shape)]
        if axes:
            index = pd.MultiIndex.from_product(axes, names=self.dims).to_frame(index=False)
        else:
            index = pd.DataFrame(index=[0])
        index.insert(1 if "day" in self.dims else 0, "metric", self.name)
        index["value"] = self.values.reshape(-1)
        index["unit"] = self.unit
        return index


def read_metric(dataset: h5py.Dataset) -> Metric:
    values = np.asarray(dataset[()], dtype=float)
    dims = _texts(dataset.attrs.get("dims"))
    if len(dims) != values.ndim:
        # A file from before the dims attribute, or a hand-made one: name the axes by position so
        # the data still loads; the contract says this should not happen.
        dims = [f"axis{i}" for i in range(values.ndim)]
    labels = {}
    for d, n in zip(dims, values.shape):
        if d == "day":
            continue
        given = _texts(dataset.attrs.get(f"labels_{d}"))
        labels[d] = given if len(given) == n else [str(i) for i in range(n)]
    return Metric(
        name=dataset.name.rsplit("/", 1)[-1],
        unit=_text(dataset.attrs.get("unit", "")),
        description=_text(dataset.attrs.get("description", "")),
        dims=dims,
        labels=labels,
        values=values,
    )


def _read_metrics(group: h5py.Group | None) -> dict[str, Metric]:
    if group is None:
        return {}
    return {name: read_metric(obj) for name, obj in group.items() if isinstance(obj, h5py.Dataset)}


def _read_tables(group: h5py.Group | None) -> dict[str, pd.DataFrame]:
    if group is None:
        return {}
    return {name: pd.DataFrame(obj[()]) for name, obj in group.items() if isinstance(obj, h5py.Dataset)}


def read_provenance(f: h5py.File) -> dict:
    group = f.get("provenance")
    return {} if group is None else {k: _plain(v) for k, v in group.attrs.items()}


def scenario_name(provenance: dict) -> str:
    """The community name from the resolved scenario, or the first comment of the scenario."""
    try:
        resolved = yaml.safe_load(provenance.get("scenario_resolved", "")) or {}
        return str(resolved["community"]["name"])
    except (yaml.YAMLError, KeyError, TypeError):
        first = provenance.get("scenario_text", "").strip().splitlines()[:1]
        return first[0].lstrip("# ") if first else "unknown"


@dataclass
class Run:
    """One run: a run file, or one replication of one point of a sweep."""

    source: str
    provenance: dict
    days: int
    start_weekday: int
    timeseries: dict[str, Metric]
    summary: dict[str, Metric]
    events: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return Path(self.source).stem

    def timeseries_frame(self, metrics: list[str] | None = None) -> pd.DataFrame:
        """The daily series in long format; a breakdown axis a metric lacks is NaN in its rows."""
        names = self.timeseries if metrics is None else [m for m in metrics if m in self.timeseries]
        frames = [self.timeseries[m].frame() for m in names]
        if not frames:
            return pd.DataFrame(columns=["day", "metric", "value", "unit"])
        return _value_unit_last(pd.concat(frames, ignore_index=True))

    def summary_frame(self) -> pd.DataFrame:
        """Every /summary value in long format, with the sweep-style field name of each."""
        frames = []
        for m in self.summary.values():
            frame = m.frame()
            frame.insert(1, "field", m.field_names())
            frame["description"] = m.description
            frames.append(frame)
        if not frames:
            return pd.DataFrame(columns=["metric", "field", "value", "unit", "description"])
        return _value_unit_last(pd.concat(frames, ignore_index=True))


def _value_unit_last(frame: pd.DataFrame) -> pd.DataFrame:
    tail = [c for c in ("value", "unit", "description") if c in frame.columns]
    return frame[[c for c in frame.columns if c not in tail] + tail]


def read_run_group(group: h5py.Group, source: str, provenance: dict) -> Run:
    timeseries = group.get("timeseries")
    attrs = timeseries.attrs if timeseries is not None else {}
    metrics = _read_metrics(timeseries)
    days = int(attrs.get("days", next((m.values.shape[0] for m in metrics.values()), 0)))
    return Run(
        source=source,
        provenance=provenance,
        days=days,
        start_weekday=int(attrs.get("start_weekday", 0)),
        timeseries=metrics,
        summary=_read_metrics(group.get("summary")),
        events=_read_tables(group.get("events")),
    )


@dataclass
class Sweep:
    """A sweep: the design, every run's summaries, and access to each run's full output."""

    source: str
    provenance: dict
    attrs: dict  # design, parameters, replications, seeds, base_scenario (, saltelli_n)
    points: pd.DataFrame  # point, one column per varied parameter (, saltelli_block, saltelli_row)
    summary: pd.DataFrame  # point, replication, seed, one column per summary field
    units: dict[str, str]  # unit of each summary field, where the file says it
    levels: dict[str, list[str]]  # labels of string-valued parameters, by key path

    @property
    def label(self) -> str:
        return Path(self.source).stem

    @property
    def design(self) -> str:
        return str(self.attrs.get("design", "list"))

    @property
    def parameters(self) -> list[str]:
        given = self.attrs.get("parameters")
        if given is not None:
            return [p for p in given if p in self.points.columns]
        return [c for c in self.points.columns if c != "point" and c not in SALTELLI_KEYS]

    @property
    def metrics(self) -> list[str]:
        """The summary fields (`closure_rate`, `trust/Hui`, ...), in file order."""
        return [c for c in self.summary.columns if c not in RUN_KEYS]

    @property
    def runs(self) -> pd.DataFrame:
        """One row per run: its point's parameter values joined to its summaries."""
        return self.summary.merge(self.points, on="point", how="left")

    def summary_long(self) -> pd.DataFrame:
        """Every run's summaries in long format: point, replication, seed, parameters, metric,
        value, unit."""
        keys = [c for c in RUN_KEYS if c in self.summary.columns]
        long = self.summary.melt(id_vars=keys, value_vars=self.metrics, var_name="metric")
        long = long.merge(self.points[["point", *self.parameters]], on="point", how="left")
        long["unit"] = long["metric"].map(self.units).fillna("")
        return long[[*keys, *self.parameters, "metric", "value", "unit"]]

    def level_name(self, parameter: str, value: float) -> str:
        """A parameter value as a person reads it: the level name of a string parameter."""
        if parameter in self.levels and float(value).is_integer():
            names = self.levels[parameter]
            if 0 <= int(value) < len(names):
                return names[int(value)]
        return f"{value:g}"

    def describe_point(self, point: int) -> str:
        row = self.points.loc[self.points["point"] == point].iloc[0]
        return ", ".join(f"{p}={self.level_name(p, row[p])}" for p in self.parameters)

    def run(self, point: int, replication: int) -> Run:
        """One run's full output (time series included), read from /runs."""
        path = f"runs/p{point:05d}/r{replication:03d}"
        with h5py.File(self.source, "r") as f:
            if path not in f:
                raise KeyError(f"{self.source} holds no run {path}")
            return read_run_group(f[path], f"{self.source}:{path}", self.provenance)


def _sweep_units(f: h5py.File, fields: list[str]) -> dict[str, str]:
    """Units of the summary fields: `unit_<field>` on /sweep/summary if the writer adds them,
    otherwise the unit of the metric in the first run's /summary."""
    table = f["sweep/summary"]
    first_run = None
    runs = f.get("runs")
    if runs is not None and len(runs):
        point = runs[sorted(runs)[0]]
        if len(point):
            first_run = point[sorted(point)[0]].get("summary")
    units = {}
    for name in fields:
        if f"unit_{name}" in table.attrs:
            units[name] = _text(table.attrs[f"unit_{name}"])
            continue
        metric = name.split("/", 1)[0]
        if first_run is not None and metric in first_run:
            units[name] = _text(first_run[metric].attrs.get("unit", ""))
    return units


def read_sweep_file(f: h5py.File, source: str) -> Sweep:
    attrs = {k: _plain(v) for k, v in f["sweep"].attrs.items()}
    points = pd.DataFrame(f["sweep/points"][()])
    summary = pd.DataFrame(f["sweep/summary"][()])
    summary = summary.sort_values([c for c in ("point", "replication") if c in summary.columns])
    summary = summary.reset_index(drop=True)
    levels = {
        k[len("levels_"):]: _texts(v) for k, v in f["sweep/points"].attrs.items() if k.startswith("levels_")
    }
    metrics = [c for c in summary.columns if c not in RUN_KEYS]
    return Sweep(
        source=source,
        provenance=read_provenance(f),
        attrs=attrs,
        points=points,
        summary=summary,
        units=_sweep_units(f, metrics),
        levels=levels,
    )


def is_sweep(path: str | Path) -> bool:
    with h5py.File(path, "r") as f:
        return "sweep" in f


def read_run(path: str | Path) -> Run:
    with h5py.File(path, "r") as f:
        if "sweep" in f:
            raise ValueError(f"{path} is a sweep; use read_sweep, or Sweep.run(point, replication)")
        return read_run_group(f, str(path), read_provenance(f))


def read_sweep(path: str | Path) -> Sweep:
    with h5py.File(path, "r") as f:
        if "sweep" not in f:
            raise ValueError(f"{path} is a single run, not a sweep (it has no /sweep group)")
        return read_sweep_file(f, str(path))


def open_results(path: str | Path) -> Run | Sweep:
    """A run or a sweep, whichever the file holds."""
    return read_sweep(path) if is_sweep(path) else read_run(path)
