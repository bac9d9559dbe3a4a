"""Progress of the analysis commands on stderr, for people and for logs: a line when a stage
starts and, within a long stage, at most one line every `interval` seconds with done/total, rate
and the time left. Silent when quiet (`--quiet`)."""

from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, command: str, quiet: bool = False, interval: float = 10.0, stream=None):
        self.command = command
        self.quiet = quiet
        self.interval = interval
        self.stream = stream if stream is not None else sys.stderr
        self.started = time.monotonic()
        self.stage_name = ""
        self.stage_started = self.started
        self.last = 0.0

    def _say(self, text: str) -> None:
        if not self.quiet:
            print(f"{self.command}: {text} [{time.monotonic() - self.started:.1f} s]", file=self.stream, flush=True)

    def stage(self, name: str) -> None:
        self.stage_name = name
        self.stage_started = self.last = time.monotonic()
        self._say(name)

    def tick(self, done: int, total: int) -> None:
        """Within a stage: reports done/total when `interval` seconds have passed since the last line."""
        now = time.monotonic()
        if now - self.last < self.interval or total <= 0:
            return
        self.last = now
        rate = done / max(now - self.stage_started, 1e-9)
        left = (total - done) / rate if rate > 0 else float("nan")
        self._say(f"{self.stage_name}: {done}/{total}, {rate:.1f}/s, about {left:.0f} s left")

    def done(self, what: str) -> None:
        self._say(f"done: {what}")


SILENT = Progress("analysis", quiet=True)
