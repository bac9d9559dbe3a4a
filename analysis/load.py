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

import os
import re
import zlib
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


# How a metric's cells combine across grids and groups, from its `combine` attribute (the contract
# in docs/output.md): "sum" (counts and stocks), "ratio" (means and shares: the population value
# is sum of numerators / sum of denominators) or "none" (a gap, a maximum: cannot be combined).
COMBINE_RULES = ("sum", "ratio", "none")

# Files written before the `combine` attribute existed (commsim before the metric declarations)
# carry only a unit. For those files alone the rule is looked up here by the exact unit spelling
# that binary wrote; a unit not listed gets "none", so nothing is ever added up on a guess.
# Metric.fallbacks records that a value came from this table and the report says so.
FALLBACK_COMBINE_BY_UNIT = {
    "needs": "sum", "orders": "sum", "work orders": "sum", "hours": "sum", "yuan": "sum",
    "residents": "sum", "households": "sum", "dwellings": "sum", "workers": "sum", "volunteers": "sum",
    "attendances": "sum", "attendees": "sum", "topics": "sum", "meetings": "sum", "wishes": "sum",
    "share": "ratio", "score 0-1": "ratio", "0..1": "ratio", "index 0-1": "ratio", "days": "ratio",
    "ties": "ratio",  # today's only "ties" dataset is ties_per_resident, a mean
}


def fallback_combine(unit: str) -> str:
    return FALLBACK_COMBINE_BY_UNIT.get(unit.strip().lower(), "none")


