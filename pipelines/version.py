"""Which parsers made a row: the package's version and a hash of the parsing rules' source.

Two datasets made by the same release but different rules (an edited layout, a new furniture rule, a
patched installation) differ in the hash; a re-parse of archived pages tells its rows from the old ones.
The rules are found, not listed: every module of the package that the parser imports, directly or not,
and every site module (loaded by name, not imported). A list kept by hand went stale as modules split.
"""

from __future__ import annotations

import ast
import hashlib
from functools import lru_cache
from importlib import metadata
from pathlib import Path

PACKAGE = Path(__file__).parent
#: where the parsing starts: one page to one row
ENTRY = "parse"


def _imported(module: Path, root: Path) -> set[str]:
    """The package's modules that ``module`` imports (``pipelines.x`` or ``from pipelines import x``)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(module.read_bytes())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    prefix = f"{root.name}."
    return {name.removeprefix(prefix) for name in names if name.startswith(prefix)}


def _file_of(name: str, root: Path) -> Path | None:
    path = root.joinpath(*name.split("."))
    if path.with_suffix(".py").is_file():
        return path.with_suffix(".py")
    if (path / "__init__.py").is_file():
        return path / "__init__.py"
    return None


def rule_files(root: Path = PACKAGE) -> list[Path]:
    """The source files whose code decides what a row says, in a fixed order."""
    found = set((root / "sites").rglob("*.py"))
    pending = [root / f"{ENTRY}.py", *found]
    while pending:
        module = pending.pop()
        for name in _imported(module, root):
            path = _file_of(name, root)
            if path is not None and path not in found:
                found.add(path)
                pending.append(path)
    found.add(root / f"{ENTRY}.py")
    return sorted(found)


@lru_cache(maxsize=4)
def rules_hash(root: Path = PACKAGE) -> str:
    """12 hex digits of SHA-256 over the rules' source files."""
    digest = hashlib.sha256()
    for file in rule_files(root):
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
