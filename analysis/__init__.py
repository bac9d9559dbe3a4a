"""Reading and reporting commsim results (HDF5, layout in docs/output.md).

    from analysis import open_results, mean_ci, build_report
    run = open_results("results/baseline.h5")          # a Run, or a Sweep for a sweep file
    run.timeseries_frame(["work_orders_open"])         # day, metric, <breakdown>, value, unit

Command line: `python3 -m analysis report FILE.h5 -o DIR` and `python3 -m analysis compare A.h5 B.h5 -o DIR`.
"""

from .load import Metric, Run, Sweep, is_sweep, open_results, read_run, read_sweep
from .report import build_comparison, build_report
from .stats import (
    Interval,
    compare_to_base,
    mean_ci,
    paired_difference,
    replication_summary,
    sobol_indices,
    sweep_sobol,
    unpaired_difference,
)

__all__ = [
    "Interval",
    "Metric",
    "Run",
    "Sweep",
    "build_comparison",
    "build_report",
    "compare_to_base",
    "is_sweep",
    "mean_ci",
    "open_results",
    "paired_difference",
    "read_run",
    "read_sweep",
    "replication_summary",
    "sobol_indices",
    "sweep_sobol",
    "unpaired_difference",
]
