"""The HTML reports: one for a run, one for a sweep, and a side-by-side comparison of runs.

What is shown is driven by the file. The charts below name metrics the model writes (every name
here is checked against a real baseline run by tests/analysis/test_names.py); a chart whose
metrics are absent is left out, and every daily series no chart names is still shown under
"Other daily series", so a new metric never goes unseen. How a metric combines across grids and
groups and its end-of-run rule come from the file's attributes (analysis/load.py), never from here.

How a daily series is drawn follows from its values:
  constant          (zero, or one value, every day): left out, with a note naming it
  events            (a count on at most a third of the days, a share defined on at most a third):
                    bars, or points, on the days they happen
  sparse share      (a share whose daily values are mostly exactly 0 or 1: a few cases a day):
                    the mean over a window of days, with its standard error and its denominator
  everything else   a line; daily flows (summed into a run total) as a 7-day moving average
"""

from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from . import figures, posterior
from .figures import Heatmap, Line, Panel, Response
from .load import Metric, Region, Run, Sweep, open_results, read_run, scenario_name
from .numbers import format_number, plus_minus
from .page import Page
from .progress import SILENT, Progress
from .stats import compare_to_base, mean_ci, paired_difference, replication_summary, sweep_sobol, unpaired_difference

WELLBEING = ("sense_of_gain", "happiness", "security", "trust", "belonging")

# Daily flows are noisy (weekdays, councils on fixed days); over long runs they are drawn as a
# 7-day moving average so the trend is visible. The raw values stay in the file.
SMOOTH_FROM_DAYS = 60
SMOOTH_WINDOW = 7
# A count that happens on at most this share of days is drawn as events (bars on those days).
EVENT_SHARE = 1 / 3
# A share whose defined daily values are at least this often exactly 0 or 1 is a share of a few
# cases a day; it is drawn as a mean over SPARSE_WINDOW days.
SPARSE_01_SHARE = 0.5
SPARSE_WINDOW = 28
# 95% normal quantile for the bands of windowed means and rates.
Z95 = 1.96

# A summary with more cells than this is folded away in tables (needs by grid x group x type).
LONG_BREAKDOWN = 24
# Above this many rows a table is folded away.
LONG_TABLE = 40
# Above this many metrics the table of key outcomes by point is long (a row per point and metric).
WIDE_TABLE_METRICS = 9
# Parameters with more distinct values than this are binned into quantiles for heatmaps.
HEATMAP_LEVELS = 12
HEATMAP_BINS = 5


def humanise(name: str) -> str:
    return name.replace("_", " ").replace("/", ": ").capitalize()


@dataclass(frozen=True)
class Series:
    """A metric drawn on a chart: split into a line per label of `by`, or as one total line."""

    metric: str
    by: str | None = None
    label: str | None = None


@dataclass(frozen=True)
class Chart:
    """A figure: its panels one under the other, each on its own value axis (a stock and the
    flows that feed it, or a large count beside small ones, do not share an axis)."""

    title: str
    panels: tuple[tuple[Series, ...], ...]
    stacked: bool = False
    gap: bool = False  # add a panel with the gap between the highest and the lowest line


def chart(title: str, *panels: tuple[Series, ...] | Series, stacked: bool = False, gap: bool = False) -> Chart:
    return Chart(title, tuple(p if isinstance(p, tuple) else (p,) for p in panels), stacked, gap)


def _by_group(metric: str, title: str) -> Chart:
    return chart(title, Series(metric, by="group"), gap=True)


RUN_SECTIONS: tuple[tuple[str, tuple[Chart, ...]], ...] = (
    (
        "Work orders",
        (
            chart("Work orders opened and resolved each day, and the backlog",
                  (Series("work_orders_opened", label="opened"), Series("work_orders_resolved", label="resolved")),
                  (Series("work_orders_open", label="open at day end"),
                   Series("work_orders_unresolved", label="open past their commitment"))),
            chart("Closure rate", Series("closure_rate")),
            chart("Work orders resolved by level", Series("work_orders_resolved", by="level"), stacked=True),
            chart("Response-time commitments missed", Series("commitment_breaches")),
            chart("Needs reported by channel, and needs left hidden",
                  Series("needs_reported", by="channel"), Series("needs_hidden", label="hidden")),
        ),
    ),
    (
        "Staff and volunteers",
        (
            chart("Staff hours by activity", Series("staff_hours", by="activity"), stacked=True),
            chart("Staff utilisation and overtime", Series("staff_utilisation"), Series("overtime_hours")),
            chart("Volunteer hours", Series("volunteer_hours")),
        ),
    ),
    (
        "Well-being and trust by ethnic group",
        (
            _by_group("sense_of_gain", "Sense of gain by ethnic group"),
            _by_group("happiness", "Happiness by ethnic group"),
            _by_group("security", "Security by ethnic group"),
            _by_group("trust", "Trust in the community organisation by ethnic group"),
            _by_group("belonging", "Belonging by ethnic group"),
        ),
    ),
    (
        "Integration",
        (
            chart("Share of social ties that cross ethnic lines", Series("cross_group_tie_share")),
            chart("Residential dissimilarity index", Series("dissimilarity_index")),
            chart("Share of neighbours from the same group", Series("same_group_neighbour_share")),
            chart("Orders of low-proficiency residents handled in their language, by ethnic group",
                  Series("language_matched", by="group")),
            chart("Common-language proficiency by ethnic group", Series("common_language_proficiency", by="group")),
        ),
    ),
    (
        "Councils",
        (
            chart("Council meetings and attendance by ethnic group", Series("council_meetings"),
                  Series("council_attendance", by="group")),
            chart("Agreement at council decisions", Series("agreement")),
            chart("Council topics", (Series("topics_raised", label="raised"), Series("topics_adopted", label="adopted"),
                                     Series("topics_implemented", label="implemented"))),
        ),
    ),
    (
        "Needs",
        (
            chart("Needs arisen by type", Series("needs_arisen", by="need_type"), stacked=True),
            chart("Needs arisen by ethnic group, per 1,000 residents", Series("needs_arisen", by="group")),
        ),
    ),
    (
        "Housing",
        (
            chart("Households moving", (Series("moves_in", label="in"), Series("moves_out", label="out"),
                                        Series("moves_within", label="within"))),
            chart("Vacant dwellings", Series("vacant_dwellings")),
        ),
    ),
)

# The daily series a comparison overlays, in this order, when present.
KEY_TIMESERIES = (
    "work_orders_opened",
    "work_orders_resolved",
    "work_orders_open",
    "closure_rate",
    "needs_arisen",
    "needs_reported",
    "needs_hidden",
    "staff_hours",
    "volunteer_hours",
    *WELLBEING,
    "cross_group_tie_share",
    "dissimilarity_index",
    "same_group_neighbour_share",
    "council_attendance",
)

# The end-of-run values a run report opens with and a comparison lists first, for files that do
# not mark their key summaries (the `key` attribute); in this order.
KEY_SUMMARIES = (
    "closure_rate",
    "work_orders_opened",
    "work_orders_resolved",
    "work_orders_open_end",
    "time_to_resolution_mean",
    "time_to_resolution_p90",
    "needs_hidden_end",
    "commitment_breaches",
    "casework_wait_hours_mean",
    "staff_utilisation",
    "staff_hours",
    "volunteer_hours",
    *(f"{w}_final" for w in WELLBEING),
    "wellbeing_gap_final",
    "cross_group_tie_share_final",
    "dissimilarity_index_final",
    "same_group_neighbour_share_final",
    "language_matched_share",
    "council_meetings",
    "council_attendance",
    "topics_implemented",
)

# The key outcomes a sweep report tabulates, draws and compares when no --metric is given: the
# scalars among KEY_SUMMARIES and the population value of the group breakdowns (Sweep.headline).
SWEEP_KEY_OUTCOMES = (
    "closure_rate",
    "time_to_resolution_mean",
    "work_orders_open_end",
    "needs_hidden_end",
    "casework_wait_hours_mean",
    "trust_final",
    "belonging_final",
    "sense_of_gain_final",
    "cross_group_tie_share_final",
)


