"""The publication a page belongs to: its name for the ``publisher`` column, and every name the page
gives itself (``og:site_name``, the JSON-LD ``publisher``, its host), to keep them out of headlines
(``… | Börsen-Zeitung``) and author lists (``Frankfurter Allgemeine Zeitung GmbH``, ``ndr.de``).

Names are compared folded: letters and digits only, accents dropped, German umlauts either way
(``Börsen-Zeitung`` = ``boersen-zeitung.de``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from urllib.parse import urlsplit

import regex

from pipelines.agencies import normalize_agency
from pipelines.jsonld import ld_publisher, text_value
from pipelines.trees import meta_content

#: A company's legal form at the end of a name: the publisher's company, never a person.
COMPANY = regex.compile(
    r"\b(?:GmbH(?:\s*&\s*Co\.?\s*KG)?|AG|KG|KGaA|SE|Ltd|LTD|Limited|Inc|INC|LLC|LLP|plc|PLC|S\.A\.?|SA"
    r"|S\.p\.A\.?|SpA|S\.L\.?|SL|B\.V\.?|BV|N\.V\.?|NV|Oy|AB|ASA|A/S|Verlag|Verlagsgruppe|Mediengruppe"
    r"|Media\s+Group|Holding|Corporation|Corp)\.?$")
#: A web address standing for a name: ``ndr.de``, ``www.dw.com``, ``mediaindonesia.com developer``.
DOMAIN = regex.compile(r"(?<![\w@.-])(?:[\w-]+\.)+(?:com|net|org|info|news|[a-z]{2})(?![\w.-])",
                       regex.IGNORECASE)
_WORDS = regex.compile(r"[\p{L}\p{N}]+")
_NOT_ALNUM = regex.compile(r"[^\p{L}\p{N}]+")
_UMLAUT = regex.compile(r"([aou])e")
_ARTICLE = regex.compile(r"^(?:the|die|der|das|la|le|les|el|il|lo|de|het)\s+", regex.IGNORECASE)
_ACRONYM = regex.compile(r"\(([\p{L}\d&.\- ]{2,12})\)")
#: Host labels that name no publication.
_HOST_NOISE = frozenset({"www", "m", "amp", "mobile", "edition", "com", "net", "org", "info", "co", "gov",
                         "ac", "or", "ne", "go", "gv", "edu"})


def fold(text: str | None) -> str:
    """Letters and digits only, lower case, accents dropped, ``oe``/``ae``/``ue`` read as umlauts."""
    return _fold(text) if text else ""


@lru_cache(maxsize=4096)
def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.casefold())
    if not plain.isascii():
        plain = "".join(c for c in plain if not unicodedata.combining(c))
    return _UMLAUT.sub(r"\1", _NOT_ALNUM.sub("", plain))


@dataclass(frozen=True)
class SiteNames:
    """The names a page gives its publication, folded, and the one stored as ``publisher``."""

    publisher: str | None = None
    folded: frozenset[str] = frozenset()
    #: the agency whose own site this is (faktencheck.afp.com, efe.com): its stories are its own
    agency: str | None = None

    def named(self, text: str | None) -> bool:
        """Whether ``text`` is one of the site's names (as a whole)."""
        key = fold(text)
        return bool(key) and (key in self.folded or fold(_ARTICLE.sub("", text or "")) in self.folded)

    def in_segment(self, segment: str) -> bool:
        """Whether a segment cut off a title names the site: one of its names, or a short text
        holding one as words (``Die Neue Südtiroler Tageszeitung`` on tageszeitung.it, ``Mirror
        Online``), or a name holding the segment (``SRF`` of ``Schweizer Radio und Fernsehen (SRF)``)."""
        key = fold(segment)
        if not key:
            return False
        if self.named(segment) or len(segment.split()) <= 6 and self._holds_a_name(segment):
            return True
        return len(key) >= 5 and any(key in name for name in self.folded)

    def _holds_a_name(self, text: str) -> bool:
        """Whether some run of ``text``'s words is one of the site's names of five letters or more
        (``Guardian`` in ``Guardian staff reporter``; never ``Times`` in ``Timesha``)."""
        words = [w for w in (fold(w) for w in _WORDS.findall(text)) if w]
        for start in range(len(words)):
            joined = ""
            for word in words[start:start + 5]:
                joined += word
                if len(joined) >= 5 and joined in self.folded:
                    return True
        return False

    def with_name(self, text: str) -> SiteNames:
        """The same, knowing one more name of the publication (an author field that named it:
        ``Deutsche Welle (www.dw.com)`` makes ``Deutsche Welle`` one)."""
        plain = _ACRONYM.sub("", DOMAIN.sub("", text)).strip(" ,;:-()")
        extra = {fold(plain), fold(_ARTICLE.sub("", plain))} - {""}
        return replace(self, folded=self.folded | extra) if extra - self.folded else self

    def is_publication(self, name: str) -> bool:
        """Whether an author-like ``name`` is the publication or its company, not a person: one of the
        site's names, a name holding one as words (``Frankfurter Allgemeine Zeitung GmbH``), a web
        address (``ndr.de``, ``Deutsche Welle (www.dw.com)``) or a company's legal form."""
        return self.names_publication(name) or self._holds_a_name(name)

    def names_publication(self, text: str) -> bool:
        """Whether a whole byline names the publication alone: one of its names, a company, a web
        address, or a name with its address in brackets (``Deutsche Welle (www.dw.com)``); a byline
        that merely mentions it (``By Troy L. Smith, Cleveland.com``) does not."""
        text = text.strip()
        if self.named(text) or COMPANY.search(text):
            return True
        address = DOMAIN.search(text)
        return bool(address) and (address.group() == text.strip(" ()") or f"({address.group()}" in text)


def site_names(tree, article: dict, url: str, graph=None) -> SiteNames:
    """The page's names for its publication: ``og:site_name``, ``application-name``, the JSON-LD
    ``publisher`` and the host's own labels (``boersen-zeitung`` of ``www.boersen-zeitung.de``)."""
    declared = [text_value(meta_content(tree, "og:site_name", "og:site:name")),
                ld_publisher(article, graph),
                text_value(meta_content(tree, "application-name", "apple-mobile-web-app-title"))]
    names: set[str] = set()
    for name in filter(None, declared):
        names.add(fold(name))
        names.add(fold(_ARTICLE.sub("", name)))
        for acronym in _ACRONYM.findall(name):
            names.add(fold(acronym))
        names.add(fold(_ACRONYM.sub("", name)))
    host = (urlsplit(url).hostname or "").lower()
    labels = [label for label in host.split(".") if label]
    if labels:
        names.add(fold(".".join(labels[1:] if labels[0] in _HOST_NOISE else labels)))
        # the host's own labels, without the top-level domain and the usual prefixes
        for label in labels[:-1]:
            if label not in _HOST_NOISE:
                names.add(fold(label))
    names.discard("")
    publisher = next((n for n in declared if n), None)
    # an agency's own site, by a declared name or a host label of three letters or more ("afp")
    agency = next(filter(None, (normalize_agency(n) for n in [*declared, *labels[:-1]]
                                if n and len(n) >= 3)), None)
    return SiteNames(publisher=publisher, folded=frozenset(names), agency=agency)
