"""The string formats we support, each as one regular expression plus an optional semantic check.

The same regular expression is used in three places, so they can never disagree:
the validator (jsonschema format checker), the constrained decoder (format becomes a `pattern`
in the grammar schema) and the code-side value samplers (tests check samples against it).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
import uuid
from collections.abc import Callable

_DATE = r"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
_TIME = r"([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?"
_OFFSET = r"(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])"
_LABEL = r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"
_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"

FORMAT_PATTERNS: dict[str, str] = {
    "email": r"[A-Za-z0-9]([A-Za-z0-9._%+-]{0,40}[A-Za-z0-9])?@" + _LABEL + r"(\." + _LABEL + r"){0,3}\.[a-z]{2,12}",
    "date": _DATE,
    "date-time": _DATE + "T" + _TIME + _OFFSET,
    "time": _TIME + _OFFSET + "?",
    "uuid": r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    "uri": r"https?://" + _LABEL + r"(\." + _LABEL + r"){0,3}\.[a-z]{2,12}(/[A-Za-z0-9._~%-]{1,30}){0,4}/?",
    "hostname": _LABEL + r"(\." + _LABEL + r"){0,4}",
    "ipv4": _OCTET + r"(\." + _OCTET + r"){3}",
}
SUPPORTED_FORMATS = tuple(FORMAT_PATTERNS)

_COMPILED = {name: re.compile(rf"^(?:{p})$") for name, p in FORMAT_PATTERNS.items()}


def _parses(parse: Callable[[str], object]) -> Callable[[str], bool]:
    """A check that is true when `parse` accepts the value (for the stdlib parsers below)."""

    def check(value: str) -> bool:
        try:
            parse(value)
        except ValueError:
            return False
        return True

    return check


_SEMANTIC: dict[str, Callable[[str], bool]] = {
    "date": _parses(dt.date.fromisoformat),
    "date-time": _parses(lambda v: dt.datetime.fromisoformat(v.replace("Z", "+00:00"))),
    "uuid": _parses(uuid.UUID),
    "ipv4": _parses(ipaddress.IPv4Address),
}


def check_format(name: str, value: object) -> bool:
    """True when `value` is a string of format `name` (non-strings pass, as JSON Schema says)."""
    if not isinstance(value, str):
        return True
    if not _COMPILED[name].match(value):
        return False
    semantic = _SEMANTIC.get(name)
    return semantic(value) if semantic else True
