"""The HTML reports: one for a run, one for a sweep, and a side-by-side comparison of runs.

What is shown is driven by the file. The charts below name the metrics the model is expected to
write (domain.md §5); a chart whose metrics are absent is left out, and every daily series no
chart names is still shown under "Other daily series", so a new metric never goes unseen.
"""

from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import figures, posterior
from .figures import Heatmap, Panel, Response
from .load import Metric, Run, Sweep, open_results, read_run, scenario_name
from .page import Page, format_number
from .stats import compare_to_base, replication_summary, sweep_sobol

WELLBEING = ("sense_of_gain", "happiness", "security", "trust", "belonging")

# Daily flows are noisy (weekdays, councils on fixed days); over long runs they are drawn as a
# 7-day moving average so the trend is visible. The raw values stay in the file.
SMOOTH_FROM_DAYS = 60
SMOOTH_WINDOW = 7

# A summary with more cells than this is folded away in tables (needs by grid x group x type).
LONG_BREAKDOWN = 24
# Above this many rows a table is folded away.
LONG_TABLE = 40
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
    title: str
    series: tuple[Series, ...]
    stacked: bool = False
    gap: bool = False  # add a panel with the gap between the highest and the lowest line


def _by_group(metric: str, title: str) -> Chart:
    return Chart(title, (Series(metric, by="group"),), gap=True)