def metric_names_mentioned() -> set[str]:
    """Every metric name this module refers to (tests hold them against what the model writes)."""
    charted = {s.metric for _, charts in RUN_SECTIONS for c in charts for p in c.panels for s in p}
    return charted | set(KEY_TIMESERIES) | set(KEY_SUMMARIES) | set(SWEEP_KEY_OUTCOMES) | {"residents"}


# ---- how a daily series is drawn -----------------------------------------------------------


def is_constant(values: np.ndarray) -> bool:
    finite = values[np.isfinite(values)]
    return finite.size == 0 or bool(np.all(finite == finite[0]))


def is_event(metric: Metric, values: np.ndarray) -> bool:
    days = values.shape[0]
    flat = values.reshape(days, -1)
    if metric.combine == "sum":
        happened = (np.nan_to_num(flat) != 0).any(axis=1).sum()
    else:
        happened = np.isfinite(flat).any(axis=1).sum()
    return days >= 2 * SMOOTH_WINDOW and happened <= EVENT_SHARE * days


def is_sparse_share(metric: Metric) -> bool:
    finite = metric.values[np.isfinite(metric.values)]
    return (metric.combine == "ratio" and finite.size > 0
            and float(np.mean((finite == 0) | (finite == 1))) >= SPARSE_01_SHARE)


# End-of-run rules that add a daily series up over the run (the contract's "total"; the model's
# custom "count_over_run"): such a series is a daily flow, drawn as a 7-day average.
FLOW_RULES = ("total", "count_over_run")


def is_flow(metric: Metric) -> bool:
    """A daily count that the run adds up (opened, resolved, hours), not a stock or a mean."""
    return metric.combine == "sum" and metric.rule in FLOW_RULES


def smoothed(values: np.ndarray, metric: Metric) -> np.ndarray:
    if not is_flow(metric) or len(values) < SMOOTH_FROM_DAYS:
        return values
    return pd.Series(values).rolling(SMOOTH_WINDOW, min_periods=1).mean().to_numpy()


