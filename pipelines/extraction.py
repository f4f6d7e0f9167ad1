"""Article extraction: body text through trafilatura, metadata through a trust order of sources.

Scrapy-free. A site describes itself by subclassing :class:`ArticleParser` and overriding selectors
(class attributes) or single field methods, as fundus does; everything here is the shared machinery.
Trust order for metadata: JSON-LD and ``itemprop``/``og:`` meta, then the visible header, then
trafilatura's metadata. The HTML parser never resolves entities or touches the network.
"""

from __future__ import annotations

import codecs
import copy
import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, ClassVar

import htmldate
import lxml.etree
import lxml.html
import regex
import trafilatura

from pipelines import headline as headlines
from pipelines.agencies import normalize_agency
from pipelines.byline import inverted_name, opens_byline
from pipelines.cleaning import LIST_CAPS
from pipelines.dates import date_with_time, day_start, to_day, to_utc, url_day
from pipelines.declared_body import declared_text, reconcile
from pipelines.embedded_story import embedded_paragraphs
from pipelines.furniture import drop_furniture, drop_leading_header
from pipelines.jsonld import (  # noqa: F401 - json_ld, ld_article, ld_names: used by sites
    ARTICLE_TYPES,
    Graph,
    json_ld,
    ld_article,
    ld_names,
    ld_organisations,
    read_graph,
    text_value,
)
from pipelines.language import count_words, language_code, story_language
from pipelines.publisher import SiteNames, site_names
from pipelines.split_story import join_split_story
from pipelines.zones import explicit_offset, page_zone


@dataclass(frozen=True)
class ExtractionSettings:
    """Every tunable of extraction, in one place (trafilatura's own options included).

    The trafilatura options were chosen by ``benchmarks/extraction_quality.py`` on the corpus.
    """

    favor_precision: bool = True
    favor_recall: bool = False
    include_tables: bool = True
    include_comments: bool = False
    include_images: bool = False
    deduplicate: bool = False
    #: Pages larger than this are not parsed (the downloader has its own, larger, limit).
    max_html_bytes: int = 5 * 1024 * 1024
    #: Paragraphs shorter than this many characters are dropped.
    min_paragraph_chars: int = 2
    #: A body of fewer words is no story (normalization refuses it); extraction then tries fallbacks.
    min_body_words: int = 15
    #: The site's rules found "far less" than the page holds below this share of its paragraph text...
    short_body_share: float = 0.5
    #: ...and a fallback is taken when it finds at least this many times their text.
    fallback_gain: float = 1.5


@dataclass
class Extracted:
    """What a parser reads from one page, before normalization."""

    url: str
    canonical_url: str | None = None
    headline: str | None = None
    #: which source gave it (:class:`pipelines.headline.Headline`)
    headline_source: str | None = None
    #: the kicker (overline) set apart from the headline
    kicker: str | None = None
    #: the publication (``og:site_name``, the JSON-LD ``publisher``)
    publisher: str | None = None
    #: every name the page gives its publication, to keep them out of the authors
    site_names: SiteNames = field(default_factory=SiteNames)
    description: str | None = None
    byline: str | None = None
    structured_authors: list[str] = field(default_factory=list)
    #: organisations the structured data names as authors (an agency, the paper itself)
    structured_organisations: list[str] = field(default_factory=list)
    #: trafilatura's guess at the author, believed only when nothing else names one
    guessed_byline: str | None = None
    published_at: dt.datetime | None = None
    #: which source gave it: ``structured``, ``meta``, ``visible``, ``id``, ``url``, ``htmldate``
    published_source: str | None = None
    #: ``time`` or ``day`` (a day-only date, stored as 00:00 UTC of that day)
    published_precision: str | None = None
    modified_at: dt.datetime | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    language: str | None = None
    image_url: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    #: credit lines ("Reporting by …") found outside the body, in the page's embedded JSON
    credit_lines: list[str] = field(default_factory=list)
    layout: str | None = None
    #: what the parser refused to believe (e.g. ``rejected_date``), for the stats
    notes: list[str] = field(default_factory=list)
    #: the zone the page's zone-less times were read in (the site's, or the page's own)
    timezone: dt.tzinfo | str = "UTC"


@dataclass(frozen=True)
class Published:
    """A publication time, the source that gave it and how precise it is (``time`` or ``day``)."""

    at: dt.datetime | None = None
    source: str | None = None
    precision: str | None = None


