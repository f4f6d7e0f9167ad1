"""Filtering a WARC of mostly other sites' pages for one wire's articles, on one core:
our reader (:func:`pipelines.warc_read.read_responses`, over fastwarc) against warcio doing the same job
(iterate, keep the ``response`` records of the wire's article URLs, read their payloads).

    python benchmarks/warc_read.py [--size-mb 200] [--wire-share 0.02] [--repeat 3]

The archive is built once per run from real pages (``aeb-dev`` as the other sites, a UPI page as the
wire's), one gzip member a record, as CC-NEWS files are. MB/s is of compressed input; pages/s is of
kept pages. Best of ``--repeat`` runs each; the ratio is against warcio measured in the same run.
Also writing: our recorder (fastwarc) against warcio's writer, pages/s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import io
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipelines.sites import SITES  # noqa: E402
from pipelines.warc_read import read_responses  # noqa: E402
from pipelines.warc_write import WarcRecorder  # noqa: E402
from tests import warcs  # noqa: E402

CORPUS = Path(os.environ.get("WIRECRAWL_CORPUS") or ROOT.parent / "shared" / "corpus")
UPI_PAGE = CORPUS / "upi/html/metahtml_2020-01-07_stampede-funeral-soleimani.html"


def record(uri: str, body: bytes) -> bytes:
    """One response record as its own gzip member, at CC-NEWS's usual compression level."""
    return gzip.compress(warcs.response(uri, body), compresslevel=6, mtime=0)


def build(path: Path, size_mb: float, wire_share: float) -> tuple[int, int]:
    others = [gzip.decompress(p.read_bytes()) for p in sorted((CORPUS / "aeb-dev/html").glob("*.html.gz"))]
    upi = UPI_PAGE.read_bytes()
    limit, written, records, wire = size_mb * 1e6, 0, 0, 0
    every = max(1, round(1 / wire_share)) if wire_share > 0 else 0
    with open(path, "wb") as out:
        while written < limit:
            if every and records % every == 0:
                data = record(f"https://www.upi.com/Top_News/World-News/2020/01/07/Story-{records}/"
                              f"{1141578394958 + records}/", upi)
                wire += 1
            else:
                body = others[records % len(others)]
                data = record(f"https://www.site{records % 97}.example/news/{records}.html", body)
            out.write(data)
            written += len(data)
            records += 1
    return records, wire


def ours(path: Path) -> int:
    upi = SITES["upi"]
    counts: Counter[str] = Counter()
    with open(path, "rb") as handle:
        return sum(1 for _ in read_responses(handle, lambda url: upi.story_key(url) is not None, counts))


def fastwarc_alone(path: Path) -> int:
    """The ceiling: fastwarc's own iteration with the same URL filter, no payload read, no checks."""
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    upi = SITES["upi"]
    with open(path, "rb") as handle:
        return sum(1 for _ in ArchiveIterator(
            handle, record_types=WarcRecordType.response, parse_http=False,
            func_filter=lambda r: upi.story_key(r.headers.get("WARC-Target-URI") or "") is not None))


def warcio_filter(path: Path) -> int:
    from warcio.archiveiterator import ArchiveIterator

    upi, kept = SITES["upi"], 0
    with open(path, "rb") as handle:
        for rec in ArchiveIterator(handle):
            if rec.rec_type != "response":
                continue
            if upi.story_key(rec.rec_headers.get_header("WARC-Target-URI") or "") is None:
                continue
            if rec.http_headers.get_statuscode() == "200":
                rec.content_stream().read()
                kept += 1
    return kept


def write_ours(folder: Path, pages: int, body: bytes) -> None:
    recorder = WarcRecorder(folder, "bench")
    when = dt.datetime.now(dt.timezone.utc)
    for n in range(pages):
        recorder.record(f"https://www.upi.com/x/{n}/", 200, "OK", [("Content-Type", "text/html")],
                        body, when=when)
    recorder.close()


def write_warcio(folder: Path, pages: int, body: bytes) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "bench.warc.gz", "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for n in range(pages):
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            rec = writer.create_warc_record(f"https://www.upi.com/x/{n}/", "response",
                                            payload=io.BytesIO(body), http_headers=headers)
            writer.write_record(rec)


def best(function, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=200)
    parser.add_argument("--wire-share", type=float, default=0.02)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--write-pages", type=int, default=2000)
    args = parser.parse_args()
    if not UPI_PAGE.exists():
        print(f"corpus not found at {CORPUS} (set WIRECRAWL_CORPUS)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as temp:
        path = Path(temp) / "bench.warc.gz"
        records, wire = build(path, args.size_mb, args.wire_share)
        size = path.stat().st_size / 1e6
        print(f"archive: {size:.0f} MB compressed, {records} records, {wire} UPI article pages")
        rows = {}
        for name, function in (("warcio", warcio_filter), ("ours (fastwarc)", ours),
                               ("fastwarc alone", fastwarc_alone)):
            seconds, kept = best(lambda f=function: f(path), args.repeat)
            assert kept == wire, f"{name} kept {kept} of {wire}"
            rows[name] = seconds
            print(f"read  {name:16s} {size / seconds:7.1f} MB/s  {kept / seconds:8.0f} kept pages/s  "
                  f"({seconds:.2f} s, best of {args.repeat})")
        print(f"read  ratio ours/warcio = {rows['warcio'] / rows['ours (fastwarc)']:.1f}x")
        body = UPI_PAGE.read_bytes()
        for name, function in (("warcio", write_warcio), ("ours (fastwarc)", write_ours)):
            seconds, _ = best(lambda f=function, n=name: f(Path(temp) / n.split()[0], args.write_pages,
                                                          body), 1)
            rows[f"w{name}"] = seconds
            print(f"write {name:16s} {args.write_pages / seconds:8.0f} pages/s "
                  f"({args.write_pages} pages of {len(body) // 1000} KB)")
        print(f"write ratio ours/warcio = {rows['wwarcio'] / rows['wours (fastwarc)']:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
