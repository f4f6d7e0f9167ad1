"""Page layouts: the parser class a site's layouts subclass (fundus's model: selectors as class
attributes, one small method per output field), and the choice of a site's layout for a page by the
``valid_until`` each declares.

A layout's field methods read the page through the sources of :mod:`pipelines.metadata`,
:mod:`pipelines.published`, :mod:`pipelines.headline` and :mod:`pipelines.body`; a site overrides a
selector, or one field method, and nothing else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, ClassVar

import lxml.etree
import regex

from pipelines import headline as headlines
from pipelines.body import checked_by_declared, clean_paragraphs, story_paragraphs
from pipelines.dates import to_utc
from pipelines.extraction import Extracted, ExtractionSettings
from pipelines.furniture import drop_leading_header
from pipelines.jsonld import Graph, ld_article, ld_organisations, read_graph, str_or_none
from pipelines.language import language_code, story_language
from pipelines.metadata import (
    embedded_credit_lines,
    generic_byline,
    keywords,
    structured_authors,
    trafilatura_metadata,
)
from pipelines.published import Published, date_candidates, machine_times, published_time
from pipelines.publisher import site_names
from pipelines.trees import link_href, meta_content, select, squash, texts_of, xpath_text
from pipelines.zones import explicit_offset, page_zone

#: the fields a layout names a selector for (``<field>_xpath`` class attributes)
SELECTOR_FIELDS = ("marker", "headline", "byline", "date", "section", "body")


class LayoutError(ValueError):
    """A layout declared with a selector or pattern that cannot be compiled."""


class LayoutDeclarationError(ValueError):
    """Layouts whose periods of validity overlap or cannot be ordered."""


class ArticleParser:
    """Generic article parser; a site's layouts subclass it and override selectors or field methods.

    ``marker_xpath`` says whether a page is of this layout; ``valid_until`` is the last day the site
    served it (``None``: still served) and ``template`` the family of pages it belongs to (a site may
    serve two at once: AP's own pages and its partners'): among the layouts whose marker a page carries,
    the one valid on the day the page was served is chosen (:func:`choose_layout`).
    Times without an offset are read in the site's zone, given when the parser is made.
    """

    name: ClassVar[str] = "generic"
    valid_until: ClassVar[dt.date | None] = None
    template: ClassVar[str] = "main"
    language: ClassVar[str | None] = None
    marker_xpath: ClassVar[str | None] = None
    headline_xpath: ClassVar[str | None] = "//h1"
    byline_xpath: ClassVar[str | None] = None
    date_xpath: ClassVar[str | None] = None
    section_xpath: ClassVar[str | None] = None
    #: Container of the story; trafilatura runs on it alone when it is found.
    body_xpath: ClassVar[str | None] = None
    #: Nodes removed before body extraction (ads, related links, share bars, newsletter promos).
    prune_xpaths: ClassVar[tuple[str, ...]] = ()
    #: Paragraphs dropped after extraction (regular expressions matched against the whole paragraph).
    drop_paragraph_patterns: ClassVar[tuple[str, ...]] = ()
    #: JSON-LD fields this site gets wrong (UPI: ``url`` is the site root, ``dateModified`` stale).
    untrusted_ld_fields: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, settings: ExtractionSettings | None = None, timezone: str | None = "UTC") -> None:
        """``timezone``: the zone the site declares for its zone-less times; ``None`` for a site that
        declares none, whose pages tell it (:mod:`pipelines.zones`)."""
        self.settings = settings or ExtractionSettings()
        self.timezone = timezone
        self._drop = [regex.compile(p, regex.IGNORECASE) for p in self.drop_paragraph_patterns]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Every selector and pattern of a layout is compiled when the layout is declared: a typo
        fails at import, naming the layout and the attribute, not on every page at parse time."""
        super().__init_subclass__(**kwargs)
        for attribute, xpath in (*((f + "_xpath", x) for f, x in cls.selectors().items()),
                                 *(("prune_xpaths", x) for x in cls.prune_xpaths)):
            try:
                lxml.etree.XPath(xpath)
            except lxml.etree.XPathSyntaxError as exc:
                raise LayoutError(f"{cls.__name__}.{attribute} is not an XPath: {xpath!r} ({exc})") from None
        for pattern in cls.drop_paragraph_patterns:
            try:
                regex.compile(pattern)
            except regex.error as exc:
                raise LayoutError(f"{cls.__name__}.drop_paragraph_patterns: {pattern!r} ({exc})") from None

    @classmethod
    def selectors(cls) -> dict[str, str]:
        """The layout's own selectors by field (``marker``, ``headline``, ``byline``, ``date``,
        ``section``, ``body``): those it sets, not the generic defaults."""
        found = {name: getattr(cls, f"{name}_xpath") for name in SELECTOR_FIELDS}
        return {name: xpath for name, xpath in found.items()
                if xpath and xpath != getattr(ArticleParser, f"{name}_xpath")}

    @classmethod
    def matches(cls, tree) -> bool:
        return cls.marker_xpath is None or bool(tree.xpath(cls.marker_xpath))

    def missed_selectors(self) -> list[str]:
        """The layout's selectors that find nothing on this page (counted per layout and field: a
        byline selector gone stale is otherwise hidden by trafilatura's author guess)."""
        return [name for name in self.selectors() if name != "marker" and not self.selected(name)]

    def selected(self, field: str) -> list | str:
        """What the layout's ``<field>_xpath`` finds on this page, evaluated once a page: the field
        methods and the count of missed selectors share it (an XPath over a whole page costs). Found
        on the page as parsed: :meth:`parse` prunes last, so no field reads a pruned node."""
        if field not in self._selected:
            self._selected[field] = select(self.tree, getattr(self, f"{field}_xpath"))
        return self._selected[field]

    def selected_text(self, field: str) -> str | None:
        """The text of the first node the layout's ``<field>_xpath`` finds."""
        found = texts_of(self.selected(field), 1)
        return found[0] if found else None

    # One method per output field; ``self.tree``, ``self.ld`` and ``self.url`` are set by parse().

    def parse(self, tree, url: str, *, html: str | None = None,
              site_published: dt.datetime | None = None) -> Extracted:
        """Read one page. ``html`` (the decoded page) lets the body fall back to a fresh copy of the
        page when the site's rules find little; ``site_published`` is the site's own time for the
        story (UPI: the time in its id), believed after the page's dated sources."""
        self.tree, self.url, self.html, self.site_published = tree, url, html, site_published
        self.graph: Graph = read_graph(tree)
        self.ld = {k: v for k, v in ld_article(self.graph.objects).items()
                   if k not in self.untrusted_ld_fields}
        self.names = site_names(tree, self.ld, url, self.graph)
        self._zone: dt.tzinfo | str | None = self.timezone
        self._fallback: dict[str, Any] | None = None
        self._selected: dict[str, list | str] = {}
        self.notes: list[str] = []
        published = self.published_at()
        headline, byline = self.headline(), self.byline()
        record = Extracted(
            url=url,
            canonical_url=self.canonical_url(),
            headline=headline.text,
            headline_source=headline.source,
            kicker=headline.kicker,
            publisher=self.names.publisher,
            site_names=self.names,
            description=self.description(),
            byline=byline,
            structured_authors=self.structured_authors(),
            structured_organisations=ld_organisations(self.ld.get("author"), self.graph),
            guessed_byline=None if byline else self.guessed_byline(),
            published_at=published.at,
            published_source=published.source,
            published_precision=published.precision,
            modified_at=self.modified_at(),
            section=self.section(),
            tags=self.tags(),
            language=self.page_language(),
            image_url=self.image_url(),
            credit_lines=self.credit_lines(),
            layout=self.name,
            notes=self.notes,
            timezone=self.timezone_used(),
        )
        record.notes.extend(f"missed:{name}" for name in self.missed_selectors())
        # last: pruning changes the tree
        record.paragraphs = drop_leading_header(self.paragraphs(), record.headline)
        if self.language is None:  # a site that states its language is believed without a check
            declared = record.language
            record.language, note = story_language(declared, "\n".join(record.paragraphs))
            if note == "language_overruled":
                self.notes.append(f"rejected_language:{declared}")
            elif note:
                self.notes.append(f"fallback:{note}")
        return record

    def fallback(self) -> dict[str, Any]:
        """trafilatura's metadata, the last resort, computed once and only when needed."""
        if self._fallback is None:
            self._fallback = trafilatura_metadata(self.tree)
        return self._fallback

    def canonical_url(self) -> str | None:
        return (link_href(self.tree, "canonical") or meta_content(self.tree, "og:url")
                or str_or_none(self.ld.get("url")))

    def headline(self) -> headlines.Headline:
        """The headline chain (:mod:`pipelines.headline`): the first declared headline the visible one
        confirms, kicker and site name set apart."""
        return headlines.choose(self.headline_candidates(), self.names)

    def headline_candidates(self, *, visible_always: bool = False) -> list[tuple[str, str | None]]:
        """(source, text) of every headline the page declares, in order of trust. The visible one is
        read where it may tell something (no declared headline, or one that may carry a kicker) or
        with ``visible_always``; the guesses (``<title>``, trafilatura's) only when nothing else is
        found."""
        found: list[tuple[str, str | None]] = [
            ("json-ld", str_or_none(self.ld.get("headline"))),
            ("og:title", meta_content(self.tree, "og:title")),
            ("twitter:title", meta_content(self.tree, "twitter:title")),
        ]
        if visible_always or not any(text for _, text in found) or any(
                text and headlines.may_have_kicker(text) for _, text in found):
            visible = "h1" if self.headline_xpath == ArticleParser.headline_xpath else "layout"
            found += [(visible, text) for text in texts_of(self.selected("headline"), 2)]
        if not any(text for _, text in found):
            found.append(("title", xpath_text(self.tree, "//head/title | //title")))
        if not any(text for _, text in found):
            found.append(("trafilatura", squash(self.fallback().get("title"))))
        return found

    def description(self) -> str | None:
        return (squash(str_or_none(self.ld.get("description")))
                or meta_content(self.tree, "og:description", "description"))

    def structured_authors(self) -> list[str]:
        """The authors the page's structured data names (:func:`pipelines.metadata.structured_authors`)."""
        return structured_authors(self.tree, self.ld, self.graph)

    def byline(self) -> str | None:
        if self.byline_xpath:
            return self.selected_text("byline")
        return generic_byline(self.tree)

    def guessed_byline(self) -> str | None:
        """trafilatura's author: believed only where no other source names anyone (it takes the
        publisher's ``<meta name=author>`` for a person as readily as a byline)."""
        return squash(self.fallback().get("author"))

    def published_at(self) -> Published:
        """The publication time and where it came from (:func:`pipelines.published.published_time`):
        the layout's part is its visible header (:meth:`visible_published`), the site's its own rule
        (``site_published``: UPI's id)."""
        candidates = date_candidates(self.tree, self.ld, self.visible_published)
        return published_time(candidates, self.url, self.tree, zone_of=self.zone_of,
                              site_published=self.site_published, notes=self.notes)

    def visible_published(self) -> str | None:
        return self.selected_text("date")

    def zone_of(self, value: str) -> dt.tzinfo | str:
        """The zone ``value`` is read in if it names none: the site's, else the page's (worked out only
        for a value that needs it)."""
        if self.timezone is None and explicit_offset(value) is not None:
            return "UTC"  # the value states its own offset
        return self.timezone_used()

    def page_zone(self) -> dt.tzinfo | str:
        """The zone of a page whose site declares none: an offset its own machine-readable times state,
        else its country's zone, else UTC (:func:`pipelines.zones.page_zone`)."""
        machine = machine_times(self.tree, self.ld)
        locale = meta_content(self.tree, "og:locale") or xpath_text(self.tree, "/html/@lang")
        return page_zone(self.url, machine, locale)

    def timezone_used(self) -> dt.tzinfo | str:
        """The zone this page's zone-less times are read in: the site's, or the page's own."""
        if self._zone is None:
            self._zone = self.page_zone()
        return self._zone

    def modified_at(self) -> dt.datetime | None:
        value = (str_or_none(self.ld.get("dateModified"))
                 or meta_content(self.tree, "article:modified_time", "article:modified:time", "dateModified"))
        return to_utc(value, self.zone_of(value), require_time=True) if value else None

    def section(self) -> str | None:
        return (self.selected_text("section")
                or meta_content(self.tree, "article:section")
                or squash(str_or_none(self.ld.get("articleSection"))))

    def tags(self) -> list[str]:
        return keywords(self.tree)

    def page_language(self) -> str | None:
        """The language the page declares (``<html lang>``, ``og:locale``, JSON-LD ``inLanguage``),
        else the site's; checked against the story's text once it is extracted
        (:func:`pipelines.language.story_language`) unless the site states its language
        (``language``: a wire's own service in one language)."""
        return (language_code(xpath_text(self.tree, "/html/@lang"))
                or language_code(meta_content(self.tree, "og:locale"))
                or language_code(self.ld.get("inLanguage")) or self.language)

    def image_url(self) -> str | None:
        image = self.ld.get("image")
        if isinstance(image, list):
            image = image[0] if image else None
        if isinstance(image, dict):
            image = image.get("url")
        return meta_content(self.tree, "og:image") or str_or_none(image)

    def credit_lines(self) -> list[str]:
        """Credit lines ("Reporting by …; Editing by …") in the page's scripts (embedded JSON state),
        for pages that keep them nowhere else; used only when the body has none."""
        return embedded_credit_lines(self.tree)

    def paragraphs(self) -> list[str]:
        """The story's paragraphs by the layout's rules, with the fallbacks of :mod:`pipelines.body`;
        held against the declared ``articleBody`` where the layout names no story container."""
        found = story_paragraphs(self.tree, self.html, body_xpath=self.body_xpath,
                                 prune_xpaths=self.prune_xpaths, settings=self.settings,
                                 clean=self.clean, notes=self.notes)
        if self.body_xpath is not None or "articleBody" not in self.ld:
            return found
        return checked_by_declared(found, self.tree, self.ld, clean=self.clean, notes=self.notes)

    def clean(self, paragraphs: list[str]) -> list[str]:
        """Without the site's boilerplate paragraphs (``drop_paragraph_patterns``), the furniture many
        sites share, short ones and repeats (:func:`pipelines.body.clean_paragraphs`)."""
        return clean_paragraphs(paragraphs, self._drop, self.settings.min_paragraph_chars)


