"""The files a user looks for beside the code: the licence pyproject.toml declares, and a changelog
entry for the version it builds."""

from __future__ import annotations

import re

from tests.mirror import ROOT

PYPROJECT = (ROOT / "pyproject.toml").read_text()


def test_the_license_file_is_the_one_pyproject_declares() -> None:
    assert re.search(r'^license = \{ text = "MIT" \}$', PYPROJECT, re.MULTILINE)
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License\n")
    assert re.search(r"^Copyright \(c\) \d{4} the wirecrawl authors$", text, re.MULTILINE)
    assert 'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND' in text


def test_the_changelog_has_the_version_pyproject_builds() -> None:
    version = re.search(r'^version = "([^"]+)"$', PYPROJECT, re.MULTILINE)
    headings = re.findall(r"^## (\S+)", (ROOT / "CHANGELOG.md").read_text(), re.MULTILINE)
    assert version and headings and headings[0] == version[1], headings
