"""Page furniture that many news sites share, recognised paragraph by paragraph after extraction.

Each rule here was seen on several sites of the development sets (``aeb-dev``, ``fundus-dev``) or on
several wires' pages, never on one page alone; a rule matches the *whole* paragraph and is bounded in
length, so a story sentence that merely mentions a newsletter or a photo is kept. The words of each
kind of furniture in each language are data (:mod:`pipelines.furniture_phrases`); their shapes are
here. Site-specific lines stay with the site's layout (``drop_paragraph_patterns``).
"""

from __future__ import annotations

import regex

from pipelines.furniture_phrases import PHRASES

_RULES = (
    # cross-links: "Read more: …", "SEE MORE: …", "See also …", "Related: …", "RELATED COVERAGE"
    r"(?:Read|READ|See|SEE|Watch|WATCH) (?:more|MORE|also|ALSO|next|NEXT)\s*[:|]\s*\S.{0,200}",
    r"(?:Related|RELATED)(?: (?:stories|story|articles?|coverage|content|links|reading|news))?"
    r"(?:\s*[:|].{0,200})?",
    r"(?:DON[’']?T MISS|Don[’']t miss)\b.{0,200}",
    r"Also on [\w.-]+\.(?:com|org|net|co\.uk)\b.{0,200}",
    r"(?:Like|Enjoyed?|Liked) this (?:story|article)\?.{0,120}",
    # social and newsletter calls
    r"Follow (?:us|[\w.@ ]{1,60}) on (?:Facebook|Twitter|X|Instagram|YouTube|LinkedIn)\b.{0,160}",
    r"(?:[^.!?]{0,80}[.!?:] )?(?:[Ss]ign up|[Ss]ubscribe)\b.{0,80}\b(?:newsletters?|inbox|today)\b.{0,160}",
    r"Get (?:the latest|our) .{0,80}\b(?:inbox|newsletters?)\b.{0,120}",
    r"What to know about .{0,120}",  # AP's newsletter/explainer list heading
    r"Have a (?:news )?tip\?.{0,250}",
    r"Tell us what (?:you|YOU) think.{0,20}",
    r"(?:\d+ )?[Cc]omments?",
    # wire trailers and print-era page controls
    r"Our Standards: The Thomson Reuters Trust Principles\.?.{0,40}",
    r"(?:Copyright|©|\(c\)).{0,120}(?:[Aa]ll [Rr]ights [Rr]eserved|Associated Press|Reuters|"
    r"United Press International).{0,80}",
    r".{0,80}\bmay not be (?:published|reproduced|redistributed)\b.{0,200}",
    r"(?:Print (?:story|this (?:story|article|page))|E-?mail (?:to a friend|this (?:story|article))|"
    r"Font size:?.{0,30}|Share this (?:story|article).{0,30})",
    r".{0,200}\((?:UPI|AP|Reuters|AFP) Photo ?/[^)]{1,80}\)\.?(?: \| License Photo)?",
    r"Updated (?:at )?\d{1,2}:\d\d ?[ap]\.?m\.?.{0,40}",
    r"\[(\w+)[^\]]{0,200}\].{0,200}\[/\1\]",  # a WordPress shortcode left unrendered
    r"Advertisement|ADVERTISEMENT|Sponsored|Story continues below(?: advertisement)?",
    # a video teaser's date and length ("… 18.04.2024 | 0:21 min")
    r".{0,300}\|\s*\d{1,2}:\d\d\s*min",
)
#: How each kind of furniture of :data:`pipelines.furniture_phrases.PHRASES` fills a paragraph.
_SHAPES = {
    # a heading alone, or with the title it links to (after a separator, or a title without a full stop)
    "see_also": r"(?:[-•*·>»→]+\s*)?(?:{p})"
                r"(?:\s*[:|»>→…]+\s*\S.{{0,200}}|\s+\S.{{0,200}}(?<![.!?])|\s*[:.!…]?)",
    "newsletter": r"(?:{p})\b.{{0,160}}",
    "appeal": r"(?:{p}).{{0,300}}",
    "credit": r"\(?(?:{p})\s*[:=：]\s*[^.!?。]{{1,80}}\)?",
    "video": r"(?:{p})(?:\s*[:|–—-]\s*.{{1,200}}|\s*[:.]?)",
    "notice": r"(?:{p})",
}
#: Kinds whose plain words may stand anywhere in a paragraph of at most this many characters
#: (found by substring: a pattern that may start anywhere would cost more than all others together).
_ANYWHERE = {"embed": 250, "rights": 250}


_METACHARACTERS = set("\\[](){}?*+|.^$")
#: What the phrase shapes allow before the phrase: a list bullet, an opening parenthesis.
_LEADING = "-•*·>»→( \t"


