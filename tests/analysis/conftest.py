"""pytest configuration and fixtures for the analysis package's tests: small synthetic run and
sweep files (built by synthetic.py) shared by the whole session.

Run from the repository root with Debian's Python (the only one with h5py):
    /usr/bin/python3 -m pytest -q tests/analysis
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")  # no display on servers and in CI

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
for folder in (ROOT, HERE):  # `import analysis` and `import synthetic` from any working folder
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import synthetic  # noqa: E402


@pytest.fixture(scope="session")
def run_file(tmp_path_factory) -> Path:
    series = synthetic.run_series()
    return synthetic.write_run_file(tmp_path_factory.mktemp("run") / "baseline.h5", series,
                                    synthetic.run_summaries(series))


@pytest.fixture(scope="session")
def other_run_file(tmp_path_factory) -> Path:
    """Like run_file with trust 0.05 higher in every group, and 30 days instead of 40."""
    series = synthetic.run_series(days=30, shift=0.05)
    return synthetic.write_run_file(tmp_path_factory.mktemp("run") / "more_trust.h5", series,
                                    synthetic.run_summaries(series), days=30)


@pytest.fixture(scope="session")
def sparse_run_file(tmp_path_factory) -> Path:
    """A run with only needs_arisen, as the model writes it today: every chart must cope."""
    series = {k: v for k, v in synthetic.run_series().items() if k == "needs_arisen"}
    return synthetic.write_run_file(tmp_path_factory.mktemp("run") / "sparse.h5", series, {})


@pytest.fixture(scope="session")
def sweep_file(tmp_path_factory) -> Path:
    return synthetic.write_grid_sweep_file(tmp_path_factory.mktemp("sweep") / "staffing.h5")


@pytest.fixture(scope="session")
def saltelli_file(tmp_path_factory) -> Path:
    return synthetic.write_saltelli_sweep_file(tmp_path_factory.mktemp("sweep") / "sensitivity.h5")


# ---- real files, made by the built binary (skipped without one) -----------------------------

import real  # noqa: E402


@pytest.fixture(scope="session")
def real_run_file(tmp_path_factory) -> Path:
    """A 90-day baseline run."""
    return real.make_run(tmp_path_factory.mktemp("real") / "baseline.h5")


@pytest.fixture(scope="session")
def real_policy_file(tmp_path_factory) -> Path:
    """The same 90 days and seed under the 24-per-10k staffing policy."""
    return real.make_run(tmp_path_factory.mktemp("real") / "staffing_24.h5", real.POLICY)


@pytest.fixture(scope="session")
def real_sweep_file(tmp_path_factory) -> Path:
    """A 2 x 2 grid sweep (staffing x council calendar) of 45-day runs, two replications each."""
    return real.make_sweep(tmp_path_factory.mktemp("real_sweep"))


# Reports of the real files, built once and shared by the report and browser tests.

@pytest.fixture(scope="session")
def real_run_report(real_run_file, tmp_path_factory) -> Path:
    from analysis import build_report
    return build_report(real_run_file, tmp_path_factory.mktemp("real_report") / "run")


@pytest.fixture(scope="session")
def real_compare_report(real_run_file, real_policy_file, tmp_path_factory) -> Path:
    from analysis import build_comparison
    return build_comparison([real_run_file, real_policy_file], tmp_path_factory.mktemp("real_report") / "compare")


@pytest.fixture(scope="session")
def real_sweep_report(real_sweep_file, tmp_path_factory) -> Path:
    from analysis import build_report
    return build_report(real_sweep_file, tmp_path_factory.mktemp("real_report") / "sweep")
