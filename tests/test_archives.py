"""WARC reading and writing (pipelines.warc_read, warc_tape, warc_write, archive_sources), CC-NEWS
listing and progress (pipelines.ccnews), the parser version (pipelines.version). The archives are written
by hand (tests.warcs); what we write is checked by warcio, an independent reader."""

from __future__ import annotations

import datetime as dt
import gzip
import http.server
import io
import os
import threading
import zlib
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from warcio.archiveiterator import ArchiveIterator as WarcioIterator

from pipelines.archive_sources import open_archive, split_locations
from pipelines.ccnews import BackfillProgress, archive_name, list_archives, parse_months, paths_url
from pipelines.dataset import data_files, write_rows
from pipelines.version import parser_version
from pipelines.warc_read import read_responses
from pipelines.warc_write import WarcRecorder, finish_orphans
from tests import warcs

UPI = "https://www.upi.com/Top_News/World-News/2020/01/07/Story/1141578394958/"


def upi_only(url: str) -> bool:
    return url.startswith("https://www.upi.com/")


def read(data: bytes) -> tuple[list, Counter]:
    counts: Counter[str] = Counter()
    return list(read_responses(io.BytesIO(data), upi_only, counts)), counts


def test_only_accepted_html_responses_are_kept_and_the_rest_counted_by_kind() -> None:
    data = warcs.members([
        warcs.warcinfo(), warcs.request(UPI),
        warcs.response(UPI, b"<html>story</html>", date="2020-01-07T12:30:00Z"),
        warcs.revisit(UPI),
        warcs.response("https://example.com/news/1", b"<html>other site</html>"),
        warcs.response(UPI + "gone/", b"<html>missing</html>", status=404),
        warcs.response("https://www.upi.com/photo.jpg", b"\xff\xd8", content_type="image/jpeg"),
    ])
    responses, counts = read(data)
    assert [(p.url, p.body, p.status) for p in responses] == [(UPI, b"<html>story</html>", 200)]
    assert responses[0].fetched_at == dt.datetime(2020, 1, 7, 12, 30, tzinfo=dt.timezone.utc)
    assert responses[0].content_type == "text/html; charset=utf-8"
    assert counts == Counter(records=7, kept=1, revisit=1, not_accepted=1, status_404=1, not_html=1)


def test_a_damaged_gzip_member_is_skipped_and_reading_goes_on_after_it() -> None:
    before = warcs.response(UPI, b"<html>before</html>")
    damaged = warcs.corrupt_member(warcs.response(UPI + "x/", b"<html>" + b"lost " * 4000 + b"</html>"))
    after = [warcs.response(UPI + f"{n}/", f"<html>after {n}</html>".encode()) for n in range(3)]
    responses, counts = read(warcs.members([before]) + damaged + warcs.members(after))
    assert [p.body for p in responses] == [b"<html>before</html>"] + [
        f"<html>after {n}</html>".encode() for n in range(3)]
    assert counts["damaged_member"] == 1
    assert counts["kept"] == 4