#: Date metas of many sites and CMSs, most specific first (``itemprop`` values may be several words).
PUBLISHED_METAS = (
    "article:published_time", "datePublished", "og:article:published_time", "article:published",
    "article:published:time",
    "og:published_time", "published_time", "pubdate", "publishdate", "publish-date", "publish_date",
    "sailthru.date", "parsely-pub-date", "dc.date.issued", "DC.date.issued", "dcterms.issued",
    "dcterms.created", "DC.date", "dc.date", "date", "Date", "OriginalPublicationDate",
    "article.published", "cXenseParse:recs:publishtime", "REVISION_DATE",
)


#: Metas of machine-readable times whose offset tells a page's zone (:meth:`ArticleParser.page_zone`).
_MACHINE_TIME_METAS = (
    ("article:published_time", "article:published:time", "og:article:published_time"),
    ("article:modified_time", "article:modified:time", "og:updated_time", "dateModified"),
)


# -- generic helpers -------------------------------------------------------------------------------

_HTML_PARSER = lxml.html.HTMLParser(
    no_network=True, huge_tree=False, remove_comments=True, remove_pis=True,
    default_doctype=False, collect_ids=False,
)


_XML_DECLARATION = regex.compile(r"^\s*<\?xml[^>]*>")


def load_html(html: bytes | str, max_bytes: int = ExtractionSettings.max_html_bytes):
    """Parse HTML into an lxml tree, or ``None`` when it is empty, too large or not HTML at all.

    Give text (already decoded, see :func:`decode_html`) where possible: lxml then ignores the
    page's ``<meta charset>``, which lies as often as the HTTP header does.
    """
    if not html or len(html) > max_bytes:
        return None
    if isinstance(html, str):
        html = _XML_DECLARATION.sub("", html, count=1)
    try:
        tree = lxml.html.document_fromstring(html, parser=_HTML_PARSER)
    except (lxml.etree.ParserError, ValueError, lxml.etree.XMLSyntaxError):
        return None
    return tree


def has_class(name: str) -> str:
    """XPath predicate for an element carrying the CSS class ``name`` (not merely containing it)."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _cp1252_bytes(error: UnicodeDecodeError) -> tuple[str, int]:
    """Decoding error handler: each byte that is not UTF-8 read as Windows-1252 (or U+FFFD)."""
    bad = error.object[error.start:error.end]
    return bad.decode("cp1252", errors="replace"), error.end


codecs.register_error("wirecrawl_cp1252", _cp1252_bytes)


def decode_html(body: bytes, declared: str) -> tuple[str, str | None]:
    """(text, repair note). ``declared`` is the text decoded with the page's declared charset.

    Declared charsets lie both ways: a page labelled ISO-8859-1 that is really UTF-8 (mojibake like
    "SÃ©oul"), and one labelled UTF-8 holding Windows-1252 bytes (replacement characters). Valid
    UTF-8 with non-ASCII bytes is almost never an accident, so it wins. Otherwise, where the declared
    charset left replacement characters, the page is read as UTF-8 byte by byte, and only the bytes
    that are not UTF-8 are read as Windows-1252 (the usual culprit): one stray byte in a UTF-8 page
    costs one character, never the whole page.
    """
    if not body.isascii():
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return text, (None if text == declared else "declared_charset_wrong")
    if "\ufffd" in declared and "\ufffd".encode() not in body:
        return body.decode("utf-8", errors="wirecrawl_cp1252"), "invalid_utf8"
    return declared, None


#: The space markup leaves before a comma ("<b>Paris</b> , …"), or before a colon or semicolon glued to
#: the next word; French typography's space before ``:`` and ``;`` ("Ukraine : la Russie") is kept.
_SPACE_BEFORE_PUNCTUATION = regex.compile(r"\s+(,|[;:](?!\s))")


def squash(text: str | None) -> str | None:
    """Collapse white space (and the space markup leaves before a comma); ``None`` if nothing left."""
    if text is None:
        return None
    out = _SPACE_BEFORE_PUNCTUATION.sub(r"\1", " ".join(text.split()))
    return out or None


def xpath_text(tree, xpath: str | None, sep: str = " ") -> str | None:
    """The text of the first node an XPath finds (or the string it returns)."""
    found = xpath_texts(tree, xpath, 1, sep)
    return found[0] if found else None


def xpath_texts(tree, xpath: str | None, most: int, sep: str = " ") -> list[str]:
    """The texts of the first ``most`` nodes an XPath finds that hold any."""
    if tree is None or not xpath:
        return []
    try:
        found = tree.xpath(xpath)
    except lxml.etree.XPathError:
        return []
    if isinstance(found, str):
        return [text] if (text := squash(found)) else []
    texts: list[str] = []
    for node in found:
        text = squash(node if isinstance(node, str) else sep.join(node.itertext()))
        if text:
            texts.append(text)
            if len(texts) >= most:
                break
    return texts


def meta_content(tree, *keys: str) -> str | None:
    """``content`` of the first ``<meta>`` whose name, property or one of whose ``itemprop`` words
    (``itemprop="datePublished dateCreated"``) is one of ``keys``."""
    index = _metas(tree)
    for key in keys:
        for content in index.get(key, ()):
            value = squash(content)
            if value:
                return value
    return None


@lru_cache(maxsize=1)
def _metas(tree) -> dict[str, list[str]]:
    """The page's ``<meta>`` contents by name, property and ``itemprop`` word, in page order: read in
    one pass, since a page's metadata is looked up dozens of times (the page being read is kept)."""
    index: dict[str, list[str]] = {}
    for node in tree.iter("meta"):
        content = node.get("content")
        if content is None:
            continue
        keys = {node.get("name"), node.get("property"), *(node.get("itemprop") or "").split()}
        for key in keys - {None, ""}:
            index.setdefault(key, []).append(content)
    return index


