"""A local stand-in for the Hugging Face Hub's model file endpoints, as huggingface_hub calls them:

  GET  /api/models/{ns}/{name}/tree/{revision}      -> [{type, path, size, oid}] (the repository's files)
  HEAD /{ns}/{name}/resolve/{revision}/{file}        -> X-Repo-Commit, ETag, Content-Length
  GET  /{ns}/{name}/resolve/{revision}/{file}        -> the file's bytes

An unknown repository answers 404 with X-Error-Code RepoNotFound, an unknown file 404 EntryNotFound,
as the Hub does. `files` maps "ns/name" to {path: local file served as that path}.
"""

from __future__ import annotations

import hashlib
import json
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from fake_servers import LocalServer

COMMIT = "a" * 40


class FakeModelHub(LocalServer):
    def __init__(self, files: dict[str, dict[str, Path]]) -> None:
        self.files = files
        self.downloads: list[str] = []
        self.start()

    def handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        body = method != "HEAD"
        parts = h.path.split("?")[0].strip("/").split("/")
        if parts[:2] == ["api", "models"] and len(parts) >= 6 and parts[4] == "tree":
            repo = f"{parts[2]}/{parts[3]}"
            if repo not in self.files:
                return self._error(h, 404, "RepoNotFound", "Repository not found")
            listing = [
                {"type": "file", "path": name, "size": path.stat().st_size, "oid": "0" * 40}
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
            self.downloads.append(name)
            h.send_response(200)
            for key, value in {**headers, "content-length": str(size)}.items():
                h.send_header(key, value)
            h.end_headers()
            with path.open("rb") as fh:
                while chunk := fh.read(1 << 20):
                    h.wfile.write(chunk)
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