def test_a_record_cut_off_at_the_end_of_the_file_is_counted_not_parsed() -> None:
    whole = warcs.members([warcs.response(UPI, b"<html>whole</html>")])
    cut = warcs.members([warcs.response(UPI + "2/", b"<html>" + b"cut " * 2000 + b"</html>")])
    responses, counts = read(whole + cut[: len(cut) * 2 // 3])
    assert [p.body for p in responses] == [b"<html>whole</html>"]
    assert counts["truncated"] + counts["damaged_member"] == 1


@pytest.mark.parametrize("packing", ["warc.gz", "warc"])
@pytest.mark.parametrize("lie", [+300, -10, 10**12], ids=["longer", "shorter", "past_the_end"])
def test_a_record_whose_content_length_lies_costs_only_itself(packing: str, lie: int) -> None:
    """Before: the lying record was kept with the next record's header in its body (or cut), and in a
    plain file, or with a length past the end, every record after it was lost without a word."""
    honest = warcs.response(UPI + "liar/", b"<html>the liar's own page</html>")
    declared = int(honest.split(b"Content-Length: ")[1].split(b"\r\n")[0])
    liar = warcs.lying_length(honest, lie if lie > 10**6 else declared + lie)
    after = [warcs.response(UPI + f"{n}/", f"<html>after {n}</html>".encode()) for n in range(3)]
    records = [warcs.response(UPI, b"<html>before</html>"), liar, *after]
    responses, counts = read(warcs.members(records) if packing == "warc.gz" else b"".join(records))
    assert [p.body for p in responses] == [b"<html>before</html>"] + [
        f"<html>after {n}</html>".encode() for n in range(3)]
    assert counts["damaged_record"] == 1 and counts["kept"] == 4
    assert counts["damaged_member"] == 0, "one lie is one damaged record, not two"


@pytest.mark.parametrize("where", ["last", "middle"])
def test_gzip_magic_bytes_inside_a_record_are_not_taken_for_a_record_start(where: str) -> None:
    """Three bytes alike occur by chance in compressed data (stored here verbatim, gzip level 0):
    before, a record with them last in a file was counted as one cut off, and the file as damaged."""
    body = b"<html>" + b"\x1f\x8b\x08 looks like a gzip header" * 20 + b"</html>"
    tricky = gzip.compress(warcs.response(UPI + "tricky/", body), compresslevel=0, mtime=0)
    assert tricky.find(b"\x1f\x8b\x08", 1) > 0
    plain = warcs.members([warcs.response(UPI, b"<html>first</html>")])
    data = plain + tricky if where == "last" else plain + tricky + plain
    responses, counts = read(data)
    assert [p.body for p in responses] == [b"<html>first</html>", body] + (
        [b"<html>first</html>"] if where == "middle" else [])
    assert not (counts["truncated"] or counts["damaged_member"] or counts["damaged_record"]), counts


def test_a_length_past_the_end_of_a_large_file_keeps_memory_at_one_record(tmp_path: Path) -> None:
    import tracemalloc

    liar = warcs.lying_length(warcs.response("https://example.com/liar", b"<html>x</html>"), 10**12)
    others = [warcs.response(f"https://example.com/{n}", os.urandom(20_000)) for n in range(1500)]
    path = warcs.write(tmp_path / "liar.warc.gz", [liar, *others, warcs.response(UPI, b"<html>x</html>")])
    tracemalloc.start()
    with open(path, "rb") as handle:
        counts: Counter[str] = Counter()
        responses = list(read_responses(handle, upi_only, counts))
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert [p.url for p in responses] == [UPI]
    assert counts["damaged_record"] == 1
    assert peak < 12_000_000, f"{peak} bytes held while skipping 30 MB"


def test_plain_uncompressed_warc_and_encoded_payloads_are_read() -> None:
    html = b"<html>" + b"encoded story " * 50 + b"</html>"
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(html), html)
    block = warcs.http_response(gzip.compress(html), headers=[("Content-Encoding", "gzip")])
    block2 = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
              + chunked)
    deflated = zlib.compress(html)
    block3 = warcs.http_response(deflated, headers=[("Content-Encoding", "deflate")])
    records = [warcs.record("response", UPI + f"{n}/", block) for n, block in
               enumerate((block, block2, block3))]
    responses, counts = read(b"".join(records))  # not gzipped at all
    assert [p.body for p in responses] == [html, html, html]
    unknown = warcs.record("response", UPI, warcs.http_response(b"??", headers=[
        ("Content-Encoding", "compress")]))
    responses, counts = read(warcs.members([unknown]))
    assert responses == [] and counts["encoding"] == 1


