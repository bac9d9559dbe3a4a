"""Statistics over replications and designs: confidence intervals, paired policy differences and
Sobol sensitivity indices.

Replications of a sweep point differ only in their seed. With `seeds: common`, replication r of
every point uses the same seed, so the difference between two points within a replication cancels
most of the noise both share (common random numbers); comparing points therefore pairs runs by
replication. With independent seeds there is nothing to pair and Welch's unpaired interval is used.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as sps

LEVEL = 0.95


@dataclass(frozen=True)
class Interval:
    """A mean with its two-sided confidence interval; low and high are NaN below two values."""

    mean: float
    low: float
    high: float
    n: int

    @property
    def beyond_noise(self) -> bool:
        """True when the interval excludes 0: the difference is larger than replication noise."""
        return bool(self.low > 0 or self.high < 0)


def _t_interval(mean: float, standard_error: float, dof: float, n: int, level: float) -> Interval:
    if n < 2 or not np.isfinite(standard_error):
        return Interval(mean, np.nan, np.nan, n)
    half = sps.t.ppf(0.5 + level / 2, dof) * standard_error
    return Interval(mean, mean - half, mean + half, n)


def _finite(values) -> np.ndarray:
    x = np.asarray(values, dtype=float).ravel()
    return x[np.isfinite(x)]


def mean_ci(values, level: float = LEVEL) -> Interval:
    """Mean and Student-t confidence interval of independent replications.
    NaN values (e.g. a closure rate on a day with no work orders) are left out."""
    x = _finite(values)
    n = len(x)
    if n == 0:
        return Interval(np.nan, np.nan, np.nan, 0)
    se = x.std(ddof=1) / np.sqrt(n) if n > 1 else np.nan
    return _t_interval(float(x.mean()), se, n - 1, n, level)


def paired_difference(variant: pd.Series, base: pd.Series, level: float = LEVEL) -> Interval:
    """Mean of (variant - base) over replications, pairing values by their index (the replication
    number), with a Student-t interval on the differences."""
    variant, base = variant.align(base, join="inner")
    return mean_ci(variant.to_numpy() - base.to_numpy(), level)


def unpaired_difference(variant, base, level: float = LEVEL) -> Interval:
    """Mean of variant minus mean of base with Welch's interval, for independent seeds."""
    a, b = _finite(variant), _finite(base)
    if len(a) < 2 or len(b) < 2:
        return Interval(a.mean() - b.mean() if len(a) and len(b) else np.nan, np.nan, np.nan, min(len(a), len(b)))
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    se = np.sqrt(va + vb)
    # Welch-Satterthwaite degrees of freedom; with zero variance on both sides the difference is
    # exact and the interval collapses to it.
    dof = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1)) if se > 0 else 1.0
    return _t_interval(float(a.mean() - b.mean()), se, dof, min(len(a), len(b)), level)


def replication_summary(runs: pd.DataFrame, metrics: list[str], level: float = LEVEL) -> pd.DataFrame:
    """Per point and metric: mean, CI and number of replications. `runs` has one row per run with
    a `point` column and one column per metric (as Sweep.summary)."""
    rows = []
    for point, group in runs.groupby("point", sort=True):
        for metric in metrics:
            ci = mean_ci(group[metric], level)
            rows.append({"point": point, "metric": metric, "mean": ci.mean, "low": ci.low, "high": ci.high, "n": ci.n})
    return pd.DataFrame(rows, columns=["point", "metric", "mean", "low", "high", "n"])


def compare_to_base(
    runs: pd.DataFrame, metrics: list[str], base_point: int = 0, paired: bool = True, level: float = LEVEL
) -> pd.DataFrame:
    """Each point against the base point, metric by metric: difference (point - base), its CI,
    and whether the CI excludes 0. Runs are paired by replication when `paired`."""
    by_point = {p: g.set_index("replication") for p, g in runs.groupby("point", sort=True)}
    base = by_point[base_point]
    rows = []
    for point, group in by_point.items():
        if point == base_point:
            continue
        for metric in metrics:
            if paired:
                d = paired_difference(group[metric], base[metric], level)
            else:
                d = unpaired_difference(group[metric], base[metric], level)
            rows.append(
                {
                    "point": point,
                    "metric": metric,
                    "base_mean": mean_ci(base[metric]).mean,
                    "point_mean": mean_ci(group[metric]).mean,
                    "difference": d.mean,
                    "low": d.low,
                    "high": d.high,
                    "n": d.n,
                    "beyond_noise": d.beyond_noise,
                }
            )
    columns = ["point", "metric", "base_mean", "point_mean", "difference", "low", "high", "n", "beyond_noise"]
    return pd.DataFrame(rows, columns=columns)


