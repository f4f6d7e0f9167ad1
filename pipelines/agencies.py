"""The news agencies, named one way everywhere: one table, the one place to add an agency.

Bylines, dateline tags and sites spell an agency many ways ("The Associated Press", "(AP)",
"Deutsche Presse-Agentur", "dpa", "Keystone-SDA"); the dataset's ``agency`` column holds one short name
so that users can filter on it whatever the source of the value.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex


@dataclass(frozen=True)
class Agency:
    """``short``: the name stored. ``spellings``: whole texts that name it (any case). ``words``: the
    forms that name it inside a longer text ("AP Sports Writer", "Schröder und Soldwisch, dpa"),
    matched as written, so that ``ap`` or ``Ansa`` in running text or a name is no agency."""

    short: str
    spellings: tuple[str, ...] = ()
    words: tuple[str, ...] = ()


AGENCY_TABLE: tuple[Agency, ...] = (
    Agency("UPI", ("upi", "united press international", "united press", "upi staff", "upi.com"),
           ("UPI", "United Press International", "United Press International's")),
    Agency("AP", ("ap", "associated press", "the associated press", "ap staff"),
           ("AP", "Associated Press", "The Associated Press", "ASSOCIATED PRESS")),
    Agency("Reuters", ("reuters", "thomson reuters", "reuters staff"), ("Reuters", "REUTERS")),
    Agency("AFP", ("afp", "agence france-presse", "agence france presse", "agence france-press"),
           ("AFP", "Agence France-Presse", "Agence France Presse")),
    Agency("Yonhap", ("yonhap", "yonhap news agency", "yonhap news", "연합뉴스"), ("Yonhap", "YONHAP")),
    Agency("Xinhua", ("xinhua", "xinhua news agency", "xinhuanet", "新华社"), ("Xinhua", "XINHUA")),
    Agency("dpa", ("dpa", "deutsche presse-agentur", "deutsche presse agentur", "dpa-infocom"),
           ("dpa", "DPA", "Deutsche Presse-Agentur")),
    Agency("dpa-AFX", ("dpa-afx", "dpa-afx wirtschaftsnachrichten"), ("dpa-AFX",)),
    Agency("SID", ("sid", "sport-informations-dienst", "sport-informationsdienst"), ("SID",)),
    Agency("SDA", ("sda", "keystone-sda", "keystone sda", "schweizerische depeschenagentur", "sda-ats",
                   "ats", "keystone-ats"), ("SDA", "Keystone-SDA", "sda")),
    Agency("APA", ("apa", "austria presse agentur", "austria presse agentur (apa)"), ("APA",)),
    Agency("KNA", ("kna", "katholische nachrichten-agentur"), ("KNA",)),
    Agency("epd", ("epd", "evangelischer pressedienst"), ("epd",)),
    Agency("dts", ("dts", "dts nachrichtenagentur"), ("dts Nachrichtenagentur",)),
    Agency("EFE", ("efe", "agencia efe"), ("EFE", "Agencia EFE")),
    Agency("Europa Press", ("europa press",), ("Europa Press",)),
    Agency("ANSA", ("ansa", "agenzia ansa"), ("ANSA",)),
    Agency("Adnkronos", ("adnkronos",), ("Adnkronos",)),
    Agency("Lusa", ("lusa", "agência lusa", "agencia lusa"), ("Lusa",)),
    Agency("Belga", ("belga",), ("Belga",)),
    Agency("ANP", ("anp",), ("ANP",)),
    Agency("NTB", ("ntb", "norsk telegrambyrå"), ("NTB",)),
    Agency("TT", ("tt", "tt nyhetsbyrån"), ("TT Nyhetsbyrån",)),
    Agency("Ritzau", ("ritzau", "ritzaus bureau"), ("Ritzaus Bureau",)),
    Agency("STT", ("stt", "stt-fnb"), ("STT",)),
    Agency("PAP", ("pap", "polska agencja prasowa"), ("PAP",)),
    Agency("ČTK", ("čtk", "ctk", "česká tisková kancelář"), ("ČTK",)),
    Agency("MTI", ("mti",), ("MTI",)),
    Agency("ANA-MPA", ("ana-mpa",), ("ANA-MPA",)),
    Agency("Anadolu", ("anadolu", "anadolu agency", "anadolu ajansı", "aa"), ("Anadolu",)),
    Agency("TASS", ("tass", "itar-tass"), ("TASS",)),
    Agency("Interfax", ("interfax",), ("Interfax",)),
    Agency("RIA Novosti", ("ria novosti",), ("RIA Novosti",)),
    Agency("Ukrinform", ("ukrinform",), ("Ukrinform",)),
    Agency("IRNA", ("irna",), ("IRNA",)),
    Agency("WAM", ("wam", "emirates news agency"), ("WAM",)),
    Agency("KUNA", ("kuna",), ("KUNA",)),
    Agency("MENA", ("mena", "middle east news agency"), ("MENA",)),
    Agency("Kyodo", ("kyodo", "kyodo news", "共同通信", "共同"), ("Kyodo", "KYODO")),
    Agency("Jiji", ("jiji", "jiji press", "時事通信"), ("Jiji Press",)),
    Agency("CNA", ("cna", "central news agency", "中央社"), ("CNA",)),
    Agency("PTI", ("pti", "press trust of india"), ("PTI",)),
    Agency("IANS", ("ians",), ("IANS",)),
    Agency("ANI", ("ani", "asian news international"), ("ANI",)),
    Agency("Bernama", ("bernama",), ("Bernama",)),
    Agency("Antara", ("antara", "kantor berita antara"), ("ANTARA",)),
    Agency("VNA", ("vna", "vietnam news agency"), ("VNA",)),
    Agency("AAP", ("aap", "australian associated press"), ("AAP",)),
    Agency("Canadian Press", ("the canadian press", "canadian press", "cp"), ("Canadian Press",)),
    Agency("PA", ("pa", "pa media", "press association"), ("PA Media", "Press Association")),
    Agency("Prensa Latina", ("prensa latina",), ("Prensa Latina",)),
    Agency("Télam", ("télam", "telam"), ("Télam",)),
    Agency("Notimex", ("notimex",), ("Notimex",)),
)

_BY_SPELLING = {s: a.short for a in AGENCY_TABLE for s in a.spellings}
_BY_WORD = {w.casefold(): a.short for a in AGENCY_TABLE for w in a.words}


def _form(word: str) -> str:
    """A form as a pattern: short ones (``AP``, ``dpa``, ``ANSA``) as written, names of six letters
    or more (``Reuters``, ``Associated Press``) in any case."""
    escaped = regex.escape(word).replace(r"\ ", r"\s+")
    return f"(?i:{escaped})" if len(word) >= 6 and not word.isupper() else escaped


#: The agencies' names as words inside a longer phrase ("AP Sports Writer", "Reuters correspondent",
#: "Felix Schröder und Jörg Soldwisch, dpa").
AGENCY_WORD = regex.compile(
    r"(?<![\p{L}\p{N}])(?P<agency>"
    + "|".join(_form(w) for a in AGENCY_TABLE for w in sorted(a.words, key=len, reverse=True))
    + r")(?![\p{L}\p{N}])")

AGENCIES: tuple[str, ...] = tuple(a.short for a in AGENCY_TABLE)


def normalize_agency(text: str | None) -> str | None:
    """The short name of the agency that ``text`` names exactly, or ``None``."""
    if not text:
        return None
    key = regex.sub(r"\s+", " ", text.strip(" \t\r\n()[].,;:/")).lower()
    return _BY_SPELLING.get(key)


def agency_in(text: str) -> str | None:
    """The agency named as a word inside ``text`` ("AP National Security Writer" -> "AP")."""
    match = AGENCY_WORD.search(text)
    return agency_of_word(match.group("agency")) if match else None


def agency_of_word(word: str) -> str | None:
    """The agency a form found by :data:`AGENCY_WORD` stands for."""
    return _BY_WORD.get(" ".join(word.split()).casefold())