def test_recorder_writes_open_files_renamed_when_closed_rotates_and_warcio_reads_them(
        tmp_path: Path) -> None:
    recorder = WarcRecorder(tmp_path, "upi-run1", max_bytes=6000)
    when = dt.datetime(2024, 5, 1, 8, 30, 15, 250000, tzinfo=dt.timezone.utc)
    bodies = [f"<html>story {n} ".encode() + os.urandom(1500) + b"</html>" for n in range(6)]
    recorder.record(UPI, 200, "OK", [("Content-Type", "text/html")], bodies[0], when=when)
    assert [p.name.endswith(".warc.gz.open") for p in tmp_path.iterdir()] == [True]
    for n, body in enumerate(bodies[1:], 1):
        recorder.record(f"{UPI}{n}/", 200, "OK", [("Content-Type", "text/html")], body, when=when)
    recorder.close()
    files = sorted(tmp_path.iterdir())
    assert len(files) > 1, "rotation at max_bytes"
    assert all(p.name.startswith("upi-run1-") and p.name.endswith(".warc.gz") for p in files)
    assert recorder.closed_files == files

    seen = []
    for path in files:
        with open(path, "rb") as handle:
            for record in WarcioIterator(handle, check_digests=True):
                if record.rec_type == "response":
                    seen.append((record.rec_headers.get_header("WARC-Target-URI"),
                                 record.content_stream().read(),
                                 record.rec_headers.get_header("WARC-Payload-Digest") is not None))
                    assert record.digest_checker.passed is not False
                assert record.rec_type in {"warcinfo", "request", "response"}
    assert [(url, body) for url, body, _ in seen] == [(UPI, bodies[0])] + [
        (f"{UPI}{n}/", bodies[n]) for n in range(1, 6)]
    assert all(has_digest for *_, has_digest in seen)

    responses = []
    for path in files:
        with open(path, "rb") as handle:
            responses += read_responses(handle, upi_only, Counter())
    assert [p.body for p in responses] == bodies
    assert {p.fetched_at for p in responses} == {when}


def test_locations_globs_and_urls(tmp_path: Path) -> None:
    for name in ("b.warc.gz", "a.warc.gz"):
        (tmp_path / name).write_bytes(b"")
    assert split_locations(f"{tmp_path}/*.warc.gz, https://x.org/1.warc.gz") == [
        str(tmp_path / "a.warc.gz"), str(tmp_path / "b.warc.gz"), "https://x.org/1.warc.gz"]
    with pytest.raises(ValueError, match="no archive matches"):
        split_locations(f"{tmp_path}/*.warc")
    with pytest.raises(ValueError, match="no archive file"):
        split_locations(f"{tmp_path}/missing.warc.gz")
    with pytest.raises(ValueError, match="names no archive"):
        split_locations(" , ")


def test_months_of_cc_news() -> None:
    today = dt.date(2017, 3, 15)
    assert parse_months("2016-11..2017-02", today) == [(2016, 11), (2016, 12), (2017, 1), (2017, 2)]
    assert parse_months("2017-03", today) == [(2017, 3)]
    for bad, message in (("2016-07", "begins in 2016-08"), ("2017-04", "future"),
                         ("2017-01..2016-12", "ends before"), ("2016-13", "not a month"),
                         ("last month", "not a month"), ("2016-08..", "not a month or a range")):
        with pytest.raises(ValueError, match=message):
            parse_months(bad, today)
    assert paths_url("http://h/", 2016, 8) == "http://h/crawl-data/CC-NEWS/2016/08/warc.paths.gz"
    assert archive_name("http://h/crawl-data/CC-NEWS/2016/08/CC-NEWS-1.warc.gz") == \
        "crawl-data/CC-NEWS/2016/08/CC-NEWS-1.warc.gz"


def test_backfill_progress_survives_a_new_process_and_refuses_a_damaged_file(tmp_path: Path) -> None:
    progress = BackfillProgress(tmp_path, "upi")
    progress.finish("http://h/crawl-data/CC-NEWS/2016/08/CC-NEWS-1.warc.gz")
    again = BackfillProgress(tmp_path, "upi")
    assert again.is_finished("https://mirror/crawl-data/CC-NEWS/2016/08/CC-NEWS-1.warc.gz")
    assert not again.is_finished("http://h/crawl-data/CC-NEWS/2016/08/CC-NEWS-2.warc.gz")
    progress.path.write_text("{not json")
    with pytest.raises(ValueError, match="move it away"):
        BackfillProgress(tmp_path, "upi")


class _RangeHandler(http.server.BaseHTTPRequestHandler):
    """Serves ``files``; the first answer of each file is cut off half-way (a broken connection)."""

    files: dict[str, bytes] = {}
    broken: set[str] = set()
    ranges: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        data = self.files.get(self.path)
        if data is None:
            self.send_error(404)
            return
        start = 0
        if self.headers.get("Range"):
            self.ranges.append(self.headers["Range"])
            start = int(self.headers["Range"].split("=")[1].rstrip("-"))
            self.send_response(206)
        else:
            self.send_response(200)
        body = data[start:]
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.path not in self.broken:
            self.broken.add(self.path)
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        return


