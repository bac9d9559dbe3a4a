"""Synthetic commsim result files, written with h5py exactly as docs/output.md lays them out
(variable-length UTF-8 strings, float64 metrics with unit, description, dims and labels_<dim>,
compound tables), holding values the tests know in advance."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import h5py
import numpy as np
from scipy.stats import qmc

# ---- the layout ----------------------------------------------------------------------------

STRING = h5py.string_dtype("utf-8")

GROUPS = ["Han", "Hui", "Mongol"]
GROUP_SIZES = [500.0, 300.0, 50.0]
GRIDS = ["grid_01", "grid_02"]
NEED_TYPES = ["sanitation", "parking", "elderly_care"]
LEVELS = ["grid", "community", "subdistrict", "council"]
CHANNELS = ["patrol", "steward", "hotline", "app", "home_visit", "council"]  # as the model writes them
ACTIVITIES = ["patrol", "casework", "paperwork", "training"]
KINDS = ["management_service", "key_task", "emergency"]
DAYS = 40
SEED = 20241
WELLBEING = ["sense_of_gain", "happiness", "security", "trust", "belonging"]


def strings(values) -> np.ndarray:
    return np.array(list(values), dtype=object)


# The attributes the metric declarations add (CONTRACT-metrics: docs/output.md). A synthetic file
# is written either with them ("contract") or without, as commsim wrote files before them
# ("legacy"); test_synthetic_shape.py holds both against a real run of the binary.
CONTRACT_TIMESERIES_ATTRS = ("combine", "summary")
CONTRACT_SUMMARY_ATTRS = ("combine", "rule", "source", "headline", "headline_kind", "key")
# Units in the contract's vocabulary for the legacy spellings a synthetic file uses.
CONTRACT_UNITS = {"score 0-1": "score", "0..1": "index", "attendees": "attendances"}


@dataclass
class Rules:
    """What the declarations say about a metric: how it combines and its end-of-run rule."""

    combine: str
    rule: str = "none"  # a time series' `summary`, or a summary's `rule`
    source: str = ""
    headline: float | None = None  # a summary's headline; None: computed from the values
    headline_kind: str = ""
    key: bool = True  # a summary's `key` attribute


def write_metric(group: h5py.Group, name: str, values, unit: str, description: str, axes: dict[str, list[str]],
                 daily: bool, rules: Rules | None = None) -> None:
    """One metric dataset: `axes` maps each breakdown axis (in order) to its labels; with `rules`,
    the contract's attributes too."""
    values = np.asarray(values, dtype=np.float64)
    ds = group.create_dataset(name, data=values, **({"chunks": True, "shuffle": True, "compression": "gzip"}
                                                    if values.ndim else {}))
    ds.attrs.create("unit", CONTRACT_UNITS.get(unit, unit) if rules else unit, dtype=STRING)
    ds.attrs.create("description", description, dtype=STRING)
    ds.attrs.create("dims", strings((["day"] if daily else []) + list(axes)), dtype=STRING)
    for axis, labels in axes.items():
        ds.attrs.create(f"labels_{axis}", strings(labels), dtype=STRING)
    if rules is None:
        return
    ds.attrs.create("combine", rules.combine, dtype=STRING)
    if daily:
        ds.attrs.create("summary", rules.rule, dtype=STRING)
        return
    ds.attrs.create("rule", rules.rule, dtype=STRING)
    ds.attrs.create("source", rules.source, dtype=STRING)
    headline, kind = rules.headline, rules.headline_kind
    if headline is None:
        finite = values[np.isfinite(values)]
        headline, kind = ((float(finite.sum()), "total") if rules.combine == "sum" else
                          (float(finite.mean()), "mean") if rules.combine == "ratio" and finite.size else (np.nan, "none"))
    ds.attrs.create("headline", headline, dtype=np.float64)
    ds.attrs.create("headline_kind", kind or "none", dtype=STRING)
    if kind == "mean":
        # commsim writes a mean's weight (its denominators) wherever it knows it: every ratio
        # summary. Here the cells with a value stand in for it.
        ds.attrs.create("headline_weight", float(np.isfinite(values).sum()), dtype=np.float64)
    ds.attrs.create("key", int(rules.key), dtype=np.int64)


