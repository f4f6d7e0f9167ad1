"""``--quiet``, for cron (which mails whatever a job prints): a run that went well prints nothing; one
that did not prints its ERROR lines and its summary on stderr, whatever ``LOG_FILE`` says.

:class:`FailureEcho` is a logging handler on the root logger that keeps the ERROR lines (formatted as
Scrapy formats them) and the summary line until the run's exit status is known."""

from __future__ import annotations

import logging
import sys
from typing import TextIO

#: ERROR lines kept at most (a run failing on every page must not mail a book)
MAX_LINES = 200
#: the logger of the run's summary line, kept whatever its level
SUMMARY_LOGGER = "crawler.run"


class FailureEcho(logging.Handler):
    def __init__(self, log_file: str | None = None,
                 log_format: str = "%(asctime)s [%(name)s] %(levelname)s: %(message)s",
                 date_format: str = "%Y-%m-%d %H:%M:%S") -> None:
        super().__init__(logging.NOTSET)
        self.lines: list[str] = []
        self.more = 0
        self.log_file = log_file
        self.setFormatter(logging.Formatter(log_format, date_format))

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno < logging.ERROR and record.name != SUMMARY_LOGGER:
            return
        if len(self.lines) >= MAX_LINES and record.name != SUMMARY_LOGGER:
            self.more += 1
            return
        try:
            self.lines.append(self.format(record))
        except Exception:  # noqa: BLE001 - a line that cannot be formatted must not end the run
            self.handleError(record)

    def install(self) -> FailureEcho:
        logging.getLogger().addHandler(self)
        return self

    def finish(self, exit_status: int, stream: TextIO | None = None) -> None:
        """Stop listening; print what was kept if the run did not go well (``exit_status`` not 0)."""
        logging.getLogger().removeHandler(self)
        if exit_status == 0:
            return
        out = stream or sys.stderr
        for line in self.lines:
            out.write(line + "\n")
        if self.more:
            out.write(f"... and {self.more} more ERROR lines"
                      + (f" in {self.log_file}" if self.log_file else "") + "\n")
        elif self.log_file:
            out.write(f"(the whole log: {self.log_file})\n")
        out.flush()
