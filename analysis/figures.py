"""Figures for the reports. Each function takes plain arrays and labels (already reduced and
named by the caller) and returns a matplotlib figure, so the look of every chart lives here and
the choice of what to show lives in report.py."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

# Beyond this many lines a legend stops being readable; the lines are still drawn.
MAX_LEGEND = 16


@dataclass
class Panel:
    """One set of axes of daily values: a line (or stacked band) per label."""

    title: str
    ylabel: str
    lines: list[tuple[str, np.ndarray]]
    stacked: bool = False


def _grid(n: int, width: float = 10.0, height: float = 3.4, max_cols: int = 2):
    cols = 1 if n == 1 else min(max_cols, n)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(width, height * rows), squeeze=False)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, list(axes.flat[:n])


def _legend(ax, count: int) -> None:
    if 1 < count <= MAX_LEGEND:
        ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize="small", frameon=False)


def daily_figure(title: str, panels: list[Panel]):
    """Daily series, one panel under the other, sharing the day axis."""
    fig, axes = plt.subplots(len(panels), 1, figsize=(10, 3.4 * len(panels)), sharex=True, squeeze=False)
    for ax, panel in zip(axes[:, 0], panels):
        if panel.stacked:
            days = np.arange(len(panel.lines[0][1]))
            ax.stackplot(days, *[np.nan_to_num(v) for _, v in panel.lines], labels=[n for n, _ in panel.lines])
        else:
            # Each line has its own day axis: compared runs may have different lengths.
            for name, values in panel.lines:
                ax.plot(np.arange(len(values)), values, label=name, linewidth=1.2)
        if len(panels) > 1 and panel.title:
            ax.set_title(panel.title, fontsize="medium")
        ax.set_ylabel(panel.ylabel)
        ax.grid(alpha=0.3)
        _legend(ax, len(panel.lines))
    axes[-1, 0].set_xlabel("day of the run")
    if len(panels) > 1:
        fig.suptitle(title)
    else:
        axes[0, 0].set_title(title)
    fig.tight_layout()
    return fig


@dataclass
class Response:
    """A metric against one parameter: per-point means with CIs, and the mean at each value."""

    parameter: str
    x: np.ndarray
    mean: np.ndarray
    low: np.ndarray
    high: np.ndarray
    trend_x: np.ndarray = field(default_factory=lambda: np.array([]))
    trend_y: np.ndarray = field(default_factory=lambda: np.array([]))
    tick_labels: list[str] | None = None  # names of a string parameter's levels


def response_figure(title: str, unit: str, responses: list[Response]):
    fig, axes = _grid(len(responses), height=3.6)
    for ax, r in zip(axes, responses):
        has_ci = np.isfinite(r.low).any()
        # Error bars on hundreds of design points hide the data; they are kept for small designs.
        if has_ci and len(r.x) <= 60:
            ax.errorbar(r.x, r.mean, yerr=[r.mean - r.low, r.high - r.mean], fmt="o", ms=4, capsize=3,
                        alpha=0.8, label="point mean, 95% CI")
        else:
            ax.plot(r.x, r.mean, "o", ms=3, alpha=0.5, label="point mean")
        if len(r.trend_x) > 1:
            ax.plot(r.trend_x, r.trend_y, "-", color="black", linewidth=1.5, label="mean at this value")
        if r.tick_labels is not None:
            ax.set_xticks(range(len(r.tick_labels)), r.tick_labels, rotation=30, ha="right")
        ax.set_xlabel(r.parameter)
        ax.set_ylabel(unit or "value")
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize="small")
    fig.suptitle(title)
    fig.tight_layout()
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
    fig, axes = _grid(len(heatmaps), width=11, height=4.2)
    for ax, h in zip(axes, heatmaps):
        image = ax.imshow(h.values, origin="lower", aspect="auto", cmap="viridis")
        ax.set_xticks(range(len(h.x_labels)), h.x_labels, rotation=30, ha="right", fontsize="small")
        ax.set_yticks(range(len(h.y_labels)), h.y_labels, fontsize="small")
        ax.set_xlabel(h.x)
        ax.set_ylabel(h.y)
        if h.values.size <= 64:  # small grids: write the number in each cell
            middle = np.nanmean([np.nanmin(h.values), np.nanmax(h.values)])
            for (i, j), v in np.ndenumerate(h.values):
                if np.isfinite(v):  # dark text on the light (high) end of viridis
                    ax.text(j, i, f"{v:.3g}", ha="center", va="center", fontsize="x-small",
                            color="black" if v > middle else "white")
        fig.colorbar(image, ax=ax, label=unit or "value")
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def sobol_figure(title: str, table):
    """Bars of first-order and total indices per parameter with their bootstrap CIs."""
    fig, ax = plt.subplots(figsize=(max(5, 1.3 * len(table) + 2), 3.8))
    x = np.arange(len(table))
    width = 0.38
    for offset, index, name in ((-width / 2, "S1", "first order S1"), (width / 2, "ST", "total ST")):
        values = table[index].to_numpy()
        err = [values - table[f"{index}_low"].to_numpy(), table[f"{index}_high"].to_numpy() - values]
        ax.bar(x + offset, values, width, yerr=np.clip(err, 0, None), capsize=3, label=name)
    ax.set_xticks(x, table["parameter"], rotation=20, ha="right")
    ax.set_ylabel("share of output variance")
    ax.axhline(0, color="black", linewidth=0.8)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize="small")
    ax.set_title(title)
    fig.tight_layout()
    return fig