def write_provenance(f: h5py.File, seed: int, run: int = 0, extra: dict | None = None) -> None:
    p = f.create_group("provenance")
    text = "# Test scenario\ncommunity:\n  name: Testhuayuan\n"
    for key, value in {
        "scenario_text": text,
        "scenario_resolved": "run:\n  days: 40\ncommunity:\n  name: Testhuayuan\n  households: 800\n",
        "commsim_version": "0.1.0",
        "git_commit": "abc1234",
        "compiler": "g++ 12.2.0",
        "libraries": "HDF5 1.10.8",
        "start_time": "2025-01-01T00:00:00Z",
        **(extra or {}),
    }.items():
        p.attrs.create(key, value, dtype=STRING)
    p.attrs.create("overrides", strings(["run.days=40"]), dtype=STRING)
    p.attrs.create("seed", seed, dtype=np.uint64)
    p.attrs.create("run", run, dtype=np.int64)
    p.attrs.create("wall_seconds", 0.5, dtype=np.float64)
    p.attrs.create("threads", 2, dtype=np.int64)


def write_table(group: h5py.Group, name: str, columns: dict[str, np.ndarray]) -> None:
    dtype = np.dtype([(k, v.dtype) for k, v in columns.items()])
    rows = np.empty(len(next(iter(columns.values()))), dtype=dtype)
    for k, v in columns.items():
        rows[k] = v
    group.create_dataset(name, data=rows, chunks=True, shuffle=True, compression="gzip")


# ---- a run whose values the tests know -------------------------------------------------------


def run_series(days: int = DAYS, shift: float = 0.0) -> dict[str, tuple]:
    """name -> (values, unit, description, axes, rules) of every daily series of the synthetic run,
    named, shaped and spelt as commsim writes them (test_synthetic_shape.py checks it). `shift`
    raises trust, so a second run differs from the first by a known amount."""
    day = np.arange(days, dtype=float)
    rng = np.random.default_rng(7)
    needs = rng.poisson(3.0, size=(days, len(GRIDS), len(GROUPS), len(NEED_TYPES))).astype(float)
    opened = needs.sum(axis=(1, 2, 3)) * 0.6
    resolved = np.outer(opened * 0.9, [0.7, 0.2, 0.1, 0.0])
    meeting = (np.arange(days) % 7 == 3).astype(float)  # a council meets every Thursday
    by_group = {
        m: 0.5 + 0.1 * i + np.outer(day / days, [0.0, -0.1, -0.2]) + (shift if m == "trust" else 0.0)
        for i, m in enumerate(WELLBEING)
    }
    # Few low-proficiency orders a day: 0, 1 or no value (NaN) on each day, by group.
    matched = rng.choice([0.0, 1.0, np.nan], size=(days, len(GROUPS)), p=[0.3, 0.4, 0.3])
    agreement = np.where(meeting > 0, 0.5 + 0.1 * (np.arange(days) % 3), np.nan)
    total = Rules("sum", "total")
    share, share_final = Rules("ratio", "none"), Rules("ratio", "final")
    series = {
        "needs_arisen": (needs, "needs", "Needs that arose, by grid, ethnic group and need type.",
                         {"grid": GRIDS, "group": GROUPS, "need_type": NEED_TYPES}, total),
        "needs_reported": (np.outer(opened, [0.3, 0.2, 0.2, 0.2, 0.05, 0.05]), "needs", "Needs reported, by channel.",
                           {"channel": CHANNELS}, total),
        "needs_hidden": (needs.sum(axis=(1, 2, 3)) - opened, "needs", "Needs still hidden (unreported) at day end.",
                         {}, Rules("sum", "final")),
        "work_orders_opened": (opened, "orders", "Work orders opened.", {}, total),
        "work_orders_resolved": (resolved, "orders", "Work orders resolved, by the level that closed them.",
                                 {"level": LEVELS}, total),
        "work_orders_open": (np.cumsum(opened - resolved.sum(axis=1)), "orders", "Work orders open at day end.", {},
                             Rules("sum", "final")),
        "closure_rate": (np.full(days, 0.9), "share", "Cumulative work orders resolved / cumulative opened.", {},
                         Rules("ratio", "closure_rate")),
        "staff_hours": (np.outer(np.where(np.arange(days) % 7 < 5, 8.0, 0.0), [3.0, 4.0, 1.0, 0.5]), "hours", "Grid workers' hours by activity.",
                        {"activity": ACTIVITIES}, total),
        "volunteer_hours": (np.full(days, 20.0), "hours", "Volunteers' casework hours.", {}, total),
        "cross_group_tie_share": (0.2 + day / days * 0.1, "share", "Share of residents' social ties that cross "
                                  "ethnic lines.", {}, share_final),
        "dissimilarity_index": (np.full(days, 0.3), "0..1", "Multi-group dissimilarity index of households over "
                                "buildings.", {}, share_final),
        "same_group_neighbour_share": (0.6 - day / days * 0.05, "share", "Mean share of same-group households "
                                       "among a household's occupied neighbours.", {}, share_final),
        "council_meetings": (meeting, "meetings", "Council meetings held.", {}, total),
        "council_attendance": (np.outer(meeting, [5.0, 3.0, 1.0]), "attendees",
                               "Residents attending council meetings, by ethnic group.", {"group": GROUPS}, total),
        "agreement": (agreement, "share", "Share of participants agreeing at a council decision (mean over the "
                      "day's decisions).", {}, share),
        "language_matched": (matched, "share", "Share of low-proficiency residents' orders settled or escalated at "
                             "the grid by someone who speaks their language, by group.", {"group": GROUPS}, share),
        "moves_within": (np.zeros(days), "households", "Households relocating within the community.", {}, total),
        # A metric no chart names: it must still be shown.
        "whistles": (np.outer(1 + np.arange(days) % 2, [1.0, 2.0, 0.5]), "orders", "Orders the subdistrict whistled to a "
                     "department, by whistle kind.", {"kind": KINDS}, total),
    }
    for m, values in by_group.items():
        series[m] = (values, "score 0-1", f"Mean {m} of residents, by group.", {"group": GROUPS}, share_final)
    return series