@dataclass
class Metric:
    """One metric dataset: its values and what its attributes say about them."""

    name: str
    unit: str
    description: str
    dims: list[str]  # every axis in order; a time series starts with "day"
    labels: dict[str, list[str]]  # the labels along each axis other than "day"
    values: np.ndarray
    combine: str = "none"  # "sum" | "ratio" | "none"
    rule: str = ""  # a time series' end-of-run rule (`summary`), a summary's `rule`; "" if unknown
    source: str = ""  # a summary's /timeseries source ("" if none or unknown)
    headline: float = np.nan  # a summary's population-level value
    headline_kind: str = ""  # "total" | "mean" | "value" | "none"; "" when the file does not say
    headline_weight: float = np.nan  # a "mean" headline's weight (its denominators); NaN: unknown
    key: bool | None = None  # a summary's `key` attribute (a key outcome); None when the file has none
    fallbacks: tuple[str, ...] = ()  # attributes the file lacked and this package filled in

    @property
    def breakdown(self) -> list[str]:
        """The axes other than the day."""
        return [d for d in self.dims if d != "day"]

    @property
    def additive(self) -> bool:
        return self.combine == "sum"

    def collapse(self, keep: list[str] = (), weights: dict[str, np.ndarray] | None = None) -> np.ndarray:
        """The values with every breakdown axis not in `keep` combined by the metric's rule: summed
        for "sum"; for "ratio", a mean weighted by `weights[axis]` (the denominators along that
        axis, e.g. residents by group) where given, else an unweighted mean of the cells with a
        value. A "none" metric cannot be combined: ValueError. The day axis and kept axes stay."""
        drop = [d for d in self.dims if d != "day" and d not in keep]
        if not drop:
            return self.values
        if self.combine == "none":
            raise ValueError(f"{self.name} cannot be combined over {', '.join(drop)} (combine = none)")
        axes = tuple(self.dims.index(d) for d in drop)
        if self.combine == "sum":
            return np.nansum(self.values, axis=axes) if np.isfinite(self.values).any() else self.values.sum(axis=axes)
        weight = np.ones(self.values.shape)
        for d in drop:
            w = (weights or {}).get(d)
            if w is not None and len(w) == self.values.shape[self.dims.index(d)]:
                shape = [1] * self.values.ndim
                shape[self.dims.index(d)] = len(w)
                weight = weight * np.asarray(w, dtype=float).reshape(shape)
        weight = np.where(np.isfinite(self.values), weight, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            total = np.nansum(self.values * weight, axis=axes) / weight.sum(axis=axes)
        return np.where(weight.sum(axis=axes) > 0, total, np.nan)

    def field_names(self) -> list[str]:
        """The flattened names of the cells, as /sweep/summary names them (`trust_final/Hui`)."""
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


def fallback_headline(metric: Metric) -> tuple[float, str]:
    """A summary's headline where the file has none: the total of the cells for "sum", the value of
    a single-cell "ratio"; otherwise none (a group breakdown may get its residents-weighted mean
    in fill_missing_rules; an unweighted mean of shares by level or of gaps would mean nothing)."""
    finite = metric.values[np.isfinite(metric.values)]
    if metric.combine == "sum" and finite.size:
        return float(finite.sum()), "total"
    if metric.combine == "ratio" and metric.values.size == 1 and finite.size:
        return float(finite[0]), "mean"
    return np.nan, "none"


def read_metric(dataset: h5py.Dataset, source: str = "") -> Metric:
    try:
        values = np.asarray(dataset[()], dtype=float)
    except (OSError, ValueError) as error:  # a damaged chunk: say which file and dataset
        raise ValueError(f"{source or dataset.file.filename}: cannot read {dataset.name}: {error}") from error
    attrs = dataset.attrs
    dims = _texts(attrs.get("dims"))
    if len(dims) != values.ndim:
        # A file from before the dims attribute, or a hand-made one: name the axes by position so
        # the data still loads; the contract says this should not happen.
        dims = [f"axis{i}" for i in range(values.ndim)]
    labels = {}
    for d, n in zip(dims, values.shape):
        if d == "day":
            continue
        given = _texts(attrs.get(f"labels_{d}"))
        labels[d] = given if len(given) == n else [str(i) for i in range(n)]
    unit = _text(attrs.get("unit", ""))
    fallbacks = []
    combine = _text(attrs["combine"]) if "combine" in attrs else None
    if combine not in COMBINE_RULES:
        fallbacks.append("combine")
        combine = fallback_combine(unit)
    daily = "day" in dims
    rule_key = "summary" if daily else "rule"
    if rule_key not in attrs:
        fallbacks.append(rule_key)
    metric = Metric(
        name=dataset.name.rsplit("/", 1)[-1],
        unit=unit,
        description=_text(attrs.get("description", "")),
        dims=dims,
        labels=labels,
        values=values,
        combine=combine,
        rule=_text(attrs.get(rule_key, "")),
        source=_text(attrs.get("source", "")),
    )
    if not daily:
        if "key" in attrs:
            metric.key = bool(int(attrs["key"]))
        if "headline" in attrs and "headline_kind" in attrs:
            metric.headline = float(attrs["headline"])
            metric.headline_kind = _text(attrs["headline_kind"])
        else:
            fallbacks.append("headline")
            metric.headline, metric.headline_kind = fallback_headline(metric)
        # Written only where known (docs/output.md): absent is unknown, not a fallback.
        metric.headline_weight = float(attrs.get("headline_weight", np.nan))
    metric.fallbacks = tuple(fallbacks)
    return metric


def _read_metrics(group: h5py.Group | None, source: str = "") -> dict[str, Metric]:
    if group is None:
        return {}
    return {name: read_metric(obj, source) for name, obj in group.items() if isinstance(obj, h5py.Dataset)}


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
    region: Region | None = None  # a region run's tables (its /summary and /timeseries: the totals)

    @property
    def label(self) -> str:
        return Path(self.source).stem

    @property
    def fallbacks(self) -> set[str]:
        """Attributes of the contract this file lacks on some dataset (filled in by fallbacks)."""
        return {a for m in [*self.timeseries.values(), *self.summary.values()] for a in m.fallbacks}

    def group_sizes(self) -> dict[str, float]:
        """Residents at the start by ethnic group, when the file holds them."""
        residents = self.summary.get("residents")
        if residents is None or residents.dims != ["group"]:
            return {}
        return dict(zip(residents.labels["group"], residents.values.tolist()))

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


def fill_missing_rules(timeseries: dict[str, Metric], summary: dict[str, Metric]) -> None:
    """For files without the `summary`/`headline` attributes (see FALLBACK_COMBINE_BY_UNIT): a time
    series' end-of-run rule is read off the /summary made from it (its `source`, else a summary of
    the same name described as a run total ("... over the run"), else `<name>_final`); a headline of a group breakdown is
    the mean weighted by residents at the start, when the file holds them."""
    for name, metric in timeseries.items():
        if "summary" not in metric.fallbacks:
            continue
        sourced = [s for s in summary.values() if s.source == name and s.rule]
        if sourced:
            metric.rule = sourced[0].rule
        elif name in summary and "over the run" in summary[name].description.lower():
            metric.rule = "total"
        elif f"{name}_final" in summary:
            metric.rule = "final"
    residents = summary.get("residents")
    for metric in summary.values():
        if ("headline" in metric.fallbacks and metric.combine == "ratio" and metric.dims == ["group"]
                and residents is not None and residents.labels.get("group") == metric.labels["group"]):
            metric.headline = float(metric.collapse([], {"group": residents.values}))
            metric.headline_kind = "mean"


def read_run_group(group: h5py.Group, source: str, provenance: dict) -> Run:
    timeseries = group.get("timeseries")
    attrs = timeseries.attrs if timeseries is not None else {}
    metrics = _read_metrics(timeseries, source)
    summary = _read_metrics(group.get("summary"), source)
    fill_missing_rules(metrics, summary)
    days = int(attrs.get("days", next((m.values.shape[0] for m in metrics.values()), 0)))
    return Run(
        source=source,
        provenance=provenance,
        days=days,
        start_weekday=int(attrs.get("start_weekday", 0)),
        timeseries=metrics,
        summary=summary,
        events=_read_tables(group.get("events")),
        region=read_region_group(group, source, provenance) if isinstance(group.get("region"), h5py.Group) else None,
    )


# ---- a region run (docs/output.md, "A region run") ------------------------------------------------

# The groups of a region's parts, by level.
PART_GROUPS = {"community": "communities", "subdistrict": "subdistricts"}


def part_link_name(name: str) -> str:
    """The link name of a community's or subdistrict's group: '%' as "%25", '/' as "%2F", the name
    "." as "%2E"; every other character as it is (sim/output/hdf5.hpp, part_link_name)."""
    if not name:
        raise ValueError("a community or subdistrict needs a name")
    if name == ".":
        return "%2E"
    return name.replace("%", "%25").replace("/", "%2F")


def part_name(link: str) -> str:
    """The name a link name stands for: the escapes of part_link_name undone, in one pass."""
    return re.sub("%(25|2F|2E)", lambda m: {"25": "%", "2F": "/", "2E": "."}[m.group(1)], link)


def named_table(dataset: h5py.Dataset) -> pd.DataFrame:
    """A table (a 1-D compound dataset) with each coded field that carries `labels_<field>` turned
    into its names: an ordered categorical whose order is the codes' (the file's order, e.g. the
    region's order of its communities); -1, or a code without a label, is missing. Other fields
    as stored."""
    frame = pd.DataFrame(dataset[()])
    for column in frame.columns:
        labels = _texts(dataset.attrs.get(f"labels_{column}"))
        if not labels or frame[column].dtype.kind not in "iu":
            continue
        codes = frame[column].to_numpy(dtype=np.int64)
        codes = np.where((codes >= 0) & (codes < len(labels)), codes, -1)
        if len(set(labels)) == len(labels):
            frame[column] = pd.Categorical.from_codes(codes, categories=labels, ordered=True)
        else:  # repeated names cannot be categories: plain text
            frame[column] = [labels[c] if c >= 0 else None for c in codes]
    return frame


def table_units(dataset: h5py.Dataset) -> dict[str, str]:
    """The unit of each field of a table (its `unit_<field>` attributes; "" where none)."""
    return {name: _text(dataset.attrs.get(f"unit_{name}", "")) for name in dataset.dtype.names or ()}


@dataclass
class Region:
    """The tables of a region run: one row per community and one per subdistrict, with names in the
    code columns (community, subdistrict), in the region's order."""

    source: str
    communities: pd.DataFrame  # /region/communities: community, subdistrict, households, ..., headlines, gaps
    subdistricts: pd.DataFrame  # /region/subdistricts: subdistrict, communities, ..., department_wait_mean, headlines
    units: dict[str, dict[str, str]] = field(default_factory=dict)  # table -> field -> unit
    parts: dict[str, list[str]] = field(default_factory=dict)  # level -> names of the parts in the file, in order
    provenance: dict = field(default_factory=dict)
    file: str = ""  # the file, and the run's group in it ("" for a run file, "runs/p00000/r000" in a sweep)
    group: str = ""
    days: int = 0  # the run's: a part without series has no days attribute of its own

    def part(self, name: str, level: str = "community") -> Run:
        """A community's (or with level="subdistrict" a subdistrict's) own output as a Run: its
        summaries, and its series and events when the run kept them (region.detail: full)."""
        path = "/".join(p for p in (self.group, PART_GROUPS[level], part_link_name(name)) if p)
        with open_file(self.file) as f:
            if path not in f:
                raise KeyError(f"{self.source} holds no {level} {name!r} ({path})")
            part = read_run_group(f[path], f"{self.file}:{path}", self.provenance)
        if not part.timeseries:
            part.days = self.days
        return part


def read_region_group(group: h5py.Group, source: str, provenance: dict | None = None) -> Region:
    region = group["region"]
    tables, units = {}, {}
    for name in ("communities", "subdistricts"):
        dataset = region.get(name)
        if isinstance(dataset, h5py.Dataset):
            try:
                tables[name] = named_table(dataset)
            except (OSError, ValueError) as error:
                raise ResultsError(f"{source}: cannot read {dataset.name}: {error}") from error
            units[name] = table_units(dataset)
        else:
            tables[name] = pd.DataFrame()
    parts = {}
    for level, folder in PART_GROUPS.items():
        members = group.get(folder)
        if not isinstance(members, h5py.Group):
            continue
        # By each group's `index` (the region's order), then as listed.
        links = sorted(members, key=lambda link: int(members[link].attrs.get("index", np.iinfo(np.int64).max)))
        parts[level] = [part_name(link) for link in links]
    return Region(source=source, communities=tables["communities"], subdistricts=tables["subdistricts"], units=units,
                  parts=parts, provenance=provenance or {}, file=group.file.filename, group=group.name.lstrip("/"),
                  days=int(group["timeseries"].attrs.get("days", 0)) if "timeseries" in group else 0)


def read_region(path: str | Path) -> Region:
    """The region tables of a region run's file; a ResultsError when the file holds none."""
    with open_file(path) as f:
        if file_kind(f) == "sweep":
            raise ResultsError(f"{path} is a sweep; read a run of it with Sweep.run(point, replication)")
        if not isinstance(f.get("region"), h5py.Group):
            raise ResultsError(f"{path} is not a region run (it has no /region group)")
        return read_region_group(f, str(path), read_provenance(f))


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
    summaries: dict[str, Metric] = field(default_factory=dict)  # the first run's /summary: rules, units

    def headline(self, metric: str) -> pd.Series | None:
        """Each run's population value of a summary broken down by group (`trust_final`), from its
        `<metric>/<group>` columns: summed for "sum", weighted by the run's `residents/<group>`
        for "ratio"; None when the metric cannot be combined, the run says no single value stands
        for its cells (headline_kind "none": worker_language_share) or its cells are not all there."""
        info = self.summaries.get(metric)
        if info is None or info.dims != ["group"] or info.combine == "none" or info.headline_kind == "none":
            return None
        columns = [f"{metric}/{g}" for g in info.labels["group"]]
        if not all(c in self.summary.columns for c in columns):
            return None
        cells = self.summary[columns].to_numpy(dtype=float)
        if info.combine == "sum":
            return pd.Series(np.nansum(cells, axis=1), index=self.summary.index, name=metric)
        weights = [f"residents/{g}" for g in info.labels["group"]]
        if not all(c in self.summary.columns for c in weights):
            return None
        w = np.where(np.isfinite(cells), self.summary[weights].to_numpy(dtype=float), 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            value = np.nansum(cells * w, axis=1) / w.sum(axis=1)
        return pd.Series(value, index=self.summary.index, name=metric)

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
        with open_file(self.source) as f:
            if path not in f:
                raise KeyError(f"{self.source} holds no run {path}")
            return read_run_group(f[path], f"{self.source}:{path}", self.provenance)


def _first_run_summary(f: h5py.File) -> h5py.Group | None:
    runs = f.get("runs")
    if runs is not None and len(runs):
        point = runs[sorted(runs)[0]]
        if len(point):
            return point[sorted(point)[0]].get("summary")
    return None


def _sweep_units(f: h5py.File, fields: list[str]) -> dict[str, str]:
    """Units of the summary fields: `unit_<field>` on /sweep/summary if the writer adds them,
    otherwise the unit of the metric in the first run's /summary."""
    table = f["sweep/summary"]
    first_run = _first_run_summary(f)
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
    try:
        points = pd.DataFrame(f["sweep/points"][()])
        summary = pd.DataFrame(f["sweep/summary"][()])
    except (OSError, ValueError) as error:
        raise ResultsError(f"{source}: cannot read the sweep tables: {error}") from error
    for table, need in ((points, ("point",)), (summary, ("point", "replication"))):
        if not all(c in table.columns for c in need):
            raise ResultsError(f"{source}: /sweep tables lack their {', '.join(need)} columns")
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
        summaries=_read_metrics(_first_run_summary(f), source),
    )


class ResultsError(ValueError):
    """A file that is not a readable commsim result: the message names the file and what is wrong."""


SEAL_BYTES = 512
_SEAL = re.compile(rb"commsim seal 1\nbytes ([0-9]{1,20})\ncrc32 ([0-9a-f]{8})\n\0*")
# Files whose seal matched, by (path, device, inode, size, modification time): a report opens
# its file several times, and reading a large sweep whole each time would cost more than the
# report.
_SEALED: set[tuple] = set()


def seal_problem(path: str | Path) -> str | None:
    """What is wrong with the seal commsim writes into the first SEAL_BYTES of every file (the HDF5
    user block: the length and zlib CRC-32 of the rest; sim/output/seal.hpp), or None when the
    contents match it. A file without that seal (written by another program, an older commsim, or
    a seal version this package does not know) is None too: it is read as it is. The rules are
    sim/output/seal.cpp's."""
    stat = os.stat(path)
    key = (str(Path(path).resolve()), stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)
    if key in _SEALED:
        return None
    with open(path, "rb") as f:
        block = f.read(SEAL_BYTES)
        if not block.startswith(b"commsim seal "):
            return None
        if not block.startswith(b"commsim seal 1\n"):
            return None  # a version this package does not know
        match = _SEAL.fullmatch(block)
        if len(block) < SEAL_BYTES or match is None:
            return f"its seal (the first {SEAL_BYTES} bytes) is garbled"
        written, sealed_crc = int(match.group(1)), int(match.group(2), 16)
        if not block.startswith(f"commsim seal 1\nbytes {written}\ncrc32 {sealed_crc:08x}\n".encode()):
            return f"its seal (the first {SEAL_BYTES} bytes) is garbled"  # e.g. a leading zero
        crc, found = 0, 0
        while chunk := f.read(1 << 24):
            crc = zlib.crc32(chunk, crc)
            found += len(chunk)
    if found != written:
        short = " (cut short)" if found < written else ""
        return f"{written + SEAL_BYTES} bytes were written, {found + SEAL_BYTES} are there{short}"
    if crc != sealed_crc:
        return "its contents do not match the checksum in its seal (changed after it was written)"
    _SEALED.add(key)
    return None


def open_file(path: str | Path) -> h5py.File:
    """The HDF5 file at `path`, open for reading; a missing, truncated, damaged or non-HDF5 file is
    a ResultsError naming it (h5py's own message does not say which file). A file commsim sealed
    is checked against its seal first, as commsim itself reads it."""
    path = Path(path)
    if not path.exists():
        raise ResultsError(f"{path}: no such file")
    if path.is_dir():
        raise ResultsError(f"{path}: is a folder, not a result file")
    try:
        problem = seal_problem(path)
    except OSError as error:
        raise ResultsError(f"{path}: cannot read it ({error})") from error
    if problem:
        raise ResultsError(f"{path}: it is damaged: {problem}")
    try:
        return h5py.File(path, "r")
    except OSError as error:
        raise ResultsError(f"{path}: not a readable HDF5 file ({error})") from error


def file_kind(f: h5py.File) -> str:
    """"sweep" or "run", from the groups the layout (docs/output.md) requires; a valid HDF5 file
    with neither layout is a ResultsError."""
    if isinstance(f.get("sweep"), h5py.Group):
        missing = [g for g in ("sweep/points", "sweep/summary") if not isinstance(f.get(g), h5py.Dataset)]
        if missing:
            raise ResultsError(f"{f.filename}: a sweep file needs {' and '.join('/' + m for m in missing)}")
        return "sweep"
    if isinstance(f.get("timeseries"), h5py.Group) or isinstance(f.get("summary"), h5py.Group):
        return "run"
    found = ", ".join("/" + k for k in f.keys()) or "nothing"
    raise ResultsError(f"{f.filename}: not a commsim result file: it has neither /sweep nor /timeseries and "
                       f"/summary (it holds {found})")


def is_sweep(path: str | Path) -> bool:
    with open_file(path) as f:
        return file_kind(f) == "sweep"


def read_run(path: str | Path) -> Run:
    with open_file(path) as f:
        if file_kind(f) == "sweep":
            raise ResultsError(f"{path} is a sweep; use read_sweep, or Sweep.run(point, replication)")
        return read_run_group(f, str(path), read_provenance(f))


def read_sweep(path: str | Path) -> Sweep:
    with open_file(path) as f:
        if file_kind(f) != "sweep":
            raise ResultsError(f"{path} is a single run, not a sweep (it has no /sweep group)")
        return read_sweep_file(f, str(path))


def open_results(path: str | Path) -> Run | Sweep:
    """A run or a sweep, whichever the file holds."""
    return read_sweep(path) if is_sweep(path) else read_run(path)
