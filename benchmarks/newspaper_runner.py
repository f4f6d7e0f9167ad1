"""newspaper4k on saved pages, run by ``benchmarks/generic_quality.py`` in newspaper4k's own environment.

newspaper4k pins ``python-dateutil<3`` while the crawler runs with a newer one, so it lives in a venv
of its own (``make bench-env``, or ``python3 -m venv .venv-bench && .venv-bench/bin/pip install
newspaper4k``) and is called as a subprocess: stdin a JSON list of ``[key, url, path of a .html or
.html.gz file]``, stdout a JSON object ``key -> {title, authors, published, text}`` (``published`` in
ISO 8601, without zone where newspaper4k gave none). Standard library and newspaper4k only.
"""

from __future__ import annotations

import gzip
import json
import sys


def _offline_tldextract() -> None:
    """tldextract (which newspaper4k calls for every URL) fetches the public-suffix list from the
    internet on first use; a benchmark never reaches out, so it uses the snapshot it ships with."""
    import tldextract

    offline = tldextract.TLDExtract(suffix_list_urls=())
    tldextract.extract = offline
    tldextract.tldextract.extract = offline


def main() -> int:
    _offline_tldextract()
    from newspaper import Article

    found = {}
    for key, url, path in json.load(sys.stdin):
        with open(path, "rb") as handle:
            html = handle.read()
        if path.endswith(".gz"):
            html = gzip.decompress(html)
        try:
            article = Article(url)
            article.download(input_html=html.decode("utf-8", "replace"))
            article.parse()
        except Exception as exc:  # one page's failure is that page's score, not the run's end
            found[key] = {"error": f"{type(exc).__name__}: {exc}"[:200]}
            continue
        published = article.publish_date
        found[key] = {"title": article.title or None, "authors": list(article.authors or []),
                      "published": published.isoformat() if published else None,
                      "text": article.text or ""}
    json.dump(found, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