def run_summaries(series: dict[str, tuple]) -> dict[str, tuple]:
    needs = series["needs_arisen"][0]
    trust = series["trust"][0][-1]
    population_trust = float(np.dot(trust, GROUP_SIZES) / sum(GROUP_SIZES))
    return {
        "closure_rate": (0.9, "share", "Work orders resolved / opened over the run.", {},
                         Rules("ratio", "closure_rate")),
        "work_orders_resolved": (series["work_orders_resolved"][0].sum(axis=0), "orders",
                                 "Total over the run: Work orders resolved, by the level that closed them.",
                                 {"level": LEVELS}, Rules("sum", "total", "work_orders_resolved")),
        "work_orders_open_end": (series["work_orders_open"][0][-1], "orders",
                                 "Work orders still open at the end of the run.", {},
                                 Rules("sum", "final", "work_orders_open")),
        "needs_hidden_end": (series["needs_hidden"][0][-1], "needs", "Needs still hidden at the end of the run.", {},
                             Rules("sum", "final", "needs_hidden")),
        "trust_final": (trust, "score 0-1", "On the last day: Mean trust of residents, by group.", {"group": GROUPS},
                        Rules("ratio", "final", "trust", population_trust, "mean")),
        "residents": (np.array(GROUP_SIZES), "residents", "Residents at the start, by ethnic group.",
                      {"group": GROUPS}, Rules("sum", "none")),
        "needs_arisen": (needs.sum(axis=0), "needs", "Needs that arose over the run, by grid, group and need type.",
                         {"grid": GRIDS, "group": GROUPS, "need_type": NEED_TYPES}, Rules("sum", "total", "needs_arisen")),
    }


def write_run_group(group: h5py.Group, series: dict, summaries: dict, days: int, contract: bool = True) -> None:
    """/timeseries and /summary; `contract`: with the attributes of the metric declarations."""
    ts = group.create_group("timeseries")
    ts.attrs.create("days", days, dtype=np.int64)
    ts.attrs.create("start_weekday", 0, dtype=np.int64)
    for name, (values, unit, description, axes, *rules) in series.items():
        write_metric(ts, name, values, unit, description, axes, daily=True, rules=rules[0] if contract and rules else None)
    summary = group.create_group("summary")
    for name, (values, unit, description, axes, *rules) in summaries.items():
        write_metric(summary, name, values, unit, description, axes, daily=False,
                     rules=rules[0] if contract and rules else None)
    group.create_group("events")  # commsim writes the group; its tables are optional