RUN_SECTIONS: tuple[tuple[str, tuple[Chart, ...]], ...] = (
    (
        "Work orders",
        (
            Chart(
                "Work orders opened, resolved and open (backlog)",
                (
                    Series("work_orders_opened", label="opened"),
                    Series("work_orders_resolved", label="resolved"),
                    Series("work_orders_open", label="open (backlog)"),
                ),
            ),
            Chart("Closure rate", (Series("closure_rate"),)),
            Chart("Work orders resolved by level", (Series("work_orders_resolved", by="level"),), stacked=True),
            Chart(
                "Needs reported by channel, and needs left hidden",
                (Series("needs_reported", by="channel"), Series("needs_hidden", label="hidden")),
            ),
        ),
    ),
    (
        "Staff and volunteers",
        (
            Chart("Staff hours by activity", (Series("staff_hours", by="activity"),), stacked=True),
            Chart("Volunteer hours", (Series("volunteer_hours"),)),
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
            Chart("Share of social ties that cross ethnic lines", (Series("cross_group_tie_share"),)),
            Chart("Residential dissimilarity index", (Series("dissimilarity_index"),)),
            Chart("Share of neighbours from the same group", (Series("same_group_neighbour_share"),)),
            Chart("Council attendance by ethnic group", (Series("council_attendance", by="group"),)),
        ),
    ),
    (
        "Needs",
        (
            Chart("Needs arisen by type", (Series("needs_arisen", by="need_type"),), stacked=True),
            Chart("Needs arisen by ethnic group", (Series("needs_arisen", by="group"),)),
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


# ---- daily series ------------------------------------------------------------------------


def _smoothed(values: np.ndarray, metric: Metric) -> np.ndarray:
    if not metric.additive or len(values) < SMOOTH_FROM_DAYS:
        return values
    return pd.Series(values).rolling(SMOOTH_WINDOW, min_periods=1).mean().to_numpy()


def series_lines(metric: Metric, series: Series) -> list[tuple[str, np.ndarray]]:
    """The lines a series contributes: one per label of its breakdown axis, or one total line
    (also when the metric turns out not to have that axis)."""
    if series.by in metric.breakdown:
        values = metric.collapse([series.by])
        return [(label, _smoothed(values[:, i], metric)) for i, label in enumerate(metric.labels[series.by])]
    return [(series.label or humanise(metric.name), _smoothed(metric.collapse([]), metric))]


def reduction_note(metric: Metric, keep: list[str]) -> str:
    dropped = [d for d in metric.breakdown if d not in keep]
    notes = []
    if dropped:
        how = "summed" if metric.additive else "unweighted mean"
        notes.append(f"{how} over {', '.join(dropped)}")
    if metric.additive and metric.values.shape[0] >= SMOOTH_FROM_DAYS:
        notes.append(f"{SMOOTH_WINDOW}-day moving average")
    return "; ".join(notes)


def unit_label(units: list[str]) -> str:
    return " / ".join(dict.fromkeys(u for u in units if u)) or "value"


def group_gap(lines: list[tuple[str, np.ndarray]]) -> np.ndarray:
    """The distance between the highest and the lowest group on each day."""
    stacked = np.vstack([v for _, v in lines])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a day with no value in any group stays NaN
        return np.nanmax(stacked, axis=0) - np.nanmin(stacked, axis=0)


def draw_chart(page: Page, run: Run, chart: Chart) -> bool:
    """Adds the chart if any of its metrics is in the run; says whether it did."""
    present = [(s, run.timeseries[s.metric]) for s in chart.series if s.metric in run.timeseries]
    if not present:
        return False
    lines = [line for s, m in present for line in series_lines(m, s)]
    unit = unit_label([m.unit for _, m in present])
    stacked = chart.stacked and all(m.additive for _, m in present) and len(lines) > 1
    panels = [Panel("", unit, lines, stacked)]  # the chart's title heads the figure
    if chart.gap and len(lines) > 1:
        panels.append(Panel("Gap between groups (highest minus lowest)", unit, [("gap", group_gap(lines))]))
    caption = " ".join(
        f"{m.name}: {m.description}" + (f" ({note})" if (note := reduction_note(m, [s.by] if s.by else [])) else "")
        for s, m in present
    )
    page.figure(figures.daily_figure(chart.title, panels), chart.title, caption)
    return True


def default_chart(metric: Metric) -> Chart:
    """A chart for a series no section names: by group if it has one, else by its only axis."""
    if "group" in metric.breakdown:
        return _by_group(metric.name, humanise(metric.name) + " by ethnic group")
    if len(metric.breakdown) == 1 and len(metric.labels[metric.breakdown[0]]) <= figures.MAX_LEGEND:
        axis = metric.breakdown[0]
        return Chart(f"{humanise(metric.name)} by {axis.replace('_', ' ')}", (Series(metric.name, by=axis),))
    return Chart(humanise(metric.name), (Series(metric.name),))


def charted_metrics() -> set[str]:
    return {s.metric for _, charts in RUN_SECTIONS for c in charts for s in c.series}


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


def add_summary_tables(page: Page, summary: pd.DataFrame, columns: list[str]) -> None:
    """Summary values, one row per field (`trust/Hui`): metrics with few cells in one table, each
    larger breakdown (needs by grid x group x type) folded in a table of its own."""
    if summary.empty:
        page.paragraph("The file holds no /summary values.", note=True)
        return
    shown = summary.rename(columns={"field": "summary"})
    columns = ["summary" if c == "field" else c for c in columns]
    if "description" in shown.columns:
        # A breakdown's description is said once, on its first row.
        shown.loc[shown["metric"].duplicated(), "description"] = ""
    sizes = shown.groupby("metric", sort=False)["summary"].transform("size")
    page.table(shown.loc[sizes <= LONG_BREAKDOWN, columns])
    for metric, rows in shown.loc[sizes > LONG_BREAKDOWN].groupby("metric", sort=False):
        page.table(rows[columns], collapsed=f"{metric}: {len(rows)} values")


def provenance_items(provenance: dict) -> dict:
    keys = ("seed", "run", "commsim_version", "git_commit", "overrides", "start_time", "wall_seconds", "threads",
            "compiler", "libraries", "design")
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


# ---- a run -------------------------------------------------------------------------------


def run_report(run: Run, page: Page) -> None:
    page.paragraph(
        f"Scenario {scenario_name(run.provenance)}, seed {run.provenance.get('seed', '?')}, {run.days} days. "
        f"File: {run.source}."
    )
    for title, charts in RUN_SECTIONS:
        page.heading(title)
        drawn = [draw_chart(page, run, chart) for chart in charts]
        if title.startswith("Well-being"):
            table = wellbeing_table(run)
            if not table.empty:
                page.paragraph("On the last day of the run:")
                page.table(table)
        if not any(drawn):
            wanted = ", ".join(dict.fromkeys(s.metric for c in charts for s in c.series))
            page.paragraph(f"None of these metrics is in this file (looked for {wanted}).", note=True)
    others = [m for name, m in run.timeseries.items() if name not in charted_metrics()]
    if others:
        page.heading("Other daily series")
        for metric in others:
            draw_chart(page, run, default_chart(metric))
    page.heading("Summary")
    summary = run.summary_frame()
    add_summary_tables(page, summary, ["field", "value", "unit", "description"])
    summary.to_csv(page.folder / "summary.csv", index=False)
    page.link("summary.csv", "All summary values (CSV)")
    add_provenance(page, run.provenance)


# ---- a sweep -----------------------------------------------------------------------------

# Summary fields listed first in a sweep report, in this order, when present.
KEY_SUMMARIES = (
    "closure_rate",
    "work_orders_opened",
    "work_orders_resolved",
    "work_orders_open",
    "needs_arisen",
    "needs_reported",
    "needs_hidden",
    "time_to_resolution",
    "staff_hours",
    "volunteer_hours",
    *WELLBEING,
    "cross_group_tie_share",
    "dissimilarity_index",
    "same_group_neighbour_share",
    "council_attendance",
)


def key_metrics(sweep: Sweep) -> list[str]:
    """The summary fields a sweep report shows: scalars and single breakdowns (`trust/Hui`) with
    few labels, that vary across runs (a constant has no response and no sensitivity)."""
    fields = sweep.metrics
    per_metric = pd.Series([f.split("/", 1)[0] for f in fields]).value_counts()
    chosen = [
        f
        for f in fields
        if f.count("/") <= 1
        and per_metric[f.split("/", 1)[0]] <= figures.MAX_LEGEND
        and sweep.summary[f].nunique(dropna=True) > 1
    ]
    rank = {name: i for i, name in enumerate(KEY_SUMMARIES)}
    return sorted(chosen, key=lambda f: rank.get(f.split("/", 1)[0], len(rank)))


def ci_text(low: float, high: float) -> str:
    return f"[{format_number(low)}, {format_number(high)}]" if np.isfinite(low) else "–"


def interval_text(mean: float, low: float, high: float) -> str:
    return format_number(mean) + (f" {ci_text(low, high)}" if np.isfinite(low) else "")


def point_means_table(sweep: Sweep, means: pd.DataFrame) -> pd.DataFrame:
    wide = means.assign(text=[interval_text(*r) for r in means[["mean", "low", "high"]].itertuples(index=False)])
    wide = wide.pivot(index="point", columns="metric", values="text")[means["metric"].unique()].reset_index()
    wide.insert(1, "settings", [sweep.describe_point(p) for p in wide["point"]])
    return wide


def marginal_trend(x: pd.Series, y: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Mean of y at each value of x, or in ten quantile bins of x when x is continuous
    (an LHS or Saltelli design), so the response reads through the spread of other parameters."""
    if x.nunique() <= 20:
        trend = y.groupby(x).mean()
        return trend.index.to_numpy(dtype=float), trend.to_numpy()
    bins = pd.qcut(x, 10, duplicates="drop")
    return x.groupby(bins).mean().to_numpy(), y.groupby(bins).mean().to_numpy()


def varied_parameters(sweep: Sweep) -> list[str]:
    """Parameters that take two or more values; a one-level parameter has no response to draw."""
    return [p for p in sweep.parameters if sweep.points[p].nunique(dropna=False) > 1]


def responses(sweep: Sweep, means: pd.DataFrame) -> list[Response]:
    table = means.merge(sweep.points, on="point")
    out = []
    for p in varied_parameters(sweep):
        trend_x, trend_y = marginal_trend(table[p], table["mean"])
        ticks = sweep.levels.get(p)
        out.append(Response(p, table[p].to_numpy(), table["mean"].to_numpy(), table["low"].to_numpy(),
                            table["high"].to_numpy(), trend_x, trend_y, ticks))
    return out


def heatmap_axis(sweep: Sweep, parameter: str, values: pd.Series) -> tuple[pd.Series, list[str]]:
    """Each point's cell along a parameter: its value when few, else its quantile bin."""
    if values.nunique() <= HEATMAP_LEVELS:
        levels = sorted(values.unique())
        return values.map({v: i for i, v in enumerate(levels)}), [sweep.level_name(parameter, v) for v in levels]
    bins = pd.qcut(values, HEATMAP_BINS, duplicates="drop")
    return pd.Series(bins.cat.codes, index=values.index), [f"{b.left:.3g}-{b.right:.3g}" for b in bins.cat.categories]


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


def sweep_report(sweep: Sweep, page: Page, metrics: list[str] | None = None) -> None:
    unknown = [m for m in metrics or [] if m not in sweep.metrics]
    metrics = [m for m in (metrics or key_metrics(sweep)) if m in sweep.metrics]
    replications = sweep.summary.groupby("point").size()
    page.paragraph(
        f"Design {sweep.design} over {', '.join(sweep.parameters) or 'no parameter'}: {len(sweep.points)} points, "
        f"{int(replications.max()) if len(replications) else 0} replications each, seeds "
        f"{sweep.attrs.get('seeds', '?')}. Base scenario: {sweep.attrs.get('base_scenario', '?')}. "
        f"File: {sweep.source}."
    )
    if unknown:
        page.paragraph(f"Not in /sweep/summary, left out: {', '.join(unknown)}.", note=True)
    means = replication_summary(sweep.summary, sweep.metrics)
    means.assign(unit=means["metric"].map(sweep.units).fillna("")).to_csv(page.folder / "point_means.csv", index=False)
    if not metrics:
        page.paragraph("No summary metric varies across the runs; nothing to plot.", note=True)
    key_means = means[means["metric"].isin(metrics)]

    page.heading("Mean and 95% CI per point")
    table = point_means_table(sweep, key_means) if metrics else sweep.points
    page.table(table, collapsed=f"{len(table)} points" if len(table) > LONG_TABLE else None)
    page.link("point_means.csv", "Mean and CI of every summary field at every point (CSV)")

    if varied_parameters(sweep) and metrics:
        page.heading("Response curves")
        for metric in metrics:
            unit = sweep.units.get(metric, "")
            rows = key_means[key_means["metric"] == metric]
            page.figure(figures.response_figure(f"{humanise(metric)} against each parameter", unit,
                                                responses(sweep, rows)),
                        f"response_{metric}", f"{metric}: mean over replications at each design point.")
    if len(varied_parameters(sweep)) >= 2 and metrics:
        page.heading("Heatmaps over pairs of parameters")
        for metric in metrics:
            rows = key_means[key_means["metric"] == metric]
            page.figure(figures.heatmap_figure(f"{humanise(metric)}: mean over points in each cell",
                                               sweep.units.get(metric, ""), heatmaps(sweep, rows)),
                        f"heatmap_{metric}", f"{metric}, averaged over the points (and other parameters) in each cell.")

    if sweep.design == "saltelli":
        add_sobol(page, sweep, metrics)
    elif len(sweep.points) > 1 and metrics:
        page.heading("Policy comparison against the base point")
        table, note = comparison_table(sweep, metrics)
        page.paragraph(note)
        page.table(table, collapsed=f"{len(table)} comparisons" if len(table) > LONG_TABLE else None)
    add_provenance(page, {**sweep.provenance, "design": sweep.design})


# ---- comparing runs ----------------------------------------------------------------------


def run_labels(runs: list[Run]) -> list[str]:
    """File names, made unique with their folder when two files share a name."""
    stems = [r.label for r in runs]
    if len(set(stems)) == len(stems):
        return stems
    return [str(Path(r.source).with_suffix("")) for r in runs]


def comparison_summary(runs: list[Run], labels: list[str]) -> pd.DataFrame:
    merged = None
    for run, label in zip(runs, labels):
        frame = run.summary_frame()[["metric", "field", "unit", "value"]].rename(columns={"value": label})
        merged = frame if merged is None else merged.merge(frame, on=["metric", "field", "unit"], how="outer")
    for label in labels[1:]:
        merged[f"{label} - {labels[0]}"] = merged[label] - merged[labels[0]]
    return merged


def overlay_panels(metric_name: str, runs: list[Run], labels: list[str]) -> list[Panel]:
    """One panel per group (when the metric has a group axis), a line per run in each."""
    present = [(label, run.timeseries[metric_name])
               for run, label in zip(runs, labels) if metric_name in run.timeseries]
    unit = unit_label([m.unit for _, m in present])
    groups = list(dict.fromkeys(g for _, m in present for g in m.labels.get("group", [])))
    if not groups:
        return [Panel(humanise(metric_name), unit, [(label, _smoothed(m.collapse([]), m)) for label, m in present])]
    panels = []
    for group in groups:
        lines = [(label, _smoothed(m.collapse(["group"])[:, m.labels["group"].index(group)], m))
                 for label, m in present if group in m.labels.get("group", [])]
        panels.append(Panel(f"{humanise(metric_name)}: {group}", unit, lines))
    return panels


def compare_report(runs: list[Run], page: Page) -> None:
    labels = run_labels(runs)
    page.heading("Runs")
    page.table(pd.DataFrame([
        {"result": label, **provenance_items(run.provenance), "days": run.days, "path": run.source}
        for run, label in zip(runs, labels)
    ]))
    page.heading("Summaries")
    summary = comparison_summary(runs, labels)
    add_summary_tables(page, summary, [c for c in summary.columns if c != "metric"])
    summary.to_csv(page.folder / "summary_comparison.csv", index=False)
    page.link("summary_comparison.csv", "All summaries side by side (CSV)")
    page.heading("Daily series")
    names = [n for n in KEY_TIMESERIES if any(n in r.timeseries for r in runs)]
    if not names:
        page.paragraph("None of the key daily series is in these files.", note=True)
    for name in names:
        panels = overlay_panels(name, runs, labels)
        page.figure(figures.daily_figure(humanise(name), panels), f"compare_{name}",
                    f"{name}, one line per file" + (", one panel per group" if len(panels) > 1 else ""))


# ---- entry points ------------------------------------------------------------------------


def build_report(path: str | Path, out_dir: str | Path, metrics: list[str] | None = None) -> Path:
    """Writes out_dir/index.html (and its PNG figures and CSV tables) for a run or a sweep file."""
    if posterior.is_posterior(path): return posterior.build_report(path, out_dir)  # commsim calibrate
    results = open_results(path)
    kind = "sweep" if isinstance(results, Sweep) else "run"
    page = Page(Path(out_dir), f"commsim {kind} report: {results.label}")
    if isinstance(results, Sweep):
        sweep_report(results, page, metrics)
    else:
        run_report(results, page)
    return page.write()


def build_comparison(paths: list[str | Path], out_dir: str | Path) -> Path:
    """Writes out_dir/index.html comparing two or more run files side by side."""
    if len(paths) < 2:
        raise ValueError("compare needs two or more result files")
    runs = [read_run(p) for p in paths]
    page = Page(Path(out_dir), "commsim comparison: " + " vs ".join(run_labels(runs)))
    compare_report(runs, page)
    return page.write()
