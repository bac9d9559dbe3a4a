"""Command line: build a report of a run or sweep file, or compare run files.

    /usr/bin/python3 -m analysis report RESULTS.h5 -o results/report/
    /usr/bin/python3 -m analysis compare A.h5 B.h5 [C.h5 ...] -o results/compare/
"""

from __future__ import annotations

import argparse
import sys

from .progress import Progress
from .report import build_comparison, build_report


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
    compare = commands.add_parser("compare", help="index.html comparing two or more run files side by side")
    compare.add_argument("results", nargs="+", help="commsim run files (.h5); the first is the reference")
    compare.add_argument("-o", "--output", default="results/compare", help="folder to write (default: %(default)s)")
    for command in (report, compare):
        command.add_argument("-q", "--quiet", action="store_true", help="no progress lines on stderr")
        command.add_argument("--progress-every", type=float, default=10.0, metavar="SECONDS",
                             help="within a long stage, a progress line at most this often (default: %(default)s)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    progress = Progress(f"analysis {args.command}", quiet=args.quiet, interval=args.progress_every)
    try:
        if args.command == "report":
            index = build_report(args.results, args.output, args.metrics, args.all_metrics, progress)
        else:
            index = build_comparison(args.results, args.output, progress)
    except (OSError, ValueError, KeyError) as error:
        # A missing, damaged or foreign file is the user's to fix: a message and exit code 2, as
        # commsim does. The messages name the file (analysis.load.ResultsError).
        print(f"analysis: {error}", file=sys.stderr)
        return 2
    print(index)
    return 0


if __name__ == "__main__":
    sys.exit(main())