def check_layouts(layouts: Iterable[type[ArticleParser]]) -> tuple[type[ArticleParser], ...]:
    """The layouts ordered by era within each template, oldest first; refuses two layouts of one
    template valid until the same day (``None``: still valid), which would leave the choice to chance."""
    by_template: dict[str, list[type[ArticleParser]]] = {}
    for layout in layouts:
        by_template.setdefault(layout.template, []).append(layout)
    ordered: list[type[ArticleParser]] = []
    for template, members in by_template.items():
        ends = [m.valid_until for m in members]
        if len(set(ends)) != len(ends):
            clash = sorted({str(e) for e in ends if ends.count(e) > 1})
            raise LayoutDeclarationError(
                f"layouts of template {template!r} share valid_until {', '.join(clash)}: "
                f"{', '.join(m.__name__ for m in members)}")
        ordered.extend(sorted(members, key=lambda m: m.valid_until or dt.date.max))
    return tuple(ordered)


def choose_layout(layouts: tuple[type[ArticleParser]], tree, served: dt.date | None
                  ) -> type[ArticleParser] | None:
    """The layout for a page served on ``served`` (``fetched_at``, or an archive record's date):
    of the layouts whose marker the page carries, the one valid on that day; else the newest of them
    (an old template still served, or a date unknown); ``None`` when no marker matches."""
    matching = [layout for layout in layouts if layout.matches(tree)]
    if not matching:
        return None
    if served is not None:
        for layout in matching:  # oldest first: the first still valid on the day is the day's
            if layout.valid_until is None or served <= layout.valid_until:
                return layout
    return matching[-1]