def parsely_date(tree) -> str | None:
    """``pub_date`` of the JSON in ``<meta name="parsely-page">`` (Parse.ly's older tag)."""
    raw = meta_content(tree, "parsely-page")
    if not raw:
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    return _str(data.get("pub_date")) if isinstance(data, dict) else None


#: Elements that show a story's time: ``<time datetime>``, ``itemprop=datePublished`` outside
#: ``<meta>``, and short blocks whose class or id speaks of a date.
_NOT_CAPTION = "[not(ancestor::figcaption or ancestor::figure)]"
_VISIBLE_DATES = (
    "//*[contains(concat(' ', normalize-space(@itemprop), ' '), ' datePublished ')][not(self::meta)]"
    "/@datetime | //*[contains(concat(' ', normalize-space(@itemprop), ' '), ' datePublished ')]"
    "[not(self::meta)]/@content",
    f"(//article//time{_NOT_CAPTION}/@datetime | //time{_NOT_CAPTION}/@datetime)[position() <= 3]",
    "//*[self::span or self::div or self::p or self::time or self::li or self::abbr or self::em]"
    "[contains(@class,'date') or contains(@class,'Date') or contains(@class,'time')"
    " or contains(@class,'Time') or contains(@class,'publish') or contains(@id,'date')"
    " or contains(@id,'Date') or contains(@class,'byline')][string-length(normalize-space()) < 120]"
    + _NOT_CAPTION,
)


#: Where a page of no known layout shows its byline: short elements marked as one (of which the
#: first that opens with a byline's word, "By …", "Von …", "Par …", is taken: :func:`generic_byline`).
_GENERIC_BYLINE = ("//*[contains(@class,'byline') or contains(@class,'Byline') or @rel='author' or "
                   "contains(@class,'author') or contains(@class,'Author')]"
                   "[string-length(normalize-space()) < 200]")
#: Elements of :data:`_GENERIC_BYLINE` looked at, at most.
_BYLINE_CANDIDATES = 12


#: Containers of other stories' teasers, whose bylines are not the page's.
_TEASERS = regex.compile(r"teaser|related|appetizer|most-?read|recommend|sidebar|more-?stories",
                         regex.IGNORECASE)


#: Short elements whose own text opens with a byline's label ("Von: …", "Autor: …"), where no element is
#: marked as a byline.
_LABELLED_BYLINE = (
    "//*[self::li or self::p or self::span or self::div or self::dd][" + " or ".join(
        f"starts-with(normalize-space(text()[1]), '{label}')"
        for label in ("Von:", "Autor:", "Autorin:", "Autoren:", "By:", "Par :", "Par:", "Por:", "Texto:",
                      "Text:", "Auteur :", "Auteur:", "Autore:", "Door:", "Av:", "Af:"))
    + "][string-length(normalize-space()) < 200]")


