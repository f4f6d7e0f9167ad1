"""What the dataset commands (``check``, ``compact``, ``clusters``, ``reparse``, ``report``) share with
the crawl on their command lines: a mistake is one line ``error: <what is wrong>`` and exit 2, each
option is checked by the declaration of the setting it stands for (:mod:`pipelines.config`), a folder
that cannot be written (read-only, full) is one line and exit 1, and a reader of the output that goes
away (``| head -1``) ends the command quietly. Never a traceback for any of them."""

from __future__ import annotations

import argparse
import errno
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from pipelines.config import BadSetting, local_folder
from pipelines.exits import EXIT_FAILED, EXIT_OK, EXIT_USAGE


class Parser(argparse.ArgumentParser):
    """argparse, with its errors as one line ``error: …`` (it prints the usage first, on two lines)."""

    def error(self, message: str) -> NoReturn:
        # argparse puts "argument --days: " before a type's message, which names the option itself
        prefix, _, rest = message.partition(": ")
        if prefix.startswith("argument ") and rest in _OWN_MESSAGES:
            message = rest
        sys.stderr.write(f"error: {message}; see {self.prog} --help\n")
        sys.exit(EXIT_USAGE)


#: the messages of the ``type`` checks below (whole sentences: they name the option or folder)
_OWN_MESSAGES: set[str] = set()


def _refuse(message: str) -> argparse.ArgumentTypeError:
    _OWN_MESSAGES.add(message)
    return argparse.ArgumentTypeError(message)


def option(name: str, parse: Callable[[str, Any], Any]) -> Callable[[str], Any]:
    """An argparse ``type`` from a parser of :mod:`pipelines.config` (``whole(1)``, the parse of a
    declared setting…): the same bounds as the setting, the same words when a value is refused."""

    def checked(raw: str) -> Any:
        try:
            return parse(name, raw)
        except BadSetting as exc:
            raise _refuse(str(exc)) from None

    checked.__name__ = name.lstrip("-").replace("-", "_")
    return checked


def dataset_folder(raw: str) -> Path:
    """A dataset folder that exists (the commands that read one)."""
    try:
        path = Path(local_folder("the dataset folder", raw))
    except BadSetting as exc:
        raise _refuse(str(exc)) from None
    if not path.is_dir():
        raise _refuse(f"no dataset at {raw}; give the dataset folder (e.g. data/articles)")
    return path


def target_folder(raw: str) -> Path:
    """A local folder to write a dataset into (created when missing): never an object-store URL."""
    try:
        return Path(local_folder("the dataset folder", raw))
    except BadSetting as exc:
        raise _refuse(str(exc)) from None


#: what a folder that cannot take a write answers (read-only, not ours, full, over quota or size)
_CANNOT_WRITE = {errno.EROFS: "mount it read-write, or work on a copy",
                 errno.EACCES: "run as a user who may write there, or work on a copy",
                 errno.EPERM: "run as a user who may write there, or work on a copy",
                 errno.ENOSPC: "free some space (nothing already written was lost)",
                 errno.EDQUOT: "free some space (nothing already written was lost)",
                 errno.EFBIG: "free some space or raise the file size limit (nothing already written "
                              "was lost)"}


def cannot_write(exc: BaseException) -> bool:
    """Whether ``exc`` says a folder cannot take a write (rather than that something is damaged)."""
    return isinstance(exc, OSError) and exc.errno in _CANNOT_WRITE


def unwritable(exc: OSError, where: Path | str) -> str:
    """One line for ``exc``, met writing in ``where``: what failed, on which file, what to do."""
    what = exc.strerror or str(exc)
    name = f" ({exc.filename})" if exc.filename and str(exc.filename) != str(where) else ""
    advice = _CANNOT_WRITE.get(exc.errno)
    verb = "cannot write in" if advice else "failed in"
    return f"{verb} {where}: {what}{name}" + (f"; {advice}" if advice else "")


def run(main: Callable[[list[str] | None], int], argv: list[str] | None = None) -> int:
    """``main(argv)``'s exit status, with the two ends of a command that are not its business:
    a closed output pipe (``wirecrawl report DIR | head -1``: the reader has what it wanted, so the
    command stops, silently, exit 0) and a folder it cannot write (one line, exit 1)."""
    try:
        status = main(argv)
        sys.stdout.flush()
        return status
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_OK
    except OSError as exc:  # the commands name their folder where they expect this; the rest lands here
        print(f"error: {unwritable(exc, Path(exc.filename).parent if exc.filename else '.')}",
              file=sys.stderr)
        return EXIT_FAILED


def _silence_stdout() -> None:
    """Python flushes stdout at exit, and would complain of the closed pipe once more."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
