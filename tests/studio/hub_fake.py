"""A local stand-in for the Hugging Face Hub: the documented endpoints huggingface_hub calls to create a
dataset repository and commit files to it.

  POST /api/repos/create                      {name, organization, type, visibility} -> {url}; 409 {error, url} if it exists
  GET  /api/datasets/{ns}/{name}[/revision/r] repo info (used after a refused create) -> {id, sha}
  POST /api/validate-yaml                     {content, repoType} -> {errors: [], warnings: []}
  POST /api/datasets/{ns}/{name}/preupload/r  {files: [{path, sample, size}]} -> {files: [{path, uploadMode}]}
  POST /api/datasets/{ns}/{name}/commit/r     NDJSON: header, then {key: file, value: {path, content, encoding}}

Tokens: `write_token` may write anywhere but `forbidden` namespaces (403), `read_token` may only read (403
on writes), anything else is 401. `missing` repositories answer 404 RepoNotFound on upload.
"""

from __future__ import annotations

import base64
import json
from http.server import BaseHTTPRequestHandler
from typing import Any

from fake_servers import LocalServer

WRITE = "hf_fake_write_token_123"
READ = "hf_fake_read_token_456"


class FakeHub(LocalServer):
    def __init__(self) -> None:
        self.repos: dict[str, dict[str, Any]] = {}  # repo id -> {private, files: {path: bytes}, commits}
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []
        self.forbidden: set[str] = set()
        self.missing: set[str] = set()
        self.create_allowed = True
        self.start()

    # ----- plumbing ---------------------------------------------------------------------------------
    def handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        length = int(h.headers.get("content-length") or 0)
        body = h.rfile.read(length) if length else b""
        self.requests.append((method, h.path, dict(h.headers), body))
        status, payload, headers = self.route(method, h.path.split("?")[0], h.headers.get("authorization", ""), body)
        data = json.dumps(payload).encode()
        h.send_response(status)
        h.send_header("content-type", "application/json")
        h.send_header("content-length", str(len(data)))
        for key, value in headers.items():
            h.send_header(key, value)
        h.end_headers()
        h.wfile.write(data)

    @staticmethod
    def error(status: int, message: str, code: str = "") -> tuple[int, dict[str, Any], dict[str, str]]:
        return status, {"error": message}, ({"X-Error-Code": code, "X-Error-Message": message} if code else {})

    def auth(self, header: str, repo: str | None, write: bool) -> tuple[int, dict[str, Any], dict[str, str]] | None:
        token = header.removeprefix("Bearer ").strip()
        if token not in (WRITE, READ):
            return self.error(401, "Invalid credentials in Authorization header")
        if write and (token == READ or (repo and repo.split("/")[0] in self.forbidden)):
            return self.error(403, "You don't have the rights to create or write to this repository")
        return None

    # ----- endpoints --------------------------------------------------------------------------------
    def route(self, method: str, path: str, auth: str, body: bytes) -> tuple[int, dict[str, Any], dict[str, str]]:
        if path == "/api/validate-yaml":
            return 200, {"errors": [], "warnings": []}, {}
        if path == "/api/repos/create" and method == "POST":
            spec = json.loads(body)
            repo = f"{spec.get('organization')}/{spec['name']}"
            refused = self.auth(auth, repo, write=True)
            if refused:
                return refused
            if not self.create_allowed or spec.get("organization") is None:
                return self.error(404, "Namespace not found", "RepoNotFound")
            if repo in self.repos:  # the Hub's 409 names the existing repository's URL
                return 409, {"error": "You already created this dataset repo", "url": f"{self.url}/datasets/{repo}"}, {}
            self.repos[repo] = {"private": spec.get("visibility") == "private", "type": spec.get("type"), "files": {}}
            return 200, {"url": f"{self.url}/datasets/{repo}", "name": repo, "id": repo}, {}
        parts = path.split("/")  # "", api, datasets, ns, name, action, revision
        if len(parts) < 5 or parts[2] != "datasets":
            return self.error(404, f"no route {path}")
        repo = f"{parts[3]}/{parts[4]}"
        action = parts[5] if len(parts) > 5 else "info"
        refused = self.auth(auth, repo, write=action in ("preupload", "commit"))
        if refused:
            return refused
        if repo not in self.repos or repo in self.missing:
            return self.error(404, "Repository not found", "RepoNotFound")
        if action in ("info", "revision"):
            return 200, {"id": repo, "sha": "0" * 40, "private": self.repos[repo]["private"]}, {}
        if action == "preupload":
            files = json.loads(body)["files"]
            modes = [{"path": f["path"], "uploadMode": "regular", "shouldIgnore": False, "oid": None} for f in files]
            return 200, {"files": modes}, {}
        if action == "commit":
            for line in body.splitlines():
                item = json.loads(line)
                if item["key"] == "file":
                    value = item["value"]
                    self.repos[repo]["files"][value["path"]] = base64.b64decode(value["content"])
            oid = f"{len(self.requests):040x}"
            return (
                200,
                {"commitUrl": f"{self.url}/datasets/{repo}/commit/{oid}", "commitOid": oid, "pullRequestUrl": None},
                {},
            )
        return self.error(404, f"no route {path}")
