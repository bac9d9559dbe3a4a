"""Command line: build a report of a run or sweep file, or compare run files.

    /usr/bin/python3 -m analysis report RESULTS.h5 -o results/report/ [--closure-threshold 0.8 --gap-threshold 0.05]
    /usr/bin/python3 -m analysis compare A.h5 B.h5 [C.h5 ...] -o results/compare/
    /usr/bin/python3 -m analysis sensitivity-design --write scenarios/sweeps/sensitivity.yaml
    /usr/bin/python3 -m analysis sensitivity results/sensitivity.h5 --write docs/sensitivity.md
    /usr/bin/python3 -m analysis policies scenarios/policies --seeds 5 --write docs/policies.md
"""

from __future__ import annotations

import argparse
import shlex
import sys
import time
from pathlib import Path

from .progress import Progress
from .report import CLOSURE_THRESHOLD, GAP_THRESHOLD, Thresholds, build_comparison, build_report


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python3 -m analysis", description=__doc__.splitlines()[0])
    commands = p.add_subparsers(dest="command", required=True)
    report = commands.add_parser("report", help="index.html with figures and tables for a run or a sweep file")
    report.add_argument("results", help="a commsim run or sweep file (.h5)")
    report.add_argument("-o", "--output", default="results/report", help="folder to write (default: %(default)s)")
    report.add_argument("--metric", action="append", dest="metrics", metavar="FIELD",
                        help="sweep only: summary field to show (repeatable; default: the key outcomes)")
    report.add_argument("--all-metrics", action="store_true",
                        help="sweep only: every varying scalar field and small breakdown, not only the key outcomes")
    report.add_argument("--closure-threshold", type=float, default=CLOSURE_THRESHOLD, metavar="SHARE",
                        help="region run only: list the communities whose closure_rate is below this "
                             "(default: %(default)s)")
    report.add_argument("--gap-threshold", type=float, default=GAP_THRESHOLD, metavar="DIFFERENCE",
                        help="region run only: list the communities where a group's share or score differs from "
                             "the rest's by more than this (the <summary>_gap_max fields; default: %(default)s)")
    compare = commands.add_parser("compare", help="index.html comparing two or more run files side by side")
    compare.add_argument("results", nargs="+", help="commsim run files (.h5); the first is the reference")
    compare.add_argument("-o", "--output", default="results/compare", help="folder to write (default: %(default)s)")
    design = commands.add_parser(
        "sensitivity-design", help="write the Saltelli sweep over the schema's assumption parameters")
    design.add_argument("--write", default="scenarios/sweeps/sensitivity.yaml", metavar="SWEEP.yaml",
                        help="sweep file to write (default: %(default)s)")
    design.add_argument("--samples", type=int, default=12, help="Saltelli rows N (default: %(default)s)")
    design.add_argument("--replications", type=int, default=2, help="runs per point (default: %(default)s)")
    design.add_argument("--seed", type=int, default=2026, help="sweep seed (default: %(default)s)")
    design.add_argument("--commsim", default=COMMSIM, help="the commsim binary (default: %(default)s)")
    sensitivity = commands.add_parser("sensitivity", help="docs/sensitivity.md: Sobol indices of a Saltelli sweep")
    sensitivity.add_argument("results", help="a finished Saltelli sweep (.h5)")
    sensitivity.add_argument("--write", default="docs/sensitivity.md", metavar="FILE.md",
                             help="Markdown file to write (default: %(default)s)")
    sensitivity.add_argument("--sweep-command", metavar="TEXT",
                             help="the command that made the sweep, quoted in the file (default: commsim sweep "
                                  "scenarios/sweeps/sensitivity.yaml -o RESULTS --threads 2)")
    sensitivity.add_argument("--label", default="", help="a note printed in bold at the top (e.g. a smaller run)")
    sensitivity.add_argument("--bootstrap", type=int, default=500, help="bootstrap resamples (default: %(default)s)")
    policies = commands.add_parser("policies", help="docs/policies.md: every lever of a folder of policy scenarios, "
                                                    "paired seeds, differences with 95%% CIs")
    policies.add_argument("folder", nargs="?", default="scenarios/policies", help="policy scenarios (default: %(default)s)")
    policies.add_argument("--seeds", type=int, default=5, help="paired seeds 1..N per level (default: %(default)s)")
    policies.add_argument("--days", type=int, help="simulated days (default: each scenario's run.days)")
    policies.add_argument("--jobs", type=int, default=2, help="runs at once, one thread each (default: %(default)s)")
    policies.add_argument("--work", default="results/policies", help="folder for the run files (default: %(default)s)")
    policies.add_argument("--write", default="docs/policies.md", metavar="FILE.md",
                          help="Markdown file to write (default: %(default)s)")
    policies.add_argument("--commsim", default=COMMSIM, help="the commsim binary (default: %(default)s)")
    for command in (sensitivity, policies):
        command.add_argument("--metric", action="append", dest="metrics", metavar="OUTCOME",
                             help="outcome to tabulate (repeatable; closure_rate, trust_final/Hui, trust_final for the "
                                  "population value, maxabs(wellbeing_gap_final) for the cell largest in absolute value, "
                                  "max(...) for the largest, maxabs(metric/*/gap) for cells matching a pattern; "
                                  "default: the key "
                                  "outcomes the runs hold)")
    for command in (report, compare, design, sensitivity, policies):
        command.add_argument("-q", "--quiet", action="store_true", help="no progress lines on stderr")
        command.add_argument("--progress-every", type=float, default=10.0, metavar="SECONDS",
                             help="within a long stage, a progress line at most this often (default: %(default)s)")
    return p


COMMSIM = "build/release/commsim"


def _command(argv: list[str] | None) -> str:
    """This command as it was typed, for the files that quote the command that made them."""
    words = sys.argv[1:] if argv is None else argv
    return "/usr/bin/python3 -m analysis " + " ".join(shlex.quote(w) for w in words)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    progress = Progress(f"analysis {args.command}", quiet=args.quiet, interval=args.progress_every)
    try:
        if args.command == "report":
            index = build_report(args.results, args.output, args.metrics, args.all_metrics, progress,
                                 Thresholds(args.closure_threshold, args.gap_threshold))
        elif args.command == "compare":
            index = build_comparison(args.results, args.output, progress)
        elif args.command == "sensitivity-design":
            from .sensitivity import write_design

            index, k = write_design(args.commsim, Path(args.write), args.samples, args.replications, args.seed,
                                    _command(argv))
            progress.done(f"{k} parameters, {args.samples * (k + 2) * args.replications} runs")
        elif args.command == "sensitivity":
            from .sensitivity import write_sensitivity

            sweep_command = args.sweep_command or (
                f"commsim sweep scenarios/sweeps/sensitivity.yaml -o {args.results} --threads 2")
            index = write_sensitivity(Path(args.results), Path(args.write), args.metrics, _command(argv),
                                      sweep_command, args.label, args.bootstrap)
        else:
            from .policies import write_policies

            started = time.monotonic()
            index = write_policies(Path(args.folder), args.seeds, args.commsim, Path(args.work), Path(args.write),
                                   args.metrics, _command(argv), args.jobs, args.days, progress, started)
    except (OSError, ValueError, KeyError) as error:
        # A missing, damaged or foreign file is the user's to fix: a message and exit code 2, as
        # commsim does. The messages name the file (analysis.load.ResultsError).
        print(f"analysis: {error}", file=sys.stderr)
        return 2
    print(index)
    return 0


if __name__ == "__main__":
    sys.exit(main())