def write_run_file(path: Path, series: dict, summaries: dict, days: int = DAYS, seed: int = SEED,
                   contract: bool = True, scenario: str | None = None) -> Path:
    with h5py.File(path, "w") as f:
        write_provenance(f, seed, extra={"scenario_resolved": scenario} if scenario else None)
        write_run_group(f, series, summaries, days, contract)
    return path


# ---- sweeps ------------------------------------------------------------------------------------

REPLICATIONS = 5
# Common random numbers: each replication's noise is shared by every point.
SHARED_NOISE = np.array([0.03, -0.02, 0.01, -0.04, 0.02])
# Point 1 raises closure by 0.05 (beyond noise); point 2 and 3 differ from point 0 by this
# alternating pattern alone, whose mean is 0 (not beyond noise).
WOBBLE = np.array([0.001, -0.001, 0.001, -0.001, 0.0])
LIST_EFFECT = {0: 0.0, 1: 0.05, 2: 0.0, 3: 0.0}
CALENDARS = ["weekly_wednesday", "days_with_4"]


def list_sweep_values(point: int) -> np.ndarray:
    """closure_rate of each replication of a grid-sweep point."""
    wobble = WOBBLE if point >= 2 else 0.0
    return 0.8 + LIST_EFFECT[point] + SHARED_NOISE + wobble


def write_sweep_attrs(f: h5py.File, design: str, parameters: list[str], replications: int, extra: dict) -> h5py.Group:
    write_provenance(f, SEED, extra={"sweep_text": f"design: {design}\n", "design": design})
    sweep = f.create_group("sweep")
    sweep.attrs.create("design", design, dtype=STRING)
    sweep.attrs.create("parameters", strings(parameters), dtype=STRING)
    sweep.attrs.create("replications", replications, dtype=np.int64)
    sweep.attrs.create("seeds", "common", dtype=STRING)
    sweep.attrs.create("base_scenario", "scenarios/baseline.yaml", dtype=STRING)
    for key, value in extra.items():
        sweep.attrs.create(key, value, dtype=np.int64)
    return sweep


def write_sweep_summary(sweep: h5py.Group, fields: dict[str, np.ndarray], points: np.ndarray, replications: int):
    """/sweep/summary sorted by (point, replication); `fields` are [points x replications]."""
    columns = {
        "point": np.repeat(points, replications).astype(np.int64),
        "replication": np.tile(np.arange(replications), len(points)).astype(np.int64),
        # Common seeds: the seed depends on the replication only.
        "seed": np.tile(1000 + np.arange(replications), len(points)).astype(np.uint64),
    }
    columns.update({k: np.asarray(v, dtype=np.float64).reshape(-1) for k, v in fields.items()})
    write_table(sweep, "summary", columns)


def write_grid_sweep_file(path: Path) -> Path:
    """A 2 x 2 grid sweep: staffing.per_10k in {12, 18}, council.calendar (a string parameter)."""
    parameters = ["staffing.per_10k", "council.calendar"]
    points = np.arange(4)
    per_10k = np.array([12.0, 18.0, 12.0, 18.0])
    calendar = np.array([0.0, 0.0, 1.0, 1.0])
    closure = np.array([list_sweep_values(p) for p in points])
    trust = {g: np.outer(0.5 + 0.01 * per_10k, np.ones(REPLICATIONS)) - 0.1 * i for i, g in enumerate(GROUPS)}
    with h5py.File(path, "w") as f:
        sweep = write_sweep_attrs(f, "grid", parameters, REPLICATIONS, {})
        write_table(sweep, "points", {"point": points.astype(np.int64), "staffing.per_10k": per_10k,
                                      "council.calendar": calendar})
        sweep["points"].attrs.create("levels_council.calendar", strings(CALENDARS), dtype=STRING)
        fields = {"closure_rate": closure, **{f"trust_final/{g}": v for g, v in trust.items()},
                  **{f"residents/{g}": np.full((4, REPLICATIONS), n) for g, n in zip(GROUPS, GROUP_SIZES)}}
        write_sweep_summary(sweep, fields, points, REPLICATIONS)
        for p in points:
            for r in range(REPLICATIONS):
                run = f.create_group(f"runs/p{p:05d}/r{r:03d}")
                series = {"work_orders_open": (np.arange(10.0) + p + r, "orders", "Work orders open at day end.", {},
                                               Rules("sum", "final"))}
                summaries = {
                    "closure_rate": (closure[p, r], "share", "Work orders resolved / opened over the run.", {},
                                     Rules("ratio", "closure_rate")),
                    "trust_final": (np.array([trust[g][p, r] for g in GROUPS]), "score 0-1",
                                    "On the last day: Mean trust of residents, by group.", {"group": GROUPS},
                                    Rules("ratio", "final", "trust")),
                    "residents": (np.array(GROUP_SIZES), "residents", "Residents at the start, by ethnic group.",
                                  {"group": GROUPS}, Rules("sum", "none")),
                }
                write_run_group(run, series, summaries, days=10)
    return path