def _literal_start(phrase: str) -> str:
    """The letters every match of ``phrase`` starts with (up to its first regex syntax; a character
    a quantifier follows is left out); ``""`` when it starts with syntax."""
    for index, char in enumerate(phrase):
        if char in _METACHARACTERS:
            return phrase[:index - 1 if char in "?*{" else index].rstrip()
    return phrase


#: A phrase that starts with a class of single characters (``[视視]频``) or a digit (``\d+ min``).
_CLASS_START = regex.compile(r"\[([^\]\\^-]+)\]|\\d")


def _starts(phrase: str) -> frozenset[str]:
    """The beginnings every match of ``phrase`` has: its literal start, else the characters of the
    class it starts with; ``{""}`` (anything) when neither can be told."""
    literal = _literal_start(phrase)
    if literal:
        return frozenset({literal.casefold()})
    found = _CLASS_START.match(phrase)
    if found is None:
        return frozenset({""})
    return frozenset(found.group(1) or "0123456789")


def _phrase_rules() -> tuple[tuple[tuple[str, ...], regex.Pattern[str]], ...]:
    """Per kind, its shape around the phrases of every language, with the beginnings a paragraph must
    have for it to be tried (``str.startswith`` at C speed: most paragraphs are rejected there); the
    phrases whose beginning cannot be told form rules tried on every paragraph."""
    rules = []
    for kind, shape in _SHAPES.items():
        phrases = [p for language in PHRASES.values() for p in language.get(kind, ())]
        starts = {p: _starts(p) for p in phrases}
        for group in ([p for p in phrases if "" not in starts[p]], [p for p in phrases if "" in starts[p]]):
            if group:
                prefixes = tuple(sorted(set().union(*(starts[p] for p in group))))
                rules.append((prefixes, regex.compile(shape.format(p="|".join(group)), regex.IGNORECASE)))
    return tuple(rules)


FURNITURE = tuple(regex.compile(rule) for rule in _RULES)
PHRASE_RULES = _phrase_rules()
_WORDS_ANYWHERE = tuple((bound, tuple(w for language in PHRASES.values() for w in language.get(kind, ())))
                        for kind, bound in _ANYWHERE.items())
#: A cross-link heading ("Related:", "Read more") is often followed by its list of links ("- title").
_LIST_ITEM = regex.compile(r"[-•*·]\s.{1,200}")


#: A line that is only a date and time, as page headers print them ("Friday, 22 October 2010, 20:13").
_DATE_LINE = regex.compile(
    r"(?:(?:Published|Updated|Posted|Last updated)\s*:?\s*)?[\w,.-]*(?:[\s,.-]+[\w.]+){0,7}\s*"
    r"(?:19|20)\d\d\b[\s,.-]*(?:(?:at|às|um|à|a las)\s*)?"
    r"(?:\d{1,2}[:h.]\d\d\s*(?:[ap]\.?m\.?)?\s*[A-Z]{0,4})?")
#: Leading lines looked at for a repeated headline or a bare date.
LEADING_LINES = 3


def drop_leading_header(paragraphs: list[str], headline: str | None) -> list[str]:
    """Without the page header that extraction sometimes keeps at the top of the body: the headline
    repeated, or a line that is only the publication date."""
    title = " ".join((headline or "").split()).casefold()
    out = list(paragraphs)
    for index in range(min(LEADING_LINES, len(out))):
        line = out[index]
        if (title and " ".join(line.split()).casefold() == title) or \
                (len(line) <= 60 and regex.search(r"\d", line) and _DATE_LINE.fullmatch(line)):
            out[index] = ""
    return [p for p in out if p]


def is_furniture(paragraph: str) -> bool:
    """Whether a paragraph is, as a whole, one of the shared furniture lines."""
    if len(paragraph) > 400:
        return False
    if any(rule.fullmatch(paragraph) for rule in FURNITURE):
        return True
    folded = paragraph.casefold()
    start = folded.lstrip(_LEADING).replace("\u0307", "")  # Turkish İ folds to i and a dot above
    if any(start.startswith(prefixes) and rule.fullmatch(paragraph) for prefixes, rule in PHRASE_RULES):
        return True
    return any(len(paragraph) <= bound and any(w in folded for w in words)
               for bound, words in _WORDS_ANYWHERE)


def drop_furniture(paragraphs: list[str]) -> list[str]:
    """The paragraphs without shared furniture. A run of short list items right after a dropped
    cross-link heading goes with it."""
    kept: list[str] = []
    after_heading = False
    for paragraph in paragraphs:
        if is_furniture(paragraph):
            after_heading = True
        elif not (after_heading and _LIST_ITEM.fullmatch(paragraph)):
            after_heading = False
            kept.append(paragraph)
    return kept
