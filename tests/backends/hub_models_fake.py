"""A local stand-in for the Hugging Face Hub's model file endpoints, as huggingface_hub calls them:

  GET  /api/models/{ns}/{name}/tree/{revision}      -> [{type, path, size, oid}] (the repository's files)
  HEAD /{ns}/{name}/resolve/{revision}/{file}        -> X-Repo-Commit, ETag, Content-Length
  GET  /{ns}/{name}/resolve/{revision}/{file}        -> the file's bytes

An unknown repository answers 404 with X-Error-Code RepoNotFound, an unknown file 404 EntryNotFound,
as the Hub does. `files` maps "ns/name" to {path: local file served as that path}; `sizes` overrides the
size the listing reports for a path. A GET with `Range: bytes=N-` is answered 206 from byte N (as the
Hub's storage does); each entry of `cut_plan` cuts the next download after that many bytes (the
connection closes), so [30_000_000, 0, 0] sends 30 MB and then nothing.
"""

from __future__ import annotations

import hashlib
import json
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from fake_servers import LocalServer

COMMIT = "a" * 40


class FakeModelHub(LocalServer):
    def __init__(self, files: dict[str, dict[str, Path]], sizes: dict[str, int] | None = None) -> None:
        self.files = files
        self.sizes = sizes or {}
        self.downloads: list[str] = []
        self.ranges: list[int] = []  # the first byte each download asked for
        self.cut_plan: list[int] = []
        self.start()

    def handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        body = method != "HEAD"
        parts = h.path.split("?")[0].strip("/").split("/")
        if parts[:2] == ["api", "models"] and len(parts) >= 6 and parts[4] == "tree":
            repo = f"{parts[2]}/{parts[3]}"
            if repo not in self.files:
                return self._error(h, 404, "RepoNotFound", "Repository not found")
            listing = [
                {"type": "file", "path": name, "size": self.sizes.get(name, path.stat().st_size), "oid": "0" * 40}
                for name, path in self.files[repo].items()
            ]
            return self._send(h, 200, json.dumps(listing).encode(), {"content-type": "application/json"})
        if len(parts) >= 5 and parts[2] == "resolve":
            repo, name = f"{parts[0]}/{parts[1]}", "/".join(parts[4:])
            if repo not in self.files:
                return self._error(h, 404, "RepoNotFound", "Repository not found")
            path = self.files[repo].get(name)
            if path is None:
                return self._error(h, 404, "EntryNotFound", f"{name} does not exist")
            size = path.stat().st_size
            etag = hashlib.sha256(f"{repo}/{name}/{size}".encode()).hexdigest()
            headers = {"X-Repo-Commit": COMMIT, "ETag": f'"{etag}"', "content-type": "application/octet-stream"}
            if not body:
                return self._send(h, 200, None, {**headers, "content-length": str(size)})
            start = int(h.headers.get("Range", "bytes=0-").split("=")[1].split("-")[0] or 0)
            self.downloads.append(name)
            self.ranges.append(start)
            h.send_response(206 if start else 200)
            if start:
                headers["Content-Range"] = f"bytes {start}-{size - 1}/{size}"
            for key, value in {**headers, "content-length": str(size - start)}.items():
                h.send_header(key, value)
            h.end_headers()
            stop = min(size, start + self.cut_plan.pop(0)) if self.cut_plan else size
            with path.open("rb") as fh:
                fh.seek(start)
                sent = start
                while sent < stop and (chunk := fh.read(min(1 << 20, stop - sent))):
                    h.wfile.write(chunk)
                    sent += len(chunk)
            h.close_connection = True
            return None
        return self._error(h, 404, "", f"no route {h.path}")

    def _error(self, h: BaseHTTPRequestHandler, status: int, code: str, message: str) -> None:
        headers = {"content-type": "application/json", "X-Error-Message": message}
        if code:
            headers["X-Error-Code"] = code
        self._send(h, status, json.dumps({"error": message}).encode(), headers)

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, status: int, data: bytes | None, headers: dict[str, str]) -> None:
        h.send_response(status)
        for key, value in headers.items():
            h.send_header(key, value)
        if data is not None:
            h.send_header("content-length", str(len(data)))
        h.end_headers()
        if data is not None and h.command != "HEAD":
            h.wfile.write(data)
