"""Files made from a user's runs (exports, table zips, charts) are served to that user only.

Gradio serves every output file from one shared cache. Its URLs are hard to guess, but a URL that
leaks (a shared screen, a log, a browser history) would still open another user's data. So each such
file is put in the cache by the handler that made it, remembered with its user, and a small
middleware answers 404 when anyone else (an admin excepted) asks for it.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse

FILE_ROUTES = ("/file=", "/file/")


class FileOwners:
    """Cached file path -> the users it was made for (the same content made twice has two)."""

    def __init__(self, admins: frozenset[str] = frozenset()) -> None:
        self.admins = admins
        self._owners: dict[str, set[str]] = {}
        self._lock = threading.Lock()

    def keep(self, component: Any, path: str | os.PathLike[str], request: Any) -> str:
        """Put `path` in Gradio's cache for `component` now and remember who asked; returns the cached path."""
        cached = str(component.move_resource_to_block_cache(str(path)))
        user = getattr(request, "username", None) if request is not None else None
        if user:
            with self._lock:
                self._owners.setdefault(os.path.realpath(cached), set()).add(str(user))
        return cached

    def may_read(self, path: str, user: str | None) -> bool:
        """False only for a remembered file asked for by someone it was not made for."""
        with self._lock:
            owners = self._owners.get(os.path.realpath(path))
        return owners is None or (user is not None and (user in owners or user in self.admins))


class OwnFilesOnly:
    """ASGI middleware in front of Gradio's file routes; everything else passes untouched."""

    def __init__(self, app: Any, owners: FileOwners) -> None:
        self.app = app
        self.owners = owners

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        path = scope.get("path", "") if scope.get("type") == "http" else ""
        route = next((r for r in FILE_ROUTES if r in path), None)
        if route is not None:
            asked = path.split(route, 1)[1]
            if not self.owners.may_read(asked, _user(scope)):
                await PlainTextResponse("Not found", status_code=404)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _user(scope: dict[str, Any]) -> str | None:
    """The logged-in user of this request, as Gradio's own login check finds it (its session cookie)."""
    app = scope.get("app")
    tokens, cookie_id = getattr(app, "tokens", None), getattr(app, "cookie_id", None)
    if not tokens or cookie_id is None:
        return None
    cookies = Request(scope).cookies
    token = cookies.get(f"access-token-{cookie_id}") or cookies.get(f"access-token-unsecure-{cookie_id}")
    return tokens.get(token)
