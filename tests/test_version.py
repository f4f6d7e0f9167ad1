"""The rules hash covers every module that decides what a row says, and only those."""

from __future__ import annotations

import shutil
from pathlib import Path

from pipelines import version


def _names(root: Path = version.PACKAGE) -> set[str]:
    return {path.relative_to(root).as_posix() for path in version.rule_files(root)}


def test_modules_the_parser_imports_are_rules():
    names = _names()
    # imported by parse directly, through normalize, through the layouts, and site modules by name
    assert {"parse.py", "normalize.py", "layouts.py", "furniture_phrases.py", "zones.py", "headline.py",
            "byline_words.py", "sites/upi.py", "sites/generic.py"} <= names


def test_storage_and_reporting_are_not_rules():
    assert not {"dataset.py", "report.py", "check.py", "compact.py", "version.py", "stages.py"} & _names()


def test_hash_changes_when_an_indirect_rule_changes(tmp_path):
    root = tmp_path / "pipelines"
    shutil.copytree(version.PACKAGE, root, ignore=shutil.ignore_patterns("__pycache__"))
    before = version.rules_hash(root)
    (root / "report.py").write_text("# a report change\n", encoding="utf-8")
    assert version.rules_hash.__wrapped__(root) == before
    phrases = root / "furniture_phrases.py"
    phrases.write_text(phrases.read_text(encoding="utf-8") + "\n# one more phrase\n", encoding="utf-8")
    assert version.rules_hash.__wrapped__(root) != before


def test_parser_version_names_the_hash():
    assert version.parser_version().endswith(f"+rules.{version.rules_hash()}")
