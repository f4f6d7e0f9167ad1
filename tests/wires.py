"""Each wire's test pages, one data file per source: ``tests/wires/<source>.json``.

A file lists the pages of one spider (``source``: a declared wire, or ``wire``, the generic spider):
where the page is (``page``: a path in the corpus, or ``fixture:<name>`` for a page written for the tests
in ``tests/fixtures``), the URL it was served under, the day it was served (``served``: it picks the
layout of the era), the layout that must read it (``layout``; ``null``: no layout knows the page), the
fields its row must have, by name (``expected``), how its story text is read off the page by plain means
(``story``: an XPath of the story's paragraphs, or a text excerpt between two lines; never the code
under test), and texts its body must not hold (``absent``, also at the file's top level for every page).

Every test and benchmark that needs a wire's pages reads them here, so adding a wire adds one file.
Values are read off each page (its metadata, header and lead), not produced by the code under test.
Authors compare case-insensitively (an all-caps byline cannot tell Thomson-DeVeaux from Thomson-Deveaux).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import lxml.html
import regex

from pipelines.layouts import ArticleParser
from pipelines.sites.base import Site
from pipelines.trees import load_html

HERE = Path(__file__).resolve().parent
DATA = HERE / "wires"
FIXTURES = HERE / "fixtures"

#: a credit or contact line, which the rows keep in ``contributors`` (never in ``body``)
_CREDIT = regex.compile(
    r"(contributed to this (?:report|story)|^\(?(?:Additional )?[Rr]eporting by|^[\w.]+@yna\.co\.kr|^\(END\)$"
    r"|^[-_]{2,}$)")


@dataclass(frozen=True, eq=False)
class WirePage:
    """One test page of one wire, as its data file declares it."""

    source: str
    page: str
    url: str
    served: dt.date
    layout: str | None
    expected: dict[str, Any]
    story: dict[str, Any] | None = None
    absent: tuple[str, ...] = ()
    note: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    #: where ``fixture:`` pages are (``tests/fixtures``)
    fixtures: Path = FIXTURES

    @property
    def name(self) -> str:
        return f"{self.source}:{self.page}"

    @property
    def fetched_at(self) -> dt.datetime:
        """Noon UTC of the day it was served: what ``fetched_at`` would have been."""
        return dt.datetime.combine(self.served, dt.time(12), tzinfo=dt.timezone.utc)

    def path(self, corpus: Path | None = None) -> Path:
        """Where the page is: ``tests/fixtures``, or the corpus (which a corpus page needs)."""
        if self.page.startswith("fixture:"):
            return self.fixtures / self.page.removeprefix("fixture:")
        if corpus is None:
            raise ValueError(f"{self.page} is a corpus page: give the corpus folder")
        return corpus / self.page

    def html(self, corpus: Path | None = None) -> bytes:
        return self.path(corpus).read_bytes()

    def story_paragraphs(self, corpus: Path) -> list[str]:
        """The labelled story: the paragraphs the ``story`` spec picks, with the dateline, credit lines
        and the listed ``skip`` texts taken away."""
        spec = self.story or {}
        if "excerpt" in spec:
            lines = [line.strip() for line in (corpus / spec["excerpt"]).read_text("utf-8").splitlines()]
            lines = [line for line in lines if line]
            start = next(i for i, line in enumerate(lines) if line.startswith(spec["first"]))
            end = next(i for i, line in enumerate(lines) if line.endswith(spec["last"]))
            texts = lines[start:end + 1]
        else:
            # decoded as UTF-8 (every page here is), not by lxml's guess from a missing charset
            tree = lxml.html.document_fromstring(self.html(corpus).decode("utf-8", "replace"))
            texts = [" ".join(p.text_content().split()) for p in tree.xpath(spec["xpath"])]
        skip = set(spec.get("skip", ()))
        texts = [t for t in texts if t and t not in skip and not _CREDIT.search(t)]
        agency = regex.escape(self.expected.get("agency") or "") or r"[A-Z]\w+"
        texts[0] = regex.sub(rf"^[^()]{{0,80}}\({agency}\)\s*(?:--|—|-)\s*", "", texts[0], count=1)
        return [t for t in texts if t]


def _typed(name: str, value: Any) -> Any:
    """Times and days from their ISO form, by the field's name."""
    if value is None:
        return None
    if name.endswith("_at"):
        return dt.datetime.fromisoformat(value)
    if name.endswith("_date"):
        return dt.date.fromisoformat(value)
    return value


