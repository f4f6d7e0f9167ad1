"""The README's own examples, for the tests that run them as written and compare what they print."""

from __future__ import annotations

import ast
import re
from typing import Any

from tests.mirror import ROOT


def text() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def python_blocks(containing: str) -> list[str]:
    """The README's ```python blocks that contain ``containing``."""
    return [block for block in re.findall(r"```python\n(.*?)```", text(), re.DOTALL) if containing in block]


def text_block_after(marker: str) -> str:
    """The first ```text block after ``marker`` in the README."""
    found = re.search(re.escape(marker) + r".*?```text\n(.*?)```", text(), re.DOTALL)
    assert found, f"a text block after {marker!r} in the README"
    return found.group(1)


def run_snippet(code: str, namespace: dict[str, Any] | None = None) -> Any:
    """Execute ``code`` as a notebook would and return the value of its last line (an expression)."""
    tree = ast.parse(code)
    last = tree.body.pop()
    assert isinstance(last, ast.Expr), "the snippet ends with the expression it shows"
    namespace = {} if namespace is None else namespace
    exec(compile(tree, "README", "exec"), namespace)  # noqa: S102 - the README's own code
    return eval(compile(ast.Expression(last.value), "README", "eval"), namespace)  # noqa: S307


def same_lines(a: str, b: str) -> bool:
    """Equal but for runs of spaces and blank line ends (a table's column widths)."""
    squash = lambda t: [" ".join(line.split()) for line in t.strip().splitlines()]  # noqa: E731
    return squash(a) == squash(b)
