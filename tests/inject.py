"""Run ``scrapy`` with one machine fault injected, and report the process's peak RSS.

``python -m tests.inject FAULT crawl upi -a ...`` where FAULT is ``none``, ``enospc`` (every Parquet
write after the first fails with "No space left on device", half-written), ``kill_in_flush`` (the
process SIGKILLs itself after a file is written under its temporary name, before the rename) or
``kill_after_write`` (SIGKILL right after the first file is renamed into place, before anything else
hears of it). The last stderr line is ``peak-rss-kb=<N>``.
"""

from __future__ import annotations

import atexit
import errno
import os
import resource
import signal
import sys

import pipelines.dataset as dataset


def _report_rss() -> None:
    print(f"peak-rss-kb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", file=sys.stderr)


def _enospc() -> None:
    real = dataset.pq.write_table
    calls = {"n": 0}

    def write_table(table, where, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            return real(table, where, **kwargs)
        where.write(b"PAR1" + b"\0" * 1024)  # the disk fills up half way through
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    dataset.pq.write_table = write_table


def _kill_in_flush() -> None:
    real = os.replace

    def replace(src, dst, *args, **kwargs):
        if str(src).endswith(".parquet.tmp"):
            os.kill(os.getpid(), signal.SIGKILL)
        return real(src, dst, *args, **kwargs)

    os.replace = replace


def _kill_after_write() -> None:
    real = os.replace

    def replace(src, dst, *args, **kwargs):
        result = real(src, dst, *args, **kwargs)
        if str(src).endswith(".parquet.tmp"):
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    os.replace = replace


def main() -> None:
    fault, argv = sys.argv[1], sys.argv[2:]
    {"none": lambda: None, "enospc": _enospc, "kill_in_flush": _kill_in_flush,
     "kill_after_write": _kill_after_write}[fault]()
    atexit.register(_report_rss)
    from scrapy.cmdline import execute

    execute(["scrapy", *argv])


if __name__ == "__main__":
    main()
