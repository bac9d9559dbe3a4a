"""Figures for the reports. Each function takes plain arrays and labels (already reduced and
named by the caller) and returns a matplotlib figure, so the look of every chart lives here and
the choice of what to show lives in report.py.

Every figure is WIDTH inches wide and saved at DPI without trimming, so all images of a report
have the same width in pixels; axes use the reports' one number format."""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from .numbers import format_number  # noqa: E402

# Beyond this many lines a legend stops being readable; the lines are still drawn.
MAX_LEGEND = 16
WIDTH = 10.0  # inches; 1,000 px at DPI
DPI = 100
PANEL_HEIGHT = 2.8
TITLE_SPACE = 0.4  # inches above the panels for the figure's title
PANEL_TITLE_SPACE = 0.25  # more, when the first panel has a title of its own

NUMBER_FORMAT = FuncFormatter(lambda value, _position: format_number(value))


@dataclass
class Line:
    """One labelled series of daily values, drawn as a line (with an optional band from low to
    high), as bars on the days it happens, or as points on the days it has a value."""

    label: str
    values: np.ndarray
    low: np.ndarray | None = None
    high: np.ndarray | None = None
    style: str = "line"  # "line" | "bars" | "points"


@dataclass
class Panel:
    """One set of axes of daily values: a line (or stacked band) per label."""

    title: str
    ylabel: str
    lines: list[Line]
    stacked: bool = False


def _figure(rows: int, cols: int = 1, panel_height: float = PANEL_HEIGHT, sharex: bool = False):
    height = TITLE_SPACE + panel_height * rows
    fig, axes = plt.subplots(rows, cols, figsize=(WIDTH, height), sharex=sharex, squeeze=False)
    return fig, axes


def _finish(fig, title: str, fixed: bool = False, space: float = TITLE_SPACE) -> None:
    """The title above every panel (never over a panel's own title). With `fixed`, the axes take
    the same place in every figure (a strip at the right for legends), so daily charts line up
    one under the other; otherwise a tight layout within the fixed figure size."""
    height = fig.get_figheight()
    fig.suptitle(title, fontsize="large", y=1 - 0.1 / height, va="top")
    if fixed:
        fig.subplots_adjust(left=0.08, right=0.79, bottom=0.5 / height, top=1 - space / height, hspace=0.3)
    else:
        fig.tight_layout(rect=(0, 0, 1, 1 - TITLE_SPACE / height))


LEGEND_CHARACTERS = 24  # a legend label wraps beyond this, so it stays inside the figure


def _legend(ax, count: int) -> None:
    if 1 < count <= MAX_LEGEND:
        handles, labels = ax.get_legend_handles_labels()
        labels = [textwrap.fill(label, LEGEND_CHARACTERS) for label in labels]
        ax.legend(handles, labels, loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize="small", frameon=False)


def _draw_line(ax, line: Line, colour) -> None:
    days = np.arange(len(line.values))
    if line.style == "bars":
        happened = np.isfinite(line.values) & (line.values != 0)
        ax.bar(days[happened], line.values[happened], width=1.0, color=colour, label=line.label, alpha=0.85)
    elif line.style == "points":
        ax.plot(days, line.values, "o", ms=3.5, color=colour, label=line.label)
    else:
        ax.plot(days, line.values, color=colour, label=line.label, linewidth=1.2)
    if line.low is not None and line.high is not None:
        ax.fill_between(days, line.low, line.high, color=colour, alpha=0.2, linewidth=0)


def daily_figure(title: str, panels: list[Panel]):
    """Daily series, one panel under the other, sharing the day axis."""
    space = TITLE_SPACE + (PANEL_TITLE_SPACE if panels and panels[0].title else 0.0)
    fig, axes = _figure(len(panels), sharex=True)
    fig.set_figheight(fig.get_figheight() + space - TITLE_SPACE)
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for ax, panel in zip(axes[:, 0], panels):
        if panel.stacked:
            days = np.arange(len(panel.lines[0].values))
            ax.stackplot(days, *[np.nan_to_num(line.values) for line in panel.lines],
                         labels=[line.label for line in panel.lines])
        else:
            # Each line has its own day axis: compared runs may have different lengths.
            for i, line in enumerate(panel.lines):
                _draw_line(ax, line, colours[i % len(colours)])
        if panel.title:
            ax.set_title(panel.title, fontsize="medium", loc="left")
        ax.set_ylabel(panel.ylabel)
        ax.yaxis.set_major_formatter(NUMBER_FORMAT)
        ax.grid(alpha=0.3)
        _legend(ax, len(panel.lines))
    axes[-1, 0].set_xlabel("day of the run")
    _finish(fig, title, fixed=True, space=space)
    return fig


