"""A self-contained HTML report: one index.html with inline CSS, figures as PNG files beside it
referenced by relative path, so the folder can be zipped, mailed or opened from any place."""

from __future__ import annotations

import html
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # reports are built on servers and in tests, never on a screen
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from .figures import DPI  # noqa: E402
from .numbers import format_number  # noqa: E402  (re-exported: one number format for the reports)

CSS = """
body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em;
       color: #222; line-height: 1.45; }
h1 { border-bottom: 2px solid #444; padding-bottom: .2em; }
h2 { border-bottom: 1px solid #bbb; margin-top: 2em; }
figure { margin: 1.5em 0; }
figure img { width: 100%; max-width: 1000px; height: auto; border: 1px solid #ddd; box-sizing: border-box; }
figcaption { font-size: .9em; color: #555; }
table { border-collapse: collapse; margin: 1em 0; font-size: .9em; max-width: 100%; }
th, td { border: 1px solid #ccc; padding: .25em .6em; text-align: left; vertical-align: top;
         overflow-wrap: break-word; }
th { background: #f0f0f0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
div.scroll { max-width: 100%; overflow-x: auto; }
dl { display: grid; grid-template-columns: max-content auto; gap: .2em 1em; }
dt { font-weight: 600; }
dd { margin: 0; }
pre { background: #f7f7f7; padding: .8em; overflow-x: auto; font-size: .85em; }
details { margin: .8em 0; }
summary { cursor: pointer; color: #225; }
p.note { color: #666; font-size: .9em; }
"""


def breakable(text: str) -> str:
    """Escaped text that may wrap after `_`, `/` and a `.` before a letter, so long metric names
    and key paths (`time_to_resolution_mean`, `staffing.full_time_per_10k`) fit a narrow column."""
    return re.sub(r"(_|/|\.(?=[A-Za-z]))", r"\1<wbr>", html.escape(text))


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_").lower() or "figure"


class Page:
    """Collects headings, text, tables and figures, then writes them as index.html."""

    def __init__(self, folder: Path, title: str):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.title = title
        self.parts: list[str] = []
        self.figure_files: list[str] = []

    def heading(self, text: str, level: int = 2) -> None:
        self.parts.append(f"<h{level} id='{slug(text)}'>{html.escape(text)}</h{level}>")

    def paragraph(self, text: str, note: bool = False) -> None:
        css = " class='note'" if note else ""
        self.parts.append(f"<p{css}>{html.escape(text)}</p>")

    def definitions(self, items: dict) -> None:
        rows = "".join(f"<dt>{html.escape(str(k))}</dt><dd>{html.escape(str(v))}</dd>" for k, v in items.items())
        self.parts.append(f"<dl>{rows}</dl>")

    def preformatted(self, text: str, summary: str) -> None:
        self.parts.append(f"<details><summary>{html.escape(summary)}</summary><pre>{html.escape(text)}</pre></details>")

    def table(self, frame: pd.DataFrame, collapsed: str | None = None) -> None:
        """A table; numbers right-aligned and rounded for reading. With `collapsed`, the table is
        folded under that summary line (for long tables a reader opens on demand)."""
        head = "".join(f"<th>{breakable(str(c))}</th>" for c in frame.columns)
        body = "".join(
            "<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in frame.itertuples(index=False, name=None)
        )
        table = f"<div class='scroll'><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
        if collapsed:
            table = f"<details><summary>{html.escape(collapsed)}</summary>{table}</details>"
        self.parts.append(table)

    def link(self, href: str, text: str) -> None:
        self.parts.append(f"<p><a href='{html.escape(href)}'>{html.escape(text)}</a></p>")

    def figure(self, fig, name: str, caption: str = "") -> str:
        """Saves a matplotlib figure as <name>.png beside index.html, shows it, and closes it."""
        stem, n = slug(name), 2
        while f"{stem}.png" in self.figure_files:
            stem, n = f"{slug(name)}_{n}", n + 1
        file = f"{stem}.png"
        empty = sum(1 for ax in fig.axes if ax.get_visible() and not _has_data(ax))
        # Not trimmed: every figure keeps its fixed width (figures.WIDTH), so widths match.
        fig.savefig(self.folder / file, dpi=DPI)
        plt.close(fig)
        self.figure_files.append(file)
        alt = html.escape(caption or name)
        cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
        # data-empty-panels: axes drawn without any finite data (the browser test requires 0).
        self.parts.append(f"<figure><img src='{file}' alt='{alt}' data-empty-panels='{empty}'>{cap}</figure>")
        return file

    def write(self) -> Path:
        path = self.folder / "index.html"
        title = html.escape(self.title)
        path.write_text(
            "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            f"<title>{title}</title><style>{CSS}</style></head>\n<body><h1>{title}</h1>\n"
            + "\n".join(self.parts)
            + "\n</body></html>\n",
            encoding="utf-8",
        )
        return path


def _has_data(ax) -> bool:
    """Whether a matplotlib axes shows any value: a line with a finite point, a filled area or
    bar, an image, a coloured mesh."""
    for line in ax.get_lines():
        y = np.asarray(line.get_ydata(), dtype=float)
        if np.isfinite(y).any():
            return True
    if ax.images or any(p.get_height() != 0 for p in ax.patches if hasattr(p, "get_height")):
        return True
    return any(len(c.get_paths()) or len(getattr(c, "get_offsets", lambda: [])()) for c in ax.collections)


def _cell(value) -> str:
    if isinstance(value, bool):
        return f"<td>{'yes' if value else 'no'}</td>"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"<td class='num'>{format_number(value)}</td>"
    if hasattr(value, "dtype"):  # numpy scalars
        return _cell(value.item())
    return f"<td>{breakable(str(value))}</td>"
