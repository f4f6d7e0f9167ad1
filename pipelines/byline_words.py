"""The words of bylines, per language: data, read by :mod:`pipelines.byline`.

A byline does not say its language, and pages mix them ("Von Anna Muster and John Doe"), so every
language's words apply to every byline; words that are also parts of names (Italian ``di``, Spanish
``e``) count only as written here, in lower case. To support a language, add its words here.
"""

from __future__ import annotations

from pipelines import date_words

#: Words that open a byline: "By Jane Doe", "Von Anna Muster", "Par Jean Dupont", "Autor: …".
LEAD: dict[str, tuple[str, ...]] = {
    "en": ("by", "written by", "reported by", "story by", "words by", "text by", "author:", "authors:"),
    "de": ("von", "autor:", "autorin:", "autoren:", "autor", "autorin", "text:", "text von",
           "ein kommentar von", "eine analyse von", "ein gastbeitrag von", "ein interview von"),
    "fr": ("par", "auteur:", "texte:"),
    "es": ("por", "autor:", "texto:"),
    "pt": ("por", "autor:", "texto:"),
    "it": ("di", "a cura di", "autore:"),
    "nl": ("door", "auteur:", "tekst:"),
    "da": ("af", "skrevet af"),
    "no": ("av", "skrevet av"),
    "sv": ("av", "text:"),
    "pl": ("autor:", "autorka:"),
    "cs": ("autor:", "autorka:"),
    "tr": ("yazan:", "muhabir:"),
    "id": ("oleh", "penulis:", "reporter:"),
    "ru": ("автор:", "текст:"),
}
#: Lead words that are also the start of names ("Di Maio", "Da Silva"): counted only in lower case.
LEAD_LOWER_ONLY = frozenset({"di", "da"})

#: Words that join two names: "Anna Muster und Jan Meier", "Jean Dupont et Marie Curie".
AND: dict[str, tuple[str, ...]] = {
    "en": ("and", "&", "with"),
    "de": ("und", "mit"),
    "fr": ("et", "avec"),
    "es": ("y", "e", "con"),
    "pt": ("e", "com"),
    "it": ("e", "ed", "con"),
    "nl": ("en", "met"),
    "da": ("og", "med"),
    "no": ("og", "med"),
    "sv": ("och", "med"),
    "pl": ("i", "oraz"),
    "cs": ("a",),
    "tr": ("ve",),
    "id": ("dan",),
    "ru": ("и",),
}
#: Joining words that are names too ("Dan", "Con"): they join only in lower case. English "and" and
#: "with" join in any case ("By JOHN SMITH AND JANE DOE").
AND_ANY_CASE = frozenset({"and", "with", "&", "und", "et"})

#: Job titles and desks: a piece holding one is a role, not a name ("AP National Security Writer",
#: "BR24 Redaktion", "Nachrichtenagentur").
ROLES: dict[str, tuple[str, ...]] = {
    "en": ("writer", "writers", "correspondent", "correspondents", "editor", "editors", "reporter",
           "reporters", "columnist", "columnists", "staff", "contributor", "contributors",
           "photographer", "photographers", "analyst", "analysts", "bureau", "chief", "producer",
           "producers", "journalist", "journalists", "news", "service", "desk", "senior", "special",
           "international", "national", "political", "sports", "business", "science", "health",
           "medical", "diplomatic", "white house", "intern", "for", "wire", "agency", "press", "team",
           "report", "media", "newsroom", "developer", "admin", "administrator"),
    "de": ("redaktion", "redakteur", "redakteurin", "korrespondent", "korrespondentin", "reporterin",
           "autorin", "nachrichtenagentur", "nachrichten", "agentur", "zeitung", "rundfunk", "online",
           "volontär", "volontärin", "mitarbeiter", "mitarbeiterin", "leiter", "leiterin", "chefredakteur"),
    "fr": ("rédaction", "redaction", "journaliste", "correspondant", "correspondante", "envoyé",
           "envoyée", "spécial", "spéciale", "rédacteur", "rédactrice"),
    "es": ("redacción", "redaccion", "corresponsal", "periodista", "enviado", "enviada", "agencias"),
    "pt": ("redação", "redacao", "correspondente", "jornalista", "agências"),
    "it": ("redazione", "inviato", "inviata", "giornalista", "corrispondente"),
    "nl": ("redactie", "verslaggever", "correspondent"),
    "da": ("redaktionen", "journalist", "korrespondent"),
    "no": ("redaksjonen", "journalist", "korrespondent"),
    "sv": ("redaktionen", "reporter", "korrespondent"),
    "ja": ("shimbun",),
    "ko": ("ilbo",),
    "id": ("jurnalis", "wartawan", "penulis", "editor"),
}

#: What East Asian bylines write after a name: "신현주 기자", "松岡大地記者", "박준석 기자 외 1명".
CJK_TITLES: tuple[str, ...] = (
    "기자", "특파원", "선임기자", "객원기자", "논설위원", "편집위원", "인턴기자",
    "記者", "特派員", "編集委員", "論説委員", "支局長", "撮影", "写真", "记者", "特约记者", "報導", "报道",
)
#: "and N others" after a Korean, Japanese or Chinese byline.
CJK_OTHERS = r"(?:외|外|等)\s*\d+\s*(?:명|人|名)?"

#: Markers of a photo credit, which is kept out of the authors: "Fotos: Jan Meier", "Photo: …".
PHOTO: tuple[str, ...] = (
    "photo", "photos", "photograph", "photographs", "photography", "pictures", "images", "foto", "fotos",
    "bild", "bilder", "fotografie", "fotografía", "fotografia", "fotograf", "fotógrafo", "photographie",
    "illustration", "illustrations", "grafik", "video", "kamera", "camera",
)

#: Labels that byline widgets print next to the names (social links, buttons).
NOISE: tuple[str, ...] = (
    "twitter", "facebook", "instagram", "linkedin", "mastodon", "bluesky", "threads", "tiktok",
    "youtube", "e-mail", "email", "mail", "rss", "follow", "folgen", "abonnieren", "profil", "profile",
    "more", "mehr", "view", "bio",
)

#: Words for a day relative to the reader's ("Today 5:00 am"): a byline ends where they begin.
RELATIVE_DAYS = date_words.RELATIVE_DAYS


def words(table: dict[str, tuple[str, ...]]) -> list[str]:
    """Every language's words of a table, longest first (so that "written by" wins over "by")."""
    return sorted({w for group in table.values() for w in group}, key=len, reverse=True)
