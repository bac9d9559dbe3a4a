"""The report of a posterior file written by `commsim calibrate` (layout: docs/calibration.md).

Marginals of every parameter, pairwise plots, tolerance and effective sample size by generation,
predicted against observed targets with 90% intervals, and a table of posterior means and 90%
credible intervals (weighted quantiles of the final generation).
"""

from __future__ import annotations

import itertools
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .load import ResultsError, open_file
from .page import Page


def is_posterior(path: str | Path) -> bool:
    """True for a file written by `commsim calibrate` (it has /calibration and /posterior)."""
    try:
        with open_file(path) as f:
            return "calibration" in f and "posterior" in f
    except ResultsError:
        return False


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _strings(values) -> list[str]:
    return [_text(v) for v in values]


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The smallest value whose cumulative weight reaches q (as commsim computes it)."""
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order])
    at = int(np.searchsorted(cumulative, q * cumulative[-1], side="left"))
    return float(values[order][min(at, len(values) - 1)])


class Posterior:
    """The contents of a posterior file, as numpy arrays."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        with open_file(path) as f:
            cal = f["calibration"]
            self.parameters = _strings(cal.attrs["parameters"])
            self.targets = _strings(cal.attrs["targets"])
            self.sources = _strings(cal.attrs["target_sources"])
            self.priors = _strings(cal.attrs["priors"])
            self.prior_min = cal["prior_min"][()]
            self.prior_max = cal["prior_max"][()]
            self.observed = cal["observed"][()]
            self.scale = cal["scale"][()]
            self.stop_reason = _text(cal.attrs["stop_reason"])
            self.population = int(cal.attrs["population"])
            self.replications = int(cal.attrs["replications"])
            gens = f["generations"]
            self.tolerance = gens["tolerance"][()]
            self.ess = gens["ess"][()]
            self.proposals = gens["proposals"][()]
            self.acceptance = gens["acceptance_rate"][()]
            post = f["posterior"]
            self.particles = post["particles"][()]
            self.weights = post["weights"][()]
            last = sorted(k for k in gens if k.startswith("g"))[-1]
            self.simulated = gens[last]["targets"][()]
            pred = f["predictive"]
            self.predicted = pred["targets"][()] if int(pred.attrs["draws"]) > 0 else None
            self.calibration_text = _text(f["provenance"].attrs.get("calibration_text", ""))
            prov = f["provenance"]
            self.provenance = {k: _text(prov.attrs[k]) for k in ("commsim_version", "git_commit",
                                                                 "compiler", "build_type",
                                                                 "start_time", "wall_seconds",
                                                                 "threads") if k in prov.attrs}

    def summary_table(self) -> pd.DataFrame:
        rows = []
        for j, name in enumerate(self.parameters):
            v = self.particles[:, j]
            mean = float(np.sum(self.weights * v))
            sd = float(np.sqrt(np.sum(self.weights * (v - mean) ** 2)))
            rows.append({
                "parameter": name,
                "prior": f"{self.priors[j]} [{self.prior_min[j]:g}, {self.prior_max[j]:g}]",
                "mean": mean,
                "sd": sd,
                "5%": weighted_quantile(v, self.weights, 0.05),
                "median": weighted_quantile(v, self.weights, 0.5),
                "95%": weighted_quantile(v, self.weights, 0.95),
            })
        return pd.DataFrame(rows)

    def generation_table(self) -> pd.DataFrame:
        return pd.DataFrame({
            "generation": np.arange(len(self.tolerance)),
            "tolerance": self.tolerance,
            "proposals": self.proposals.astype(int),
            "acceptance rate": self.acceptance,
            "ESS": self.ess,
        })

    def target_table(self) -> pd.DataFrame:
        rows = []
        for t, name in enumerate(self.targets):
            row = {"target": name, "observed": float(self.observed[t]), "scale": float(self.scale[t])}
            if self.predicted is not None:
                p = self.predicted[:, t]
                row.update({"predicted mean": float(np.mean(p)),
                            "predicted 5%": float(np.quantile(p, 0.05)),
                            "predicted 95%": float(np.quantile(p, 0.95))})
            row["source"] = self.sources[t]
            rows.append(row)
        return pd.DataFrame(rows)