def windowed_share(values: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean of the days with a value over a trailing window, its standard error, and the number of
    days with a value (the window's denominator)."""
    series = pd.Series(values)
    rolling = series.rolling(window, min_periods=1)
    count = rolling.count().to_numpy()
    mean = rolling.mean().to_numpy()
    sd = series.rolling(window, min_periods=2).std().to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.where(count >= 2, sd / np.sqrt(count), np.nan)
    return mean, se, count


def group_rates(counts: np.ndarray, size: float, window: int) -> tuple[np.ndarray, np.ndarray]:
    """A daily count of a group as a rate per 1,000 of its residents a day, over a trailing window,
    with the Poisson standard error of that rate."""
    total = pd.Series(np.nan_to_num(counts)).rolling(window, min_periods=1).sum().to_numpy()
    days = pd.Series(np.ones(len(counts))).rolling(window, min_periods=1).sum().to_numpy()
    scale = 1000.0 / (size * days)
    return total * scale, np.sqrt(total) * scale


def group_gap(lines: list[Line]) -> np.ndarray:
    """The distance between the highest and the lowest group on each day."""
    stacked = np.vstack([line.values for line in lines])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a day with no value in any group stays NaN
        return np.nanmax(stacked, axis=0) - np.nanmin(stacked, axis=0)


def measure_cells(run: Run, name: str, measure: str) -> np.ndarray | None:
    """Days x groups of a well-being statistic by measure and group (wellbeing_se, wellbeing_gap,
    wellbeing_gap_se) for one measure, or None when the file has none (files before group_stats)."""
    m = run.timeseries.get(name)
    if m is None or m.breakdown != ["measure", "group"] or measure not in m.labels["measure"]:
        return None
    return m.values[:, m.labels["measure"].index(measure), :]


def gap_to_rest(run: Run, measure: str) -> list[Line] | None:
    """Each group's mean minus the rest's, with a band of ±1.96 of its standard error."""
    gap, se = measure_cells(run, "wellbeing_gap", measure), measure_cells(run, "wellbeing_gap_se", measure)
    if gap is None or se is None:
        return None
    labels = run.timeseries["wellbeing_gap"].labels["group"]
    return [Line(label, gap[:, i], gap[:, i] - Z95 * se[:, i], gap[:, i] + Z95 * se[:, i])
            for i, label in enumerate(labels)]


def unit_label(units: list[str]) -> str:
    return " / ".join(dict.fromkeys(u for u in units if u)) or "value"


def sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith(".") else text + "."


@dataclass
class Drawn:
    """What a series became on a chart: its lines, how they were made, and extra panels."""

    lines: list[Line]
    unit: str
    notes: list[str] = field(default_factory=list)
    extra: list[Panel] = field(default_factory=list)
    kind: str = "line"


def group_weights(run: Run, metric: Metric, keep: list[str]) -> dict[str, np.ndarray]:
    """Residents by group as the weights of a share or mean combined over groups."""
    sizes = run.group_sizes()
    if "group" in metric.breakdown and "group" not in keep and sizes:
        return {"group": np.array([sizes.get(g, np.nan) for g in metric.labels["group"]])}
    return {}


def combine_note(run: Run, metric: Metric, keep: list[str]) -> str:
    dropped = [d for d in metric.breakdown if d not in keep]
    if not dropped:
        return ""
    if metric.combine == "sum":
        return f"summed over {', '.join(dropped)}"
    weighted = "group" in dropped and run.group_sizes()
    how = "mean weighted by residents in each group" if weighted else "mean of the cells with a value"
    return f"{how} over {', '.join(dropped)}"


def draw_series(run: Run, metric: Metric, series: Series) -> Drawn | None:
    """The lines of one series, or None when the metric cannot be drawn that way."""
    keep = [series.by] if series.by in metric.breakdown else []
    if metric.combine == "none" and [d for d in metric.breakdown if d not in keep]:
        if len(metric.breakdown) != 1 or len(metric.labels[metric.breakdown[0]]) > figures.MAX_LEGEND:
            return None
        keep = metric.breakdown  # cannot be combined: one line per label
    values = metric.collapse(keep, group_weights(run, metric, keep))
    labelled = ([(label, values[:, i]) for i, label in enumerate(metric.labels[keep[0]])] if keep
                else [(series.label or humanise(metric.name), values)])
    notes = [n for n in [combine_note(run, metric, keep)] if n]
    sizes = run.group_sizes() if keep == ["group"] else {}

    if is_event(metric, values):
        style = "bars" if metric.combine == "sum" and len(labelled) == 1 else "points"
        lines = [Line(label, np.where(np.nan_to_num(v) == 0, np.nan, v) if style == "points" and
                      metric.combine == "sum" else v, style=style) for label, v in labelled]
        notes.append("drawn on the days it happens")
        return Drawn(lines, metric.unit, notes, kind="events")

    if is_sparse_share(metric):
        lines, counts = [], []
        finite = metric.values[np.isfinite(metric.values)]
        low, high = (0.0, 1.0) if finite.min() >= 0 and finite.max() <= 1 else (-np.inf, np.inf)
        for label, v in labelled:
            mean, se, count = windowed_share(v, SPARSE_WINDOW)
            name = f"{label} (n = {format_number(sizes[label])})" if label in sizes else label
            # A share's band stays within 0..1.
            lines.append(Line(name, mean, np.clip(mean - Z95 * se, low, high), np.clip(mean + Z95 * se, low, high)))
            counts.append(Line(name, count))
        notes.append(f"a share of a few cases a day, drawn as the mean over the last {SPARSE_WINDOW} days of the "
                     "days with a value, with a band of ±1.96 standard errors of that mean")
        extra = [Panel(f"Days with a value in the last {SPARSE_WINDOW}", "days", counts)]
        return Drawn(lines, metric.unit, notes, extra, kind="window")

    if keep == ["group"] and metric.combine == "sum" and sizes:
        window = SMOOTH_WINDOW if len(values) >= SMOOTH_FROM_DAYS else 1
        lines = []
        for label, v in labelled:
            rate, se = group_rates(v, sizes.get(label, np.nan), window)
            lines.append(Line(f"{label} (n = {format_number(sizes.get(label, np.nan))})", rate,
                              rate - Z95 * se, rate + Z95 * se))
        notes.append(f"per 1,000 residents of the group a day{f', over {window} days' if window > 1 else ''}, "
                     "with a band of ±1.96 Poisson standard errors (n: residents at the start)")
        return Drawn(lines, f"{metric.unit} per 1,000 residents", notes, kind="rate")

    lines = [Line(f"{label} (n = {format_number(sizes[label])})" if label in sizes else label, smoothed(v, metric))
             for label, v in labelled]
    if is_flow(metric) and len(values) >= SMOOTH_FROM_DAYS:
        notes.append(f"{SMOOTH_WINDOW}-day moving average")
    se = measure_cells(run, "wellbeing_se", metric.name) if keep == ["group"] else None
    if se is not None and se.shape[1] == len(lines):
        for i, line in enumerate(lines):
            line.low, line.high = line.values - Z95 * se[:, i], line.values + Z95 * se[:, i]
        notes.append("with a band of ±1.96 standard errors of each group's mean (buildings as clusters: "
                     "wellbeing_se); n: residents at the start")
    elif sizes and metric.combine == "ratio":
        notes.append("n: residents at the start; the file holds group means only, so no standard-error band")
    return Drawn(lines, metric.unit, notes)


def caption_text(parts: list[tuple[str, str]], names: list[str]) -> str:
    """A caption a person reads: what each panel shows (the metrics' descriptions and how they are
    drawn), then the datasets. `parts` are (place, text) with place "" for a one-panel figure."""
    by_place: dict[str, list[str]] = {}
    for place, text in parts:
        by_place.setdefault(place, []).append(text)
    texts = [(f"{place}: " if place else "") + " ".join(t) for place, t in by_place.items()]
    return " ".join(texts) + f" Datasets: {', '.join(dict.fromkeys(names))}."


def describe_drawn(metric: Metric, drawn: Drawn) -> str:
    text = sentence(metric.description)
    if drawn.notes:
        return text[:-1] + f" ({'; '.join(drawn.notes)})." if text else sentence("; ".join(drawn.notes))
    return text


def panel_place(i: int, count: int) -> str:
    if count == 1:
        return ""
    if count == 2:
        return ("Upper panel", "Lower panel")[i]
    return f"Panel {i + 1}"


def draw_chart(page: Page, run: Run, chart_: Chart, left_out: list[str]) -> bool:
    """Adds the chart if any of its metrics is in the run with values worth drawing; says whether
    it did. Constant series go to `left_out` (named in a note under the section)."""
    panels: list[tuple[Panel, list[tuple[Metric, Drawn]]]] = []
    extra_names: list[str] = []  # datasets of the gap panel
    for group in chart_.panels:
        drawn_here = []
        for s in group:
            metric = run.timeseries.get(s.metric)
            if metric is None:
                continue
            drawn = draw_series(run, metric, s)
            if drawn is None:
                left_out.append(f"{metric.name} (its cells cannot be combined and are too many to draw)")
                continue
            if all(is_constant(line.values) for line in drawn.lines):
                finite = metric.values[np.isfinite(metric.values)]
                value = f"{format_number(finite[0])} every day" if finite.size else "no value on any day"
                left_out.append(f"{metric.name} ({value})")
                continue
            drawn_here.append((metric, drawn))
        if not drawn_here:
            continue
        lines = [line for _, d in drawn_here for line in d.lines]
        stacked = (chart_.stacked and len(lines) > 1 and all(m.combine == "sum" for m, _ in drawn_here)
                   and all(d.kind == "line" for _, d in drawn_here))
        panels.append((Panel("", unit_label([d.unit for _, d in drawn_here]), lines, stacked), drawn_here))
        for _, d in drawn_here:
            panels.extend((extra, []) for extra in d.extra)
        to_rest = gap_to_rest(run, drawn_here[0][0].name) if len(drawn_here) == 1 else None
        if chart_.gap and to_rest is not None:
            panels.append((Panel("Gap to the rest (each group minus all other residents)", "difference", to_rest),
                           []))
            extra_names += ["wellbeing_se", "wellbeing_gap", "wellbeing_gap_se"]
        elif chart_.gap and len(lines) > 1 and all(d.kind == "line" for _, d in drawn_here):
            gap = Panel("Gap between groups (highest minus lowest)", panels[-1][0].ylabel,
                        [Line("gap", group_gap(lines))])
            panels.append((gap, []))
    if not panels:
        return False
    count = len(panels)
    parts, names = [], []
    for i, (panel, drawn) in enumerate(panels):
        place = panel_place(i, count)
        if len(panel.lines) > 1 and any(line.style == "bars" for line in panel.lines):
            # Bars of several series on the same days hide each other: points instead.
            for line in panel.lines:
                line.style = "points"
                line.values = np.where(np.nan_to_num(line.values) == 0, np.nan, line.values)
        if count > 1 and not panel.title and len(panel.lines) == 1:
            panel.title = panel.lines[0].label
        if panel.title.startswith("Gap to the rest"):
            parts.append((place, "each group's mean minus the mean of all other residents, with a band of ±1.96 "
                                 "standard errors (buildings as clusters): a band that includes 0 is a gap noise "
                                 "could make."))
        elif panel.title.startswith("Gap"):
            parts.append((place, "the gap between the highest and the lowest group."))
        elif panel.title.startswith("Days with a value"):
            parts.append((place, "the days in each window with a value: the denominator of the mean above (the file "
                                 "holds no daily case counts for this share, so those days weigh equally)."))
        parts += [(place, describe_drawn(m, d)) for m, d in drawn]
        names += [m.name for m, _ in drawn]
    page.figure(figures.daily_figure(chart_.title, [p for p, _ in panels]), chart_.title,
                caption_text(parts, names + extra_names))
    return True


def default_chart(metric: Metric) -> Chart:
    """A chart for a series no section names: by group if it has one, else by its only axis."""
    if "group" in metric.breakdown:
        return chart(humanise(metric.name) + " by ethnic group", Series(metric.name, by="group"))
    if len(metric.breakdown) == 1 and len(metric.labels[metric.breakdown[0]]) <= figures.MAX_LEGEND:
        axis = metric.breakdown[0]
        return chart(f"{humanise(metric.name)} by {axis.replace('_', ' ')}", Series(metric.name, by=axis))
    return chart(humanise(metric.name), Series(metric.name))


def charted_metrics() -> set[str]:
    return {s.metric for _, charts in RUN_SECTIONS for c in charts for p in c.panels for s in p}


def add_left_out(page: Page, left_out: list[str]) -> None:
    if left_out:
        page.paragraph("Not drawn, because nothing changes: " + "; ".join(left_out) + ".", note=True)


# ---- tables ------------------------------------------------------------------------------


def last_value(values: np.ndarray) -> float:
    finite = values[np.isfinite(values)]
    return float(finite[-1]) if len(finite) else np.nan


def wellbeing_table(run: Run) -> pd.DataFrame:
    """Each well-being metric on the last day, by group, with the gap between groups."""
    rows = []
    for name in WELLBEING:
        m = run.timeseries.get(name)
        if m is None or "group" not in m.breakdown:
            continue
        by_group = m.collapse(["group"])
        values = {g: last_value(by_group[:, i]) for i, g in enumerate(m.labels["group"])}
        finite = [v for v in values.values() if np.isfinite(v)]
        gap = max(finite) - min(finite) if finite else np.nan
        rows.append({"metric": name, "unit": m.unit, **values, "gap (highest - lowest)": gap})
    return pd.DataFrame(rows)


GAP_SUMMARIES = ("reported_share", "closure_rate", "time_to_resolution", "language_matched_share")


def group_gap_table(run: Run) -> pd.DataFrame:
    """Each group against the rest at the end of the run: the well-being measures on the last day
    and the casework outcomes over the run, the gap with its standard error and 95% interval."""
    rows = []
    gap, se, ci = (run.summary.get(n) for n in ("wellbeing_gap_final", "wellbeing_gap_se_final", "wellbeing_gap_ci"))
    if gap is not None and se is not None and ci is not None and gap.breakdown == ["measure", "group"]:
        for i, measure in enumerate(gap.labels["measure"]):
            for j, group in enumerate(gap.labels["group"]):
                rows.append({"outcome": measure, "group": group, "gap to the rest": gap.values[i, j],
                             "se": se.values[i, j], "95% low": ci.values[i, j, 0], "95% high": ci.values[i, j, 1]})
    for name in GAP_SUMMARIES:
        m = run.summary.get(name + "_gap")
        if m is None or m.breakdown != ["group", "estimate"]:
            continue
        for j, group in enumerate(m.labels["group"]):
            g, e, low, high = (m.values[j, m.labels["estimate"].index(k)] for k in ("gap", "se", "low", "high"))
            rows.append({"outcome": name, "group": group, "gap to the rest": g, "se": e, "95% low": low,
                         "95% high": high})
    table = pd.DataFrame(rows)
    if not table.empty:
        table["beyond noise"] = np.where((table["95% low"] > 0) | (table["95% high"] < 0), "yes", "")
    return table


def cells_text(metric: Metric) -> str:
    """A small breakdown as `Han 0.5473 · Hui 0.5302`; empty for a scalar or a large breakdown."""
    if len(metric.breakdown) != 1 or metric.values.size > figures.MAX_LEGEND:
        return ""
    labels = metric.labels[metric.breakdown[0]]
    return " · ".join(f"{label} {format_number(v)}" for label, v in zip(labels, metric.values.ravel()))


HEADLINE_KIND = {"total": "total", "mean": "population mean", "value": "value", "none": ""}


def key_summaries(run: Run) -> list[str]:
    """The key outcomes of a run: the summaries the file marks `key`, in file order; for a file
    without that attribute, KEY_SUMMARIES."""
    if any(m.key is not None for m in run.summary.values()):
        return [name for name, m in run.summary.items() if m.key]
    return [name for name in KEY_SUMMARIES if name in run.summary]


def key_summary_table(run: Run) -> pd.DataFrame:
    rows = []
    for name in key_summaries(run):
        m = run.summary[name]
        rows.append({
            "summary": name,
            "value": format_number(m.headline) if m.headline_kind in ("total", "mean", "value") else "–",
            "of": HEADLINE_KIND.get(m.headline_kind, m.headline_kind),
            "unit": m.unit,
            "by cell": cells_text(m),
            "what it is": m.description,
        })
    return pd.DataFrame(rows)


def add_summary_tables(page: Page, summary: pd.DataFrame, columns: list[str]) -> None:
    """Summary values, one row per field (`trust_final/Hui`): metrics with few cells in one table,
    each larger breakdown (needs by grid x group x type) folded in a table of its own."""
    if summary.empty:
        page.paragraph("The file holds no /summary values.", note=True)
        return
    shown = summary.rename(columns={"field": "summary"})
    columns = ["summary" if c == "field" else c for c in columns]
    if "description" in shown.columns:
        # A breakdown's description is said once, on its first row.
        shown.loc[shown["metric"].duplicated(), "description"] = ""
    sizes = shown.groupby("metric", sort=False)["summary"].transform("size")
    page.table(shown.loc[sizes <= LONG_BREAKDOWN, columns], collapsed=f"{int((sizes <= LONG_BREAKDOWN).sum())} values")
    for metric, rows in shown.loc[sizes > LONG_BREAKDOWN].groupby("metric", sort=False):
        page.table(rows[columns], collapsed=f"{metric}: {len(rows)} values")


def provenance_items(provenance: dict) -> dict:
    keys = ("seed", "run", "commsim_version", "git_commit", "build_type", "overrides", "start_time", "wall_seconds",
            "threads", "compiler", "libraries", "design")
    items = {"scenario": scenario_name(provenance)}
    for key in keys:
        if key in provenance:
            value = provenance[key]
            # As text: a seed or commit is copied, not read as a quantity (no thousands separators).
            items[key.replace("_", " ")] = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return items


def add_provenance(page: Page, provenance: dict) -> None:
    page.heading("Provenance")
    if not provenance:
        page.paragraph("The file has no /provenance group.", note=True)
        return
    page.definitions(provenance_items(provenance))
    for key, title in (("scenario_text", "Scenario file as given"), ("scenario_resolved", "Resolved scenario"),
                       ("sweep_text", "Sweep file")):
        if provenance.get(key):
            page.preformatted(str(provenance[key]), title)


def fallback_note(fallbacks: set[str]) -> str:
    if not fallbacks:
        return ""
    return ("This file lacks the attributes " + ", ".join(sorted(fallbacks)) + " on some datasets (it was written "
            "by a commsim from before the metric declarations). For those: how cells combine is taken from "
            "the unit's spelling (analysis/load.py, FALLBACK_COMBINE_BY_UNIT; unknown units are not combined), "
            "a daily series' end-of-run rule from the /summary made from it, and a group breakdown's headline "
            "is weighted by residents at the start.")


# ---- a region run ------------------------------------------------------------------------

# The screening thresholds of "Communities against thresholds" (`--closure-threshold`,
# `--gap-threshold`): choices for a first look at which communities to read closely, not figures
# from a source. The closure screened is closure_rate (every work order the community opened, most
# closed on the grid); it is not Huairen's 95.3%, which is of the items passed up to the city
# platform (closure_left_grid, docs/model.md §3.18), so no seed figure anchors 0.8. A group 5
# points (of a 0..1 share or score) off the rest of its community is a gap to ask about.
CLOSURE_THRESHOLD = 0.8
GAP_THRESHOLD = 0.05
# Gap fields (`<summary>_gap_max`) on these scales are held against the gap threshold; one in
# other units (days) has no common scale with it and is only listed.
GAP_UNITS = ("share", "score", "index", "difference")
GAP_SUFFIX = "_gap_max"


@dataclass(frozen=True)
class Thresholds:
    closure: float = CLOSURE_THRESHOLD  # a community below this closure_rate is listed
    gap: float = GAP_THRESHOLD  # ... and one with a group gap larger than this (in absolute value)


def gap_fields(region: Region, run: Run | None = None) -> tuple[list[str], list[str]]:
    """The `<summary>_gap_max` fields of /region/communities that the gap threshold applies to (on
    a 0..1 scale, GAP_UNITS) and those it does not. A field's unit is its `unit_<field>`, else
    that of the summary it is the gap of in the run's /summary; a field of unknown unit is not
    compared."""
    units = region.units.get("communities", {})
    compared, other = [], []
    for name in region.communities.columns:
        if not name.endswith(GAP_SUFFIX):
            continue
        unit = units.get(name, "")
        source = run.summary.get(name[: -len(GAP_SUFFIX)]) if run is not None else None
        if not unit and source is not None:
            unit = source.unit
        (compared if unit in GAP_UNITS else other).append(name)
    return compared, other


def flagged_communities(region: Region, thresholds: Thresholds, run: Run | None = None) -> pd.DataFrame:
    """The communities below the closure threshold or with a group gap beyond the gap threshold,
    by subdistrict then community (the region's order): their closure rate and compared gaps, and
    why each is listed. A community without a closure rate (no orders) is not below it."""
    table = region.communities
    if table.empty or "community" not in table.columns:
        return pd.DataFrame()
    gaps, _ = gap_fields(region, run)
    closure = table["closure_rate"] if "closure_rate" in table.columns else pd.Series(np.nan, index=table.index)
    below = closure < thresholds.closure
    beyond = table[gaps].abs() > thresholds.gap if gaps else pd.DataFrame(index=table.index)
    listed = below | beyond.any(axis=1) if gaps else below
    reasons = []
    for i in table.index[listed]:
        why = [f"closure {format_number(closure[i])} < {format_number(thresholds.closure)}"] if below[i] else []
        for g in gaps:
            if not beyond.at[i, g]:
                continue
            # The engine says whether the gap's 95% interval excludes 0 (`<field>_significant`: 1
            # yes, 0 no, -1 not defined): a gap of a few residents may be noise.
            sig = table.at[i, g + "_significant"] if g + "_significant" in table.columns else -1
            note = {1: " (95% CI excludes 0)", 0: " (95% CI includes 0)"}.get(int(sig), "")
            why.append(f"{g[: -len(GAP_SUFFIX)]} gap {format_number(table.at[i, g])}{note}")
        reasons.append("; ".join(why))
    keys = [c for c in ("subdistrict", "community") if c in table.columns]
    shown = [*keys, *[c for c in ("households", "closure_rate") if c in table.columns], *gaps]
    out = table.loc[listed, shown].assign(**{"listed because": reasons})
    return out.sort_values(keys, kind="stable").reset_index(drop=True)


def subdistrict_threshold_table(region: Region, flagged: pd.DataFrame, thresholds: Thresholds,
                                run: Run | None = None) -> pd.DataFrame:
    """Per subdistrict, in the region's order: its communities, how many are listed below the
    closure threshold, beyond the gap threshold and either, and the subdistrict's own closure rate
    and departments' wait (/region/subdistricts)."""
    communities = region.communities
    if communities.empty or "subdistrict" not in communities.columns:
        return pd.DataFrame()
    gaps, _ = gap_fields(region, run)
    rows = []
    names = (list(region.subdistricts["subdistrict"]) if "subdistrict" in region.subdistricts.columns
             else list(dict.fromkeys(communities["subdistrict"])))
    own = region.subdistricts.set_index("subdistrict") if "subdistrict" in region.subdistricts.columns else None
    for name in names:
        members = communities[communities["subdistrict"] == name]
        closure = members["closure_rate"] if "closure_rate" in members.columns else pd.Series(np.nan, index=members.index)
        below = int((closure < thresholds.closure).sum())
        beyond = int((members[gaps].abs() > thresholds.gap).any(axis=1).sum()) if gaps else 0
        listed = int((flagged["subdistrict"] == name).sum()) if "subdistrict" in flagged.columns else 0
        row = {"subdistrict": name, "communities": len(members),
               f"closure below {format_number(thresholds.closure)}": below,
               f"a gap beyond {format_number(thresholds.gap)}": beyond, "listed": listed,
               "share listed": listed / len(members) if len(members) else np.nan}
        if own is not None:
            for column in ("closure_rate", "department_wait_mean"):
                if column in own.columns:
                    row[f"subdistrict {column}"] = own.at[name, column] if name in own.index else np.nan
        rows.append(row)
    return pd.DataFrame(rows)


def add_region_section(page: Page, run: Run, thresholds: Thresholds) -> None:
    region = run.region
    page.heading("Communities against thresholds")
    communities = region.communities
    count = len(communities)
    subdistricts = len(region.subdistricts) if not region.subdistricts.empty else (
        communities["subdistrict"].nunique() if "subdistrict" in communities.columns else 0)
    page.paragraph(f"A region run: {count} communities in {subdistricts} subdistricts. The key outcomes above are "
                   "the region's totals (counts summed over the communities, shares and means pooled by their "
                   "denominators). Listed here: the communities whose closure rate is below "
                   f"{format_number(thresholds.closure)} (--closure-threshold) or where some group's value differs "
                   f"from the rest's by more than {format_number(thresholds.gap)} (--gap-threshold; the "
                   "<summary>_gap_max fields of /region/communities on a 0..1 scale), by subdistrict then "
                   "community. Screening thresholds, not targets from a source.")
    if "closure_rate" not in communities.columns:
        page.paragraph("/region/communities has no closure_rate field: no community is compared with the closure "
                       "threshold.", note=True)
    compared, other = gap_fields(region, run)
    if other:
        page.paragraph("Gap fields not on a 0..1 scale, not compared with the gap threshold: " + ", ".join(other)
                       + ".", note=True)
    flagged = flagged_communities(region, thresholds, run)
    if flagged.empty:
        page.paragraph("No community is below the closure threshold or beyond the gap threshold.", note=True)
    else:
        page.table(flagged, collapsed=f"{len(flagged)} communities" if len(flagged) > LONG_TABLE else None)
    by_subdistrict = subdistrict_threshold_table(region, flagged, thresholds, run)
    if not by_subdistrict.empty:
        page.paragraph("By subdistrict: its communities, those listed above (below the closure threshold, beyond "
                       "the gap threshold, either), and the subdistrict's own closure rate (its communities' pooled) "
                       "and its departments' mean wait for whistled orders (days).")
        page.table(by_subdistrict, collapsed=f"{len(by_subdistrict)} subdistricts"
                   if len(by_subdistrict) > LONG_TABLE else None)
    communities.to_csv(page.folder / "region_communities.csv", index=False)
    page.link("region_communities.csv", "Every community's row of /region/communities (CSV)")


# ---- a run -------------------------------------------------------------------------------


def run_report(run: Run, page: Page, progress: Progress = SILENT, thresholds: Thresholds = Thresholds()) -> None:
    page.paragraph(
        f"Scenario {scenario_name(run.provenance)}, seed {run.provenance.get('seed', '?')}, {run.days} days. "
        f"File: {run.source}."
    )
    if note := fallback_note(run.fallbacks):
        page.paragraph(note, note=True)
    page.heading("Key outcomes")
    key = key_summary_table(run)
    if key.empty:
        page.paragraph("None of the key summaries is in this file.", note=True)
    else:
        page.paragraph("At the end of the run. Value: the total for counts; for shares and means the population "
                       "value (numerators and denominators summed over grids and groups).")
        page.table(key)
    if run.region is not None:
        progress.stage("run report: communities against thresholds")
        add_region_section(page, run, thresholds)
    sections = len(RUN_SECTIONS) + 1
    for n, (title, charts) in enumerate(RUN_SECTIONS, 1):
        progress.stage(f"run report: {title.lower()} ({n}/{sections})")
        page.heading(title)
        left_out: list[str] = []
        drawn = [draw_chart(page, run, c, left_out) for c in charts]
        if title.startswith("Well-being"):
            table = wellbeing_table(run)
            if not table.empty:
                page.paragraph("On the last day of the run:")
                page.table(table)
            gaps = group_gap_table(run)
            if not gaps.empty:
                page.paragraph("Each group against the rest of the residents (its mean minus theirs), with the "
                               "standard error and 95% interval of that difference (group_stats: well-being with "
                               "buildings, casework with grids as clusters); \"beyond noise\": the interval "
                               "excludes 0.")
                page.table(gaps)
        add_left_out(page, left_out)
        if not any(drawn) and not left_out:
            wanted = ", ".join(dict.fromkeys(s.metric for c in charts for p in c.panels for s in p))
            page.paragraph(f"None of these metrics is in this file (looked for {wanted}).", note=True)
    others = [m for name, m in run.timeseries.items() if name not in charted_metrics()]
    if others:
        progress.stage(f"run report: other daily series ({sections}/{sections})")
        page.heading("Other daily series")
        left_out = []
        for metric in others:
            draw_chart(page, run, default_chart(metric), left_out)
        add_left_out(page, left_out)
    page.heading("All summary values")
    summary = run.summary_frame()
    add_summary_tables(page, summary, ["field", "value", "unit", "description"])
    summary.to_csv(page.folder / "summary.csv", index=False)
    page.link("summary.csv", "All summary values (CSV)")
    add_provenance(page, run.provenance)


# ---- a sweep -----------------------------------------------------------------------------


def with_headlines(sweep: Sweep) -> Sweep:
    """The sweep with a column per group breakdown's population value (`trust_final`) added to its
    summary table, so key outcomes can name it; the original columns stay."""
    added = {}
    for metric in sweep.summaries:
        if metric in sweep.summary.columns:
            continue
        value = sweep.headline(metric)
        if value is not None:
            added[metric] = value
    if not added:
        return sweep
    summary = pd.concat([sweep.summary, pd.DataFrame(added)], axis=1)
    units = {**sweep.units, **{m: sweep.summaries[m].unit for m in added}}
    return Sweep(sweep.source, sweep.provenance, sweep.attrs, sweep.points, summary, units, sweep.levels,
                 sweep.summaries)


def varying(sweep: Sweep, field_name: str) -> bool:
    return sweep.summary[field_name].nunique(dropna=True) > 1


def key_metrics(sweep: Sweep) -> list[str]:
    """The summary fields a sweep report shows by default: the key outcomes that vary across runs
    (a constant has no response and no sensitivity)."""
    return [m for m in SWEEP_KEY_OUTCOMES if m in sweep.summary.columns and varying(sweep, m)]


def all_metrics(sweep: Sweep) -> list[str]:
    """Every scalar field and small breakdown that varies (--all-metrics)."""
    fields = sweep.metrics
    per_metric = pd.Series([f.split("/", 1)[0] for f in fields]).value_counts()
    return [f for f in fields if f.count("/") <= 1 and per_metric[f.split("/", 1)[0]] <= figures.MAX_LEGEND
            and varying(sweep, f)]


def ci_text(low: float, high: float) -> str:
    return f"[{format_number(low)}, {format_number(high)}]" if np.isfinite(low) else "–"


def point_means_table(sweep: Sweep, means: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """Points as rows, the chosen metrics (in `order`) as columns of `mean ± half the 95% CI`."""
    wide = means.assign(text=[plus_minus(*r) for r in means[["mean", "low", "high"]].itertuples(index=False)])
    wide = wide.pivot(index="point", columns="metric", values="text")[order].reset_index()
    wide.columns.name = None
    wide.insert(1, "settings", [sweep.describe_point(p) for p in wide["point"]])
    return wide


def marginal_trend(x: pd.Series, y: pd.Series, replication: pd.Series
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Mean of y at each value of x (or in ten quantile bins of x when x is continuous: an LHS or
    Saltelli design), over the points there, so the response reads through the spread of the other
    parameters; with the 95% CI of that mean over replications (each replication's mean over the
    points at that value; with common seeds a replication is one draw of the noise)."""
    keys = x if x.nunique() <= 20 else pd.qcut(x, 10, duplicates="drop")
    rows = []
    for _, values in y.groupby(keys, observed=True):
        per_replication = values.groupby(replication[values.index]).mean()
        ci = mean_ci(per_replication)
        rows.append((float(x[values.index].mean()), float(values.mean()), ci.low, ci.high))
    if not rows:
        return (np.array([]),) * 4
    out = np.array(rows, dtype=float)
    return out[:, 0], out[:, 1], out[:, 2], out[:, 3]


def varied_parameters(sweep: Sweep) -> list[str]:
    """Parameters that take two or more values; a one-level parameter has no response to draw."""
    return [p for p in sweep.parameters if sweep.points[p].nunique(dropna=False) > 1]


def responses(sweep: Sweep, metric: str, means: pd.DataFrame) -> list[Response]:
    table = means.merge(sweep.points, on="point")
    runs = sweep.runs
    out = []
    for p in varied_parameters(sweep):
        trend_x, trend_y, trend_low, trend_high = marginal_trend(runs[p], runs[metric], runs["replication"])
        ticks = sweep.levels.get(p)
        out.append(Response(p, table[p].to_numpy(), table["mean"].to_numpy(), table["low"].to_numpy(),
                            table["high"].to_numpy(), trend_x, trend_y, ticks, trend_low, trend_high))
    return out


def heatmap_axis(sweep: Sweep, parameter: str, values: pd.Series) -> tuple[pd.Series, list[str]]:
    """Each point's cell along a parameter: its value when few, else its quantile bin."""
    if values.nunique() <= HEATMAP_LEVELS:
        levels = sorted(values.unique())
        return values.map({v: i for i, v in enumerate(levels)}), [sweep.level_name(parameter, v) for v in levels]
    bins = pd.qcut(values, HEATMAP_BINS, duplicates="drop")
    return (pd.Series(bins.cat.codes, index=values.index),
            [f"{format_number(b.left)}–{format_number(b.right)}" for b in bins.cat.categories])


def heatmaps(sweep: Sweep, means: pd.DataFrame) -> list[Heatmap]:
    table = means.merge(sweep.points, on="point")
    out = []
    for x, y in itertools.combinations(varied_parameters(sweep), 2):
        xi, x_labels = heatmap_axis(sweep, x, table[x])
        yi, y_labels = heatmap_axis(sweep, y, table[y])
        grid = np.full((len(y_labels), len(x_labels)), np.nan)
        for (i, j), value in table["mean"].groupby([yi, xi]).mean().items():
            grid[i, j] = value
        out.append(Heatmap(x, y, grid, x_labels, y_labels))
    return out


def comparison_table(sweep: Sweep, metrics: list[str]) -> tuple[pd.DataFrame, str]:
    base = 0 if (sweep.points["point"] == 0).any() else int(sweep.points["point"].min())
    paired = sweep.attrs.get("seeds", "common") == "common"
    diff = compare_to_base(sweep.summary, metrics, base_point=base, paired=paired)
    table = pd.DataFrame(
        {
            "point": diff["point"],
            "settings": [sweep.describe_point(p) for p in diff["point"]],
            "metric": diff["metric"],
            "unit": diff["metric"].map(sweep.units).fillna(""),
            f"base (point {base})": diff["base_mean"],
            "point mean": diff["point_mean"],
            "difference": diff["difference"],
            "95% CI": [ci_text(lo, hi) for lo, hi in zip(diff["low"], diff["high"])],
            "beyond noise": diff["beyond_noise"],
        }
    )
    how = ("paired by replication (common random numbers: replication r of every point shares its seed)"
           if paired else "unpaired (Welch), because the sweep used independent seeds")
    note = (f"Each point minus point {base}, {how}. Beyond noise: the 95% CI of the difference excludes 0. "
            "With fewer than two replications there is no CI and nothing is beyond noise.")
    return table, note


def add_sobol(page: Page, sweep: Sweep, metrics: list[str]) -> None:
    page.heading("Sensitivity: Sobol indices")
    page.paragraph(
        "First-order index S1: the share of the metric's variance due to the parameter alone; total "
        "index ST: including its interactions. Saltelli (2010) estimator for S1, Jansen for ST, on the "
        f"mean over replications of each design point (N = {sweep.attrs.get('saltelli_n', '?')}); "
        "95% CIs from 500 bootstrap resamples of the design rows."
    )
    tables = []
    for metric in metrics:
        try:
            table = sweep_sobol(sweep, metric)
        except ValueError as error:  # an incomplete design, e.g. a merge still in progress
            page.paragraph(f"{metric}: no indices ({error}).", note=True)
            continue
        tables.append(table)
        unit = sweep.units.get(metric, "")
        page.figure(figures.sobol_figure(f"Sobol indices of {metric}" + (f" ({unit})" if unit else ""), table),
                    f"sobol_{metric}", f"First-order and total Sobol indices of {metric}, with 95% bootstrap CIs.")
    if tables:
        all_indices = pd.concat(tables, ignore_index=True)
        shown = pd.DataFrame({
            "metric": all_indices["metric"],
            "parameter": all_indices["parameter"],
            "S1": all_indices["S1"],
            "S1 95% CI": [ci_text(a, b) for a, b in zip(all_indices["S1_low"], all_indices["S1_high"])],
            "ST": all_indices["ST"],
            "ST 95% CI": [ci_text(a, b) for a, b in zip(all_indices["ST_low"], all_indices["ST_high"])],
        })
        page.table(shown)
        all_indices.to_csv(page.folder / "sobol_indices.csv", index=False)
        page.link("sobol_indices.csv", "Sobol indices (CSV)")


def describe(sweep: Sweep, metric: str) -> str:
    info = sweep.summaries.get(metric.split("/", 1)[0])
    if info is None:
        return metric
    whose = f" ({metric.split('/', 1)[1]})" if "/" in metric else (
        " (all residents: the group means weighted by residents)" if info.dims == ["group"] else "")
    return f"{metric}: {sentence(info.description)[:-1]}{whose}."


def sweep_report(sweep: Sweep, page: Page, metrics: list[str] | None = None, every: bool = False,
                 progress: Progress = SILENT) -> None:
    sweep = with_headlines(sweep)
    unknown = [m for m in metrics or [] if m not in sweep.metrics]
    if metrics:
        chosen = [m for m in metrics if m in sweep.metrics]
    else:
        chosen = all_metrics(sweep) if every else key_metrics(sweep)
    replications = sweep.summary.groupby("point").size()
    page.paragraph(
        f"Design {sweep.design} over {', '.join(sweep.parameters) or 'no parameter'}: {len(sweep.points)} points, "
        f"{int(replications.max()) if len(replications) else 0} replications each, seeds "
        f"{sweep.attrs.get('seeds', '?')}. Base scenario: {sweep.attrs.get('base_scenario', '?')}. "
        f"File: {sweep.source}."
    )
    if unknown:
        page.paragraph(f"Not in /sweep/summary, left out: {', '.join(unknown)}.", note=True)
    progress.stage("sweep report: means and CIs of every field at every point")
    means = replication_summary(sweep.summary, sweep.metrics)
    means.assign(unit=means["metric"].map(sweep.units).fillna("")).to_csv(page.folder / "point_means.csv", index=False)
    sweep.runs.to_csv(page.folder / "runs.csv", index=False)
    key_means = means[means["metric"].isin(chosen)]

    page.heading("Key outcomes by point")
    if not chosen:
        page.paragraph("No chosen summary metric varies across the runs; nothing to plot.", note=True)
        page.table(sweep.points, collapsed=f"{len(sweep.points)} points" if len(sweep.points) > LONG_TABLE else None)
    else:
        page.paragraph("Mean over replications ± half the width of its 95% CI (Student t). "
                       + ("Chosen with --metric." if metrics else
                          "Chosen metrics; --metric FIELD shows others, --all-metrics every varying field."))
        page.definitions({m: describe(sweep, m)[len(m) + 2:] for m in chosen})
        if len(chosen) <= WIDE_TABLE_METRICS:
            page.table(point_means_table(sweep, key_means, chosen))
        else:
            # Many metrics: one row per point and metric, so the table is long, never wider than the page.
            long = pd.DataFrame({"point": key_means["point"],
                                 "settings": [sweep.describe_point(p) for p in key_means["point"]],
                                 "metric": key_means["metric"],
                                 "mean ± half the 95% CI": [plus_minus(*r) for r in
                                                            key_means[["mean", "low", "high"]].itertuples(index=False)],
                                 "unit": key_means["metric"].map(sweep.units).fillna("")})
            page.table(long, collapsed=f"{len(long)} values" if len(long) > LONG_TABLE else None)
    page.link("point_means.csv", "Mean and CI of every summary field at every point (CSV)")
    page.link("runs.csv", "Every run's summaries with its point's parameters (CSV)")

    if varied_parameters(sweep) and chosen:
        page.heading("Response curves")
        for n, metric in enumerate(chosen):
            progress.tick(n, len(chosen))
            unit = sweep.units.get(metric, "")
            rows = key_means[key_means["metric"] == metric]
            page.figure(figures.response_figure(f"{humanise(metric)} against each parameter", unit,
                                                responses(sweep, metric, rows)),
                        f"response_{metric}", f"{describe(sweep, metric)} Points: the mean over replications at "
                        "each design point with its 95% CI; line and band: the mean at each parameter value over "
                        "the points there, with its 95% CI over replications.")
    if len(varied_parameters(sweep)) >= 2 and chosen:
        progress.stage("sweep report: heatmaps")
        page.heading("Heatmaps over pairs of parameters")
        for n, metric in enumerate(chosen):
            progress.tick(n, len(chosen))
            rows = key_means[key_means["metric"] == metric]
            page.figure(figures.heatmap_figure(f"{humanise(metric)}: mean over points in each cell",
                                               sweep.units.get(metric, ""), heatmaps(sweep, rows)),
                        f"heatmap_{metric}", f"{describe(sweep, metric)} Averaged over the points (and other "
                        "parameters) in each cell; one colour scale for every panel.")

    if sweep.design == "saltelli":
        progress.stage("sweep report: Sobol indices")
        add_sobol(page, sweep, chosen)
    elif len(sweep.points) > 1 and chosen:
        progress.stage("sweep report: policy comparison")
        page.heading("Policy comparison against the base point")
        table, note = comparison_table(sweep, chosen)
        full, _ = comparison_table(sweep, sweep.metrics)
        full.to_csv(page.folder / "policy_comparison.csv", index=False)
        page.paragraph(note + " The table holds the chosen metrics; the CSV every summary field.")
        page.table(table, collapsed=f"{len(table)} comparisons" if len(table) > LONG_TABLE else None)
        page.link("policy_comparison.csv", "Every point against the base point, every summary field (CSV)")
    add_provenance(page, {**sweep.provenance, "design": sweep.design})


# ---- comparing runs ----------------------------------------------------------------------


def run_labels(runs: list[Run]) -> list[str]:
    """File names, made unique with their folder when two files share a name."""
    stems = [r.label for r in runs]
    if len(set(stems)) == len(stems):
        return stems
    paths = [str(Path(r.source).with_suffix("")) for r in runs]
    # The same file given twice: number the repeats.
    return [p if paths[:i].count(p) == 0 else f"{p} ({paths[:i].count(p) + 1})" for i, p in enumerate(paths)]


def flatten(value, prefix: str = "") -> dict[str, object]:
    """A YAML value as key paths (`staffing.full_time_per_10k`, `community.groups[1].share`)."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            out.update(flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    if isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        out = {}
        for i, v in enumerate(value):
            out.update(flatten(v, f"{prefix}[{i}]"))
        return out
    return {prefix: value}


def resolved_scenario(run: Run) -> dict[str, object]:
    try:
        return flatten(yaml.safe_load(run.provenance.get("scenario_resolved", "")) or {})
    except yaml.YAMLError:
        return {}


def scenario_changes(reference: Run, other: Run) -> list[tuple[str, object, object]]:
    """The keys whose resolved values differ: (key path, reference value, this run's value)."""
    a, b = resolved_scenario(reference), resolved_scenario(other)
    missing = object()
    changes = []
    for key in list(dict.fromkeys([*a, *b])):
        va, vb = a.get(key, missing), b.get(key, missing)
        if va != vb:
            changes.append((key, "(absent)" if va is missing else va, "(absent)" if vb is missing else vb))
    return changes


def change_text(changes: list[tuple[str, object, object]], limit: int | None = None) -> str:
    if not changes:
        return "same resolved scenario"
    shown = changes if limit is None else changes[:limit]
    text = "; ".join(f"{k}: {a} → {b}" for k, a, b in shown)
    return text + (f"; and {len(changes) - limit} more" if limit is not None and len(changes) > limit else "")


def comparison_summary(runs: list[Run], labels: list[str]) -> pd.DataFrame:
    merged = None
    for run, label in zip(runs, labels):
        frame = run.summary_frame()[["metric", "field", "unit", "value"]].rename(columns={"value": label})
        merged = frame if merged is None else merged.merge(frame, on=["metric", "field", "unit"], how="outer")
    for label in labels[1:]:
        merged[f"{label} - {labels[0]}"] = merged[label] - merged[labels[0]]
    return merged


def weekly_means(run: Run, metric: Metric) -> np.ndarray:
    """The metric, combined over its breakdown, as the mean of each whole week of the run."""
    values = metric.collapse([], group_weights(run, metric, []))
    weeks = len(values) // 7
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(values[: weeks * 7].reshape(weeks, 7), axis=1) if weeks else np.array([])


def daily_differences(runs: list[Run], labels: list[str]) -> pd.DataFrame:
    """Each key daily series' mean per day in each run minus the first, with a 95% CI over whole
    weeks: paired week by week when the two runs share their seed (common random numbers), else
    Welch's unpaired interval. Weeks, not days, so a day's dependence on the day before matters less."""
    reference, ref_label = runs[0], labels[0]
    rows = []
    for name in KEY_TIMESERIES:
        base = reference.timeseries.get(name)
        if base is None or base.combine == "none" and base.breakdown:
            continue
        base_weeks = weekly_means(reference, base)
        for run, label in zip(runs[1:], labels[1:]):
            other = run.timeseries.get(name)
            if other is None or other.dims != base.dims:
                continue
            weeks = weekly_means(run, other)
            paired = (run.provenance.get("seed") == reference.provenance.get("seed")
                      and len(weeks) == len(base_weeks))
            diff = (paired_difference(pd.Series(weeks), pd.Series(base_weeks)) if paired
                    else unpaired_difference(weeks, base_weeks))
            rows.append({"series": name, "unit": base.unit, "file": label, f"{ref_label} (mean a day)":
                         np.nanmean(base_weeks) if len(base_weeks) else np.nan,
                         "this file (mean a day)": np.nanmean(weeks) if len(weeks) else np.nan,
                         "difference": diff.mean, "95% CI": ci_text(diff.low, diff.high),
                         "paired by week": paired, "beyond noise": diff.beyond_noise})
    return pd.DataFrame(rows)


def overlay_panels(run_: list[Run], metric_name: str, labels: list[str]) -> list[Panel]:
    """One panel per group (when the metric has a group axis), a line per run in each."""
    present = [(run, label, run.timeseries[metric_name])
               for run, label in zip(run_, labels) if metric_name in run.timeseries]
    unit = unit_label([m.unit for _, _, m in present])
    groups = list(dict.fromkeys(g for _, _, m in present for g in m.labels.get("group", [])))
    if not groups or any(m.combine == "sum" for _, _, m in present):
        lines = [Line(label, smoothed(m.collapse([], group_weights(run, m, [])), m)) for run, label, m in present]
        return [Panel("", unit, lines)]
    panels = []
    for group in groups:
        lines = [Line(label, smoothed(m.collapse(["group"])[:, m.labels["group"].index(group)], m))
                 for _, label, m in present if group in m.labels.get("group", [])]
        panels.append(Panel(group, unit, lines))
    return panels


def compare_report(runs: list[Run], page: Page, progress: Progress = SILENT) -> None:
    labels = run_labels(runs)
    changes = [scenario_changes(runs[0], run) for run in runs]
    page.heading("Runs")
    page.paragraph(f"The first file, {labels[0]}, is the reference. Each arm is named by its file and by the keys "
                   "of its resolved scenario (from its provenance) that differ from the reference's.")
    facts = ["scenario", "seed", "days", "changes against the first", "commsim version", "git commit",
             "build type", "overrides", "path"]
    table = {"": facts}
    for run, label, change in zip(runs, labels, changes):
        items = provenance_items(run.provenance)
        items.update({"days": str(run.days), "path": run.source,
                      "changes against the first": "reference" if run is runs[0] else change_text(change)})
        table[label] = [items.get(f, "") for f in facts]
    page.table(pd.DataFrame(table))
    arm_names = [f"{label}" if run is runs[0] else f"{label} ({change_text(change, 3)})"
                 for run, label, change in zip(runs, labels, changes)]
    if any(changes[1:]):
        page.heading("What differs between the arms")
        rows = [{"file": label, "key": k, labels[0]: str(a), "this file": str(b)}
                for label, change in zip(labels[1:], changes[1:]) for k, a, b in change]
        page.table(pd.DataFrame(rows), collapsed=f"{len(rows)} keys" if len(rows) > LONG_TABLE else None)

    progress.stage("compare: summaries")
    page.heading("Key outcomes")
    summary = comparison_summary(runs, labels)
    names = key_summaries(runs[0])
    key = summary[summary["metric"].isin(names)]
    key = key.assign(order=key["metric"].map({m: i for i, m in enumerate(names)})).sort_values(
        "order", kind="stable").drop(columns="order")
    if key.empty:
        page.paragraph("None of the key summaries is in these files.", note=True)
    else:
        page.table(key[[c for c in key.columns if c != "metric"]])
    page.heading("Differences in the daily series")
    diffs = daily_differences(runs, labels)
    if diffs.empty:
        page.paragraph("No key daily series is in both files.", note=True)
    else:
        page.paragraph("Mean a day over the whole weeks of the run, combined over grids and groups, each file "
                       "minus the first; 95% CI over the weeks, paired week by week where the files share their "
                       "seed (common random numbers), Welch's unpaired interval where they do not. Beyond noise: "
                       "the CI excludes 0.")
        page.table(diffs)
    page.heading("All summary values")
    add_summary_tables(page, summary, [c for c in summary.columns if c != "metric"])
    summary.to_csv(page.folder / "summary_comparison.csv", index=False)
    page.link("summary_comparison.csv", "All summaries side by side (CSV)")

    page.heading("Daily series")
    names = [n for n in KEY_TIMESERIES if any(n in r.timeseries for r in runs)]
    if not names:
        page.paragraph("None of the key daily series is in these files.", note=True)
    page.paragraph("One line per file, named by the file and the keys its resolved scenario changes against the "
                   "first: " + "; ".join(arm_names) + ".")
    for n, name in enumerate(names):
        progress.tick(n, len(names))
        panels = overlay_panels(runs, name, arm_names)
        metric = next(r.timeseries[name] for r in runs if name in r.timeseries)
        how = f" ({SMOOTH_WINDOW}-day moving average)" if is_flow(metric) and metric.values.shape[0] >= SMOOTH_FROM_DAYS else ""
        per = " One panel per ethnic group." if len(panels) > 1 else ""
        page.figure(figures.daily_figure(humanise(name), panels), f"compare_{name}",
                    f"{sentence(metric.description)[:-1]}{how}, one line per file.{per} Dataset: {name}.")


# ---- entry points ------------------------------------------------------------------------


def build_report(path: str | Path, out_dir: str | Path, metrics: list[str] | None = None, every: bool = False,
                 progress: Progress = SILENT, thresholds: Thresholds = Thresholds()) -> Path:
    """Writes out_dir/index.html (and its PNG figures and CSV tables) for a run or a sweep file;
    `thresholds` are those of a region run's "Communities against thresholds"."""
    # Other kinds of result file (a calibration's posterior) are dispatched here, before open_results.
    if posterior.is_posterior(path):
        return posterior.build_report(path, out_dir)  # commsim calibrate
    progress.stage(f"reading {path}")
    results = open_results(path)
    kind = "sweep" if isinstance(results, Sweep) else "run"
    page = Page(Path(out_dir), f"commsim {kind} report: {results.label}")
    if isinstance(results, Sweep):
        sweep_report(results, page, metrics, every, progress)
    else:
        run_report(results, page, progress, thresholds)
    index = page.write()
    progress.done(f"{index} ({len(page.figure_files)} figures)")
    return index


def build_comparison(paths: list[str | Path], out_dir: str | Path, progress: Progress = SILENT) -> Path:
    """Writes out_dir/index.html comparing two or more run files side by side."""
    if len(paths) < 2:
        raise ValueError("compare needs two or more result files")
    progress.stage(f"reading {len(paths)} files")
    runs = [read_run(p) for p in paths]
    page = Page(Path(out_dir), "commsim comparison: " + " vs ".join(run_labels(runs)))
    compare_report(runs, page, progress)
    index = page.write()
    progress.done(f"{index} ({len(page.figure_files)} figures)")
    return index