# ---- Sobol indices -------------------------------------------------------------------------
#
# A Saltelli design evaluates the model on N rows of two independent sample matrices A and B and
# on k matrices AB_i (A with column i taken from B). With f_A, f_B (length N) and f_AB (k x N):
#   first order  S_i  = mean(f_B * (f_AB_i - f_A)) / V        Saltelli et al. 2010, Table 2 (b)
#   total        ST_i = mean((f_A - f_AB_i)^2) / (2 V)        Jansen 1999 (Saltelli 2010 (f))
# with V the variance of f_A and f_B pooled. Confidence intervals are bootstrap percentiles over
# the N rows (a row and its k+2 evaluations are resampled together, keeping their correlation).


def _sobol_estimates(f_a: np.ndarray, f_b: np.ndarray, f_ab: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """S1 and ST for each parameter. Inputs may carry leading bootstrap axes: f_a, f_b [..., N],
    f_ab [..., k, N]."""
    pooled = np.concatenate([f_a, f_b], axis=-1)
    # Centring leaves the estimators' expectations unchanged but removes the variance a large mean
    # adds to f_B * (f_AB - f_A) (as SALib does); without it a closure rate near 0.9 gives wide CIs.
    centre = pooled.mean(axis=-1, keepdims=True)
    f_a, f_b, f_ab = f_a - centre, f_b - centre, f_ab - centre[..., None]
    variance = np.var(pooled, axis=-1, ddof=1)[..., None]
    first = np.mean(f_b[..., None, :] * (f_ab - f_a[..., None, :]), axis=-1) / variance
    total = 0.5 * np.mean((f_a[..., None, :] - f_ab) ** 2, axis=-1) / variance
    return first, total


def _bootstrap(f_a, f_b, f_ab, replicates: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """S1 and ST on `replicates` resamples of the N rows, [replicates, k] each."""
    k, n = f_ab.shape
    # The bootstrap's own generator, fixed, so a report is reproducible.
    rows = np.random.default_rng(seed).integers(0, n, size=(replicates, n))
    # Resamples are evaluated in batches of about 4 million values to bound memory on large designs.
    batch = max(1, 4_000_000 // (k * n))
    parts = [
        _sobol_estimates(f_a[r], f_b[r], f_ab[:, r].transpose(1, 0, 2))
        for r in (rows[i : i + batch] for i in range(0, replicates, batch))
    ]
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def sobol_indices(
    f_a,
    f_b,
    f_ab,
    parameters: list[str] | None = None,
    bootstrap: int = 500,
    level: float = LEVEL,
    seed: int = 12345,
) -> pd.DataFrame:
    """First-order (S1) and total (ST) Sobol indices with bootstrap CIs, one row per parameter."""
    f_a, f_b, f_ab = (np.asarray(x, dtype=float) for x in (f_a, f_b, f_ab))
    k, n = f_ab.shape
    if f_a.shape != (n,) or f_b.shape != (n,):
        raise ValueError(f"f_A and f_B must have the N={n} rows of f_AB")
    first, total = _sobol_estimates(f_a, f_b, f_ab)
    boot_first, boot_total = _bootstrap(f_a, f_b, f_ab, bootstrap, seed)
    tails = [100 * (0.5 - level / 2), 100 * (0.5 + level / 2)]
    first_ci = np.nanpercentile(boot_first, tails, axis=0)
    total_ci = np.nanpercentile(boot_total, tails, axis=0)
    return pd.DataFrame(
        {
            "parameter": parameters if parameters is not None else [f"x{i + 1}" for i in range(k)],
            "S1": first,
            "S1_low": first_ci[0],
            "S1_high": first_ci[1],
            "ST": total,
            "ST_low": total_ci[0],
            "ST_high": total_ci[1],
        }
    )


def saltelli_matrices(points: pd.DataFrame, outputs: pd.Series, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """f_A, f_B, f_AB from a Saltelli sweep. `points` has point, saltelli_block, saltelli_row;
    `outputs` is the model output indexed by point (the mean over replications)."""
    table = points.set_index("point")[["saltelli_block", "saltelli_row"]].join(outputs.rename("y"), how="inner")
    grid = table.pivot(index="saltelli_block", columns="saltelli_row", values="y")
    expected = list(range(k + 2))
    if list(grid.index) != expected:
        raise ValueError(f"a Saltelli design with {k} parameters needs blocks 0..{k + 1}, got {list(grid.index)}")
    values = grid.to_numpy()
    if np.isnan(values).any():
        raise ValueError("the Saltelli design has missing runs")
    return values[0], values[1], values[2:]


def sweep_sobol(sweep, metric: str, bootstrap: int = 500, level: float = LEVEL) -> pd.DataFrame:
    """Sobol indices of one summary field of a Saltelli sweep. Each design point's output is its
    mean over replications, which removes part of the seed noise from the variance decomposition
    (what noise remains shows up as a small spurious share in ST)."""
    outputs = sweep.summary.groupby("point")[metric].mean()
    parameters = sweep.parameters
    f_a, f_b, f_ab = saltelli_matrices(sweep.points, outputs, len(parameters))
    table = sobol_indices(f_a, f_b, f_ab, parameters, bootstrap=bootstrap, level=level)
    table.insert(0, "metric", metric)
    return table
