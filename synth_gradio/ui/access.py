"""Who may log in and which runs each person sees.

With auth on, every handler works on `Access.view(request)`: the Studio view of the logged-in user
(their own runs and saved templates, plus the shared built-in ones). Admins see every run. Without
auth there is one local user who sees everything, as before. Passwords are only handed to Gradio;
they never reach a log line or an error message.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from synth_gradio.errors import InputError
from synth_gradio.studio import Studio
from synth_gradio.ui.files import FileOwners

# The view a page is first rendered with and the one for a request without a login: it matches no
# user's runs, since a user name never contains ':' (it ends at the first ':' of user:password).
NO_USER = ":no-user"


class Access:
    """Resolves a Gradio request to the Studio view its user may see."""

    def __init__(self, studio: Studio, *, auth: bool = False, admins: Iterable[str] = ()) -> None:
        self.studio = studio
        self.auth = auth
        self.admins = frozenset(admins)
        self.files = FileOwners(self.admins)  # files made from a user's runs, served to that user only

    def view(self, request: Any = None) -> Studio:
        """The logged-in user's view; the whole history without auth (one local user)."""
        user = getattr(request, "username", None) if request is not None else None
        if not user and self.auth:  # Gradio asks every page and API call to log in; anything else is refused
            raise InputError("this app needs a login: connect with your user name and password")
        if not user:
            return self.studio
        return self.studio.for_user(str(user), admin=str(user) in self.admins)

    @property
    def initial(self) -> Studio:
        """What goes into the page before anyone's request: no user's runs or saved templates.

        Every list a user sees is filled per request (on page load and when a tab opens).
        """
        return self.studio.for_user(NO_USER)


def parse_pairs(text: str) -> list[tuple[str, str]]:
    """`user:password` pairs separated by commas (SYNTH_AUTH, --auth).

    A password may hold ':' after the first one. A comma followed by text without ':' belongs to
    the password before it; use --users-file for passwords like "a,b:c".
    """
    pairs: list[str] = []
    for piece in (text or "").split(","):
        if not piece.strip():
            continue
        if pairs and ":" not in piece:
            pairs[-1] += "," + piece
        else:
            pairs.append(piece.strip())
    return [_pair(item, f"pair {i} of --auth/SYNTH_AUTH") for i, item in enumerate(pairs, 1)]


def read_users_file(path: str | Path) -> list[tuple[str, str]]:
    """One `user:password` per line; blank lines and lines starting with '#' are skipped."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read the users file {path}: {exc.strerror or exc}") from None
    return [
        _pair(line.strip(), f"line {number} of {path}")
        for number, line in enumerate(lines, 1)
        if line.strip() and not line.strip().startswith("#")
    ]


def credentials(auth: str = "", users_file: str | Path | None = None) -> list[tuple[str, str]]:
    """Every login from --auth/SYNTH_AUTH and --users-file; a user named twice is refused."""
    found = parse_pairs(auth) + (read_users_file(users_file) if users_file else [])
    seen: set[str] = set()
    for user, _ in found:
        if user in seen:
            raise InputError(f"user {user!r} is listed twice; give each user one password")
        seen.add(user)
    return found


def check_admins(admins: Iterable[str], users: list[tuple[str, str]]) -> frozenset[str]:
    """--admin names must be users who can log in (an admin without auth would mean nothing)."""
    chosen = frozenset(a.strip() for a in admins if a and a.strip())
    if chosen and not users:
        raise InputError("--admin needs logins: add --auth user:password, SYNTH_AUTH or --users-file")
    unknown = sorted(chosen - {user for user, _ in users})
    if unknown:
        raise InputError(f"--admin names {', '.join(unknown)}, who cannot log in; add them to the logins")
    return chosen


def _pair(item: str, where: str) -> tuple[str, str]:
    user, sep, password = item.partition(":")
    user = user.strip()
    if not sep or not user or not password:
        raise InputError(f"{where} is not user:password (both parts are needed)")  # never echo the text
    return user, password