def generic_byline(tree) -> str | None:
    """The first element marked as a byline that reads like one: it opens with a byline's word in
    any language ("By …", "Von …", "Par …", "Autor: …", :mod:`pipelines.byline_words`) or names an
    agency alone ("dpa"); never one in a list of other stories' teasers. Else the first short element
    whose own text opens with a byline's label ("Von: …")."""
    for count, node in enumerate(tree.xpath(_GENERIC_BYLINE)):
        if count >= _BYLINE_CANDIDATES:
            break
        text = squash(" ".join(node.itertext()))
        if not text or not (opens_byline(text) or normalize_agency(text)):
            continue
        if any(a.tag in ("footer", "nav") or _TEASERS.search(a.get("class") or "")
               for a in node.iterancestors()):
            continue
        return text
    labelled = xpath_text(tree, f"({_LABELLED_BYLINE})[1]")
    return labelled if labelled and opens_byline(labelled) else None

#: A JSON string value holding a credit line: ``"(Reporting by A; Editing by B)"``.
_EMBEDDED_CREDIT = regex.compile(
    r'"(\(?(?:Additional )?[Rr]eporting by [^"\\]{3,400}(?:\\.[^"\\]{0,400}){0,5})"')

#: Text nodes of a page scanned for a date with a time, at most (the header comes first).
_SCANNED_TEXTS = 3000


def visible_dates(tree, limit: int = 6) -> Iterator[str]:
    """Texts of the page that show its date, most explicit first (lazily: a few XPath queries, then
    the first date with a time written anywhere in the page's text: ``Thu Jan 10, 2008 6:04pm EST``,
    ``Do 25.04.24 | 14:07 Uhr``, ``13. Mai 2026 um 15:44``), never an image's caption."""
    given = 0
    for xpath in _VISIBLE_DATES:
        for node in tree.xpath(xpath):
            text = squash(node if isinstance(node, str) else " ".join(node.itertext()))
            if text and regex.search(r"\d", text):
                yield text
                given += 1
                if given >= limit:
                    return
    body = tree.find(".//body")
    if body is None:
        return
    count = 0
    for element in body.iter():
        for text, owner in ((element.text, element), (element.tail, element.getparent())):
            if not text:
                continue
            count += 1
            if count >= _SCANNED_TEXTS:
                return
            if len(text) < 300 and (found := date_with_time(text)) and not _in_caption(owner):
                yield found
                return


def _in_caption(element) -> bool:
    """Whether an element is (inside) an image's figure or caption."""
    for node in (element, *element.iterancestors()):
        if node.tag in ("figcaption", "figure") or "caption" in (node.get("class") or "").lower():
            return True
    return False


def link_href(tree, rel: str) -> str | None:
    for href in tree.xpath("//link[@rel=$r]/@href", r=rel):
        if href.strip():
            return href.strip()
    return None


def page_is_described(tree) -> bool:
    """Whether the page's structured metadata describes an article (not the site as a whole)."""
    if ld_article(read_graph(tree).objects):
        return True
    return (meta_content(tree, "og:type") or "").lower() == "article"


def paragraph_chars(node) -> int:
    """Characters of running text in ``node``'s paragraphs (``<p>`` of 40 characters or more): a
    cheap measure of where a page's story is."""
    total = 0
    for p in node.iter("p"):
        size = len(" ".join(p.text_content().split()))
        if size >= 40:
            total += size
    return total


def prune(tree, xpaths: Iterable[str], protect=None, *, page_chars: int | None = None) -> int:
    """Remove the nodes that ``xpaths`` find (keeping the text that follows them); how many.

    A node that holds ``protect`` (the story container) is never removed, nor one that holds most of
    the page's paragraph text (``page_chars``): a loose selector (``share``, ``related``, a
    ``<form>`` around the whole page) that happens to match a wrapper of the story must not delete it.
    """
    keep = {protect, *protect.iterancestors()} if protect is not None else set()
    removed = 0
    for xpath in xpaths:
        for node in tree.xpath(xpath):
            if node.getparent() is None or node in keep:
                continue
            if page_chars and paragraph_chars(node) * 2 > page_chars:
                keep.add(node)
                continue
            node.drop_tree()
            removed += 1
    return removed


