"""Progress lines for the long commands (``reparse``, ``compact``, ``clusters``, ``check``) on stderr.

On a terminal, a line every :data:`TERMINAL_SECONDS` (5 s): a person who started a long run by hand sees
it move and roughly when it ends. Anywhere else (cron, a pipe, a log file) nothing, unless asked with
``--progress SECONDS``: cron mails whatever a job prints, and a long nightly compaction that went well
must not mail anyone; a run that fails still says so in its own lines. Lines, not a redrawn bar, so a
terminal's scrollback and a log file read alike.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import IO

from pipelines.commandline import option
from pipelines.config import number

#: seconds between progress lines when stderr is a terminal and ``--progress`` is not given
TERMINAL_SECONDS = 5.0


def add_option(parser: argparse.ArgumentParser) -> None:
    """The ``--progress SECONDS`` option every long command takes (checked as a number of 0 or more)."""
    parser.add_argument(
        "--progress", type=option("--progress", number(0)), default=None, metavar="SECONDS",
        help=f"a progress line on stderr this often (default: every {TERMINAL_SECONDS:g} s when stderr "
             "is a terminal, none otherwise, so cron mails nothing on success; 0: none)")


def interval(requested: float | None, stream: IO[str] | None = None) -> float:
    """Seconds between lines: ``requested`` if given, else :data:`TERMINAL_SECONDS` when ``stream``
    (stderr) is a terminal, else 0 (no line)."""
    if requested is not None:
        return requested
    stream = stream if stream is not None else sys.stderr
    try:
        return TERMINAL_SECONDS if stream.isatty() else 0.0
    except (AttributeError, ValueError):  # no stream, or a closed one
        return 0.0


class Progress:
    """Counts one stage of work at a time (``stage``), and writes a line when ``every`` seconds have
    passed since the last (``step``). ``every`` 0: silent."""

    def __init__(self, command: str, every: float, stream: IO[str] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.command, self.every, self.clock = command, every, clock
        self.stream = stream
        self.name, self.unit, self.total, self.done = "", "", None, 0
        self.note: Callable[[], str] | None = None
        self.started = self.last = clock()

    def stage(self, name: str, total: int | None, unit: str,
              note: Callable[[], str] | None = None) -> None:
        """Begin counting ``total`` (``None``: unknown) ``unit`` for ``name``; ``note`` adds the
        counts of the moment to each line."""
        self.name, self.total, self.unit, self.note, self.done = name, total, unit, note, 0
        self.stage_started = self.clock()

    def step(self, count: int = 1) -> None:
        self.done += count
        if self.every <= 0:
            return
        now = self.clock()
        if now - self.last >= self.every:
            self.last = now
            print(self.line(now), file=self.stream or sys.stderr, flush=True)

    def line(self, now: float) -> str:
        done = f"{self.done:,}" + (f" of {self.total:,}" if self.total is not None else "")
        share = f" ({self.done / self.total:.0%})" if self.total else ""
        text = f"{self.command}: {self.name + ' ' if self.name else ''}{done} {self.unit}{share}"
        if self.note is not None:
            text += f", {self.note()}"
        text += f"; {_duration(now - self.started)} elapsed"
        spent = now - self.stage_started
        if self.total and 0 < self.done < self.total and spent > 0:
            text += f", about {_duration(spent * (self.total - self.done) / self.done)} left"
        return text


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