# Saltelli design: k parameters, N base rows. closure_rate = 4 u1 + 2 u2 (u: the parameters scaled
# to [0, 1]): first-order = total indices = 16/20, 4/20, 0. trust_final/Han = u3: indices 0, 0, 1.
SALTELLI_N = 128
SALTELLI_PARAMETERS = {"staffing.per_10k": (10.0, 25.0), "burden.paperwork_cut": (0.0, 0.7),
                       "volunteers.hours": (1.0, 8.0)}
SALTELLI_EXPECTED = {"closure_rate": [0.8, 0.2, 0.0], "trust_final/Han": [0.0, 0.0, 1.0]}


def saltelli_design(n: int, k: int, seed: int = 3) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Block and row of every design point and its unit-cube coordinates, in file order:
    A, B, then AB_i (A with column i from B)."""
    sample = qmc.Sobol(2 * k, seed=seed).random(n)
    a, b = sample[:, :k], sample[:, k:]
    blocks = [a, b] + [np.where(np.arange(k) == i, b, a) for i in range(k)]
    unit = np.vstack(blocks)
    block = np.repeat(np.arange(k + 2), n)
    row = np.tile(np.arange(n), k + 2)
    return block, row, unit


def write_saltelli_sweep_file(path: Path) -> Path:
    names = list(SALTELLI_PARAMETERS)
    block, row, unit = saltelli_design(SALTELLI_N, len(names))
    points = np.arange(len(block))
    low = np.array([lo for lo, _ in SALTELLI_PARAMETERS.values()])
    high = np.array([hi for _, hi in SALTELLI_PARAMETERS.values()])
    values = low + unit * (high - low)
    replications = 2
    shared = np.array([0.01, -0.01])  # common random numbers: a shift that is the same at every point
    closure = (4 * unit[:, 0] + 2 * unit[:, 1])[:, None] + shared
    trust = unit[:, 2][:, None] + shared
    with h5py.File(path, "w") as f:
        sweep = write_sweep_attrs(f, "saltelli", names, replications, {"saltelli_n": SALTELLI_N})
        columns = {"point": points.astype(np.int64), **{n: values[:, i] for i, n in enumerate(names)},
                   "saltelli_block": block.astype(np.int64), "saltelli_row": row.astype(np.int64)}
        write_table(sweep, "points", columns)
        write_sweep_summary(sweep, {"closure_rate": closure, "trust_final/Han": trust}, points, replications)
        # Each run's own output, kept to one series and one summary so the file builds quickly.
        for p in points:
            for r in range(replications):
                series = {"work_orders_open": (np.full(5, closure[p, r]), "orders", "Work orders open at day end.", {},
                                               Rules("sum", "final"))}
                summaries = {"closure_rate": (closure[p, r], "share", "Work orders resolved / opened over the run.", {},
                                              Rules("ratio", "closure_rate"))}
                write_run_group(f.create_group(f"runs/p{p:05d}/r{r:03d}"), series, summaries, days=5)
    return path


# ---- a region run (docs/output.md, "A region run") ---------------------------------------------

# The region's order, not the alphabet's: S02 first.
REGION_SUBDISTRICTS = ["S02", "S01"]
# name, subdistrict, households, closure_rate, trust_final_gap_max (score),
# closure_rate_gap_max (share), time_to_resolution_gap_max (days)
REGION_COMMUNITIES = [
    ("C03", "S02", 3000, 0.92, 0.01, 0.02, 1.5),  # a large gap in days: not on the gap's scale
    ("C01/East", "S02", 2500, 0.75, 0.01, 0.01, 0.1),  # closure below 0.8; a '/' in its name
    ("C02", "S01", 2800, 0.95, 0.08, 0.00, 0.0),  # a trust gap beyond 0.05
    ("C04", "S01", 1200, 0.80, -0.06, 0.0, 0.0),  # closure at 0.8 (not below); a gap of -0.06
    ("C05", "S01", 900, np.nan, 0.0, 0.0, 0.0),  # no orders: no closure rate
]
REGION_SUBDISTRICT_ROWS = {"S02": (0.84, 2.5, 40), "S01": (0.91, 0.0, -1)}  # closure, wait, capacity


def write_coded_table(group: h5py.Group, name: str, columns: dict[str, np.ndarray],
                      labels: dict[str, list[str]], units: dict[str, str]) -> None:
    """A table as commsim's write_table writes it: coded fields with labels_<field>, units."""
    write_table(group, name, columns)
    ds = group[name]
    ds.attrs.create("description", f"One row per {name[:-1]}.", dtype=STRING)
    for column in columns:
        ds.attrs.create(f"unit_{column}", units.get(column, ""), dtype=STRING)
        ds.attrs.create(f"description_{column}", "", dtype=STRING)
    for column, names in labels.items():
        ds.attrs.create(f"labels_{column}", strings(names), dtype=STRING)