@dataclass
class Response:
    """A metric against one parameter: per-point means with CIs, and the mean at each value with
    its CI (over the points at that value)."""

    parameter: str
    x: np.ndarray
    mean: np.ndarray
    low: np.ndarray
    high: np.ndarray
    trend_x: np.ndarray = field(default_factory=lambda: np.array([]))
    trend_y: np.ndarray = field(default_factory=lambda: np.array([]))
    tick_labels: list[str] | None = None  # names of a string parameter's levels
    trend_low: np.ndarray = field(default_factory=lambda: np.array([]))
    trend_high: np.ndarray = field(default_factory=lambda: np.array([]))


def _grid(n: int, panel_height: float, max_cols: int = 2):
    cols = 1 if n == 1 else min(max_cols, n)
    rows = math.ceil(n / cols)
    fig, axes = _figure(rows, cols, panel_height)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, list(axes.flat[:n])


def response_figure(title: str, unit: str, responses: list[Response]):
    fig, axes = _grid(len(responses), panel_height=3.4)
    for ax, r in zip(axes, responses):
        has_ci = np.isfinite(r.low).any()
        # Error bars on hundreds of design points hide the data; they are kept for small designs.
        if has_ci and len(r.x) <= 60:
            ax.errorbar(r.x, r.mean, yerr=[r.mean - r.low, r.high - r.mean], fmt="o", ms=4, capsize=3,
                        alpha=0.6, label="point mean, 95% CI")
        else:
            ax.plot(r.x, r.mean, "o", ms=3, alpha=0.5, label="point mean")
        if len(r.trend_x) > 1:
            ax.plot(r.trend_x, r.trend_y, "-", color="black", linewidth=1.5, label="mean at this value")
            if len(r.trend_low) == len(r.trend_x) and np.isfinite(r.trend_low).any():
                ax.fill_between(r.trend_x, r.trend_low, r.trend_high, color="black", alpha=0.15, linewidth=0,
                                label="95% CI of that mean")
        if r.tick_labels is not None:
            ax.set_xticks(range(len(r.tick_labels)), r.tick_labels, rotation=30, ha="right")
        ax.set_xlabel(r.parameter)
        ax.set_ylabel(unit or "value")
        ax.yaxis.set_major_formatter(NUMBER_FORMAT)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize="small")
    _finish(fig, title)
    return fig


@dataclass
class Heatmap:
    """Mean of a metric over two parameters (rows: y parameter, columns: x parameter)."""

    x: str
    y: str
    values: np.ndarray
    x_labels: list[str]
    y_labels: list[str]


def heatmap_figure(title: str, unit: str, heatmaps: list[Heatmap]):
    """Every panel on one colour scale (the range over all panels) with one colour bar, so the
    same colour means the same value in every panel."""
    fig, axes = _grid(len(heatmaps), panel_height=3.6)
    finite = np.concatenate([h.values[np.isfinite(h.values)] for h in heatmaps] or [np.array([])])
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    middle = (low + high) / 2
    image = None
    for ax, h in zip(axes, heatmaps):
        image = ax.imshow(h.values, origin="lower", aspect="auto", cmap="viridis", vmin=low, vmax=high)
        ax.set_xticks(range(len(h.x_labels)), h.x_labels, rotation=30, ha="right", fontsize="small")
        ax.set_yticks(range(len(h.y_labels)), h.y_labels, fontsize="small")
        ax.set_xlabel(h.x)
        ax.set_ylabel(h.y)
        if h.values.size <= 64:  # small grids: write the number in each cell
            for (i, j), v in np.ndenumerate(h.values):
                if np.isfinite(v):  # dark text on the light (high) end of viridis
                    ax.text(j, i, format_number(v), ha="center", va="center", fontsize="small",
                            color="black" if v > middle else "white")
    _finish(fig, title)
    if image is not None:
        # One bar for all panels, in a strip of its own at the right: it cannot collide with a panel.
        fig.subplots_adjust(right=0.86)
        bar = fig.add_axes((0.89, 0.15, 0.018, 0.7))
        fig.colorbar(image, cax=bar, label=unit or "value", format=NUMBER_FORMAT)
    return fig


def sobol_figure(title: str, table):
    """Bars of first-order and total indices per parameter with their bootstrap CIs."""
    fig, axes = _figure(1, panel_height=3.6)
    ax = axes[0, 0]
    x = np.arange(len(table))
    width = 0.38
    for offset, index, name in ((-width / 2, "S1", "first order S1"), (width / 2, "ST", "total ST")):
        values = table[index].to_numpy()
        err = [values - table[f"{index}_low"].to_numpy(), table[f"{index}_high"].to_numpy() - values]
        ax.bar(x + offset, values, width, yerr=np.clip(err, 0, None), capsize=3, label=name)
    ax.set_xticks(x, table["parameter"], rotation=20, ha="right")
    ax.set_ylabel("share of output variance")
    ax.yaxis.set_major_formatter(NUMBER_FORMAT)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize="small")
    _finish(fig, title)
    return fig
