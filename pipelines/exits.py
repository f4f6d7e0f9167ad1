"""The exit statuses of every command (the crawl, ``check``, ``compact``, ``report``, ``clusters``,
``reparse``), and their names in a run record. The README's table is this one."""

EXIT_OK = 0  # the run went well
EXIT_FAILED = 1  # it failed, or the dataset has problems (the log says which)
EXIT_USAGE = 2  # a user's mistake: one line `error: …`, nothing done
EXIT_QUARANTINED = 3  # the run went well, but damaged files were moved to <dataset>/_quarantine/
#: stopped by Ctrl-C or SIGTERM: what was parsed is stored, the rest is fetched by the next run
#: (128 + SIGINT, what shells report for a program Ctrl-C ended)
EXIT_INTERRUPTED = 130

STATUS_NAMES = {EXIT_OK: "ok", EXIT_FAILED: "failed", EXIT_USAGE: "usage", EXIT_QUARANTINED: "quarantined",
                EXIT_INTERRUPTED: "interrupted"}