@functools.cache
def load_file(path: Path, fixtures: Path = FIXTURES) -> tuple[WirePage, ...]:
    """The pages one data file declares (``fixtures``: where its ``fixture:`` pages are)."""
    data = json.loads(path.read_text("utf-8"))
    source, shared = data["source"], tuple(data.get("absent", ()))
    return tuple(WirePage(
        source=source, page=p["page"], url=p["url"], served=dt.date.fromisoformat(p["served"]),
        layout=p.get("layout"), expected={k: _typed(k, v) for k, v in p.get("expected", {}).items()},
        story=p.get("story"), absent=shared + tuple(p.get("absent", ())), note=p.get("note", ""),
        headers=p.get("headers", {}), fixtures=fixtures) for p in data["pages"])


def sources() -> list[str]:
    """The sources that have a data file."""
    return sorted(path.stem for path in DATA.glob("*.json"))


def wire_pages(source: str | None = None) -> list[WirePage]:
    """Every test page (of ``source``), in a stable order."""
    names = [source] if source else sources()
    return [page for name in names for page in load_file(DATA / f"{name}.json")]


def pages_with_story() -> Iterator[WirePage]:
    return (page for page in wire_pages() if page.story)


def differences(row: dict[str, Any], page: WirePage) -> list[str]:
    """Where ``row`` differs from what ``page`` expects (empty: nowhere)."""
    found = []
    for name, want in page.expected.items():
        got = row.get(name)
        if name == "authors":
            got, want = [a.lower() for a in got], [a.lower() for a in want]
        if got != want:
            found.append(f"{name}: {got!r} != expected {want!r}")
    return found


def tree_of(page: WirePage, corpus: Path | None = None):
    return load_html(page.path(corpus).read_text("utf-8", errors="replace"))


def chosen_layout(site: Site, page: WirePage, corpus: Path | None = None) -> str | None:
    """The name of the layout ``site`` reads the page with on the day it was served (``None``: none)."""
    chosen = site.layout_for(tree_of(page, corpus), page.served)
    return chosen.name if chosen else None


def idle_selectors(layout: type[ArticleParser], trees: list) -> list[str]:
    """The layout's selectors that find nothing on any of ``trees`` (its pages)."""
    return [f"{layout.name}.{field}: {xpath}" for field, xpath in layout.selectors().items()
            if not any(tree.xpath(xpath) for tree in trees)]


def story_problems(row: dict[str, Any], page: WirePage, corpus: Path | None = None) -> list[str]:
    """How the row's ``body`` differs from the labelled story, and the ``absent`` texts it holds."""
    found, body = [], row["body"].split("\n\n")
    if page.story and body != (story := page.story_paragraphs(corpus)):
        found.append(f"body {body!r} != story {story!r}")
    return found + [f"body holds {text!r}" for text in page.absent if text in row["body"]]


def parse_with(spider, page: WirePage, corpus: Path | None = None) -> dict[str, Any]:
    """The row ``spider`` stores for the page, served on its day (the real callback and worker code)."""
    from tests.pages import parse_outcome

    outcome = parse_outcome(spider, page.html(corpus), page.url, headers=page.headers,
                            fetched_at=page.fetched_at)
    assert outcome is not None and outcome.row is not None, f"{page.name} was dropped"
    return outcome.row
