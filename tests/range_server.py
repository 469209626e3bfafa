"""A tiny range-capable HTTP server on 127.0.0.1 that counts the bytes it serves (for remote-read tests)."""
from __future__ import annotations

import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


class RangeServer:
    """Serve a folder; `bytes_served` counts body bytes sent. Use as a context manager. With `ranges=False` the
    server ignores Range headers (always the whole file, 200) and advertises no range support."""

    def __init__(self, root: Path, ranges: bool = True) -> None:
        self.root = root
        self.bytes_served = 0
        self.requests = 0
        self._lock = threading.Lock()
        server = self

        class Handler(SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(server.root), **kwargs)

            def log_message(self, *args):  # keep test output quiet
                pass

            def _send_body(self, head_only: bool) -> None:
                path = Path(self.translate_path(self.path))
                if not path.is_file():
                    self.send_error(404)
                    return
                data = path.read_bytes()
                match = _RANGE.fullmatch(self.headers.get("Range", "")) if ranges else None
                if match:
                    start_s, end_s = match.groups()
                    if start_s == "":
                        start, end = max(0, len(data) - int(end_s)), len(data) - 1
                    else:
                        start, end = int(start_s), min(int(end_s) if end_s else len(data) - 1, len(data) - 1)
                    body = data[start:end + 1]
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
                else:
                    body = data
                    self.send_response(200)
                self.send_header("Accept-Ranges", "bytes" if ranges else "none")
                self.send_header("Content-Length", str(len(body) if not head_only else len(data)))
                self.end_headers()
                if not head_only:
                    self.wfile.write(body)
                    with server._lock:
                        server.bytes_served += len(body)
                        server.requests += 1

            def do_GET(self):
                self._send_body(head_only=False)

            def do_HEAD(self):
                self._send_body(head_only=True)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def __enter__(self) -> "RangeServer":
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