def trafilatura_paragraphs(tree, settings: ExtractionSettings) -> list[str]:
    """Body paragraphs of a (pruned) tree through trafilatura, one per line of its text output."""
    text = trafilatura.extract(
        tree,
        output_format="txt",
        favor_precision=settings.favor_precision,
        favor_recall=settings.favor_recall,
        include_tables=settings.include_tables,
        include_comments=settings.include_comments,
        include_images=settings.include_images,
        deduplicate=settings.deduplicate,
        with_metadata=False,
    )
    return [p for p in (squash(line) for line in (text or "").splitlines()) if p]


# -- the parser base class -------------------------------------------------------------------------

#: the fields a layout names a selector for (``<field>_xpath`` class attributes)
SELECTOR_FIELDS = ("marker", "headline", "byline", "date", "section", "body")


class LayoutError(ValueError):
    """A layout declared with a selector or pattern that cannot be compiled."""



class ArticleParser:
    """Generic article parser; a site's layouts subclass it and override selectors or field methods.

    ``marker_xpath`` says whether a page is of this layout; ``valid_until`` is the last day the site
    served it (``None``: still served) and ``template`` the family of pages it belongs to (a site may
    serve two at once: AP's own pages and its partners'): among the layouts whose marker a page carries,
    the one valid on the day the page was served is chosen (:func:`pipelines.sites.base.choose_layout`).
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
        return [name for name, xpath in self.selectors().items()
                if name != "marker" and not self.tree.xpath(xpath)]

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
            try:
                meta = trafilatura.extract_metadata(self.tree)
            except Exception:  # noqa: BLE001 - a metadata guess must never sink the page
                meta = None
            self._fallback = meta.as_dict() if meta is not None else {}
        return self._fallback

    def canonical_url(self) -> str | None:
        return (link_href(self.tree, "canonical") or meta_content(self.tree, "og:url")
                or _str(self.ld.get("url")))

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
            ("json-ld", _str(self.ld.get("headline"))),
            ("og:title", meta_content(self.tree, "og:title")),
            ("twitter:title", meta_content(self.tree, "twitter:title")),
        ]
        if visible_always or not any(text for _, text in found) or any(
                text and headlines.may_have_kicker(text) for _, text in found):
            visible = "h1" if self.headline_xpath == ArticleParser.headline_xpath else "layout"
            found += [(visible, text) for text in xpath_texts(self.tree, self.headline_xpath, 2)]
        if not any(text for _, text in found):
            found.append(("title", xpath_text(self.tree, "//head/title | //title")))
        if not any(text for _, text in found):
            found.append(("trafilatura", squash(self.fallback().get("title"))))
        return found

    def description(self) -> str | None:
        return (squash(_str(self.ld.get("description")))
                or meta_content(self.tree, "og:description", "description"))

    def structured_authors(self) -> list[str]:
        """The JSON-LD authors, else ``<meta name=author>``, else the Dublin Core / citation creators
        (one meta a person, surname first: ``You, Xiaoying``)."""
        names = ld_names(self.ld.get("author"), self.graph)
        if not names:
            author = text_value(meta_content(self.tree, "author", "article:author"))
            names = [author] if author and not author.startswith("http") else []
        if not names:
            creators = self.tree.xpath("//meta[@name='dc.creator' or @name='DC.creator' or "
                                       "@name='citation_author']/@content")
            names = [inverted_name(c) for c in dict.fromkeys(filter(None, map(text_value, creators)))]
        return names

    def byline(self) -> str | None:
        if self.byline_xpath:
            return xpath_text(self.tree, self.byline_xpath)
        return generic_byline(self.tree)

    def guessed_byline(self) -> str | None:
        """trafilatura's author: believed only where no other source names anyone (it takes the
        publisher's ``<meta name=author>`` for a person as readily as a byline)."""
        return squash(self.fallback().get("author"))

    def published_at(self) -> Published:
        """The publication time and where it came from, in falling order of trust: structured data,
        the page's date metas, its visible header, the site's own rule (``site_published``: UPI's id),
        then a day only: one of those without a time, the day spelled in the URL, htmldate's fast
        and then extensive search. ``Published()`` when the page gives no date at all."""
        first_day: tuple[str, dt.date] | None = None  # the first source that gave only a day
        for source, values in self.date_candidates():
            for value in values:
                if not value:
                    continue
                found = to_utc(value, self.zone_of(value), require_time=True)
                if found:
                    return Published(found, source, "time")
                if _looks_dated(value):
                    self.notes.append(f"rejected_date:{source}")  # a time, but an impossible one
                elif first_day is None and (day := to_day(value)) is not None:
                    first_day = (source, day)
        if self.site_published is not None:
            return Published(self.site_published, "id", "time")
        if first_day is not None:
            return Published(day_start(first_day[1]), first_day[0], "day")
        day = url_day(self.url)
        if day is not None:
            return Published(day_start(day), "url", "day")
        return self.htmldate_published()

    def date_candidates(self) -> Iterator[tuple[str, list[str | None]]]:
        """(source, values) in order of trust, computed lazily: most pages stop at the first."""
        yield "structured", [_str(self.ld.get("datePublished")), _str(self.ld.get("dateCreated"))]
        yield "meta", [meta_content(self.tree, *PUBLISHED_METAS), parsely_date(self.tree)]
        yield "visible", [self.visible_published(), *visible_dates(self.tree)]

    def htmldate_published(self) -> Published:
        """htmldate on the whole page but its images' captions (a photo's date is not the story's),
        fast search first (it also reads the URL), then extensive."""
        tree = self.tree
        if tree.find(".//figcaption") is not None:
            tree = copy.deepcopy(tree)
            for caption in tree.iter("figcaption"):
                caption.clear(keep_tail=True)
        for extensive in (False, True):
            try:
                found = htmldate.find_date(tree, extensive_search=extensive, original_date=True,
                                           url=self.url, outputformat="%Y-%m-%d")
            except Exception:  # noqa: BLE001 - a date guess must never sink the page
                found = None
            day = to_day(found)
            if day is not None:
                self.notes.append("fallback:htmldate_extensive" if extensive else "fallback:htmldate")
                return Published(day_start(day), "htmldate", "day")
        return Published()

    def visible_published(self) -> str | None:
        return xpath_text(self.tree, self.date_xpath)

    def zone_of(self, value: str) -> dt.tzinfo | str:
        """The zone ``value`` is read in if it names none: the site's, else the page's (worked out only
        for a value that needs it)."""
        if self.timezone is None and explicit_offset(value) is not None:
            return "UTC"  # the value states its own offset
        return self.timezone_used()

    def page_zone(self) -> dt.tzinfo | str:
        """The zone of a page whose site declares none: an offset its own machine-readable times state,
        else its country's zone, else UTC (:func:`pipelines.zones.page_zone`)."""
        machine = [_str(self.ld.get(k)) for k in ("datePublished", "dateModified", "dateCreated")]
        machine += [meta_content(self.tree, *keys) for keys in _MACHINE_TIME_METAS]
        locale = meta_content(self.tree, "og:locale") or xpath_text(self.tree, "/html/@lang")
        return page_zone(self.url, machine, locale)

    def timezone_used(self) -> dt.tzinfo | str:
        """The zone this page's zone-less times are read in: the site's, or the page's own."""
        if self._zone is None:
            self._zone = self.page_zone()
        return self._zone

    def modified_at(self) -> dt.datetime | None:
        value = (_str(self.ld.get("dateModified"))
                 or meta_content(self.tree, "article:modified_time", "article:modified:time", "dateModified"))
        return to_utc(value, self.zone_of(value), require_time=True) if value else None

    def section(self) -> str | None:
        return (xpath_text(self.tree, self.section_xpath)
                or meta_content(self.tree, "article:section")
                or squash(_str(self.ld.get("articleSection"))))

    def tags(self) -> list[str]:
        raw = meta_content(self.tree, "news_keywords", "keywords") or ""
        seen: dict[str, None] = {}  # ordered, and linear: a page may list 100,000 "tags"
        for tag in (squash(t) for t in raw.split(",")):
            if tag:
                seen[tag] = None
                if len(seen) > LIST_CAPS["tags"][0]:
                    break
        return list(seen)

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
        return meta_content(self.tree, "og:image") or _str(image)

    def credit_lines(self) -> list[str]:
        """Credit lines ("Reporting by …; Editing by …") in the page's scripts (embedded JSON state),
        for pages that keep them nowhere else; used only when the body has none."""
        found: list[str] = []
        for script in self.tree.xpath("//script[not(@src)][contains(., 'eporting by')]"):
            for match in _EMBEDDED_CREDIT.finditer((script.text or "")[:2_000_000]):
                line = match.group(1).encode().decode("unicode_escape", "ignore") \
                    if "\\u" in match.group(1) else match.group(1)
                if line not in found:
                    found.append(line)
        return found[:3]

    def paragraphs(self) -> list[str]:
        """The site's rules first (story container, pruning, trafilatura); if they find no story or far
        less running text than the page holds, the best of the fallbacks (:meth:`fallback_paragraphs`)."""
        tree = self.tree
        page_chars = paragraph_chars(tree)
        containers = tree.xpath(self.body_xpath) if self.body_xpath else []
        container = containers[0] if containers else None
        prune(tree, self.prune_xpaths, protect=container, page_chars=page_chars)
        if container is not None:
            tree = _standalone(container)
        elif join_split_story(tree):
            self.notes.append("fallback:split_story_joined")
        found = self.clean(trafilatura_paragraphs(tree, self.settings))
        if self.html is not None and self.body_is_short(found, page_chars):
            better = self.fallback_paragraphs(found)
            found = better if better is not None else found
        if _words(found) < self.settings.min_body_words:
            # no story in the markup: the page may render it in the browser from embedded data
            embedded = self.clean(embedded_paragraphs(self.tree))
            if _words(embedded) >= self.settings.min_body_words:
                self.notes.append("fallback:body_embedded_data")
                found = embedded
        return self.checked_by_declared(found)

    def checked_by_declared(self, paragraphs: list[str]) -> list[str]:
        """The paragraphs held against the story text the page declares (JSON-LD ``articleBody``,
        :mod:`pipelines.declared_body`), where no site rule names the story's container."""
        if self.body_xpath is not None or "articleBody" not in self.ld:
            return paragraphs
        summaries = [_str(self.ld.get(k)) for k in ("description", "alternativeHeadline", "abstract")]
        summaries.append(meta_content(self.tree, "og:description", "description"))
        checked, note = reconcile(paragraphs, declared_text(self.ld["articleBody"]), also=summaries)
        if note:
            self.notes.append(f"fallback:{note}")
            checked = self.clean(checked)
        return checked

    def body_is_short(self, found: list[str], page_chars: int) -> bool:
        """No story, or under ``settings.short_body_share`` of the page's paragraph text."""
        if _words(found) < self.settings.min_body_words:
            return True
        return _chars(found) < page_chars * self.settings.short_body_share

    def fallback_paragraphs(self, found: list[str]) -> list[str] | None:
        """Plain trafilatura on a fresh copy of the page, taken when it finds ``settings.fallback_gain``
        times the text the site's rules found; when they found no story at all, then also trafilatura
        with recall favoured. ``None`` when no fallback does better."""
        no_story = _words(found) < self.settings.min_body_words
        tries = (("trafilatura", True, False), ("trafilatura_recall", False, True))
        for name, precision, recall in tries if no_story else tries[:1]:
            fresh = load_html(self.html, self.settings.max_html_bytes)
            if fresh is None:
                return None
            settings = replace(self.settings, favor_precision=precision, favor_recall=recall)
            candidate = self.clean(trafilatura_paragraphs(fresh, settings))
            enough = _words(candidate) >= self.settings.min_body_words
            if enough and _chars(candidate) >= max(1, _chars(found)) * self.settings.fallback_gain:
                self.notes.append(f"fallback:body_{name}")
                return candidate
        return None

    def clean(self, paragraphs: list[str]) -> list[str]:
        """Drop the site's boilerplate paragraphs, the furniture many sites share
        (:mod:`pipelines.furniture`) and repeats (trafilatura keeps a caption twice at times)."""
        kept: list[str] = []
        for paragraph in drop_furniture(paragraphs):
            if any(p.fullmatch(paragraph) for p in self._drop):
                continue
            if len(paragraph) < self.settings.min_paragraph_chars:
                continue
            if kept and kept[-1] == paragraph:
                continue
            kept.append(paragraph)
        return kept


def _chars(paragraphs: list[str]) -> int:
    return sum(len(p) for p in paragraphs)


def _words(paragraphs: list[str]) -> int:
    return sum(count_words(p) for p in paragraphs)


def _standalone(node):
    """A minimal document holding only ``node``, for trafilatura to work on."""
    html = lxml.html.Element("html")
    body = lxml.etree.SubElement(html, "body")
    body.append(node)
    return html


def _looks_dated(value: str) -> bool:
    """A value with a four-digit year and a time: worth counting when it was refused."""
    return bool(regex.search(r"\d{4}", value) and regex.search(r"\d:\d\d", value))


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None
