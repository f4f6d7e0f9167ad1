"""The words of dates, per language: data, read by :mod:`pipelines.dates`.

Pages print their dates in their own language ("13. Mai 2026 um 15:44", "2 février 2025 à 09h00",
"2025年1月14日 20:00", "20 Nisan 2026"); month names are turned into English ones before the date is
read. To support a language, add its words here.
"""

from __future__ import annotations

#: Month names and their usual abbreviations, per language (lower case), as printed in dates.
#: English names are read as they are. Abbreviations that are English words ("ago", "set", "out")
#: are left out.
MONTHS: dict[str, tuple[tuple[str, ...], ...]] = {
    "de": (("januar", "jänner", "jan"), ("februar", "feber"), ("märz", "maerz", "mär"), ("april",),
           ("mai",), ("juni",), ("juli",), ("august",), ("september",), ("oktober", "okt"),
           ("november",), ("dezember", "dez")),
    "fr": (("janvier", "janv"), ("février", "fevrier", "févr", "fevr"), ("mars",), ("avril", "avr"),
           ("mai",), ("juin",), ("juillet", "juil"), ("août", "aout"), ("septembre",),
           ("octobre",), ("novembre",), ("décembre", "decembre", "déc")),
    "es": (("enero", "ene"), ("febrero",), ("marzo",), ("abril", "abr"), ("mayo",), ("junio",),
           ("julio",), ("agosto",), ("septiembre", "setiembre"), ("octubre",), ("noviembre",),
           ("diciembre", "dic")),
    "pt": (("janeiro",), ("fevereiro", "fev"), ("março", "marco"), ("abril",), ("maio",), ("junho",),
           ("julho",), ("agosto",), ("setembro",), ("outubro",), ("novembro",), ("dezembro",)),
    "it": (("gennaio", "gen"), ("febbraio",), ("marzo",), ("aprile",), ("maggio", "mag"),
           ("giugno", "giu"), ("luglio", "lug"), ("agosto",), ("settembre",), ("ottobre", "ott"),
           ("novembre",), ("dicembre",)),
    "nl": (("januari",), ("februari",), ("maart", "mrt"), ("april",), ("mei",), ("juni",), ("juli",),
           ("augustus",), ("september",), ("oktober",), ("november",), ("december",)),
    "da": (("januar",), ("februar",), ("marts",), ("april",), ("maj",), ("juni",), ("juli",),
           ("august",), ("september",), ("oktober",), ("november",), ("december",)),
    "no": (("januar",), ("februar",), ("mars",), ("april",), ("mai",), ("juni",), ("juli",),
           ("august",), ("september",), ("oktober",), ("november",), ("desember",)),
    "sv": (("januari",), ("februari",), ("mars",), ("april",), ("maj",), ("juni",), ("juli",),
           ("augusti",), ("september",), ("oktober",), ("november",), ("december",)),
    "pl": (("stycznia", "styczeń"), ("lutego", "luty"), ("marca", "marzec"), ("kwietnia", "kwiecień"),
           ("maja", "maj"), ("czerwca", "czerwiec"), ("lipca", "lipiec"), ("sierpnia", "sierpień"),
           ("września", "wrzesień"), ("października", "październik"), ("listopada", "listopad"),
           ("grudnia", "grudzień")),
    "cs": (("ledna", "leden"), ("února", "únor"), ("března", "březen"), ("dubna", "duben"),
           ("května", "květen"), ("června", "červen"), ("července", "červenec"), ("srpna", "srpen"),
           ("září",), ("října", "říjen"), ("listopadu", "listopad"), ("prosince", "prosinec")),
    "tr": (("ocak",), ("şubat", "subat"), ("mart",), ("nisan",), ("mayıs", "mayis"), ("haziran",),
           ("temmuz",), ("ağustos", "agustos"), ("eylül", "eylul"), ("ekim",), ("kasım", "kasim"),
           ("aralık", "aralik")),
    "ru": (("января", "январь"), ("февраля", "февраль"), ("марта", "март"), ("апреля", "апрель"),
           ("мая", "май"), ("июня", "июнь"), ("июля", "июль"), ("августа", "август"),
           ("сентября", "сентябрь"), ("октября", "октябрь"), ("ноября", "ноябрь"), ("декабря", "декабрь")),
    "id": (("januari",), ("februari",), ("maret",), ("april",), ("mei",), ("juni",), ("juli",),
           ("agustus",), ("september",), ("oktober",), ("november",), ("desember",)),
    "is": (("janúar",), ("febrúar",), ("mars",), ("apríl",), ("maí",), ("júní",), ("júlí",),
           ("ágúst",), ("september",), ("október",), ("nóvember",), ("desember",)),
}

#: Morning and afternoon markers of East Asian times ("오후 6:40", "午後6時40分").
MERIDIEM: dict[str, str] = {"오전": "AM", "오후": "PM", "午前": "AM", "午後": "PM",
                            "上午": "AM", "下午": "PM"}

#: Words printed between a date and its time, or around them ("um", "à", "Uhr", "kl."): dropped.
JOINERS: tuple[str, ...] = ("um", "uhr", "à", "a las", "alle", "ore", "om", "kl", "klo", "klockan",
                            "saat", "в", "г", "le", "de", "del", "el", "am", "den")

#: Words for a day relative to the reader's ("Today 5:00 am", "heute, 14:07 Uhr"): a text holding one
#: and no date of its own names no publication date; a byline ends where they begin.
RELATIVE_DAYS: dict[str, tuple[str, ...]] = {
    "en": ("today", "yesterday"),
    "de": ("heute", "gestern", "vorgestern"),
    "fr": ("aujourd'hui", "aujourd’hui", "hier"),
    "es": ("hoy", "ayer"),
    "pt": ("hoje", "ontem"),
    "it": ("oggi", "ieri"),
    "nl": ("vandaag", "gisteren"),
    "da": ("i dag", "i går"),
    "no": ("i dag", "i går"),
    "sv": ("idag", "igår", "i dag", "i går"),
    "pl": ("dzisiaj", "dziś", "wczoraj"),
    "tr": ("bugün", "dün"),
    "ru": ("сегодня", "вчера"),
    "ja": ("今日", "昨日", "本日"),
    "ko": ("오늘", "어제"),
    "zh": ("今天", "昨天"),
}

_ENGLISH = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
#: English month names and the abbreviations wire copy uses (AP style writes "Sept."), lower case.
ENGLISH_MONTHS: tuple[tuple[str, ...], ...] = (
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
    ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sept", "sep"),
    ("october", "oct"), ("november", "nov"), ("december", "dec"))


def english_words() -> frozenset[str]:
    """Every English month name and abbreviation (lower case)."""
    return frozenset(word for words in ENGLISH_MONTHS for word in words)


def english_month_pattern() -> str:
    """A regular expression of an English month as printed (``Jan.``, ``Sept.``, ``March``, ``May``):
    the names, and the abbreviations with their dot; case as the caller's flags say."""
    words = sorted(english_words(), key=len, reverse=True)
    return "(?:" + "|".join(word if word == "may" else rf"{word}\.?" for word in words) + ")"


def month_number(word: str) -> int | None:
    """1-12 for an English month name or abbreviation (``Sept.`` -> 9), else ``None``."""
    key = word.lower().rstrip(".")
    return next((n for n, words in enumerate(ENGLISH_MONTHS, start=1) if key in words), None)


def month_names() -> dict[str, str]:
    """Every language's month word -> the English abbreviation dateutil reads."""
    return {word: _ENGLISH[index] for months in MONTHS.values()
            for index, words in enumerate(months) for word in words}