@pytest.mark.e2e
def test_downloads_resume_where_the_connection_broke_and_months_are_listed() -> None:
    archive = warcs.members([warcs.response(UPI + f"{n}/", b"<html>%d</html>" % n) for n in range(200)])
    listing = gzip.compress(b"crawl-data/CC-NEWS/2016/08/CC-NEWS-A.warc.gz\n"
                            b"crawl-data/CC-NEWS/2016/08/CC-NEWS-B.warc.gz\n")
    handler = type("H", (_RangeHandler,), {"files": {
        "/crawl-data/CC-NEWS/2016/08/warc.paths.gz": listing,
        "/crawl-data/CC-NEWS/2016/08/CC-NEWS-A.warc.gz": archive}, "broken": set(), "ranges": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        assert list_archives(base, [(2016, 8)]) == [
            f"{base}/crawl-data/CC-NEWS/2016/08/CC-NEWS-A.warc.gz",
            f"{base}/crawl-data/CC-NEWS/2016/08/CC-NEWS-B.warc.gz"]
        source = open_archive(f"{base}/crawl-data/CC-NEWS/2016/08/CC-NEWS-A.warc.gz", retries=2)
        counts: Counter[str] = Counter()
        responses = list(read_responses(source, upi_only, counts))
        source.close()
    finally:
        server.shutdown()
        server.server_close()
    assert len(responses) == 200 and counts["damaged_member"] == 0
    assert handler.ranges, "the broken download was resumed with a Range request"


def test_every_file_names_the_parser_version(tmp_path: Path) -> None:
    version = parser_version()
    package, rules = version.split("+rules.")
    assert package and len(rules) == 12 and int(rules, 16) >= 0
    row = {"id": "upi:1", "source": "upi", "url": UPI, "headline": "h", "body": "b", "authors": [],
           "contributors": [], "tags": [], "word_count": 1,
           "fetched_at": dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc),
           "published_at": dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)}
    write_rows(tmp_path, [row], "run", 1)
    (path,) = data_files(tmp_path)
    assert pq.read_schema(path).metadata[b"wirecrawl.parser_version"] == version.encode()


def test_memory_stays_at_one_record_however_many_records_are_skipped(tmp_path: Path) -> None:
    import tracemalloc

    others = [warcs.response(f"https://example.com/{n}", os.urandom(20_000)) for n in range(1500)]
    path = warcs.write(tmp_path / "others.warc.gz", others + [warcs.response(UPI, b"<html>x</html>")])
    assert path.stat().st_size > 30_000_000
    tracemalloc.start()
    with open(path, "rb") as handle:
        responses = list(read_responses(handle, upi_only, Counter()))
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert [p.url for p in responses] == [UPI]
    assert peak < 4_000_000, f"{peak} bytes held while skipping 30 MB"


def test_orphaned_open_files_are_cut_after_their_last_whole_record_and_live_ones_left(
        tmp_path: Path) -> None:
    whole = warcs.members([warcs.warcinfo(), warcs.response(UPI, b"<html>kept</html>")])
    torn = warcs.members([warcs.response(UPI + "2/", b"<html>" + b"torn " * 500 + b"</html>")])
    orphan = tmp_path / "upi-run1-00001.warc.gz.open"
    orphan.write_bytes(whole + torn[: len(torn) // 2])
    (tmp_path / "upi-run2-00001.warc.gz.open").write_bytes(torn[:20])  # not one whole record
    live = WarcRecorder(tmp_path, "upi-run3")
    live.record(UPI + "3/", 200, "OK", [("Content-Type", "text/html")], b"<html>live</html>")

    finished = finish_orphans(tmp_path)
    assert finished == [(tmp_path / "upi-run1-00001.warc.gz", len(torn) // 2)]
    assert (tmp_path / "upi-run1-00001.warc.gz").read_bytes() == whole
    assert not (tmp_path / "upi-run2-00001.warc.gz.open").exists()
    assert [p.name for p in tmp_path.glob("*.open")] == [live._path.name], "a live writer's file stays"
    responses, counts = read((tmp_path / "upi-run1-00001.warc.gz").read_bytes())
    assert [p.body for p in responses] == [b"<html>kept</html>"] and not counts["truncated"]
    live.close()
    assert finish_orphans(tmp_path) == []
