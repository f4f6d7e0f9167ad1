"""Which parsers made a row: the package's version and a hash of the parsing rules' source.

Two datasets made by the same release but different rules (an edited layout, a new furniture rule, a
patched installation) differ in the hash; a re-parse of archived pages tells its rows from the old ones.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import metadata
from pathlib import Path

#: the modules whose code decides what a row says (the dataset, checks and reports do not)
RULES = ("agencies.py", "body.py", "byline.py", "casing.py", "dateline.py", "dates.py", "extraction.py",
         "furniture.py", "gazetteer.py", "layouts.py", "metadata.py", "normalize.py", "parse.py",
         "published.py", "sites", "trees.py")


@lru_cache(maxsize=1)
def rules_hash() -> str:
    """12 hex digits of SHA-256 over the rules' source files, in a fixed order."""
    root = Path(__file__).parent
    digest = hashlib.sha256()
    for name in RULES:
        path = root / name
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(file.relative_to(root).as_posix().encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()[:12]


@lru_cache(maxsize=1)
def parser_version() -> str:
    """``<package version>+rules.<hash>``, e.g. ``0.3.0+rules.1f2e3d4c5b6a``."""
    try:
        package = metadata.version("wirecrawl")
    except metadata.PackageNotFoundError:
        package = "0"
    return f"{package}+rules.{rules_hash()}"
