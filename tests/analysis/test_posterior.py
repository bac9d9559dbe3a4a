"""The report of a posterior file from a real `commsim calibrate` (a tiny M/M/2 queue
calibration, a few seconds). Runs when COMMSIM_BIN names a built commsim (CTest sets it);
skipped otherwise."""

import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

from analysis import build_report
from analysis.posterior import Posterior, is_posterior, weighted_quantile

ROOT = Path(__file__).resolve().parents[2]
QUEUE = ROOT / "scenarios" / "validation" / "erlang_c.yaml"


def commsim_binary() -> Path:
    value = os.environ.get("COMMSIM_BIN")
    if not value or not (Path(value).is_file() and os.access(value, os.X_OK)):
        pytest.skip("COMMSIM_BIN is not set to a built commsim (e.g. build/release/commsim)")
    return Path(value)


def test_weighted_quantile_matches_the_definition():
    values = np.array([5.0, 1.0, 3.0, 2.0, 4.0])
    assert weighted_quantile(values, np.full(5, 0.2), 0.5) == 3.0
    assert weighted_quantile(values, np.array([0.7, 0.1, 0.1, 0.05, 0.05]), 0.5) == 5.0


def test_report_of_a_real_posterior_file(tmp_path):
    binary = commsim_binary()
    calibration = tmp_path / "c.yaml"
    calibration.write_text(
        f"base: {QUEUE}\nset:\n  run.days: 40\n  community.households: 420\n"
        "  community.households_per_grid: 420\n"
        "parameters:\n  needs.types.0.rate: {prior: uniform, min: 2, max: 7}\n"
        "  casework.service_mean_hours: {prior: log_uniform, min: 0.5, max: 2}\n"
        "population: 16\ngenerations: 2\npredictive: 5\nseed: 3\n"
        "targets:\n  - {metric: casework_waited_share, observed: 0.6, scale: 0.05, source: synthetic}\n"
        "  - {metric: resolved_share_by_level, cell: {level: grid}, observed: 1.0, scale: 0.1, source: synthetic}\n")
    results = tmp_path / "posterior.h5"
    subprocess.run([str(binary), "calibrate", str(calibration), "-o", str(results), "-q", "--threads", "2"],
                   check=True, cwd=ROOT, timeout=300)
    assert is_posterior(results)
    post = Posterior(results)
    assert post.parameters == ["needs.types.0.rate", "casework.service_mean_hours"]
    assert post.targets == ["casework_waited_share", "resolved_share_by_level/grid"]
    assert post.particles.shape == (16, 2)
    assert abs(post.weights.sum() - 1) < 1e-12
    assert np.isinf(post.tolerance[0]) and np.isfinite(post.tolerance[1])
    assert post.predicted.shape == (5, 2)
    summary = post.summary_table()
    assert (summary["5%"] <= summary["mean"]).all() and (summary["mean"] <= summary["95%"]).all()
    assert ((summary["5%"] >= post.prior_min) & (summary["95%"] <= post.prior_max)).all()

    index = build_report(results, tmp_path / "report")
    html = index.read_text()
    for section in ("Posterior means and 90% credible intervals", "Marginals", "Pairs", "Generations",
                    "Targets: predicted against observed", "Calibration file"):
        assert section in html
    for name in ("marginals.png", "pairs.png", "tolerance_ess.png", "predictive.png", "posterior_summary.csv",
                 "generations.csv", "targets.csv"):
        assert (tmp_path / "report" / name).is_file(), name