def part_link(name: str) -> str:
    return "%2E" if name == "." else name.replace("%", "%25").replace("/", "%2F")


def write_region_run_file(path: Path) -> Path:
    """A region run: the totals (the synthetic run's), a summary group per community and
    subdistrict, and /region/communities and /region/subdistricts with the rows above."""
    series = run_series()
    with h5py.File(path, "w") as f:
        write_provenance(f, SEED)
        write_run_group(f, series, run_summaries(series), DAYS)
        f["summary/closure_rate"].attrs.create("headline_weight", 1234.0, dtype=np.float64)
        names = [c[0] for c in REGION_COMMUNITIES]
        for level, rows in (("communities", REGION_COMMUNITIES),
                            ("subdistricts", [(s, "", 0, REGION_SUBDISTRICT_ROWS[s][0]) for s in REGION_SUBDISTRICTS])):
            parent = f.create_group(level, track_order=True)
            for index, (name, subdistrict, households, closure, *_) in enumerate(rows):
                g = parent.create_group(part_link(name))
                g.attrs.create("index", index, dtype=np.int64)
                if level == "communities":
                    g.attrs.create("subdistrict", subdistrict, dtype=STRING)
                summary = g.create_group("summary")
                write_metric(summary, "closure_rate", closure, "share", "Work orders resolved / opened over the run.",
                             {}, daily=False, rules=Rules("ratio", "over_run", "", closure, "mean"))
                summary["closure_rate"].attrs.create("headline_weight", float(households), dtype=np.float64)
        region = f.create_group("region")
        c = list(zip(*REGION_COMMUNITIES))
        write_coded_table(region, "communities", {
            "community": np.arange(len(names), dtype=np.int64),
            "subdistrict": np.array([REGION_SUBDISTRICTS.index(s) for s in c[1]], dtype=np.int64),
            "households": np.array(c[2], dtype=np.int64),
            "closure_rate": np.array(c[3], dtype=np.float64),
            "trust_final_gap_max": np.array(c[4], dtype=np.float64),
            "closure_rate_gap_max": np.array(c[5], dtype=np.float64),
            "time_to_resolution_gap_max": np.array(c[6], dtype=np.float64),
        }, {"community": names, "subdistrict": REGION_SUBDISTRICTS},
            {"households": "households", "closure_rate": "share", "trust_final_gap_max": "score",
             "closure_rate_gap_max": "share", "time_to_resolution_gap_max": "days"})
        s = [REGION_SUBDISTRICT_ROWS[n] for n in REGION_SUBDISTRICTS]
        write_coded_table(region, "subdistricts", {
            "subdistrict": np.arange(len(REGION_SUBDISTRICTS), dtype=np.int64),
            "communities": np.array([c[1].count(n) for n in REGION_SUBDISTRICTS], dtype=np.int64),
            "whistle_capacity": np.array([r[2] for r in s], dtype=np.float64),
            "department_wait_mean": np.array([r[1] for r in s], dtype=np.float64),
            "closure_rate": np.array([r[0] for r in s], dtype=np.float64),
        }, {"subdistrict": REGION_SUBDISTRICTS}, {"department_wait_mean": "days", "closure_rate": "share"})
    return path
