"""Pages served by nginx on 127.0.0.1 for the benchmarks, so that the server does not compete with the
crawler for the same cores the way a Python server would; the Python test server when nginx is missing.

nginx (Debian: ``apt-get install nginx-light``) runs in the foreground with a configuration of its own in
a temporary folder, one worker process, files from that folder: nothing of the system's nginx is used.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.mirror import Server, Site  # noqa: E402

_TYPES = {".rss": "application/rss+xml", ".xml": "application/xml", ".html": "text/html"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _config(folder: Path, port: int) -> str:
    user = "user root;\n" if os.geteuid() == 0 else ""
    types = "".join(f"{kind} {ext.lstrip('.')}; " for ext, kind in _TYPES.items())
    return f"""{user}worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  types {{ {types} }}
  default_type text/html;
  client_body_temp_path {folder}/tmp; proxy_temp_path {folder}/tmp; fastcgi_temp_path {folder}/tmp;
  uwsgi_temp_path {folder}/tmp; scgi_temp_path {folder}/tmp;
  keepalive_requests 100000;
  server {{
    listen 127.0.0.1:{port};
    root {folder}/www;
    location / {{ try_files $uri $uri/index.html =404; }}
  }}
}}
"""


@contextmanager
def serve(build: Callable[[str], dict[str, bytes]]) -> Iterator[tuple[str, str]]:
    """Serve ``build(base_url)`` (URL path -> body; a path ending in ``/`` is a page) on 127.0.0.1;
    yields (base URL, which server: ``nginx`` or ``python``)."""
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None:
        print("warning: nginx not found (apt-get install nginx-light); serving with the Python test "
              "server, which shares the cores with the crawler and lowers the figures", file=sys.stderr)
        site = Site()
        with Server(site, keep_alive=True) as base_url:
            for path, body in build(base_url).items():
                kind = next((t for ext, t in _TYPES.items() if path.endswith(ext)), "text/html")
                site.add(path, body, content_type=kind)
            yield base_url, "python"
        return
    with tempfile.TemporaryDirectory(prefix="wirecrawl-nginx-") as tmp:
        folder = Path(tmp)
        (folder / "tmp").mkdir()
        port = _free_port()
        for path, body in build(f"http://127.0.0.1:{port}").items():
            target = folder / "www" / path.lstrip("/")
            if path.endswith("/"):
                target = target / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(body)
        (folder / "nginx.conf").write_text(_config(folder, port))
        process = subprocess.Popen([nginx, "-e", str(folder / "error.log"), "-c", str(folder / "nginx.conf")],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(100):
                with socket.socket() as probe:
                    if probe.connect_ex(("127.0.0.1", port)) == 0:
                        break
                time.sleep(0.05)
            else:
                raise RuntimeError(f"nginx did not start: {(folder / 'error.log').read_text()[-500:]}")
            yield f"http://127.0.0.1:{port}", "nginx"
        finally:
            process.terminate()
            process.wait(timeout=10)