def _marginals(post: Posterior):
    k = len(post.parameters)
    fig, axes = plt.subplots(1, k, figsize=(4 * k, 3), squeeze=False)
    for j, ax in enumerate(axes[0]):
        ax.hist(post.particles[:, j], bins=20, weights=post.weights, range=(post.prior_min[j], post.prior_max[j]),
                color="#4878a8", density=True, label="posterior")
        ax.axhline(1.0 / (post.prior_max[j] - post.prior_min[j]) if post.priors[j] == "uniform" else np.nan,
                   color="grey", ls="--", label="prior")
        ax.set_xlabel(post.parameters[j])
        ax.set_yticks([])
    axes[0][0].legend(fontsize=8)
    return fig


def _pairs(post: Posterior):
    k = len(post.parameters)
    pairs = list(itertools.combinations(range(k), 2))
    fig, axes = plt.subplots(1, len(pairs), figsize=(4 * len(pairs), 3.6), squeeze=False)
    size = 400 * post.weights / post.weights.max()
    for ax, (a, b) in zip(axes[0], pairs):
        ax.scatter(post.particles[:, a], post.particles[:, b], s=size, alpha=0.5, color="#4878a8")
        ax.set_xlim(post.prior_min[a], post.prior_max[a])
        ax.set_ylim(post.prior_min[b], post.prior_max[b])
        ax.set_xlabel(post.parameters[a])
        ax.set_ylabel(post.parameters[b])
    return fig


def _generations(post: Posterior):
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3))
    g = np.arange(len(post.tolerance))
    finite = np.isfinite(post.tolerance)
    left.plot(g[finite], post.tolerance[finite], "o-")
    left.set_xlabel("generation")
    left.set_ylabel("tolerance")
    right.plot(g, post.ess, "o-")
    right.set_xlabel("generation")
    right.set_ylabel("effective sample size")
    right.set_ylim(0, post.population * 1.05)
    return fig


def _predicted(post: Posterior):
    n = len(post.targets)
    fig, axes = plt.subplots(1, n, figsize=(3.2 * n, 3), squeeze=False)
    for t, ax in enumerate(axes[0]):
        p = post.predicted[:, t]
        lo, hi = np.quantile(p, [0.05, 0.95])
        ax.errorbar([0], [np.mean(p)], yerr=[[np.mean(p) - lo], [hi - np.mean(p)]], fmt="o", capsize=6,
                    label="predicted (90%)")
        ax.plot([0], [post.observed[t]], "x", color="black", markersize=10, label="observed")
        ax.set_xticks([])
        ax.set_title(post.targets[t], fontsize=9)
    axes[0][0].legend(fontsize=8)
    return fig


def build_report(path: str | Path, out_dir: str | Path) -> Path:
    """Writes out_dir/index.html (figures as PNG, tables as CSV) for a posterior file."""
    post = Posterior(path)
    out = Path(out_dir)
    page = Page(out, f"commsim posterior report: {post.path.name}")
    page.paragraph(f"ABC-SMC: {len(post.tolerance)} generations of {post.population} particles, "
                   f"{post.replications} replication(s) per particle; stopped: {post.stop_reason}.")
    page.heading("Posterior means and 90% credible intervals")
    summary = post.summary_table()
    summary.to_csv(out / "posterior_summary.csv", index=False)
    page.table(summary)
    page.heading("Marginals")
    page.figure(_marginals(post), "marginals", "Weighted histograms of the final generation; dashed: a uniform prior's density.")
    if len(post.parameters) > 1:
        page.heading("Pairs")
        page.figure(_pairs(post), "pairs", "Final particles, area proportional to weight; axes span the priors.")
    page.heading("Generations")
    generations = post.generation_table()
    generations.to_csv(out / "generations.csv", index=False)
    page.figure(_generations(post), "tolerance_ess", "Tolerance and effective sample size by generation.")
    page.table(generations)
    page.heading("Targets: predicted against observed")
    targets = post.target_table()
    targets.to_csv(out / "targets.csv", index=False)
    if post.predicted is not None:
        page.figure(_predicted(post), "predictive", "Posterior predictive: new runs of posterior draws (mean over replications), 5%-95% of draws.")
    else:
        page.paragraph("The calibration made no posterior predictive draws (predictive: 0).", note=True)
    page.table(targets)
    page.heading("Provenance")
    page.definitions(post.provenance)
    page.preformatted(post.calibration_text, "Calibration file")
    return page.write()
